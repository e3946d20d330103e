//! Finds placeholders in text: the template's own spans, the generic markers every hub
//! has (TODO, `0.XX` …) — all in one automaton pass — and a hub's extra patterns.

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};
use regex::Regex;
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
enum Pattern {
    Span {
        id: usize,
        table_only: bool,
    },
    /// A whole word, matched with its exact case (`TODO`, not `todo`).
    Word,
    /// Matched in any case, anywhere (`Lorem ipsum`, `[More Information Needed]`).
    Phrase,
    /// `.XX`: a number not filled in, checked to stand as `0.XX` or `X.XX`.
    NumberDot,
}

#[derive(Debug)]
pub struct PlaceholderMatcher {
    automaton: AhoCorasick,
    patterns: Vec<(String, Pattern)>,
    configured: Vec<Regex>,
}

/// Markers of unfinished text in any card, whatever the template.
const GENERIC_WORDS: &[&str] = &["TODO", "TBD", "FIXME"];
const GENERIC_PHRASES: &[&str] = &["lorem ipsum", "[More Information Needed]"];

impl PlaceholderMatcher {
    pub fn new(spans: &[(String, bool)], configured: Vec<Regex>) -> PlaceholderMatcher {
        let mut patterns: Vec<(String, Pattern)> = spans
            .iter()
            .enumerate()
            .map(|(id, (t, table_only))| {
                (
                    t.clone(),
                    Pattern::Span {
                        id,
                        table_only: *table_only,
                    },
                )
            })
            .collect();
        patterns.extend(GENERIC_WORDS.iter().map(|w| (w.to_string(), Pattern::Word)));
        patterns.extend(
            GENERIC_PHRASES
                .iter()
                .map(|w| (w.to_string(), Pattern::Phrase)),
        );
        patterns.push((".xx".to_string(), Pattern::NumberDot));
        let automaton = AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::LeftmostLongest)
            .kind(Some(AhoCorasickKind::DFA))
            .build(patterns.iter().map(|p| p.0.as_str()))
            .expect("placeholder automaton");
        PlaceholderMatcher {
            automaton,
            patterns,
            configured,
        }
    }

    /// Placeholder hits in `text`, in order, without overlaps.
    pub fn find(&self, text: &str, in_table: bool, out: &mut Vec<PlaceholderHit>) {
        out.clear();
        let bytes = text.as_bytes();
        for m in self.automaton.find_iter(text) {
            let (pat, kind) = &self.patterns[m.pattern().as_usize()];
            let r = m.range();
            match *kind {
                Pattern::Span { id, table_only } => {
                    if table_only && !in_table {
                        continue;
                    }
                    out.push(PlaceholderHit {
                        range: r,
                        kind: PlaceholderKind::Template(id),
                    });
                }
                Pattern::Word => {
                    if &text[r.clone()] == pat
                        && boundary_before(text, r.start)
                        && boundary_after(text, r.end)
                    {
                        out.push(PlaceholderHit {
                            range: r,
                            kind: PlaceholderKind::Generic,
                        });
                    }
                }
                Pattern::Phrase => out.push(PlaceholderHit {
                    range: r,
                    kind: PlaceholderKind::Generic,
                }),
                Pattern::NumberDot => {
                    // `[0-9X].XX+` standing as a word of its own.
                    let Some(start) = r.start.checked_sub(1) else {
                        continue;
                    };
                    let lead = bytes[start];
                    if !(lead.is_ascii_digit() || lead == b'x' || lead == b'X')
                        || !boundary_before(text, start)
                    {
                        continue;
                    }
                    let mut end = r.end;
                    while end < bytes.len() && (bytes[end] == b'x' || bytes[end] == b'X') {
                        end += 1;
                    }
                    if boundary_after(text, end) {
                        out.push(PlaceholderHit {
                            range: start..end,
                            kind: PlaceholderKind::Generic,
                        });
                    }
                }
            }
        }
        if !self.configured.is_empty() {
            for re in &self.configured {
                for m in re.find_iter(text) {
                    if !m.range().is_empty() {
                        out.push(PlaceholderHit {
                            range: m.range(),
                            kind: PlaceholderKind::Configured,
                        });
                    }
                }
            }
            out.sort_by_key(|h| (h.range.start, std::cmp::Reverse(h.range.end)));
            let mut last_end = 0;
            out.retain(|h| {
                if h.range.start < last_end {
                    return false;
                }
                last_end = h.range.end;
                true
            });
        }
    }
}

fn boundary_before(text: &str, at: usize) -> bool {
    !text[..at]
        .chars()
        .next_back()
        .is_some_and(|c| c.is_alphanumeric() || c == '_')
}

fn boundary_after(text: &str, at: usize) -> bool {
    !text[at..]
        .chars()
        .next()
        .is_some_and(|c| c.is_alphanumeric() || c == '_')
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
        m().find(text, table, &mut out);
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
