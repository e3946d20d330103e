//! A pull request that changes the hub's settings: what the pull request's config and
//! template would do to the cards the hub already has, in one line for the review's
//! summary. Pure: the GitHub adapter and the local preview read the cards (each its
//! own way) and hand them in.

use super::{impact, impact_line, new_findings, ImpactCard};
use crate::config::Config;
use crate::rules::{check_card_bytes, LinkOracle};
use crate::template::Spec;
use crate::text::code;

/// Cards read at most for the line; a larger hub is the nightly audit's to measure.
const MAX_IMPACT_CARDS: usize = 200;

/// One side's settings.
pub struct Side<'a> {
    pub spec: &'a Spec,
    pub cfg: &'a Config,
    /// The template's repository path (None: the built-in one).
    pub template_path: Option<&'a str>,
}

/// The template changes when its file does, or when the config names another one.
fn template_changed(base: &Side, head: &Side, template_file_changed: bool) -> bool {
    template_file_changed || head.template_path != base.template_path
}

/// Where the reader finds the whole list.
fn hint(head: &Side, template_changed: bool) -> String {
    match head.template_path {
        Some(t) if template_changed => format!(
            "run {} on this branch for the list",
            code(&format!("modelcard-review audit --against-template {t}"))
        ),
        _ => format!(
            "run {} on this branch for the numbers",
            code("modelcard-review audit")
        ),
    }
}

/// The line for a hub of `total` cards when that is more than a review reads (None:
/// read them and call `line`).
pub fn over_cap(
    base: &Side,
    head: &Side,
    template_file_changed: bool,
    total: usize,
) -> Option<String> {
    if total <= MAX_IMPACT_CARDS {
        return None;
    }
    let hint = hint(head, template_changed(base, head, template_file_changed));
    Some(format!(
        "This pull request changes the hub's settings; the hub has {total} cards, more than the {MAX_IMPACT_CARDS} a review reads, so the nightly audit has the numbers ({hint})."
    ))
}

/// The line: each card (its bytes, None when it could not be read) judged by the
/// base's settings and by the pull request's, compared by fingerprint.
pub fn line(
    base: &Side,
    head: &Side,
    template_file_changed: bool,
    cards: &[(String, Option<Vec<u8>>)],
    oracle: &dyn LinkOracle,
) -> String {
    let template_changed = template_changed(base, head, template_file_changed);
    let hint = hint(head, template_changed);
    if cards.is_empty() {
        return format!("The hub has no cards yet to judge this settings change by; {hint}.");
    }
    let renames = super::section_renames(base.spec, head.spec, head.cfg);
    let mut unread = 0;
    let mut per_card = Vec::new();
    for (path, bytes) in cards {
        let Some(bytes) = bytes else {
            unread += 1;
            continue;
        };
        let today = check_card_bytes(base.spec, base.cfg, path, bytes, oracle).findings;
        let then = check_card_bytes(head.spec, head.cfg, path, bytes, oracle).findings;
        per_card.push(ImpactCard {
            path: path.clone(),
            new: new_findings(&today, &then, &renames),
        });
    }
    let n = per_card.len();
    let with = if template_changed {
        "this template"
    } else {
        "this pull request's settings"
    };
    let mut line = impact_line(&impact(String::new(), per_card), n, with);
    line.pop(); // the full stop
    if unread > 0 {
        line.push_str(&format!(" ({unread} more could not be read)"));
    }
    format!("{line}; {hint}.")
}
