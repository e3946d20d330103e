//! modelcard-review: checks model cards against a hub's template, locally and on
//! pull requests.
//!
//! The core is pure: template → [`template::Spec`], card bytes → [`card::Card`],
//! rules → [`finding::Finding`]s. The GitHub side is an adapter around a pure review
//! planner.

pub mod card;
pub mod check;
pub mod cli;
pub mod config;
pub mod diff;
pub mod finding;
#[cfg(feature = "github")]
pub mod github;
pub mod matcher;
pub mod report;
pub mod review;
pub mod rules;
pub mod template;
pub mod text;
