//! The command line: `check`, `rules` (and, from the GitHub side, `review`, `publish`).

mod audit;
mod edit;
mod review;

pub use audit::{run_audit, AuditArgs};
pub use edit::{run_fix, run_new, FixArgs, NewArgs};
pub use review::{run_publish, run_review, PublishArgs, ReviewArgs};

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
    /// Print the template cards are checked against (the built-in one, or the
    /// configured one), to start a card from.
    Template(TemplateArgs),
    /// Show which template section each heading of a card is taken for, and how sure
    /// that is (certain, likely, the author's own): the pairing every finding rests on.
    Outline(OutlineArgs),
    /// The whole hub at once: per card and per template section, how far the cards are
    /// written, findings per rule, a trend over the history, a template change's impact;
    /// as JSON and as one self-contained page. Exits 0 when the report is written.
    Audit(AuditArgs),
    /// Serve the Language Server Protocol over stdio: the findings, fixes, hovers and
    /// completions of the card being edited, from its unsaved text, for any editor.
    Server(ServerArgs),
    /// Print shell completions: bash, zsh, fish, elvish or powershell.
    Completions(CompletionsArgs),
    /// Print the manual page (roff), for `man -l -`.
    Man,
    /// Review a pull request inside GitHub Actions (reads GITHUB_* and INPUT_* variables),
    /// or preview the review locally: `review --dry-run --base REF` in a git checkout.
    Review(ReviewArgs),
    /// Removed: a saved plan must not decide what the bot posts (see docs/action.md on forks).
    #[command(hide = true)]
    Publish(PublishArgs),
}

#[derive(Args, Debug, Clone, Default)]
pub struct CommonArgs {
    /// Template file (default: from the config file, else the built-in RI-SCALE template).
    #[arg(long, value_name = "PATH")]
    pub template: Option<PathBuf>,
    /// Config file (default: each card's .modelcard-review.toml, found by walking up from
    /// the card's folder to the repository root).
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
    /// Colour the text report: auto (on a terminal, unless NO_COLOR), always or never.
    #[arg(long, value_name = "WHEN", value_parser = ["auto", "always", "never"])]
    pub color: Option<String>,
}

#[derive(Args, Debug)]
pub struct TemplateArgs {
    #[command(flatten)]
    pub common: CommonArgs,
}

#[derive(Args, Debug)]
pub struct OutlineArgs {
    /// The card (- reads stdin).
    #[arg(value_name = "PATH")]
    pub path: PathBuf,
    #[command(flatten)]
    pub common: CommonArgs,
}

#[derive(Args, Debug)]
pub struct ServerArgs {
    /// Talk over standard input and output (the only transport; accepted because
    /// editors' LSP clients pass it).
    #[arg(long)]
    pub stdio: bool,
}

#[derive(Args, Debug)]
pub struct CompletionsArgs {
    /// The shell.
    pub shell: clap_complete::Shell,
}

#[derive(Args, Debug)]
pub struct RulesArgs {
    /// text, markdown (the README's rule table), docs (docs/rules.md) or json.
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
pub(crate) fn load_from(
    common: &CommonArgs,
    config: Option<&Path>,
) -> Result<(Config, Spec, String)> {
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
            let bytes = crate::files::read_regular(path, crate::template::MAX_TEMPLATE_BYTES)
                .with_context(|| format!("cannot read template {}", path.display()))?;
            Spec::from_bytes(&bytes, &path.display().to_string(), &cfg)?
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

/// Each card's settings, found from its folder, with the command line's on top.
pub(crate) fn setups_for(common: &CommonArgs, cwd: PathBuf) -> check::Setups<'static> {
    let loader = common.clone();
    check::Setups::new(
        Box::new(move |config| load_from(&loader, config)),
        common.config.clone(),
        cwd,
    )
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
    let mut setups = setups_for(&args.common, cwd.clone());
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
    use std::io::IsTerminal;
    let color = crate::report::text::color_wanted(
        args.color.as_deref(),
        args.output.is_none() && std::io::stdout().is_terminal(),
    );
    let mut rep = reporter(format, color);
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

/// `template`: the configured template's text (the config found from the working
/// folder, as for a card there), else the built-in one.
pub fn run_template(args: TemplateArgs, out: &mut dyn Write) -> Result<i32> {
    let cwd = std::env::current_dir().context("cannot determine the current folder")?;
    let mut setups = setups_for(&args.common, cwd.clone());
    let which = setups.for_dir(&cwd)?;
    match &setups.list[which].cfg.template {
        Some(path) => {
            let text = crate::files::read_text(path, crate::template::MAX_TEMPLATE_BYTES)
                .with_context(|| format!("cannot read template {}", path.display()))?;
            out.write_all(text.as_bytes())?;
        }
        None => out.write_all(crate::template::DEFAULT_TEMPLATE.as_bytes())?,
    }
    Ok(0)
}

pub fn run_outline(args: OutlineArgs, out: &mut dyn Write) -> Result<i32> {
    let cwd = std::env::current_dir().context("cannot determine the current folder")?;
    let mut setups = setups_for(&args.common, cwd.clone());
    let (bytes, dir) = if args.path.as_os_str() == "-" {
        let mut b = Vec::new();
        std::io::Read::read_to_end(&mut std::io::stdin().lock(), &mut b)
            .context("cannot read the card from stdin")?;
        (b, cwd.clone())
    } else {
        let dir = args
            .path
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
            .map_or(cwd.clone(), |d| cwd.join(d));
        let which = setups.for_dir(&dir)?;
        let limit = setups.list[which].cfg.max_file_size;
        (crate::files::read_regular(&args.path, limit)?, dir)
    };
    let which = setups.for_dir(&dir)?;
    let text = String::from_utf8_lossy(&bytes);
    let spec = &setups.list[which].spec;
    out.write_all(crate::text::inert(&crate::rules::describe_outline(spec, &text)).as_bytes())?;
    Ok(0)
}

/// `server`: the language server, until the client says `exit`.
pub fn run_server(_args: ServerArgs) -> Result<i32> {
    let cwd = std::env::current_dir().context("cannot determine the current folder")?;
    let make = move || setups_for(&CommonArgs::default(), cwd.clone());
    let stdin = std::io::stdin();
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    crate::server::run(&mut stdin.lock(), &mut out, &make)
}

pub fn run_completions(args: CompletionsArgs, out: &mut dyn Write) -> Result<i32> {
    use clap::CommandFactory;
    let mut cmd = Cli::command();
    clap_complete::generate(args.shell, &mut cmd, "modelcard-review", out);
    Ok(0)
}

/// One manual page: the command, then every subcommand with all its options (no
/// `modelcard-review-check(1)` pages to point to), and the exit codes.
pub fn run_man(out: &mut dyn Write) -> Result<i32> {
    use clap::CommandFactory;
    let cmd = Cli::command();
    let man = clap_mangen::Man::new(cmd.clone());
    man.render_title(out)?;
    man.render_name_section(out)?;
    man.render_synopsis_section(out)?;
    man.render_description_section(out)?;
    writeln!(out, ".SH COMMANDS")?;
    for sub in cmd.get_subcommands().filter(|c| !c.is_hide_set()) {
        writeln!(out, ".SS \"{} {}\"", cmd.get_name(), sub.get_name())?;
        if let Some(about) = sub.get_long_about().or(sub.get_about()) {
            writeln!(out, "{}", roff_text(&about.to_string()))?;
        }
        for arg in sub.get_arguments().filter(|a| !a.is_hide_set()) {
            let values: Vec<String> = arg
                .get_value_names()
                .map(|v| v.iter().map(|n| format!("<{n}>")).collect())
                .unwrap_or_default();
            let mut flags: Vec<String> = Vec::new();
            if let Some(c) = arg.get_short() {
                flags.push(format!("-{c}"));
            }
            if let Some(l) = arg.get_long() {
                flags.push(format!("--{l}"));
            }
            let shown = if flags.is_empty() {
                values.join(" ")
            } else if arg.get_action().takes_values() && !values.is_empty() {
                format!("{} {}", flags.join(", "), values.join(" "))
            } else {
                flags.join(", ")
            };
            writeln!(out, ".TP\n\\fB{}\\fR", roff_text(&shown))?;
            if let Some(help) = arg.get_long_help().or(arg.get_help()) {
                writeln!(out, "{}", roff_text(&help.to_string()))?;
            }
        }
    }
    writeln!(
        out,
        ".SH \"EXIT STATUS\"\n.TP\n0\nNothing at the fail level (\\fB\\-\\-fail\\-on\\fR, the config's fail\\-on, default error); for fix, nothing left to fix.\n.TP\n1\nA finding at the fail level; for fix \\-\\-diff, something to fix.\n.TP\n2\nA usage, configuration, template or I/O error: the message says which file and key."
    )?;
    man.render_version_section(out)?;
    Ok(0)
}

/// Text for roff: dashes and backslashes escaped, no line starting with a control
/// character.
fn roff_text(text: &str) -> String {
    text.lines()
        .map(|l| {
            let l = l.replace('\\', "\\e").replace('-', "\\-");
            if l.starts_with('.') || l.starts_with('\'') {
                format!("\\&{l}")
            } else {
                l
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
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
        "json" => writeln!(out, "{}", crate::registry::rules_json())?,
        other => bail!("--format {other:?}: use text, markdown, docs or json"),
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
        let fence = crate::text::fence_for(&format!("{}{}", r.bad, r.good));
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
