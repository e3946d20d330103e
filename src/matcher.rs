//! Finds placeholders in text: the template's own spans (one automaton over all of
//! them), the generic ones every hub has (TODO, `0.XX` …), and a hub's extra patterns.

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
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

#[derive(Debug)]
pub struct PlaceholderMatcher {
    spans: Option<AhoCorasick>,
    span_ids: Vec<usize>,
    table_only: Vec<bool>,
    generic: Regex,
    configured: Vec<Regex>,
}

/// Markers of unfinished text in any card, whatever the template.
const GENERIC: &str =
    r"\b(?:TODO|TBD|FIXME)\b|(?i:lorem ipsum)|\[More Information Needed\]|(?i:\b[0-9x]\.xx+\b)";

impl PlaceholderMatcher {
    pub fn new(spans: &[(String, bool)], configured: Vec<Regex>) -> PlaceholderMatcher {
        let patterns: Vec<&str> = spans.iter().map(|s| s.0.as_str()).collect();
        let ac = (!patterns.is_empty()).then(|| {
            AhoCorasickBuilder::new()
                .ascii_case_insensitive(true)
                .match_kind(MatchKind::LeftmostLongest)
                .build(&patterns)
                .expect("placeholder automaton")
        });
        PlaceholderMatcher {
            spans: ac,
            span_ids: (0..spans.len()).collect(),
            table_only: spans.iter().map(|s| s.1).collect(),
            generic: Regex::new(GENERIC).expect("generic placeholder pattern"),
            configured,
        }
    }

    /// Placeholder hits in `text`, in order, without overlaps.
    pub fn find(&self, text: &str, in_table: bool, out: &mut Vec<PlaceholderHit>) {
        out.clear();
        if let Some(ac) = &self.spans {
            for m in ac.find_iter(text) {
                let id = self.span_ids[m.pattern().as_usize()];
                if self.table_only[id] && !in_table {
                    continue;
                }
                out.push(PlaceholderHit {
                    range: m.range(),
                    kind: PlaceholderKind::Template(id),
                });
            }
        }
        let before = out.len();
        for m in self.generic.find_iter(text) {
            out.push(PlaceholderHit {
                range: m.range(),
                kind: PlaceholderKind::Generic,
            });
        }
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
        if out.len() > before || before > 0 {
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
        assert_eq!(texts("TODO: fill, TBD", false), vec!["TODO", "TBD"]);
        assert_eq!(texts("Condition A", false), Vec::<String>::new());
        assert_eq!(texts("Condition A", true), vec!["Condition A"]);
        assert_eq!(texts("see XXX", false), vec!["XXX"]);
        assert_eq!(
            texts("[More Information Needed]", false),
            vec!["[More Information Needed]"]
        );
    }

    #[test]
    fn ordinary_text_is_not_a_placeholder() {
        for ok in [
            "[N/A]",
            "Python 3.x and 3.11",
            "Todos los datos",
            "a [link](x)",
            "[Ameni Khabthani]",
            "0.85 ± 0.03",
        ] {
            assert!(texts(ok, true).is_empty(), "{ok}");
        }
    }
}
