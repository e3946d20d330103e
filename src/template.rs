//! The template is data: `Spec` is everything the rules need, derived once from a
//! template file — its heading tree, the field labels each section asks for, its
//! placeholder spans and its instruction texts.

use crate::card::{BlockKind, Card};
use crate::config::Config;
use crate::text::{collapse_ws, normalize_words, normalized};
use anyhow::{bail, Result};
use rustc_hash::FxHashMap;
use std::collections::HashMap;

/// The hub's template, embedded as the default.
pub const DEFAULT_TEMPLATE: &str = include_str!("../templates/ri-scale-model-card.md");
pub const DEFAULT_TEMPLATE_NAME: &str = "RI-SCALE Model Hub template (built in)";

#[derive(Debug, Clone)]
pub struct SectionSpec {
    pub level: u8,
    /// The heading text as the template writes it.
    pub text: String,
    pub slug: String,
    pub parent: Option<usize>,
    /// A heading that is itself a placeholder (`# [Model Name]`): the card's title,
    /// matched by position rather than by text.
    pub title_slot: bool,
    pub optional: bool,
    pub fields: Vec<FieldSpec>,
    /// The template's first instruction for this section, quoted in messages.
    pub instruction: Option<String>,
}

impl SectionSpec {
    /// The heading line as the template writes it: `## Model Description`.
    pub fn heading_line(&self) -> String {
        format!("{} {}", "#".repeat(self.level as usize), self.text)
    }
}

#[derive(Debug, Clone)]
pub struct FieldSpec {
    /// Label without `**` and `:` (`Developed by`).
    pub label: String,
    /// What the template asks for (its placeholder without brackets).
    pub hint: Option<String>,
    /// Lower-cased label and its configured aliases, for matching.
    pub accepted: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct PlaceholderSpan {
    pub text: String,
    /// Enumerated table placeholders (`Condition A`) are only looked for in tables,
    /// where they cannot be ordinary prose.
    pub table_only: bool,
}

#[derive(Debug, Clone)]
pub struct InstructionText {
    pub display: String,
    pub norm: String,
    pub words: usize,
    /// Short texts (`*Examples:*`) match only exactly and only when still in italics.
    pub short: bool,
    pub section: Option<usize>,
    /// Distinct indexed words, for the shared-words filter.
    index_words: usize,
}

#[derive(Debug)]
pub struct Spec {
    pub name: String,
    pub sections: Vec<SectionSpec>,
    pub placeholders: Vec<PlaceholderSpan>,
    pub instructions: Vec<InstructionText>,
    pub matcher: crate::matcher::PlaceholderMatcher,
    /// Instruction ids by the hash of their normalised text.
    exact_instructions: FxHashMap<u64, Vec<usize>>,
    /// Instruction ids by the hash of each distinctive word they contain.
    word_index: FxHashMap<u64, Vec<usize>>,
    /// One bit per word-hash bucket present in `word_index`: most card words are
    /// rejected here without a map lookup.
    word_bits: Vec<u64>,
}

const WORD_BITS: usize = 1 << 14;

/// Reusable buffers for `Spec::match_instruction`.
#[derive(Default)]
pub struct MatchScratch {
    counts: Vec<(usize, u16)>,
    seen: rustc_hash::FxHashSet<u64>,
    norm: String,
}

/// Word length from which a word is distinctive enough to index.
const INDEX_WORD_LEN: usize = 4;
pub const SHORT_WORDS: usize = 4;
/// Word-diff ratio from which a block is a near copy of an instruction.
const NEAR: f32 = 0.8;
const NEAR_ITALIC: f32 = 0.7;

impl Spec {
    pub fn default_spec(cfg: &Config) -> Result<Spec> {
        Spec::from_markdown(DEFAULT_TEMPLATE, DEFAULT_TEMPLATE_NAME, cfg)
    }

    pub fn from_markdown(template: &str, name: &str, cfg: &Config) -> Result<Spec> {
        let template = template.strip_prefix('\u{feff}').unwrap_or(template);
        let card = Card::parse(template);
        let (preamble_end, footer_start) = frame_lines(&card);

        let mut sections: Vec<SectionSpec> = Vec::new();
        let mut heading_to_section: HashMap<usize, usize> = HashMap::new();
        let mut stack: Vec<usize> = Vec::new();
        for (hi, h) in card.headings.iter().enumerate() {
            if h.line <= preamble_end || h.line >= footer_start {
                continue;
            }
            while let Some(&top) = stack.last() {
                if sections[top].level >= h.level {
                    stack.pop();
                } else {
                    break;
                }
            }
            let title_slot = is_bracket_span(&h.text);
            let optional = cfg
                .optional_sections
                .iter()
                .any(|o| collapse_ws(o).eq_ignore_ascii_case(&h.text));
            heading_to_section.insert(hi, sections.len());
            sections.push(SectionSpec {
                level: h.level,
                text: h.text.clone(),
                slug: h.slug.clone(),
                parent: stack.last().copied(),
                title_slot,
                optional,
                fields: Vec::new(),
                instruction: None,
            });
            stack.push(sections.len() - 1);
        }
        if sections.iter().all(|s| s.title_slot) {
            bail!(
                "template {name}: it has no section headings after its preamble, so there is nothing to check cards against"
            );
        }
        for o in &cfg.optional_sections {
            if !sections
                .iter()
                .any(|s| collapse_ws(o).eq_ignore_ascii_case(&s.text))
            {
                bail!(
                    "key `optional-sections`: the template has no heading {o:?} (its headings: {})",
                    sections
                        .iter()
                        .map(|s| s.text.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                );
            }
        }

        let mut placeholders: Vec<PlaceholderSpan> = Vec::new();
        let mut instructions: Vec<InstructionText> = Vec::new();
        let mut seen_spans = std::collections::HashSet::new();
        let mut add_span = |text: &str, table_only: bool, list: &mut Vec<PlaceholderSpan>| {
            if seen_spans.insert(text.to_string()) {
                list.push(PlaceholderSpan {
                    text: text.to_string(),
                    table_only,
                });
            }
        };

        for b in &card.blocks {
            let text = card.block_text(b);
            let in_footer = b.line >= footer_start;
            let in_preamble = b.line <= preamble_end;
            let section = b
                .section
                .and_then(|hi| heading_to_section.get(&hi).copied());
            if in_footer {
                continue;
            }
            if in_preamble {
                if b.kind == BlockKind::Paragraph {
                    push_instruction(&mut instructions, text, None);
                }
                continue;
            }
            for span in bracket_spans(text) {
                add_span(span, false, &mut placeholders);
            }
            if b.kind == BlockKind::Heading || b.kind == BlockKind::Cell {
                continue;
            }
            let label = b.strong_label.as_deref().and_then(field_label);
            let value = label
                .as_ref()
                .map(|_| value_after_label(text))
                .unwrap_or(text)
                .trim();
            let value_is_slot = value.is_empty() || is_bracket_span(value);
            if let (Some(label), true, Some(si)) = (label.as_ref(), value_is_slot, section) {
                let mut accepted = vec![collapse_ws(label).to_lowercase()];
                if let Some(aliases) = cfg.field_aliases.get(label.as_str()) {
                    accepted.extend(aliases.iter().map(|a| collapse_ws(a).to_lowercase()));
                }
                sections[si].fields.push(FieldSpec {
                    label: label.clone(),
                    hint: is_bracket_span(value).then(|| {
                        value
                            .trim_start_matches('[')
                            .trim_end_matches(']')
                            .to_string()
                    }),
                    accepted,
                });
                continue;
            }
            if b.emphasized && !value_is_slot {
                push_instruction(&mut instructions, text, section);
                if let Some(si) = section {
                    if sections[si].instruction.is_none() && !normalized(text).is_empty() {
                        sections[si].instruction = Some(text.trim().to_string());
                    }
                }
            }
        }
        for (alias_of, _) in cfg.field_aliases.iter() {
            if !sections
                .iter()
                .any(|s| s.fields.iter().any(|f| &f.label == alias_of))
            {
                bail!(
                    "key `field-aliases.{alias_of:?}`: the template has no field labelled {alias_of:?}"
                );
            }
        }
        // Enumerated table placeholders: cells in one row that differ only by a final
        // letter or digit (`Condition A | Condition B`).
        for t in &card.tables {
            if t.header.line <= preamble_end || t.header.line >= footer_start {
                continue;
            }
            for row in std::iter::once(&t.header).chain(t.rows.iter()) {
                let cells = split_row(&card.text[row.raw.clone()]);
                let mut stems: HashMap<&str, usize> = HashMap::new();
                for c in &cells {
                    if let Some(stem) = enumerated_stem(c) {
                        *stems.entry(stem).or_default() += 1;
                    }
                }
                for c in &cells {
                    if enumerated_stem(c).is_some_and(|s| stems[s] >= 2) {
                        add_span(c.trim(), true, &mut placeholders);
                    }
                }
            }
        }

        let mut exact_instructions: FxHashMap<u64, Vec<usize>> = FxHashMap::default();
        let mut word_index: FxHashMap<u64, Vec<usize>> = FxHashMap::default();
        for (i, ins) in instructions.iter_mut().enumerate() {
            exact_instructions
                .entry(fnv_bytes(ins.norm.as_bytes()))
                .or_default()
                .push(i);
            let mut words: Vec<&str> = ins
                .norm
                .split(' ')
                .filter(|w| w.len() >= INDEX_WORD_LEN)
                .collect();
            words.sort_unstable();
            words.dedup();
            ins.index_words = words.len();
            if !ins.short {
                for w in words {
                    word_index
                        .entry(fnv_bytes(w.as_bytes()))
                        .or_default()
                        .push(i);
                }
            }
        }
        let matcher = crate::matcher::PlaceholderMatcher::new(
            &placeholders
                .iter()
                .map(|p| (p.text.clone(), p.table_only))
                .collect::<Vec<_>>(),
            cfg.placeholder_patterns.clone(),
        );
        Ok(Spec {
            name: name.to_string(),
            sections,
            placeholders,
            instructions,
            matcher,
            word_bits: {
                let mut bits = vec![0u64; WORD_BITS / 64];
                for h in word_index.keys() {
                    let b = (*h as usize) % WORD_BITS;
                    bits[b / 64] |= 1 << (b % 64);
                }
                bits
            },
            exact_instructions,
            word_index,
        })
    }

    /// The template instruction a card block repeats, verbatim or nearly
    /// (markup removed, a word changed), if any.
    ///
    /// One pass over the block hashes its normalised text and each distinctive word,
    /// looking words up in the index; only blocks that share enough words with an
    /// instruction are normalised and compared, so cost stays linear in the card.
    pub fn match_instruction(
        &self,
        text: &str,
        emphasized: bool,
        s: &mut MatchScratch,
    ) -> Option<usize> {
        s.counts.clear();
        s.seen.clear();
        let mut full = FNV_OFFSET;
        let mut word = FNV_OFFSET;
        let mut word_len = 0usize;
        let mut any = false;
        let mut buf = [0u8; 4];
        let bytes = text.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            let byte = bytes[i];
            // ASCII is handled byte by byte; other characters are decoded.
            let (c, width) = if byte < 0x80 {
                (byte as char, 1)
            } else {
                let c = text[i..].chars().next().unwrap_or(' ');
                (c, c.len_utf8())
            };
            i += width;
            if c.is_alphanumeric() {
                if word_len == 0 && any {
                    full = fnv_step(full, b' ');
                }
                any = true;
                if c.is_ascii() {
                    let b = c.to_ascii_lowercase() as u8;
                    full = fnv_step(full, b);
                    word = fnv_step(word, b);
                    word_len += 1;
                } else {
                    for lc in c.to_lowercase() {
                        for &b in lc.encode_utf8(&mut buf).as_bytes() {
                            full = fnv_step(full, b);
                            word = fnv_step(word, b);
                            word_len += 1;
                        }
                    }
                }
            } else if word_len > 0 {
                self.count_word(word, word_len, s);
                word = FNV_OFFSET;
                word_len = 0;
            }
        }
        if word_len > 0 {
            self.count_word(word, word_len, s);
        }
        if !any {
            return None;
        }
        let mut normalized_once = false;
        if let Some(ids) = self.exact_instructions.get(&full) {
            normalize_words(text, &mut s.norm);
            normalized_once = true;
            for &i in ids {
                let ins = &self.instructions[i];
                if ins.norm == s.norm && (!ins.short || emphasized) {
                    return Some(i);
                }
            }
        }
        let mut best: Option<(usize, f32)> = None;
        for k in 0..s.counts.len() {
            let (i, hits) = s.counts[k];
            let ins = &self.instructions[i];
            if (hits as usize) * 2 < ins.index_words || hits < 2 {
                continue;
            }
            // The normalised block is never longer than the block: too short a block
            // can neither contain the instruction nor be close to it.
            if (text.len() as f32) * 1.6 < ins.norm.len() as f32 {
                continue;
            }
            if !normalized_once {
                normalize_words(text, &mut s.norm);
                normalized_once = true;
            }
            let norm = s.norm.as_str();
            let score = if ins.words >= 6 && contains_words(norm, &ins.norm) {
                1.0
            } else {
                let (a, b) = (norm.len() as f32, ins.norm.len() as f32);
                if a > b * 1.6 || b > a * 1.6 {
                    continue;
                }
                similar::TextDiff::from_words(norm, ins.norm.as_str()).ratio()
            };
            // Italics is how the template marks its instructions: an italic block
            // that is still close to one is a leftover even with a few words changed.
            let threshold = if emphasized { NEAR_ITALIC } else { NEAR };
            if score >= threshold && best.is_none_or(|(_, s)| score > s) {
                best = Some((i, score));
            }
        }
        best.map(|(i, _)| i)
    }

    /// Counts a distinctive word once per block for every instruction holding it.
    fn count_word(&self, word: u64, len: usize, s: &mut MatchScratch) {
        if len < INDEX_WORD_LEN {
            return;
        }
        let bit = (word as usize) % WORD_BITS;
        if self.word_bits[bit / 64] & (1 << (bit % 64)) == 0 {
            return;
        }
        if let Some(ids) = self.word_index.get(&word) {
            if !s.seen.insert(word) {
                return;
            }
            for &i in ids {
                match s.counts.iter_mut().find(|(c, _)| *c == i) {
                    Some((_, n)) => *n = n.saturating_add(1),
                    None => s.counts.push((i, 1)),
                }
            }
        }
    }

    pub fn section_by_text(&self, text: &str) -> Option<usize> {
        self.sections.iter().position(|s| s.text == text)
    }
}

fn push_instruction(list: &mut Vec<InstructionText>, text: &str, section: Option<usize>) {
    let mut norm = String::new();
    normalize_words(text, &mut norm);
    if norm.is_empty() || list.iter().any(|i| i.norm == norm) {
        return;
    }
    let words = norm.split(' ').count();
    list.push(InstructionText {
        display: text.trim().to_string(),
        norm,
        words,
        short: words < SHORT_WORDS,
        section,
        index_words: 0,
    });
}

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;

fn fnv_step(h: u64, b: u8) -> u64 {
    (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
}

fn fnv_bytes(bytes: &[u8]) -> u64 {
    bytes.iter().fold(FNV_OFFSET, |h, &b| fnv_step(h, b))
}

/// `needle` occurs in `hay` on word boundaries (both normalised).
fn contains_words(hay: &str, needle: &str) -> bool {
    let mut from = 0;
    while let Some(i) = hay[from..].find(needle) {
        let s = from + i;
        let e = s + needle.len();
        let before_ok = s == 0 || hay.as_bytes()[s - 1] == b' ';
        let after_ok = e == hay.len() || hay.as_bytes()[e] == b' ';
        if before_ok && after_ok {
            return true;
        }
        from = s + 1;
        while !hay.is_char_boundary(from) {
            from += 1;
        }
    }
    false
}

/// Where the template's preamble ends and its footer starts (lines).
///
/// The preamble is what stands before the first thematic break when that break is
/// followed by the card's own title (a heading at the level of the preamble's one
/// heading). The footer is what follows the first break after which no heading comes:
/// boilerplate (attribution, references) that a card may keep as it is.
fn frame_lines(card: &Card) -> (usize, usize) {
    let mut preamble_end = 0;
    if let Some(&first_break) = card.thematic_breaks.first() {
        let before: Vec<_> = card
            .headings
            .iter()
            .filter(|h| h.line < first_break)
            .collect();
        let after = card.headings.iter().find(|h| h.line > first_break);
        let has_content_before = card.blocks.iter().any(|b| b.line < first_break);
        let preamble = match (before.as_slice(), after) {
            ([only], Some(next)) => only.level == next.level,
            ([], Some(_)) => has_content_before,
            _ => false,
        };
        if preamble {
            preamble_end = first_break;
        }
    }
    let last_heading = card.headings.last().map(|h| h.line).unwrap_or(0);
    let footer_start = card
        .thematic_breaks
        .iter()
        .copied()
        .find(|&l| l > last_heading && l > preamble_end)
        .unwrap_or(usize::MAX);
    (preamble_end, footer_start)
}

/// `[Model Name]`, with optional emphasis around it.
pub fn is_bracket_span(text: &str) -> bool {
    let t = text.trim().trim_matches(|c| c == '*' || c == '_').trim();
    t.len() > 2 && t.starts_with('[') && t.ends_with(']') && !t[1..t.len() - 1].contains(['[', ']'])
}

/// Bracketed spans in rendered text (links have already lost their brackets).
fn bracket_spans(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = text;
    let mut base = 0usize;
    std::iter::from_fn(move || loop {
        let open = rest.find('[')?;
        let after = &rest[open + 1..];
        let close = after.find(']')?;
        let inner = &after[..close];
        let start = base + open;
        let end = start + close + 2;
        let consumed = open + close + 2;
        rest = &rest[consumed..];
        base += consumed;
        if inner.contains('[') || inner.trim().chars().count() < 2 {
            continue;
        }
        return Some(&text[start..end]);
    })
}

/// `**Developed by:**` → `Developed by`.
fn field_label(strong: &str) -> Option<String> {
    let l = strong.trim();
    let l = l.strip_suffix(':')?.trim();
    (!l.is_empty()).then(|| collapse_ws(l))
}

fn value_after_label(text: &str) -> &str {
    text.split_once(':').map(|(_, v)| v).unwrap_or("")
}

/// `Condition A` → `Condition`.
fn enumerated_stem(cell: &str) -> Option<&str> {
    let c = cell.trim();
    let (stem, last) = c.rsplit_once(' ')?;
    let mut chars = last.chars();
    let ch = chars.next()?;
    (chars.next().is_none()
        && (ch.is_ascii_uppercase() || ch.is_ascii_digit())
        && !stem.trim().is_empty())
    .then(|| stem.trim())
}

/// Cells of a raw table row, split on unescaped pipes (as GFM does, even inside
/// code spans), with the optional outer pipes removed.
pub fn split_row(raw: &str) -> Vec<&str> {
    let t = raw.trim();
    let mut cells = Vec::new();
    let bytes = t.as_bytes();
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 1,
            b'|' => {
                cells.push(&t[start..i]);
                start = i + 1;
            }
            _ => {}
        }
        i += 1;
    }
    cells.push(&t[start.min(t.len())..]);
    if t.starts_with('|') && !cells.is_empty() {
        cells.remove(0);
    }
    if t.len() > 1 && t.ends_with('|') && !t.ends_with("\\|") && !cells.is_empty() {
        cells.pop();
    }
    cells
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec() -> Spec {
        Spec::default_spec(&Config::default()).unwrap()
    }

    #[test]
    fn preamble_is_not_a_section() {
        let s = spec();
        assert!(s.sections[0].title_slot);
        assert_eq!(s.sections[0].text, "[Model Name]");
        assert!(!s.sections.iter().any(|x| x.text == "Model Card Template"));
        assert_eq!(s.sections[1].text, "Table of Contents");
    }

    #[test]
    fn heading_tree_has_parents() {
        let s = spec();
        let md = s.section_by_text("Model Description").unwrap();
        let parent = s.sections[md].parent.unwrap();
        assert_eq!(s.sections[parent].text, "Model Details");
        let pre = s.section_by_text("Preprocessing").unwrap();
        assert_eq!(s.sections[pre].level, 3);
        let glossary = s.section_by_text("Glossary").unwrap();
        assert_eq!(s.sections[glossary].level, 2);
    }

    #[test]
    fn fields_and_placeholders_are_derived() {
        let s = spec();
        let md = &s.sections[s.section_by_text("Model Description").unwrap()];
        let labels: Vec<_> = md.fields.iter().map(|f| f.label.as_str()).collect();
        assert_eq!(labels[0], "Developed by");
        assert_eq!(labels.len(), 7);
        assert_eq!(
            md.fields[0].hint.as_deref(),
            Some("Name(s), Institution(s)")
        );
        let spans: Vec<_> = s.placeholders.iter().map(|p| p.text.as_str()).collect();
        assert!(spans.contains(&"[Model Name]"));
        assert!(spans.contains(&"[Name(s), Institution(s)]"));
        assert!(spans.contains(&"Condition A"));
        // Glossary entries are examples, not fields.
        let g = &s.sections[s.section_by_text("Glossary").unwrap()];
        assert!(g.fields.is_empty());
    }

    #[test]
    fn instructions_are_derived_but_not_footer() {
        let s = spec();
        assert!(s
            .instructions
            .iter()
            .any(|i| i.norm.starts_with("provide basic details about the model")));
        assert!(s
            .instructions
            .iter()
            .any(|i| i.norm.starts_with("example 3d u net")));
        assert!(!s
            .instructions
            .iter()
            .any(|i| i.norm.contains("this model card was created")));
        let mut scratch = MatchScratch::default();
        let near = "Provide basic details about the model including architecture, version, creators, and important disclaimers specific to your domain.";
        assert!(s.match_instruction(near, false, &mut scratch).is_some());
        let verbatim = "*Explain how this model can be fine-tuned or integrated into larger data analysis pipelines.*";
        assert!(s.match_instruction(verbatim, true, &mut scratch).is_some());
        let other = "We provide a U-Net for nuclei segmentation trained on 300 images.";
        assert!(s.match_instruction(other, false, &mut scratch).is_none());
        // Short texts need italics to count.
        assert!(s
            .match_instruction("Examples:", false, &mut scratch)
            .is_none());
        assert!(s
            .match_instruction("Examples:", true, &mut scratch)
            .is_some());
    }

    #[test]
    fn rows_split_like_gfm() {
        assert_eq!(split_row("| a | b |"), vec![" a ", " b "]);
        assert_eq!(split_row("a | b"), vec!["a ", " b"]);
        assert_eq!(split_row("| a \\| b | c |").len(), 2);
        assert_eq!(split_row("|---|---|---|").len(), 3);
    }

    #[test]
    fn bad_optional_section_names_the_key() {
        let cfg = Config {
            optional_sections: vec!["Nope".into()],
            ..Config::default()
        };
        let e = Spec::default_spec(&cfg).unwrap_err().to_string();
        assert!(e.contains("optional-sections"), "{e}");
    }

    #[test]
    fn template_without_headings_is_refused() {
        assert!(Spec::from_markdown("just text\n", "t", &Config::default()).is_err());
        assert!(Spec::from_markdown("", "t", &Config::default()).is_err());
    }
}
