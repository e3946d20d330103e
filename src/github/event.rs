//! The event that started the workflow (`GITHUB_EVENT_PATH`), read as untrusted JSON.

use anyhow::{bail, Context, Result};
use serde_json::Value;

/// The event file of a large PR is a few hundred KiB; anything past this is not one.
const MAX_EVENT_BYTES: u64 = 25 * 1024 * 1024;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PullRequestRef {
    pub repository: String,
    pub number: u64,
    pub head_sha: String,
    pub base_sha: String,
    /// The head branch lives in another repository: the token is read-only there.
    pub from_fork: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    PullRequest(PullRequestRef),
    /// A `workflow_run` of the read-only half: what the trusted half may publish.
    WorkflowRun {
        repository: String,
        head_sha: String,
        /// Pull request numbers GitHub lists (empty for forks, a GitHub limitation).
        pull_numbers: Vec<u64>,
        conclusion: Option<String>,
    },
}

pub fn read_event(path: &std::path::Path, event_name: &str) -> Result<Event> {
    let meta = std::fs::metadata(path)
        .with_context(|| format!("cannot read the event file {}", path.display()))?;
    if meta.len() > MAX_EVENT_BYTES {
        bail!(
            "the event file {} is {} bytes, more than any GitHub event",
            path.display(),
            meta.len()
        );
    }
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read the event file {}", path.display()))?;
    let v: Value = serde_json::from_str(&text)
        .with_context(|| format!("the event file {} is not JSON", path.display()))?;
    parse_event(&v, event_name)
}

fn str_at<'a>(v: &'a Value, ptr: &str) -> Option<&'a str> {
    v.pointer(ptr).and_then(Value::as_str)
}

fn sha_at(v: &Value, ptr: &str) -> Result<String> {
    let s = str_at(v, ptr).with_context(|| format!("the event has no {ptr}"))?;
    if s.len() < 7 || s.len() > 64 || !s.chars().all(|c| c.is_ascii_hexdigit()) {
        bail!("the event's {ptr} is not a commit SHA");
    }
    Ok(s.to_string())
}

pub fn parse_event(v: &Value, event_name: &str) -> Result<Event> {
    match event_name {
        "pull_request" | "pull_request_target" => {
            let number = v
                .pointer("/pull_request/number")
                .and_then(Value::as_u64)
                .context("the event has no pull_request.number: run the action on pull_request events")?;
            let repository = str_at(v, "/repository/full_name")
                .or_else(|| str_at(v, "/pull_request/base/repo/full_name"))
                .context("the event has no repository.full_name")?
                .to_string();
            let head_repo = str_at(v, "/pull_request/head/repo/full_name");
            // A deleted fork has no head repository: treat it as a fork too.
            let from_fork = head_repo.is_none_or(|h| !h.eq_ignore_ascii_case(&repository));
            Ok(Event::PullRequest(PullRequestRef {
                repository,
                number,
                head_sha: sha_at(v, "/pull_request/head/sha")?,
                base_sha: sha_at(v, "/pull_request/base/sha")?,
                from_fork,
            }))
        }
        "workflow_run" => {
            let repository = str_at(v, "/repository/full_name").context("the event has no repository.full_name")?.to_string();
            let pull_numbers = v
                .pointer("/workflow_run/pull_requests")
                .and_then(Value::as_array)
                .map(|a| a.iter().filter_map(|p| p.get("number").and_then(Value::as_u64)).collect())
                .unwrap_or_default();
            Ok(Event::WorkflowRun {
                repository,
                head_sha: sha_at(v, "/workflow_run/head_sha")?,
                pull_numbers,
                conclusion: str_at(v, "/workflow_run/conclusion").map(str::to_string),
            })
        }
        other => bail!(
            "modelcard-review reviews pull requests; it was started by a {other:?} event. Use `on: pull_request` (or workflow_run for the publish step)."
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn pr(head_repo: &str) -> Value {
        json!({
            "pull_request": {"number": 5, "head": {"sha": "a".repeat(40), "repo": {"full_name": head_repo, "fork": head_repo != "o/r"}},
                             "base": {"sha": "b".repeat(40), "repo": {"full_name": "o/r"}}},
            "repository": {"full_name": "o/r"}
        })
    }

    #[test]
    fn pull_request_events() {
        let Event::PullRequest(p) = parse_event(&pr("o/r"), "pull_request").unwrap() else {
            panic!()
        };
        assert_eq!(p.number, 5);
        assert!(!p.from_fork);
        let Event::PullRequest(p) = parse_event(&pr("someone/r"), "pull_request").unwrap() else {
            panic!()
        };
        assert!(p.from_fork);
    }

    #[test]
    fn hostile_events_are_errors() {
        assert!(parse_event(&json!({}), "pull_request").is_err());
        assert!(parse_event(&json!({"pull_request": {"number": "5"}}), "pull_request").is_err());
        let mut bad = pr("o/r");
        bad["pull_request"]["head"]["sha"] = json!("; rm -rf /");
        assert!(parse_event(&bad, "pull_request").is_err());
        assert!(parse_event(&pr("o/r"), "push").is_err());
    }
}
