//! The GitHub side: a thin adapter around the pure review planner. It reads the event
//! and the pull request through the API, plans, and publishes — or, without write
//! access, leaves annotations, the job summary and the exit status.

pub mod client;
pub mod event;
pub mod pr;
pub mod publish;

use crate::config::Config;
use crate::finding::Severity;
use crate::report::annotations::{escape_data, escape_property};
use crate::review::markdown;
use crate::review::plan::{build_plan, PlanInput, ReviewPlan, MAX_PLAN_BYTES};
use crate::template::Spec;
use anyhow::{bail, Context, Result};
use client::{Api, RetryPolicy};
use event::{Event, PullRequestRef};
use std::io::Write;
use std::path::PathBuf;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Plan and publish (the default).
    Review,
    /// Plan, then only annotations, job summary and exit status (no writes).
    Annotations,
    /// Plan and save it for a trusted `publish` run (fork-safe first step).
    Plan,
    /// Publish a saved plan (fork-safe second step).
    Publish,
}

impl Mode {
    pub fn parse(s: &str) -> Option<Mode> {
        match s.trim() {
            "" | "review" => Some(Mode::Review),
            "annotations" => Some(Mode::Annotations),
            "plan" => Some(Mode::Plan),
            "publish" => Some(Mode::Publish),
            _ => None,
        }
    }
}

/// What GitHub Actions gives the program, gathered in one place.
#[derive(Debug, Clone, Default)]
pub struct ActionEnv {
    pub token: Option<String>,
    pub api_url: String,
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
}

fn write_sarif(path: &PathBuf, cards: &[crate::review::plan::CardInput]) -> Result<()> {
    use crate::report::{sarif::SarifReporter, FileResult, Reporter};
    let f = std::fs::File::create(path)
        .with_context(|| format!("cannot write SARIF to {}", path.display()))?;
    let mut w = std::io::BufWriter::new(f);
    let mut rep = SarifReporter::default();
    let mut counts = crate::finding::Counts::default();
    rep.begin(&mut w)?;
    for c in cards {
        for f in &c.findings {
            counts.add(f.severity);
        }
        rep.file(
            &mut w,
            &FileResult {
                path: &c.path,
                findings: &c.findings,
                source: None,
            },
        )?;
    }
    rep.end(&mut w, cards.len(), counts)?;
    w.flush()?;
    Ok(())
}

/// `review` (and its modes) and `publish`. Returns the exit code.
pub async fn run(env: &ActionEnv, opts: &ReviewOptions, cfg: &Config, spec: &Spec) -> Result<i32> {
    if opts.mode == Mode::Publish {
        return run_publish(env, opts).await;
    }
    let pr = match env.event()? {
        Event::PullRequest(p) => p,
        Event::WorkflowRun { .. } => {
            bail!("a workflow_run event publishes a saved plan: use mode `publish` with `plan`")
        }
    };
    let api = env.api(&pr.repository)?;
    let gathered = pr::gather(&api, &pr, spec, cfg).await?;
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
        print_dry_run(&plan);
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
            println!(
                "modelcard-review: plan written to {}; the publish step posts it.",
                path.display()
            );
            print_annotations(&plan);
        }
        Mode::Annotations => print_annotations(&plan),
        Mode::Review if pr.from_fork && env.event_name == "pull_request" => {
            fork_notice(&pr);
            print_annotations(&plan);
        }
        _ => {
            let report =
                publish::publish(&api, &plan, &gathered.prior, gathered.summary_comment).await;
            summary_md = report.summary_markdown.clone();
            posted = report.comments_posted;
            if report.read_only {
                println!(
                    "modelcard-review: the token cannot write to this pull request, so no review was posted. \
                     The findings follow as annotations and in the job summary. For inline comments on pull \
                     requests from forks, use the two-step setup (README: \"Pull requests from forks\")."
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

fn exit_code(plan: &ReviewPlan) -> i32 {
    match plan.conclusion {
        crate::review::plan::Conclusion::Success => 0,
        crate::review::plan::Conclusion::Failure => 1,
    }
}

fn fork_notice(pr: &PullRequestRef) {
    println!(
        "modelcard-review: pull request #{} comes from a fork, and GitHub gives such runs a read-only token. \
         The findings follow as annotations and in the job summary, and this step fails when they must be fixed. \
         For inline review comments on fork pull requests, use the two-step setup (README: \"Pull requests from forks\").",
        pr.number
    );
}

async fn run_publish(env: &ActionEnv, opts: &ReviewOptions) -> Result<i32> {
    let path = opts
        .plan_path
        .as_ref()
        .context("publish needs the plan file: pass `plan` (or --plan FILE)")?;
    let meta = std::fs::metadata(path)
        .with_context(|| format!("cannot read the plan {}", path.display()))?;
    if meta.len() as usize > MAX_PLAN_BYTES {
        bail!(
            "the plan {} is {} bytes, more than any real plan; nothing was posted",
            path.display(),
            meta.len()
        );
    }
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read the plan {}", path.display()))?;
    let plan: ReviewPlan = serde_json::from_str(&text).with_context(|| {
        format!(
            "the plan {} is not a modelcard-review plan; nothing was posted",
            path.display()
        )
    })?;
    let repository = env
        .repository
        .clone()
        .context("GITHUB_REPOSITORY is not set")?;
    let (head_sha, listed) = match env.event()? {
        Event::WorkflowRun {
            head_sha,
            pull_numbers,
            ..
        } => (head_sha, pull_numbers),
        Event::PullRequest(p) => (p.head_sha, vec![p.number]),
    };
    if !listed.is_empty() && !listed.contains(&plan.pull_number) {
        bail!("the plan is for pull request #{}, but the triggering run is for {:?}; nothing was posted", plan.pull_number, listed);
    }
    plan.validate(&repository, plan.pull_number, &head_sha)
        .context("the plan does not match the triggering run; nothing was posted")?;
    let api = env.api(&repository)?;
    // The pull request itself must be at the planned commit (fork runs list no PR).
    let pr_json = api
        .get(&api.repo_path(&format!("/pulls/{}", plan.pull_number)))
        .await
        .map_err(|e| {
            anyhow::anyhow!(
                "cannot read pull request #{}: {e}; nothing was posted",
                plan.pull_number
            )
        })?
        .json()?;
    let live_sha = pr_json
        .pointer("/head/sha")
        .and_then(|v| v.as_str())
        .unwrap_or("");
    if live_sha != plan.head_sha {
        println!(
            "modelcard-review: pull request #{} has moved on to {live_sha}; this plan (for {}) is stale and was not posted.",
            plan.pull_number, plan.head_sha
        );
        return Ok(0);
    }
    let pr_ref = PullRequestRef {
        repository: repository.clone(),
        number: plan.pull_number,
        head_sha: plan.head_sha.clone(),
        base_sha: String::new(),
        from_fork: false,
    };
    let (prior, summary_comment) = pr::prior_comments(&api, &pr_ref)
        .await
        .map_err(|e| anyhow::anyhow!("cannot read the pull request's comments: {e}"))?;
    let report = publish::publish(&api, &plan, &prior, summary_comment).await;
    if report.read_only {
        println!("modelcard-review: the publish token cannot write; give the workflow `pull-requests: write` and `checks: write`.");
        print_annotations(&plan);
    }
    write_step_summary(env, &report.summary_markdown)?;
    write_outputs(env, &plan, report.comments_posted, None, None)?;
    Ok(exit_code(&plan))
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

fn print_dry_run(plan: &ReviewPlan) {
    println!(
        "{}",
        markdown::summary(plan, &[], &[], markdown::COMMENT_LIMIT)
    );
    println!(
        "---\nInline review comments this run would post ({}):\n",
        plan.comments.len()
    );
    for c in &plan.comments {
        let lines = match c.start_line {
            Some(s) => format!("{s}-{}", c.line),
            None => c.line.to_string(),
        };
        println!("{}:{lines} [{}] {}", c.path, c.rule, c.message);
    }
    if !plan.fixed.is_empty() {
        println!(
            "\nEarlier comments it would mark fixed: {}",
            plan.fixed.len()
        );
    }
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

fn write_outputs(
    env: &ActionEnv,
    plan: &ReviewPlan,
    posted: usize,
    plan_path: Option<&PathBuf>,
    sarif: Option<&PathBuf>,
) -> Result<()> {
    let Some(path) = &env.output else {
        return Ok(());
    };
    let mut f = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .with_context(|| format!("cannot write the step outputs {}", path.display()))?;
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
