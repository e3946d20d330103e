//! Finds placeholders in text: the template's own spans, the generic markers every hub
//! has (TODO, `0.XX` …) and a hub's extra patterns.

use crate::words::{for_each_word, Word};
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use regex::Regex;
use rustc_hash::FxHashMap;
use std::ops::Range;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlaceholderKind {
    /// Index into `Spec::placeholders`.
    Template(usize),
    /// A generic marker of unfinished text.
    Generic,
    /// A configured pattern.
    Configured,
}

#[derive(Debug, Clone)]
pub struct PlaceholderHit {
    pub range: Range<usize>,
    pub kind: PlaceholderKind,
}

#[derive(Debug, Clone, Copy)]
struct Span {
    kind: PlaceholderKind,
    /// Enumerated table placeholders are only looked for in table cells.
    table_only: bool,
}

/// Finds placeholders in one block of text, in the same pass that reads its words.
///
/// Bracketed spans (`[Model Name]`, `[More Information Needed]`) are found from each
/// `[` with a map lookup; the generic markers are words (`TODO`, `0.XX`, `Lorem
/// ipsum`); only spans of other shapes (a template's `Condition A` table cells) need
/// an automaton, and only where they can occur.
#[derive(Debug)]
pub struct PlaceholderMatcher {
    /// Bracketed spans, ASCII lower-cased (spans match in any ASCII case).
    brackets: FxHashMap<Box<[u8]>, Span>,
    /// The longest bracketed span, in bytes: no `]` is looked for further away.
    bracket_max: usize,
    others: Option<(AhoCorasick, Vec<Span>)>,
    /// Every unbracketed span is table-only: the automaton runs on table cells only.
    others_in_tables_only: bool,
    configured: Vec<Regex>,
}

/// Markers of unfinished text in any card, whatever the template.
const GENERIC_WORDS: &[&str] = &["TODO", "TBD", "FIXME"];
const GENERIC_BRACKETS: &[&str] = &["[More Information Needed]"];

impl PlaceholderMatcher {
    pub fn new(spans: &[(String, bool)], configured: Vec<Regex>) -> PlaceholderMatcher {
        let mut brackets: FxHashMap<Box<[u8]>, Span> = FxHashMap::default();
        let mut other_texts = Vec::new();
        let mut other_spans = Vec::new();
        let all = spans
            .iter()
            .enumerate()
            .map(|(id, (t, table_only))| {
                (
                    t.as_str(),
                    Span {
                        kind: PlaceholderKind::Template(id),
                        table_only: *table_only,
                    },
                )
            })
            .chain(GENERIC_BRACKETS.iter().map(|t| {
                (
                    *t,
                    Span {
                        kind: PlaceholderKind::Generic,
                        table_only: false,
                    },
                )
            }));
        for (text, span) in all {
            let b = text.as_bytes();
            let bracketed =
                b.len() >= 2 && b[0] == b'[' && memchr::memchr(b']', b) == Some(b.len() - 1);
            if bracketed {
                brackets
                    .entry(b.to_ascii_lowercase().into_boxed_slice())
                    .or_insert(span);
            } else if !text.is_empty() {
                other_texts.push(text);
                other_spans.push(span);
            }
        }
        let others_in_tables_only = other_spans.iter().all(|s| s.table_only);
        let others = (!other_texts.is_empty()).then(|| {
            let automaton = AhoCorasickBuilder::new()
                .ascii_case_insensitive(true)
                .match_kind(MatchKind::LeftmostLongest)
                .build(&other_texts)
                .expect("placeholder automaton");
            (automaton, other_spans)
        });
        PlaceholderMatcher {
            bracket_max: brackets.keys().map(|k| k.len()).max().unwrap_or(0),
            brackets,
            others,
            others_in_tables_only,
            configured,
        }
    }

    /// Appends the hits in `text` to `out` (in order, without overlaps) and hands
    /// every word of `text` to `on_word` on the way.
    pub fn scan(
        &self,
        text: &str,
        in_table: bool,
        out: &mut Vec<PlaceholderHit>,
        mut on_word: impl FnMut(Word),
    ) {
        let from = out.len();
        let bytes = text.as_bytes();
        for_each_word(text, |w| {
            on_word(w);
            if let Some(r) = generic_word(bytes, w) {
                out.push(PlaceholderHit {
                    range: r,
                    kind: PlaceholderKind::Generic,
                });
            }
        });
        let mut sorted = true;
        if self.bracket_max > 0 {
            let mut key = Vec::new();
            let before = out.len();
            for open in memchr::memchr_iter(b'[', bytes) {
                let window = &bytes[open..bytes.len().min(open + self.bracket_max)];
                let Some(close) = memchr::memchr(b']', window) else {
                    continue;
                };
                key.clear();
                key.extend(window[..=close].iter().map(u8::to_ascii_lowercase));
                if let Some(span) = self.brackets.get(key.as_slice()) {
                    if !span.table_only || in_table {
                        out.push(PlaceholderHit {
                            range: open..open + close + 1,
                            kind: span.kind,
                        });
                    }
                }
            }
            sorted &= before == from || out.len() == before;
        }
        if let Some((automaton, spans)) = &self.others {
            if in_table || !self.others_in_tables_only {
                let before = out.len();
                for m in automaton.find_iter(text) {
                    let span = spans[m.pattern().as_usize()];
                    if !span.table_only || in_table {
                        out.push(PlaceholderHit {
                            range: m.range(),
                            kind: span.kind,
                        });
                    }
                }
                sorted &= before == from || out.len() == before;
            }
        }
        for re in &self.configured {
            for m in re.find_iter(text) {
                if !m.range().is_empty() {
                    sorted = false;
                    out.push(PlaceholderHit {
                        range: m.range(),
                        kind: PlaceholderKind::Configured,
                    });
                }
            }
        }
        if !sorted {
            // Leftmost first; of two starting together, the longer; overlaps dropped.
            out[from..].sort_by_key(|h| (h.range.start, std::cmp::Reverse(h.range.end)));
            let mut last_end = 0;
            let mut keep = from;
            for i in from..out.len() {
                if out[i].range.start >= last_end {
                    last_end = out[i].range.end;
                    out.swap(keep, i);
                    keep += 1;
                }
            }
            out.truncate(keep);
        }
    }
}

/// A generic marker at this word: `TODO`/`TBD`/`FIXME` as a whole word in capitals,
/// a number not filled in (`0.XX`, `X.XX`), or `Lorem ipsum`.
#[inline(always)]
fn generic_word(bytes: &[u8], w: Word) -> Option<Range<usize>> {
    let word = &bytes[w.start..w.end];
    let first = word[0] | 0x20;
    if first == b'x' && w.start >= 2 && bytes[w.start - 1] == b'.' {
        // `[0-9X].XX+` standing as a word of its own.
        let lead = bytes[w.start - 2];
        let all_x = word.len() >= 2 && word.iter().all(|b| b | 0x20 == b'x');
        if all_x
            && (lead.is_ascii_digit() || lead | 0x20 == b'x')
            && boundary_before(bytes, w.start - 2)
            && boundary_after(bytes, w.end)
        {
            return Some(w.start - 2..w.end);
        }
        return None;
    }
    if may_be_generic_word(word[0])
        && (3..=5).contains(&word.len())
        && GENERIC_WORDS.iter().any(|g| g.as_bytes() == word)
        && boundary_before(bytes, w.start)
        && boundary_after(bytes, w.end)
    {
        return Some(w.start..w.end);
    }
    if word.len() >= 5 && word[word.len() - 1] | 0x20 == b'm' {
        const LOREM: &[u8] = b"lorem";
        const IPSUM: &[u8] = b" ipsum";
        let tail = &word[word.len() - LOREM.len()..];
        let next = &bytes[w.end..bytes.len().min(w.end + IPSUM.len())];
        if tail.eq_ignore_ascii_case(LOREM) && next.eq_ignore_ascii_case(IPSUM) {
            return Some(w.end - LOREM.len()..w.end + IPSUM.len());
        }
    }
    None
}

/// A cheap first test for `GENERIC_WORDS`, run on every word.
fn may_be_generic_word(first: u8) -> bool {
    matches!(first, b'T' | b'F')
}

/// No letter, digit or `_` right before `at` (words already end at letters and
/// digits; `_` joins words in identifiers like `TODO_list`).
fn boundary_before(bytes: &[u8], at: usize) -> bool {
    if at == 0 {
        return true;
    }
    let prev = bytes[at - 1];
    if prev < 0x80 {
        return !(prev.is_ascii_alphanumeric() || prev == b'_');
    }
    // A multi-byte character: decode it.
    let mut s = at - 1;
    while s > 0 && bytes[s] & 0xC0 == 0x80 {
        s -= 1;
    }
    !std::str::from_utf8(&bytes[s..at])
        .ok()
        .and_then(|t| t.chars().next())
        .is_some_and(char::is_alphanumeric)
}

fn boundary_after(bytes: &[u8], at: usize) -> bool {
    match bytes.get(at) {
        None => true,
        Some(&b) if b < 0x80 => !(b.is_ascii_alphanumeric() || b == b'_'),
        Some(_) => {
            let end = bytes.len().min(at + 4);
            let t = match std::str::from_utf8(&bytes[at..end]) {
                Ok(t) => t,
                Err(e) => std::str::from_utf8(&bytes[at..at + e.valid_up_to()]).unwrap_or(""),
            };
            !t.chars().next().is_some_and(char::is_alphanumeric)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m() -> PlaceholderMatcher {
        PlaceholderMatcher::new(
            &[("[Model Name]".into(), false), ("Condition A".into(), true)],
            vec![Regex::new(r"\bXXX\b").unwrap()],
        )
    }

    fn texts(text: &str, table: bool) -> Vec<String> {
        let mut out = Vec::new();
        m().scan(text, table, &mut out, |_| {});
        out.iter()
            .map(|h| text[h.range.clone()].to_string())
            .collect()
    }

    #[test]
    fn finds_each_kind() {
        assert_eq!(texts("# [model name]", false), vec!["[model name]"]);
        assert_eq!(texts("0.XX ± 0.XX", true), vec!["0.XX", "0.XX"]);
        assert_eq!(texts("X.XX%", true), vec!["X.XX"]);
        assert_eq!(texts("TODO: fill, TBD", false), vec!["TODO", "TBD"]);
        assert_eq!(texts("(FIXME)", false), vec!["FIXME"]);
        assert_eq!(texts("Condition A", false), Vec::<String>::new());
        assert_eq!(texts("Condition A", true), vec!["Condition A"]);
        assert_eq!(texts("see XXX", false), vec!["XXX"]);
        assert_eq!(
            texts("[More Information Needed]", false),
            vec!["[More Information Needed]"]
        );
        assert_eq!(texts("Lorem Ipsum dolor", false), vec!["Lorem Ipsum"]);
    }

    #[test]
    fn generic_words_pass_the_first_test() {
        for g in GENERIC_WORDS {
            assert!(may_be_generic_word(g.as_bytes()[0]), "{g}");
            assert!((3..=5).contains(&g.len()), "{g}");
        }
    }

    #[test]
    fn edges_of_the_word_scan() {
        assert_eq!(texts("[[Model Name]]", false), vec!["[Model Name]"]);
        assert_eq!(texts("x.xx and 7.XXX.", false), vec!["x.xx", "7.XXX"]);
        assert_eq!(texts(".XX", false), Vec::<String>::new());
        assert_eq!(
            texts("TODO_list _TODO éTODO TODOé", false),
            Vec::<String>::new()
        );
        assert_eq!(texts("«TODO» ", false), vec!["TODO"]);
        assert_eq!(texts("xlorem ipsum", false), vec!["lorem ipsum"]);
        // Spans and generic words together come out in order, overlaps dropped.
        assert_eq!(
            texts("TODO [Model Name] 0.XX [More information needed]", false),
            vec!["TODO", "[Model Name]", "0.XX", "[More information needed]"]
        );
        // An unclosed bracket run is read once, not once per bracket.
        let many = "[".repeat(200_000);
        assert!(texts(&many, true).is_empty());
    }

    #[test]
    fn ordinary_text_is_not_a_placeholder() {
        for ok in [
            "[N/A]",
            "Python 3.x and 3.11",
            "Todos los datos",
            "todo list",
            "TODOS",
            "a [link](x)",
            "[Ameni Khabthani]",
            "0.85 ± 0.03",
            "file.xxl",
            "v10.XX1",
        ] {
            assert!(texts(ok, true).is_empty(), "{ok}");
        }
    }
}
