//! Small text helpers shared by the template reader, the card reader and the rules:
//! line numbering, GitHub's heading anchors, and the normalisation used for
//! near-verbatim comparison.

/// Maps byte offsets to 1-based line numbers.
///
/// Lines are counted by `\n` only, as git does: the line numbers must agree with the
/// ones GitHub shows in a pull request's diff, where inline comments are anchored.
#[derive(Debug, Clone, Default)]
pub struct LineIndex {
    starts: Vec<usize>,
    /// The line last looked up: the card model asks in source order, so the next
    /// answer is usually this line or the next few.
    hint: std::cell::Cell<usize>,
}

/// The high bit of each byte of `x` that equals `b`, exactly (no borrow crosses bytes).
#[inline(always)]
fn byte_mask(x: u64, b: u8) -> u64 {
    const LOW7: u64 = 0x7F7F_7F7F_7F7F_7F7F;
    let y = x ^ (0x0101_0101_0101_0101 * u64::from(b));
    // A byte's high bit ends up set when the byte is not zero.
    let nonzero = ((y & LOW7) + LOW7) | y;
    !nonzero & !LOW7
}

/// The index of the first `b` in a short `hay` (a label's few dozen bytes, where
/// `memchr`'s set-up costs more than the search).
pub fn find_byte(hay: &[u8], b: u8) -> Option<usize> {
    let mut i = 0;
    while i + 8 <= hay.len() {
        let x = u64::from_le_bytes(hay[i..i + 8].try_into().expect("8 bytes"));
        let m = byte_mask(x, b);
        if m != 0 {
            return Some(i + (m.trailing_zeros() / 8) as usize);
        }
        i += 8;
    }
    hay[i..].iter().position(|&c| c == b).map(|k| i + k)
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        Self::new_in(text, Vec::with_capacity(text.len() / 40 + 1))
    }

    /// The same, writing into a vector that may be left from an earlier text.
    pub fn new_in(text: &str, mut starts: Vec<usize>) -> Self {
        starts.clear();
        starts.push(0);
        starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        LineIndex {
            starts,
            hint: std::cell::Cell::new(0),
        }
    }

    /// Gives the line starts back for reuse.
    pub fn into_starts(self) -> Vec<usize> {
        self.starts
    }

    /// 1-based line of a byte offset.
    pub fn line(&self, offset: usize) -> usize {
        let s = &self.starts;
        let mut i = self.hint.get();
        if i < s.len() && s[i] <= offset {
            // Walk forward a few lines before falling back to a search.
            for _ in 0..8 {
                if i + 1 >= s.len() || s[i + 1] > offset {
                    self.hint.set(i);
                    return i + 1;
                }
                i += 1;
            }
        }
        let line = match s.binary_search(&offset) {
            Ok(i) => i + 1,
            Err(i) => i,
        };
        self.hint.set(line.saturating_sub(1));
        line
    }

    /// Number of lines (a trailing newline does not open a new line).
    pub fn line_count(&self, text_len: usize) -> usize {
        let n = self.starts.len();
        if n > 1 && self.starts[n - 1] == text_len {
            n - 1
        } else {
            n
        }
    }

    /// Byte range of a 1-based line, without its line ending.
    pub fn line_range(&self, text: &str, line: usize) -> Option<std::ops::Range<usize>> {
        let start = *self.starts.get(line.checked_sub(1)?)?;
        if start > text.len() {
            return None;
        }
        let mut end = self.starts.get(line).map(|e| e - 1).unwrap_or(text.len());
        if end > start && text.as_bytes()[end - 1] == b'\r' {
            end -= 1;
        }
        Some(start..end.max(start))
    }

    pub fn line_text<'a>(&self, text: &'a str, line: usize) -> Option<&'a str> {
        self.line_range(text, line).map(|r| &text[r])
    }
}

/// Appends GitHub's anchor for a heading's rendered text (github-slugger) to `out`:
/// lower-case, drop punctuation other than `-` and `_`, turn each space into `-`
/// (runs are not merged).
pub fn push_github_slug(text: &str, out: &mut String) {
    for c in text.trim().chars() {
        if c.is_ascii() {
            match c {
                ' ' => out.push('-'),
                '-' | '_' => out.push(c),
                _ if c.is_ascii_alphanumeric() => out.push(c.to_ascii_lowercase()),
                _ => {}
            }
        } else if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        }
    }
}

/// Assigns GitHub's anchors to headings in document order: repeated slugs get `-1`, `-2`…
#[derive(Debug, Default)]
pub struct SlugCounter {
    /// Hashes of every anchor handed out (a collision of two 64-bit hashes within
    /// one card is not a practical concern), and per base slug how often it repeated.
    seen: rustc_hash::FxHashMap<u64, usize>,
    /// The anchor being written.
    scratch: String,
}

impl SlugCounter {
    /// Forgets every anchor handed out, keeping the table's room (for the next card).
    pub fn clear(&mut self) {
        self.seen.clear();
    }

    /// The next anchor for a heading of `text`, valid until the next call.
    pub fn next_slug(&mut self, text: &str) -> &str {
        let out = &mut self.scratch;
        out.clear();
        push_github_slug(text, out);
        let key = crate::words::word_hash(out);
        if let std::collections::hash_map::Entry::Vacant(e) = self.seen.entry(key) {
            e.insert(0);
            return out;
        }
        let base_end = out.len();
        loop {
            let n = self.seen.get_mut(&key).expect("base slug");
            *n += 1;
            out.truncate(base_end);
            // Writing into a `String` cannot fail.
            let _ = std::fmt::Write::write_fmt(out, format_args!("-{n}"));
            let ck = crate::words::word_hash(out);
            if let std::collections::hash_map::Entry::Vacant(e) = self.seen.entry(ck) {
                e.insert(0);
                return out;
            }
        }
    }
}

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
fn is_collapsed_ascii(bytes: &[u8], brackets: bool) -> bool {
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

/// The loose key used to pair a renamed heading with its template heading.
pub fn loose_key(text: &str) -> String {
    text.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(|c| c.to_lowercase())
        .collect()
}

/// Similarity of two short strings in 0..=1: twice the longest common subsequence of
/// their characters over their total length (the ratio a character diff gives).
/// Strings too long to be headings or anchors compare as unrelated.
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

/// Shortens text for a message, on a character boundary.
/// A repository path as a relative URI reference (spaces and `%` escaped, `/` kept).
pub fn uri_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

pub fn ellipsize(text: &str, max_chars: usize) -> String {
    let mut out = String::new();
    push_ellipsized(text, max_chars, &mut out);
    out
}

/// Appends `ellipsize(text, max_chars)` to `out`.
pub fn push_ellipsized(text: &str, max_chars: usize, out: &mut String) {
    let t = text.trim();
    // No more bytes than the limit: no more characters either.
    if t.len() <= max_chars || t.chars().count() <= max_chars {
        out.push_str(t);
        return;
    }
    let cut = t
        .char_indices()
        .nth(max_chars.saturating_sub(1))
        .map_or(t.len(), |(i, _)| i);
    out.push_str(t[..cut].trim_end());
    out.push('…');
}

#[cfg(test)]
mod tests {
    use super::*;

    fn github_slug(text: &str) -> String {
        let mut out = String::new();
        push_github_slug(text, &mut out);
        out
    }

    #[test]
    fn bit_vector_lcs_agrees_with_the_table() {
        let mut x = 0x2545_F491_4F6C_DD1Du64;
        let mut next = |n: u64| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x % n
        };
        for _ in 0..20_000 {
            // Small alphabets make long common subsequences likely.
            let alphabet = 1 + next(30) as u8;
            let mut word = |max: u64| -> Vec<u8> {
                (0..next(max + 1))
                    .map(|_| b'a' + (next(u64::from(alphabet)) as u8))
                    .collect()
            };
            let a = word(64);
            let b = word(90);
            let total = a.len() + b.len();
            let want = if total == 0 { 1.0 } else { lcs_ratio(&a, &b) };
            let got = similarity(
                std::str::from_utf8(&a).unwrap(),
                std::str::from_utf8(&b).unwrap(),
            );
            assert_eq!(got, want, "{a:?} {b:?}");
            let got = similarity(
                std::str::from_utf8(&b).unwrap(),
                std::str::from_utf8(&a).unwrap(),
            );
            assert_eq!(got, want, "{b:?} {a:?}");
        }
    }

    #[test]
    fn collapsing_treats_every_whitespace_alike() {
        for t in ["a\x0b b", " a\t\x0c b\r\n", "ä\x0bb  c", "\x0b"] {
            let reference = t.split_whitespace().collect::<Vec<_>>().join(" ");
            assert_eq!(collapse_ws(t), reference, "{t:?}");
        }
        // Every ASCII character, around each other: the ASCII paths of collapsing and
        // of field keys agree with the general ones (a non-ASCII tail forces those).
        let all: String = (0u8..128).flat_map(|b| [char::from(b), 'a', ' ']).collect();
        let reference = all.split_whitespace().collect::<Vec<_>>().join(" ");
        assert_eq!(collapse_ws(&all), reference);
        let general = field_key(&format!("{all}é"));
        assert_eq!(field_key(&all), general.trim_end_matches('é').trim_end());
        assert_eq!(field_key("Funded by [optional]\x0b:"), "funded by :");
        // Without brackets the byte reading keeps what it wrote.
        let plain: String = all.chars().filter(|c| !matches!(c, '[' | ']')).collect();
        let general = field_key(&format!("{plain}é"));
        assert_eq!(field_key(&plain), general.trim_end_matches('é').trim_end());
        // Appended after other keys, and taken back when a bracket turns up late.
        let mut keys = String::from("license");
        push_field_key(" Funded  BY [optional]", &mut keys);
        push_field_key("Ab\tC", &mut keys);
        push_field_key("Developed By", &mut keys);
        assert_eq!(keys, "licensefunded byab cdeveloped by");
        // Every pair of ASCII characters, each way through (the simple labels' copy,
        // the byte reading, the general reading).
        for a in 0u8..128 {
            for b in 0u8..128 {
                let t: String = [a, b, b'X', b' ', b]
                    .iter()
                    .map(|&c| char::from(c))
                    .collect();
                let reference = t.split_whitespace().collect::<Vec<_>>().join(" ");
                assert_eq!(collapse_ws(&t), reference, "{t:?}");
                let general = field_key(&format!("{t}é"));
                let general = general.trim_end_matches('é').trim_end();
                // A bracket left open swallows the `é` too.
                if !t.contains('[') {
                    assert_eq!(field_key(&t), general, "{t:?}");
                }
            }
        }
    }

    #[test]
    fn plain_texts_are_told_apart_without_a_branch_per_byte() {
        // Every text of up to five bytes over the bytes that decide: the flags agree
        // with the obvious reading.
        let alphabet = [b'a', b' ', b'[', b']', b'\t', 0x7F, 0x80, b'~'];
        let reference = |t: &[u8], brackets: bool| {
            t.first() != Some(&b' ')
                && t.last() != Some(&b' ')
                && t.iter().all(|&b| (0x20..=0x7E).contains(&b))
                && !t.windows(2).any(|w| w == b"  ")
                && (brackets || !t.iter().any(|&b| b == b'[' || b == b']'))
        };
        let mut texts: Vec<Vec<u8>> = vec![Vec::new()];
        for _ in 0..5 {
            let longer: Vec<Vec<u8>> = texts
                .iter()
                .filter(|t| t.len() == texts.last().map_or(0, Vec::len))
                .flat_map(|t| alphabet.iter().map(move |&b| [t.as_slice(), &[b]].concat()))
                .collect();
            texts.extend(longer);
        }
        assert_eq!(texts.len(), (0..=5).map(|k| 8usize.pow(k)).sum::<usize>());
        for t in &texts {
            for brackets in [false, true] {
                assert_eq!(
                    is_collapsed_ascii(t, brackets),
                    reference(t, brackets),
                    "{t:?} {brackets}"
                );
            }
        }
    }

    #[test]
    fn line_lookup_in_any_order() {
        let text = "a\nbb\n\nccc\r\nd";
        let idx = LineIndex::new(text);
        let naive = |off: usize| text[..off.min(text.len())].matches('\n').count() + 1;
        let mut offsets: Vec<usize> = (0..=text.len() + 2).collect();
        offsets.extend((0..=text.len()).rev());
        offsets.extend([3, 0, 9, 1, 12, 5]);
        for off in offsets {
            assert_eq!(idx.line(off), naive(off), "offset {off}");
        }
    }

    #[test]
    fn lines_count_newlines_only() {
        let t = "a\r\nb\nc";
        let idx = LineIndex::new(t);
        assert_eq!(idx.line(0), 1);
        assert_eq!(idx.line(3), 2);
        assert_eq!(idx.line(5), 3);
        assert_eq!(idx.line_text(t, 1), Some("a"));
        assert_eq!(idx.line_text(t, 3), Some("c"));
        assert_eq!(idx.line_count(t.len()), 3);
        assert_eq!(LineIndex::new("x\n").line_count(2), 1);
    }

    #[test]
    fn slugs_follow_github() {
        assert_eq!(
            github_slug("Bias, Risks, and Limitations"),
            "bias-risks-and-limitations"
        );
        assert_eq!(
            github_slug("Testing Data, Factors & Metrics"),
            "testing-data-factors--metrics"
        );
        assert_eq!(
            github_slug("How to Get Started with the Model"),
            "how-to-get-started-with-the-model"
        );
        assert_eq!(github_slug("Out-of-Scope Use"), "out-of-scope-use");
        let mut c = SlugCounter::default();
        assert_eq!(c.next_slug("Summary"), "summary");
        assert_eq!(c.next_slug("Summary"), "summary-1");
        assert_eq!(c.next_slug("Summary"), "summary-2");
        assert_eq!(c.next_slug("Summary 3"), "summary-3");
        assert_eq!(c.next_slug("Summary"), "summary-4");
        // Every ASCII character, with and without a non-ASCII one after it.
        let all: String = (1u8..128).map(char::from).collect();
        assert_eq!(
            github_slug(&all),
            github_slug(&format!("{all}é")).trim_end_matches('é')
        );
        assert_eq!(
            github_slug(&all),
            "--0123456789abcdefghijklmnopqrstuvwxyz_abcdefghijklmnopqrstuvwxyz"
        );
    }

    #[test]
    fn normalisation_of_ascii_text_is_the_general_one() {
        // The general reading, character by character (what the ASCII path shortens).
        fn reference(text: &str) -> String {
            let mut out = String::new();
            let mut pending = false;
            for c in text.chars() {
                if c.is_alphanumeric() {
                    if pending && !out.is_empty() {
                        out.push(' ');
                    }
                    pending = false;
                    out.extend(c.to_lowercase());
                } else {
                    pending = true;
                }
            }
            out
        }
        let all: String = (0u8..128)
            .flat_map(|b| [char::from(b), 'Q', char::from(b)])
            .collect();
        for t in [
            all.as_str(),
            "  *Provide* basic_details, v2.0!  ",
            "",
            "...",
        ] {
            assert_eq!(normalized(t), reference(t), "{t:?}");
            let norm = reference(t);
            assert!(normalized_eq(t, &norm), "{t:?}");
            assert!(!normalized_eq(t, &format!("{norm} x")), "{t:?}");
            if !norm.is_empty() {
                assert!(!normalized_eq(t, &norm[..norm.len() - 1]), "{t:?}");
            }
            let (mut a, mut b) = (Fnv::default(), Fnv::default());
            a.normalized_part(t);
            b.part(&reference(t));
            assert_eq!(a.0, b.0, "{t:?}");
        }
    }

    #[test]
    fn normalisation_drops_markup() {
        assert_eq!(
            normalized("*Example: \"3D U-Net model\"*"),
            "example 3d u net model"
        );
        assert_eq!(loose_key("Out of Scope Use"), loose_key("Out-of-Scope use"));
    }

    #[test]
    fn similarity_is_the_lcs_ratio() {
        assert_eq!(similarity("", ""), 1.0);
        assert!((similarity("modèle", "modele") - similarity("model", "mode")).abs() < 0.2);
        for (a, b) in [
            ("trainingdetail", "trainingdetails"),
            ("abc", "xyz"),
            ("model-card", "card-model"),
        ] {
            for min in [0.0, 0.5, 0.6, 0.8, 0.95, 1.0] {
                let s = similarity(a, b);
                assert_eq!(
                    similarity_at_least(a, b, min),
                    (s >= min).then_some(s),
                    "{a} {b} {min}"
                );
            }
        }
        let long = "a".repeat(300);
        assert_eq!(similarity(&long, &long), 1.0);
        assert_eq!(similarity("abc", "abc"), 1.0);
        assert_eq!(similarity("abc", "xyz"), 0.0);
        // LCS "valation" (8) of 10 + 10 characters.
        assert!((similarity("validation", "evaluation") - 0.8).abs() < 1e-6);
        let diff = similar::TextDiff::from_chars("trainingdetail", "trainingdetails").ratio();
        assert!((similarity("trainingdetail", "trainingdetails") - diff).abs() < 1e-6);
    }

    #[test]
    fn byte_search_agrees_with_memchr() {
        let mut x = 0x2545_F491_4F6C_DD1Du64;
        for round in 0..3000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let len = (x % 70) as usize;
            // Few distinct bytes, so matches are frequent, with neighbours one off the
            // needle (0x3A ± 1, 0x00, 0xFF, 0xBA) to tempt borrows across bytes.
            let hay: Vec<u8> = (0..len)
                .map(|k| [b':', b';', b'9', 0, 0xFF, 0xBA, b'a'][(x >> (k % 60)) as usize % 7])
                .collect();
            for needle in [b':', b'\n', 0u8, 0xFF] {
                let want = memchr::memchr(needle, &hay);
                assert_eq!(find_byte(&hay, needle), want, "round {round} {hay:?}");
            }
        }
    }

    #[test]
    fn ellipsize_respects_chars() {
        assert_eq!(ellipsize("ééééé", 3), "éé…");
        assert_eq!(ellipsize("abc", 3), "abc");
    }
}
