//! The pure heart of the GitHub side: from findings, changed lines and earlier
//! comments to a `ReviewPlan`, and the Markdown a maintainer reads.

pub mod markdown;
pub mod plan;

/// Why `publish` is gone, for anyone whose workflow still uses it.
pub const PUBLISH_REMOVED: &str = "publishing a saved plan is no longer supported: a plan comes from a run that a fork's pull request controls, so it must not decide what the bot posts or the check's conclusion. Nothing was posted. Run `review` in the trusted job instead (on workflow_run or pull_request_target): it reads the pull request through the API and judges the cards itself. See \"Pull requests from forks\" in https://github.com/ri-scale/modelcard-review/blob/main/docs/action.md#pull-requests-from-forks.";

/// The note the summary carries when a pull request changes the files that hold
/// the hub's settings: they judge it only once merged. One text for the bot and
/// the local preview.
pub fn settings_change_note(changed: &str, settings_files: &[&str]) -> Option<String> {
    settings_files.contains(&changed).then(|| {
        format!(
            "{} changes in this pull request; the new settings apply after merge (this review used the base branch's).",
            crate::text::code(changed)
        )
    })
}
