//! `modelcard-review server` driven over stdio by a small LSP client, as an editor
//! drives it: diagnostics equal `check`'s, fixes equal `fix`'s, and bad input does not
//! stop it.

use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_modelcard-review");
const WAIT: Duration = Duration::from_secs(30);

struct Client {
    child: Child,
    stdin: Option<ChildStdin>,
    rx: Receiver<Value>,
    /// Messages read while waiting for something else.
    seen: Vec<Value>,
    next: i64,
}

fn frame(body: &str) -> Vec<u8> {
    format!("Content-Length: {}\r\n\r\n{body}", body.len()).into_bytes()
}

impl Client {
    fn start(cwd: &Path) -> Client {
        Client::start_with(cwd, json!({}))
    }

    fn start_with(cwd: &Path, capabilities: Value) -> Client {
        let mut child = Command::new(BIN)
            .arg("server")
            .current_dir(cwd)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut r = BufReader::new(stdout);
            loop {
                let mut len = 0usize;
                loop {
                    let mut line = String::new();
                    if r.read_line(&mut line).unwrap_or(0) == 0 {
                        return;
                    }
                    let line = line.trim_end();
                    if line.is_empty() {
                        break;
                    }
                    if let Some(v) = line.strip_prefix("Content-Length: ") {
                        len = v.parse().unwrap();
                    }
                }
                let mut body = vec![0; len];
                if r.read_exact(&mut body).is_err() {
                    return;
                }
                if tx.send(serde_json::from_slice(&body).unwrap()).is_err() {
                    return;
                }
            }
        });
        let stdin = child.stdin.take();
        let mut c = Client {
            child,
            stdin,
            rx,
            seen: Vec::new(),
            next: 0,
        };
        let init = c.request(
            "initialize",
            json!({"processId": null, "rootUri": null, "capabilities": capabilities}),
        );
        assert!(init["result"]["capabilities"].is_object(), "{init}");
        c.notify("initialized", json!({}));
        c
    }

    fn raw(&mut self, bytes: &[u8]) {
        let w = self.stdin.as_mut().unwrap();
        w.write_all(bytes).unwrap();
        w.flush().unwrap();
    }

    fn send(&mut self, v: Value) {
        self.raw(&frame(&v.to_string()));
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    fn request(&mut self, method: &str, params: Value) -> Value {
        self.next += 1;
        let id = self.next;
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        self.wait(|m| m["id"] == json!(id) && m.get("method").is_none())
    }

    /// The first message (already seen or coming) that `pick` accepts.
    fn wait(&mut self, pick: impl Fn(&Value) -> bool) -> Value {
        if let Some(i) = self.seen.iter().position(&pick) {
            return self.seen.remove(i);
        }
        let until = Instant::now() + WAIT;
        loop {
            let left = until.saturating_duration_since(Instant::now());
            match self.rx.recv_timeout(left) {
                Ok(m) if pick(&m) => return m,
                Ok(m) => self.seen.push(m),
                Err(RecvTimeoutError::Timeout) => panic!("no answer; seen {:#?}", self.seen),
                Err(RecvTimeoutError::Disconnected) => {
                    panic!("the server ended; seen {:#?}", self.seen)
                }
            }
        }
    }

    /// The next diagnostics published for `uri`.
    fn diagnostics(&mut self, uri: &str) -> Vec<Value> {
        let m = self.wait(|m| {
            m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri
        });
        m["params"]["diagnostics"].as_array().unwrap().clone()
    }

    fn open(&mut self, uri: &str, text: &str) -> Vec<Value> {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": "markdown", "version": 1, "text": text}}),
        );
        self.diagnostics(uri)
    }

    fn finish(mut self) -> (i32, String) {
        let r = self.request("shutdown", Value::Null);
        assert_eq!(r["result"], Value::Null, "{r}");
        self.notify("exit", Value::Null);
        self.end()
    }

    fn end(mut self) -> (i32, String) {
        drop(self.stdin.take());
        let out = self.child.wait_with_output().unwrap();
        (
            out.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    }
}

fn uri(p: &Path) -> String {
    format!("file://{}", p.display())
}

/// A hub: a repository with one card in `models/<name>/README.md`.
fn hub(card: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join(".git")).unwrap();
    let p = dir.path().join("models/seg/README.md");
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(&p, card).unwrap();
    (dir, p)
}

/// A card that passes, as written (CRLF line endings).
fn crlf_card() -> String {
    std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/cards/good/mito-em-3d/README.md"),
    )
    .unwrap()
}

fn good_card() -> String {
    crlf_card().replace("\r\n", "\n")
}

/// `check --format json` on the file as it is on disk: (rule, line, message).
fn check(cwd: &Path, file: &Path) -> Vec<(String, u64, String)> {
    let out = Command::new(BIN)
        .args(["check", "--format", "json", "--fail-on", "never"])
        .arg(file)
        .current_dir(cwd)
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let mut got = Vec::new();
    for f in v["files"].as_array().unwrap() {
        for x in f["findings"].as_array().unwrap() {
            got.push((
                x["rule"].as_str().unwrap().to_string(),
                x["line"].as_u64().unwrap(),
                x["message"].as_str().unwrap().to_string(),
            ));
        }
    }
    got
}

fn as_findings(diags: &[Value]) -> Vec<(String, u64, String)> {
    diags
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_string(),
                d["range"]["start"]["line"].as_u64().unwrap() + 1,
                d["message"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// Applies a list of LSP text edits (UTF-16 positions) to a text.
fn apply(text: &str, edits: &[Value]) -> String {
    let offset = |p: &Value| -> usize {
        let (line, ch) = (
            p["line"].as_u64().unwrap() as usize,
            p["character"].as_u64().unwrap() as usize,
        );
        let mut off = 0;
        for (i, l) in text.split_inclusive('\n').enumerate() {
            if i == line {
                let mut units = 0;
                for (b, c) in l.char_indices() {
                    if units >= ch {
                        return off + b;
                    }
                    units += c.len_utf16();
                }
                return off + l.trim_end_matches('\n').len();
            }
            off += l.len();
        }
        text.len()
    };
    let mut edits: Vec<(usize, usize, String)> = edits
        .iter()
        .map(|e| {
            (
                offset(&e["range"]["start"]),
                offset(&e["range"]["end"]),
                e["newText"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    edits.sort_by_key(|e| std::cmp::Reverse((e.0, e.1)));
    let mut out = text.to_string();
    for (a, b, t) in edits {
        out.replace_range(a..b, &t);
    }
    out
}

fn edits_of(action: &Value, uri: &str) -> Vec<Value> {
    action["edit"]["changes"][uri].as_array().unwrap().clone()
}

#[test]
fn diagnostics_are_checks_findings_on_open_and_on_every_change() {
    let card = crlf_card()
        .replace("- **License:** CC-BY-4.0", "- **License:** TBD")
        .replace("## Model Sources", "## Model Source");
    let (dir, path) = hub(&card);
    let u = uri(&path);
    let mut c = Client::start(dir.path());
    let diags = c.open(&u, &card);
    let want = check(dir.path(), &path);
    assert!(want.len() >= 2, "{want:?}");
    assert_eq!(as_findings(&diags), want);
    let d = &diags[0];
    assert!(
        d["codeDescription"]["href"]
            .as_str()
            .unwrap()
            .ends_with(&format!("docs/rules.md#{}", d["code"].as_str().unwrap())),
        "{d}"
    );
    assert_eq!(d["source"], "modelcard-review");

    // An incremental change, not saved: the diagnostics follow the buffer.
    let line = card.lines().position(|l| l == "## Model Source").unwrap();
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": u, "version": 2}, "contentChanges": [
            {"range": {"start": {"line": line, "character": 15}, "end": {"line": line, "character": 15}}, "text": "s"}
        ]}),
    );
    let after = c.diagnostics(&u);
    let fixed = card.replace("## Model Source\r\n", "## Model Sources\r\n");
    std::fs::write(&path, &fixed).unwrap();
    assert_eq!(as_findings(&after), check(dir.path(), &path));
    assert!(after.len() < diags.len());

    // A full-text change.
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": u, "version": 3}, "contentChanges": [{"text": good_card()}]}),
    );
    assert_eq!(c.diagnostics(&u), Vec::<Value>::new());
    let (code, stderr) = c.finish();
    assert_eq!(code, 0, "{stderr}");
}

#[test]
fn columns_are_utf16_by_default_and_utf8_when_offered() {
    let card = good_card().replace(
        "- **Modality:** FIB-SEM (focused ion beam scanning electron microscopy)",
        "- **Modality:** Modèle 🦠 TBD",
    );
    let (dir, path) = hub(&card);
    let u = uri(&path);
    let line_no = card.lines().position(|l| l.contains("🦠")).unwrap();
    let line = card.lines().nth(line_no).unwrap();
    let at = line.find("TBD").unwrap();
    for (caps, units) in [
        (json!({}), line[..at].encode_utf16().count()),
        (
            json!({"general": {"positionEncodings": ["utf-8", "utf-16"]}}),
            at,
        ),
    ] {
        let mut c = Client::start_with(dir.path(), caps);
        let diags = c.open(&u, &card);
        let d = diags
            .iter()
            .find(|d| d["range"]["start"]["line"] == json!(line_no))
            .unwrap_or_else(|| panic!("{diags:#?}"));
        assert_eq!(d["range"]["start"]["character"], json!(units), "{d}");
        assert_eq!(d["range"]["end"]["character"], json!(units + 3), "{d}");
        c.finish();
    }
}

#[test]
fn fix_all_gives_fix_and_a_quick_fix_renames_a_heading() {
    let card = good_card()
        .replace("## Model Sources", "## model sources")
        .replace("(#uses)", "(#usess)");
    let (dir, path) = hub(&card);
    let u = uri(&path);
    let mut c = Client::start(dir.path());
    let diags = c.open(&u, &card);
    let line = card.lines().position(|l| l == "## model sources").unwrap();
    let r = c.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": u}, "range": {"start": {"line": line, "character": 0}, "end": {"line": line, "character": 0}},
               "context": {"diagnostics": diags, "only": ["quickfix"]}}),
    );
    let actions = r["result"].as_array().unwrap();
    let rename = actions
        .iter()
        .find(|a| {
            a["title"]
                .as_str()
                .unwrap()
                .starts_with("Fix renamed-section")
        })
        .unwrap_or_else(|| panic!("{actions:#?}"));
    assert_eq!(rename["kind"], "quickfix");
    let renamed = apply(&card, &edits_of(rename, &u));
    assert_eq!(
        renamed,
        card.replace("## model sources", "## Model Sources")
    );
    let disable = actions
        .iter()
        .find(|a| a["title"] == "Disable renamed-section for this line")
        .unwrap();
    let disabled = apply(&card, &edits_of(disable, &u));
    assert!(
        disabled.contains(
            "<!-- modelcard-review-disable-next-line renamed-section -->\n## model sources\n"
        ),
        "{:#?}",
        edits_of(disable, &u)
    );

    let r = c.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": u}, "range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}},
               "context": {"diagnostics": [], "only": ["source.fixAll"]}}),
    );
    let all = &r["result"][0];
    assert_eq!(all["kind"], "source.fixAll", "{r}");
    let fixed_by_server = apply(&card, &edits_of(all, &u));
    let out = Command::new(BIN)
        .arg("fix")
        .arg(&path)
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(out.status.code().is_some(), "{out:?}");
    assert_eq!(fixed_by_server, std::fs::read_to_string(&path).unwrap());
    assert_eq!(fixed_by_server, good_card());
    c.finish();
}

#[test]
fn hover_explains_the_rule_and_the_template_section() {
    let card = good_card().replace("- **License:** CC-BY-4.0", "- **License:** TBD");
    let (dir, path) = hub(&card);
    let u = uri(&path);
    let mut c = Client::start(dir.path());
    c.open(&u, &card);
    let line = card
        .lines()
        .position(|l| l.contains("**License:** TBD"))
        .unwrap();
    let h = c.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": u}, "position": {"line": line, "character": 16}}),
    );
    let text = h["result"]["contents"]["value"].as_str().unwrap();
    assert!(
        text.contains("**placeholder**")
            && text.contains("**Why:**")
            && text.contains("Instead of:"),
        "{text}"
    );
    let line = card
        .lines()
        .position(|l| l == "## Model Description")
        .unwrap();
    let h = c.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": u}, "position": {"line": line, "character": 4}}),
    );
    let text = h["result"]["contents"]["value"].as_str().unwrap();
    assert!(
        text.starts_with("Template section **Model Description** (certain)"),
        "{text}"
    );
    assert!(text.contains("The template asks for:"), "{text}");
    c.finish();
}

#[test]
fn completion_offers_missing_sections_fields_and_anchors() {
    let without = good_card();
    let start = without.find("# Environmental Impact").unwrap();
    let end = without.find("# Technical Specifications").unwrap();
    let card = format!("{}#\n\n{}", &without[..start], &without[end..])
        .replace("- **License:** CC-BY-4.0\n", "- **\n")
        .replace("- [Uses](#uses)", "- [Uses](#us");
    let (dir, path) = hub(&card);
    let u = uri(&path);
    let mut c = Client::start(dir.path());
    c.open(&u, &card);
    let line = card.lines().position(|l| l == "#").unwrap();
    let r = c.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": u}, "position": {"line": line, "character": 1}}),
    );
    let items = r["result"].as_array().unwrap();
    let env = items
        .iter()
        .find(|i| i["label"] == "Environmental Impact")
        .unwrap_or_else(|| panic!("{items:#?}"));
    let inserted = apply(&card, &[env["textEdit"].clone()]);
    assert!(
        inserted.contains("\n# Environmental Impact\n\n"),
        "{inserted}"
    );
    assert!(inserted.contains("- **Hardware Type:**"), "{inserted}");

    let line = card.lines().position(|l| l == "- **").unwrap();
    let r = c.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": u}, "position": {"line": line, "character": 4}}),
    );
    let labels: Vec<&str> = r["result"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["label"].as_str().unwrap())
        .collect();
    assert_eq!(labels, ["License"], "only the section's missing field");

    let line = card.lines().position(|l| l == "- [Uses](#us").unwrap();
    let r = c.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": u}, "position": {"line": line, "character": 12}}),
    );
    let uses = r["result"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["label"] == "uses")
        .unwrap()
        .clone();
    assert_eq!(uses["textEdit"]["range"]["start"]["character"], 10);
    c.finish();

    // `###` offers only sections the template writes at level 3, not the level-1
    // Environmental Impact again.
    let deeper = card.replace("\n#\n", "\n###\n");
    let (dir, path) = hub(&deeper);
    let u = uri(&path);
    let mut c = Client::start(dir.path());
    c.open(&u, &deeper);
    let line = deeper.lines().position(|l| l == "###").unwrap();
    let r = c.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": u}, "position": {"line": line, "character": 3}}),
    );
    let labels: Vec<&str> = r["result"]
        .as_array()
        .map(|a| a.iter().map(|i| i["label"].as_str().unwrap()).collect())
        .unwrap_or_default();
    assert!(!labels.contains(&"Environmental Impact"), "{labels:?}");
    for item in r["result"].as_array().into_iter().flatten() {
        let text = item["textEdit"]["newText"].as_str().unwrap();
        assert!(text.starts_with("### "), "{text}");
    }
    c.finish();
}

#[test]
fn the_outline_lists_headings_and_the_missing_sections() {
    let good = good_card();
    let start = good.find("## Model Sources").unwrap();
    let end = good.find("# Uses").unwrap();
    let card = format!("{}{}", &good[..start], &good[end..]);
    let (dir, path) = hub(&card);
    let u = uri(&path);
    let mut c = Client::start(dir.path());
    c.open(&u, &card);
    let r = c.request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": u}}),
    );
    let roots = r["result"].as_array().unwrap();
    let details = roots.iter().find(|s| s["name"] == "Model Details").unwrap();
    let names: Vec<&str> = details["children"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Model Description", "Model Sources (missing)"]);
    assert!(details["detail"]
        .as_str()
        .unwrap()
        .starts_with("template: Model Details"));
    c.finish();
}

#[test]
fn settings_as_check_finds_them_and_reloaded_when_they_change() {
    let card = good_card().replace("- **License:** CC-BY-4.0", "- **License:** TBD");
    let (dir, path) = hub(&card);
    let cfg = dir.path().join(".modelcard-review.toml");
    std::fs::write(&cfg, "[rules]\nplaceholder = \"off\"\n").unwrap();
    let u = uri(&path);
    let mut c = Client::start(dir.path());
    assert_eq!(c.open(&u, &card), Vec::<Value>::new(), "the rule is off");
    // The repository's own README is not a card.
    let readme = dir.path().join("README.md");
    std::fs::write(&readme, "# My hub\n").unwrap();
    assert_eq!(
        c.open(&uri(&readme), "# My hub\nTODO\n"),
        Vec::<Value>::new()
    );

    std::fs::write(&cfg, "[rules]\nplaceholder = \"warning\"\n").unwrap();
    c.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": uri(&cfg), "type": 2}]}),
    );
    let diags = c.diagnostics(&u);
    assert_eq!(diags.len(), 1, "{diags:#?}");
    assert_eq!(
        (diags[0]["code"].as_str(), diags[0]["severity"].as_u64()),
        (Some("placeholder"), Some(2))
    );

    // A broken config: one error message naming the file and the key; the server goes on.
    std::fs::write(&cfg, "[rules]\nplaceholder = \"loud\"\n").unwrap();
    c.notify(
        "textDocument/didSave",
        json!({"textDocument": {"uri": uri(&cfg)}}),
    );
    let shown = c.wait(|m| m["method"] == "window/showMessage");
    let message = shown["params"]["message"].as_str().unwrap();
    assert_eq!(shown["params"]["type"], 1);
    assert!(
        message.contains(".modelcard-review.toml") && message.contains("placeholder"),
        "{message}"
    );
    assert!(message.contains("last good settings"), "{message}");
    // The card keeps the last good settings' diagnostic (the warning) meanwhile.
    let diags = c.diagnostics(&u);
    assert_eq!(diags.len(), 1, "{diags:#?}");
    assert_eq!(diags[0]["severity"].as_u64(), Some(2));
    let h = c.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": u}, "position": {"line": 0, "character": 0}}),
    );
    assert!(h.get("result").is_some(), "{h}");
    c.finish();
}

#[test]
fn bad_input_gets_an_answer_and_the_server_keeps_serving() {
    let (dir, path) = hub(&good_card());
    let u = uri(&path);
    let mut c = Client::start(dir.path());
    // Not JSON, then not JSON-RPC.
    c.raw(&frame("{oops"));
    let e = c.wait(|m| m["error"]["code"] == -32700);
    assert_eq!(e["id"], Value::Null);
    c.send(json!({"jsonrpc": "2.0", "id": 99, "params": 1}));
    let e = c.wait(|m| m["id"] == 99);
    assert_eq!(e["error"]["code"], -32600, "{e}");
    // Ids LSP cannot carry: each answered with an error whose id is null.
    for id in [
        json!(2_147_483_648_u64),
        json!(1.5),
        json!({}),
        json!([]),
        json!(true),
    ] {
        c.send(json!({"jsonrpc": "2.0", "id": id, "method": "textDocument/hover", "params": {}}));
        let e = c.wait(|m| m["error"]["code"] == -32600 && m["id"].is_null());
        assert!(
            e["error"]["message"]
                .as_str()
                .unwrap()
                .contains("neither a string"),
            "{id}: {e}"
        );
    }
    // A document never opened.
    let r = c.request("textDocument/hover", json!({"textDocument": {"uri": "file:///nowhere/README.md"}, "position": {"line": 0, "character": 0}}));
    assert!(
        r["error"]["message"].as_str().unwrap().contains("not open"),
        "{r}"
    );
    // A second initialize.
    let r = c.request(
        "initialize",
        json!({"processId": null, "rootUri": null, "capabilities": {}}),
    );
    assert_eq!(r["error"]["code"], -32600, "{r}");
    // An unknown method.
    let r = c.request("textDocument/rename", json!({}));
    assert_eq!(r["error"]["code"], -32601);
    // A 5 MB buffer: one unreadable-file diagnostic.
    let huge = "a".repeat(5 * 1024 * 1024);
    let diags = c.open(&u, &huge);
    assert_eq!(diags.len(), 1, "{diags:#?}");
    assert_eq!(diags[0]["code"], "unreadable-file");
    // Still answering.
    let diags = c.open(&u, &good_card());
    assert!(diags.is_empty());
    let (code, stderr) = c.finish();
    assert_eq!(code, 0);
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn a_client_that_leaves_without_shutdown_ends_it_quietly() {
    let (dir, path) = hub(&good_card());
    let mut c = Client::start(dir.path());
    c.open(&uri(&path), &good_card());
    let (code, stderr) = c.end();
    assert_eq!(code, 1, "the protocol's exit code without shutdown");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn watchers_unsaved_buffers_and_closing() {
    let card = good_card().replace("- **License:** CC-BY-4.0", "- **License:** TBD");
    let (dir, path) = hub(&card);
    let caps = json!({"workspace": {"didChangeWatchedFiles": {"dynamicRegistration": true}}});
    let mut c = Client::start_with(dir.path(), caps);
    // The server asks to hear of configs and templates changing on disk.
    let reg = c.wait(|m| m["method"] == "client/registerCapability");
    let r = &reg["params"]["registrations"][0];
    assert_eq!(r["method"], "workspace/didChangeWatchedFiles");
    let globs: Vec<&str> = r["registerOptions"]["watchers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["globPattern"].as_str().unwrap())
        .collect();
    assert_eq!(globs, ["**/.modelcard-review.toml", "**/*.md"]);
    c.send(json!({"jsonrpc": "2.0", "id": reg["id"], "result": null}));
    // An unsaved buffer is checked as `check -` checks stdin.
    let untitled = "untitled:Untitled-1";
    let diags = c.open(untitled, &card);
    let codes: Vec<&str> = diags.iter().map(|d| d["code"].as_str().unwrap()).collect();
    assert_eq!(codes, ["placeholder"], "{diags:#?}");
    // Closing a card clears its diagnostics.
    let u = uri(&path);
    assert_eq!(c.open(&u, &card).len(), 1);
    c.notify("textDocument/didClose", json!({"textDocument": {"uri": u}}));
    assert_eq!(c.diagnostics(&u), Vec::<Value>::new());
    let r = c.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": u}, "position": {"line": 0, "character": 0}}),
    );
    assert!(
        r["error"]["message"].as_str().unwrap().contains("not open"),
        "{r}"
    );
    c.finish();
}

/// A finding of one cause over several lines carries each other line as related
/// information, so an editor can go to every place still to fill.
#[test]
fn a_grouped_finding_points_to_each_of_its_lines() {
    let template = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("templates/ri-scale-model-card.md"),
    )
    .unwrap();
    let (dir, path) = hub(&template);
    let u = uri(&path);
    let mut c = Client::start(dir.path());
    let diags = c.open(&u, &template);
    let grouped: Vec<&Value> = diags
        .iter()
        .filter(|d| {
            d["relatedInformation"]
                .as_array()
                .is_some_and(|r| !r.is_empty())
        })
        .collect();
    assert!(!grouped.is_empty(), "{diags:#?}");
    for d in grouped {
        let line = d["range"]["start"]["line"].as_u64().unwrap();
        for r in d["relatedInformation"].as_array().unwrap() {
            assert_eq!(r["location"]["uri"], u.as_str());
            assert_ne!(
                r["location"]["range"]["start"]["line"].as_u64().unwrap(),
                line
            );
        }
    }
    c.finish();
}
