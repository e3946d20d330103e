//! `review`: the pull request review, in GitHub Actions (the `github` feature) or as a
//! local preview against a git base (`--dry-run --base REF`, any build).

use super::CommonArgs;
#[cfg(feature = "github")]
use anyhow::Context;
use anyhow::Result;
use clap::Args;
use std::path::PathBuf;

#[derive(Args, Debug)]
pub struct ReviewArgs {
    #[command(flatten)]
    pub common: CommonArgs,
    /// review (default), annotations (no writes), plan (write the plan as JSON; no writes).
    #[arg(long, value_name = "MODE")]
    pub mode: Option<String>,
    /// Inline comments per run at most (INPUT_MAX_COMMENTS; default: config, else 30).
    #[arg(long, value_name = "N")]
    pub max_comments: Option<String>,
    /// Print the summary and the inline comments the bot would post; post nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Where `--mode plan` writes the plan (default: INPUT_PLAN, else modelcard-review-plan.json).
    #[arg(long, value_name = "FILE")]
    pub plan_out: Option<PathBuf>,
    /// Globs of card paths, overriding the config (INPUT_PATHS: comma- or newline-separated).
    #[arg(long, value_name = "GLOB")]
    pub paths: Vec<String>,
    /// Also write every finding of the changed cards as SARIF (INPUT_SARIF).
    #[arg(long, value_name = "FILE")]
    pub sarif: Option<PathBuf>,
    /// Preview locally, with `--dry-run`: review what `git diff REF...HEAD` changes, with
    /// the settings at REF; no token, no event, nothing posted.
    #[arg(long, value_name = "REF")]
    pub base: Option<String>,
    #[command(flatten)]
    pub event: EventArgs,
}

/// Where the triggering event comes from, when not from GitHub's variables.
#[derive(Args, Debug)]
pub struct EventArgs {
    /// Event payload file (default: GITHUB_EVENT_PATH).
    #[arg(long, value_name = "FILE")]
    pub event: Option<PathBuf>,
    /// Event name (default: GITHUB_EVENT_NAME, else pull_request).
    #[arg(long, value_name = "NAME")]
    pub event_name: Option<String>,
}

impl EventArgs {
    /// GitHub's environment, with the command line's event taking precedence.
    #[cfg(feature = "github")]
    fn action_env(&self) -> crate::github::ActionEnv {
        let mut env = crate::github::ActionEnv::from_env();
        if let Some(e) = &self.event {
            env.event_path = Some(e.clone());
        }
        if let Some(n) = &self.event_name {
            env.event_name = n.clone();
        }
        env
    }
}

#[derive(Args, Debug)]
pub struct PublishArgs {
    /// Accepted so that old workflows get a clear message.
    #[arg(long, value_name = "FILE")]
    pub plan: Option<PathBuf>,
    #[command(flatten)]
    pub event: EventArgs,
}

/// Action inputs fill what the command line leaves open.
#[cfg(feature = "github")]
fn common_from_inputs(mut c: CommonArgs) -> CommonArgs {
    use crate::github::input;
    if c.template.is_none() {
        c.template = input("template").map(PathBuf::from);
    }
    if c.config.is_none() {
        c.config = input("config").map(PathBuf::from);
    }
    if c.fail_on.is_none() {
        c.fail_on = input("fail_on");
    }
    c
}

#[cfg(feature = "github")]
fn runtime() -> Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .context("cannot start the async runtime")
}

/// `review`: a local preview with `--base`, else the pull request in GitHub Actions.
pub fn run_review(args: ReviewArgs) -> Result<i32> {
    if let Some(base) = &args.base {
        if !args.dry_run {
            anyhow::bail!("--base previews the review locally and posts nothing: add --dry-run");
        }
        let mut overrides = args.common.overrides();
        overrides.paths = args.paths.clone();
        overrides.max_comments = args.max_comments.clone();
        let path_text = |p: &PathBuf| p.to_string_lossy().replace('\\', "/");
        let source = crate::preview::Source {
            config: args.common.config.as_ref().map(path_text),
            template: args.common.template.as_ref().map(path_text),
        };
        return crate::preview::run(base, &source, &overrides);
    }
    #[cfg(feature = "github")]
    return github_review(args);
    #[cfg(not(feature = "github"))]
    anyhow::bail!(
        "this build of modelcard-review has no GitHub client (the `github` feature). Preview a review locally with `modelcard-review review --dry-run --base REF` in a git checkout; in GitHub Actions use the released action or build with `--features github`."
    )
}

/// The settings are the base commit's, read through the API; `--config` and
/// `--template` (and the `config`/`template` inputs) are repository paths there.
#[cfg(feature = "github")]
fn github_review(args: ReviewArgs) -> Result<i32> {
    use crate::github::{input, run, settings::SettingsSource, Mode, ReviewOptions};
    let common = common_from_inputs(args.common.clone());
    let mut overrides = common.overrides();
    overrides.paths = args.paths.clone();
    if overrides.paths.is_empty() {
        if let Some(p) = input("paths") {
            overrides.paths = p
                .split([',', '\n'])
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
                .collect();
        }
    }
    overrides.max_comments = args.max_comments.clone().or_else(|| input("max_comments"));
    let mode_name = args
        .mode
        .clone()
        .or_else(|| input("mode"))
        .unwrap_or_default();
    let mode = Mode::parse(&mode_name)?;
    let env = args.event.action_env();
    let path_text = |p: &PathBuf| p.to_string_lossy().replace('\\', "/");
    let opts = ReviewOptions {
        mode,
        dry_run: args.dry_run,
        plan_path: args
            .plan_out
            .clone()
            .or_else(|| input("plan").map(PathBuf::from)),
        sarif_path: args
            .sarif
            .clone()
            .or_else(|| input("sarif").map(PathBuf::from)),
        settings: SettingsSource {
            config: common.config.as_ref().map(path_text),
            template: common.template.as_ref().map(path_text),
            overrides,
        },
    };
    runtime()?.block_on(run(&env, &opts))
}

/// `publish` is gone: a plan from a fork's run must not decide what is posted.
pub fn run_publish(_args: PublishArgs) -> Result<i32> {
    anyhow::bail!("{}", crate::review::PUBLISH_REMOVED)
}
