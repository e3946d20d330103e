//! The rules: plain functions from (template spec, card) to findings. No rule does
//! I/O; the one that checks relative links asks a `LinkOracle` passed in.
//!
//! The rules' ids, default severities and docs live one layer down, in
//! `crate::registry`, so the configuration can validate rule ids without depending on
//! the rules themselves.

mod facts;
mod fields;
mod group;
mod links;
mod map;
mod metadata;
mod missing;
mod outline;
mod placeholders;
mod structure;
mod suppress;
mod tables;

pub use facts::Facts;
pub use map::{map_card, CardMap, HeadingEntry, SectionEntry, Status};
pub use outline::{MatchKind, Outline};

use crate::card::{decode, Card};
use crate::config::{Config, Level};
use crate::finding::{Draft, Finding, Severity};
use crate::template::Spec;

pub use crate::registry::{rule_info, RuleInfo, RULES};

/// Answers "does this file exist?" for relative links: the local disk for `check`,
/// the pull request's head tree for `review`.
pub trait LinkOracle {
    /// `path` is relative to the repository root, normalised, without `..`.
    /// `None`: cannot tell (the link is then not judged).
    fn exists(&self, path: &str) -> Option<bool>;

    /// The bytes of a file beside the card (its `rdf.yaml`), as the repository has it
    /// (disk, the pull request's head, the commit previewed), at most
    /// `yaml::MAX_BYTES` + 1 of them needed. `None`: absent, or not available here;
    /// the metadata rules then say nothing. `Err`: there but not readable (not a
    /// regular file, a link out of the repository), in words for a message.
    fn read(&self, _path: &str) -> Option<Result<Vec<u8>, String>> {
        None
    }
}

/// An oracle that cannot tell, for stdin and for tests that do not look at links.
pub struct NoOracle;
impl LinkOracle for NoOracle {
    fn exists(&self, _path: &str) -> Option<bool> {
        None
    }
}

/// What every rule gets.
pub struct Context<'a> {
    pub spec: &'a Spec,
    pub card: &'a Card<'a>,
    pub cfg: &'a Config,
    /// The card's path relative to the repository root, with `/` separators.
    pub path: &'a str,
    pub oracle: &'a dyn LinkOracle,
    pub outline: Outline,
    pub facts: Facts,
    /// The card has none of the template's sections and almost no text: one
    /// finding says so instead of one per section and field.
    pub empty_card: bool,
}

impl<'a> Context<'a> {
    /// The pairing and the per-block facts of a parsed card: what every rule reads.
    pub fn new(
        spec: &'a Spec,
        card: &'a Card<'a>,
        cfg: &'a Config,
        path: &'a str,
        oracle: &'a dyn LinkOracle,
    ) -> Context<'a> {
        let outline = Outline::build(spec, card);
        let facts = Facts::build(spec, card);
        let empty_card = is_empty_card(spec, &outline, &facts);
        Context {
            spec,
            card,
            cfg,
            path,
            oracle,
            outline,
            facts,
            empty_card,
        }
    }
    /// The name a finding gives the section a card heading opens: the template's
    /// heading when the card heading stands for one, else the card's own text.
    pub fn section_name(&self, card_heading: Option<usize>) -> Option<String> {
        let h = card_heading?;
        match self.outline.card_to_spec[h] {
            Some((si, _)) if !self.spec.sections[si].title_slot => {
                Some(self.spec.sections[si].text.clone())
            }
            _ => Some(self.card.heading_text(&self.card.headings[h]).to_string()),
        }
    }

    /// The template's instruction for a section, as a sentence a message ends with.
    pub fn quote_instruction(&self, si: usize) -> String {
        match &self.spec.sections[si].instruction {
            Some(i) => crate::finding::message!(
                " The template asks: “{}”",
                crate::text::ellipsize(i.trim_matches(|c| c == '*' || c == '_'), 160)
            ),
            None => String::new(),
        }
    }

    /// Per card heading: it or a subsection under it holds text of the author's own,
    /// code, an image or HTML (what `empty-section` counts as written, and the map).
    pub fn filled(&self) -> Vec<bool> {
        let card = self.card;
        let n = card.headings.len();
        let mut filled = vec![false; n];
        for (bi, b) in card.blocks.iter().enumerate() {
            if let Some(s) = b.section {
                if self.facts.content[bi] && s < n {
                    filled[s] = true;
                }
            }
        }
        for oc in &card.other_content {
            if let Some(s) = oc.section {
                if s < n {
                    filled[s] = true;
                }
            }
        }
        for i in (0..n).rev() {
            if filled[i] {
                if let Some(p) = self.outline.logical_parent[i] {
                    filled[p] = true;
                }
            }
        }
        filled
    }

    /// The heading as the card writes it, quoted for messages (a code span, so the
    /// card's text stays inert wherever the message is rendered): `## Model Description`.
    pub fn heading_display(&self, h: usize) -> String {
        let hd = &self.card.headings[h];
        crate::text::code(&crate::finding::message!(
            "{} {}",
            "#".repeat(hd.level as usize),
            self.card.heading_text(hd)
        ))
    }
}

/// How the card's headings pair with the template's sections, one line each (line,
/// heading, the section it is taken for and how sure that is): for people reviewing
/// the checker's judgement on real cards.
pub fn describe_outline(spec: &Spec, text: &str) -> String {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let card = Card::parse(text);
    Outline::build(spec, &card).describe(spec, &card)
}

/// One card, checked: its findings and how many its suppression comments silenced.
#[derive(Debug, Default)]
pub struct CardCheck {
    pub findings: Vec<Finding>,
    pub suppressed: usize,
}

/// Checks one card's bytes. `path` is repository-relative with `/` separators.
pub fn check_bytes(
    spec: &Spec,
    cfg: &Config,
    path: &str,
    bytes: &[u8],
    oracle: &dyn LinkOracle,
) -> Vec<Finding> {
    check_card_bytes(spec, cfg, path, bytes, oracle).findings
}

/// `check_bytes`, with the count of suppressed findings.
pub fn check_card_bytes(
    spec: &Spec,
    cfg: &Config,
    path: &str,
    bytes: &[u8],
    oracle: &dyn LinkOracle,
) -> CardCheck {
    match decode(bytes, cfg.max_file_size) {
        Ok(text) => check_card(spec, cfg, path, text, oracle),
        Err(why) => CardCheck {
            findings: unreadable_at(cfg, path, why.line(), why.explain(), &format!("{why:?}")),
            suppressed: 0,
        },
    }
}

/// The one finding for a file that could not be read as a card.
pub fn unreadable(cfg: &Config, path: &str, message: String, subject: &str) -> Vec<Finding> {
    unreadable_at(cfg, path, 1, message, subject)
}

/// The same, on the line where reading failed (a bad byte's).
pub fn unreadable_at(
    cfg: &Config,
    path: &str,
    line: usize,
    message: String,
    subject: &str,
) -> Vec<Finding> {
    finish(
        cfg,
        path,
        &mut [Draft::new("unreadable-file", line.max(1), message)
            .subject(subject)
            .column(1)],
    )
}

pub fn check_text(
    spec: &Spec,
    cfg: &Config,
    path: &str,
    text: &str,
    oracle: &dyn LinkOracle,
) -> Vec<Finding> {
    check_card(spec, cfg, path, text, oracle).findings
}

/// `check_text`, with the count of suppressed findings.
pub fn check_card(
    spec: &Spec,
    cfg: &Config,
    path: &str,
    text: &str,
    oracle: &dyn LinkOracle,
) -> CardCheck {
    check_card_as(spec, cfg, path, text, oracle, Grouping::ByCause)
}

/// Whether a section's template leftovers are one finding (what every reader gets)
/// or one per place (what the rules' own tests look at).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Grouping {
    ByCause,
    #[cfg_attr(not(test), allow(dead_code))]
    PerPlace,
}

fn check_card_as(
    spec: &Spec,
    cfg: &Config,
    path: &str,
    text: &str,
    oracle: &dyn LinkOracle,
    grouping: Grouping,
) -> CardCheck {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let card = Card::parse(text);
    let ctx = Context::new(spec, &card, cfg, path, oracle);
    // The drafts' list is kept per thread: an unfilled template's hundred and fifty
    // drafts made it grow and move several times per card.
    let mut drafts = SPARE_DRAFTS.take();
    let suppressions = suppress::Suppressions::read(&card, &mut drafts);
    structure::check(&ctx, &mut drafts);
    placeholders::check(&ctx, &mut drafts);
    fields::check(&ctx, &mut drafts);
    links::check(&ctx, &mut drafts);
    tables::check(&ctx, &mut drafts);
    metadata::check(&ctx, &mut drafts);
    let mut findings = finish(cfg, path, &mut drafts);
    drafts.clear();
    if drafts.capacity() <= MAX_SPARE_DRAFTS {
        SPARE_DRAFTS.set(drafts);
    }
    for f in &mut findings {
        if f.column == 0 {
            let text = card.line_text(f.line);
            f.column = text.chars().take_while(|c| c.is_whitespace()).count() + 1;
        }
    }
    let before = findings.len();
    findings.retain(|f| !suppressions.covers(f));
    let suppressed = before - findings.len();
    let findings = match grouping {
        Grouping::ByCause => group::by_cause(&ctx, findings),
        Grouping::PerPlace => findings,
    };
    CardCheck {
        suppressed,
        findings,
    }
}

/// No template section but the title, and at most one block of real text.
fn is_empty_card(spec: &Spec, outline: &Outline, facts: &Facts) -> bool {
    let sections = outline
        .card_to_spec
        .iter()
        .flatten()
        .filter(|(si, _)| !spec.sections[*si].title_slot)
        .count();
    sections == 0 && facts.content.iter().filter(|c| **c).count() <= 1
}

/// Drafts' lists longer than this (a huge card's) are freed, not kept.
const MAX_SPARE_DRAFTS: usize = 4096;

thread_local! {
    static SPARE_DRAFTS: std::cell::Cell<Vec<Draft>> = const { std::cell::Cell::new(Vec::new()) };
}

/// Attaches path and configured severity, drops rules switched off, and orders by
/// line (see `finding::fingerprints` for the findings' identities).
fn finish(cfg: &Config, path: &str, drafts: &mut [Draft]) -> Vec<Finding> {
    // Sorted as small keys, not as drafts: a draft is a dozen words, and moving drafts
    // around was most of the cost of ordering an unfilled template's 150 findings.
    // The draft's index ends each key, so ties keep the order the rules gave them.
    // What depends on the rule alone (its level, its place among the ids, which
    // orders findings on one line) is worked out once per rule, not once per finding.
    let path: std::sync::Arc<str> = path.into();
    let mut per_rule: Vec<(&'static str, Level, usize)> = Vec::with_capacity(RULES.len());
    let mut rule_facts = |rule: &'static str| {
        let at = per_rule.iter().position(|(r, ..)| *r == rule);
        let at = at.unwrap_or_else(|| {
            debug_assert!(rule_info(rule).is_some(), "{rule}");
            let rank = RULES.iter().filter(|r| r.id < rule).count();
            per_rule.push((rule, cfg.level(rule), rank));
            per_rule.len() - 1
        });
        (per_rule[at].1, per_rule[at].2)
    };
    let mut order: Vec<(usize, usize, usize, usize, Severity)> = Vec::with_capacity(drafts.len());
    for (i, d) in drafts.iter().enumerate() {
        if let (Level::On(sev), rank) = rule_facts(d.rule) {
            order.push((d.line, rank, d.end_line.max(d.line), i, sev));
        }
    }
    order.sort_unstable_by_key(|k| (k.0, k.1, k.2, k.3));
    order
        .into_iter()
        // Each draft is in `order` once, so each is taken once.
        .map(|(_, _, _, i, sev)| drafts[i].take_finding(&path, sev))
        .collect()
}

#[cfg(test)]
pub(crate) mod test_support {
    use super::*;

    pub fn spec_from(template: &str) -> Spec {
        Spec::from_markdown(template, "test", &Config::default()).unwrap()
    }

    /// The rules' findings one per place, before a section's leftovers are grouped.
    pub fn run(spec: &Spec, card: &str) -> Vec<Finding> {
        super::check_card_as(
            spec,
            &Config::default(),
            "models/x/README.md",
            card,
            &NoOracle,
            super::Grouping::PerPlace,
        )
        .findings
    }

    pub fn run_counted(spec: &Spec, card: &str) -> (Vec<Finding>, usize) {
        let c = super::check_card_as(
            spec,
            &Config::default(),
            "models/x/README.md",
            card,
            &NoOracle,
            super::Grouping::PerPlace,
        );
        (c.findings, c.suppressed)
    }

    pub fn only<'a>(findings: &'a [Finding], rule: &str) -> Vec<&'a Finding> {
        findings.iter().filter(|f| f.rule == rule).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::test_support::*;
    use crate::config::Config;

    #[test]
    fn a_thread_checks_each_card_afresh() {
        // The drafts' list and the card buffers are reused per thread: a card checked
        // after an unfilled template (a hundred findings) gets what a new thread gives.
        let spec = crate::template::Spec::default_spec(&Config::default()).unwrap();
        let small = "# Model\n\n## Model Details\n\nTODO\n";
        let on_new_thread = |text: &'static str| {
            let spec = crate::template::Spec::default_spec(&Config::default()).unwrap();
            std::thread::spawn(move || run(&spec, text)).join().unwrap()
        };
        let fresh = on_new_thread(small);
        let template = run(&spec, crate::template::DEFAULT_TEMPLATE);
        assert!(template.len() > 100, "{}", template.len());
        assert_eq!(run(&spec, small), fresh);
        assert_eq!(run(&spec, crate::template::DEFAULT_TEMPLATE), template);
    }

    #[test]
    fn repeated_findings_get_numbered_fingerprints() {
        // The same placeholder twice in one section: one identity each, so a review
        // can tell them apart (`…-2` for the second), and the first keeps the plain one.
        let s = spec_from("# [Name]\n\n# Details\n\nSome text.\n");
        let f = run(&s, "# M\n\n# Details\n\nTODO\n\nTODO\n\nTBD\n");
        let fps: Vec<String> = crate::finding::fingerprints(&f)
            .iter()
            .zip(&f)
            .filter(|(_, x)| x.rule == "placeholder")
            .map(|(fp, _)| fp.to_string())
            .collect();
        assert_eq!(fps.len(), 3, "{f:#?}");
        assert_eq!(fps[0].len(), 16, "{fps:?}");
        assert_eq!(fps[1], format!("{}-2", fps[0]));
        assert_eq!(fps[2].len(), 16, "{fps:?}");
        assert_ne!(fps[2], fps[0]);
    }
}
