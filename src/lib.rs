//! modelcard-review: checks model cards against a hub's template, locally and on
//! pull requests.
//!
//! The core is pure: template → [`template::Spec`], card bytes → [`card::Card`],
//! rules → [`finding::Finding`]s. The GitHub side is an adapter around a pure review
//! planner.
//!
//! ```
//! use modelcard_review::{config::Config, rules::{check_text, NoOracle}, template::Spec};
//!
//! let cfg = Config::default();
//! let spec = Spec::default_spec(&cfg).unwrap(); // the built-in RI-SCALE template
//! let findings = check_text(&spec, &cfg, "models/x/README.md", "# [Model Name]\n\nTODO\n", &NoOracle);
//! assert!(findings.iter().any(|f| f.rule == "placeholder" && f.line == 1));
//! assert!(findings.iter().any(|f| f.rule == "missing-section"));
//! ```

#![forbid(unsafe_code)]

pub mod audit;
pub mod card;
pub mod check;
pub mod cli;
pub mod config;
pub mod diff;
pub mod files;
pub mod finding;
pub mod fix;
pub mod git;
#[cfg(feature = "github")]
pub mod github;
pub mod in_memory;
pub mod in_order;
pub mod instructions;
pub mod matcher;
pub mod metadata;
pub mod new_card;
pub mod preview;
pub mod registry;
pub mod report;
pub mod review;
pub mod rules;
pub mod server;
pub mod template;
pub mod text;
pub mod words;
pub mod yaml;

/// `println!` that hands a write error (a closed pipe: `| head`) back to the caller
/// instead of panicking; `main` ends quietly on a broken pipe, as ripgrep does.
#[macro_export]
macro_rules! outln {
    ($($t:tt)*) => {{
        use std::io::Write as _;
        writeln!(std::io::stdout().lock(), $($t)*)?;
    }};
}
