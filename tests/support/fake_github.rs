//! A stateful fake of the GitHub REST endpoints the bot uses, on 127.0.0.1.
//! It stores reviews, comments, check runs and statuses, so a second run sees what
//! the first posted; answers in GitHub's documented shapes; refuses review comments
//! outside the diff (422) and `null`s where GitHub's schema has none; and can be told
//! to fail (403, 422, 429, 5xx, 502-after-create).

#![allow(dead_code)]

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::{Arc, Mutex};

pub const OWNER: &str = "ri-scale";
pub const REPO: &str = "model-hub";

#[derive(Clone, Debug)]
pub struct Fault {
    pub method: Method,
    /// Matches when the request path ends with this.
    pub path_suffix: String,
    pub status: u16,
    pub times: usize,
    pub headers: Vec<(String, String)>,
    pub body: Value,
    /// Do the work, then answer with the fault (GitHub's 502 after creating).
    pub after_effect: bool,
}

impl Fault {
    /// Answer `times` requests of `method` to a path ending in `suffix` with `status`.
    pub fn new(method: Method, suffix: &str, status: u16, times: usize) -> Fault {
        Fault {
            method,
            path_suffix: suffix.to_string(),
            status,
            times,
            headers: Vec::new(),
            body: json!({"message": "injected fault", "documentation_url": "https://docs.github.com/rest"}),
            after_effect: false,
        }
    }

    pub fn header(mut self, k: &str, v: &str) -> Fault {
        self.headers.push((k.to_string(), v.to_string()));
        self
    }

    /// Do the work first, then answer with the fault (GitHub's 502 after creating).
    pub fn after_effect(mut self) -> Fault {
        self.after_effect = true;
        self
    }
}

#[derive(Clone, Debug)]
pub struct Logged {
    pub method: String,
    pub path: String,
    pub query: String,
    pub body: Value,
    pub status: u16,
    pub authorization: Option<String>,
}

#[derive(Clone, Debug)]
pub struct FileSpec {
    pub filename: String,
    pub status: String,
    pub previous_filename: Option<String>,
    pub head: Option<Vec<u8>>,
    pub base: Option<Vec<u8>>,
    /// None: computed from base and head like GitHub would; Some(None): omitted.
    pub patch: Option<Option<String>>,
}

#[derive(Default)]
pub struct Fake {
    pub base_url: String,
    pub pr_number: u64,
    pub head_sha: String,
    pub base_sha: String,
    pub files: Vec<FileSpec>,
    pub extra_tree_paths: Vec<String>,
    pub review_comments: Vec<Value>,
    pub issue_comments: Vec<Value>,
    pub reviews: Vec<Value>,
    pub check_runs: Vec<Value>,
    pub statuses: Vec<Value>,
    pub faults: Vec<Fault>,
    pub log: Vec<Logged>,
    /// A read-only token: every write answers 403.
    pub read_only: bool,
    /// Check runs refused (a token without `checks: write`).
    pub no_checks: bool,
    /// Files at the base commit besides the pull request's own (config, template).
    pub base_files: Vec<(String, Vec<u8>)>,
    /// Files at the head commit that the pull request does not change (a card whose
    /// rdf.yaml changed).
    pub head_files: Vec<(String, Vec<u8>)>,
    /// `owner/name` of the head repository (a fork's, or ours).
    pub head_repo: String,
    pub head_ref: String,
    /// Comments of pending reviews, by review id (GitHub shows them on submit).
    pub pending_comments: HashMap<u64, Vec<Value>>,
    next_id: u64,
    prism: Option<PrismGuard>,
}

/// Stoplight Prism in proxy mode in front of the fake, validating every request and
/// response against GitHub's OpenAPI description; stopped with the fake.
pub struct PrismGuard {
    pid: u32,
    pub log: std::path::PathBuf,
}

impl Drop for PrismGuard {
    fn drop(&mut self) {
        let _ = std::process::Command::new("kill")
            .arg(self.pid.to_string())
            .status();
    }
}

/// Prism logs of the proxies started by this test binary, by proxy URL.
pub static PRISM_LOGS: Mutex<Vec<(String, std::path::PathBuf)>> = Mutex::new(Vec::new());

/// Set MODELCARD_REVIEW_VIA_PRISM=1 to route every scenario through Prism.
pub fn via_prism() -> bool {
    std::env::var("MODELCARD_REVIEW_VIA_PRISM").is_ok_and(|v| v == "1")
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn start_prism(upstream: &str) -> (String, PrismGuard) {
    let root = env!("CARGO_MANIFEST_DIR");
    let port = free_port();
    let log = std::path::Path::new(root).join(format!("target/prism/prism-test-{port}.log"));
    let out = std::process::Command::new("bash")
        .current_dir(root)
        .env("PRISM_CACHE_DIR", format!("{root}/target/prism"))
        .args([
            "scripts/prism-proxy.sh",
            "proxy",
            "--upstream",
            upstream,
            "--port",
            &port.to_string(),
            "--spec",
            "fixtures/github/openapi-subset.json",
            "--log",
            log.to_str().unwrap(),
        ])
        .output()
        .expect("run prism-proxy.sh");
    assert!(
        out.status.success(),
        "Prism did not start: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let pid: u32 = String::from_utf8_lossy(&out.stdout)
        .trim()
        .parse()
        .expect("Prism PID");
    let url = format!("http://127.0.0.1:{port}");
    PRISM_LOGS.lock().unwrap().push((url.clone(), log.clone()));
    (url, PrismGuard { pid, log })
}

/// Problems Prism logged for the proxy at `url` (requests or responses that break
/// GitHub's OpenAPI description).
pub fn prism_violations(url: &str) -> Vec<String> {
    let logs = PRISM_LOGS.lock().unwrap();
    let Some((_, path)) = logs.iter().find(|(u, _)| u == url) else {
        return Vec::new();
    };
    std::fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .filter(|l| {
            l.to_ascii_lowercase().contains("violation")
                && !l.contains("[WARNING]")
                && !l.contains("warning")
        })
        .map(str::to_string)
        .collect()
}

pub type Shared = Arc<Mutex<Fake>>;

pub fn sha_of(bytes: &[u8]) -> String {
    // Not git's hash, but a stable 40-hex id per content.
    let mut h: u64 = 0xcbf29ce484222325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x100000001b3);
    }
    format!(
        "{h:016x}{:016x}{:08x}",
        h.rotate_left(17),
        bytes.len() as u32
    )
}

/// A unified diff of two texts, as GitHub puts in `patch`.
pub fn make_patch(base: &str, head: &str) -> String {
    let diff = similar::TextDiff::from_lines(base, head);
    let mut out = String::new();
    for hunk in diff.unified_diff().context_radius(3).iter_hunks() {
        out.push_str(&hunk.to_string());
    }
    out.trim_end_matches('\n').to_string()
}

fn user(login: &str, id: u64, kind: &str) -> Value {
    let enc = login.replace('[', "%5B").replace(']', "%5D");
    let base = format!("https://api.github.com/users/{enc}");
    json!({
        "login": login, "id": id, "node_id": format!("MDQ6VXNlcj{id}"),
        "avatar_url": format!("https://avatars.githubusercontent.com/u/{id}?v=4"), "gravatar_id": "",
        "url": base, "html_url": format!("https://github.com/{enc}"),
        "followers_url": format!("{base}/followers"), "following_url": format!("{base}/following{{/other_user}}"),
        "gists_url": format!("{base}/gists{{/gist_id}}"), "starred_url": format!("{base}/starred{{/owner}}{{/repo}}"),
        "subscriptions_url": format!("{base}/subscriptions"), "organizations_url": format!("{base}/orgs"),
        "repos_url": format!("{base}/repos"), "events_url": format!("{base}/events{{/privacy}}"),
        "received_events_url": format!("{base}/received_events"), "type": kind, "site_admin": false
    })
}

fn bot() -> Value {
    user("github-actions[bot]", 41898282, "Bot")
}

const NOW: &str = "2026-11-26T12:00:00Z";

impl Fake {
    pub fn new(pr_number: u64, head_sha: &str, base_sha: &str) -> Fake {
        Fake {
            pr_number,
            head_sha: head_sha.to_string(),
            base_sha: base_sha.to_string(),
            next_id: 1000,
            head_repo: format!("{OWNER}/{REPO}"),
            head_ref: "add-model".to_string(),
            ..Fake::default()
        }
    }

    fn id(&mut self) -> u64 {
        self.next_id += 1;
        self.next_id
    }

    fn api(&self, rest: &str) -> String {
        format!("https://api.github.com/repos/{OWNER}/{REPO}{rest}")
    }

    fn html(&self, rest: &str) -> String {
        format!("https://github.com/{OWNER}/{REPO}{rest}")
    }

    fn patch_of(&self, f: &FileSpec) -> Option<String> {
        match &f.patch {
            Some(p) => p.clone(),
            None => {
                let base = f
                    .base
                    .as_deref()
                    .map(String::from_utf8_lossy)
                    .unwrap_or_default();
                let head = f
                    .head
                    .as_deref()
                    .map(String::from_utf8_lossy)
                    .unwrap_or_default();
                Some(make_patch(&base, &head))
            }
        }
    }

    fn diff_entry(&self, f: &FileSpec) -> Value {
        let sha = f
            .head
            .as_deref()
            .map(sha_of)
            .unwrap_or_else(|| "0".repeat(40));
        let patch = self.patch_of(f);
        let (mut add, mut del) = (0, 0);
        for l in patch.as_deref().unwrap_or("").lines() {
            if l.starts_with('+') {
                add += 1;
            } else if l.starts_with('-') {
                del += 1;
            }
        }
        let mut v = json!({
            "sha": sha, "filename": f.filename, "status": f.status,
            "additions": add, "deletions": del, "changes": add + del,
            "blob_url": self.html(&format!("/blob/{}/{}", self.head_sha, f.filename)),
            "raw_url": self.html(&format!("/raw/{}/{}", self.head_sha, f.filename)),
            "contents_url": self.api(&format!("/contents/{}?ref={}", f.filename, self.head_sha)),
        });
        if let Some(p) = patch {
            v["patch"] = json!(p);
        }
        if let Some(prev) = &f.previous_filename {
            v["previous_filename"] = json!(prev);
        }
        v
    }

    /// Lines of the diff on the right side where GitHub accepts review comments.
    fn commentable(&self, path: &str) -> BTreeSet<u64> {
        let mut out = BTreeSet::new();
        let Some(f) = self.files.iter().find(|f| f.filename == path) else {
            return out;
        };
        // GitHub's diff exists even when the API leaves the patch out.
        let base = f
            .base
            .as_deref()
            .map(String::from_utf8_lossy)
            .unwrap_or_default();
        let head = f
            .head
            .as_deref()
            .map(String::from_utf8_lossy)
            .unwrap_or_default();
        let patch = self.patch_of(f).unwrap_or_else(|| make_patch(&base, &head));
        let mut right = 0u64;
        for line in patch.lines() {
            if let Some(rest) = line.strip_prefix("@@") {
                let plus = rest
                    .split_whitespace()
                    .find(|t| t.starts_with('+'))
                    .unwrap_or("+0");
                right = plus[1..].split(',').next().unwrap().parse().unwrap_or(0);
                continue;
            }
            match line.as_bytes().first() {
                Some(b'-') | Some(b'\\') => {}
                _ => {
                    out.insert(right);
                    right += 1;
                }
            }
        }
        out
    }

    fn review_comment(&mut self, review_id: u64, c: &Value) -> Value {
        let id = self.id();
        let path = c["path"].as_str().unwrap_or("").to_string();
        let mut v = json!({
            "url": self.api(&format!("/pulls/comments/{id}")), "id": id, "node_id": format!("PRRC_{id}"),
            "pull_request_review_id": review_id, "diff_hunk": "@@ -1,1 +1,1 @@", "path": path,
            "position": 1, "original_position": 1,
            "commit_id": self.head_sha, "original_commit_id": self.head_sha, "user": bot(),
            "body": c["body"], "created_at": NOW, "updated_at": NOW,
            "html_url": self.html(&format!("/pull/{}#discussion_r{id}", self.pr_number)),
            "pull_request_url": self.api(&format!("/pulls/{}", self.pr_number)),
            "author_association": "NONE",
            "_links": {
                "self": {"href": self.api(&format!("/pulls/comments/{id}"))},
                "html": {"href": self.html(&format!("/pull/{}#discussion_r{id}", self.pr_number))},
                "pull_request": {"href": self.api(&format!("/pulls/{}", self.pr_number))}
            },
            "line": c["line"], "original_line": c["line"], "side": "RIGHT", "original_start_line": null,
            "start_line": c.get("start_line").cloned().unwrap_or(Value::Null),
            "start_side": c.get("start_side").cloned().unwrap_or(Value::Null),
            "subject_type": "line"
        });
        if v["start_line"].is_null() {
            v["start_side"] = Value::Null;
        }
        v
    }

    fn issue_comment(&mut self, body: &str) -> Value {
        let id = self.id();
        json!({
            "id": id, "node_id": format!("IC_{id}"), "url": self.api(&format!("/issues/comments/{id}")),
            "html_url": self.html(&format!("/pull/{}#issuecomment-{id}", self.pr_number)), "body": body,
            "user": bot(), "created_at": NOW, "updated_at": NOW,
            "issue_url": self.api(&format!("/issues/{}", self.pr_number)), "author_association": "NONE"
        })
    }

    fn check_run(&mut self, body: &Value) -> Value {
        let id = self.id();
        let output = body.get("output").cloned().unwrap_or(json!({}));
        json!({
            "id": id, "node_id": format!("CR_{id}"), "head_sha": body["head_sha"], "name": body["name"],
            "external_id": body.get("external_id").cloned().unwrap_or(json!("")), "url": self.api(&format!("/check-runs/{id}")),
            "html_url": self.html(&format!("/runs/{id}")), "details_url": self.html(&format!("/runs/{id}")),
            "status": body["status"], "conclusion": body["conclusion"], "started_at": NOW, "completed_at": NOW,
            "output": {
                "title": output.get("title").cloned().unwrap_or(Value::Null),
                "summary": output.get("summary").cloned().unwrap_or(Value::Null),
                "text": null,
                "annotations_count": output.get("annotations").and_then(Value::as_array).map_or(0, |a| a.len()),
                "annotations_url": self.api(&format!("/check-runs/{id}/annotations"))
            },
            "check_suite": {"id": 5},
            "app": null,
            "pull_requests": []
        })
    }

    /// GitHub's own example pull request from the OpenAPI description, set to ours.
    /// (Its `requested_teams` entry lacks `type` and fails GitHub's own schema.)
    fn pull_request(&self) -> Value {
        static EXAMPLE: std::sync::OnceLock<Value> = std::sync::OnceLock::new();
        let example = EXAMPLE.get_or_init(|| {
            let path = concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/fixtures/github/openapi-subset.json"
            );
            let spec: Value =
                serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
            spec["components"]["examples"]["pull-request"]["value"].clone()
        });
        let mut pr = example.clone();
        pr["number"] = json!(self.pr_number);
        pr["requested_teams"] = json!([]);
        pr["head"]["sha"] = json!(self.head_sha);
        pr["head"]["ref"] = json!(self.head_ref);
        pr["head"]["label"] = json!(format!(
            "{}:{}",
            self.head_repo.split('/').next().unwrap(),
            self.head_ref
        ));
        pr["head"]["repo"]["full_name"] = json!(self.head_repo);
        pr["head"]["repo"]["fork"] = json!(self.head_repo != format!("{OWNER}/{REPO}"));
        pr["base"]["sha"] = json!(self.base_sha);
        pr["base"]["repo"]["full_name"] = json!(format!("{OWNER}/{REPO}"));
        pr["state"] = json!("open");
        pr
    }

    /// Reviews as GitHub lists them to the bot (pending ones are the bot's own).
    fn pending_review(&self) -> Option<u64> {
        self.reviews
            .iter()
            .find(|r| r["state"] == "PENDING")
            .and_then(|r| r["id"].as_u64())
    }

    fn write_refused(&self, method: &Method, path: &str) -> Option<Response> {
        if *method == Method::GET {
            return None;
        }
        let checks = path.contains("/check-runs");
        if self.read_only || (checks && self.no_checks) {
            return Some(error(403, "Resource not accessible by integration"));
        }
        None
    }

    fn handle(&mut self, method: &Method, path: &str, query: &str, body: &Value) -> Response {
        if let Some(r) = self.write_refused(method, path) {
            return r;
        }
        let prefix = format!("/repos/{OWNER}/{REPO}");
        let Some(rest) = path.strip_prefix(&prefix) else {
            return error(404, "Not Found");
        };
        let parts: Vec<&str> = rest.trim_start_matches('/').split('/').collect();
        let q: HashMap<String, String> = query
            .split('&')
            .filter_map(|kv| {
                kv.split_once('=')
                    .map(|(k, v)| (k.to_string(), v.to_string()))
            })
            .collect();
        // GitHub's paging: per_page (default 30, at most 100) and page (from 1).
        let per: usize = q
            .get("per_page")
            .and_then(|v| v.parse().ok())
            .unwrap_or(30)
            .clamp(1, 100);
        let p: usize = q
            .get("page")
            .and_then(|v| v.parse().ok())
            .unwrap_or(1)
            .max(1);
        let page = |items: Vec<Value>| -> Response {
            let slice: Vec<Value> = items
                .iter()
                .skip((p - 1) * per)
                .take(per)
                .cloned()
                .collect();
            let mut resp = Json(Value::Array(slice)).into_response();
            if p * per < items.len() {
                let next = format!(
                    "<https://api.github.com{path}?per_page={per}&page={}>; rel=\"next\"",
                    p + 1
                );
                resp.headers_mut()
                    .insert("link", HeaderValue::from_str(&next).unwrap());
            }
            resp
        };
        let n = self.pr_number.to_string();
        match (method.clone(), parts.as_slice()) {
            (Method::GET, ["pulls", num]) if *num == n => Json(self.pull_request()).into_response(),
            (Method::GET, ["pulls", num, "files"]) if *num == n => {
                // Only the requested page is rendered: patches are costly to make.
                let items: Vec<Value> = self
                    .files
                    .iter()
                    .enumerate()
                    .map(|(i, f)| {
                        if i / per + 1 == p {
                            self.diff_entry(f)
                        } else {
                            Value::Null
                        }
                    })
                    .collect();
                page(items)
            }
            (Method::GET, ["git", "blobs", sha]) => {
                let found = self
                    .files
                    .iter()
                    .filter_map(|f| f.head.as_ref())
                    .chain(self.head_files.iter().map(|(_, b)| b))
                    .find(|h| sha_of(h) == *sha);
                match found {
                    Some(bytes) => Json(json!({
                        "sha": sha, "node_id": format!("B_{sha}"), "size": bytes.len(),
                        "url": self.api(&format!("/git/blobs/{sha}")),
                        "content": base64::engine::general_purpose::STANDARD.encode(bytes), "encoding": "base64"
                    }))
                    .into_response(),
                    None => error(404, "Not Found"),
                }
            }
            (Method::GET, ["contents", ..]) => {
                let file_path = modelcard_review::text::percent_decode(&parts[1..].join("/"));
                let git_ref = q.get("ref").cloned().unwrap_or_default();
                let at_base = (git_ref == self.base_sha)
                    .then(|| {
                        self.base_files
                            .iter()
                            .find(|(p, _)| *p == file_path)
                            .map(|(_, b)| b.clone())
                    })
                    .flatten();
                let at_head = (git_ref != self.base_sha)
                    .then(|| {
                        self.head_files
                            .iter()
                            .find(|(p, _)| *p == file_path)
                            .map(|(_, b)| b.clone())
                    })
                    .flatten();
                let in_diff = |f: &FileSpec| {
                    f.filename == file_path || f.previous_filename.as_deref() == Some(&file_path)
                };
                let bytes = at_base
                    .or(at_head)
                    .or_else(|| {
                        self.files.iter().find_map(|f| {
                            if git_ref == self.base_sha {
                                let base_name =
                                    f.previous_filename.as_deref().unwrap_or(&f.filename);
                                (base_name == file_path).then(|| f.base.clone()).flatten()
                            } else {
                                (f.filename == file_path).then(|| f.head.clone()).flatten()
                            }
                        })
                    })
                    .or_else(|| {
                        // The head has the base's files that the pull request leaves alone.
                        (git_ref != self.base_sha && !self.files.iter().any(in_diff))
                            .then(|| {
                                self.base_files
                                    .iter()
                                    .find(|(p, _)| *p == file_path)
                                    .map(|(_, b)| b.clone())
                            })
                            .flatten()
                    });
                match bytes {
                    Some(b) => {
                        let sha = sha_of(&b);
                        let name = file_path.rsplit('/').next().unwrap_or("").to_string();
                        Json(json!({
                            "type": "file", "encoding": "base64", "size": b.len(), "name": name, "path": file_path,
                            "content": base64::engine::general_purpose::STANDARD.encode(&b), "sha": sha,
                            "url": self.api(&format!("/contents/{file_path}")),
                            "git_url": self.api(&format!("/git/blobs/{sha}")),
                            "html_url": self.html(&format!("/blob/{git_ref}/{file_path}")),
                            "download_url": format!("https://raw.githubusercontent.com/{OWNER}/{REPO}/{git_ref}/{file_path}"),
                            "_links": {"git": self.api(&format!("/git/blobs/{sha}")), "self": self.api(&format!("/contents/{file_path}")), "html": self.html(&format!("/blob/{git_ref}/{file_path}"))}
                        }))
                        .into_response()
                    }
                    None => error(404, "Not Found"),
                }
            }
            (Method::GET, ["git", "trees", sha]) => {
                // Each path with its blob's sha: the content's where the fake has it.
                let mut paths: BTreeMap<String, (String, usize)> = self
                    .extra_tree_paths
                    .iter()
                    .map(|p| (p.clone(), (sha_of(p.as_bytes()), 1)))
                    .collect();
                for (p, b) in &self.head_files {
                    paths.insert(p.clone(), (sha_of(b), b.len()));
                }
                for f in &self.files {
                    if let Some(b) = &f.head {
                        paths.insert(f.filename.clone(), (sha_of(b), b.len()));
                    }
                }
                let tree: Vec<Value> = paths
                    .iter()
                    .map(|(p, (sha, size))| json!({"path": p, "mode": "100644", "type": "blob", "sha": sha, "size": size, "url": self.api(&format!("/git/blobs/{sha}"))}))
                    .collect();
                Json(json!({"sha": sha, "url": self.api(&format!("/git/trees/{sha}")), "truncated": false, "tree": tree})).into_response()
            }
            (Method::GET, ["pulls", num, "comments"]) if *num == n => {
                page(self.review_comments.clone())
            }
            (Method::GET, ["issues", num, "comments"]) if *num == n => {
                page(self.issue_comments.clone())
            }
            (Method::GET, ["pulls", num, "reviews"]) if *num == n => page(self.reviews.clone()),
            (Method::GET, ["pulls", num, "reviews", id]) if *num == n => {
                match self
                    .reviews
                    .iter()
                    .find(|r| r["id"].as_u64() == id.parse::<u64>().ok())
                {
                    Some(r) => Json(r.clone()).into_response(),
                    None => error(404, "Not Found"),
                }
            }
            (Method::DELETE, ["pulls", num, "reviews", id]) if *num == n => {
                let Some(k) = self
                    .reviews
                    .iter()
                    .position(|r| r["id"].as_u64() == id.parse::<u64>().ok())
                else {
                    return error(404, "Not Found");
                };
                if self.reviews[k]["state"] != "PENDING" {
                    return error(
                        422,
                        "Unprocessable Entity: Can not delete a non-pending pull request review",
                    );
                }
                let r = self.reviews.remove(k);
                self.pending_comments.remove(&r["id"].as_u64().unwrap_or(0));
                Json(r).into_response()
            }
            (Method::GET, ["pulls", num, "reviews", id, "comments"]) if *num == n => {
                let id: u64 = id.parse().unwrap_or(0);
                let mut all: Vec<Value> = self
                    .review_comments
                    .iter()
                    .filter(|c| c["pull_request_review_id"] == id)
                    .cloned()
                    .collect();
                all.extend(self.pending_comments.get(&id).cloned().unwrap_or_default());
                page(all)
            }
            (Method::POST, ["pulls", num, "reviews", id, "events"]) if *num == n => {
                let id: u64 = id.parse().unwrap_or(0);
                let Some(k) = self.reviews.iter().position(|r| r["id"] == id) else {
                    return error(404, "Not Found");
                };
                if self.reviews[k]["state"] != "PENDING" {
                    return error(422, "Unprocessable Entity: the review is not pending");
                }
                self.reviews[k]["state"] = json!("COMMENTED");
                self.reviews[k]["submitted_at"] = json!(NOW);
                if let Some(b) = body.get("body") {
                    self.reviews[k]["body"] = b.clone();
                }
                for c in self.pending_comments.remove(&id).unwrap_or_default() {
                    self.review_comments.push(c);
                }
                Json(self.reviews[k].clone()).into_response()
            }
            (Method::GET, ["pulls"]) => {
                // `head=owner:branch`, as GitHub filters it.
                let head = q
                    .get("head")
                    .map(|h| modelcard_review::text::percent_decode(h))
                    .unwrap_or_default();
                let owner = self.head_repo.split('/').next().unwrap_or("");
                let want = format!("{owner}:{}", self.head_ref);
                let state = q.get("state").cloned().unwrap_or_else(|| "open".into());
                let matches = (head.is_empty() || head == want) && state != "closed";
                page(if matches {
                    vec![self.pull_request()]
                } else {
                    vec![]
                })
            }
            (Method::GET, ["commits", sha, "pulls"]) => {
                // A commit that exists only in a fork belongs to no pull request here.
                let ours = self.head_repo == format!("{OWNER}/{REPO}");
                page(if ours && *sha == self.head_sha {
                    vec![self.pull_request()]
                } else {
                    vec![]
                })
            }
            (Method::POST, ["pulls", num, "reviews"]) if *num == n => self.create_review(body),
            (Method::PATCH, ["pulls", "comments", id]) => {
                let id: u64 = id.parse().unwrap_or(0);
                match self.review_comments.iter_mut().find(|c| c["id"] == id) {
                    Some(c) => {
                        c["body"] = body["body"].clone();
                        c["updated_at"] = json!("2026-11-26T13:00:00Z");
                        Json(c.clone()).into_response()
                    }
                    None => error(404, "Not Found"),
                }
            }
            (Method::POST, ["issues", num, "comments"]) if *num == n => {
                let Some(text) = body["body"].as_str() else {
                    return error(422, "Validation Failed");
                };
                let c = self.issue_comment(text);
                self.issue_comments.push(c.clone());
                (StatusCode::CREATED, Json(c)).into_response()
            }
            (Method::PATCH, ["issues", "comments", id]) => {
                let id: u64 = id.parse().unwrap_or(0);
                match self.issue_comments.iter_mut().find(|c| c["id"] == id) {
                    Some(c) => {
                        c["body"] = body["body"].clone();
                        Json(c.clone()).into_response()
                    }
                    None => error(404, "Not Found"),
                }
            }
            (Method::POST, ["check-runs"]) => {
                if body["status"] == "completed" && body["conclusion"].is_null() {
                    return error(422, "conclusion is required when status is completed");
                }
                let c = self.check_run(body);
                self.check_runs.push(
                    json!({"run": c.clone(), "annotations": body["output"]["annotations"].clone()}),
                );
                (StatusCode::CREATED, Json(c)).into_response()
            }
            (Method::GET, ["commits", sha, "check-runs"]) => {
                let name = q.get("check_name").cloned();
                let runs: Vec<Value> = self
                    .check_runs
                    .iter()
                    .map(|c| c["run"].clone())
                    .filter(|r| {
                        r["head_sha"] == *sha
                            && name.as_ref().is_none_or(|n| r["name"] == n.as_str())
                    })
                    .collect();
                Json(json!({"total_count": runs.len(), "check_runs": runs})).into_response()
            }
            (Method::PATCH, ["check-runs", id]) => {
                let id: u64 = id.parse().unwrap_or(0);
                let Some(entry) = self.check_runs.iter_mut().find(|c| c["run"]["id"] == id) else {
                    return error(404, "Not Found");
                };
                if let Some(a) = body["output"]["annotations"].as_array() {
                    let mut all = entry["annotations"].as_array().cloned().unwrap_or_default();
                    all.extend(a.iter().cloned());
                    entry["annotations"] = Value::Array(all);
                }
                let run = entry["run"].clone();
                Json(run).into_response()
            }
            (Method::POST, ["statuses", sha]) => {
                let id = self.id();
                let s = json!({
                    "url": self.api(&format!("/statuses/{sha}")), "avatar_url": null, "id": id, "node_id": format!("S_{id}"),
                    "state": body["state"], "description": body.get("description").cloned().unwrap_or(Value::Null),
                    "target_url": null, "context": body["context"], "created_at": NOW, "updated_at": NOW, "creator": bot()
                });
                self.statuses.push(s.clone());
                (StatusCode::CREATED, Json(s)).into_response()
            }
            _ => error(404, "Not Found"),
        }
    }

    fn create_review(&mut self, body: &Value) -> Response {
        // GitHub allows one pending review per user and pull request, and takes no
        // other review from that user while it exists.
        if self.pending_review().is_some() {
            return error(
                422,
                "Unprocessable Entity: User can only have one pending review per pull request",
            );
        }
        let comments = body["comments"].as_array().cloned().unwrap_or_default();
        for c in &comments {
            // GitHub's schema: no nulls, integer lines, RIGHT/LEFT sides.
            if c.as_object()
                .is_some_and(|o| o.values().any(Value::is_null))
            {
                return error(
                    422,
                    "Invalid request. For 'properties/start_line', nil is not an integer.",
                );
            }
            let path = c["path"].as_str().unwrap_or("");
            let ok_lines = self.commentable(path);
            let line = c["line"].as_u64().unwrap_or(0);
            let start = c.get("start_line").and_then(Value::as_u64).unwrap_or(line);
            if !ok_lines.contains(&line) || !ok_lines.contains(&start) {
                return error(422, "Unprocessable Entity: pull_request_review_thread.line must be part of the diff");
            }
            if c["body"].as_str().is_some_and(|b| b.contains("REJECT-ME")) {
                return error(422, "Unprocessable Entity");
            }
        }
        let pending = body.get("event").is_none_or(Value::is_null);
        let id = self.id();
        let mut review = json!({
            "id": id, "node_id": format!("PRR_{id}"), "user": bot(), "body": body["body"].as_str().unwrap_or(""),
            "state": if pending { "PENDING" } else { "COMMENTED" },
            "html_url": self.html(&format!("/pull/{}#pullrequestreview-{id}", self.pr_number)),
            "pull_request_url": self.api(&format!("/pulls/{}", self.pr_number)),
            "_links": {"html": {"href": self.html(&format!("/pull/{}#pullrequestreview-{id}", self.pr_number))}, "pull_request": {"href": self.api(&format!("/pulls/{}", self.pr_number))}},
            "commit_id": body["commit_id"], "author_association": "NONE"
        });
        if !pending {
            review["submitted_at"] = json!(NOW);
        }
        self.reviews.push(review.clone());
        let made: Vec<Value> = comments
            .iter()
            .map(|c| self.review_comment(id, c))
            .collect();
        if pending {
            self.pending_comments.insert(id, made);
        } else {
            self.review_comments.extend(made);
        }
        Json(review).into_response()
    }

    /// A pending review of the bot, as an interrupted run leaves it.
    pub fn add_pending_review(&mut self, id: u64) {
        let mut r = json!({
            "id": id, "node_id": format!("PRR_{id}"), "user": bot(), "body": "", "state": "PENDING",
            "html_url": self.html(&format!("/pull/{}#pullrequestreview-{id}", self.pr_number)),
            "pull_request_url": self.api(&format!("/pulls/{}", self.pr_number)),
            "_links": {"html": {"href": self.html(&format!("/pull/{}#pullrequestreview-{id}", self.pr_number))}, "pull_request": {"href": self.api(&format!("/pulls/{}", self.pr_number))}},
            "commit_id": self.head_sha, "author_association": "NONE"
        });
        r["body"] = json!("");
        self.reviews.push(r);
    }

    /// Reviews submitted (not pending), as a maintainer sees them.
    pub fn submitted_reviews(&self) -> Vec<&Value> {
        self.reviews
            .iter()
            .filter(|r| r["state"] != "PENDING")
            .collect()
    }
}

struct Json(Value);
impl IntoResponse for Json {
    fn into_response(self) -> Response {
        let mut r = (StatusCode::OK, self.0.to_string()).into_response();
        r.headers_mut().insert(
            "content-type",
            HeaderValue::from_static("application/json; charset=utf-8"),
        );
        r
    }
}

fn error(status: u16, message: &str) -> Response {
    let body = json!({"message": message, "documentation_url": "https://docs.github.com/rest"});
    let mut r = (StatusCode::from_u16(status).unwrap(), body.to_string()).into_response();
    r.headers_mut().insert(
        "content-type",
        HeaderValue::from_static("application/json; charset=utf-8"),
    );
    r
}

/// GitHub refuses a comment, review or check-run text over 65,536 characters.
fn body_too_long(v: &Value) -> bool {
    let long = |x: &Value| x.as_str().is_some_and(|t| t.chars().count() > 65_536);
    long(&v["body"])
        || long(&v["output"]["summary"])
        || long(&v["output"]["text"])
        || v["comments"]
            .as_array()
            .is_some_and(|cs| cs.iter().any(|c| long(&c["body"])))
}

async fn handler(
    State(state): State<Shared>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let path = uri.path().to_string();
    let query = uri.query().unwrap_or("").to_string();
    let json_body: Value = if body.is_empty() {
        Value::Null
    } else {
        serde_json::from_slice(&body).unwrap_or(Value::String("<not json>".into()))
    };
    let mut fake = state.lock().unwrap();
    let fault = fake
        .faults
        .iter_mut()
        .find(|f| f.method == method && path.ends_with(&f.path_suffix) && f.times > 0)
        .map(|f| {
            f.times -= 1;
            f.clone()
        });
    let mut resp = match &fault {
        Some(f) if !f.after_effect => {
            let mut r =
                (StatusCode::from_u16(f.status).unwrap(), f.body.to_string()).into_response();
            for (k, v) in &f.headers {
                r.headers_mut().insert(
                    axum::http::HeaderName::from_bytes(k.as_bytes()).unwrap(),
                    HeaderValue::from_str(v).unwrap(),
                );
            }
            r.headers_mut().insert(
                "content-type",
                HeaderValue::from_static("application/json; charset=utf-8"),
            );
            r
        }
        _ if body_too_long(&json_body) => error(
            422,
            "Validation Failed: body is too long (maximum is 65536 characters)",
        ),
        _ => fake.handle(&method, &path, &query, &json_body),
    };
    if let Some(f) = fault.filter(|f| f.after_effect) {
        resp = error(f.status, "Bad Gateway");
    }
    fake.log.push(Logged {
        method: method.to_string(),
        path,
        query,
        body: json_body,
        status: resp.status().as_u16(),
        authorization: headers
            .get("authorization")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string),
    });
    resp
}

/// Starts the fake on 127.0.0.1 (a free port); returns its base URL.
pub async fn start(fake: Fake) -> (String, Shared) {
    let state: Shared = Arc::new(Mutex::new(fake));
    let app = axum::Router::new()
        .fallback(handler)
        .with_state(state.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    state.lock().unwrap().base_url = url.clone();
    tokio::spawn(async move {
        axum::serve(listener, app).await.unwrap();
    });
    if via_prism() {
        let (proxy, guard) = tokio::task::spawn_blocking({
            let url = url.clone();
            move || start_prism(&url)
        })
        .await
        .unwrap();
        state.lock().unwrap().prism = Some(guard);
        return (proxy, state);
    }
    (url, state)
}
