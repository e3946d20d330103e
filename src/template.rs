//! The template is data: `Spec` is everything the rules need, derived once from a
//! template file — its heading tree, the field labels each section asks for, its
//! placeholder spans and its instruction texts.

use crate::card::{BlockKind, Card};
use crate::config::Config;
pub use crate::instructions::{InstructionText, Instructions, MatchScratch};
use crate::text::{collapse_ws, field_key, loose_key, name_words, normalized};
use anyhow::{bail, Result};
use std::collections::HashMap;

/// The hub's template, embedded as the default.
pub const DEFAULT_TEMPLATE: &str = include_str!("../templates/ri-scale-model-card.md");
pub const DEFAULT_TEMPLATE_NAME: &str = "RI-SCALE Model Hub template (built in)";
/// A template is a page of Markdown; the limit only stops what is not one.
pub const MAX_TEMPLATE_BYTES: usize = 4 * 1024 * 1024;

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
    /// The template's own lines under the heading, up to the next heading (its
    /// instructions, field bullets and tables as written): what `fix` inserts for a
    /// missing section, so the author sees exactly what to fill in.
    pub body: Vec<String>,
    /// Other names for the section (the built-in alias table and the config's
    /// `[section-aliases]`), as `loose_key` writes them: a card heading with one
    /// of these names is this section for certain.
    pub aliases: Vec<String>,
    /// The heading's text as `loose_key` writes it.
    pub loose: String,
    /// The words of its name, its aliases, its own template text and its
    /// subsections' names (`name_words`, sorted): a heading standing in its slot
    /// whose words all come from here is likely this section.
    pub vocabulary: Vec<String>,
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
    /// The label and its configured aliases as `field_key` writes them, for matching.
    pub accepted: Vec<String>,
    /// The template's line for the field (`- **License:** *[License name and link]*`).
    pub line: String,
}

#[derive(Debug, Clone)]
pub struct PlaceholderSpan {
    pub text: String,
    /// Enumerated table placeholders (`Condition A`) are only looked for in tables,
    /// where they cannot be ordinary prose.
    pub table_only: bool,
}

#[derive(Debug)]
pub struct Spec {
    pub name: String,
    pub sections: Vec<SectionSpec>,
    pub placeholders: Vec<PlaceholderSpan>,
    pub instructions: Instructions,
    pub matcher: crate::matcher::PlaceholderMatcher,
    /// The template's own title (`# Model Card Template`), before its preamble ends:
    /// a card that keeps it has not named itself.
    pub template_title: Option<String>,
    /// The template's table of contents, if it has one: a section whose links all
    /// point at the template's own sections.
    pub toc: Option<Toc>,
}

#[derive(Debug, Clone)]
pub struct Toc {
    /// The section that holds it.
    pub section: usize,
    /// The sections it lists, in its order.
    pub entries: Vec<usize>,
}

impl Spec {
    pub fn default_spec(cfg: &Config) -> Result<Spec> {
        Spec::from_markdown(DEFAULT_TEMPLATE, DEFAULT_TEMPLATE_NAME, cfg)
    }

    /// A template file's bytes, named `name` in messages (as `--template` names it):
    /// refused, as a card is, when it is too large, binary or not UTF-8.
    pub fn from_bytes(bytes: &[u8], name: &str, cfg: &Config) -> Result<Spec> {
        let text = crate::card::decode(bytes, MAX_TEMPLATE_BYTES)
            .map_err(|e| anyhow::anyhow!("template {name}: {}", e.explain()))?;
        Spec::from_markdown(text, name, cfg)
    }

    pub fn from_markdown(template: &str, name: &str, cfg: &Config) -> Result<Spec> {
        let template = template.strip_prefix('\u{feff}').unwrap_or(template);
        let card = Card::parse(template);
        let builtin_fields: std::collections::BTreeMap<String, Vec<String>> =
            toml::from_str(DEFAULT_FIELD_ALIASES).expect("templates/field-aliases.toml is valid");
        let (preamble_end, footer_start) = frame_lines(&card);
        // Sections after the template's closing horizontal rule (a Glossary) are
        // optional unless the config requires them.
        let last_heading = card
            .headings
            .iter()
            .map(|h| h.line)
            .filter(|&l| l < footer_start)
            .max()
            .unwrap_or(0);
        let closing_rule = card
            .thematic_breaks
            .iter()
            .copied()
            .filter(|&l| l > preamble_end && l < last_heading)
            .max();

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
            let title_slot = is_bracket_span(card.heading_text(h));
            let named = |list: &[String]| {
                list.iter()
                    .any(|o| collapse_ws(o).eq_ignore_ascii_case(card.heading_text(h)))
            };
            let after_closing_rule = closing_rule.is_some_and(|r| h.line > r);
            let optional = named(&cfg.optional_sections)
                || (after_closing_rule && !named(&cfg.required_sections));
            heading_to_section.insert(hi, sections.len());
            sections.push(SectionSpec {
                level: h.level,
                text: card.heading_text(h).to_string(),
                slug: card.heading_slug(h).to_string(),
                parent: stack.last().copied(),
                title_slot,
                optional,
                fields: Vec::new(),
                instruction: None,
                body: section_body(&card, hi, footer_start),
                aliases: Vec::new(),
                loose: loose_key(card.heading_text(h)),
                vocabulary: Vec::new(),
            });
            stack.push(sections.len() - 1);
        }
        if sections.iter().all(|s| s.title_slot) {
            bail!(
                "template {name}: it has no section headings after its preamble, so there is nothing to check cards against"
            );
        }
        for (key, o) in cfg
            .optional_sections
            .iter()
            .map(|o| ("optional-sections", o))
            .chain(
                cfg.required_sections
                    .iter()
                    .map(|o| ("required-sections", o)),
            )
        {
            if !sections
                .iter()
                .any(|s| collapse_ws(o).eq_ignore_ascii_case(&s.text))
            {
                bail!(
                    "key `{key}`: the template has no heading {o:?} (its headings: {})",
                    sections
                        .iter()
                        .map(|s| s.text.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                );
            }
        }

        add_aliases(&mut sections, cfg)?;

        let mut placeholders: Vec<PlaceholderSpan> = Vec::new();
        let mut instructions = Instructions::default();
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
                    instructions.push(text, None, false);
                }
                continue;
            }
            for span in bracket_spans(text) {
                add_span(span, false, &mut placeholders);
            }
            if b.kind == BlockKind::Heading || b.kind == BlockKind::Cell {
                continue;
            }
            let label = card.strong_label(b).and_then(field_label);
            let value = label
                .as_ref()
                .map(|_| value_after_label(text))
                .unwrap_or(text)
                .trim();
            let value_is_slot = value.is_empty() || is_bracket_span(value);
            if let (Some(label), true, Some(si)) = (label.as_ref(), value_is_slot, section) {
                // Compared as the card's labels are (`field_key`), so a bracketed aside
                // in the template's label (`Funded by [optional]`) does not count.
                let mut accepted = vec![field_key(label)];
                if let Some(aliases) = cfg.field_aliases.get(label.as_str()) {
                    accepted.extend(aliases.iter().map(|a| field_key(a)));
                }
                if let Some(aliases) = builtin_fields.get(label.as_str()) {
                    accepted.extend(aliases.iter().map(|a| field_key(a)));
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
                    line: card.line_text(b.line).trim_end().to_string(),
                });
                continue;
            }
            if b.emphasized && !value_is_slot {
                instructions.push(text, section, b.kind == BlockKind::Item);
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

        instructions.build_index();
        let matcher = crate::matcher::PlaceholderMatcher::new(
            &placeholders
                .iter()
                .map(|p| (p.text.clone(), p.table_only))
                .collect::<Vec<_>>(),
            cfg.placeholder_patterns.clone(),
        );
        let toc = find_toc(&card, &sections, &heading_to_section);
        let template_title = card
            .headings
            .iter()
            .find(|h| h.line <= preamble_end)
            .map(|h| card.heading_text(h).to_string());
        Ok(Spec {
            toc,
            template_title,
            name: name.to_string(),
            sections,
            placeholders,
            instructions,
            matcher,
        })
    }

    pub fn section_by_text(&self, text: &str) -> Option<usize> {
        self.sections.iter().position(|s| s.text == text)
    }

    /// A card must have section `si`: neither it nor a section above it is optional.
    pub fn is_required(&self, si: usize) -> bool {
        let mut x = Some(si);
        while let Some(y) = x {
            if self.sections[y].optional {
                return false;
            }
            x = self.sections[y].parent;
        }
        true
    }

    /// Section `d` is section `of` or one of its subsections, at any depth.
    pub fn is_within(&self, d: usize, of: usize) -> bool {
        let mut x = Some(d);
        while let Some(y) = x {
            if y == of {
                return true;
            }
            x = self.sections[y].parent;
        }
        false
    }
}

/// The built-in table of other conventions' labels for fields.
pub const DEFAULT_FIELD_ALIASES: &str = include_str!("../templates/field-aliases.toml");

/// The built-in table of other conventions' names for sections.
pub const DEFAULT_SECTION_ALIASES: &str = include_str!("../templates/section-aliases.toml");

/// Gives each section its aliases (built-in, then the hub's) and its vocabulary. A
/// hub's alias for a section its template lacks is an error; a built-in one is
/// simply unused.
fn add_aliases(sections: &mut [SectionSpec], cfg: &Config) -> Result<()> {
    let builtin: std::collections::BTreeMap<String, Vec<String>> =
        toml::from_str(DEFAULT_SECTION_ALIASES).expect("templates/section-aliases.toml is valid");
    let find = |sections: &[SectionSpec], name: &str| {
        let key = loose_key(name);
        sections
            .iter()
            .position(|s| !s.title_slot && loose_key(&s.text) == key)
    };
    let mut vocab: Vec<Vec<String>> = vec![Vec::new(); sections.len()];
    for (name, aliases) in &builtin {
        if let Some(si) = find(sections, name) {
            sections[si]
                .aliases
                .extend(aliases.iter().map(|a| loose_key(a)));
            vocab[si].extend(aliases.iter().flat_map(|a| name_words(a)));
        }
    }
    for (name, aliases) in &cfg.section_aliases {
        let Some(si) = find(sections, name) else {
            bail!(
                "key `section-aliases.{name:?}`: the template has no heading {name:?} (its headings: {})",
                sections
                    .iter()
                    .filter(|s| !s.title_slot)
                    .map(|s| s.text.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            );
        };
        sections[si]
            .aliases
            .extend(aliases.iter().map(|a| loose_key(a)));
        vocab[si].extend(aliases.iter().flat_map(|a| name_words(a)));
    }
    for (s, v) in sections.iter().zip(vocab.iter_mut()) {
        v.extend(name_words(&s.text));
        for line in &s.body {
            v.extend(name_words(line));
        }
    }
    for si in 0..sections.len() {
        let mut p = sections[si].parent;
        let own = name_words(&sections[si].text);
        while let Some(x) = p {
            vocab[x].extend(own.iter().cloned());
            p = sections[x].parent;
        }
    }
    for (s, mut v) in sections.iter_mut().zip(vocab) {
        v.sort();
        v.dedup();
        s.vocabulary = v;
    }
    Ok(())
}

/// The section whose links (three or more) all point at the template's sections.
fn find_toc(
    card: &Card,
    sections: &[SectionSpec],
    heading_to_section: &HashMap<usize, usize>,
) -> Option<Toc> {
    let mut by_section: Vec<Vec<Option<usize>>> = vec![Vec::new(); sections.len()];
    for l in &card.links {
        let Some(si) = l.section.and_then(|h| heading_to_section.get(&h).copied()) else {
            continue;
        };
        let target = card
            .link_dest(l)
            .strip_prefix('#')
            .and_then(|f| sections.iter().position(|s| s.slug == f));
        by_section[si].push(target);
    }
    let (section, links) = by_section
        .into_iter()
        .enumerate()
        .find(|(_, links)| links.len() >= 3 && links.iter().all(Option::is_some))?;
    Some(Toc {
        section,
        entries: links.into_iter().flatten().collect(),
    })
}

/// The template's lines under heading `hi` up to the next heading (or the footer),
/// without the blank lines and horizontal rules at either end.
fn section_body(card: &Card, hi: usize, footer_start: usize) -> Vec<String> {
    let h = &card.headings[hi];
    let end = card
        .headings
        .get(hi + 1)
        .map(|n| n.line)
        .unwrap_or(usize::MAX)
        .min(footer_start)
        .min(card.line_count() + 1);
    let mut lines: Vec<String> = (h.end_line + 1..end)
        .map(|l| card.line_text(l).trim_end().to_string())
        .collect();
    let is_frame = |l: &String| {
        let t: String = l.chars().filter(|c| !c.is_whitespace()).collect();
        t.is_empty()
            || t.len() >= 3
                && ["-", "*", "_"]
                    .iter()
                    .any(|m| t.chars().all(|c| c.to_string() == *m))
    };
    while lines.last().is_some_and(is_frame) {
        lines.pop();
    }
    while lines.first().is_some_and(|l| l.trim().is_empty()) {
        lines.remove(0);
    }
    lines
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
    let mut cells = Vec::new();
    for_each_cell(raw, |c| cells.push(c));
    cells
}

/// `split_row(raw).len()`, without building the list (every table row is counted).
pub fn count_cells(raw: &str) -> usize {
    let mut n = 0;
    for_each_cell(raw, |_| n += 1);
    n
}

/// Calls `f` with each cell of a raw table row, in order (see `split_row`).
fn for_each_cell<'r>(raw: &'r str, mut f: impl FnMut(&'r str)) {
    let t = raw.trim();
    let bytes = t.as_bytes();
    // A leading pipe opens the row rather than ending an empty first cell; a trailing
    // one (not escaped) closes it rather than opening an empty last cell.
    let skip_first = t.starts_with('|');
    let drop_last = t.len() > 1 && t.ends_with('|') && !t.ends_with("\\|");
    let mut first = true;
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 1,
            b'|' => {
                if !(first && skip_first) {
                    f(&t[start..i]);
                }
                first = false;
                start = i + 1;
            }
            _ => {}
        }
        i += 1;
    }
    // The cell after the last pipe: empty when the row ends with a closing pipe.
    if !(drop_last || first && skip_first) {
        f(&t[start.min(t.len())..]);
    }
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
            .list
            .iter()
            .any(|i| i.norm.starts_with("provide basic details about the model")));
        assert!(s
            .instructions
            .list
            .iter()
            .any(|i| i.norm.starts_with("example 3d u net")));
        assert!(!s
            .instructions
            .list
            .iter()
            .any(|i| i.norm.contains("this model card was created")));
        let mut scratch = MatchScratch::default();
        let near = "Provide basic details about the model including architecture, version, creators, and important disclaimers specific to your domain.";
        assert!(s.instructions.find(near, false, &mut scratch).is_some());
        let verbatim = "*Explain how this model can be fine-tuned or integrated into larger data analysis pipelines.*";
        assert!(s.instructions.find(verbatim, true, &mut scratch).is_some());
        let other = "We provide a U-Net for nuclei segmentation trained on 300 images.";
        assert!(s.instructions.find(other, false, &mut scratch).is_none());
        // Short texts need italics to count.
        assert!(s
            .instructions
            .find("Examples:", false, &mut scratch)
            .is_none());
        assert!(s
            .instructions
            .find("Examples:", true, &mut scratch)
            .is_some());
    }

    #[test]
    fn rows_split_like_gfm() {
        assert_eq!(split_row("| a | b |"), vec![" a ", " b "]);
        assert_eq!(split_row("a | b"), vec!["a ", " b"]);
        assert_eq!(split_row("| a \\| b | c |").len(), 2);
        assert_eq!(split_row("|---|---|---|").len(), 3);
        // Against the first way of splitting (all pieces, then the outer pipes'
        // empty pieces taken off), on every short row of these characters.
        fn reference(raw: &str) -> Vec<&str> {
            let t = raw.trim();
            let mut cells = Vec::new();
            let (bytes, mut start, mut i) = (t.as_bytes(), 0, 0);
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
        let alphabet = [' ', '|', '\\', 'a'];
        for len in 0..=7u32 {
            for code in 0..4usize.pow(len) {
                let row: String = (0..len)
                    .map(|k| alphabet[code / 4usize.pow(k) % 4])
                    .collect();
                assert_eq!(split_row(&row), reference(&row), "{row:?}");
                assert_eq!(count_cells(&row), reference(&row).len(), "{row:?}");
            }
        }
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
    fn sections_after_the_closing_rule_are_optional() {
        let spec = Spec::default_spec(&Config::default()).unwrap();
        let glossary = spec.sections.iter().find(|s| s.text == "Glossary").unwrap();
        assert!(glossary.optional);
        assert!(spec.sections.iter().filter(|s| s.optional).count() == 1);
        let cfg = Config {
            required_sections: vec!["Glossary".into()],
            ..Config::default()
        };
        let spec = Spec::default_spec(&cfg).unwrap();
        assert!(spec.sections.iter().all(|s| !s.optional));
        let cfg = Config {
            required_sections: vec!["Nope".into()],
            ..Config::default()
        };
        let e = Spec::default_spec(&cfg).unwrap_err().to_string();
        assert!(e.contains("required-sections"), "{e}");
    }

    #[test]
    fn template_without_headings_is_refused() {
        assert!(Spec::from_markdown("just text\n", "t", &Config::default()).is_err());
        assert!(Spec::from_markdown("", "t", &Config::default()).is_err());
    }
}
