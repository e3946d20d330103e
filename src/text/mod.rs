//! Small text helpers shared by the template reader, the card reader and the rules,
//! one module per idea; this one keeps what messages and reports need.

mod anchors;
mod lines;
mod normalize;

pub use anchors::*;
pub use lines::*;
pub use normalize::*;

/// A repository path as a relative URI reference (spaces and `%` escaped, `/` kept).
pub fn uri_path(path: &str) -> String {
    percent_encode(path, b"-._~/")
}

/// Percent-encodes every byte but ASCII letters, digits and those in `keep`.
pub fn percent_encode(text: &str, keep: &[u8]) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || keep.contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Undoes `%XX` escapes (a `%` not followed by two hex digits stays as it is);
/// bytes that are not UTF-8 come back as U+FFFD.
pub fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && bytes[i + 1].is_ascii_hexdigit()
            && bytes[i + 2].is_ascii_hexdigit()
        {
            let hex = |b: u8| (b as char).to_digit(16).unwrap_or(0) as u8;
            out.push(hex(bytes[i + 1]) * 16 + hex(bytes[i + 2]));
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Shortens text for a message, on a character boundary.
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

/// Text from a card, its metadata or a path, made unable to drive a terminal: each
/// control character (C0 but tab and newline, DEL, C1) and each bidirectional
/// override is shown as an escape (`\u{1b}`), so `ESC ] 0; … BEL` cannot retitle a
/// maintainer's terminal and `ESC [2J` cannot clear it. Every terminal face (the text
/// report, `fix`'s diff and lines, the outline, the audit's and preview's text) prints
/// through here.
pub fn inert(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(needs_escape) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if needs_escape(c) {
            out.push_str(&c.escape_unicode().to_string());
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

fn needs_escape(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t')
        || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// A message of Markdown cut to at most `max` bytes (plus a note) where no code span
/// is open, so quoted card text stays quoted; the message as it is when it fits.
pub fn cut_markdown(message: &str, max: usize) -> std::borrow::Cow<'_, str> {
    if message.len() <= max {
        return std::borrow::Cow::Borrowed(message);
    }
    // The last place at or before `max` outside every code span: a span opens with
    // a run of n backticks and closes at the next run of exactly n (CommonMark).
    let bytes = message.as_bytes();
    let (mut i, mut open, mut cut) = (0, 0usize, 0);
    while i < bytes.len() && i <= max {
        if bytes[i] == b'`' {
            let run = bytes[i..].iter().take_while(|b| **b == b'`').count();
            if open == 0 {
                open = run;
            } else if run == open {
                open = 0;
                if i + run <= max {
                    cut = i + run;
                }
            }
            i += run;
            continue;
        }
        if open == 0 && message.is_char_boundary(i) {
            cut = i;
        }
        i += 1;
    }
    let shown = message[..cut].trim_end();
    std::borrow::Cow::Owned(format!(
        "{shown} … (cut here: {} more characters; `modelcard-review check` shows the whole message)",
        message[cut..].chars().count()
    ))
}

/// Longest card text a message quotes, in characters.
pub const QUOTE_MAX_CHARS: usize = 120;

/// Card text quoted in a message, as a Markdown code span: whatever the card says (a
/// backtick, a link, HTML, a bare URL), it stays inert text wherever the message is
/// rendered — the bot's review, its summary, a check run. The fence is longer than
/// any run of backticks inside (CommonMark), newlines become spaces, and long text
/// is cut. Every message that quotes card text goes through here.
pub fn code(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 4);
    push_code(text, &mut out);
    out
}

/// The longest run of backticks in a text: a code span or fence around it must be
/// longer.
pub fn longest_backtick_run(text: &str) -> usize {
    let (mut longest, mut run) = (0, 0);
    for b in text.bytes() {
        if b == b'`' {
            run += 1;
            longest = longest.max(run);
        } else {
            run = 0;
        }
    }
    longest
}

/// A code fence longer than any run of backticks inside, so the text cannot end it
/// (a review's suggestion, a rule's example, a template's text in a hover).
pub fn fence_for(text: &str) -> String {
    "`".repeat((longest_backtick_run(text) + 1).max(3))
}

/// `code`, never cut: for a command the reader copies.
pub fn code_whole(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 4);
    push_code_cut(text, usize::MAX, &mut out);
    out
}

/// Appends `code(text)` to `out`.
pub fn push_code(text: &str, out: &mut String) {
    push_code_cut(text, QUOTE_MAX_CHARS, out);
}

fn push_code_cut(text: &str, max_chars: usize, out: &mut String) {
    // Most quoted text is one short line without a backtick: quoted as it is.
    let t = text.trim();
    if !t.is_empty()
        && t.len() <= max_chars
        && !t.bytes().any(|b| matches!(b, b'`' | b'\n' | b'\r'))
    {
        out.push('`');
        out.push_str(t);
        out.push('`');
        return;
    }
    let flat: String = text
        .split(['\n', '\r'])
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    let mut inner = String::with_capacity(flat.len());
    push_ellipsized(&flat, max_chars, &mut inner);
    let fence = "`".repeat(longest_backtick_run(&inner) + 1);
    // A span that starts or ends with a backtick needs a space inside the fence;
    // CommonMark strips one on each side.
    let pad = inner.starts_with('`') || inner.ends_with('`');
    out.push_str(&fence);
    if pad {
        out.push(' ');
    }
    out.push_str(&inner);
    if pad {
        out.push(' ');
    }
    out.push_str(&fence);
}

#[cfg(test)]
mod tests {
    use super::normalize::is_collapsed_ascii;
    use super::*;

    fn github_slug(text: &str) -> String {
        let mut out = String::new();
        push_github_slug(text, &mut out);
        out
    }

    /// The longest common subsequence, cell by cell: what `similarity` must agree with.
    fn lcs_ratio(a: &[u8], b: &[u8]) -> f32 {
        let mut row = vec![0usize; b.len() + 1];
        for ca in a {
            let mut diag = 0;
            for (j, cb) in b.iter().enumerate() {
                let up = row[j + 1];
                row[j + 1] = if ca == cb { diag + 1 } else { up.max(row[j]) };
                diag = up;
            }
        }
        2.0 * row[b.len()] as f32 / (a.len() + b.len()) as f32
    }

    #[test]
    fn similarity_is_the_longest_common_subsequence_ratio() {
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
    fn ellipsize_respects_chars() {
        assert_eq!(ellipsize("ééééé", 3), "éé…");
        assert_eq!(ellipsize("abc", 3), "abc");
    }

    #[test]
    fn quoted_card_text_is_one_code_span() {
        assert_eq!(code("## Model Details"), "`## Model Details`");
        assert_eq!(code("a ` b"), "``a ` b``");
        assert_eq!(code("`x`"), "`` `x` ``");
        assert_eq!(code("one\ntwo"), "`one two`");
        assert_eq!(code(""), "``");
        let long = "x".repeat(500);
        assert!(code(&long).chars().count() < QUOTE_MAX_CHARS + 5);
        assert_eq!(inert("plain\ttext\n"), "plain\ttext\n");
        let long = format!("Say {} then {}.", code("a`b"), code(&"x".repeat(50)));
        let cut = cut_markdown(&long, 20);
        // Cut after the closed span, never inside the open one.
        assert!(
            cut.starts_with("Say ``a`b`` then … (cut here: 54 more"),
            "{cut}"
        );
        assert_eq!(cut_markdown("short", 20), "short");
        assert_eq!(
            inert("a\u{1b}]0;pwned\u{7}b\u{1b}[2J\u{9b}c\u{202e}d\re"),
            "a\\u{1b}]0;pwned\\u{7}b\\u{1b}[2J\\u{9b}c\\u{202e}d\\u{d}e"
        );
    }
}
