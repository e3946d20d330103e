//! Running the real binary as GitHub Actions runs it, against the fake GitHub, and
//! the cards and events the scenarios share.
#![allow(dead_code)]

use super::fake_github::{FileSpec, Shared, OWNER, REPO};
use serde_json::{json, Value};
use std::path::Path;

pub const TOKEN: &str = "ghs_SECRET_test_token_1234567890";
pub const HEAD: &str = "1111111111111111111111111111111111111111";
pub const HEAD2: &str = "2222222222222222222222222222222222222222";
pub const BASE: &str = "0000000000000000000000000000000000000000";
pub const CARD: &str = "models/nuclei/README.md";

pub fn fixture(p: &str) -> String {
    let b = std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join(p)).unwrap();
    String::from_utf8_lossy(&b)
        .trim_start_matches('\u{feff}')
        .to_string()
}

pub fn good() -> String {
    fixture("fixtures/cards/good/nuclei-unet-2d/README.md")
}

pub fn event(number: u64, head: &str, fork: bool) -> Value {
    let head_repo = if fork {
        "contributor/model-hub".to_string()
    } else {
        format!("{OWNER}/{REPO}")
    };
    json!({
        "action": "synchronize",
        "number": number,
        "pull_request": {
            "number": number,
            "head": {"sha": head, "ref": "add-model", "repo": {"full_name": head_repo, "fork": fork}},
            "base": {"sha": BASE, "ref": "main", "repo": {"full_name": format!("{OWNER}/{REPO}")}}
        },
        "repository": {"full_name": format!("{OWNER}/{REPO}")}
    })
}

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
    pub summary: String,
    pub outputs: String,
}

pub async fn run_bin(
    url: &str,
    event_name: &str,
    event: &Value,
    env: &[(&str, &str)],
    args: &[&str],
) -> Run {
    let dir = tempfile::tempdir().unwrap();
    run_bin_in(dir.path(), url, event_name, event, env, args).await
}

/// Runs in `workspace` (the job's working folder: a checkout, in some tests).
pub async fn run_bin_in(
    workspace: &Path,
    url: &str,
    event_name: &str,
    event: &Value,
    env: &[(&str, &str)],
    args: &[&str],
) -> Run {
    let scratch = tempfile::tempdir().unwrap();
    let dir = scratch.path();
    let ev = dir.join("event.json");
    std::fs::write(&ev, event.to_string()).unwrap();
    let summary = dir.join("summary.md");
    let outputs = dir.join("outputs.txt");
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_modelcard-review"));
    cmd.current_dir(workspace)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("GITHUB_API_URL", url)
        .env("GITHUB_EVENT_PATH", &ev)
        .env("GITHUB_EVENT_NAME", event_name)
        .env("GITHUB_REPOSITORY", format!("{OWNER}/{REPO}"))
        .env("GITHUB_RUN_ID", "42")
        .env("GITHUB_STEP_SUMMARY", &summary)
        .env("GITHUB_OUTPUT", &outputs)
        .env("INPUT_GITHUB_TOKEN", TOKEN)
        .env("INPUT_PATHS", "models/**/README.md")
        .env("MODELCARD_REVIEW_RETRY_BASE_MS", "20")
        .env("MODELCARD_REVIEW_MAX_WAIT_SECS", "10")
        .env("MODELCARD_REVIEW_LOG", "debug");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
    let out = tokio::task::spawn_blocking(move || cmd.args(&args).output().unwrap())
        .await
        .unwrap();
    let read = |p: &Path| std::fs::read_to_string(p).unwrap_or_default();
    let run = Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        summary: read(&summary),
        outputs: read(&outputs),
    };
    drop(scratch);
    // Shown for failing tests (cargo captures it otherwise).
    eprintln!(
        "--- modelcard-review stdout:\n{}\n--- stderr:\n{}",
        run.stdout, run.stderr
    );
    assert!(
        !run.stdout.contains(TOKEN) && !run.stderr.contains(TOKEN),
        "the token was printed"
    );
    run
}

pub async fn review(url: &str, head: &str) -> Run {
    run_bin(
        url,
        "pull_request",
        &event(7, head, false),
        &[],
        &["review"],
    )
    .await
}

pub fn file(name: &str, status: &str, base: Option<&str>, head: Option<&str>) -> FileSpec {
    FileSpec {
        filename: name.into(),
        status: status.into(),
        previous_filename: None,
        head: head.map(|h| h.as_bytes().to_vec()),
        base: base.map(|b| b.as_bytes().to_vec()),
        patch: None,
    }
}

pub fn calls(s: &Shared, method: &str, suffix: &str) -> usize {
    s.lock()
        .unwrap()
        .log
        .iter()
        .filter(|l| l.method == method && l.path.ends_with(suffix))
        .count()
}

pub fn writes(s: &Shared) -> usize {
    s.lock()
        .unwrap()
        .log
        .iter()
        .filter(|l| l.method != "GET")
        .count()
}

/// The good card without its Recommendations section, to which the pull request adds
/// a TODO on a new line: the TODO is commented inline; the missing section, on lines
/// the pull request did not touch, goes to the summary.
pub fn card_with_findings() -> (String, String) {
    let base = good().replace(
        "## Recommendations\n\nInspect a random sample of outputs for every new experiment, and compare counts with a manual count on at least five fields of view before relying on the model.\n\n",
        "",
    );
    let head = base.replace(
        "- **Compute Region:** Germany",
        "- **Compute Region:** TODO",
    );
    assert_ne!(base, head);
    assert_ne!(base, good());
    (base, head)
}

/// A `workflow_run` event after the `pull_request` workflow of a fork's pull request:
/// GitHub lists no pull request for it (actions/runner#3444).
pub fn workflow_run_event(head: &str, head_repo: &str, branch: &str) -> Value {
    json!({
        "action": "completed",
        "workflow_run": {
            "id": 99, "name": "modelcard-review-trigger", "event": "pull_request",
            "status": "completed", "conclusion": "success",
            "head_sha": head, "head_branch": branch,
            "head_repository": {"full_name": head_repo},
            "pull_requests": []
        },
        "repository": {"full_name": format!("{OWNER}/{REPO}")}
    })
}
