//! The hub's trend, read from git without checking anything out: the last commits
//! that changed cards (`git log`), each commit's cards (`git ls-tree`), their text
//! (one `git cat-file --batch` for the whole run), checked in memory under today's
//! template and settings, so the trend measures the cards and not the yardstick.
//! A card's text that an earlier commit already had is not checked again.

use super::{mean, HistoryPoint};
use crate::config::Config;
use crate::config::Globs;
use crate::git::{git, git_text, Blobs, Tree};
use crate::rules::{check_card_bytes, map_card};
use crate::template::Spec;
use anyhow::Result;
use std::collections::HashMap;
use std::path::Path;

/// The repository's top folder, or a clear error when `root` is in none.
pub fn repository_root(root: &Path) -> Result<std::path::PathBuf> {
    let top = git_text(root, &["rev-parse", "--show-toplevel"]).map_err(|_| {
        anyhow::anyhow!(
            "{} is not in a git repository: --history reads the cards' history with git",
            root.display()
        )
    })?;
    Ok(top.into())
}

/// The commit checked out, if `root` is in a repository with one.
pub fn head(root: &Path) -> Option<String> {
    git_text(root, &["rev-parse", "HEAD"]).ok()
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
        let mut tree = Tree::default();
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
            tree.insert(path.to_string());
            if globs.matches(path) {
                cards.push((path.to_string(), sha.to_string()));
            }
        }
        let (mut errors, mut complete) = (0, Vec::with_capacity(cards.len()));
        for (path, sha) in &cards {
            let (e, c) = match seen.get(sha) {
                Some(x) => *x,
                None => {
                    let bytes = blobs.read(sha, cfg.max_file_size)?.unwrap_or_default();
                    let found = check_card_bytes(spec, cfg, path, &bytes, &tree).findings;
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
