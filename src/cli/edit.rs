//! `fix` and `new`: the commands that write cards.

use super::{setups_for, CommonArgs};
use crate::check::{self, collect_inputs};
use anyhow::{bail, Context, Result};
use clap::Args;
use std::io::Write;
use std::path::{Path, PathBuf};

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

/// Runs `fix`; returns the exit code: with `--diff`, 1 when something would change;
/// else 1 when findings at the fail level are left.
pub fn run_fix(args: FixArgs) -> Result<i32> {
    if args.paths.len() > 1 && args.paths.iter().any(|p| p.as_os_str() == "-") {
        // The card from stdin goes to stdout: a file's report there would be mixed in.
        anyhow::bail!(
            "`fix -` reads one card from standard input and writes it to standard output; fix the files in a separate run"
        );
    }
    let cwd = std::env::current_dir().context("cannot determine the current folder")?;
    let mut setups = setups_for(&args.common, cwd.clone());
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
            check::Input::File { disk, shown, repo } => {
                match check::read_card(disk, &setup.root, setup.cfg.max_file_size)? {
                    check::ReadOutcome::Bytes(b) => {
                        (b, shown.clone(), repo.clone(), setup.root.clone())
                    }
                    check::ReadOutcome::Refused(why, _) => {
                        eprintln!(
                            "{}",
                            crate::text::inert(&format!("{shown}: not fixed: {why}"))
                        );
                        fails = true;
                        continue;
                    }
                }
            }
        };
        let text = match crate::card::decode(&bytes, setup.cfg.max_file_size) {
            Ok(_) => String::from_utf8(bytes).expect("decoded as UTF-8"),
            Err(why) => {
                eprintln!(
                    "{}",
                    crate::text::inert(&format!("{shown}: not fixed: {}", why.explain()))
                );
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
                let diff = crate::fix::unified_diff(&text, &fixed.text, &shown);
                write!(out, "{}", crate::text::inert(&diff))?;
            }
            eprintln!("{}", crate::text::inert(&report));
        } else if matches!(job.input, check::Input::Stdin) {
            // The card itself, for a pipe: written as it is.
            out.write_all(fixed.text.as_bytes())?;
            eprintln!("{}", crate::text::inert(&report));
        } else {
            if fixed.changed() {
                if let check::Input::File { disk, .. } = &job.input {
                    std::fs::write(disk, fixed.text.as_bytes())
                        .with_context(|| format!("cannot write {}", disk.display()))?;
                }
            }
            writeln!(out, "{}", crate::text::inert(&report))?;
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
    // `new -`: the card on stdout, the settings and rdf.yaml of the current folder.
    let to_stdout = args.path.as_os_str() == "-";
    if to_stdout {
        let mut setups = setups_for(&args.common, cwd.clone());
        let which = setups.for_dir(&cwd)?;
        let setup = &setups.list[which];
        let facts = rdf_facts(setup, &cwd)?;
        let text = crate::new_card::card_text(&setup.spec, args.name.as_deref(), &facts);
        use std::io::Write as _;
        std::io::stdout().lock().write_all(text.as_bytes())?;
        return Ok(0);
    }
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
    let mut setups = setups_for(&args.common, cwd);
    std::fs::create_dir_all(&folder)
        .with_context(|| format!("cannot create {}", folder.display()))?;
    let which = setups.for_dir(&folder)?;
    let setup = &setups.list[which];
    let facts = rdf_facts(setup, &folder)?;
    let text = crate::new_card::card_text(&setup.spec, args.name.as_deref(), &facts);
    std::fs::write(&args.path, text)
        .with_context(|| format!("cannot write {}", args.path.display()))?;
    crate::outln!(
        "modelcard-review: wrote {} from {}. Fill in each placeholder and instruction, then run `modelcard-review check {}`.",
        args.path.display(),
        setup.description,
        args.path.display()
    );
    Ok(0)
}

/// What the folder's bioimage.io description states, for `new`.
fn rdf_facts(setup: &crate::check::Setup, folder: &Path) -> Result<crate::new_card::ModelFacts> {
    for name in crate::new_card::RDF_NAMES {
        let rdf = folder.join(name);
        if std::fs::symlink_metadata(&rdf).is_ok() {
            // As the metadata rule reads it: a regular UTF-8 file within the limit.
            let bytes = crate::files::read_regular(&rdf, crate::yaml::MAX_BYTES)
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            let text = crate::metadata::utf8(&bytes)
                .map_err(|why| anyhow::anyhow!("cannot read {}: {why}", rdf.display()))?;
            let fields = setup
                .cfg
                .rdf_fields
                .clone()
                .unwrap_or_else(crate::new_card::default_rdf_fields);
            let facts = crate::new_card::read_rdf(text, &fields)
                .with_context(|| format!("cannot read {}", rdf.display()))?;
            if facts.name.is_some() || facts.description.is_some() || !facts.fields.is_empty() {
                eprintln!("modelcard-review: filled from {}", rdf.display());
            } else {
                eprintln!(
                    "modelcard-review: {} states none of the facts the card takes from it",
                    rdf.display()
                );
            }
            return Ok(facts);
        }
    }
    Ok(crate::new_card::ModelFacts::default())
}
