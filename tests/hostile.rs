//! Hostile input: each gives a clear finding or error, never a panic or a hang;
//! exit 2 only for usage and I/O errors.

use modelcard_review::config::Config;
use modelcard_review::rules::{check_bytes, NoOracle};
use modelcard_review::template::Spec;
use std::process::Command;

fn spec() -> (Config, Spec) {
    let cfg = Config::default();
    let spec = Spec::default_spec(&cfg).unwrap();
    (cfg, spec)
}

fn rules_for(bytes: &[u8]) -> Vec<String> {
    let (cfg, spec) = spec();
    let findings = check_bytes(&spec, &cfg, "m/README.md", bytes, &NoOracle);
    let lines = bytes.iter().filter(|b| **b == b'\n').count() + 1;
    for f in &findings {
        assert!(
            f.line >= 1 && f.line <= f.end_line && f.end_line <= lines.max(1),
            "{f:?}"
        );
    }
    findings.into_iter().map(|f| f.rule.to_string()).collect()
}

#[test]
fn hostile_cards() {
    let nested_lists: String = (0..10_000)
        .map(|i| format!("{}- x\n", "  ".repeat(i % 100)))
        .collect();
    let nested_quotes = format!("{}deep\n", ">".repeat(10_000));
    let wide_table = format!(
        "|{}\n|{}\n|{}\n",
        "a|".repeat(100_000),
        "-|".repeat(100_000),
        "1|".repeat(99_999)
    );
    let many_hashes = "#\n".repeat(512 * 1024);
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("empty", Vec::new(), "missing-section"),
        ("whitespace", b"   \n\t\n  \n".to_vec(), "missing-section"),
        ("1 MiB of #", vec![b'#'; 1024 * 1024], "missing-section"),
        (
            "512 Ki empty headings",
            many_hashes.into_bytes(),
            "missing-section",
        ),
        (
            "10,000 nested lists",
            nested_lists.into_bytes(),
            "missing-section",
        ),
        (
            "10,000 nested blockquotes",
            nested_quotes.into_bytes(),
            "missing-section",
        ),
        (
            "100,000-column table",
            wide_table.into_bytes(),
            "table-shape",
        ),
        ("NUL bytes", b"# Title\0\n".to_vec(), "unreadable-file"),
        ("invalid UTF-8", b"# Caf\xe9\n".to_vec(), "unreadable-file"),
        (
            "UTF-16 with BOM",
            vec![0xFF, 0xFE, b'#', 0, b' ', 0, b'A', 0],
            "unreadable-file",
        ),
        (
            "over the size limit",
            vec![b'a'; 1024 * 1024 + 1],
            "unreadable-file",
        ),
        ("CRLF", b"# A\r\n\r\nTODO\r\n".to_vec(), "placeholder"),
        ("lone CR", b"# A\r\rTODO\r".to_vec(), "placeholder"),
    ];
    for (name, bytes, expect) in cases {
        let t = std::time::Instant::now();
        let rules = rules_for(&bytes);
        assert!(
            rules.iter().any(|r| r == expect),
            "{name}: expected {expect}, got {rules:?}"
        );
        // Not a timing test (machines are noisy): a guard against a hang.
        assert!(t.elapsed().as_secs() < 60, "{name} took {:?}", t.elapsed());
    }
}

#[test]
fn broken_templates_are_clear_errors_or_work() {
    let cfg = Config::default();
    for bad in ["", "just prose\n", "# [Only a title]\n", "---\n---\n---\n"] {
        let e = Spec::from_markdown(bad, "t", &cfg).unwrap_err().to_string();
        assert!(e.contains("no section headings"), "{e}");
    }
    // Odd but usable templates still give a spec.
    for odd in [
        "# A\n# A\n# A\n",
        "###### deep\n# up\n",
        "# [x]\n## y\n| a |\n|---|\n| [b] [c] |\n",
    ] {
        assert!(Spec::from_markdown(odd, "t", &cfg).is_ok(), "{odd:?}");
    }
}

fn bin(dir: &std::path::Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_modelcard-review"))
        .current_dir(dir)
        .args(args)
        .output()
        .unwrap()
}

#[cfg(unix)]
#[test]
fn symlinks_outside_the_repository_are_not_followed() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(
        outside.path().join("secret.md"),
        "# Secret\n\nprivate TODO\n",
    )
    .unwrap();
    let repo = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(repo.path().join("models/a")).unwrap();
    std::os::unix::fs::symlink(
        outside.path().join("secret.md"),
        repo.path().join("models/a/README.md"),
    )
    .unwrap();
    let o = bin(repo.path(), &["check", "--format", "json", "."]);
    assert_eq!(o.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let f = &v["files"][0]["findings"];
    assert_eq!(f.as_array().unwrap().len(), 1);
    assert_eq!(f[0]["rule"], "unreadable-file");
    assert!(f[0]["message"]
        .as_str()
        .unwrap()
        .contains("outside the repository"));
    assert!(!String::from_utf8_lossy(&o.stdout).contains("private"));
}

#[test]
fn paths_with_dot_dot_and_bad_template_files() {
    let repo = tempfile::tempdir().unwrap();
    let inner = repo.path().join("inner");
    std::fs::create_dir_all(&inner).unwrap();
    std::fs::write(
        repo.path().join("README.md"),
        "# X\n\n![img](../../etc/passwd)\n",
    )
    .unwrap();
    // A card reached through `..` is checked; its link cannot climb out.
    let o = bin(&inner, &["check", "--format", "json", "../README.md"]);
    assert_eq!(o.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!(v["files"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["rule"] == "broken-link"));
    // A template that is binary or empty: a clear error, exit 2.
    std::fs::write(repo.path().join("t.md"), [0u8, 1, 2]).unwrap();
    let o = bin(repo.path(), &["check", "--template", "t.md", "README.md"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("template"));
    std::fs::write(repo.path().join("t.md"), "").unwrap();
    let o = bin(repo.path(), &["check", "--template", "t.md", "README.md"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("no section headings"));
}
