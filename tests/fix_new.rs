//! `fix` and `new` as a contributor runs them.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

fn bin(dir: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_modelcard-review"));
    c.current_dir(dir).env_remove("MODELCARD_REVIEW_LOG");
    c
}

fn run(dir: &Path, args: &[&str]) -> Output {
    bin(dir).args(args).output().unwrap()
}

fn fixture(p: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(p)).unwrap()
}

fn good() -> String {
    fixture("fixtures/cards/good/nuclei-unet-2d/README.md")
}

#[test]
fn fix_in_place_says_what_it_fixed_and_what_is_left() {
    let dir = tempfile::tempdir().unwrap();
    let card = dir.path().join("README.md");
    let broken = good()
        .replace("## Model Description\n", "## model description\n")
        .replace("(#training-details)", "(#training-detail)");
    std::fs::write(&card, &broken).unwrap();
    let o = run(dir.path(), &["fix", "README.md"]);
    let out = String::from_utf8_lossy(&o.stdout);
    assert_eq!(o.status.code(), Some(0), "{out}");
    assert_eq!(
        out.trim(),
        "README.md: fixed 2: broken-anchor ×1, renamed-section ×1; nothing left to fix"
    );
    assert_eq!(std::fs::read_to_string(&card).unwrap(), good());
    // A second run changes nothing.
    let o = run(dir.path(), &["fix", "README.md"]);
    assert!(String::from_utf8_lossy(&o.stdout).contains("nothing to fix"));
}

#[test]
fn fix_diff_writes_nothing_and_exits_1_when_there_is_something_to_fix() {
    let dir = tempfile::tempdir().unwrap();
    let card = dir.path().join("README.md");
    let broken = good().replace("## Model Description\n", "### Model Description\n");
    std::fs::write(&card, &broken).unwrap();
    let o = run(dir.path(), &["fix", "--diff", "README.md"]);
    assert_eq!(o.status.code(), Some(1));
    let diff = String::from_utf8_lossy(&o.stdout);
    assert!(
        diff.contains("--- a/README.md\n+++ b/README.md\n"),
        "{diff}"
    );
    assert!(
        diff.contains("-### Model Description\n+## Model Description\n"),
        "{diff}"
    );
    assert_eq!(
        std::fs::read_to_string(&card).unwrap(),
        broken,
        "nothing written"
    );
    std::fs::write(&card, good()).unwrap();
    let o = run(dir.path(), &["fix", "--diff", "README.md"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(o.stdout.is_empty());
}

#[test]
fn fix_dash_reads_stdin_and_writes_the_fixed_card_to_stdout() {
    let dir = tempfile::tempdir().unwrap();
    let broken = good().replace("# Training Details\n", "# Training Detail\n");
    let mut child = bin(dir.path())
        .args(["fix", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(broken.as_bytes())
        .unwrap();
    let o = child.wait_with_output().unwrap();
    assert_eq!(String::from_utf8_lossy(&o.stdout), good());
    assert!(String::from_utf8_lossy(&o.stderr).contains("-: fixed 1: renamed-section ×1"));
}

#[test]
fn fix_moves_sections_only_with_unsafe_fixes() {
    let dir = tempfile::tempdir().unwrap();
    let card = dir.path().join("README.md");
    let text = good();
    let start = text.find("# Environmental Impact\n").unwrap();
    let end = text.find("# Technical Specifications\n").unwrap();
    let section = text[start..end].to_string();
    let moved = format!("{}{}\n{}", &text[..start], &text[end..], section.trim_end());
    std::fs::write(&card, &moved).unwrap();
    let o = run(dir.path(), &["fix", "README.md"]);
    assert!(
        String::from_utf8_lossy(&o.stdout).contains("section-order"),
        "{:?}",
        o
    );
    let o = run(dir.path(), &["fix", "--unsafe-fixes", "README.md"]);
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.contains("fixed 1: section-order ×1"), "{out}");
    let after = std::fs::read_to_string(&card).unwrap();
    assert!(
        after.find("# Environmental Impact").unwrap()
            < after.find("# Technical Specifications").unwrap()
    );
}

#[test]
fn new_writes_a_card_that_has_every_section_and_refuses_to_overwrite() {
    let dir = tempfile::tempdir().unwrap();
    let o = run(
        dir.path(),
        &["new", "models/seg/README.md", "--name", "Nuclei U-Net"],
    );
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let path = dir.path().join("models/seg/README.md");
    let text = std::fs::read_to_string(&path).unwrap();
    insta::assert_snapshot!("new_card", text);
    // check: only placeholders, template text and empty sections, nothing structural.
    let o = run(
        dir.path(),
        &["check", "--format", "json", "models/seg/README.md"],
    );
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    for f in v["files"][0]["findings"].as_array().unwrap() {
        let rule = f["rule"].as_str().unwrap();
        assert!(
            [
                "placeholder",
                "template-text",
                "empty-section",
                "empty-field"
            ]
            .contains(&rule),
            "{f}"
        );
    }
    let o = run(dir.path(), &["new", "models/seg/README.md"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("--force"));
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        text,
        "not overwritten"
    );
    let o = run(dir.path(), &["new", "--force", "models/seg/README.md"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(std::fs::read_to_string(&path)
        .unwrap()
        .starts_with("# [Model Name]\n"));
}

#[test]
fn new_fills_what_the_folders_rdf_yaml_states() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("models/stardist")).unwrap();
    std::fs::write(
        dir.path().join("models/stardist/rdf.yaml"),
        "format_version: 0.4.10\ntype: model\nname: StarDist nuclei\ndescription: Star-convex nuclei segmentation for fluorescence images.\nlicense: BSD-3-Clause\nauthors:\n  - name: Uwe Schmidt\n  - name: Martin Weigert\n    affiliation: EPFL\ncite:\n  - text: Schmidt et al., Cell Detection with Star-convex Polygons\n    doi: 10.1007/978-3-030-00934-2_30\ngit_repo: https://github.com/stardist/stardist\n",
    )
    .unwrap();
    let o = run(dir.path(), &["new", "models/stardist/README.md"]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let text = std::fs::read_to_string(dir.path().join("models/stardist/README.md")).unwrap();
    assert!(
        text.starts_with(
            "# StarDist nuclei\n\nStar-convex nuclei segmentation for fluorescence images.\n\n"
        ),
        "{text}"
    );
    assert!(text.contains("- **Developed by:** Uwe Schmidt, Martin Weigert (EPFL)\n"));
    assert!(text.contains("- **License:** BSD-3-Clause\n"));
    assert!(text.contains("- **Repository:** https://github.com/stardist/stardist\n"));
    assert!(text.contains("- **Paper:** Schmidt et al., Cell Detection with Star-convex Polygons (https://doi.org/10.1007/978-3-030-00934-2_30)\n"));
    assert!(
        text.contains("- **Demo:** *[Online demo or notebook URL]*\n"),
        "unknown keys leave the placeholder"
    );
}

/// `new -` prints the card instead of writing a file named `-`.
#[test]
fn new_dash_prints_the_card() {
    let dir = tempfile::tempdir().unwrap();
    let o = run(dir.path(), &["new", "-", "--name", "Nuclei U-Net"]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.starts_with("# Nuclei U-Net"), "{out}");
    assert!(!dir.path().join("-").exists());
}

/// `--fail-on` with a wrong level names the option the user typed.
#[test]
fn a_wrong_fail_on_names_the_option() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("README.md"), good()).unwrap();
    let o = run(dir.path(), &["check", "--fail-on", "errors", "README.md"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("--fail-on"));
}

/// `fix - FILE`: refused, nothing written (a file's report would be mixed into the
/// card on standard output).
#[test]
fn fix_dash_with_files_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let card = good().replace("## Model Sources", "## Model sources");
    std::fs::write(dir.path().join("README.md"), &card).unwrap();
    let o = run(dir.path(), &["fix", "-", "README.md"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("separate run"));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("README.md")).unwrap(),
        card
    );
}

/// An rdf.yaml that is a list fills nothing and says why; `new` stops (exit 2).
#[test]
fn an_rdf_that_is_a_list_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("m")).unwrap();
    std::fs::write(dir.path().join("m/rdf.yaml"), "- name: x\n- license: MIT\n").unwrap();
    let o = run(dir.path(), &["new", "m/README.md"]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("not a mapping") && err.contains("a list"),
        "{err}"
    );
    assert!(!err.contains("filled from"), "{err}");
}
