//! `modelcard-review audit`: the whole hub at once. Per card, `check`'s counts and how
//! far each template section is written (the card map the editor reads too); per
//! section, how many cards fill it; per rule, how often it fires; a trend over the
//! history, and what a template change would do to every card. This module is the
//! pure part: from checked cards to the report. Reading and checking the cards
//! lives in `run`, git in `history`, the page in `page`; the command in `cli::audit`.

pub mod change;
pub mod history;
pub mod page;
pub mod run;

use crate::finding::{fingerprints, Counts, Finding, RuleGroup};
use crate::rules::{CardMap, Status};
use crate::template::Spec;
use serde::Serialize;
use std::collections::{BTreeMap, HashSet};

/// The report's version: its keys are a contract (`schemas/audit-output.v1.schema.json`).
pub const VERSION: u32 = 1;

/// One card, audited.
#[derive(Debug, Clone, Serialize)]
pub struct CardEntry {
    pub path: String,
    /// Where the card can be read: its page on the repository's host, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    pub errors: usize,
    pub warnings: usize,
    pub notices: usize,
    /// Share of the template's required sections and fields written with text of the
    /// author's own (no placeholder, no template text), 0 to 1.
    pub completeness: f64,
    /// Per template section of the report, in its order.
    pub sections: Vec<SectionStatus>,
    #[serde(skip)]
    pub by_rule: Vec<(&'static str, usize)>,
    /// The card's findings grouped by rule, for the page's row that opens them.
    #[serde(skip)]
    pub groups: Vec<RuleGroup>,
}

/// A card's findings grouped by rule (the same grouping as the bot's summary).
pub fn groups(findings: &[Finding]) -> Vec<RuleGroup> {
    crate::finding::group_by_rule(findings.iter().map(crate::finding::GroupInput::of))
}

#[derive(Debug, Clone, Serialize)]
pub struct SectionStatus {
    pub section: String,
    pub status: Status,
}

#[derive(Debug, Clone, Serialize)]
pub struct SectionEntry {
    pub name: String,
    pub level: u8,
    pub required: bool,
    /// Share of cards where it is `filled`.
    pub fill_rate: f64,
    pub filled: usize,
    pub placeholder: usize,
    pub empty: usize,
    pub missing: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct RuleEntry {
    pub rule: &'static str,
    pub findings: usize,
    /// Cards with at least one.
    pub cards: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct HubTotals {
    pub cards: usize,
    pub errors: usize,
    pub warnings: usize,
    pub notices: usize,
    /// Cards with no error and no warning.
    pub passing: usize,
    pub mean_completeness: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct HistoryPoint {
    pub commit: String,
    /// The commit's date (committer, ISO 8601).
    pub date: String,
    pub cards: usize,
    pub mean_completeness: f64,
    pub errors: usize,
}

/// A finding a card would gain.
#[derive(Debug, Clone, Serialize)]
pub struct NewFinding {
    pub rule: &'static str,
    pub severity: &'static str,
    pub line: usize,
    pub message: String,
    pub section: Option<String>,
    pub field: Option<String>,
    pub fingerprint: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ImpactCard {
    pub path: String,
    pub new: Vec<NewFinding>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Impact {
    pub template: String,
    pub cards_affected: usize,
    pub new_findings: usize,
    pub by_rule: BTreeMap<&'static str, usize>,
    pub cards: Vec<ImpactCard>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub version: u32,
    pub template: String,
    /// The commit audited, when the hub is a git repository.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub commit: Option<String>,
    pub hub: HubTotals,
    pub cards: Vec<CardEntry>,
    pub sections: Vec<SectionEntry>,
    pub rules: Vec<RuleEntry>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub history: Option<Vec<HistoryPoint>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub impact: Option<Impact>,
}

/// How many of the template's required sections and fields the card writes with
/// text of its own, as a share. A section counts when its status is `filled` and
/// its own text has no placeholder or template text left; a field when its value is
/// the author's. Optional sections and the title are not counted.
pub fn completeness(spec: &Spec, map: &CardMap) -> f64 {
    let (mut have, mut want) = (0usize, 0usize);
    for (si, s) in spec.sections.iter().enumerate() {
        if s.title_slot || !spec.is_required(si) {
            continue;
        }
        let e = &map.sections[si];
        want += 1 + s.fields.len();
        if e.status == Status::Filled && e.clean {
            have += 1;
        }
        have += e.fields.iter().filter(|f| **f == Some(true)).count();
    }
    if want == 0 {
        1.0
    } else {
        round3(have as f64 / want as f64)
    }
}

fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

/// One card's entry: its findings (as `check` reports them) and, when it could be
/// read, its map under its own template. `columns` are the report's section names;
/// a card judged by another template is matched to them by name.
pub fn card_entry(
    path: String,
    url: Option<String>,
    findings: &[Finding],
    judged_by: &Spec,
    map: Option<&CardMap>,
    columns: &[String],
) -> CardEntry {
    let counts = Counts::of(findings);
    let mut by_rule: Vec<(&'static str, usize)> = Vec::new();
    for f in findings {
        match by_rule.iter_mut().find(|(r, _)| *r == f.rule) {
            Some(x) => x.1 += 1,
            None => by_rule.push((f.rule, 1)),
        }
    }
    let sections = columns
        .iter()
        .map(|name| {
            let status = map
                .and_then(|m| {
                    let si = judged_by.sections.iter().position(|s| &s.text == name)?;
                    Some(m.sections[si].status)
                })
                .unwrap_or(Status::Missing);
            SectionStatus {
                section: name.clone(),
                status,
            }
        })
        .collect();
    CardEntry {
        path,
        url,
        errors: counts.errors,
        warnings: counts.warnings,
        notices: counts.notices,
        completeness: map.map_or(0.0, |m| completeness(judged_by, m)),
        sections,
        by_rule,
        groups: groups(findings),
    }
}

/// The report's columns: the template's sections but the title, with their index.
fn column_sections(spec: &Spec) -> impl Iterator<Item = (usize, &crate::template::SectionSpec)> {
    spec.sections
        .iter()
        .enumerate()
        .filter(|(_, s)| !s.title_slot)
}

/// The report's columns' names.
pub fn columns(spec: &Spec) -> Vec<String> {
    column_sections(spec).map(|(_, s)| s.text.clone()).collect()
}

/// The hub's report from its cards' entries.
pub fn report(spec: &Spec, commit: Option<String>, cards: Vec<CardEntry>) -> Report {
    let n = cards.len();
    let sections = column_sections(spec)
        .enumerate()
        .map(|(k, (si, s))| {
            let count = |st: Status| cards.iter().filter(|c| c.sections[k].status == st).count();
            let filled = count(Status::Filled);
            SectionEntry {
                name: s.text.clone(),
                level: s.level,
                required: spec.is_required(si),
                fill_rate: if n == 0 {
                    0.0
                } else {
                    round3(filled as f64 / n as f64)
                },
                filled,
                placeholder: count(Status::Placeholder),
                empty: count(Status::Empty),
                missing: count(Status::Missing),
            }
        })
        .collect();
    let mut rules: BTreeMap<&'static str, (usize, usize)> = BTreeMap::new();
    for c in &cards {
        for (r, k) in &c.by_rule {
            let e = rules.entry(r).or_default();
            e.0 += k;
            e.1 += 1;
        }
    }
    let mut rules: Vec<RuleEntry> = rules
        .into_iter()
        .map(|(rule, (findings, cards))| RuleEntry {
            rule,
            findings,
            cards,
        })
        .collect();
    rules.sort_by(|a, b| b.findings.cmp(&a.findings).then(a.rule.cmp(b.rule)));
    let hub = HubTotals {
        cards: n,
        errors: cards.iter().map(|c| c.errors).sum(),
        warnings: cards.iter().map(|c| c.warnings).sum(),
        notices: cards.iter().map(|c| c.notices).sum(),
        passing: cards
            .iter()
            .filter(|c| c.errors == 0 && c.warnings == 0)
            .count(),
        mean_completeness: mean(cards.iter().map(|c| c.completeness)),
    };
    Report {
        version: VERSION,
        template: spec.name.clone(),
        commit,
        hub,
        cards,
        sections,
        rules,
        history: None,
        impact: None,
    }
}

pub fn mean(xs: impl Iterator<Item = f64>) -> f64 {
    let (sum, n) = xs.fold((0.0, 0usize), |(s, n), x| (s + x, n + 1));
    if n == 0 {
        0.0
    } else {
        round3(sum / n as f64)
    }
}

/// The sections another template renames, as (new name, old name): the old
/// template, read as a card written for it, paired with the new template's sections
/// as any card's outline is paired (same words, an alias, a likely slot) — the
/// pairing the cards themselves will get.
pub fn section_renames(
    old: &Spec,
    new: &Spec,
    cfg: &crate::config::Config,
) -> Vec<(String, String)> {
    // Each heading with the template's text under it, so a renamed heading whose
    // words changed is still known by what it asks for.
    let as_card: String = old
        .sections
        .iter()
        .map(|s| format!("{}\n\n{}\n\n", s.heading_line(), s.body.join("\n")))
        .collect();
    let map = crate::rules::map_card(new, cfg, &as_card);
    if map.headings.len() != old.sections.len() {
        return Vec::new();
    }
    map.headings
        .iter()
        .zip(&old.sections)
        .filter_map(|(h, was)| {
            let (ni, _) = h.section?;
            let now = &new.sections[ni].text;
            (*now != was.text).then(|| (now.clone(), was.text.clone()))
        })
        .collect()
}

/// The findings a card would gain under another template: those whose identity
/// (fingerprint: rule, section, field, subject — never the line) it does not have
/// today. A section the new template renames (`renames`, new → old name) counts
/// under its old name, so a finding the card already has there is not new.
pub fn new_findings(
    today: &[Finding],
    under_new: &[Finding],
    renames: &[(String, String)],
) -> Vec<NewFinding> {
    let have: HashSet<_> = fingerprints(today).into_iter().collect();
    let old_name = |name: &str| {
        renames
            .iter()
            .find(|(new, _)| new == name)
            .map(|(_, old)| old.clone())
    };
    let as_before: Vec<Finding> = under_new
        .iter()
        .map(|f| {
            let mut f = f.clone();
            if let Some(old) = f.section.as_deref().and_then(old_name) {
                f.section = Some(old);
            }
            if let Some(old) = old_name(&f.subject) {
                f.subject = old;
            } else if let Some(old) = f.subject.strip_prefix("subsections of ").and_then(old_name) {
                f.subject = format!("subsections of {old}");
            }
            f
        })
        .collect();
    under_new
        .iter()
        .zip(fingerprints(&as_before))
        .filter(|(_, fp)| !have.contains(fp))
        .map(|(f, fp)| NewFinding {
            rule: f.rule,
            severity: f.severity.as_str(),
            line: f.line,
            message: f.message.clone(),
            section: f.section.clone(),
            field: f.field.clone(),
            fingerprint: fp.to_string(),
        })
        .collect()
}

/// The impact of a template change over the hub: cards with what each would gain.
pub fn impact(template: String, per_card: Vec<ImpactCard>) -> Impact {
    let mut by_rule = BTreeMap::new();
    for c in &per_card {
        for f in &c.new {
            *by_rule.entry(f.rule).or_insert(0) += 1;
        }
    }
    let cards: Vec<ImpactCard> = per_card.into_iter().filter(|c| !c.new.is_empty()).collect();
    Impact {
        template,
        cards_affected: cards.len(),
        new_findings: cards.iter().map(|c| c.new.len()).sum(),
        by_rule,
        cards,
    }
}

/// One line on a settings change's impact: "With this template, 37 of 212 cards would
/// gain 95 findings (missing-section ×74, …)." `with`: what changes ("this template").
pub fn impact_line(impact: &Impact, cards_read: usize, with: &str) -> String {
    if impact.new_findings == 0 {
        return format!("With {with}, none of the {cards_read} cards would gain a finding.");
    }
    let mut rules: Vec<(&&str, &usize)> = impact.by_rule.iter().collect();
    rules.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    let shown: Vec<String> = rules
        .iter()
        .take(4)
        .map(|(r, n)| format!("{r} ×{n}"))
        .collect();
    let more = if rules.len() > 4 { ", …" } else { "" };
    format!(
        "With {with}, {} of {} cards would gain {} finding{} ({}{more}).",
        impact.cards_affected,
        cards_read,
        impact.new_findings,
        if impact.new_findings == 1 { "" } else { "s" },
        shown.join(", ")
    )
}
#[cfg(test)]
mod rename_tests {
    #[test]
    fn a_renamed_section_is_paired_with_its_old_name() {
        let cfg = crate::config::Config::default();
        let old = crate::template::Spec::default_spec(&cfg).unwrap();
        let text = crate::template::DEFAULT_TEMPLATE.replacen(
            "## Recommendations\n",
            "## Recommendations for Users\n",
            1,
        );
        let new = crate::template::Spec::from_markdown(&text, "t", &cfg).unwrap();
        assert_eq!(
            super::section_renames(&old, &new, &cfg),
            vec![(
                "Recommendations for Users".to_string(),
                "Recommendations".to_string()
            )]
        );
    }
}
