//! The hub's trend, read from git without checking anything out: the last commits
//! that changed cards (`git log`), each commit's cards (`git ls-tree`), their text
//! (one `git cat-file --batch` for the whole run), checked in memory under today's
//! template and settings, so the trend measures the cards and not the yardstick.
//! A card's text that an earlier commit already had is not checked again.

use super::{mean, HistoryPoint};
use crate::check::Globs;
use crate::config::Config;
use crate::rules::{check_card_bytes, map_card, LinkOracle};
use crate::template::Spec;
use anyhow::{bail, Context, Result};
use std::collections::{HashMap, HashSet};
use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Command, Stdio};

fn git(root: &Path, args: &[&str]) -> Result<Vec<u8>> {
    let out = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .context("cannot run git (is it installed?)")?;
    if !out.status.success() {
        bail!(
            "git {} failed: {}",
            args.first().copied().unwrap_or(""),
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }
    Ok(out.stdout)
}

/// The repository's top folder, or a clear error when `root` is in none.
pub fn repository_root(root: &Path) -> Result<std::path::PathBuf> {
    let out = git(root, &["rev-parse", "--show-toplevel"]).map_err(|_| {
        anyhow::anyhow!(
            "{} is not in a git repository: --history reads the cards' history with git",
            root.display()
        )
    })?;
    Ok(String::from_utf8_lossy(&out).trim().into())
}

/// The commit checked out, if `root` is in a repository with one.
pub fn head(root: &Path) -> Option<String> {
    git(root, &["rev-parse", "HEAD"])
        .ok()
        .map(|o| String::from_utf8_lossy(&o).trim().to_string())
}

/// A commit's files: existence answers for links.
struct Tree<'a>(&'a HashSet<String>, &'a HashSet<String>);

impl LinkOracle for Tree<'_> {
    fn exists(&self, path: &str) -> Option<bool> {
        Some(self.0.contains(path) || self.1.contains(path.trim_end_matches('/')))
    }
}

/// Reads blobs through one `git cat-file --batch`.
struct Blobs {
    child: std::process::Child,
    input: std::process::ChildStdin,
    output: BufReader<std::process::ChildStdout>,
}

impl Blobs {
    fn start(root: &Path) -> Result<Blobs> {
        let mut child = Command::new("git")
            .arg("-C")
            .arg(root)
            .args(["cat-file", "--batch"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .context("cannot run git cat-file")?;
        let input = child.stdin.take().context("git cat-file: no stdin")?;
        let output = BufReader::new(child.stdout.take().context("git cat-file: no stdout")?);
        Ok(Blobs {
            child,
            input,
            output,
        })
    }

    /// The blob's bytes, at most `limit` + 1 of them kept (a larger card is then
    /// unreadable, as on disk).
    fn read(&mut self, sha: &str, limit: usize) -> Result<Vec<u8>> {
        writeln!(self.input, "{sha}")?;
        self.input.flush()?;
        let mut header = String::new();
        self.output.read_line(&mut header)?;
        let size: usize = header
            .split_whitespace()
            .nth(2)
            .and_then(|s| s.parse().ok())
            .with_context(|| format!("git cat-file: unexpected answer {:?}", header.trim()))?;
        let mut bytes = Vec::with_capacity(size.min(limit + 1));
        (&mut self.output)
            .take(size.min(limit + 1) as u64)
            .read_to_end(&mut bytes)?;
        // The rest of an oversized blob, and the newline after every blob.
        std::io::copy(
            &mut (&mut self.output).take((size - bytes.len()) as u64 + 1),
            &mut std::io::sink(),
        )?;
        Ok(bytes)
    }
}

impl Drop for Blobs {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One point per commit, oldest first, for the last `n` commits that changed a card.
pub fn trend(root: &Path, spec: &Spec, cfg: &Config, n: usize) -> Result<Vec<HistoryPoint>> {
    let root = repository_root(root)?;
    let globs = Globs::for_repository(cfg)?;
    let mut args: Vec<String> = vec![
        "log".into(),
        "-n".into(),
        n.to_string(),
        "--format=%H%x09%cI".into(),
        "--".into(),
    ];
    args.extend(cfg.paths.iter().map(|p| format!(":(glob){p}")));
    let arg_refs: Vec<&str> = args.iter().map(String::as_str).collect();
    let log = String::from_utf8_lossy(&git(&root, &arg_refs)?).into_owned();
    let commits: Vec<(String, String)> = log
        .lines()
        .filter_map(|l| l.split_once('\t'))
        .map(|(c, d)| (c.to_string(), d.to_string()))
        .collect();
    let mut blobs = Blobs::start(&root)?;
    // Per blob: (errors, completeness).
    let mut seen: HashMap<String, (usize, f64)> = HashMap::new();
    let mut points = Vec::new();
    for (commit, date) in commits.into_iter().rev() {
        let listing = git(&root, &["ls-tree", "-r", "-z", "--full-tree", &commit])?;
        let mut files = HashSet::new();
        let mut dirs = HashSet::new();
        let mut cards: Vec<(String, String)> = Vec::new();
        for entry in listing.split(|b| *b == 0).filter(|e| !e.is_empty()) {
            let entry = String::from_utf8_lossy(entry);
            let Some((meta, path)) = entry.split_once('\t') else {
                continue;
            };
            let mut parts = meta.split_whitespace();
            let (kind, sha) = (parts.nth(1).unwrap_or(""), parts.next().unwrap_or(""));
            if kind != "blob" {
                continue;
            }
            let mut d = Path::new(path).parent();
            while let Some(x) = d.filter(|x| !x.as_os_str().is_empty()) {
                dirs.insert(x.to_string_lossy().into_owned());
                d = x.parent();
            }
            files.insert(path.to_string());
            if globs.matches(path) {
                cards.push((path.to_string(), sha.to_string()));
            }
        }
        let oracle = Tree(&files, &dirs);
        let (mut errors, mut complete) = (0, Vec::with_capacity(cards.len()));
        for (path, sha) in &cards {
            let (e, c) = match seen.get(sha) {
                Some(x) => *x,
                None => {
                    let bytes = blobs.read(sha, cfg.max_file_size)?;
                    let found = check_card_bytes(spec, cfg, path, &bytes, &oracle).findings;
                    let e = crate::finding::Counts::of(&found).errors;
                    let c = crate::card::decode(&bytes, cfg.max_file_size)
                        .map_or(0.0, |t| super::completeness(spec, &map_card(spec, cfg, t)));
                    seen.insert(sha.clone(), (e, c));
                    (e, c)
                }
            };
            errors += e;
            complete.push(c);
        }
        points.push(HistoryPoint {
            commit,
            date,
            cards: cards.len(),
            mean_completeness: mean(complete.into_iter()),
            errors,
        });
    }
    Ok(points)
}
