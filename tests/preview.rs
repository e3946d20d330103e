//! `review --dry-run --base REF`: the review previewed in a local git checkout, with
//! no token and no event.

use std::path::Path;
use std::process::{Command, Output};

fn git(dir: &Path, args: &[&str]) {
    let o = Command::new("git")
        .current_dir(dir)
        .args(args)
        .output()
        .unwrap();
    assert!(
        o.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
}

/// An empty repository on `main`, with an author for its commits.
fn new_repo(root: &Path) {
    git(root, &["init", "-q", "-b", "main"]);
    git(root, &["config", "user.email", "t@example.org"]);
    git(root, &["config", "user.name", "t"]);
}

fn preview(dir: &Path, base: &str) -> Output {
    Command::new(env!("CARGO_BIN_EXE_modelcard-review"))
        .current_dir(dir)
        .env_remove("GITHUB_TOKEN")
        .env_remove("GITHUB_EVENT_PATH")
        .args(["review", "--dry-run", "--base", base])
        .output()
        .unwrap()
}

fn good() -> String {
    std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/cards/good/nuclei-unet-2d/README.md"),
    )
    .unwrap()
}

#[test]
fn a_commit_that_breaks_a_field_gets_the_comment_on_that_line() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    new_repo(root);
    std::fs::create_dir_all(root.join("models/seg")).unwrap();
    std::fs::write(root.join("models/seg/README.md"), good()).unwrap();
    std::fs::write(root.join("README.md"), "# The hub\n").unwrap();
    git(root, &["add", "-A"]);
    git(root, &["commit", "-qm", "base"]);
    git(root, &["checkout", "-qb", "change"]);
    let broken = good().replace("- **Compute Region:** Germany", "- **Compute Region:** TBD");
    let line = broken
        .lines()
        .position(|l| l.contains("Compute Region:** TBD"))
        .unwrap()
        + 1;
    std::fs::write(root.join("models/seg/README.md"), &broken).unwrap();
    std::fs::write(root.join("README.md"), "# The hub\n\nTODO\n").unwrap();
    git(root, &["commit", "-qam", "change"]);
    let o = preview(root, "main");
    let out = String::from_utf8_lossy(&o.stdout);
    assert_eq!(
        o.status.code(),
        Some(1),
        "{out}\n{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(
        out.contains("Inline review comments the bot would post (1):"),
        "{out}"
    );
    assert!(
        out.contains(&format!("models/seg/README.md:{line}\n")),
        "{out}"
    );
    assert!(
        out.contains("`TBD` is a placeholder in the field `Compute Region:`"),
        "{out}"
    );
    assert!(
        out.contains("Not checked as model cards: `README.md`"),
        "{out}"
    );
    assert!(out.contains("would conclude: failure"), "{out}");
    // Nothing changed since main: nothing to say, success.
    let o = preview(root, "change");
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stdout)
    );
}

#[test]
fn an_unknown_base_or_no_repository_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let o = preview(dir.path(), "main");
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("not a git repository"));
    git(dir.path(), &["init", "-q", "-b", "main"]);
    git(dir.path(), &["config", "user.email", "t@example.org"]);
    git(dir.path(), &["config", "user.name", "t"]);
    std::fs::write(dir.path().join("x"), "x").unwrap();
    git(dir.path(), &["add", "-A"]);
    git(dir.path(), &["commit", "-qm", "x"]);
    let o = preview(dir.path(), "no-such-branch");
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("unknown base \"no-such-branch\""));
}

fn hub_with_a_settings_change() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    new_repo(root);
    std::fs::write(root.join(".modelcard-review.toml"), "fail-on = \"error\"\n").unwrap();
    // Many cards, so the preview says more than a pipe holds.
    for i in 0..40 {
        std::fs::create_dir_all(root.join(format!("models/m{i}"))).unwrap();
        std::fs::write(root.join(format!("models/m{i}/README.md")), "# M\n").unwrap();
    }
    git(root, &["add", "-A"]);
    git(root, &["commit", "-qm", "base"]);
    git(root, &["checkout", "-qb", "change"]);
    std::fs::write(root.join(".modelcard-review.toml"), "fail-on = \"never\"\n").unwrap();
    for i in 0..40 {
        std::fs::write(
            root.join(format!("models/m{i}/README.md")),
            crate_template(),
        )
        .unwrap();
    }
    git(root, &["commit", "-qam", "change"]);
    dir
}

fn crate_template() -> String {
    std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("templates/ri-scale-model-card.md"),
    )
    .unwrap()
}

/// The preview says what the bot's summary says when the settings change in the
/// branch: the base's settings judged it, the new ones apply after merge.
#[test]
fn the_preview_notes_a_settings_change_as_the_bot_does() {
    let dir = hub_with_a_settings_change();
    let o = preview(dir.path(), "main");
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(
        out.contains("`.modelcard-review.toml` changes in this pull request; the new settings apply after merge"),
        "{out}"
    );
    // Judged by the base's `fail-on = "error"`, not the branch's "never".
    assert_eq!(o.status.code(), Some(1), "{out}");
    // And what the branch's settings would do to the hub's cards, as the bot says it.
    assert!(
        out.contains("**This settings change and the hub's cards:** With this pull request's settings, none of the 40 cards would gain a finding; run `modelcard-review audit` on this branch for the numbers."),
        "{out}"
    );
}

/// `| head -1`: the reader goes away; the preview stops quietly, as `check` does.
#[test]
fn a_closed_pipe_ends_quietly() {
    use std::io::Read;
    use std::process::Stdio;
    let dir = hub_with_a_settings_change();
    let runs: [&[&str]; 2] = [
        &["review", "--dry-run", "--base", "main"],
        &["check", "--format", "json", "--fail-on", "never", "models"],
    ];
    for args in runs {
        for _ in 0..3 {
            let mut child = Command::new(env!("CARGO_BIN_EXE_modelcard-review"))
                .current_dir(dir.path())
                .env_remove("GITHUB_TOKEN")
                .env_remove("GITHUB_EVENT_PATH")
                .args(args)
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap();
            let mut first = [0u8; 16];
            child.stdout.take().unwrap().read_exact(&mut first).unwrap();
            // stdout is closed here, with most of the output unread.
            let o = child.wait_with_output().unwrap();
            let err = String::from_utf8_lossy(&o.stderr);
            assert!(!err.contains("panicked"), "{args:?}: {err}");
            assert_ne!(o.status.code(), Some(101), "{args:?}: {err}");
        }
    }
}

/// The preview judges a card whose rdf.yaml alone changed, as the bot does.
#[test]
fn the_preview_judges_a_card_whose_rdf_yaml_changed() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    new_repo(root);
    std::fs::create_dir_all(root.join("models/seg")).unwrap();
    std::fs::write(root.join("models/seg/README.md"), good()).unwrap();
    std::fs::write(root.join("models/seg/rdf.yaml"), "license: MIT\n").unwrap();
    git(root, &["add", "-A"]);
    git(root, &["commit", "-qm", "base"]);
    git(root, &["checkout", "-qb", "change"]);
    std::fs::write(root.join("models/seg/rdf.yaml"), "license: GPL-3.0-only\n").unwrap();
    git(root, &["commit", "-qam", "relicense"]);
    let o = preview(root, "main");
    let out = String::from_utf8_lossy(&o.stdout);
    assert_eq!(o.status.code(), Some(1), "{out}");
    assert!(
        out.contains("metadata-mismatch") && out.contains("`GPL-3.0-only`"),
        "{out}"
    );
}
