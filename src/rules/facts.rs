//! What is known about each text block, computed once per card and read by several
//! rules: its placeholders, whether it repeats a template instruction, whether it is
//! real content, and the field label it opens with.

use crate::card::{Block, BlockKind, Card};
use crate::matcher::PlaceholderHit;
use crate::template::Spec;
use crate::text::{collapse_ws, field_key};

#[derive(Debug, Clone)]
pub struct FieldAt {
    /// Where the label ends in the block's text (before the colon).
    pub label_end: usize,
    /// Offset in the block's text where the value starts (after the colon).
    pub value_start: usize,
}

impl FieldAt {
    /// The label as written (`Developed by`).
    pub fn label(&self, block_text: &str) -> String {
        collapse_ws(block_text[..self.label_end.min(block_text.len())].trim())
    }

    /// The label as compared with the template's (see `field_key`).
    pub fn key(&self, block_text: &str) -> String {
        field_key(self.label_text(block_text))
    }

    pub fn label_text<'t>(&self, block_text: &'t str) -> &'t str {
        &block_text[..self.label_end.min(block_text.len())]
    }
}

#[derive(Debug, Default)]
pub struct Facts {
    /// Per block: range into `hits`.
    pub hit_ranges: Vec<std::ops::Range<usize>>,
    pub hits: Vec<PlaceholderHit>,
    /// Per block: the template instruction it repeats.
    pub template_text: Vec<Option<usize>>,
    /// Per block: it tells the reader something (not empty, not only placeholders,
    /// not template text, not a bare field label).
    pub content: Vec<bool>,
    pub field: Vec<Option<FieldAt>>,
}

/// The longest text before a colon that is still read as a field label.
const MAX_LABEL_CHARS: usize = 80;

impl Facts {
    pub fn build(spec: &Spec, card: &Card) -> Facts {
        let n = card.blocks.len();
        let mut f = Facts {
            hit_ranges: Vec::with_capacity(n),
            hits: Vec::new(),
            template_text: Vec::with_capacity(n),
            content: Vec::with_capacity(n),
            field: Vec::with_capacity(n),
        };
        let mut scratch = crate::instructions::MatchScratch::default();
        // Generic markers are looked for once over all blocks' text, not block by block.
        let mut generic = Vec::new();
        spec.matcher.generic_markers(&card.plain, &mut generic);
        let mut opens = Vec::new();
        spec.matcher.bracket_opens(&card.plain, &mut opens);
        let (mut next_generic, mut next_open) = (0, 0);
        for b in &card.blocks {
            let text = card.block_text(b);
            let start = f.hits.len();
            // Blocks lie one after the other in the arena, each followed by a newline.
            let from = next_generic;
            while next_generic < generic.len() && generic[next_generic].start < b.text.end {
                next_generic += 1;
            }
            let open_from = next_open;
            while next_open < opens.len() && opens[next_open] < b.text.end {
                next_open += 1;
            }
            spec.matcher.scan(
                text,
                b.kind == BlockKind::Cell,
                &generic[from..next_generic],
                &opens[open_from..next_open],
                b.text.start,
                &mut f.hits,
            );
            // A placeholder in a code span, or one the text only mentions (`fields
            // not filled are marked [More Information Needed]`), is not left in;
            // but a field whose whole value is one, in code, is still unfilled.
            let field = field_at(b, text);
            let whole_value = |r: &std::ops::Range<usize>| {
                field.as_ref().is_some_and(|fa| {
                    text.get(fa.value_start.min(text.len())..)
                        .is_some_and(|v| v.trim() == text[r.clone()].trim())
                })
            };
            let mut k = start;
            for i in start..f.hits.len() {
                let r = f.hits[i].range.clone();
                let in_code = card.in_code_span(b, r.start) && !whole_value(&r);
                if !(in_code || is_mention(text, r)) {
                    f.hits.swap(k, i);
                    k += 1;
                }
            }
            f.hits.truncate(k);
            f.hit_ranges.push(start..f.hits.len());
            // Only prose can repeat an instruction.
            let tt = if matches!(b.kind, BlockKind::Paragraph | BlockKind::Item) {
                spec.instructions
                    .find(text, b.emphasized, &mut scratch)
                    .filter(|&ti| b.emphasized || !spec.instructions[ti].item)
            } else {
                None
            };
            f.template_text.push(tt);
            let content = b.kind != BlockKind::Heading
                && tt.is_none()
                && (has_words_outside(
                    text,
                    field.as_ref().map_or(0, |x| x.value_start),
                    &f.hits[start..],
                ) || b.has_children && field.is_none());
            f.content.push(content);
            f.field.push(field);
        }
        f
    }

    pub fn hits_of(&self, block: usize) -> &[PlaceholderHit] {
        &self.hits[self.hit_ranges[block].clone()]
    }
}

/// `**Label:** value`, `**Label**: value` or `Label: value` at the start of a block.
fn field_at(b: &Block, text: &str) -> Option<FieldAt> {
    if !matches!(b.kind, BlockKind::Item | BlockKind::Paragraph) {
        return None;
    }
    let lead = text.len() - text.trim_start().len();
    let colon = match &b.strong_label {
        // The bold label opens the block, so it sits right after any leading space.
        Some(l)
            if l.start == b.text.start + lead && text[..l.end - b.text.start].ends_with(':') =>
        {
            Some(l.end - b.text.start - 1)
        }
        _ => None,
    }
    .or_else(|| {
        let head = &text.as_bytes()[..text.len().min(MAX_LABEL_CHARS + 1)];
        let c = memchr::memchr(b':', head)?;
        (!text[c..].starts_with("://")).then_some(c)
    })?;
    let label = text[..colon].trim();
    if label.is_empty() || label.split_whitespace().count() > 10 {
        return None;
    }
    let label_end = text[..colon].trim_end().len();
    Some(FieldAt {
        label_end,
        value_start: colon + 1,
    })
}

/// The text names the placeholder rather than leaving it: in quotes (“TODO”), or
/// after a word that introduces it (`marked [More Information Needed]`).
fn is_mention(text: &str, r: std::ops::Range<usize>) -> bool {
    const OPEN: &[char] = &['"', '“', '‘', '\'', '«'];
    const CLOSE: &[char] = &['"', '”', '’', '\'', '»'];
    let before = &text[..r.start];
    let after = &text[r.end..];
    if before.ends_with(OPEN) && after.starts_with(CLOSE) {
        return true;
    }
    // Only the last words matter: the few dozen bytes before the placeholder.
    let before = before
        .trim_end_matches(|c: char| c.is_whitespace() || c == '*' || c == '_' || OPEN.contains(&c));
    let mut from = before.len().saturating_sub(24);
    while !before.is_char_boundary(from) {
        from -= 1;
    }
    let lead: String = before[from..].to_lowercase();
    let lead = lead
        .strip_suffix(" as")
        .or_else(|| lead.strip_suffix(" with"))
        .or_else(|| lead.strip_suffix(" by"))
        .unwrap_or(&lead);
    [
        "marked",
        "labelled",
        "labeled",
        "denoted",
        "indicated",
        "flagged",
        "tagged",
        "written",
        "shown",
    ]
    .iter()
    .any(|w| {
        lead.strip_suffix(w)
            .is_some_and(|rest| rest.is_empty() || rest.ends_with([' ', '(']))
    })
}

/// Some letter or digit from `from` on lies outside every placeholder hit.
fn has_words_outside(text: &str, from: usize, hits: &[PlaceholderHit]) -> bool {
    let mut pos = from;
    for h in hits {
        if h.range.end <= pos {
            continue;
        }
        if h.range.start > pos && text[pos..h.range.start].chars().any(char::is_alphanumeric) {
            return true;
        }
        pos = pos.max(h.range.end);
    }
    pos < text.len() && text[pos..].chars().any(char::is_alphanumeric)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mentions_are_not_placeholders_left_in() {
        let m = |t: &str, p: &str| {
            let i = t.find(p).unwrap();
            is_mention(t, i..i + p.len())
        };
        assert!(m(
            "Fields not filled are marked [More Information Needed].",
            "[More Information Needed]"
        ));
        assert!(m("marked as **TODO** here", "TODO"));
        assert!(m("Write “TBD” where unknown", "TBD"));
        assert!(!m("License: TBD", "TBD"));
        assert!(!m("Data: TODO, marked later", "TODO"));
        assert!(!m("Bookmarked TODO", "TODO"));
    }

    #[test]
    fn words_outside_hits() {
        let hit = |a, b| PlaceholderHit {
            range: a..b,
            kind: crate::matcher::PlaceholderKind::Generic,
        };
        assert!(!has_words_outside("Developed by: TODO", 13, &[hit(14, 18)]));
        assert!(has_words_outside(
            "Developed by: TODO later",
            13,
            &[hit(14, 18)]
        ));
        assert!(!has_words_outside("x: *", 2, &[]));
    }
}
