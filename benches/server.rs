//! `cargo bench --bench server`: the editor loop's latency and memory. A client drives
//! `modelcard-review server` over stdio with a 10 KB card and 10,000 incremental edits
//! (typing a character, then deleting it, as someone writes), timing each from sending
//! `didChange` to reading its `publishDiagnostics`. Prints p50/p95/p99/max and the
//! server's resident memory after 100 edits and after all of them. Targets (issue 26):
//! p95 within 50 ms, memory flat. BENCH_EDITS changes the number of edits.

use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn send(w: &mut impl Write, v: &Value) {
    let body = v.to_string();
    write!(w, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
    w.flush().unwrap();
}

fn read(r: &mut impl BufRead) -> Value {
    let mut len = 0;
    loop {
        let mut line = String::new();
        assert!(r.read_line(&mut line).unwrap() > 0, "the server ended");
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(v) = line.strip_prefix("Content-Length: ") {
            len = v.parse().unwrap();
        }
    }
    let mut body = vec![0; len];
    r.read_exact(&mut body).unwrap();
    serde_json::from_slice(&body).unwrap()
}

fn rss_kb(pid: u32, key: &str) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with(key))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
}

fn main() {
    let edits: usize = std::env::var("BENCH_EDITS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(10_000);
    let root = env!("CARGO_MANIFEST_DIR");
    let mut card = std::fs::read_to_string(format!(
        "{root}/fixtures/cards/good/nuclei-unet-2d/README.md"
    ))
    .unwrap();
    // To 10 KB with prose of the author's own in the last section.
    while card.len() < 10 * 1024 {
        card.push_str("\nThe model was validated on held-out plates from a second microscope, with the same staining protocol and exposure.\n");
    }
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join(".git")).unwrap();
    let path = dir.path().join("models/seg/README.md");
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, &card).unwrap();
    let uri = format!("file://{}", path.display());
    let mut child = Command::new(env!("CARGO_BIN_EXE_modelcard-review"))
        .arg("server")
        .current_dir(dir.path())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let pid = child.id();
    let mut w = child.stdin.take().unwrap();
    let mut r = BufReader::new(child.stdout.take().unwrap());
    send(
        &mut w,
        &json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"processId": null, "rootUri": null, "capabilities": {}}}),
    );
    read(&mut r);
    send(
        &mut w,
        &json!({"jsonrpc": "2.0", "method": "initialized", "params": {}}),
    );
    send(
        &mut w,
        &json!({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {"uri": uri, "languageId": "markdown", "version": 1, "text": card}}}),
    );
    read(&mut r);
    // Edit inside the Model Description paragraph.
    let line = card
        .lines()
        .position(|l| l == "## Model Description")
        .unwrap()
        + 2;
    let mut times = Vec::with_capacity(edits);
    let mut rss_early = 0;
    for i in 0..edits {
        let version = i as i64 + 2;
        let change = if i % 2 == 0 {
            json!({"range": {"start": {"line": line, "character": 5}, "end": {"line": line, "character": 5}}, "text": "x"})
        } else {
            json!({"range": {"start": {"line": line, "character": 5}, "end": {"line": line, "character": 6}}, "text": ""})
        };
        let t = Instant::now();
        send(
            &mut w,
            &json!({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {"textDocument": {"uri": uri, "version": version}, "contentChanges": [change]}}),
        );
        loop {
            let m = read(&mut r);
            if m["method"] == "textDocument/publishDiagnostics" && m["params"]["version"] == version
            {
                break;
            }
        }
        times.push(t.elapsed());
        if i == 99 {
            rss_early = rss_kb(pid, "VmRSS:");
        }
    }
    let rss_late = rss_kb(pid, "VmRSS:");
    let peak = rss_kb(pid, "VmHWM:");
    send(
        &mut w,
        &json!({"jsonrpc": "2.0", "id": 2, "method": "shutdown"}),
    );
    read(&mut r);
    send(&mut w, &json!({"jsonrpc": "2.0", "method": "exit"}));
    let status = child.wait().unwrap();
    assert!(status.success());
    times.sort();
    let q = |p: f64| times[((times.len() as f64 * p) as usize).min(times.len() - 1)];
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "server: {} edits of a {} byte card, didChange -> publishDiagnostics: p50 {:.2} ms, p95 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        edits,
        card.len(),
        ms(q(0.50)),
        ms(q(0.95)),
        ms(q(0.99)),
        ms(*times.last().unwrap())
    );
    println!(
        "server: resident memory {rss_early} kB after 100 edits, {rss_late} kB after {edits} (peak {peak} kB)"
    );
}
