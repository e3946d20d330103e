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
    git(root, &["init", "-q", "-b", "main"]);
    git(root, &["config", "user.email", "t@example.org"]);
    git(root, &["config", "user.name", "t"]);
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
        out.contains("“TBD” is a placeholder in the field **Compute Region:**"),
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
