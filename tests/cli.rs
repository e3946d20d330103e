//! The `check` and `rules` commands as a user runs them: exit codes, each format.

use std::path::Path;
use std::process::{Command, Output, Stdio};

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_modelcard-review"));
    c.current_dir(env!("CARGO_MANIFEST_DIR"));
    c.env_remove("MODELCARD_REVIEW_LOG");
    c
}

fn run(args: &[&str]) -> Output {
    bin().args(args).output().expect("run binary")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

const BROKEN: &str = "fixtures/cards/broken/common-faults/README.md";

#[test]
fn good_cards_pass() {
    let o = run(&["check", "fixtures/cards/good"]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert!(
        stdout(&o).contains("Checked 3 files: no problems found."),
        "{}",
        stdout(&o)
    );
}

#[test]
fn broken_card_fails_with_text_report() {
    let o = run(&["check", BROKEN]);
    assert_eq!(o.status.code(), Some(1));
    let out = stdout(&o);
    assert!(out.contains("error[placeholder]:"), "{out}");
    assert!(out.contains(&format!("--> {BROKEN}:24")), "{out}");
    assert!(
        out.contains("24 | - **Developed by:** *[Name(s), Institution(s)]*"),
        "{out}"
    );
    assert!(
        out.contains("= help: replace with: ## Model Description"),
        "{out}"
    );
    // The spot is marked under the placeholder, and no colour when piped.
    assert!(
        out.contains("   |                      ^^^^^^^^^^^^^^^^^^^^^^^^^\n"),
        "{out}"
    );
    assert!(!out.contains('\u{1b}'), "no ANSI codes when not a terminal");
    let o = run(&["check", "--color", "always", BROKEN]);
    assert!(stdout(&o).contains('\u{1b}'));
    let o = bin()
        .env("CLICOLOR_FORCE", "1")
        .args(["check", BROKEN])
        .output()
        .unwrap();
    assert!(stdout(&o).contains('\u{1b}'));
    let o = bin()
        .env("CLICOLOR_FORCE", "1")
        .env("NO_COLOR", "1")
        .args(["check", BROKEN])
        .output()
        .unwrap();
    assert!(!stdout(&o).contains('\u{1b}'));
}

#[test]
fn completions_and_the_man_page_are_generated() {
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let o = run(&["completions", shell]);
        assert_eq!(o.status.code(), Some(0), "{shell}");
        assert!(stdout(&o).contains("modelcard-review"), "{shell}");
        assert!(stdout(&o).contains("force-exclude"), "{shell}: every flag");
    }
    let o = run(&["man"]);
    assert!(stdout(&o).starts_with(".ie"), "{}", stdout(&o));
    let page = stdout(&o);
    assert!(page.contains("modelcard\\-review"));
    // One page: every subcommand with its options, the exit codes, and no pointer
    // to a page that does not exist.
    for want in [
        ".SS \"modelcard-review check\"",
        ".SS \"modelcard-review fix\"",
        ".SS \"modelcard-review review\"",
        "\\-\\-force\\-exclude",
        "\\-\\-unsafe\\-fixes",
        "\\-\\-fail\\-on",
        ".SS \"modelcard-review audit\"",
        "\\-\\-against\\-template",
        ".SS \"modelcard-review server\"",
        ".SH \"EXIT STATUS\"",
    ] {
        assert!(page.contains(want), "{want} missing:\n{page}");
    }
    assert!(!page.contains("modelcard\\-review\\-check(1)"), "{page}");
    // man(1) reads it without a warning, where man is installed.
    if let Ok(o) = Command::new("groff")
        .args(["-man", "-Tutf8", "-ww", "-z"])
        .stdin(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .and_then(|mut c| {
            use std::io::Write;
            c.stdin.take().unwrap().write_all(page.as_bytes())?;
            c.wait_with_output()
        })
    {
        assert!(
            o.stderr.is_empty(),
            "{}",
            String::from_utf8_lossy(&o.stderr)
        );
    }
}

#[test]
fn a_broken_config_says_so_without_blaming_the_listing() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join(".git")).unwrap();
    std::fs::write(
        dir.path().join(".modelcard-review.toml"),
        "fail-on = \"sometimes\"\n",
    )
    .unwrap();
    let o = bin().current_dir(dir.path()).arg("check").output().unwrap();
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.starts_with("modelcard-review: error: invalid config file"),
        "{err}"
    );
    assert!(!err.contains("cannot list"), "{err}");
}

#[test]
fn template_prints_the_template_in_use() {
    let o = run(&["template"]);
    assert_eq!(stdout(&o), modelcard_review::template::DEFAULT_TEMPLATE);
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("t.md"), "# [Name]\n\n# Only\n").unwrap();
    std::fs::write(
        dir.path().join(".modelcard-review.toml"),
        "template = \"t.md\"\n",
    )
    .unwrap();
    let o = run_in(dir.path(), &["template"]);
    assert_eq!(stdout(&o), "# [Name]\n\n# Only\n");
}

#[test]
fn json_has_the_documented_shape() {
    let o = run(&[
        "check",
        "--format",
        "json",
        BROKEN,
        "fixtures/cards/good/mito-em-3d/README.md",
    ]);
    assert_eq!(o.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    assert_eq!(v["version"], 1);
    let files = v["files"].as_array().unwrap();
    assert_eq!(files.len(), 2);
    assert_eq!(files[1]["findings"].as_array().unwrap().len(), 0);
    let f0 = &files[0]["findings"][0];
    let mut keys: Vec<_> = f0.as_object().unwrap().keys().cloned().collect();
    // `end_column` is there when the finding ends before its line does.
    keys.retain(|k| k != "end_column");
    keys.sort();
    assert_eq!(
        keys,
        [
            "column",
            "end_line",
            "field",
            "fingerprint",
            "line",
            "message",
            "rule",
            "section",
            "severity",
            "suggestion"
        ]
    );
    let s = &v["summary"];
    assert_eq!(s["files"], 2);
    let total = files[0]["findings"].as_array().unwrap().len() as u64;
    assert_eq!(
        s["errors"].as_u64().unwrap()
            + s["warnings"].as_u64().unwrap()
            + s["notices"].as_u64().unwrap(),
        total
    );
    let rules: Vec<&str> = files[0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    for r in [
        "renamed-section",
        "missing-section",
        "placeholder",
        "template-text",
        "empty-field",
        "missing-field",
        "broken-anchor",
        "heading-level",
        "empty-section",
        "table-shape",
        "broken-link",
    ] {
        assert!(rules.contains(&r), "{r} missing in {rules:?}");
    }
}

#[test]
fn json_report_snapshot() {
    let o = run(&["check", "--format", "json", BROKEN]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    insta::assert_json_snapshot!("broken_card_json", v);
}

#[test]
fn text_report_snapshot() {
    let o = run(&["check", BROKEN]);
    insta::assert_snapshot!("broken_card_text", stdout(&o));
}

#[test]
fn sarif_is_2_1_0_with_rules_and_results() {
    let o = run(&["check", "--format", "sarif", BROKEN]);
    assert_eq!(o.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("sarif json");
    assert_eq!(v["version"], "2.1.0");
    let run0 = &v["runs"][0];
    assert_eq!(run0["tool"]["driver"]["name"], "modelcard-review");
    let rules = run0["tool"]["driver"]["rules"].as_array().unwrap();
    assert_eq!(rules.len(), modelcard_review::rules::RULES.len());
    let results = run0["results"].as_array().unwrap();
    assert!(results.len() > 10);
    let r = &results[0];
    assert_eq!(
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        BROKEN
    );
    assert!(
        r["locations"][0]["physicalLocation"]["region"]["startLine"]
            .as_u64()
            .unwrap()
            >= 1
    );
    let idx = r["ruleIndex"].as_u64().unwrap() as usize;
    assert_eq!(rules[idx]["id"], r["ruleId"]);
}

#[test]
fn sarif_fingerprints_tell_cards_outside_the_root_apart() {
    // Two copies of one card in folders outside the repository: the same findings,
    // but each file's findings are its own to GitHub (a fingerprint names the path the
    // report shows, not only the file's name), and a second run gives the same ones.
    let dir = tempfile::tempdir().unwrap();
    let card = std::fs::read(BROKEN).unwrap();
    let paths: Vec<String> = ["a", "b"]
        .iter()
        .map(|sub| {
            let p = dir.path().join(sub).join("README.md");
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(&p, &card).unwrap();
            p.to_str().unwrap().to_string()
        })
        .collect();
    let fingerprints = || {
        let o = run(&["check", "--format", "sarif", &paths[0], &paths[1]]);
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("sarif json");
        let mut per_file: std::collections::BTreeMap<String, Vec<String>> = Default::default();
        for r in v["runs"][0]["results"].as_array().unwrap() {
            let uri = r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                .as_str()
                .unwrap()
                .to_string();
            let fp = r["partialFingerprints"]["modelcardReview/v1"]
                .as_str()
                .unwrap();
            per_file.entry(uri).or_default().push(fp.to_string());
        }
        per_file
    };
    let first = fingerprints();
    assert_eq!(first.len(), 2, "{first:?}");
    let (a, b) = (
        &first.values().next().unwrap(),
        &first.values().nth(1).unwrap(),
    );
    assert!(a.len() > 10 && a.len() == b.len());
    assert!(a.iter().all(|fp| !b.contains(fp)), "{a:?} {b:?}");
    assert_eq!(fingerprints(), first);
}

#[test]
fn sarif_to_file_with_output_flag() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("r.sarif");
    let o = run(&[
        "check",
        "--format",
        "sarif",
        "-o",
        out.to_str().unwrap(),
        "fixtures/cards/good",
    ]);
    assert_eq!(o.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
    assert_eq!(v["runs"][0]["results"].as_array().unwrap().len(), 0);
}

#[test]
fn github_annotations_are_escaped_commands() {
    let o = run(&["check", "--format", "github", BROKEN]);
    assert_eq!(o.status.code(), Some(1));
    let out = stdout(&o);
    let first = out.lines().next().unwrap();
    assert!(
        first.starts_with(&format!(
            "::warning file={BROKEN},line=11,endLine=11,title=broken-anchor (Table of Contents)::"
        )),
        "{first}"
    );
    assert!(out.lines().any(|l| l.starts_with("::error file=")
        && l.contains("title=placeholder (Model Description › Developed by)")));
    for l in out.lines().filter(|l| l.starts_with("::")) {
        assert!(!l.contains('\r'));
    }
}

#[test]
fn stdin_is_read_with_dash() {
    let mut child = bin()
        .args(["check", "--format", "json", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"# [Model Name]\n\nTODO\n")
        .unwrap();
    let o = child.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["files"][0]["path"], "-");
    assert!(v["files"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["rule"] == "placeholder"));
}

#[test]
fn fail_on_levels() {
    assert_eq!(
        run(&["check", "--fail-on", "never", BROKEN]).status.code(),
        Some(0)
    );
    // Only warnings left once every error rule is switched off.
    let mut args = vec!["check", "--fail-on", "error", BROKEN];
    let offs = [
        "--rule=renamed-section=off",
        "--rule=missing-section=off",
        "--rule=placeholder=off",
        "--rule=empty-field=off",
        "--rule=missing-field=off",
        "--rule=empty-section=off",
    ];
    args.extend(offs);
    assert_eq!(run(&args).status.code(), Some(0));
    let mut warn = vec!["check", "--fail-on", "warning", BROKEN];
    warn.extend(offs);
    assert_eq!(run(&warn).status.code(), Some(1));
}

#[test]
fn usage_and_io_errors_exit_2() {
    let o = run(&["check", "--format", "xml", BROKEN]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("--format"));
    let o = run(&["check", "no/such/file.md"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("no/such/file.md"));
    assert_eq!(run(&["frobnicate"]).status.code(), Some(2));
    let o = run(&["check", "--rule", "nope=off", BROKEN]);
    assert_eq!(o.status.code(), Some(2));
    let o = run(&["check", "--template", "no/such/template.md", BROKEN]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("template"));
}

#[test]
fn bad_config_names_the_key() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("c.toml");
    std::fs::write(&cfg, "[rules]\nplaceholder = \"loud\"\n").unwrap();
    let o = run(&["check", "--config", cfg.to_str().unwrap(), BROKEN]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("rules.placeholder"), "{err}");
}

#[test]
fn config_file_is_discovered_and_applied() {
    let dir = tempfile::tempdir().unwrap();
    let card_dir = dir.path().join("models/a");
    std::fs::create_dir_all(&card_dir).unwrap();
    std::fs::copy(BROKEN_ABS(), card_dir.join("README.md")).unwrap();
    std::fs::write(card_dir.join("notes.md"), "TODO").unwrap();
    std::fs::write(
        dir.path().join(".modelcard-review.toml"),
        "paths = [\"models/**/README.md\"]\nfail-on = \"never\"\n[rules]\nplaceholder = \"off\"\n",
    )
    .unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_modelcard-review"))
        .current_dir(dir.path())
        .args(["check", "--format", "json", "."])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(
        v["files"].as_array().unwrap().len(),
        1,
        "only README.md matches the glob"
    );
    assert_eq!(v["files"][0]["path"], "models/a/README.md");
    assert!(!v["files"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["rule"] == "placeholder"));
}

#[allow(non_snake_case)]
fn BROKEN_ABS() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(BROKEN)
}

#[test]
fn rules_lists_every_rule() {
    let o = run(&["rules"]);
    assert_eq!(o.status.code(), Some(0));
    let out = stdout(&o);
    for id in [
        "missing-section",
        "renamed-section",
        "heading-level",
        "section-order",
        "duplicate-section",
        "empty-section",
        "placeholder",
        "template-text",
        "missing-field",
        "empty-field",
        "broken-anchor",
        "table-shape",
        "broken-link",
        "unreadable-file",
    ] {
        assert!(out.contains(&format!("{id} (")), "{id}");
    }
}

#[test]
fn readme_rule_table_is_generated_from_the_rules() {
    let o = run(&["rules", "--format", "markdown"]);
    let table = stdout(&o);
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    assert!(
        readme.contains(&table),
        "README.md's rule table is out of date; paste the output of `modelcard-review rules --format markdown`"
    );
}

#[test]
fn unreadable_files_are_findings_not_crashes() {
    let dir = tempfile::tempdir().unwrap();
    let utf16 = dir.path().join("utf16.md");
    std::fs::write(&utf16, [0xFF, 0xFE, b'#', 0, b' ', 0, b'A', 0]).unwrap();
    let latin1 = dir.path().join("latin1.md");
    std::fs::write(&latin1, b"# Caf\xe9\n").unwrap();
    let o = run(&[
        "check",
        "--format",
        "json",
        utf16.to_str().unwrap(),
        latin1.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    for f in v["files"].as_array().unwrap() {
        let fs = f["findings"].as_array().unwrap();
        assert_eq!(fs.len(), 1);
        assert_eq!(fs[0]["rule"], "unreadable-file");
        assert_eq!(fs[0]["line"], 1);
    }
}

#[test]
fn many_cards_are_reported_in_order_each_with_its_own_findings() {
    // More cards than the checker threads may run ahead of the report, slow ones (the
    // unfilled template: a finding per section, over a hundred lines) between fast ones, so results come back
    // out of order and must be put back in it.
    let dir = tempfile::tempdir().unwrap();
    let template = std::fs::read_to_string("templates/ri-scale-model-card.md").unwrap();
    let good = std::fs::read_to_string("fixtures/cards/good/n2v-denoise/README.md").unwrap();
    for i in 0..300 {
        let d = dir.path().join(format!("m{i:03}"));
        std::fs::create_dir(&d).unwrap();
        let body = if i % 7 == 0 { &template } else { &good };
        std::fs::write(d.join("README.md"), body).unwrap();
    }
    let o = run(&[
        "check",
        "--format",
        "json",
        "--fail-on",
        "never",
        dir.path().to_str().unwrap(),
    ]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let files = v["files"].as_array().unwrap();
    assert_eq!(files.len(), 300);
    for (i, f) in files.iter().enumerate() {
        let path = f["path"].as_str().unwrap();
        assert!(path.ends_with(&format!("m{i:03}/README.md")), "{i}: {path}");
        // The unfilled template's findings cover over a hundred lines; the good card's none.
        let lines: usize = f["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x["lines"].as_array().map_or(1, Vec::len))
            .sum();
        assert_eq!(lines > 100, i % 7 == 0, "{path}: {lines} lines");
    }
}

#[test]
fn rules_doc_is_generated_and_every_help_uri_anchor_exists() {
    let o = run(&["rules", "--format", "docs"]);
    let doc = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/rules.md"))
        .unwrap();
    assert_eq!(
        stdout(&o),
        doc,
        "docs/rules.md is out of date; write it with `modelcard-review rules --format docs > docs/rules.md`"
    );
    let anchors: Vec<String> = doc
        .lines()
        .filter_map(|l| l.strip_prefix("## "))
        .map(|h| h.to_string())
        .collect();
    let o = run(&["check", "--format", "sarif", "--fail-on", "never", BROKEN]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    for r in v["runs"][0]["tool"]["driver"]["rules"].as_array().unwrap() {
        let uri = r["helpUri"].as_str().unwrap();
        let (page, anchor) = uri.split_once('#').unwrap();
        assert!(page.ends_with("/blob/main/docs/rules.md"), "{uri}");
        assert!(anchors.iter().any(|a| a == anchor), "no heading for {uri}");
    }
}

/// A small hub: a git repository with a config at its root, a card, and the hub's
/// own README and docs.
fn hub() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir(root.join(".git")).unwrap();
    std::fs::write(
        root.join(".modelcard-review.toml"),
        "paths = [\"models/**/README.md\"]\n[rules]\nbroken-link = \"off\"\n",
    )
    .unwrap();
    for d in ["models/a", "docs", "tools"] {
        std::fs::create_dir_all(root.join(d)).unwrap();
    }
    std::fs::copy(BROKEN_ABS(), root.join("models/a/README.md")).unwrap();
    std::fs::write(root.join("README.md"), "# The hub\n\nTODO\n").unwrap();
    std::fs::write(root.join("docs/README.md"), "# Docs\n\nTODO\n").unwrap();
    std::fs::write(root.join("tools/README.md"), "# Tools\n\nTODO\n").unwrap();
    dir
}

fn run_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_modelcard-review"))
        .current_dir(dir)
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn the_config_is_found_from_the_card_whatever_the_working_folder() {
    let hub = hub();
    let root = hub.path();
    let json = |dir: &Path, target: &str| {
        let o = run_in(dir, &["check", "--format", "json", target]);
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        let mut rules: Vec<String> = v["files"][0]["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| format!("{}:{}", f["line"], f["rule"]))
            .collect();
        rules.sort();
        (v["files"].as_array().unwrap().len(), rules)
    };
    let from_root = json(root, ".");
    let from_card = json(&root.join("models/a"), ".");
    let from_elsewhere = json(&root.join("tools"), "../models/a/README.md");
    assert_eq!(from_root.0, 1, "only the card is a card by the hub's paths");
    assert_eq!(from_root.1, from_card.1);
    assert_eq!(from_root.1, from_elsewhere.1);
    assert!(
        !from_root.1.iter().any(|r| r.ends_with("\"broken-link\"")),
        "the hub turned it off"
    );
    // --verbose and the text summary say which settings judged the cards.
    let o = run_in(
        &root.join("tools"),
        &["check", "--verbose", "../models/a/README.md"],
    );
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains(".modelcard-review.toml"), "{err}");
    assert!(stdout(&o).contains("Settings: config "), "{}", stdout(&o));
}

#[test]
fn force_exclude_lets_the_config_decide_for_named_files() {
    let hub = hub();
    let root = hub.path();
    // As pre-commit calls it: every changed README.md named.
    let args = [
        "check",
        "--force-exclude",
        "README.md",
        "docs/README.md",
        "tools/README.md",
        "models/a/README.md",
    ];
    let o = run_in(root, &args);
    let out = stdout(&o);
    assert!(out.contains("Checked 1 file:"), "{out}");
    assert!(!out.contains("--> README.md"), "{out}");
    // Only files outside the paths: nothing to check, success.
    let o = run_in(
        root,
        &["check", "--force-exclude", "README.md", "docs/README.md"],
    );
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    // Without the flag, a named file is checked as it is.
    let o = run_in(root, &["check", "README.md"]);
    assert_eq!(o.status.code(), Some(1));
}

#[test]
fn without_paths_the_repositorys_own_readme_and_docs_are_not_cards() {
    let hub = hub();
    let root = hub.path();
    std::fs::remove_file(root.join(".modelcard-review.toml")).unwrap();
    let o = run_in(root, &["check", "--format", "json", "."]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let paths: Vec<&str> = v["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert_eq!(paths, vec!["models/a/README.md", "tools/README.md"]);
}

#[test]
fn the_same_file_twice_is_checked_once_and_output_files_keep_the_summary_on_the_terminal() {
    let hub = hub();
    let root = hub.path();
    let o = run_in(
        root,
        &[
            "check",
            "-o",
            "report.sarif",
            "--format",
            "sarif",
            "models/a/README.md",
            "./models/a/README.md",
            "models",
        ],
    );
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("Checked 1 file: "), "{err}");
    assert!(err.contains("Report written to report.sarif"), "{err}");
    let v: serde_json::Value =
        serde_json::from_slice(&std::fs::read(root.join("report.sarif")).unwrap()).unwrap();
    let uris: std::collections::BTreeSet<&str> = v["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                .as_str()
                .unwrap()
        })
        .collect();
    assert_eq!(
        uris.into_iter().collect::<Vec<_>>(),
        vec!["models/a/README.md"]
    );
    // SARIF's paths are the repository's, whatever the working folder.
    let o = run_in(
        &root.join("models/a"),
        &["check", "--format", "sarif", "README.md"],
    );
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(
        v["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "models/a/README.md"
    );
}

#[test]
fn unreadable_files_say_where_and_how_to_fix() {
    let dir = tempfile::tempdir().unwrap();
    let big = dir.path().join("big.md");
    std::fs::write(&big, "a".repeat(2 * 1024 * 1024 + 5)).unwrap();
    let bad = dir.path().join("latin1.md");
    std::fs::write(&bad, b"# Card\n\nline three\ncaf\xe9 on line four\n").unwrap();
    let o = run_in(
        dir.path(),
        &["check", "--format", "json", "big.md", "latin1.md"],
    );
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let big_msg = v["files"][0]["findings"][0]["message"].as_str().unwrap();
    assert!(
        big_msg.contains("2097157 bytes"),
        "the real size: {big_msg}"
    );
    assert!(big_msg.contains("max-file-size"), "{big_msg}");
    assert_eq!(v["files"][1]["findings"][0]["line"], 4);
}

/// `outline` prints, per heading, the template section it is taken for and how sure.
#[test]
fn outline_shows_each_headings_pairing() {
    let o = run(&[
        "outline",
        "fixtures/corpus/Azure_azureml-assets__hibou-b_notes.md",
    ]);
    assert_eq!(o.status.code(), Some(0));
    let out = stdout(&o);
    assert!(
        out.contains("## Intended Use -> # Uses (certain, renamed)"),
        "{out}"
    );
    assert!(
        out.contains(
            "## Responsible AI Considerations -> # Bias, Risks, and Limitations (certain, renamed)"
        ),
        "{out}"
    );
    let o = run(&["outline", "no/such/card.md"]);
    assert_eq!(o.status.code(), Some(2));
}
