//! What a pull request that changes the hub's settings (its config or template) would
//! do to the cards the hub already has: one line for the review's summary. The cards
//! are read as the review reads any card (the head commit's tree, then each card's
//! blob), judged by the base's settings and by the pull request's, and compared by
//! fingerprint. The pull request's settings are only read as data here: the review
//! itself is judged by the base's.

use super::client::Api;
use super::contents::{blob, TreeOracle};
use super::event::PullRequestRef;
use super::settings::{self, Settings, SettingsSource};
use crate::audit::change::{self, Side};
use crate::config::Globs;
use futures::StreamExt;

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
    let (base_side, head_side) = (side(base), side(&head));
    let Ok(globs) = Globs::for_repository(&base.cfg) else {
        return "The hub's cards could not be listed for this settings change.".into();
    };
    let mut cards: Vec<(String, String)> = tree
        .blobs
        .iter()
        .filter(|(p, _)| globs.matches(p))
        .cloned()
        .collect();
    cards.sort();
    if let Some(line) = change::over_cap(&base_side, &head_side, template_file_changed, cards.len())
    {
        return line;
    }
    let read: Vec<(String, Option<Vec<u8>>)> = futures::stream::iter(cards)
        .map(|(path, sha)| async move {
            let bytes = blob(api, &sha).await.ok();
            (path, bytes)
        })
        .buffered(CONCURRENT_FETCHES)
        .collect()
        .await;
    change::line(&base_side, &head_side, template_file_changed, &read, tree)
}

fn side(s: &Settings) -> Side<'_> {
    Side {
        spec: &s.spec,
        cfg: &s.cfg,
        template_path: s.template_path.as_deref(),
    }
}
