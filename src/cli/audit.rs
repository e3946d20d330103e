//! `modelcard-review audit`: reads the hub's cards (as `check` finds them), audits
//! them in parallel, and writes the report as JSON and as one page.

use super::{setups_for, CommonArgs};
use crate::audit::{self, history};
use crate::check::collect_inputs;
use crate::template::Spec;
use anyhow::{bail, Context, Result};
use clap::Args;
use std::path::{Path, PathBuf};

#[derive(Args, Debug)]
pub struct AuditArgs {
    /// Cards or folders (default: the hub's cards, as its config's `paths` name them,
    /// from the repository root).
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    #[command(flatten)]
    pub common: CommonArgs,
    /// Write one self-contained HTML page (nothing loaded from the network).
    #[arg(long, value_name = "FILE")]
    pub html: Option<PathBuf>,
    /// Write the report as JSON (schemas/audit-output.v1.schema.json).
    #[arg(long, value_name = "FILE")]
    pub json: Option<PathBuf>,
    /// Add the trend over the last N commits that changed cards (read with git, no
    /// checkout).
    #[arg(long, value_name = "N")]
    pub history: Option<usize>,
    /// Add what this template would change: the findings each card would gain.
    #[arg(long, value_name = "FILE")]
    pub against_template: Option<PathBuf>,
    /// Link each card to its page in the repository (default: from GITHUB_SERVER_URL
    /// and GITHUB_REPOSITORY, else to the file, relative to the page).
    #[arg(long, value_name = "URL")]
    pub repo_url: Option<String>,
}

pub fn run_audit(args: AuditArgs) -> Result<i32> {
    let cwd = std::env::current_dir().context("cannot determine the current folder")?;
    let repo_root = find_repo(&cwd);
    let paths = if args.paths.is_empty() {
        vec![repo_root.clone().unwrap_or_else(|| cwd.clone())]
    } else {
        args.paths.clone()
    };
    if let Some(n) = args.history {
        if n == 0 {
            bail!("--history 0: give the number of commits to read, 1 or more");
        }
    }
    let mut setups = setups_for(&args.common, cwd.clone());
    let jobs = collect_inputs(&paths, &cwd, &mut setups, false)?;
    let hub_dir = if paths[0].is_dir() {
        paths[0].clone()
    } else {
        paths[0]
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .map_or(cwd.clone(), Path::to_path_buf)
    };
    let hub = setups.for_dir(&hub_dir)?;
    let new_spec = match &args.against_template {
        Some(p) => {
            let bytes = crate::files::read_regular(p, crate::template::MAX_TEMPLATE_BYTES)
                .with_context(|| format!("cannot read template {}", p.display()))?;
            let text = crate::card::decode(&bytes, crate::template::MAX_TEMPLATE_BYTES)
                .map_err(|e| anyhow::anyhow!("template {}: {}", p.display(), e.explain()))?;
            Some(Spec::from_markdown(
                text,
                &p.display().to_string(),
                &setups.list[hub].cfg,
            )?)
        }
        None => None,
    };
    let commit = repo_root.as_deref().and_then(history::head);
    let repo_url = args
        .repo_url
        .clone()
        .or_else(|| {
            let server = std::env::var("GITHUB_SERVER_URL").ok()?;
            let repo = std::env::var("GITHUB_REPOSITORY").ok()?;
            Some(format!("{}/{}", server.trim_end_matches('/'), repo))
        })
        .map(|u| web_url(&u))
        .transpose()?;
    let page_dir = args.html.as_deref().map(|h| {
        let abs = if h.is_absolute() {
            h.to_path_buf()
        } else {
            cwd.join(h)
        };
        abs.parent().map(Path::to_path_buf).unwrap_or_default()
    });
    let (cards, impacts) = audit::run::audit_cards(
        &setups.list,
        &jobs,
        hub,
        new_spec.as_ref(),
        &audit::run::Links {
            repo_url: repo_url.as_deref(),
            commit: commit.as_deref(),
            page_dir: page_dir.as_deref(),
            cwd: &cwd,
        },
    )?;
    let n = cards.len();
    let mut report = audit::report(&setups.list[hub].spec, commit, cards);
    if let Some(k) = args.history {
        let s = &setups.list[hub];
        report.history = Some(history::trend(&hub_dir, &s.spec, &s.cfg, k)?);
    }
    let mut line = None;
    if let (Some(spec), Some(p)) = (&new_spec, &args.against_template) {
        let _ = spec;
        let imp = audit::impact(
            template_name(&absolute(&cwd, p), repo_root.as_deref()),
            impacts,
        );
        line = Some(audit::impact_line(&imp, n, "this template"));
        report.impact = Some(imp);
    }
    if let Some(p) = &args.json {
        let mut text = serde_json::to_string_pretty(&report)?;
        text.push('\n');
        write_atomically(p, text.as_bytes())?;
    }
    if let Some(p) = &args.html {
        write_atomically(p, audit::page::render(&report, line.as_deref()).as_bytes())?;
    }
    let h = &report.hub;
    let mut msg = format!(
        "modelcard-review: audited {} card(s): {} pass, mean completeness {:.0}%, {} error(s), {} warning(s)",
        h.cards,
        h.passing,
        h.mean_completeness * 100.0,
        h.errors,
        h.warnings
    );
    if let Some(l) = &line {
        msg.push_str(&format!(". {}", l.trim_end_matches('.')));
    }
    for (what, p) in [("page", &args.html), ("JSON", &args.json)] {
        if let Some(p) = p {
            msg.push_str(&format!("; {what} written to {}", p.display()));
        }
    }
    // Only a `--fail-on` given here fails the run: the page's nightly job reports
    // a hub's errors, it does not fail on them unless asked to.
    let fail_on = setups.list[hub].cfg.fail_on;
    let fails = args.common.fail_on.is_some()
        && report.cards.iter().any(|c| {
            crate::finding::Counts {
                errors: c.errors,
                warnings: c.warnings,
                notices: c.notices,
            }
            .fails(fail_on)
        });
    if fails {
        msg.push_str(&format!(
            "; findings reach --fail-on {}",
            args.common.fail_on.as_deref().unwrap_or_default()
        ));
    }
    eprintln!("{}.", crate::text::inert(&msg));
    if args.html.is_none() && args.json.is_none() {
        let mut skipped: Vec<&audit::SectionEntry> =
            report.sections.iter().filter(|s| s.required).collect();
        skipped.sort_by(|a, b| a.fill_rate.total_cmp(&b.fill_rate));
        crate::outln!("Sections filled least (share of cards):");
        for s in skipped.iter().take(8) {
            crate::outln!(
                "  {:>4.0}%  {}",
                s.fill_rate * 100.0,
                crate::text::inert(&s.name)
            );
        }
        crate::outln!("Write the whole report with --html FILE or --json FILE.");
    }
    Ok(i32::from(fails))
}

/// A repository's web address, for links on the page: http(s) only (a
/// `javascript:` address would run in the reader's browser), without a trailing `/`.
fn web_url(u: &str) -> Result<String> {
    let u = u.trim();
    let lower = u.to_ascii_lowercase();
    if !(lower.starts_with("https://") || lower.starts_with("http://"))
        || u.chars()
            .any(|c| c.is_whitespace() || c.is_control() || c == '"' || c == '<' || c == '>')
    {
        bail!(
            "--repo-url {}: give the repository's web address, starting with https:// (for example https://github.com/OWNER/REPO)",
            crate::text::inert(u)
        );
    }
    Ok(u.trim_end_matches('/').to_string())
}

/// The template as the repository names it: relative to its root, else its file
/// name alone (never a machine's absolute path, which the page would publish).
fn template_name(path: &Path, repo_root: Option<&Path>) -> String {
    let canonical = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    let root = repo_root.map(|r| std::fs::canonicalize(r).unwrap_or_else(|_| r.to_path_buf()));
    if let Some(rel) = root.as_deref().and_then(|r| canonical.strip_prefix(r).ok()) {
        return crate::check::display_path(rel, Path::new(""));
    }
    path.file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned())
}

/// Writes through a temporary file beside the target, then renames: a failed run
/// leaves the previous report, never half of one.
fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .with_context(|| format!("{} is not a file name", path.display()))?;
    let tmp = dir.join(format!(
        ".{}.{}.tmp",
        name.to_string_lossy(),
        std::process::id()
    ));
    let written = std::fs::write(&tmp, bytes)
        .and_then(|()| std::fs::rename(&tmp, path))
        .with_context(|| format!("cannot write {}", path.display()));
    if written.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    written
}

fn find_repo(dir: &Path) -> Option<PathBuf> {
    dir.ancestors()
        .find(|d| d.join(".git").exists())
        .map(Path::to_path_buf)
}

fn absolute(cwd: &Path, p: &Path) -> PathBuf {
    if p.is_absolute() {
        p.to_path_buf()
    } else {
        cwd.join(p)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::run::relative;

    #[test]
    fn links_are_relative_to_the_page() {
        assert_eq!(
            relative(
                Path::new("/hub/site"),
                Path::new("/hub/models/a b/README.md")
            ),
            "../models/a%20b/README.md"
        );
        assert_eq!(
            relative(Path::new("/hub"), Path::new("/hub/x/README.md")),
            "x/README.md"
        );
    }
}
