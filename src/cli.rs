//! The command line: `check`, `rules` (and, from the GitHub side, `review`, `publish`).

use crate::check::{self, collect_inputs};
use crate::config::{Config, Overrides};
use crate::report::{reporter, Format};
use crate::rules::RULES;
use crate::template::Spec;
use anyhow::{bail, Context, Result};
use clap::{Args, Parser, Subcommand};
use std::io::Write;
use std::path::{Path, PathBuf};

#[derive(Parser, Debug)]
#[command(
    name = "modelcard-review",
    version,
    about = "Checks model cards against a model hub's template, locally and on pull requests."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Check model cards (files, folders, or - for stdin) against the template.
    Check(CheckArgs),
    /// Apply every safe fix to the cards in place and say what is left for the author.
    Fix(FixArgs),
    /// Start a new card from the template (and the folder's rdf.yaml, if any).
    New(NewArgs),
    /// List every rule with its default severity and an example.
    Rules(RulesArgs),
    /// Review a pull request inside GitHub Actions (reads GITHUB_* and INPUT_* variables).
    #[cfg(feature = "github")]
    Review(ReviewArgs),
    /// Removed: a saved plan must not decide what the bot posts (see the README on forks).
    #[cfg(feature = "github")]
    #[command(hide = true)]
    Publish(PublishArgs),
}

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

#[derive(Args, Debug, Clone, Default)]
pub struct CommonArgs {
    /// Template file (default: from the config file, else the built-in RI-SCALE template).
    #[arg(long, value_name = "PATH")]
    pub template: Option<PathBuf>,
    /// Config file (default: .modelcard-review.toml in the current folder, if present).
    #[arg(long, value_name = "PATH")]
    pub config: Option<PathBuf>,
    /// Fail (exit 1) when a finding reaches this level: error, warning, notice or never.
    #[arg(long, value_name = "LEVEL")]
    pub fail_on: Option<String>,
    /// Set a rule's level: RULE=error|warning|notice|off (repeatable).
    #[arg(long = "rule", value_name = "RULE=LEVEL")]
    pub rules: Vec<String>,
}

#[derive(Args, Debug)]
pub struct CheckArgs {
    /// Cards or folders to check (folders are searched for the configured globs, default **/README.md); - reads stdin.
    #[arg(value_name = "PATH", default_value = ".")]
    pub paths: Vec<PathBuf>,
    #[command(flatten)]
    pub common: CommonArgs,
    /// Output format: text, json, sarif or github (workflow-command annotations).
    #[arg(long, default_value = "text", value_name = "FORMAT")]
    pub format: String,
    /// Write the report to this file instead of standard output (the one-line summary
    /// still goes to the terminal).
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Files named on the command line obey `paths`/`exclude` too (for pre-commit, which
    /// names every changed README.md).
    #[arg(long)]
    pub force_exclude: bool,
    /// Say which config and template judge the cards.
    #[arg(long, short)]
    pub verbose: bool,
}

#[derive(Args, Debug)]
pub struct FixArgs {
    /// Cards or folders to fix (folders are searched for the configured globs); - reads
    /// stdin and writes the fixed card to stdout.
    #[arg(value_name = "PATH", default_value = ".")]
    pub paths: Vec<PathBuf>,
    #[command(flatten)]
    pub common: CommonArgs,
    /// Also move sections that stand out of the template's order, with all their text.
    #[arg(long)]
    pub unsafe_fixes: bool,
    /// Write nothing: print a unified diff, exit 1 when there is something to fix.
    #[arg(long)]
    pub diff: bool,
    /// Files named on the command line obey `paths`/`exclude` too.
    #[arg(long)]
    pub force_exclude: bool,
}

#[derive(Args, Debug)]
pub struct NewArgs {
    /// Where to write the card (for example models/my-model/README.md).
    #[arg(value_name = "PATH")]
    pub path: PathBuf,
    /// The model's name, for the card's title (default: the rdf.yaml's name, else the
    /// template's placeholder).
    #[arg(long, value_name = "NAME")]
    pub name: Option<String>,
    /// Overwrite an existing file.
    #[arg(long)]
    pub force: bool,
    #[command(flatten)]
    pub common: CommonArgs,
}

#[derive(Args, Debug)]
pub struct RulesArgs {
    /// text, markdown (the README's rule table) or docs (docs/rules.md).
    #[arg(long, default_value = "text")]
    pub format: String,
}

impl CommonArgs {
    /// The command line's settings over the config file.
    pub fn overrides(&self) -> Overrides {
        Overrides {
            fail_on: self.fail_on.clone(),
            rules: self.rules.clone(),
            ..Overrides::default()
        }
    }
}

/// Loads config, applies command-line overrides, and reads the template.
pub fn load_setup(common: &CommonArgs, root: &Path) -> Result<(Config, Spec)> {
    let config = match &common.config {
        Some(p) => Some(p.clone()),
        None => Some(root.join(crate::config::DEFAULT_CONFIG_NAME)).filter(|p| p.is_file()),
    };
    let (cfg, spec, _) = load_from(common, config.as_deref())?;
    Ok((cfg, spec))
}

/// The settings from one config file (None: the defaults), with the command line's
/// overrides, and a line saying which they are.
fn load_from(common: &CommonArgs, config: Option<&Path>) -> Result<(Config, Spec, String)> {
    let mut cfg = match config {
        Some(p) => Config::load(p)?,
        None => Config::default(),
    };
    common.overrides().apply(&mut cfg)?;
    if let Some(t) = &common.template {
        cfg.template = Some(t.clone());
    }
    let spec = match &cfg.template {
        Some(path) => {
            let bytes = std::fs::read(path)
                .with_context(|| format!("cannot read template {}", path.display()))?;
            let text = crate::card::decode(&bytes, 4 * 1024 * 1024)
                .map_err(|e| anyhow::anyhow!("template {}: {}", path.display(), e.explain()))?;
            Spec::from_markdown(text, &path.display().to_string(), &cfg)?
        }
        None => Spec::default_spec(&cfg)?,
    };
    let description = format!(
        "{} and {}",
        match config {
            Some(p) => format!("config {}", p.display()),
            None => "default settings (no .modelcard-review.toml found)".to_string(),
        },
        match &cfg.template {
            Some(t) => format!("template {}", t.display()),
            None => "the built-in RI-SCALE Model Hub template".to_string(),
        }
    );
    Ok((cfg, spec, description))
}

/// Runs `check`; returns the exit code (0 clean, 1 findings at the fail level).
pub fn run_check(args: CheckArgs) -> Result<i32> {
    let cwd = std::env::current_dir().context("cannot determine the current folder")?;
    let format = Format::parse(&args.format).with_context(|| {
        format!(
            "--format {:?}: use text, json, sarif or github",
            args.format
        )
    })?;
    let common = args.common.clone();
    let mut setups = check::Setups::new(
        Box::new(move |config| load_from(&common, config)),
        args.common.config.clone(),
        cwd.clone(),
    );
    let jobs = collect_inputs(&args.paths, &cwd, &mut setups, args.force_exclude)?;
    if setups.list.is_empty() {
        setups.for_dir(&cwd)?;
    }
    if jobs.is_empty() && !args.force_exclude {
        eprintln!(
            "modelcard-review: no cards found under {} (looking for {}). Name the files, or set `paths` in {}.",
            args.paths.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", "),
            setups.list[0].cfg.paths.join(", "),
            crate::config::DEFAULT_CONFIG_NAME
        );
    }
    let used: std::collections::BTreeSet<usize> = jobs.iter().map(|j| j.setup).collect();
    if args.verbose {
        for &i in &used {
            let n = jobs.iter().filter(|j| j.setup == i).count();
            eprintln!(
                "modelcard-review: {} card(s) judged by {}",
                n, setups.list[i].description
            );
        }
    }
    let mut rep = reporter(format);
    let summary = match &args.output {
        Some(path) => {
            let f = std::fs::File::create(path)
                .with_context(|| format!("cannot write {}", path.display()))?;
            let mut w = std::io::BufWriter::new(f);
            let s = check::run(&setups.list, &jobs, rep.as_mut(), &mut w)?;
            eprintln!(
                "modelcard-review: {} Report written to {}.",
                crate::report::summary_line(&s.totals),
                path.display()
            );
            s
        }
        None => {
            let stdout = std::io::stdout();
            let mut w = std::io::BufWriter::new(stdout.lock());
            let s = check::run(&setups.list, &jobs, rep.as_mut(), &mut w)?;
            if format == Format::Text && !jobs.is_empty() {
                let settings: Vec<&str> = used
                    .iter()
                    .map(|&i| setups.list[i].description.as_str())
                    .collect();
                writeln!(w, "Settings: {}.", settings.join("; "))?;
            }
            s
        }
    };
    Ok(if summary.fails { 1 } else { 0 })
}

/// Runs `fix`; returns the exit code: with `--diff`, 1 when something would change;
/// else 1 when findings at the fail level are left.
pub fn run_fix(args: FixArgs) -> Result<i32> {
    let cwd = std::env::current_dir().context("cannot determine the current folder")?;
    let common = args.common.clone();
    let mut setups = check::Setups::new(
        Box::new(move |config| load_from(&common, config)),
        args.common.config.clone(),
        cwd.clone(),
    );
    let jobs = collect_inputs(&args.paths, &cwd, &mut setups, args.force_exclude)?;
    let mut would_change = false;
    let mut fails = false;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    for job in &jobs {
        let setup = &setups.list[job.setup];
        let (bytes, shown, repo, root) = match &job.input {
            check::Input::Stdin => {
                let mut buf = Vec::new();
                std::io::Read::read_to_end(&mut std::io::stdin(), &mut buf)
                    .context("cannot read standard input")?;
                (buf, "-".to_string(), "-".to_string(), setup.root.clone())
            }
            check::Input::File { disk, shown, repo } => (
                std::fs::read(disk).with_context(|| format!("cannot read {}", disk.display()))?,
                shown.clone(),
                repo.clone(),
                setup.root.clone(),
            ),
        };
        let text = match crate::card::decode(&bytes, setup.cfg.max_file_size) {
            Ok(_) => String::from_utf8(bytes).expect("decoded as UTF-8"),
            Err(why) => {
                eprintln!("{shown}: not fixed: {}", why.explain());
                fails = true;
                continue;
            }
        };
        let oracle = check::DiskOracle { root };
        let fixed = crate::fix::fix_text(
            &setup.spec,
            &setup.cfg,
            &repo,
            &text,
            &oracle,
            args.unsafe_fixes,
        );
        fails |= crate::finding::Counts::of(&fixed.remaining).fails(setup.cfg.fail_on);
        would_change |= fixed.changed();
        let left = if fixed.remaining.is_empty() {
            "nothing left to fix".to_string()
        } else {
            format!(
                "left for you: {} ({})",
                fixed.remaining.len(),
                fixed.remaining_summary()
            )
        };
        let report = if fixed.changed() {
            format!(
                "{shown}: {} {}: {}; {left}",
                if args.diff { "would fix" } else { "fixed" },
                fixed.applied.values().sum::<usize>(),
                fixed.applied_summary()
            )
        } else {
            format!("{shown}: nothing to fix; {left}")
        };
        if args.diff {
            if fixed.changed() {
                let diff = similar::TextDiff::from_lines(&text, &fixed.text);
                write!(
                    out,
                    "{}",
                    diff.unified_diff()
                        .context_radius(3)
                        .header(&format!("a/{shown}"), &format!("b/{shown}"))
                )?;
            }
            eprintln!("{report}");
        } else if matches!(job.input, check::Input::Stdin) {
            out.write_all(fixed.text.as_bytes())?;
            eprintln!("{report}");
        } else {
            if fixed.changed() {
                if let check::Input::File { disk, .. } = &job.input {
                    std::fs::write(disk, fixed.text.as_bytes())
                        .with_context(|| format!("cannot write {}", disk.display()))?;
                }
            }
            writeln!(out, "{report}")?;
        }
    }
    Ok(if args.diff {
        i32::from(would_change)
    } else {
        i32::from(fails)
    })
}

/// Runs `new`: writes a card to start from; refuses to overwrite (exit 2) without
/// `--force`.
pub fn run_new(args: NewArgs) -> Result<i32> {
    let cwd = std::env::current_dir().context("cannot determine the current folder")?;
    if args.path.exists() && !args.force {
        bail!(
            "{} already exists; pass --force to overwrite it",
            args.path.display()
        );
    }
    let folder = args
        .path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
        .to_path_buf();
    let common = args.common.clone();
    let mut setups = check::Setups::new(
        Box::new(move |config| load_from(&common, config)),
        args.common.config.clone(),
        cwd,
    );
    std::fs::create_dir_all(&folder)
        .with_context(|| format!("cannot create {}", folder.display()))?;
    let which = setups.for_dir(&folder)?;
    let setup = &setups.list[which];
    let mut facts = crate::new_card::ModelFacts::default();
    for name in crate::new_card::RDF_NAMES {
        let rdf = folder.join(name);
        if let Ok(text) = std::fs::read_to_string(&rdf) {
            let fields = setup
                .cfg
                .rdf_fields
                .clone()
                .unwrap_or_else(crate::new_card::default_rdf_fields);
            facts = crate::new_card::read_rdf(&text, &fields)
                .with_context(|| format!("cannot read {}", rdf.display()))?;
            eprintln!("modelcard-review: filled from {}", rdf.display());
            break;
        }
    }
    let text = crate::new_card::card_text(&setup.spec, args.name.as_deref(), &facts);
    std::fs::write(&args.path, text)
        .with_context(|| format!("cannot write {}", args.path.display()))?;
    println!(
        "modelcard-review: wrote {} from {}. Fill in each placeholder and instruction, then run `modelcard-review check {}`.",
        args.path.display(),
        setup.description,
        args.path.display()
    );
    Ok(0)
}

pub fn run_rules(args: RulesArgs, out: &mut dyn Write) -> Result<i32> {
    match args.format.as_str() {
        "text" => {
            for r in RULES {
                writeln!(out, "{} ({})", r.id, r.default_severity)?;
                writeln!(out, "    {}", r.summary)?;
                writeln!(out, "    Why: {}", r.why)?;
                writeln!(out, "    Instead of:")?;
                for l in r.bad.lines() {
                    writeln!(out, "        {l}")?;
                }
                writeln!(out, "    write:")?;
                for l in r.good.lines() {
                    writeln!(out, "        {l}")?;
                }
                writeln!(out)?;
            }
        }
        "markdown" => write!(out, "{}", rules_markdown())?,
        "docs" => write!(out, "{}", rules_doc())?,
        other => bail!("--format {other:?}: use text, markdown or docs"),
    }
    Ok(0)
}

/// `docs/rules.md`: a heading per rule (its id, so SARIF's `helpUri` anchors exist),
/// what it finds, why, and a bad and a good example. Generated from `RULES`.
pub fn rules_doc() -> String {
    let mut s = String::from(
        "# modelcard-review rules\n\nGenerated by `modelcard-review rules --format docs`; a test keeps this file in step with the code. Each rule's level can be changed in `.modelcard-review.toml` (`[rules]`, `RULE = \"error\" | \"warning\" | \"notice\" | \"off\"`), and a card can silence it with `<!-- modelcard-review-disable-next-line RULE -->`.\n",
    );
    for r in RULES {
        let fence = crate::review::plan::fence_for(&format!("{}{}", r.bad, r.good));
        s.push_str(&format!(
            "\n## {}\n\nDefault level: **{}**.\n\n{}\n\n**Why:** {}\n\nInstead of:\n\n{fence}markdown\n{}\n{fence}\n\nwrite:\n\n{fence}markdown\n{}\n{fence}\n",
            r.id, r.default_severity, r.summary, r.why, r.bad, r.good
        ));
    }
    s
}

/// The README's rule table, generated from `RULES`.
pub fn rules_markdown() -> String {
    let mut s = String::from(
        "| id | default | what it finds | example of the fault |\n|---|---|---|---|\n",
    );
    for r in RULES {
        let bad = r.bad.lines().next().unwrap_or("").replace('|', "\\|");
        s.push_str(&format!(
            "| `{}` | {} | {} | `{}` |\n",
            r.id,
            r.default_severity,
            r.summary.replace('|', "\\|"),
            bad
        ));
    }
    s
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

/// `review`: the settings are the base commit's, read through the API; `--config`
/// and `--template` (and the `config`/`template` inputs) are repository paths there.
#[cfg(feature = "github")]
pub fn run_review(args: ReviewArgs) -> Result<i32> {
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
#[cfg(feature = "github")]
pub fn run_publish(_args: PublishArgs) -> Result<i32> {
    anyhow::bail!("{}", crate::github::PUBLISH_REMOVED)
}
