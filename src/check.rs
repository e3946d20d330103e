//! `modelcard-review check`: finds cards on disk (files, folders walked for the
//! configured globs, or stdin), checks each, and streams the findings to a reporter.

use crate::config::Config;
use crate::finding::{Counts, Finding};
use crate::report::{FileResult, Reporter};
use crate::rules::{check_text, unreadable, LinkOracle, NoOracle};
use crate::template::Spec;
use anyhow::{Context, Result};
use globset::{GlobSet, GlobSetBuilder};
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
}

pub struct Globs {
    include: GlobSet,
    exclude: GlobSet,
}

impl Globs {
    /// The configured `paths` and `exclude`, as given.
    pub fn new(cfg: &Config) -> Result<Globs> {
        Globs::with_exclude(cfg, &cfg.exclude)
    }

    /// For paths relative to the repository root (a pull request's files): without
    /// configured `paths`, the repository's own README and docs are not cards.
    pub fn for_repository(cfg: &Config) -> Result<Globs> {
        Globs::with_exclude(cfg, &cfg.excluded())
    }

    fn with_exclude(cfg: &Config, exclude: &[String]) -> Result<Globs> {
        let build = |globs: &[String]| -> Result<GlobSet> {
            let mut b = GlobSetBuilder::new();
            for g in globs {
                b.add(
                    globset::GlobBuilder::new(g)
                        .literal_separator(true)
                        .build()
                        .with_context(|| format!("bad glob {g:?}"))?,
                );
            }
            Ok(b.build()?)
        };
        Ok(Globs {
            include: build(&cfg.paths)?,
            exclude: build(exclude)?,
        })
    }

    /// A repository path (`/`-separated, relative) is a card to check.
    pub fn matches(&self, path: &str) -> bool {
        self.include.is_match(path) && !self.exclude.is_match(path)
    }
}

/// Where a card came from.
#[derive(Debug, Clone)]
pub enum Input {
    Stdin,
    File { disk: PathBuf, shown: String },
}

/// Expands the command line's paths into cards, in a stable order.
pub fn collect_inputs(args: &[PathBuf], root: &Path, globs: &Globs) -> Result<Vec<Input>> {
    let mut out = Vec::new();
    for a in args {
        if a.as_os_str() == "-" {
            out.push(Input::Stdin);
            continue;
        }
        let meta =
            std::fs::symlink_metadata(a).with_context(|| format!("cannot read {}", a.display()))?;
        if meta.is_dir() {
            let mut found = Vec::new();
            walk(a, root, globs, &mut found)
                .with_context(|| format!("cannot list {}", a.display()))?;
            found.sort_by(|x: &Input, y: &Input| shown(x).cmp(shown(y)));
            out.extend(found);
        } else {
            out.push(Input::File {
                disk: a.clone(),
                shown: display_path(a, root),
            });
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

fn walk(dir: &Path, root: &Path, globs: &Globs, out: &mut Vec<Input>) -> Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let name = entry.file_name();
        let name = name.to_string_lossy();
        let ft = entry.file_type()?;
        let path = entry.path();
        if ft.is_dir() {
            if name.starts_with('.') || name == "node_modules" || name == "target" {
                continue;
            }
            walk(&path, root, globs, out)?;
        } else if ft.is_file() || ft.is_symlink() {
            // Symlinked folders are never entered; symlinked files are vetted when read.
            if ft.is_symlink() && path.is_dir() {
                continue;
            }
            let shown = display_path(&path, root);
            if globs.matches(&shown) {
                out.push(Input::File { disk: path, shown });
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

/// Reads a card, refusing symlinks that lead outside the repository root and
/// reading at most one byte past the size limit.
pub fn read_card(disk: &Path, root: &Path, limit: usize) -> Result<ReadOutcome> {
    let meta = std::fs::symlink_metadata(disk)
        .with_context(|| format!("cannot read {}", disk.display()))?;
    if meta.file_type().is_symlink() {
        let target = std::fs::canonicalize(disk)
            .with_context(|| format!("cannot resolve symlink {}", disk.display()))?;
        let root = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
        if !target.starts_with(&root) {
            return Ok(ReadOutcome::Refused(format!(
                "This file is a symbolic link to {}, outside the repository, so it was not read. Replace the link with the card itself.",
                target.display()
            )));
        }
    }
    let f = std::fs::File::open(disk).with_context(|| format!("cannot open {}", disk.display()))?;
    let mut buf = Vec::new();
    f.take(limit as u64 + 1)
        .read_to_end(&mut buf)
        .with_context(|| format!("cannot read {}", disk.display()))?;
    Ok(ReadOutcome::Bytes(buf))
}

pub enum ReadOutcome {
    Bytes(Vec<u8>),
    Refused(String),
}

pub struct CheckSummary {
    pub files: usize,
    pub counts: Counts,
}

/// One card, checked.
struct Checked {
    shown: String,
    findings: Vec<Finding>,
    /// The decoded text, kept only for reporters that show source lines.
    source: Option<String>,
}

fn check_one(
    spec: &Spec,
    cfg: &Config,
    input: &Input,
    root: &Path,
    keep_source: bool,
) -> Result<Checked> {
    let (shown, outcome, oracle, rule_path): (String, ReadOutcome, Box<dyn LinkOracle>, String) =
        match input {
            Input::Stdin => {
                let mut buf = Vec::new();
                std::io::stdin()
                    .take(cfg.max_file_size as u64 + 1)
                    .read_to_end(&mut buf)
                    .context("cannot read standard input")?;
                (
                    "-".into(),
                    ReadOutcome::Bytes(buf),
                    Box::new(NoOracle),
                    "-".into(),
                )
            }
            Input::File { disk, shown } => {
                let outcome = read_card(disk, root, cfg.max_file_size)?;
                // A card outside the root judges its links from its own folder.
                let outside = shown.starts_with('/') || shown.starts_with("..");
                let (oracle_root, rule_path) = if outside {
                    let parent = disk.parent().map(Path::to_path_buf).unwrap_or_default();
                    let name = disk.file_name().map(|n| n.to_string_lossy().into_owned());
                    (parent, name.unwrap_or_default())
                } else {
                    (root.to_path_buf(), shown.clone())
                };
                (
                    shown.clone(),
                    outcome,
                    Box::new(DiskOracle { root: oracle_root }),
                    rule_path,
                )
            }
        };
    let (mut findings, source) = match &outcome {
        ReadOutcome::Bytes(b) => match crate::card::decode(b, cfg.max_file_size) {
            Ok(text) => (
                check_text(spec, cfg, &rule_path, text, oracle.as_ref()),
                keep_source.then(|| text.to_string()),
            ),
            Err(why) => (
                unreadable(cfg, &rule_path, why.explain(), &format!("{why:?}")),
                None,
            ),
        },
        ReadOutcome::Refused(why) => (unreadable(cfg, &rule_path, why.clone(), "symlink"), None),
    };
    let shown_path: std::sync::Arc<str> = shown.as_str().into();
    for f in &mut findings {
        f.path = std::sync::Arc::clone(&shown_path);
    }
    Ok(Checked {
        shown,
        findings,
        source,
    })
}

/// How far the checker threads may run ahead of the report, per thread: memory stays
/// bounded by this many cards whatever the corpus size.
const AHEAD_PER_THREAD: usize = 16;

/// Checks every input (in parallel) and streams the results in input order; returns
/// what the exit code needs.
pub fn run(
    spec: &Spec,
    cfg: &Config,
    inputs: &[Input],
    root: &Path,
    reporter: &mut dyn Reporter,
    out: &mut dyn Write,
) -> Result<CheckSummary> {
    let mut counts = Counts::default();
    let keep_source = reporter.shows_source();
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, 8);
    reporter.begin(out)?;
    crate::in_order::in_order(
        inputs,
        threads,
        threads * AHEAD_PER_THREAD,
        |i| check_one(spec, cfg, i, root, keep_source),
        |c| {
            for f in &c.findings {
                counts.add(f.severity);
            }
            reporter.file(
                out,
                &FileResult {
                    path: &c.shown,
                    findings: &c.findings,
                    source: c.source.as_deref(),
                },
            )?;
            Ok(())
        },
    )?;
    reporter.end(out, inputs.len(), counts)?;
    out.flush()?;
    Ok(CheckSummary {
        files: inputs.len(),
        counts,
    })
}
