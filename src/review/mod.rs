//! The pure heart of the GitHub side: from findings, changed lines and earlier
//! comments to a `ReviewPlan`, and the Markdown a maintainer reads.

pub mod markdown;
pub mod plan;
