//! Reads what a review needs from the pull request through the API — its files, the
//! cards at the head commit, the head tree for link checks, the bot's earlier
//! comments — and never checks out or runs the pull request's code.

use super::client::{Api, ApiError};
use super::contents::{blob, contents_at, encode_path, head_tree, TreeOracle};
use super::event::{PullRequestRef, WorkflowRunRef};
use super::settings::Settings;
use crate::config::Globs;
use crate::diff::ChangedLines;
use crate::review::plan::{CardInput, PriorComment, SUMMARY_MARKER};
use crate::rules::{check_card_bytes, LinkOracle};
use crate::text::code;

use futures::StreamExt;
use serde_json::Value;
use std::collections::BTreeSet;

/// GitHub lists at most 3000 files of a pull request, 100 a page.
const MAX_FILE_PAGES: usize = 30;
/// Cards fetched at once: enough to be quick, few enough to be polite.
const CONCURRENT_FETCHES: usize = 4;

#[derive(Debug, Clone)]
pub struct PrFile {
    pub filename: String,
    pub previous_filename: Option<String>,
    pub status: String,
    pub sha: Option<String>,
    pub patch: Option<String>,
}

pub struct Gathered {
    pub cards: Vec<CardInput>,
    pub unknown_paths: BTreeSet<String>,
    pub notes: Vec<String>,
    pub prior: Vec<PriorComment>,
    pub summary_comment: Option<u64>,
    /// What a settings change would do to the hub's cards (see `impact`).
    pub settings_impact: Option<String>,
}

pub async fn list_files(api: &Api, pr: &PullRequestRef) -> Result<(Vec<PrFile>, bool), ApiError> {
    let (items, cut) = api
        .get_pages(
            &api.repo_path(&format!("/pulls/{}/files", pr.number)),
            MAX_FILE_PAGES,
        )
        .await?;
    let files = items
        .iter()
        .filter_map(|v| {
            Some(PrFile {
                filename: v.get("filename")?.as_str()?.to_string(),
                previous_filename: v
                    .get("previous_filename")
                    .and_then(Value::as_str)
                    .map(str::to_string),
                status: v
                    .get("status")
                    .and_then(Value::as_str)
                    .unwrap_or("modified")
                    .to_string(),
                sha: v.get("sha").and_then(Value::as_str).map(str::to_string),
                patch: v.get("patch").and_then(Value::as_str).map(str::to_string),
            })
        })
        .collect();
    Ok((files, cut))
}

/// The bot's earlier inline comments and its summary comment.
pub async fn prior_comments(
    api: &Api,
    pr: &PullRequestRef,
) -> Result<(Vec<PriorComment>, Option<u64>), ApiError> {
    let (review_comments, _) = api
        .get_pages(
            &api.repo_path(&format!("/pulls/{}/comments", pr.number)),
            50,
        )
        .await?;
    let prior = review_comments
        .iter()
        .filter_map(|c| {
            let id = c.get("id")?.as_u64()?;
            let path = c.get("path")?.as_str()?;
            let body = c.get("body")?.as_str()?;
            PriorComment::parse(id, path, body)
        })
        .collect();
    let (issue_comments, _) = api
        .get_pages(
            &api.repo_path(&format!("/issues/{}/comments", pr.number)),
            50,
        )
        .await?;
    let summary = issue_comments.iter().find_map(|c| {
        let body = c.get("body")?.as_str()?;
        body.starts_with(SUMMARY_MARKER)
            .then(|| c.get("id")?.as_u64())?
    });
    Ok((prior, summary))
}

/// Everything a plan needs, read through the API, judged by the base's settings.
pub async fn gather(
    api: &Api,
    pr: &PullRequestRef,
    settings: &Settings,
    source: &super::settings::SettingsSource,
) -> anyhow::Result<Gathered> {
    let (spec, cfg) = (&settings.spec, &settings.cfg);
    let globs = Globs::for_repository(cfg)?;
    let (files, cut) = list_files(api, pr)
        .await
        .map_err(|e| anyhow::anyhow!("cannot list the pull request's files: {e}"))?;
    let mut notes = Vec::new();
    if cut {
        notes.push(format!(
            "GitHub lists at most {} files of a pull request; cards beyond that were not checked.",
            MAX_FILE_PAGES * 100
        ));
    }
    let settings_files: Vec<&str> = std::iter::once(settings.config_path.as_str())
        .chain(settings.template_path.as_deref())
        .collect();
    let mut not_cards = Vec::new();
    let mut cards_to_read = Vec::new();
    // Cards whose metadata (rdf.yaml) changed: judged again.
    let mut metadata_cards: Vec<String> = Vec::new();
    let (mut settings_changed, mut template_changed) = (false, false);
    for f in files {
        if let Some(n) = crate::review::settings_change_note(&f.filename, &settings_files) {
            notes.push(n);
            settings_changed = true;
            template_changed |= settings.template_path.as_deref() == Some(f.filename.as_str());
        }
        if f.status != "removed" {
            metadata_cards.extend(crate::metadata::card_beside(&f.filename));
        }
        if !globs.matches(&f.filename) {
            if f.previous_filename
                .as_deref()
                .is_some_and(|p| globs.matches(p))
                && f.status == "renamed"
            {
                notes.push(format!(
                    "{} was renamed to {}, which is not a model card path, so it was not checked.",
                    code(f.previous_filename.as_deref().unwrap_or("")),
                    code(&f.filename)
                ));
            } else if f.status != "removed"
                && f.filename
                    .rsplit('/')
                    .next()
                    .is_some_and(|n| n.eq_ignore_ascii_case("README.md"))
            {
                not_cards.push(code(&f.filename));
            }
            continue;
        }
        match f.status.as_str() {
            "removed" => notes.push(format!(
                "{} is deleted in this pull request; nothing to check.",
                code(&f.filename)
            )),
            "added" | "modified" | "renamed" | "changed" | "copied" => cards_to_read.push(f),
            other => notes.push(format!(
                "{} has status {other:?}; it was not checked.",
                code(&f.filename)
            )),
        }
    }
    if !not_cards.is_empty() {
        notes.push(format!(
            "Not checked as model cards: {} — set `paths` to change this.",
            not_cards.join(", ")
        ));
    }
    let mut tree = if cards_to_read.is_empty() && metadata_cards.is_empty() && !settings_changed {
        TreeOracle::unknown()
    } else {
        head_tree(api, &pr.head_sha).await
    };
    let settings_impact = if settings_changed {
        Some(super::impact::of_settings(api, pr, settings, source, &tree, template_changed).await)
    } else {
        None
    };
    for card in metadata_cards {
        if globs.matches(&card)
            && !cards_to_read.iter().any(|f: &PrFile| f.filename == card)
            && tree.exists(&card) == Some(true)
        {
            // Not in the diff: its findings go to the summary.
            cards_to_read.push(PrFile {
                filename: card,
                previous_filename: None,
                status: "unchanged".into(),
                sha: None,
                patch: None,
            });
        }
    }
    // Each card with the metadata beside it (read at the head, for
    // `metadata-mismatch`), fetched side by side.
    let tree_ref = &tree;
    let results: Vec<(PrFile, CardRead, Option<MetadataFile>)> =
        futures::stream::iter(cards_to_read)
            .map(|f| async move {
                let r = read_card(api, pr, &f, cfg.max_file_size).await;
                let m = read_metadata_beside(api, pr, tree_ref, &f.filename).await;
                (f, r, m)
            })
            .buffered(CONCURRENT_FETCHES)
            .collect()
            .await;
    let mut cards = Vec::new();
    let mut unknown_paths = BTreeSet::new();
    for (f, r, metadata) in results {
        if let Some((path, bytes)) = metadata {
            tree.files.insert(path, bytes);
        }
        match r {
            Ok((bytes, changed)) => {
                let checked = check_card_bytes(spec, cfg, &f.filename, &bytes, &tree);
                let text = match crate::card::decode(&bytes, cfg.max_file_size) {
                    Ok(t) => t.to_string(),
                    Err(_) => String::new(),
                };
                cards.push(CardInput {
                    path: f.filename,
                    findings: checked.findings,
                    suppressed: checked.suppressed,
                    changed,
                    text,
                });
            }
            Err(e) => {
                notes.push(format!(
                    "{} could not be read from GitHub ({e}); it was not checked.",
                    code(&f.filename)
                ));
                unknown_paths.insert(f.filename);
            }
        }
    }
    let (prior, summary_comment) = prior_comments(api, pr)
        .await
        .map_err(|e| anyhow::anyhow!("cannot read the pull request's comments: {e}"))?;
    Ok(Gathered {
        cards,
        unknown_paths,
        notes,
        prior,
        summary_comment,
        settings_impact,
    })
}

/// A card's bytes at the head commit and the lines the pull request changed.
type CardRead = Result<(Vec<u8>, ChangedLines), String>;

/// A metadata file's path and bytes.
type MetadataFile = (String, Vec<u8>);

/// The first metadata file beside a card that the head tree has, with its bytes.
async fn read_metadata_beside(
    api: &Api,
    pr: &PullRequestRef,
    tree: &TreeOracle,
    card: &str,
) -> Option<MetadataFile> {
    let path = crate::metadata::beside(card).find(|p| tree.exists(p) == Some(true))?;
    match contents_at(api, &path, &pr.head_sha).await {
        Ok(bytes) => Some((path, bytes)),
        Err(e) => {
            tracing::warn!("{path}: not read ({e}); the card is not compared with it");
            None
        }
    }
}

async fn read_card(api: &Api, pr: &PullRequestRef, f: &PrFile, limit: usize) -> CardRead {
    let bytes = match &f.sha {
        Some(sha) if sha.chars().all(|c| c.is_ascii_hexdigit()) && !sha.is_empty() => {
            blob(api, sha).await?
        }
        _ => contents_at(api, &f.filename, &pr.head_sha)
            .await
            .map_err(|e| e.to_string())?,
    };
    if !is_text(&bytes) {
        // GitHub shows no text diff for it, so no line can take a comment.
        return Ok((bytes, ChangedLines::default()));
    }
    let changed = match (&f.patch, f.status.as_str()) {
        // Judged again for its metadata: no line of it is in the diff.
        (_, "unchanged") => ChangedLines::default(),
        (Some(p), _) => ChangedLines::from_patch(p),
        (None, "added") | (None, "copied") => ChangedLines::all(line_count(&bytes)),
        (None, _) => {
            // GitHub leaves the patch out of large diffs: diff base and head ourselves.
            let base_path = f.previous_filename.as_deref().unwrap_or(&f.filename);
            match contents_at(api, base_path, &pr.base_sha).await {
                Ok(base) if base.len() <= limit && bytes.len() <= limit => {
                    ChangedLines::from_contents(
                        &String::from_utf8_lossy(&base),
                        &String::from_utf8_lossy(&bytes),
                    )
                }
                Ok(_) => ChangedLines::default(),
                Err(e) => {
                    tracing::warn!(
                        "{}: no patch and no base version ({e}); findings go to the summary",
                        f.filename
                    );
                    ChangedLines::default()
                }
            }
        }
    };
    Ok((bytes, changed))
}

/// Text GitHub would diff: UTF-8 (a BOM allowed) without NUL bytes.
fn is_text(bytes: &[u8]) -> bool {
    !bytes.contains(&0) && std::str::from_utf8(bytes).is_ok()
}

fn line_count(bytes: &[u8]) -> usize {
    let n = bytes.iter().filter(|b| **b == b'\n').count();
    if bytes.last().is_some_and(|b| *b != b'\n') {
        n + 1
    } else {
        n
    }
}

/// The pull request a `workflow_run` is for.
#[derive(Debug)]
pub enum Found {
    /// Open, and its head is the run's commit.
    Open(PullRequestRef),
    /// Open, but its head has moved on since the run: reviewing the run's commit
    /// would post on an outdated diff.
    MovedOn {
        number: u64,
        live_sha: String,
    },
    NotFound,
}

fn is_sha(s: &str) -> bool {
    (7..=64).contains(&s.len()) && s.chars().all(|c| c.is_ascii_hexdigit())
}

/// A pull request as the API describes it, for the base repository `repository`.
pub fn pull_request_ref(v: &Value, repository: &str) -> Option<PullRequestRef> {
    let head_sha = v.pointer("/head/sha")?.as_str().filter(|s| is_sha(s))?;
    let base_sha = v.pointer("/base/sha")?.as_str().filter(|s| is_sha(s))?;
    let head_repo = v.pointer("/head/repo/full_name").and_then(Value::as_str);
    Some(PullRequestRef {
        repository: repository.to_string(),
        number: v.get("number")?.as_u64()?,
        head_sha: head_sha.to_string(),
        base_sha: base_sha.to_string(),
        // A deleted fork has no head repository: a fork too.
        from_fork: head_repo.is_none_or(|h| !h.eq_ignore_ascii_case(repository)),
    })
}

/// Finds the open pull request of a `workflow_run`: from the numbers GitHub lists,
/// else from the run's head repository and branch (GitHub lists none for forks),
/// else from the commit.
pub async fn find_pull_request(api: &Api, run: &WorkflowRunRef) -> Result<Found, ApiError> {
    let is_open = |v: &Value| v.get("state").and_then(Value::as_str) == Some("open");
    let mut candidates: Vec<Value> = Vec::new();
    for n in run.pull_numbers.iter().take(10) {
        let v = api
            .get(&api.repo_path(&format!("/pulls/{n}")))
            .await?
            .json()
            .map_err(|e| ApiError::Transport(e.to_string()))?;
        candidates.push(v);
    }
    if candidates.is_empty() {
        if let (Some(repo), Some(branch)) = (&run.head_repository, &run.head_branch) {
            let owner = repo.split('/').next().unwrap_or("");
            let (pulls, _) = api
                .get_pages(
                    &api.repo_path(&format!(
                        "/pulls?state=open&head={}%3A{}",
                        encode_path(owner),
                        encode_path(branch)
                    )),
                    3,
                )
                .await?;
            candidates.extend(pulls.into_iter().filter(|p| {
                p.pointer("/head/repo/full_name")
                    .and_then(Value::as_str)
                    .is_some_and(|h| h.eq_ignore_ascii_case(repo))
            }));
        }
    }
    if candidates.is_empty() {
        let (pulls, _) = api
            .get_pages(
                &api.repo_path(&format!("/commits/{}/pulls", run.head_sha)),
                3,
            )
            .await?;
        candidates.extend(pulls);
    }
    candidates.retain(is_open);
    let refs: Vec<PullRequestRef> = candidates
        .iter()
        .filter_map(|v| pull_request_ref(v, &run.repository))
        .collect();
    if let Some(p) = refs
        .iter()
        .find(|p| p.head_sha.eq_ignore_ascii_case(&run.head_sha))
    {
        return Ok(Found::Open(p.clone()));
    }
    Ok(match refs.into_iter().next() {
        Some(p) => Found::MovedOn {
            number: p.number,
            live_sha: p.head_sha,
        },
        None => Found::NotFound,
    })
}
