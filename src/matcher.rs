//! Finds placeholders in text: the template's own spans, the generic markers every hub
//! has (TODO, `0.XX` …) and a hub's extra patterns.

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
    /// The generic markers' fixed parts (see `generic_markers`).
    generic: Vec<memchr::memmem::Finder<'static>>,
}

/// Markers of unfinished text in any card, whatever the template.
const GENERIC_BRACKETS: &[&str] = &["[More Information Needed]"];
/// What `generic_markers` looks for first, and how a match is then checked. Words in
/// capitals are looked for as written; the rest in the lower-cased text.
const GENERIC_NEEDLES: &[(&str, Needle)] = &[
    ("TODO", Needle::Word),
    ("TBD", Needle::Word),
    ("TBA", Needle::Word),
    ("TBC", Needle::Word),
    ("FIXME", Needle::Word),
    ("WIP", Needle::Word),
    (".xx", Needle::Decimals),
    ("lorem ipsum", Needle::Anywhere),
    ("coming soon", Needle::Phrase),
    // Hugging Face's marker with a note of what is needed (`[More Information Needed:
    // …]`, `[More Information Needed — …]`), its note sometimes running on.
    ("[more information needed", Needle::ToCloseOrLineEnd(b']')),
    // Hugging Face's template's own title, never filled in.
    ("model card for model id", Needle::Phrase),
    ("to be added]", Needle::OpenedBy(b'[')),
    // Prompts in brackets: `[Accuracy Value Here]`, `[Insert the dataset's DOI]`.
    (" here]", Needle::OpenedBy(b'[')),
    ("[insert ", Needle::ToCloseOrLineEnd(b']')),
    ("{{", Needle::Tag("}}")),
    ("{%", Needle::Tag("%}")),
];

#[derive(Debug, Clone, Copy)]
enum Needle {
    /// A whole word, in capitals as written.
    Word,
    /// `[0-9X].XX+` standing as a word of its own: a number not filled in.
    Decimals,
    /// A whole phrase in any case.
    Phrase,
    /// In any case, wherever it stands.
    Anywhere,
    /// From the match to this closing byte; an unclosed one (its note running on
    /// over the next lines) to the end of its line.
    ToCloseOrLineEnd(u8),
    /// From this opening byte before the match to its end (`[… to be added]`).
    OpenedBy(u8),
    /// An unrendered template tag, to its closing mark (`{{ card_data }}`).
    Tag(&'static str),
}

impl Needle {
    fn lower_case(self) -> bool {
        !matches!(self, Needle::Word)
    }
}

/// The longest a bracketed or tagged generic placeholder may run, in bytes.
const MAX_GENERIC_SPAN: usize = 200;

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
            generic: GENERIC_NEEDLES
                .iter()
                .map(|(n, _)| memchr::memmem::Finder::new(n.as_bytes()).into_owned())
                .collect(),
        }
    }

    /// Appends the generic markers in `text` to `out`, in order: `TODO`, `TBD` and
    /// `FIXME` as whole words in capitals, a number not filled in (`0.XX`, `X.XX`) and
    /// `Lorem ipsum` in any case. `text` may hold many blocks separated by newlines
    /// (the card's text arena), so one search covers the whole card.
    ///
    /// A few SIMD substring searches, not an automaton over every byte: no needle can
    /// overlap itself or another, so searching them one by one finds what a joint
    /// search would.
    pub fn generic_markers(&self, text: &str, out: &mut Vec<Range<usize>>) {
        thread_local! {
            // The lower-cased text, kept for the next card.
            static LOWER: std::cell::Cell<Vec<u8>> = const { std::cell::Cell::new(Vec::new()) };
        }
        let bytes = text.as_bytes();
        let mut lower = LOWER.take();
        lower.clear();
        lower.extend(bytes.iter().map(u8::to_ascii_lowercase));
        let from = out.len();
        for ((_, needle), finder) in GENERIC_NEEDLES.iter().zip(&self.generic) {
            let hay = if needle.lower_case() { &lower } else { bytes };
            for start in finder.find_iter(hay) {
                let end = start + finder.needle().len();
                out.extend(generic_at(bytes, *needle, start, end));
            }
        }
        // Leftmost first; overlaps (`{{ TODO }}`) dropped.
        out[from..].sort_unstable_by_key(|r| (r.start, std::cmp::Reverse(r.end)));
        let mut last_end = 0;
        let mut keep = from;
        for i in from..out.len() {
            if out[i].start >= last_end {
                last_end = out[i].end;
                out.swap(keep, i);
                keep += 1;
            }
        }
        out.truncate(keep);
        if lower.capacity() <= 1 << 20 {
            LOWER.set(lower);
        }
    }

    /// Where `[` stands in `text` (all of a card's blocks), when the template has
    /// bracketed placeholders: one search per card, not one per block.
    pub fn bracket_opens(&self, text: &str, out: &mut Vec<usize>) {
        out.clear();
        if self.bracket_max > 0 {
            out.extend(memchr::memchr_iter(b'[', text.as_bytes()));
        }
    }

    /// Appends the hits in `text`, one block, to `out` (in order, without overlaps).
    /// `generic` are the block's generic markers (see `generic_markers`) and `opens`
    /// its `[`s (see `bracket_opens`), found in a text where the block starts at
    /// `offset`.
    pub fn scan(
        &self,
        text: &str,
        in_table: bool,
        generic: &[Range<usize>],
        opens: &[usize],
        offset: usize,
        out: &mut Vec<PlaceholderHit>,
    ) {
        let from = out.len();
        let bytes = text.as_bytes();
        out.extend(generic.iter().map(|r| PlaceholderHit {
            range: r.start - offset..r.end - offset,
            kind: PlaceholderKind::Generic,
        }));
        let mut sorted = true;
        if self.bracket_max > 0 {
            let mut key = Vec::new();
            let before = out.len();
            for open in opens.iter().map(|o| o - offset) {
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

/// The marker a match of `needle` at `start..end` stands for, if any.
fn generic_at(bytes: &[u8], needle: Needle, start: usize, end: usize) -> Option<Range<usize>> {
    // A span never runs past the end of its line (the arena joins blocks by newlines).
    let line_end =
        |from: usize| memchr::memchr(b'\n', &bytes[from..]).map_or(bytes.len(), |i| from + i);
    match needle {
        Needle::Anywhere => Some(start..end),
        Needle::Word | Needle::Phrase => {
            (boundary_before(bytes, start) && boundary_after(bytes, end)).then_some(start..end)
        }
        Needle::Decimals => {
            let run = end
                + bytes[end..]
                    .iter()
                    .take_while(|b| **b | 0x20 == b'x')
                    .count();
            let lead = start.checked_sub(1).map(|i| (i, bytes[i]));
            match lead {
                Some((i, lead))
                    if (lead.is_ascii_digit() || lead | 0x20 == b'x')
                        && boundary_before(bytes, i)
                        && boundary_after(bytes, run) =>
                {
                    Some(i..run)
                }
                _ => None,
            }
        }
        Needle::ToCloseOrLineEnd(close) => {
            // Blocks are one line each in the arena: a marker never runs into the next.
            let limit = line_end(end).min(start + MAX_GENERIC_SPAN);
            match memchr::memchr(close, &bytes[end..limit]) {
                Some(at) => Some(start..end + at + 1),
                None => Some(start..line_end(end)),
            }
        }
        Needle::OpenedBy(open) => {
            let line_start = memchr::memrchr(b'\n', &bytes[..start]).map_or(0, |i| i + 1);
            let from = line_start.max(start.saturating_sub(MAX_GENERIC_SPAN));
            let at = memchr::memrchr(open, &bytes[from..start])?;
            // `[weights to be added]`, not a link's `](…)` or nested brackets.
            let inner = &bytes[from + at + 1..start];
            (!inner.contains(&b']')).then_some(from + at..end)
        }
        Needle::Tag(close) => {
            let limit = line_end(end).min(start + MAX_GENERIC_SPAN);
            let at = memchr::memmem::find(&bytes[end..limit], close.as_bytes())?;
            Some(start..end + at + close.len())
        }
    }
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
        let m = m();
        let mut generic = Vec::new();
        m.generic_markers(text, &mut generic);
        let mut opens = Vec::new();
        m.bracket_opens(text, &mut opens);
        let mut out = Vec::new();
        m.scan(text, table, &generic, &opens, 0, &mut out);
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
    fn generic_markers_across_blocks() {
        // Blocks in the card's arena are separated by newlines: no marker spans two.
        let m = m();
        let arena = "intro 0\n.XX and lorem\nipsum TODO\nTBD.\n7.xx";
        let mut got = Vec::new();
        m.generic_markers(arena, &mut got);
        let got: Vec<&str> = got.iter().map(|r| &arena[r.clone()]).collect();
        assert_eq!(got, vec!["TODO", "TBD", "7.xx"]);
        let arena = "a {{ x\n}} b [more information needed:\nx] c\nto be added] d";
        let mut got = Vec::new();
        m.generic_markers(arena, &mut got);
        let got: Vec<&str> = got.iter().map(|r| &arena[r.clone()]).collect();
        // An unclosed marker runs to its line's end, never into the next block.
        assert_eq!(got, vec!["[more information needed:"], "{got:?}");
    }

    #[test]
    fn the_placeholders_contributors_leave() {
        assert_eq!(
            texts(
                "Data: [More Information Needed: training data], {{ card_data }} and {% if x %}",
                false
            ),
            vec![
                "[More Information Needed: training data]",
                "{{ card_data }}",
                "{% if x %}"
            ]
        );
        assert_eq!(
            texts("Release TBA, license TBC, demo Coming soon.", false),
            vec!["TBA", "TBC", "Coming soon"]
        );
        assert_eq!(
            texts("Data [to be added], weights [details to be added].", false),
            vec!["[to be added]", "[details to be added]"]
        );
        // Not placeholders: words that contain the markers, a link before the words.
        assert_eq!(
            texts("TBAs, TBCx, becoming soonish", false),
            Vec::<String>::new()
        );
        assert_eq!(texts("[a](b) to be added]", false), Vec::<String>::new());
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
