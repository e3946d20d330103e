//! The pure heart of the GitHub side: from findings, changed lines and earlier
//! comments to a `ReviewPlan`, and the Markdown a maintainer reads.

pub mod markdown;
pub mod plan;

/// Why `publish` is gone, for anyone whose workflow still uses it.
pub const PUBLISH_REMOVED: &str = "publishing a saved plan is no longer supported: a plan comes from a run that a fork's pull request controls, so it must not decide what the bot posts or the check's conclusion. Nothing was posted. Run `review` in the trusted job instead (on workflow_run or pull_request_target): it reads the pull request through the API and judges the cards itself. See the README, \"Pull requests from forks\".";
