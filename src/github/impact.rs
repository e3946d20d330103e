//! What a pull request that changes the hub's settings (its config or template) would
//! do to the cards the hub already has: one line for the review's summary. The cards
//! are read as the review reads any card (the head commit's tree, then each card's
//! blob), judged by the base's settings and by the pull request's, and compared by
//! fingerprint. The pull request's settings are only read as data here: the review
//! itself is judged by the base's.

use super::client::Api;
use super::event::PullRequestRef;
use super::pr::{blob, TreeOracle};
use super::settings::{self, Settings, SettingsSource};
use crate::audit::{self, ImpactCard};
use crate::check::Globs;
use crate::rules::check_card_bytes;
use crate::text::code;
use futures::StreamExt;

/// Cards read at most for the line; a larger hub is the nightly audit's to measure.
pub const MAX_IMPACT_CARDS: usize = 200;
const CONCURRENT_FETCHES: usize = 4;

/// The summary's line on the settings change's impact on the hub's existing cards.
pub async fn of_settings(
    api: &Api,
    pr: &PullRequestRef,
    base: &Settings,
    source: &SettingsSource,
    tree: &TreeOracle,
    template_file_changed: bool,
) -> String {
    let head = match settings::load(api, &pr.head_sha, source).await {
        Ok(s) => s,
        Err(e) => {
            return format!(
                "With this pull request's settings, no card could be judged: {e}. Fix that before merging."
            )
        }
    };
    let template_changed = template_file_changed || head.template_path != base.template_path;
    let hint = match &head.template_path {
        Some(t) if template_changed => format!(
            "run {} on this branch for the list",
            code(&format!("modelcard-review audit --against-template {t}"))
        ),
        _ => format!(
            "run {} on this branch for the numbers",
            code("modelcard-review audit")
        ),
    };
    let Ok(globs) = Globs::for_repository(&base.cfg) else {
        return format!("The hub's cards could not be listed for this settings change; {hint}.");
    };
    let mut cards: Vec<(String, String)> = tree
        .blobs
        .iter()
        .filter(|(p, _)| globs.matches(p))
        .cloned()
        .collect();
    cards.sort();
    if cards.is_empty() {
        return format!("The hub has no cards yet to judge this settings change by; {hint}.");
    }
    if cards.len() > MAX_IMPACT_CARDS {
        return format!(
            "This pull request changes the hub's settings; the hub has {} cards, more than the {MAX_IMPACT_CARDS} a review reads, so the nightly audit has the numbers ({hint}).",
            cards.len()
        );
    }
    let read: Vec<(String, Result<Vec<u8>, String>)> = futures::stream::iter(cards)
        .map(|(path, sha)| async move {
            let bytes = blob(api, &sha).await;
            (path, bytes)
        })
        .buffered(CONCURRENT_FETCHES)
        .collect()
        .await;
    let mut unread = 0;
    let mut per_card = Vec::new();
    for (path, bytes) in &read {
        let Ok(bytes) = bytes else {
            unread += 1;
            continue;
        };
        let today = check_card_bytes(&base.spec, &base.cfg, path, bytes, tree).findings;
        let then = check_card_bytes(&head.spec, &head.cfg, path, bytes, tree).findings;
        per_card.push(ImpactCard {
            path: path.clone(),
            new: audit::new_findings(&today, &then),
        });
    }
    let n = per_card.len();
    let with = if template_changed {
        "this template"
    } else {
        "this pull request's settings"
    };
    let impact = audit::impact(String::new(), per_card);
    let mut line = audit::impact_line(&impact, n, with);
    line.pop(); // the full stop
    if unread > 0 {
        line.push_str(&format!(" ({unread} more could not be read)"));
    }
    format!("{line}; {hint}.")
}
