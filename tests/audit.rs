//! `modelcard-review audit` on a small hub with a history: the report's counts are
//! `check`'s, statuses and fill rates add up, the trend follows the commits, and a
//! template edit's impact is what it should be.

use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_modelcard-review");

fn fixture(p: &str) -> String {
    let b = std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join(p)).unwrap();
    String::from_utf8(b).unwrap()
}

fn template() -> String {
    fixture("templates/ri-scale-model-card.md")
}

fn git(dir: &Path, args: &[&str], date: &str) {
    let out = Command::new("git")
        .args([
            "-c",
            "user.name=Hub",
            "-c",
            "user.email=hub@example.org",
            "-c",
            "commit.gpgsign=false",
            "-c",
            "init.defaultBranch=main",
        ])
        .args(args)
        .current_dir(dir)
        .env("GIT_AUTHOR_DATE", date)
        .env("GIT_COMMITTER_DATE", date)
        .output()
        .unwrap();
    assert!(out.status.success(), "git {args:?}: {out:?}");
}

fn put(dir: &Path, path: &str, text: &str) {
    let p = dir.join(path);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

/// Four commits: a good card and the unfilled template; a broken card added; the
/// template card filled; a change to no card.
fn hub() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    git(d, &["init", "-q"], "2026-11-01T10:00:00Z");
    put(
        d,
        ".modelcard-review.toml",
        "paths = [\"models/**/README.md\"]\n",
    );
    put(
        d,
        "models/a/README.md",
        &fixture("fixtures/cards/good/nuclei-unet-2d/README.md"),
    );
    put(d, "models/t/README.md", &template());
    git(d, &["add", "-A"], "2026-11-01T10:00:00Z");
    git(d, &["commit", "-qm", "first cards"], "2026-11-01T10:00:00Z");
    put(
        d,
        "models/b/README.md",
        &fixture("fixtures/cards/broken/common-faults/README.md"),
    );
    git(d, &["add", "-A"], "2026-11-02T10:00:00Z");
    git(
        d,
        &["commit", "-qm", "a broken card"],
        "2026-11-02T10:00:00Z",
    );
    put(
        d,
        "models/t/README.md",
        &fixture("fixtures/cards/good/mito-em-3d/README.md"),
    );
    git(d, &["add", "-A"], "2026-11-03T10:00:00Z");
    git(
        d,
        &["commit", "-qm", "the template card filled"],
        "2026-11-03T10:00:00Z",
    );
    put(d, "docs/notes.md", "# Notes\n");
    git(d, &["add", "-A"], "2026-11-04T10:00:00Z");
    git(d, &["commit", "-qm", "no card"], "2026-11-04T10:00:00Z");
    dir
}

fn run(dir: &Path, args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap()
}

fn audit_json(dir: &Path, extra: &[&str]) -> Value {
    let mut args = vec!["audit", "--json", "audit.json"];
    args.extend_from_slice(extra);
    let out = run(dir, &args);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    serde_json::from_slice(&std::fs::read(dir.join("audit.json")).unwrap()).unwrap()
}

/// Per card: (errors, warnings, notices) and its findings.
type Checked = BTreeMap<String, ((u64, u64, u64), Vec<Value>)>;

/// `check --format json` on the hub.
fn check(dir: &Path) -> Checked {
    let out = run(dir, &["check", "--format", "json", "--fail-on", "never"]);
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let mut m = BTreeMap::new();
    for f in v["files"].as_array().unwrap() {
        let fs = f["findings"].as_array().unwrap().clone();
        let n = |s: &str| fs.iter().filter(|x| x["severity"] == s).count() as u64;
        m.insert(
            f["path"].as_str().unwrap().to_string(),
            ((n("error"), n("warning"), n("notice")), fs),
        );
    }
    m
}

#[test]
fn the_report_counts_what_check_finds_and_follows_the_history() {
    let hub = hub();
    let d = hub.path();
    let r = audit_json(d, &["--history", "30"]);
    let checked = check(d);
    let cards = r["cards"].as_array().unwrap();
    assert_eq!(cards.len(), 3);
    assert_eq!(checked.len(), 3);
    for c in cards {
        let path = c["path"].as_str().unwrap();
        let (counts, _) = &checked[path];
        assert_eq!(
            (
                c["errors"].as_u64().unwrap(),
                c["warnings"].as_u64().unwrap(),
                c["notices"].as_u64().unwrap()
            ),
            *counts,
            "{path}"
        );
    }
    let hub_errors: u64 = checked.values().map(|(c, _)| c.0).sum();
    assert_eq!(r["hub"]["errors"].as_u64(), Some(hub_errors));

    // Statuses: the broken card lacks Recommendations, as check says.
    let b = cards
        .iter()
        .find(|c| c["path"] == "models/b/README.md")
        .unwrap();
    let status = |card: &Value, name: &str| {
        card["sections"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["section"] == name)
            .unwrap()["status"]
            .as_str()
            .unwrap()
            .to_string()
    };
    assert_eq!(status(b, "Recommendations"), "missing");
    assert!(checked["models/b/README.md"]
        .1
        .iter()
        .any(|f| f["rule"] == "missing-section" && f["section"] == "Recommendations"));
    let a = cards
        .iter()
        .find(|c| c["path"] == "models/a/README.md")
        .unwrap();
    assert_eq!(a["completeness"], 1.0);
    assert_eq!(status(a, "Model Description"), "filled");

    // Fill rates: each section's counts add up to the cards, and its rate is filled/cards.
    for s in r["sections"].as_array().unwrap() {
        let counts: Vec<u64> = ["filled", "placeholder", "empty", "missing"]
            .iter()
            .map(|k| s[*k].as_u64().unwrap())
            .collect();
        assert_eq!(counts.iter().sum::<u64>(), 3, "{s}");
        let rate = s["fill_rate"].as_f64().unwrap();
        assert!((rate - counts[0] as f64 / 3.0).abs() < 0.001, "{s}");
        let filled_in_cards = cards
            .iter()
            .filter(|c| status(c, s["name"].as_str().unwrap()) == "filled")
            .count() as u64;
        assert_eq!(filled_in_cards, counts[0]);
    }
    // Rules: the same totals as check's findings.
    let mut per_rule: BTreeMap<String, u64> = BTreeMap::new();
    for (_, fs) in checked.values() {
        for f in fs {
            *per_rule
                .entry(f["rule"].as_str().unwrap().to_string())
                .or_default() += 1;
        }
    }
    let reported: BTreeMap<String, u64> = r["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| {
            (
                x["rule"].as_str().unwrap().to_string(),
                x["findings"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(reported, per_rule);

    // The trend: three commits changed cards (the fourth did not), oldest first.
    let h = r["history"].as_array().unwrap();
    let dates: Vec<&str> = h
        .iter()
        .map(|p| &p["date"].as_str().unwrap()[..10])
        .collect();
    assert_eq!(dates, ["2026-11-01", "2026-11-02", "2026-11-03"]);
    let n: Vec<u64> = h.iter().map(|p| p["cards"].as_u64().unwrap()).collect();
    assert_eq!(n, [2, 3, 3]);
    let e: Vec<u64> = h.iter().map(|p| p["errors"].as_u64().unwrap()).collect();
    assert_eq!(e[2], hub_errors, "the last point is today's hub");
    // The broken card adds errors; filling the template card takes some away.
    assert!(e[1] > e[0] && e[1] > e[2], "{e:?}");
    let m: Vec<f64> = h
        .iter()
        .map(|p| p["mean_completeness"].as_f64().unwrap())
        .collect();
    assert!(m[2] > m[1] && m[2] > m[0], "{m:?}");
    assert_eq!(m[2], r["hub"]["mean_completeness"].as_f64().unwrap());
}

#[test]
fn a_template_that_adds_a_required_section_gives_each_passing_card_one_missing_section() {
    let hub = hub();
    let d = hub.path();
    let new = template().replacen(
        "# Environmental Impact",
        "# Data Availability\n\n*Where the training and test data can be downloaded, and under which terms.*\n\n# Environmental Impact",
        1,
    );
    assert_ne!(new, template());
    std::fs::write(d.join("new-template.md"), new).unwrap();
    let r = audit_json(d, &["--against-template", "new-template.md"]);
    let checked = check(d);
    let passing: Vec<&String> = checked
        .iter()
        .filter(|(_, (c, _))| c.0 == 0 && c.1 == 0)
        .map(|(p, _)| p)
        .collect();
    assert_eq!(passing.len(), 2, "{checked:?}");
    let imp = &r["impact"];
    for p in passing {
        let card = imp["cards"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["path"] == p.as_str())
            .unwrap_or_else(|| panic!("{p}: {imp:#}"));
        let new = card["new"].as_array().unwrap();
        assert_eq!(new.len(), 1, "{p}: {new:#?}");
        assert_eq!(
            (new[0]["rule"].as_str(), new[0]["section"].as_str()),
            (Some("missing-section"), Some("Data Availability"))
        );
    }
    assert_eq!(
        imp["by_rule"]["missing-section"].as_u64(),
        Some(imp["cards_affected"].as_u64().unwrap())
    );
    assert_eq!(imp["new_findings"], imp["cards_affected"]);
    // The same template: nothing new.
    let same = Path::new(env!("CARGO_MANIFEST_DIR")).join("templates/ri-scale-model-card.md");
    let r = audit_json(d, &["--against-template", same.to_str().unwrap()]);
    assert_eq!(r["impact"]["new_findings"], 0);
}

#[test]
fn the_page_is_one_file_with_the_data_inert() {
    let hub = hub();
    let d = hub.path();
    put(d, "models/<script>x</script>/README.md", &template());
    let out = run(d, &["audit", "--html", "site/index.html"]);
    assert_eq!(out.status.code(), Some(2), "no such folder: {out:?}");
    std::fs::create_dir(d.join("site")).unwrap();
    let out = run(
        d,
        &[
            "audit",
            "--html",
            "site/index.html",
            "--repo-url",
            "https://github.com/hub/models",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let page = std::fs::read_to_string(d.join("site/index.html")).unwrap();
    assert!(
        !page.contains("<script>x</script>"),
        "a card's path closes no element"
    );
    assert!(page.contains("models/\\u003cscript\\u003ex\\u003c/script\\u003e/README.md"));
    assert!(page.contains("https://github.com/hub/models/blob/"));
    for forbidden in ["http://", "src=\"http", "href=\"http", "@import"] {
        assert!(
            !page
                .replace("http://www.w3.org/2000/svg", "")
                .contains(forbidden),
            "{forbidden}"
        );
    }
    assert!(page.contains("Content-Security-Policy"));
}

#[test]
fn faults_give_a_clear_message_exit_2_and_leave_nothing_half_written() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    put(d, "models/a/README.md", &template());
    let out = run(d, &["audit", "--history", "5", "--json", "x.json"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("not in a git repository"), "{err}");
    assert!(!d.join("x.json").exists());

    let out = run(d, &["audit", "--against-template", "nowhere.md"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot read template nowhere.md"));

    // The output is a folder: the write fails, the temporary file is removed.
    std::fs::create_dir(d.join("out")).unwrap();
    std::fs::write(d.join("out/keep.txt"), "x").unwrap();
    let out = run(d, &["audit", "--json", "out"]);
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot write out"));
    let left: Vec<PathBuf> = std::fs::read_dir(d)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
}

#[test]
fn completeness_is_one_exactly_for_the_cards_that_pass() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out_dir = tempfile::tempdir().unwrap();
    let json = out_dir.path().join("audit.json");
    let mut args: Vec<String> = vec!["audit".into(), "--json".into(), json.display().to_string()];
    args.push("fixtures/cards".into());
    args.push("templates/ri-scale-model-card.md".into());
    for e in std::fs::read_dir(root.join("fixtures/corpus")).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "md") && !p.ends_with("SOURCES.md") {
            args.push(p.strip_prefix(root).unwrap().display().to_string());
        }
    }
    let out = Command::new(BIN)
        .args(&args)
        .current_dir(root)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let r: Value = serde_json::from_slice(&std::fs::read(&json).unwrap()).unwrap();
    let cards = r["cards"].as_array().unwrap();
    assert!(cards.len() > 20);
    let mut passing = 0;
    for c in cards {
        let passes = c["errors"] == 0 && c["warnings"] == 0;
        let complete = c["completeness"].as_f64().unwrap();
        assert_eq!(passes, complete == 1.0, "{}: {complete}", c["path"]);
        passing += usize::from(passes);
    }
    assert!(passing >= 3);
    let unfilled = cards
        .iter()
        .find(|c| c["path"] == "templates/ri-scale-model-card.md")
        .unwrap();
    assert!(
        unfilled["completeness"].as_f64().unwrap() < 0.05,
        "{unfilled}"
    );
}

#[test]
fn without_an_output_file_it_names_the_sections_filled_least_and_links_follow_actions() {
    let hub = hub();
    let d = hub.path();
    let out = run(d, &["audit"]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.starts_with("Sections filled least (share of cards):\n"),
        "{text}"
    );
    // The broken card lacks Recommendations: 2 of 3 cards fill it.
    assert!(text.contains("   67%  Recommendations\n"), "{text}");
    assert!(text.ends_with("Write the whole report with --html FILE or --json FILE.\n"));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("audited 3 card(s): 2 pass"), "{err}");

    // In GitHub Actions, cards link to their pages in the repository.
    let out = Command::new(BIN)
        .args(["audit", "--json", "audit.json"])
        .current_dir(d)
        .env("GITHUB_SERVER_URL", "https://github.example/")
        .env("GITHUB_REPOSITORY", "hub/models")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let r: Value = serde_json::from_slice(&std::fs::read(d.join("audit.json")).unwrap()).unwrap();
    let head = r["commit"].as_str().unwrap();
    assert_eq!(
        r["cards"][0]["url"],
        format!("https://github.example/hub/models/blob/{head}/models/a/README.md")
    );
}

/// A template edit that only renames a section: each card that has the section gains
/// the one finding that asks for the new name, and nothing it already had in that
/// section counts as new (issue #31: the fingerprint carried the section's name).
#[test]
fn a_renamed_section_counts_only_the_rename_as_new() {
    let hub = hub();
    let d = hub.path();
    let new = template().replacen("## Recommendations\n", "## Recommendations for Users\n", 1);
    assert_ne!(new, template());
    // A card with a finding of its own in the section renamed.
    let good = fixture("fixtures/cards/good/nuclei-unet-2d/README.md");
    let start = good.find("## Recommendations\n\n").unwrap() + "## Recommendations\n\n".len();
    let end = start + good[start..].find("\n\n").unwrap();
    put(
        d,
        "models/r/README.md",
        &format!(
            "{}TODO: write the recommendations.{}",
            &good[..start],
            &good[end..]
        ),
    );
    let today = check(d);
    let findings = &today["models/r/README.md"].1;
    assert!(
        findings
            .iter()
            .any(|f| f["rule"] == "placeholder" && f["section"] == "Recommendations"),
        "{findings:#?}"
    );
    std::fs::write(d.join("renamed.md"), new).unwrap();
    let r = audit_json(d, &["--against-template", "renamed.md"]);
    let imp = &r["impact"];
    let cards = imp["cards"].as_array().unwrap();
    assert!(!cards.is_empty(), "{imp:#}");
    for c in cards {
        let new = c["new"].as_array().unwrap();
        assert_eq!(new.len(), 1, "{}: {new:#?}", c["path"]);
        assert_eq!(
            new[0]["section"].as_str(),
            Some("Recommendations for Users"),
            "{new:#?}"
        );
    }
    assert_eq!(imp["new_findings"], imp["cards_affected"]);
    // The page and the JSON name the template as the repository does, not by the
    // absolute path it was given.
    let abs = d.join("renamed.md");
    let r = audit_json(d, &["--against-template", abs.to_str().unwrap()]);
    assert_eq!(r["impact"]["template"], "renamed.md");
}

#[test]
fn fail_on_fails_the_audit_and_links_are_encoded_web_addresses() {
    let hub = hub();
    let d = hub.path();
    // The hub has errors: only an explicit --fail-on makes that a failure.
    assert_eq!(
        run(d, &["audit", "--json", "a.json"]).status.code(),
        Some(0)
    );
    let out = run(d, &["audit", "--json", "a.json", "--fail-on", "error"]);
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stderr).contains("--fail-on error"));
    assert_eq!(
        run(d, &["audit", "--json", "a.json", "--fail-on", "never"])
            .status
            .code(),
        Some(0)
    );
    // A folder name with URL syntax in it stays one path.
    put(d, "models/c#1 ?v=2 100%/README.md", &template());
    let r = audit_json(d, &["--repo-url", "https://github.com/hub/models/"]);
    let card = r["cards"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["path"].as_str().unwrap().contains("c#1"))
        .unwrap();
    let url = card["url"].as_str().unwrap();
    assert!(
        url.starts_with("https://github.com/hub/models/blob/")
            && url.ends_with("/models/c%231%20%3Fv%3D2%20100%25/README.md"),
        "{url}"
    );
    for bad in [
        "javascript:alert(1)",
        "JavaScript://x",
        "data:text/html,x",
        "github.com/x",
    ] {
        let out = run(d, &["audit", "--json", "a.json", "--repo-url", bad]);
        assert_eq!(out.status.code(), Some(2), "{bad}: {out:?}");
        assert!(String::from_utf8_lossy(&out.stderr).contains("https://"));
    }
}
