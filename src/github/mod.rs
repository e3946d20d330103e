//! The GitHub side: a thin adapter around the pure review planner. It reads the event
//! and the pull request through the API, plans, and publishes — or, without write
//! access, leaves annotations, the job summary and the exit status.

pub mod client;
pub mod contents;
pub mod event;
mod impact;
pub mod pr;
pub mod publish;
pub mod settings;

use crate::finding::Severity;
use crate::report::annotations::{escape_data, escape_property};
use crate::review::markdown;
use crate::review::plan::{build_plan, PlanInput, ReviewPlan};
use anyhow::{Context, Result};
use client::{Api, RetryPolicy};
use event::{Event, PullRequestRef};
use settings::{SettingsError, SettingsSource};
use std::io::Write;
use std::path::PathBuf;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Plan and publish (the default).
    Review,
    /// Plan, then only annotations, job summary and exit status (no writes).
    Annotations,
    /// Plan and write it as JSON, a preview for tooling (no writes).
    Plan,
}

pub use crate::review::PUBLISH_REMOVED;

impl Mode {
    pub fn parse(s: &str) -> Result<Mode> {
        match s.trim() {
            "" | "review" => Ok(Mode::Review),
            "annotations" => Ok(Mode::Annotations),
            "plan" => Ok(Mode::Plan),
            "publish" => anyhow::bail!("mode `publish`: {PUBLISH_REMOVED}"),
            other => anyhow::bail!("mode {other:?}: use review, annotations or plan"),
        }
    }
}

/// What GitHub Actions gives the program, gathered in one place.
#[derive(Debug, Clone, Default)]
pub struct ActionEnv {
    pub token: Option<String>,
    pub api_url: String,
    pub server_url: String,
    pub event_path: Option<PathBuf>,
    pub event_name: String,
    pub repository: Option<String>,
    pub run_key: String,
    pub step_summary: Option<PathBuf>,
    pub output: Option<PathBuf>,
}

/// An action input: `INPUT_<NAME>`, empty meaning unset (GitHub passes every input).
pub fn input(name: &str) -> Option<String> {
    std::env::var(format!("INPUT_{}", name.to_ascii_uppercase()))
        .ok()
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
}

impl ActionEnv {
    pub fn from_env() -> ActionEnv {
        let var = |k: &str| std::env::var(k).ok().filter(|v| !v.trim().is_empty());
        ActionEnv {
            token: input("github_token").or_else(|| var("GITHUB_TOKEN")),
            api_url: var("GITHUB_API_URL").unwrap_or_else(|| "https://api.github.com".into()),
            server_url: var("GITHUB_SERVER_URL").unwrap_or_else(|| "https://github.com".into()),
            event_path: var("GITHUB_EVENT_PATH").map(PathBuf::from),
            event_name: var("GITHUB_EVENT_NAME").unwrap_or_else(|| "pull_request".into()),
            repository: var("GITHUB_REPOSITORY"),
            run_key: format!(
                "{}-{}",
                var("GITHUB_RUN_ID").unwrap_or_else(|| std::process::id().to_string()),
                var("GITHUB_RUN_ATTEMPT").unwrap_or_else(|| "1".into())
            ),
            step_summary: var("GITHUB_STEP_SUMMARY").map(PathBuf::from),
            output: var("GITHUB_OUTPUT").map(PathBuf::from),
        }
    }

    fn api(&self, repository: &str) -> Result<Api> {
        let token = self.token.as_deref().context(
            "no GitHub token: pass `github_token` to the action (default ${{ github.token }}) or set GITHUB_TOKEN",
        )?;
        Api::new(&self.api_url, token, repository, RetryPolicy::from_env())
    }

    fn event(&self) -> Result<Event> {
        let path = self.event_path.as_ref().context(
            "GITHUB_EVENT_PATH is not set: run inside GitHub Actions, or pass --event FILE",
        )?;
        event::read_event(path, &self.event_name)
    }
}

pub struct ReviewOptions {
    pub mode: Mode,
    pub dry_run: bool,
    pub plan_path: Option<PathBuf>,
    /// Also write every finding as SARIF here (for code scanning).
    pub sarif_path: Option<PathBuf>,
    /// Where the hub's config and template are, in the base commit.
    pub settings: SettingsSource,
}

fn write_sarif(path: &PathBuf, cards: &[crate::review::plan::CardInput]) -> Result<()> {
    use crate::report::{sarif::SarifReporter, FileResult, Reporter};
    let f = std::fs::File::create(path)
        .with_context(|| format!("cannot write SARIF to {}", path.display()))?;
    let mut w = std::io::BufWriter::new(f);
    let mut rep = SarifReporter::default();
    let mut totals = crate::report::Totals {
        files: cards.len(),
        ..Default::default()
    };
    rep.begin(&mut w)?;
    for c in cards {
        for f in &c.findings {
            totals.counts.add(f.severity);
        }
        totals.suppressed += c.suppressed;
        totals.files_with_findings += usize::from(!c.findings.is_empty());
        rep.file(
            &mut w,
            &FileResult {
                path: &c.path,
                repo_path: &c.path,
                findings: &c.findings,
                source: None,
                suppressed: c.suppressed,
            },
        )?;
    }
    rep.end(&mut w, &totals)?;
    w.flush()?;
    Ok(())
}

/// The pull request this run reviews: from a `pull_request(_target)` event, or found
/// through the API for a `workflow_run`. None: nothing to review (said why).
async fn pull_request_of(
    env: &ActionEnv,
    api: &Api,
    event: Event,
) -> Result<Option<PullRequestRef>> {
    let run = match event {
        Event::PullRequest(p) => return Ok(Some(p)),
        Event::WorkflowRun(w) => w,
    };
    if run
        .event
        .as_deref()
        .is_some_and(|e| e != "pull_request" && e != "pull_request_target")
    {
        let msg = format!(
            "modelcard-review: the workflow run was started by a {:?} event, not by a pull request; nothing to review.",
            run.event.as_deref().unwrap_or("")
        );
        crate::outln!("{msg}");
        write_step_summary(env, &msg)?;
        return Ok(None);
    }
    let found = pr::find_pull_request(api, &run)
        .await
        .map_err(|e| anyhow::anyhow!("cannot find the pull request of the workflow run: {e}"))?;
    let msg = match found {
        pr::Found::Open(p) => {
            tracing::info!("workflow run for {} is pull request #{}", run.head_sha, p.number);
            return Ok(Some(p));
        }
        pr::Found::MovedOn { number, live_sha } => format!(
            "modelcard-review: pull request #{number} has moved on to {live_sha} since this run (for {}); nothing was posted. The run for the new commit reviews it.",
            run.head_sha
        ),
        pr::Found::NotFound => format!(
            "modelcard-review: no open pull request has {} as its head; nothing to review.",
            run.head_sha
        ),
    };
    crate::outln!("{msg}");
    write_step_summary(env, &msg)?;
    Ok(None)
}

/// `review` (and its modes). Returns the exit code.
pub async fn run(env: &ActionEnv, opts: &ReviewOptions) -> Result<i32> {
    let event = env.event()?;
    let repository = match &event {
        Event::PullRequest(p) => p.repository.clone(),
        Event::WorkflowRun(w) => w.repository.clone(),
    };
    let api = env.api(&repository)?;
    let Some(pr) = pull_request_of(env, &api, event).await? else {
        return Ok(0);
    };
    // A fork's `pull_request` run has a read-only token: nothing can be posted.
    let can_post = opts.mode == Mode::Review
        && !opts.dry_run
        && !(pr.from_fork && env.event_name == "pull_request");
    let settings = match settings::load(&api, &pr.base_sha, &opts.settings).await {
        Ok(s) => s,
        Err(e) => return settings_failed(env, &api, &pr, &e, can_post).await,
    };
    tracing::info!("settings: {}", settings.description);
    let cfg = &settings.cfg;
    let gathered = pr::gather(&api, &pr, &settings, &opts.settings).await?;
    let sarif = match &opts.sarif_path {
        Some(path) => {
            write_sarif(path, &gathered.cards)?;
            Some(path.clone())
        }
        None => None,
    };
    let plan = build_plan(&PlanInput {
        repository: pr.repository.clone(),
        pull_number: pr.number,
        head_sha: pr.head_sha.clone(),
        run_key: env.run_key.clone(),
        fail_on: cfg.fail_on,
        cards: gathered.cards,
        unknown_paths: gathered.unknown_paths,
        notes: gathered.notes,
        prior: gathered.prior.clone(),
        max_comments: cfg.max_comments,
        server_url: env.server_url.clone(),
        settings: settings.description.clone(),
        settings_impact: gathered.settings_impact,
    });
    tracing::info!(
        "{} card(s), {} finding(s), {} new inline comment(s), {} fixed; {} API call(s) so far",
        plan.cards.len(),
        plan.items.len(),
        plan.comments.len(),
        plan.fixed.len(),
        api.calls()
    );

    if opts.dry_run {
        print_dry_run(&plan)?;
        return Ok(exit_code(&plan));
    }
    let mut summary_md = markdown::summary(&plan, &[], &[], markdown::COMMENT_LIMIT);
    let mut posted = 0;
    match opts.mode {
        Mode::Plan => {
            let path = opts
                .plan_path
                .clone()
                .unwrap_or_else(|| PathBuf::from("modelcard-review-plan.json"));
            let json = serde_json::to_vec_pretty(&plan)?;
            std::fs::write(&path, json)
                .with_context(|| format!("cannot write the plan to {}", path.display()))?;
            crate::outln!(
                "modelcard-review: plan written to {} (a preview; nothing was posted).",
                path.display()
            );
            print_annotations(&plan);
        }
        Mode::Annotations => print_annotations(&plan),
        Mode::Review if !can_post => {
            fork_notice(&pr)?;
            print_annotations(&plan);
        }
        Mode::Review => {
            let report =
                publish::publish(&api, &plan, &gathered.prior, gathered.summary_comment).await;
            summary_md = report.summary_markdown.clone();
            posted = report.comments_posted;
            if report.read_only {
                crate::outln!(
                    "modelcard-review: the token cannot write to this pull request, so no review was posted. \
                     The findings follow as annotations and in the job summary. For inline comments on pull \
                     requests from forks, see \"Pull requests from forks\" in https://github.com/ri-scale/modelcard-review/blob/main/docs/action.md#pull-requests-from-forks."
                );
                print_annotations(&plan);
            }
            tracing::info!(
                "posted {} comment(s) in {} review(s), marked {} fixed, check: {:?}; {} API call(s)",
                report.comments_posted,
                report.reviews_posted,
                report.fixed_marked,
                report.check,
                api.calls()
            );
        }
    }
    write_step_summary(env, &summary_md)?;
    write_outputs(
        env,
        &plan,
        posted,
        opts.plan_path.as_ref().filter(|_| opts.mode == Mode::Plan),
        sarif.as_ref(),
    )?;
    Ok(exit_code(&plan))
}

/// The hub's settings cannot be used: no card is judged, the check fails, and the
/// summary says what to fix. Exit 2.
async fn settings_failed(
    env: &ActionEnv,
    api: &Api,
    pr: &PullRequestRef,
    e: &SettingsError,
    can_post: bool,
) -> Result<i32> {
    let md = markdown::settings_failure(&pr.head_sha, &e.file, &e.message);
    eprintln!("modelcard-review: error: {e}");
    if can_post {
        let summary_id = match pr::prior_comments(api, pr).await {
            Ok((_, id)) => id,
            Err(err) => {
                tracing::warn!("cannot read the pull request's comments: {err}");
                None
            }
        };
        let outcome =
            publish::settings_failure(api, pr.number, &pr.head_sha, &env.run_key, summary_id, &md)
                .await;
        tracing::info!("settings failure posted: {outcome:?}");
    }
    write_step_summary(env, &md)?;
    if let Some(mut f) = open_outputs(env)? {
        writeln!(f, "conclusion=failure")?;
    }
    Ok(2)
}

fn exit_code(plan: &ReviewPlan) -> i32 {
    match plan.conclusion {
        crate::review::plan::Conclusion::Success => 0,
        crate::review::plan::Conclusion::Failure => 1,
    }
}

fn fork_notice(pr: &PullRequestRef) -> std::io::Result<()> {
    crate::outln!(
        "modelcard-review: pull request #{} comes from a fork, and GitHub gives such runs a read-only token. \
         The findings follow as annotations and in the job summary, and this step fails when they must be fixed. \
         For inline review comments on fork pull requests, see \"Pull requests from forks\" in https://github.com/ri-scale/modelcard-review/blob/main/docs/action.md#pull-requests-from-forks.",
        pr.number
    );
    Ok(())
}

/// Workflow commands, so findings show on the files even without write access.
pub fn print_annotations(plan: &ReviewPlan) {
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    for i in &plan.items {
        let kind = match i.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Notice => "notice",
        };
        let _ = writeln!(
            out,
            "::{kind} file={},line={},endLine={},title={}::{}",
            escape_property(&i.path),
            i.line,
            i.end_line.max(i.line),
            escape_property(&i.rule),
            escape_data(&i.message)
        );
    }
}

fn print_dry_run(plan: &ReviewPlan) -> std::io::Result<()> {
    crate::outln!("Settings: {}.\n", plan.settings);
    crate::outln!(
        "{}",
        markdown::summary(plan, &[], &[], markdown::COMMENT_LIMIT)
    );
    crate::outln!(
        "---\nInline review comments this run would post ({}):\n",
        plan.comments.len()
    );
    for c in &plan.comments {
        let lines = match c.start_line {
            Some(s) => format!("{s}-{}", c.line),
            None => c.line.to_string(),
        };
        crate::outln!("{}:{lines} [{}] {}", c.path, c.rule, c.message);
    }
    if !plan.fixed.is_empty() {
        crate::outln!(
            "\nEarlier comments it would mark fixed: {}",
            plan.fixed.len()
        );
    }
    Ok(())
}

/// The job summary is limited to 1 MiB per step.
const STEP_SUMMARY_LIMIT: usize = 1024 * 1024 - 1024;

fn write_step_summary(env: &ActionEnv, md: &str) -> Result<()> {
    let Some(path) = &env.step_summary else {
        return Ok(());
    };
    let mut text = md.to_string();
    if text.len() > STEP_SUMMARY_LIMIT {
        let mut cut = STEP_SUMMARY_LIMIT;
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        text.truncate(cut);
    }
    let mut f = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .with_context(|| format!("cannot write the job summary {}", path.display()))?;
    writeln!(f, "{text}")?;
    Ok(())
}

/// `GITHUB_OUTPUT`, opened to append, if the run has one.
fn open_outputs(env: &ActionEnv) -> Result<Option<std::fs::File>> {
    let Some(path) = &env.output else {
        return Ok(None);
    };
    std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .map(Some)
        .with_context(|| format!("cannot write the step outputs {}", path.display()))
}

fn write_outputs(
    env: &ActionEnv,
    plan: &ReviewPlan,
    posted: usize,
    plan_path: Option<&PathBuf>,
    sarif: Option<&PathBuf>,
) -> Result<()> {
    let Some(mut f) = open_outputs(env)? else {
        return Ok(());
    };
    writeln!(f, "errors={}", plan.counts.errors)?;
    writeln!(f, "warnings={}", plan.counts.warnings)?;
    writeln!(f, "notices={}", plan.counts.notices)?;
    writeln!(f, "conclusion={}", plan.conclusion.as_str())?;
    writeln!(f, "cards={}", plan.cards.len())?;
    writeln!(f, "comments={posted}")?;
    if let Some(p) = plan_path {
        writeln!(f, "plan={}", p.display())?;
    }
    if let Some(p) = sarif {
        writeln!(f, "sarif={}", p.display())?;
    }
    Ok(())
}
