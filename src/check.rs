//! `modelcard-review check`: finds cards on disk (files, folders walked for the
//! configured globs, or stdin), checks each with the settings that apply to it, and
//! streams the findings to a reporter.
//!
//! Each card's settings are found as ruff and markdownlint find theirs: the nearest
//! `.modelcard-review.toml` walking up from the card's folder to the repository root
//! (the folder with `.git`), so the answer does not depend on the working folder.

use crate::config::{Config, DEFAULT_CONFIG_NAME};
use crate::finding::{Counts, Finding};
use crate::report::{FileResult, Reporter, Totals};
use crate::rules::{check_card, unreadable, LinkOracle, NoOracle};
use crate::template::Spec;
use anyhow::{Context, Result};
use std::collections::HashMap;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

/// Answers link existence from the local disk, below the repository root.
pub struct DiskOracle {
    pub root: PathBuf,
}

impl LinkOracle for DiskOracle {
    fn exists(&self, path: &str) -> Option<bool> {
        Some(self.root.join(path).exists())
    }

    fn read(&self, path: &str) -> Option<Result<Vec<u8>, String>> {
        let p = self.root.join(path);
        // Never followed: a hub's metadata is a file of its own, as git stores it.
        let meta = std::fs::symlink_metadata(&p).ok()?;
        if !meta.is_file() {
            return Some(Err(crate::files::not_regular(&meta)));
        }
        // The rule refuses a file over the limit: one byte past it is enough to tell.
        Some(crate::files::read_capped(&p, crate::yaml::MAX_BYTES).map_err(|e| e.to_string()))
    }
}

/// The oracle for a card whose links are resolved from `links_root` (None: stdin or an
/// unsaved buffer, whose links are not judged).
pub fn disk_oracle(links_root: Option<&Path>) -> Box<dyn LinkOracle> {
    match links_root {
        Some(root) => Box::new(DiskOracle {
            root: root.to_path_buf(),
        }),
        None => Box::new(NoOracle),
    }
}

/// Where a card's links are resolved from and the path they are resolved as: the
/// repository root and the card's repository path, or for a card outside the root
/// (`repo` starting with `/` or `..`), its own folder and file name. The flag says
/// which.
pub fn links_base(disk: &Path, repo: &str, root: &Path) -> (PathBuf, String, bool) {
    if repo.starts_with('/') || repo.starts_with("..") {
        let parent = disk.parent().map(Path::to_path_buf).unwrap_or_default();
        let name = disk.file_name().map(|n| n.to_string_lossy().into_owned());
        (parent, name.unwrap_or_default(), true)
    } else {
        (root.to_path_buf(), repo.to_string(), false)
    }
}

pub use crate::config::Globs;

/// The settings that judge some cards: a config (or the defaults), its template, and
/// the folder its globs and the cards' repository paths are relative to.
pub struct Setup {
    pub cfg: Config,
    pub spec: Spec,
    /// The repository root (or, outside a repository, the working folder).
    pub root: PathBuf,
    pub globs: Globs,
    /// Which config and template, for `--verbose` and the text summary.
    pub description: String,
}

/// Builds a setup from a config file (None: none was found), or fails saying why.
pub type LoadSetup<'a> = dyn Fn(Option<&Path>) -> Result<(Config, Spec, String)> + 'a;

/// The setups of a run, found per folder and loaded once per config file.
pub struct Setups<'a> {
    load: Box<LoadSetup<'a>>,
    /// `--config`: every card uses it.
    fixed: Option<PathBuf>,
    cwd: PathBuf,
    pub list: Vec<Setup>,
    by_config: HashMap<(Option<PathBuf>, PathBuf), usize>,
    by_dir: HashMap<PathBuf, usize>,
}

impl<'a> Setups<'a> {
    pub fn new(load: Box<LoadSetup<'a>>, fixed: Option<PathBuf>, cwd: PathBuf) -> Setups<'a> {
        Setups {
            load,
            fixed,
            cwd,
            list: Vec::new(),
            by_config: HashMap::new(),
            by_dir: HashMap::new(),
        }
    }

    /// The setup for a card in folder `dir`.
    pub fn for_dir(&mut self, dir: &Path) -> Result<usize> {
        let dir = absolute(&self.cwd, dir);
        if let Some(&i) = self.by_dir.get(&dir) {
            return Ok(i);
        }
        let repo_root = find_up(&dir, None, |d| d.join(".git").exists());
        let config = match &self.fixed {
            Some(c) => Some(absolute(&self.cwd, c)),
            None => find_up(&dir, repo_root.as_deref(), |d| {
                d.join(DEFAULT_CONFIG_NAME).is_file()
            })
            .map(|d| d.join(DEFAULT_CONFIG_NAME)),
        };
        let root = repo_root.clone().unwrap_or_else(|| self.cwd.clone());
        let key = (config.clone(), root.clone());
        let i = match self.by_config.get(&key) {
            Some(&i) => i,
            None => {
                let (cfg, spec, description) = (self.load)(config.as_deref())?;
                // The repository's own README and docs are not cards by default; a
                // folder that is no repository has no such thing.
                let globs = if repo_root.is_some() {
                    Globs::for_repository(&cfg)?
                } else {
                    Globs::new(&cfg)?
                };
                self.list.push(Setup {
                    cfg,
                    spec,
                    root,
                    globs,
                    description,
                });
                self.by_config.insert(key, self.list.len() - 1);
                self.list.len() - 1
            }
        };
        self.by_dir.insert(dir, i);
        Ok(i)
    }
}

fn absolute(cwd: &Path, p: &Path) -> PathBuf {
    let joined = if p.is_absolute() {
        p.to_path_buf()
    } else {
        cwd.join(p)
    };
    // `.` and `..` resolved by name, not by following links.
    let mut out = PathBuf::new();
    for c in joined.components() {
        match c {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// The nearest folder from `dir` up (to `stop` included, else to the file system's
/// root) for which `hit` holds.
fn find_up(dir: &Path, stop: Option<&Path>, hit: impl Fn(&Path) -> bool) -> Option<PathBuf> {
    let mut d = Some(dir);
    while let Some(cur) = d {
        if hit(cur) {
            return Some(cur.to_path_buf());
        }
        if stop == Some(cur) {
            return None;
        }
        d = cur.parent();
    }
    None
}

/// Where a card came from.
#[derive(Debug, Clone)]
pub enum Input {
    Stdin,
    File {
        disk: PathBuf,
        /// As shown to the user: relative to the working folder.
        shown: String,
        /// Relative to its setup's root, `/`-separated: what links and SARIF use.
        repo: String,
    },
}

/// A card and the setup that judges it.
#[derive(Debug, Clone)]
pub struct Job {
    pub input: Input,
    pub setup: usize,
}

/// Expands the command line's paths into cards, in a stable order, each once. Folders
/// are searched for the cards their setup's globs name; files named on the command
/// line are checked as they are, unless `force_exclude` (then the globs decide too).
pub fn collect_inputs(
    args: &[PathBuf],
    cwd: &Path,
    setups: &mut Setups,
    force_exclude: bool,
) -> Result<Vec<Job>> {
    let mut out = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for a in args {
        if a.as_os_str() == "-" {
            let setup = setups.for_dir(cwd)?;
            out.push(Job {
                input: Input::Stdin,
                setup,
            });
            continue;
        }
        let meta =
            std::fs::symlink_metadata(a).with_context(|| format!("cannot read {}", a.display()))?;
        let mut found = Vec::new();
        if meta.is_dir() {
            walk(a, cwd, setups, &mut found)?;
            found.sort_by(|x: &Job, y: &Job| shown(&x.input).cmp(shown(&y.input)));
        } else {
            let dir = a
                .parent()
                .filter(|p| !p.as_os_str().is_empty())
                .unwrap_or(Path::new("."));
            let setup = setups.for_dir(dir)?;
            let repo = display_path(&absolute(cwd, a), &setups.list[setup].root);
            if force_exclude && !setups.list[setup].globs.matches(&repo) {
                tracing::info!(
                    "{}: not a card by the configured paths; skipped",
                    a.display()
                );
                continue;
            }
            found.push(Job {
                input: Input::File {
                    disk: a.clone(),
                    shown: display_path(a, cwd),
                    repo,
                },
                setup,
            });
        }
        for job in found {
            // The same file named twice (or inside a named folder) is checked once.
            // One path, one walk: nothing can repeat, and no lookup is paid per card.
            if let (Input::File { disk, .. }, true) = (&job.input, args.len() > 1) {
                let key = std::fs::canonicalize(disk).unwrap_or_else(|_| absolute(cwd, disk));
                if !seen.insert(key) {
                    continue;
                }
            }
            out.push(job);
        }
    }
    Ok(out)
}

fn shown(i: &Input) -> &str {
    match i {
        Input::Stdin => "-",
        Input::File { shown, .. } => shown,
    }
}

fn walk(dir: &Path, cwd: &Path, setups: &mut Setups, out: &mut Vec<Job>) -> Result<()> {
    let setup = setups.for_dir(dir)?;
    let listing = || format!("cannot list {}", dir.display());
    for entry in std::fs::read_dir(dir).with_context(listing)? {
        let entry = entry.with_context(listing)?;
        let name = entry.file_name();
        let name = name.to_string_lossy();
        let ft = entry.file_type().with_context(listing)?;
        let path = entry.path();
        if ft.is_dir() {
            if name.starts_with('.') || name == "node_modules" || name == "target" {
                continue;
            }
            walk(&path, cwd, setups, out)?;
        } else if ft.is_file() || ft.is_symlink() {
            // Symlinked folders are never entered; symlinked files are vetted when read.
            if ft.is_symlink() && path.is_dir() {
                continue;
            }
            let s = &setups.list[setup];
            let repo = display_path(&absolute(cwd, &path), &s.root);
            if s.globs.matches(&repo) {
                out.push(Job {
                    input: Input::File {
                        shown: display_path(&path, cwd),
                        disk: path,
                        repo,
                    },
                    setup,
                });
            }
        }
    }
    Ok(())
}

/// The path as a repository path: relative to the root, `/`-separated.
pub fn display_path(p: &Path, root: &Path) -> String {
    let rel = p.strip_prefix(root).unwrap_or(p);
    let s = rel
        .components()
        .filter_map(|c| match c {
            std::path::Component::Normal(s) => Some(s.to_string_lossy().into_owned()),
            std::path::Component::ParentDir => Some("..".to_string()),
            std::path::Component::RootDir => Some(String::new()),
            _ => None,
        })
        .collect::<Vec<_>>()
        .join("/");
    if s.is_empty() {
        p.to_string_lossy().into_owned()
    } else {
        s
    }
}

/// Reads a card, refusing symlinks that lead outside the repository root or nowhere,
/// anything but a regular file (a named pipe would never end the run), and reading
/// at most one byte past the size limit. A file that cannot be read is refused with
/// words for its `unreadable-file` finding, so the run goes on to the other cards.
pub fn read_card(disk: &Path, root: &Path, limit: usize) -> Result<ReadOutcome> {
    let meta = std::fs::symlink_metadata(disk)
        .with_context(|| format!("cannot read {}", disk.display()))?;
    if meta.file_type().is_symlink() {
        let target = match std::fs::canonicalize(disk) {
            Ok(t) => t,
            Err(e) => {
                return Ok(ReadOutcome::Refused(
                    format!(
                        "This file is a symbolic link that leads to no file ({}), so it was not read. Replace the link with the card itself.",
                        crate::text::code(&e.to_string())
                    ),
                    "symlink",
                ))
            }
        };
        let root = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
        if !target.starts_with(&root) {
            return Ok(ReadOutcome::Refused(
                format!(
                    "This file is a symbolic link to {}, outside the repository, so it was not read. Replace the link with the card itself.",
                    crate::text::code(&target.display().to_string())
                ),
                "symlink",
            ));
        }
    }
    match crate::files::read_capped(disk, limit) {
        Ok(bytes) => Ok(ReadOutcome::Bytes(bytes)),
        Err(crate::files::FileError::NotRegular(_, kind)) => Ok(ReadOutcome::Refused(
            format!("This is {kind}, not a regular file, so it was not read. A card is a Markdown file."),
            "not a file",
        )),
        Err(crate::files::FileError::Io(_, e)) => Ok(ReadOutcome::Refused(
            format!(
                "This file could not be read ({}).",
                crate::text::code(&e.to_string())
            ),
            "io",
        )),
        Err(e) => Err(e.into()),
    }
}

pub enum ReadOutcome {
    Bytes(Vec<u8>),
    /// Not read: why, in words for the finding, and the finding's subject.
    Refused(String, &'static str),
}

pub struct CheckSummary {
    pub files: usize,
    pub counts: Counts,
    pub totals: Totals,
    /// Whether any card's findings reach its config's `fail-on`.
    pub fails: bool,
}

/// One card, checked.
pub struct Checked {
    pub shown: String,
    pub repo: String,
    pub findings: Vec<Finding>,
    pub suppressed: usize,
    /// The decoded text, kept only for reporters that show source lines (and the audit).
    pub source: Option<String>,
    /// The card's path as its links are resolved, and the folder they are resolved
    /// from (None: stdin, which judges no link): to check the same text again under
    /// another template.
    pub rule_path: String,
    pub links_root: Option<PathBuf>,
}

/// Reads and checks one card as `check` does.
pub fn check_one(setup: &Setup, input: &Input, keep_source: bool) -> Result<Checked> {
    let (spec, cfg, root) = (&setup.spec, &setup.cfg, &setup.root);
    // `repo`: the card as SARIF names it; `rule_path`: as its links are resolved.
    let (shown, repo, rule_path, outcome, links_root, size): (
        String,
        String,
        String,
        ReadOutcome,
        Option<PathBuf>,
        Option<PathBuf>,
    ) = match input {
        Input::Stdin => {
            let mut buf = Vec::new();
            std::io::stdin()
                .take(cfg.max_file_size as u64 + 1)
                .read_to_end(&mut buf)
                .context("cannot read standard input")?;
            (
                "-".into(),
                "-".into(),
                "-".into(),
                ReadOutcome::Bytes(buf),
                None,
                None,
            )
        }
        Input::File { disk, shown, repo } => {
            let outcome = read_card(disk, root, cfg.max_file_size)?;
            // The file's real size, only for a file over the limit (see below).
            let size = Some(disk.clone());
            // A card outside the root judges its links from its own folder.
            let (oracle_root, rule_path, outside) = links_base(disk, repo, root);
            (
                shown.clone(),
                if outside { shown.clone() } else { repo.clone() },
                rule_path,
                outcome,
                Some(oracle_root),
                size,
            )
        }
    };
    let oracle = disk_oracle(links_root.as_deref());
    let (mut findings, suppressed, source) = match &outcome {
        ReadOutcome::Bytes(b) => match crate::card::decode(b, cfg.max_file_size) {
            Ok(text) => {
                let c = check_card(spec, cfg, &rule_path, text, oracle.as_ref());
                (
                    c.findings,
                    c.suppressed,
                    keep_source.then(|| text.to_string()),
                )
            }
            Err(mut why) => {
                // Only the limit and one byte more were read: say the file's real size.
                if let (crate::card::Unreadable::TooLarge { size: s, .. }, Some(real)) =
                    (&mut why, size.and_then(|d| std::fs::metadata(d).ok()))
                {
                    *s = real.len() as usize;
                }
                (
                    crate::rules::unreadable_at(
                        cfg,
                        &rule_path,
                        why.line(),
                        why.explain(),
                        &format!("{why:?}"),
                    ),
                    0,
                    None,
                )
            }
        },
        ReadOutcome::Refused(why, subject) => {
            (unreadable(cfg, &rule_path, why.clone(), subject), 0, None)
        }
    };
    let shown_path: std::sync::Arc<str> = shown.as_str().into();
    for f in &mut findings {
        f.path = std::sync::Arc::clone(&shown_path);
    }
    Ok(Checked {
        shown,
        repo,
        findings,
        suppressed,
        source,
        rule_path,
        links_root,
    })
}

/// How far the checker threads may run ahead of the report, per thread: memory stays
/// bounded by this many cards whatever the corpus size.
const AHEAD_PER_THREAD: usize = 16;

/// Checker threads (every core, at most 8) and how many cards they may run ahead.
pub fn workers() -> (usize, usize) {
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, 8);
    (threads, threads * AHEAD_PER_THREAD)
}

/// Checks every card (in parallel) and streams the results in input order; returns
/// what the exit code needs.
pub fn run(
    setups: &[Setup],
    jobs: &[Job],
    reporter: &mut dyn Reporter,
    out: &mut dyn Write,
) -> Result<CheckSummary> {
    let mut totals = Totals {
        files: jobs.len(),
        ..Totals::default()
    };
    let mut fails = false;
    let keep_source = reporter.shows_source();
    let (threads, window) = workers();
    reporter.begin(out)?;
    crate::in_order::in_order(
        jobs,
        threads,
        window,
        |j| {
            check_one(&setups[j.setup], &j.input, keep_source)
                .map(|c| (c, setups[j.setup].cfg.fail_on))
        },
        |(c, fail_on)| {
            let counts = Counts::of(&c.findings);
            fails |= counts.fails(fail_on);
            totals.counts.errors += counts.errors;
            totals.counts.warnings += counts.warnings;
            totals.counts.notices += counts.notices;
            totals.suppressed += c.suppressed;
            if !c.findings.is_empty() {
                totals.files_with_findings += 1;
            }
            reporter.file(
                out,
                &FileResult {
                    path: &c.shown,
                    repo_path: &c.repo,
                    findings: &c.findings,
                    source: c.source.as_deref(),
                    suppressed: c.suppressed,
                },
            )?;
            Ok(())
        },
    )?;
    reporter.end(out, &totals)?;
    out.flush()?;
    Ok(CheckSummary {
        files: jobs.len(),
        counts: totals.counts,
        totals,
        fails,
    })
}
