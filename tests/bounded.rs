//! Every reader is bounded: the attacks of issue #31 reproduced against the binary as
//! a user or the Action runs it. Each run has an address-space limit (`ulimit -v`),
//! so a reader that expanded an alias bomb or read `/dev/zero` would end in an
//! allocation failure, not in the outcome asserted; and a watchdog, so a reader that
//! blocked on a named pipe fails the test instead of hanging the suite. Neither is a
//! timing assertion: each only turns a hang or a blow-up into a visible failure.
#![cfg(unix)]

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

/// Far above what a run needs (tens of MB), far below an expanded bomb.
const MEMORY_KB: u64 = 1_500_000;

fn run(dir: &Path, args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut child = Command::new("sh")
        .arg("-c")
        .arg(format!("ulimit -v {MEMORY_KB} && exec \"$0\" \"$@\""))
        .arg(env!("CARGO_BIN_EXE_modelcard-review"))
        .args(args)
        .current_dir(dir)
        .env_remove("GITHUB_ACTIONS")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = child.stdin.take().unwrap();
    if let Some(bytes) = stdin {
        input.write_all(bytes).unwrap();
    }
    drop(input);
    let started = Instant::now();
    loop {
        if child.try_wait().unwrap().is_some() {
            return child.wait_with_output().unwrap();
        }
        if started.elapsed() > Duration::from_secs(120) {
            child.kill().unwrap();
            panic!("modelcard-review {args:?} did not finish: a reader blocked");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn text(o: &Output) -> String {
    format!(
        "status {:?}\nstdout:\n{}\nstderr:\n{}",
        o.status.code(),
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

fn hub() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join(".git")).unwrap();
    dir
}

fn good_card() -> String {
    std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/cards/good/nuclei-unet-2d/README.md"),
    )
    .unwrap()
}

/// Nine levels of nine aliases: 458 bytes that name 387 million values.
fn alias_bomb() -> String {
    let mut s = String::from("name: bomb\na0: &a0 [lol]\n");
    for i in 1..=9 {
        let refs = vec![format!("*a{}", i - 1); 9].join(",");
        s.push_str(&format!("a{i}: &a{i} [{refs}]\n"));
    }
    s
}

/// A block sequence nested 50,000 deep.
fn deep_list() -> String {
    format!("name: deep\nx:\n{}y\n", "- ".repeat(50_000))
}

fn findings(o: &Output) -> Vec<serde_json::Value> {
    let v: serde_json::Value =
        serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("{e}: {}", text(o)));
    v["files"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|f| f["findings"].as_array().unwrap().clone())
        .collect()
}

fn unreadable_metadata(o: &Output) -> Vec<serde_json::Value> {
    findings(o)
        .into_iter()
        .filter(|f| f["rule"] == "metadata-unreadable")
        .collect()
}

fn mkfifo(p: &Path) {
    assert!(Command::new("mkfifo").arg(p).status().unwrap().success());
}

#[test]
fn hostile_yaml_is_one_metadata_unreadable_in_check_new_and_fix() {
    for (what, yaml, limit) in [
        ("alias bomb", alias_bomb(), "copy its aliases"),
        ("deep list", deep_list(), "levels deep"),
    ] {
        // Beside the card.
        let dir = hub();
        let m = dir.path().join("models/a");
        std::fs::create_dir_all(&m).unwrap();
        std::fs::write(m.join("README.md"), good_card()).unwrap();
        std::fs::write(m.join("rdf.yaml"), &yaml).unwrap();
        let o = run(dir.path(), &["check", "--format", "json", "."], None);
        let bad = unreadable_metadata(&o);
        assert_eq!(bad.len(), 1, "{what}: {}", text(&o));
        let msg = bad[0]["message"].as_str().unwrap();
        assert!(
            msg.contains("`rdf.yaml`") && msg.contains(limit),
            "{what}: {msg}"
        );

        // As the card's front matter.
        std::fs::remove_file(m.join("rdf.yaml")).unwrap();
        std::fs::write(
            m.join("README.md"),
            format!("---\n{yaml}---\n{}", good_card()),
        )
        .unwrap();
        let o = run(dir.path(), &["check", "--format", "json", "."], None);
        let bad = unreadable_metadata(&o);
        assert_eq!(bad.len(), 1, "{what}: {}", text(&o));
        assert!(
            bad[0]["message"]
                .as_str()
                .unwrap()
                .contains("`the front matter`"),
            "{what}"
        );
        // fix reads the same card: it ends, and says what is left.
        let o = run(dir.path(), &["fix", "--diff", "models/a/README.md"], None);
        assert!(
            matches!(o.status.code(), Some(0 | 1)),
            "{what}: {}",
            text(&o)
        );

        // `new` in a folder whose rdf.yaml is hostile: a clear error naming the limit.
        let n = dir.path().join("models/b");
        std::fs::create_dir_all(&n).unwrap();
        std::fs::write(n.join("rdf.yaml"), &yaml).unwrap();
        let o = run(dir.path(), &["new", "models/b/README.md"], None);
        assert_eq!(o.status.code(), Some(2), "{what}: {}", text(&o));
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(
            err.contains("rdf.yaml") && err.contains(limit),
            "{what}: {err}"
        );
        assert!(!n.join("README.md").exists());
    }
}

#[test]
fn the_language_server_reports_hostile_front_matter_and_keeps_serving() {
    let dir = hub();
    let card = format!("---\n{}---\n# Title\n", alias_bomb());
    let open = serde_json::json!({
        "jsonrpc": "2.0", "method": "textDocument/didOpen",
        "params": {"textDocument": {"uri": format!("file://{}/models/x/README.md", dir.path().display()),
            "languageId": "markdown", "version": 1, "text": card}}
    });
    let mut input = Vec::new();
    for msg in [
        serde_json::json!({"jsonrpc": "2.0", "id": 1, "method": "initialize",
            "params": {"capabilities": {}, "rootUri": format!("file://{}", dir.path().display())}}),
        serde_json::json!({"jsonrpc": "2.0", "method": "initialized", "params": {}}),
        open,
        serde_json::json!({"jsonrpc": "2.0", "id": 2, "method": "shutdown"}),
        serde_json::json!({"jsonrpc": "2.0", "method": "exit"}),
    ] {
        let body = msg.to_string();
        input.extend(format!("Content-Length: {}\r\n\r\n{body}", body.len()).bytes());
    }
    let o = run(dir.path(), &["server"], Some(&input));
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.contains("metadata-unreadable"), "{out}");
    assert!(out.contains("copy its aliases"), "{out}");
}

#[test]
fn named_pipes_devices_and_dangling_links_are_refused_and_the_run_goes_on() {
    let dir = hub();
    let m = dir.path().join("models");
    std::fs::create_dir_all(m.join("good")).unwrap();
    std::fs::write(m.join("good/README.md"), good_card()).unwrap();
    std::fs::create_dir_all(m.join("dangling")).unwrap();
    std::os::unix::fs::symlink("nowhere.md", m.join("dangling/README.md")).unwrap();
    std::fs::create_dir_all(m.join("loop")).unwrap();
    std::os::unix::fs::symlink("README.md", m.join("loop/README.md")).unwrap();
    std::fs::create_dir_all(m.join("pipe")).unwrap();
    mkfifo(&m.join("pipe/README.md"));

    // The hub walked: every card gets its answer, the good one is checked (a pipe
    // is no file a walk takes: git cannot hold one).
    let o = run(dir.path(), &["check", "--format", "json", "."], None);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let files = v["files"].as_array().unwrap();
    assert_eq!(files.len(), 3, "{}", text(&o));
    for f in files {
        let path = f["path"].as_str().unwrap();
        let rules: Vec<&str> = f["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x["rule"].as_str().unwrap())
            .collect();
        if path.contains("good") {
            assert!(!rules.contains(&"unreadable-file"), "{path}: {rules:?}");
        } else {
            assert_eq!(rules, vec!["unreadable-file"], "{path}");
        }
    }
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.contains("leads to no file"), "{out}");

    // The audit writes its page all the same.
    let o = run(
        dir.path(),
        &["audit", "--json", "audit.json", "--html", "audit.html", "."],
        None,
    );
    assert!(matches!(o.status.code(), Some(0 | 1)), "{}", text(&o));
    assert!(dir.path().join("audit.html").exists(), "{}", text(&o));

    // A named pipe named on the command line, to check, fix and outline.
    for args in [
        vec!["check", "models/pipe/README.md", "models/good/README.md"],
        vec!["fix", "--diff", "models/pipe/README.md"],
    ] {
        let o = run(dir.path(), &args, None);
        assert!(text(&o).contains("a named pipe"), "{args:?}: {}", text(&o));
    }
    let o = run(dir.path(), &["outline", "models/pipe/README.md"], None);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(text(&o).contains("a named pipe"), "{}", text(&o));
}

#[test]
fn a_template_or_metadata_that_is_not_a_file_is_a_clear_error() {
    let dir = hub();
    std::fs::write(dir.path().join("README.md"), good_card()).unwrap();
    mkfifo(&dir.path().join("fifo.md"));
    for template in ["/dev/zero", "fifo.md"] {
        std::fs::write(
            dir.path().join(".modelcard-review.toml"),
            format!("template = {template:?}\n"),
        )
        .unwrap();
        let o = run(dir.path(), &["check", "README.md"], None);
        assert_eq!(o.status.code(), Some(2), "{template}: {}", text(&o));
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(err.contains("not a regular file"), "{template}: {err}");
    }
    std::fs::remove_file(dir.path().join(".modelcard-review.toml")).unwrap();
    // `new` beside a metadata file that is a pipe, or a link to /dev/zero.
    for (name, make) in [
        ("pipe", &(|p: &Path| mkfifo(p)) as &dyn Fn(&Path)),
        ("zero", &|p: &Path| {
            std::os::unix::fs::symlink("/dev/zero", p).unwrap()
        }),
    ] {
        let f = dir.path().join(name);
        std::fs::create_dir_all(&f).unwrap();
        make(&f.join("rdf.yaml"));
        let card = format!("{name}/README.md");
        let o = run(dir.path(), &["new", &card], None);
        assert_eq!(o.status.code(), Some(2), "{name}: {}", text(&o));
        assert!(
            text(&o).contains("not a regular file"),
            "{name}: {}",
            text(&o)
        );
    }
}

#[test]
fn escape_sequences_from_a_card_or_its_metadata_never_reach_the_terminal() {
    let dir = hub();
    let m = dir.path().join("models/a");
    std::fs::create_dir_all(&m).unwrap();
    let title = "\u{1b}]0;owned\u{7}\u{1b}[2J";
    let card = good_card().replacen("# NucleiSeg", &format!("# {title}NucleiSeg"), 1)
        + "\n## Extra \u{1b}[31mred\u{9b}1m TODO\n";
    std::fs::write(m.join("README.md"), &card).unwrap();
    std::fs::write(
        m.join("rdf.yaml"),
        "name: \"\\e]0;rdf-title\\a\\e[2J\"\nlicense: \"GPL-3.0\\e[2J\"\n",
    )
    .unwrap();
    for args in [
        vec!["check", "--color", "never", "."],
        vec!["check", "--color", "always", "."],
        vec!["fix", "--diff", "--unsafe-fixes", "models/a/README.md"],
        vec!["outline", "models/a/README.md"],
        vec!["audit", "."],
    ] {
        let o = run(dir.path(), &args, None);
        assert!(
            matches!(o.status.code(), Some(0 | 1)),
            "{args:?}: {}",
            text(&o)
        );
        let out = [o.stdout.as_slice(), o.stderr.as_slice()].concat();
        let s = String::from_utf8_lossy(&out);
        // With colour on, the only escapes are the reporter's own SGR colours.
        let foreign = s
            .match_indices('\u{1b}')
            .filter(|(i, _)| {
                !(args.contains(&"always") && s[i + 1..].starts_with('[') && {
                    let rest = &s[i + 2..];
                    let end = rest.find('m').unwrap_or(rest.len());
                    end < 12 && rest[..end].bytes().all(|b| b.is_ascii_digit() || b == b';')
                })
            })
            .count();
        assert_eq!(foreign, 0, "{args:?}: {s}");
        assert!(
            !s.contains('\u{7}') && !s.contains('\u{9b}'),
            "{args:?}: {s}"
        );
    }
    let o = run(dir.path(), &["check", "--color", "never", "."], None);
    let s = String::from_utf8_lossy(&o.stdout);
    assert!(s.contains("\\u{1b}]0;owned\\u{7}"), "shown escaped: {s}");
    assert!(s.contains("\\u{1b}[2J"), "{s}");
}

/// The trend reads old commits: a bomb in a card's front matter there is one
/// finding in that commit's numbers, not a dead audit.
#[test]
fn audit_history_reads_a_hostile_old_commit_within_its_limits() {
    let dir = hub();
    std::fs::remove_dir(dir.path().join(".git")).unwrap();
    let d = dir.path();
    let git = |args: &[&str]| {
        let o = Command::new("git")
            .args(["-c", "user.name=Hub", "-c", "user.email=hub@example.org"])
            .args([
                "-c",
                "commit.gpgsign=false",
                "-c",
                "init.defaultBranch=main",
            ])
            .args(args)
            .current_dir(d)
            .output()
            .unwrap();
        assert!(o.status.success(), "git {args:?}: {o:?}");
    };
    git(&["init", "-q"]);
    std::fs::write(
        d.join(".modelcard-review.toml"),
        "paths = [\"models/**/README.md\"]\n",
    )
    .unwrap();
    std::fs::create_dir_all(d.join("models/a")).unwrap();
    std::fs::write(
        d.join("models/a/README.md"),
        format!("---\n{}---\n{}", alias_bomb(), good_card()),
    )
    .unwrap();
    git(&["add", "-A"]);
    git(&["commit", "-qm", "a bomb"]);
    std::fs::write(d.join("models/a/README.md"), good_card()).unwrap();
    git(&["commit", "-qam", "defused"]);
    let o = run(
        d,
        &["audit", "--history", "5", "--json", "audit.json"],
        None,
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let v: serde_json::Value =
        serde_json::from_slice(&std::fs::read(d.join("audit.json")).unwrap()).unwrap();
    assert_eq!(v["history"].as_array().unwrap().len(), 2, "{v:#}");
}
