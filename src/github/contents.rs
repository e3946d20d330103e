//! Reading the repository through the API, at a commit: a file's bytes (the
//! contents API, the blob API past 1 MB) and the head commit's tree. The pull
//! request's reads, the hub's settings at the base and a settings change's impact
//! all read through here, and nothing here knows which of them asks.

use super::client::{Api, ApiError};
use crate::rules::LinkOracle;
use base64::Engine;
use serde_json::Value;
use std::collections::{HashMap, HashSet};

fn decode_base64(v: &Value) -> Option<Vec<u8>> {
    let content = v.get("content")?.as_str()?;
    let encoding = v
        .get("encoding")
        .and_then(Value::as_str)
        .unwrap_or("base64");
    if encoding != "base64" {
        return None;
    }
    let clean: String = content.chars().filter(|c| !c.is_whitespace()).collect();
    base64::engine::general_purpose::STANDARD.decode(clean).ok()
}

pub async fn blob(api: &Api, sha: &str) -> Result<Vec<u8>, String> {
    let r = api
        .get(&api.repo_path(&format!("/git/blobs/{sha}")))
        .await
        .map_err(|e| e.to_string())?;
    let v = r.json().map_err(|e| e.to_string())?;
    decode_base64(&v).ok_or_else(|| "GitHub sent the file in an unexpected encoding".to_string())
}

/// Why a file could not be read at a commit.
#[derive(Debug)]
pub enum ContentsError {
    /// The commit has no such file.
    NotFound,
    Other(String),
}

impl std::fmt::Display for ContentsError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ContentsError::NotFound => f.write_str("no such file at that commit"),
            ContentsError::Other(e) => f.write_str(e),
        }
    }
}

/// A file's bytes at a commit, through the contents API (the blob API past 1 MB).
pub async fn contents_at(api: &Api, path: &str, git_ref: &str) -> Result<Vec<u8>, ContentsError> {
    let r = api
        .get(&api.repo_path(&format!("/contents/{}?ref={git_ref}", encode_path(path))))
        .await
        .map_err(|e| match e.status() {
            Some(http::StatusCode::NOT_FOUND) => ContentsError::NotFound,
            _ => ContentsError::Other(e.to_string()),
        })?;
    let v = r.json().map_err(|e| ContentsError::Other(e.to_string()))?;
    if v.is_array()
        || v.get("type")
            .and_then(Value::as_str)
            .is_some_and(|t| t != "file")
    {
        // A folder (or a submodule, a symlink) where a file was expected.
        return Err(ContentsError::Other("it is not a file".into()));
    }
    if let Some(bytes) = decode_base64(&v)
        .filter(|b| !b.is_empty() || v.get("size").and_then(Value::as_u64) == Some(0))
    {
        return Ok(bytes);
    }
    // Over 1 MB the contents API sends no content; the blob API does.
    match v.get("sha").and_then(Value::as_str) {
        Some(sha) => blob(api, sha).await.map_err(ContentsError::Other),
        None => Err(ContentsError::Other(
            "GitHub sent no content for the file".into(),
        )),
    }
}

/// Percent-encodes a repository path as one URL path parameter (`/` as `%2F`, as
/// octokit's URL templates do), so it matches `/contents/{path}` everywhere.
pub fn encode_path(p: &str) -> String {
    crate::text::percent_encode(p, b"-._~")
}

/// The head commit's tree, for `broken-link`: every path, or None if unavailable.
pub struct TreeOracle {
    paths: Option<HashSet<String>>,
    truncated: bool,
    /// The files (path, blob sha), for reading every card of the hub.
    pub(crate) blobs: Vec<(String, String)>,
    /// Metadata files beside the cards, read at the head.
    pub(crate) files: HashMap<String, Vec<u8>>,
}

impl TreeOracle {
    /// A tree not read: no link is judged against it.
    pub fn unknown() -> TreeOracle {
        TreeOracle {
            paths: None,
            truncated: true,
            blobs: Vec::new(),
            files: HashMap::new(),
        }
    }
}

impl LinkOracle for TreeOracle {
    fn exists(&self, path: &str) -> Option<bool> {
        let paths = self.paths.as_ref()?;
        if paths.contains(path) {
            Some(true)
        } else if self.truncated {
            None
        } else {
            Some(false)
        }
    }

    fn read(&self, path: &str) -> Option<Result<Vec<u8>, String>> {
        self.files.get(path).cloned().map(Ok)
    }
}

pub async fn head_tree(api: &Api, sha: &str) -> TreeOracle {
    match api
        .get(&api.repo_path(&format!("/git/trees/{sha}?recursive=1")))
        .await
        .and_then(|r| r.json().map_err(|e| ApiError::Transport(e.to_string())))
    {
        Ok(v) => {
            let entries = v.get("tree").and_then(Value::as_array);
            let paths = entries.map(|a| {
                a.iter()
                    .filter_map(|e| e.get("path").and_then(Value::as_str).map(str::to_string))
                    .collect()
            });
            let blobs = entries
                .into_iter()
                .flatten()
                .filter(|e| e.get("type").and_then(Value::as_str) == Some("blob"))
                .filter_map(|e| {
                    Some((
                        e.get("path")?.as_str()?.to_string(),
                        e.get("sha")?.as_str()?.to_string(),
                    ))
                })
                .collect();
            TreeOracle {
                truncated: v.get("truncated").and_then(Value::as_bool).unwrap_or(false),
                paths,
                blobs,
                files: HashMap::new(),
            }
        }
        Err(e) => {
            tracing::warn!("cannot read the head tree, relative links are not checked: {e}");
            TreeOracle::unknown()
        }
    }
}
