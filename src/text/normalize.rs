//! Normalisation for near-verbatim comparison, similarity of short strings, and the
//! stable hash of normalised text that fingerprints use.

/// Normalises prose for near-verbatim comparison: lower-case words of letters and
/// digits, everything else (markup, quotes, punctuation) folded to single spaces.
pub fn normalize_words(text: &str, out: &mut String) {
    out.clear();
    out.reserve(text.len());
    for_each_normalized_char(text, |c| out.push(c));
}

/// `normalize_words(text) == norm`, without writing the normalised text.
pub fn normalized_eq(text: &str, norm: &str) -> bool {
    if text.is_ascii() {
        // Byte by byte, stopping at the first difference.
        let want = norm.as_bytes();
        let (mut j, mut pending_space) = (0, false);
        for &b in text.as_bytes() {
            if !b.is_ascii_alphanumeric() {
                pending_space = true;
                continue;
            }
            if pending_space && j > 0 {
                if want.get(j) != Some(&b' ') {
                    return false;
                }
                j += 1;
            }
            pending_space = false;
            if want.get(j) != Some(&b.to_ascii_lowercase()) {
                return false;
            }
            j += 1;
        }
        return j == want.len();
    }
    let mut want = norm.chars();
    let mut same = true;
    for_each_normalized_char(text, |c| same &= want.next() == Some(c));
    same && want.next().is_none()
}

/// The characters `normalize_words` writes, one at a time, for callers that hash them
/// instead of keeping them.
fn for_each_normalized_char(text: &str, mut emit: impl FnMut(char)) {
    let mut any = false;
    let mut pending_space = false;
    if text.is_ascii() {
        // The same steps on bytes: no character to decode or lower-case beyond ASCII.
        for &b in text.as_bytes() {
            if b.is_ascii_alphanumeric() {
                if pending_space && any {
                    emit(' ');
                }
                pending_space = false;
                any = true;
                emit(char::from(b.to_ascii_lowercase()));
            } else {
                pending_space = true;
            }
        }
        return;
    }
    for c in text.chars() {
        if c.is_alphanumeric() {
            if pending_space && any {
                emit(' ');
            }
            pending_space = false;
            any = true;
            if c.is_ascii() {
                emit(c.to_ascii_lowercase());
            } else {
                c.to_lowercase().for_each(&mut emit);
            }
        } else {
            pending_space = true;
        }
    }
}

pub fn normalized(text: &str) -> String {
    let mut s = String::new();
    normalize_words(text, &mut s);
    s
}

/// Heading text as written, with whitespace collapsed: headings are compared
/// case-sensitively, because `## model description` is a rename a reviewer asks to fix.
pub fn collapse_ws(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    push_collapsed(text, &mut out);
    out
}

/// Appends `text` with each run of whitespace as one space, none at either end.
pub fn push_collapsed(text: &str, out: &mut String) {
    // Most texts (headings) are printable ASCII words with single spaces between
    // them: copied as they are.
    if is_collapsed_ascii(text.as_bytes(), true) {
        out.push_str(text);
        return;
    }
    let start = out.len();
    for w in text.split_whitespace() {
        if out.len() > start {
            out.push(' ');
        }
        out.push_str(w);
    }
}

/// Printable ASCII with single spaces between words and none at either end (and, when
/// `brackets` is false, no `[` or `]`): what `push_collapsed` (`push_field_key`) would
/// leave as it is, apart from case. One pass: it runs for every heading and every
/// field line of every card.
pub(super) fn is_collapsed_ascii(bytes: &[u8], brackets: bool) -> bool {
    // Without a branch per byte: a flag per kind of byte that is not allowed (see
    // `PLAIN`), OR-ed over the text, and a space after a space.
    let refused = if brackets {
        NOT_PRINTABLE
    } else {
        NOT_PRINTABLE | BRACKET
    };
    let (mut bad, mut prev_space) = (0u8, 1u8);
    for &b in bytes {
        let space = u8::from(b == b' ');
        bad |= PLAIN[b as usize] & refused | space & prev_space;
        prev_space = space;
    }
    bad == 0 && (prev_space == 0 || bytes.is_empty())
}

const NOT_PRINTABLE: u8 = 1;
const BRACKET: u8 = 2;
/// Per byte: `NOT_PRINTABLE` outside 0x20..=0x7E, `BRACKET` for `[` and `]`.
static PLAIN: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut b = 0;
    while b < 256 {
        if b < 0x20 || b > 0x7E {
            t[b] = NOT_PRINTABLE;
        } else if b == b'[' as usize || b == b']' as usize {
            t[b] = BRACKET;
        }
        b += 1;
    }
    t
};

/// A field label as the template's and the card's are compared: lower case, whitespace collapsed,
/// bracketed asides (`Funded by [optional]`) dropped.
pub fn field_key(label: &str) -> String {
    let mut out = String::with_capacity(label.len());
    push_field_key(label, &mut out);
    out
}

/// Appends `field_key(label)` to `out`.
pub fn push_field_key(label: &str, out: &mut String) {
    let from = out.len();
    // Most labels are printable ASCII words with single spaces between them and
    // nothing to drop: their key is the label in lower case, copied at once.
    let bytes = label.as_bytes();
    if is_collapsed_ascii(bytes, false) {
        out.push_str(label);
        out[from..].make_ascii_lowercase();
        return;
    }
    // Other ASCII labels, byte by byte. At the first byte that is not ASCII or is a
    // bracket, what was written is taken back and the general reading below runs.
    out.reserve(label.len());
    let mut space = false;
    let mut ascii = true;
    for &b in label.as_bytes() {
        match b {
            // `char::is_whitespace` on ASCII (0x0B, vertical tab, included).
            b' ' | b'\t' | b'\n' | 0x0B | 0x0C | b'\r' => space = true,
            b'[' | b']' | 0x80.. => {
                ascii = false;
                break;
            }
            _ => {
                if space && out.len() > from {
                    out.push(' ');
                }
                space = false;
                out.push(char::from(b.to_ascii_lowercase()));
            }
        }
    }
    if ascii {
        return;
    }
    out.truncate(from);
    let mut depth = 0usize;
    let mut space = false;
    for c in label.chars() {
        match c {
            '[' => depth += 1,
            ']' => depth = depth.saturating_sub(1),
            _ if depth > 0 => {}
            _ if c.is_whitespace() => space = true,
            _ => {
                if space && out.len() > from {
                    out.push(' ');
                }
                space = false;
                if c.is_ascii() {
                    out.push(c.to_ascii_lowercase());
                } else {
                    out.extend(c.to_lowercase());
                }
            }
        }
    }
}

/// The words that name a section, lower-cased and stemmed (`Biases` → `bias`),
/// without function words and `model`, which nearly every heading has.
pub fn name_words(text: &str) -> Vec<String> {
    const COMMON: &[&str] = &[
        "and", "the", "for", "with", "from", "into", "model", "models", "used", "using", "about",
        "this", "our", "your", "its",
    ];
    text.split(|c: char| !c.is_alphanumeric())
        .map(str::to_lowercase)
        .filter(|w| w.chars().count() >= 3 && !COMMON.contains(&w.as_str()))
        .map(|w| {
            if w.len() > 4 && w.ends_with("es") && !w.ends_with("ses") {
                w[..w.len() - 1].to_string()
            } else if w.len() > 4 && w.ends_with("ses") {
                w[..w.len() - 2].to_string()
            } else if w.len() > 4 && w.ends_with('s') && !w.ends_with("ss") {
                w[..w.len() - 1].to_string()
            } else {
                w
            }
        })
        .collect()
}

/// The loose key used to pair a renamed heading with its template heading.
pub fn loose_key(text: &str) -> String {
    text.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(|c| c.to_lowercase())
        .collect()
}

/// Similarity of two short strings in 0..=1: twice the longest common subsequence of
/// their characters over their total length (the ratio a character diff gives).
/// Strings too long to be headings or anchors compare as unrelated. Written out here
/// rather than taken from `similar`: `similar`'s character diff made the whole check
/// about 25% slower (measured over 1000 cards), the 10% this project allows a
/// hand-written equivalent; a test holds it to the plain dynamic programme.
pub fn similarity(a: &str, b: &str) -> f32 {
    if a.is_ascii() && b.is_ascii() {
        let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
        if short.len() <= 64 {
            let total = a.len() + b.len();
            if total == 0 {
                return 1.0;
            }
            return 2.0 * lcs_len_ascii64(short.as_bytes(), long.as_bytes()) as f32 / total as f32;
        }
        return lcs_ratio(a.as_bytes(), b.as_bytes());
    }
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    lcs_ratio(&a, &b)
}

/// Length of the longest common subsequence of two ASCII strings, the first at most
/// 64 bytes long, one machine word per character of the second (Hyyrö's bit-vector
/// form of the dynamic programme `lcs_ratio` runs cell by cell).
fn lcs_len_ascii64(a: &[u8], b: &[u8]) -> usize {
    debug_assert!(a.len() <= 64);
    let mut matches = [0u64; 128];
    for (i, &c) in a.iter().enumerate() {
        matches[usize::from(c & 0x7F)] |= 1 << i;
    }
    let mut v = u64::MAX;
    for &c in b {
        let u = v & matches[usize::from(c & 0x7F)];
        v = v.wrapping_add(u) | (v - u);
    }
    let mask = if a.len() == 64 {
        u64::MAX
    } else {
        (1u64 << a.len()) - 1
    };
    (!v & mask).count_ones() as usize
}

fn lcs_ratio<T: PartialEq>(a: &[T], b: &[T]) -> f32 {
    let total = a.len() + b.len();
    if total == 0 {
        return 1.0;
    }
    if a.len().saturating_mul(b.len()) > 250_000 {
        return 0.0;
    }
    // Headings and anchors are short: the row fits on the stack.
    let mut stack = [0u16; 129];
    let mut heap = Vec::new();
    let row: &mut [u16] = if b.len() < stack.len() {
        &mut stack[..b.len() + 1]
    } else {
        heap.resize(b.len() + 1, 0u16);
        &mut heap
    };
    for ca in a {
        let mut diag = 0u16;
        for (j, cb) in b.iter().enumerate() {
            let up = row[j + 1];
            row[j + 1] = if ca == cb { diag + 1 } else { up.max(row[j]) };
            diag = up;
        }
    }
    2.0 * f32::from(row[b.len()]) / total as f32
}

/// `similarity(a, b)` when it can reach `min`, else `None`; a cheap bound (the
/// characters both strings share, in any order) rules most pairs out first.
pub fn similarity_at_least(a: &str, b: &str, min: f32) -> Option<f32> {
    if a.is_ascii() && b.is_ascii() {
        let mut count = [0i16; 128];
        for &x in a.as_bytes() {
            count[x as usize] += 1;
        }
        let mut common = 0usize;
        for &y in b.as_bytes() {
            if count[y as usize] > 0 {
                count[y as usize] -= 1;
                common += 1;
            }
        }
        let total = a.len() + b.len();
        if total > 0 && (2 * common) as f32 / (total as f32) < min {
            return None;
        }
    }
    let s = similarity(a, b);
    (s >= min).then_some(s)
}

/// Stable 64-bit FNV-1a over whole parts: the fingerprint contract written out plainly,
/// for the test that holds `Finding::fingerprint_hash` to it.
#[cfg(test)]
pub fn fnv1a(parts: &[&str]) -> u64 {
    let mut h = Fnv::default();
    for p in parts {
        h.part(p);
    }
    h.0
}

/// Stable 64-bit FNV-1a over parts each followed by a unit separator, for fingerprints
/// that must not change between runs or builds.
#[derive(Debug, Clone, Copy)]
pub struct Fnv(pub u64);

impl Default for Fnv {
    fn default() -> Self {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl Fnv {
    fn byte(&mut self, b: u8) {
        self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3);
    }

    pub fn part(&mut self, p: &str) {
        for b in p.bytes() {
            self.byte(b);
        }
        self.byte(0x1f);
    }

    /// As `part(&normalized(text))`, without building the string.
    pub fn normalized_part(&mut self, text: &str) {
        let mut buf = [0u8; 4];
        for_each_normalized_char(text, |c| {
            if c.is_ascii() {
                self.byte(c as u8);
            } else {
                for &b in c.encode_utf8(&mut buf).as_bytes() {
                    self.byte(b);
                }
            }
        });
        self.byte(0x1f);
    }
}
