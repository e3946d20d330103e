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
    /// A `workflow_run` after the `pull_request` workflow: the pull request is found
    /// from the run's head (GitHub lists none for forks: actions/runner#3444).
    WorkflowRun(WorkflowRunRef),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkflowRunRef {
    pub repository: String,
    pub head_sha: String,
    /// The branch the run was for, in `head_repository`.
    pub head_branch: Option<String>,
    /// `owner/name` of the repository the run's head lives in (the fork).
    pub head_repository: Option<String>,
    /// Pull request numbers GitHub lists (empty for forks).
    pub pull_numbers: Vec<u64>,
    /// The event that started the run (`pull_request`, `push`…).
    pub event: Option<String>,
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

/// `owner/name` as GitHub allows them: nothing that could break out of a URL path.
fn is_repo_name(s: &str) -> bool {
    let mut parts = s.split('/');
    let ok = |p: Option<&str>| {
        p.is_some_and(|p| {
            !p.is_empty()
                && p.len() <= 100
                && p != "."
                && p != ".."
                && p.chars()
                    .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
        })
    };
    ok(parts.next()) && ok(parts.next()) && parts.next().is_none()
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
            let head_repository = str_at(v, "/workflow_run/head_repository/full_name")
                .filter(|r| is_repo_name(r))
                .map(str::to_string);
            let head_branch = str_at(v, "/workflow_run/head_branch")
                .filter(|b| !b.is_empty() && b.len() <= 255 && !b.chars().any(char::is_control))
                .map(str::to_string);
            Ok(Event::WorkflowRun(WorkflowRunRef {
                repository,
                head_sha: sha_at(v, "/workflow_run/head_sha")?,
                head_branch,
                head_repository,
                pull_numbers,
                event: str_at(v, "/workflow_run/event").map(str::to_string),
            }))
        }
        other => bail!(
            "modelcard-review reviews pull requests; it was started by a {other:?} event. Use `on: pull_request`, `pull_request_target`, or `workflow_run` after a pull_request workflow."
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

    #[test]
    fn workflow_run_events() {
        let v = json!({
            "workflow_run": {"head_sha": "c".repeat(40), "head_branch": "add-model", "event": "pull_request",
                             "pull_requests": [], "head_repository": {"full_name": "someone/hub"}},
            "repository": {"full_name": "o/r"}
        });
        let Event::WorkflowRun(w) = parse_event(&v, "workflow_run").unwrap() else {
            panic!()
        };
        assert_eq!(w.head_repository.as_deref(), Some("someone/hub"));
        assert_eq!(w.head_branch.as_deref(), Some("add-model"));
        assert!(w.pull_numbers.is_empty());
        let mut bad = v.clone();
        bad["workflow_run"]["head_repository"]["full_name"] = json!("../../x");
        let Event::WorkflowRun(w) = parse_event(&bad, "workflow_run").unwrap() else {
            panic!()
        };
        assert_eq!(w.head_repository, None);
    }
}
