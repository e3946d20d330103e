//! A card's map against the template: each heading with the section it is taken for,
//! each template section with its status (filled, only placeholders, empty, missing)
//! and its fields, and what `fix` would insert for a missing one. The same pairing
//! and facts the rules judge by, read by the faces that show a card as a whole: the
//! editor's outline and completions, and the hub-wide audit.

use super::{missing, Context, NoOracle};
use crate::card::Card;
use crate::config::Config;
use crate::template::Spec;
use serde::Serialize;

/// How far a template section is written in a card.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, PartialOrd, Ord, Hash)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Some text of the author's own (in it or in its subsections).
    Filled,
    /// Only placeholders or the template's own text.
    Placeholder,
    /// The heading and nothing under it.
    Empty,
    /// No heading stands for it.
    Missing,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Filled => "filled",
            Status::Placeholder => "placeholder",
            Status::Empty => "empty",
            Status::Missing => "missing",
        }
    }

    pub const ALL: [Status; 4] = [
        Status::Filled,
        Status::Placeholder,
        Status::Empty,
        Status::Missing,
    ];
}

/// One heading of the card.
#[derive(Debug, Clone)]
pub struct HeadingEntry {
    pub line: usize,
    pub end_line: usize,
    pub level: u8,
    pub text: String,
    /// GitHub's anchor for it.
    pub slug: String,
    /// The template section it is taken for, and how sure that is.
    pub section: Option<(usize, &'static str)>,
}

/// One template section, as the card has it.
#[derive(Debug, Clone)]
pub struct SectionEntry {
    pub status: Status,
    /// The card heading standing for it.
    pub heading: Option<usize>,
    /// Its own text (not its subsections') has no placeholder or template text left.
    pub clean: bool,
    /// Per template field: written in the section with a value of the author's own.
    /// `None`: the label is not in the section.
    pub fields: Vec<Option<bool>>,
    /// For a missing section: its heading and the template's text under it (and its
    /// missing subsections'), at the depth the card keeps its parent — what `fix`
    /// inserts.
    pub skeleton: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct CardMap {
    pub headings: Vec<HeadingEntry>,
    /// Per template section, in the template's order.
    pub sections: Vec<SectionEntry>,
}

impl CardMap {
    /// The card heading a (1-based) line sits under.
    pub fn heading_at(&self, line: usize) -> Option<usize> {
        self.headings.iter().rposition(|h| h.line <= line)
    }
}

/// Maps a card (decoded text) against the template.
pub fn map_card(spec: &Spec, cfg: &Config, text: &str) -> CardMap {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let card = Card::parse(text);
    let ctx = Context::new(spec, &card, cfg, "", &NoOracle);
    let filled = ctx.filled();
    let n = card.headings.len();
    // Placeholders or template text in a heading's own body or a subsection's.
    let mut unfilled_text = vec![false; n];
    for (bi, b) in card.blocks.iter().enumerate() {
        if let Some(s) = b.section.filter(|&s| s < n) {
            if b.kind != crate::card::BlockKind::Heading
                && (!ctx.facts.hits_of(bi).is_empty() || ctx.facts.template_text[bi].is_some())
            {
                unfilled_text[s] = true;
            }
        }
    }
    let own_clean: Vec<bool> = unfilled_text.iter().map(|u| !u).collect();
    for i in (0..n).rev() {
        if unfilled_text[i] {
            if let Some(p) = ctx.outline.logical_parent[i] {
                unfilled_text[p] = true;
            }
        }
    }
    let headings = card
        .headings
        .iter()
        .enumerate()
        .map(|(c, h)| HeadingEntry {
            line: h.line,
            end_line: h.end_line,
            level: h.level,
            text: card.heading_text(h).to_string(),
            slug: card.heading_slug(h).to_string(),
            section: ctx.outline.card_to_spec[c].map(|(si, k)| (si, k.confidence())),
        })
        .collect();
    let sections = spec
        .sections
        .iter()
        .enumerate()
        .map(|(si, s)| {
            let heading = ctx.outline.spec_to_card[si];
            let status = match heading {
                None => Status::Missing,
                Some(c) if filled[c] => Status::Filled,
                Some(c) if unfilled_text[c] => Status::Placeholder,
                Some(_) => Status::Empty,
            };
            let fields = s
                .fields
                .iter()
                .map(|f| {
                    let c = heading?;
                    let mut found = None;
                    for (bi, b) in card.blocks.iter().enumerate() {
                        if b.section != Some(c) {
                            continue;
                        }
                        let Some(at) = &ctx.facts.field[bi] else {
                            continue;
                        };
                        if f.accepted.contains(&at.key(card.block_text(b))) {
                            let written = ctx.facts.content[bi];
                            found = Some(found.unwrap_or(false) || written);
                        }
                    }
                    found
                })
                .collect();
            let mut skeleton = Vec::new();
            if heading.is_none() && !s.title_slot {
                missing::skeleton(&ctx, si, &mut skeleton);
            }
            SectionEntry {
                status,
                heading,
                clean: heading.is_some_and(|c| own_clean[c]),
                fields,
                skeleton,
            }
        })
        .collect();
    CardMap { headings, sections }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::test_support::spec_from;

    const T: &str = "# [Name]\n\n*Summary please*\n\n# Alpha\n\n*Describe alpha please.*\n\n- **Developed by:** *[Names]*\n- **License:** *[License]*\n\n## Alpha One\n\n*More about alpha one please.*\n\n# Beta\n\n*Describe beta please.*\n\n# Gamma\n\n*Describe gamma please.*\n";

    fn statuses(card: &str) -> Vec<(String, Status)> {
        let spec = spec_from(T);
        let m = map_card(&spec, &Config::default(), card);
        spec.sections
            .iter()
            .zip(&m.sections)
            .map(|(s, e)| (s.text.clone(), e.status))
            .collect()
    }

    #[test]
    fn each_section_gets_one_status() {
        let card = "# Seg\n\nA model.\n\n# Alpha\n\n- **Developed by:** Jo\n- **License:** *[License]*\n\n## Alpha One\n\n*More about alpha one please.*\n\n# Beta\n";
        let got = statuses(card);
        let st = |name: &str| got.iter().find(|(n, _)| n == name).unwrap().1;
        assert_eq!(st("Alpha"), Status::Filled);
        assert_eq!(st("Alpha One"), Status::Placeholder);
        assert_eq!(st("Beta"), Status::Empty);
        assert_eq!(st("Gamma"), Status::Missing);
        let spec = spec_from(T);
        let m = map_card(&spec, &Config::default(), card);
        let alpha = spec.section_by_text("Alpha").unwrap();
        assert_eq!(m.sections[alpha].fields, vec![Some(true), Some(false)]);
        let gamma = spec.section_by_text("Gamma").unwrap();
        assert_eq!(
            m.sections[gamma].skeleton,
            vec!["# Gamma", "", "*Describe gamma please.*", ""]
        );
        assert_eq!(
            m.heading_at(8).map(|h| m.headings[h].text.as_str()),
            Some("Alpha")
        );
    }

    #[test]
    fn the_unfilled_template_is_placeholders_throughout() {
        let got = statuses(T);
        assert!(
            got.iter().skip(1).all(|(_, s)| *s == Status::Placeholder),
            "{got:?}"
        );
    }
}
