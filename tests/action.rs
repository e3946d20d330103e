//! action.yml and the binary cannot drift apart: every input is read under its
//! `INPUT_` name, every output is written, and the binary runs as the container
//! runs it (only the environment GitHub gives a Docker action) against a fake GitHub.
#![cfg(feature = "github")]

mod support;

use serde_json::json;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use support::fake_github::{start, Fake, FileSpec, OWNER, REPO};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// `inputs:` / `outputs:` of action.yml: name → default (a small reader for our own
/// file: two-space keys under the section, `default:` four spaces in).
fn section(name: &str) -> BTreeMap<String, Option<String>> {
    let text = std::fs::read_to_string(root().join("action.yml")).unwrap();
    let mut out = BTreeMap::new();
    let mut inside = false;
    let mut current: Option<String> = None;
    for line in text.lines() {
        if !line.starts_with(' ') && !line.is_empty() {
            inside = line.trim_end() == format!("{name}:");
            current = None;
            continue;
        }
        if !inside {
            continue;
        }
        if let Some(key) = line.strip_prefix("  ").filter(|l| !l.starts_with(' ')) {
            let key = key.trim_end_matches(':').to_string();
            out.insert(key.clone(), None);
            current = Some(key);
        } else if let (Some(k), Some(d)) = (&current, line.trim().strip_prefix("default:")) {
            let d = d.trim().trim_matches('"').to_string();
            out.insert(k.clone(), Some(d));
        }
    }
    out
}

fn source_text() -> String {
    let mut all = String::new();
    let mut stack = vec![root().join("src")];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                all.push_str(&std::fs::read_to_string(&p).unwrap());
            }
        }
    }
    all
}

#[test]
fn action_yml_describes_a_docker_action() {
    let text = std::fs::read_to_string(root().join("action.yml")).unwrap();
    assert!(text.contains("  using: docker"));
    assert!(text.contains("  image: Dockerfile"));
    assert!(text.contains("branding:"));
    let inputs = section("inputs");
    for required in [
        "github_token",
        "template",
        "config",
        "paths",
        "fail_on",
        "mode",
        "plan",
        "sarif",
        "max_comments",
    ] {
        assert!(inputs.contains_key(required), "input {required} missing");
    }
    assert_eq!(
        inputs["github_token"].as_deref(),
        Some("${{ github.token }}")
    );
}

#[test]
fn every_input_is_read_by_the_binary() {
    let src = source_text();
    for name in section("inputs").keys() {
        assert!(
            name.chars().all(|c| c.is_ascii_lowercase() || c == '_'),
            "input {name}: use underscores"
        );
        assert!(
            src.contains(&format!("input(\"{name}\")")),
            "input {name} is never read (INPUT_{})",
            name.to_uppercase()
        );
    }
}

fn binary() -> PathBuf {
    // CI points this at the release build, the binary the image ships.
    std::env::var("MODELCARD_REVIEW_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|_| PathBuf::from(env!("CARGO_BIN_EXE_modelcard-review")))
}

/// Runs the binary with exactly what GitHub gives a Docker action: INPUT_* from
/// action.yml's defaults (overridden by `with`), GITHUB_* and the /github/* layout.
async fn run_as_container(
    url: &str,
    with: &[(&str, &str)],
    event: serde_json::Value,
) -> (i32, String, BTreeMap<String, String>) {
    let tmp = tempfile::tempdir().unwrap();
    let gh = tmp.path().join("github");
    let (workspace, home, workflow, files) = (
        gh.join("workspace"),
        gh.join("home"),
        gh.join("workflow"),
        gh.join("file_commands"),
    );
    for d in [&workspace, &home, &workflow, &files] {
        std::fs::create_dir_all(d).unwrap();
    }
    std::fs::write(workflow.join("event.json"), event.to_string()).unwrap();
    let mut cmd = std::process::Command::new(binary());
    cmd.env_clear().current_dir(&workspace);
    let token = "ghs_container_token_987";
    for (name, default) in section("inputs") {
        let mut value = default.unwrap_or_default();
        if value == "${{ github.token }}" {
            value = token.to_string();
        }
        if let Some((_, v)) = with.iter().find(|(k, _)| *k == name) {
            value = v.to_string();
        }
        cmd.env(format!("INPUT_{}", name.to_uppercase()), value);
    }
    cmd.env("HOME", &home)
        .env("GITHUB_WORKSPACE", &workspace)
        .env("GITHUB_EVENT_PATH", workflow.join("event.json"))
        .env("GITHUB_EVENT_NAME", "pull_request")
        .env("GITHUB_REPOSITORY", format!("{OWNER}/{REPO}"))
        .env("GITHUB_API_URL", url)
        .env("GITHUB_SERVER_URL", "https://github.com")
        .env("GITHUB_RUN_ID", "9001")
        .env("GITHUB_RUN_ATTEMPT", "1")
        .env("GITHUB_ACTIONS", "true")
        .env("CI", "true")
        .env("GITHUB_OUTPUT", files.join("set_output"))
        .env("GITHUB_STEP_SUMMARY", files.join("step_summary"))
        .env("RUNNER_TEMP", gh.join("runner_temp"))
        .arg("review");
    let out = tokio::task::spawn_blocking(move || cmd.output().unwrap())
        .await
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(!stdout.contains(token) && !stderr.contains(token));
    let outputs = std::fs::read_to_string(files.join("set_output"))
        .unwrap_or_default()
        .lines()
        .filter_map(|l| {
            l.split_once('=')
                .map(|(k, v)| (k.to_string(), v.to_string()))
        })
        .collect();
    assert!(
        files.join("step_summary").exists(),
        "no job summary\n{stderr}"
    );
    (out.status.code().unwrap_or(-1), stdout + &stderr, outputs)
}

fn event() -> serde_json::Value {
    json!({
        "pull_request": {"number": 3, "head": {"sha": "a".repeat(40), "repo": {"full_name": format!("{OWNER}/{REPO}")}},
                         "base": {"sha": "b".repeat(40), "repo": {"full_name": format!("{OWNER}/{REPO}")}}},
        "repository": {"full_name": format!("{OWNER}/{REPO}")}
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn binary_runs_as_the_container_and_writes_every_output() {
    let card =
        std::fs::read_to_string(root().join("fixtures/cards/broken/common-faults/README.md"))
            .unwrap();
    let mut fake = Fake::new(3, &"a".repeat(40), &"b".repeat(40));
    fake.files.push(FileSpec {
        filename: "models/seg/README.md".into(),
        status: "added".into(),
        previous_filename: None,
        head: Some(card.into_bytes()),
        base: None,
        patch: None,
    });
    let (url, s) = start(fake).await;
    let mut written = std::collections::BTreeSet::new();

    let (code, log, outputs) =
        run_as_container(&url, &[("sarif", "findings.sarif")], event()).await;
    assert_eq!(code, 1, "{log}");
    assert_eq!(outputs["conclusion"], "failure");
    assert_eq!(outputs["cards"], "1");
    assert_eq!(outputs["sarif"], "findings.sarif");
    assert!(outputs["comments"].parse::<usize>().unwrap() > 0);
    written.extend(outputs.keys().cloned());
    {
        let f = s.lock().unwrap();
        assert_eq!(f.reviews.len(), 1);
        assert_eq!(f.check_runs.len(), 1);
    }

    let (code, log, outputs) = run_as_container(&url, &[("mode", "plan")], event()).await;
    assert_eq!(code, 1, "{log}");
    assert_eq!(outputs["plan"], "modelcard-review-plan.json");
    written.extend(outputs.keys().cloned());

    for name in section("outputs").keys() {
        assert!(
            written.contains(name),
            "output {name} is never written (wrote {written:?})"
        );
    }
}

/// The fork setups the README offers: the job with the write token checks out
/// nothing, downloads no artifact, and runs `review` itself.
#[test]
fn fork_examples_never_check_out_or_take_a_plan() {
    let read = |p: &str| std::fs::read_to_string(root().join(p)).unwrap();
    let target = read("examples/pull-request-target.yml");
    assert!(target.contains("\n  pull_request_target:"));
    let review = read("examples/fork-safe-review.yml");
    assert!(review.contains("\n  workflow_run:"));
    assert!(review.contains("workflows: [modelcard-review-check]"));
    assert!(read("examples/fork-safe-check.yml").contains("name: modelcard-review-check"));
    for (name, text) in [
        ("pull-request-target", &target),
        ("fork-safe-review", &review),
    ] {
        let steps = &text[text.find("steps:").unwrap()..];
        assert!(!steps.contains("actions/checkout"), "{name} checks out");
        assert!(
            !steps.contains("download-artifact"),
            "{name} takes an artifact"
        );
        assert!(
            !steps.contains("mode:"),
            "{name} must run the default mode, review"
        );
        assert!(!text.contains("publish"), "{name} publishes a plan");
        assert!(text.contains("pull-requests: write") && text.contains("checks: write"));
    }
    // zizmor's dangerous-trigger finding is acknowledged for that example only.
    let z = read(".github/zizmor.yml");
    let ignored: Vec<&str> = z
        .lines()
        .map(str::trim)
        .filter(|l| l.starts_with("- ") && l.ends_with(".yml"))
        .collect();
    assert_eq!(ignored, vec!["- pull-request-target.yml"]);
}

/// The release workflow builds each architecture natively, pins the image by digest
/// in action.yml, and publishes checksummed binaries.
#[test]
fn the_release_pins_the_image_by_digest_and_checksums_the_binaries() {
    let r = std::fs::read_to_string(root().join(".github/workflows/release.yml")).unwrap();
    assert!(r.contains("push-by-digest=true"));
    assert!(r.contains(r#"image="docker://ghcr.io/$REPOSITORY@$DIGEST""#));
    assert!(r.contains(r#"sed -i "s|^  image: Dockerfile\$|  image: $image|" action.yml"#));
    assert!(
        r.contains(r#"git tag -f "$major""#),
        "the major tag moves too"
    );
    assert!(r.contains("sha256sum -- * > SHA256SUMS"));
    assert!(
        !r.contains("setup-qemu-action"),
        "no compiler under emulation"
    );
    for target in [
        "x86_64-unknown-linux-musl",
        "aarch64-unknown-linux-musl",
        "x86_64-apple-darwin",
        "aarch64-apple-darwin",
        "x86_64-pc-windows-msvc",
    ] {
        assert!(r.contains(target), "{target}");
    }
    assert!(r.contains("{ platform: linux/arm64, os: ubuntu-24.04-arm"));
    // main keeps building the Dockerfile, which builds the GitHub side.
    let action = std::fs::read_to_string(root().join("action.yml")).unwrap();
    assert!(action.contains("\n  image: Dockerfile\n"));
    let docker = std::fs::read_to_string(root().join("Dockerfile")).unwrap();
    assert!(docker.contains("--features github"));
}

/// Cargo.toml, the README, the examples and the pre-commit hooks name one release.
#[test]
fn version_strings_agree() {
    let version = env!("CARGO_PKG_VERSION");
    let major = version.split('.').next().unwrap();
    let read = |p: &str| std::fs::read_to_string(root().join(p)).unwrap();
    let readme = read("README.md");
    assert!(
        readme.contains(&format!("rev: v{version}")),
        "README's pre-commit rev"
    );
    let hooks = read(".pre-commit-hooks.yaml");
    assert!(
        hooks.contains(&format!("modelcard-review:v{version} check")),
        "docker hook tag"
    );
    let mut uses = 0;
    for e in std::fs::read_dir(root().join("examples")).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "yml") {
            let text = std::fs::read_to_string(&p).unwrap();
            for l in text
                .lines()
                .filter(|l| l.contains("ri-scale/modelcard-review"))
            {
                uses += 1;
                assert!(
                    l.contains(&format!("@v{major}"))
                        || l.contains(&format!(":v{major}"))
                        || l.contains(&format!("/download/v{version}\"")),
                    "{}: {l}",
                    p.display()
                );
            }
        }
    }
    assert!(uses >= 5);
    for l in readme
        .lines()
        .filter(|l| l.contains("ri-scale/modelcard-review@") || l.contains("modelcard-review:v"))
    {
        assert!(
            l.contains(&format!("@v{major}")) || l.contains(&format!(":v{major}")),
            "README: {l}"
        );
    }
    assert!(std::fs::metadata(root().join("LICENSE-MIT")).is_ok());
    assert!(std::fs::metadata(root().join("LICENSE-APACHE")).is_ok());
    // The hook's package installs the wheel of this very release; the WebAssembly
    // package is this release too.
    let shim = read("pyproject.toml");
    assert!(
        shim.contains(&format!("version = \"{version}\"")),
        "pyproject.toml"
    );
    assert!(
        shim.contains(&format!("\"modelcard-review=={version}\"")),
        "pyproject.toml pins the wheel of this release"
    );
    let wasm = read("wasm/Cargo.toml");
    assert!(
        wasm.contains(&format!("\nversion = \"{version}\"")),
        "wasm/Cargo.toml"
    );
    // The wheel's version is the crate's (maturin reads it from Cargo.toml).
    assert!(read("python/pyproject.toml").contains("dynamic = [\"version\"]"));
}

/// A required check that a path filter skips stays pending and blocks every pull
/// request that touches no card: no example (nor the README's install workflow)
/// filters its pull request trigger by path.
#[test]
fn no_pull_request_trigger_is_filtered_by_path() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut texts: Vec<(String, String)> = std::fs::read_dir(root.join("examples"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "yml"))
        .map(|p| {
            (
                p.display().to_string(),
                std::fs::read_to_string(&p).unwrap(),
            )
        })
        .collect();
    for page in ["README.md", "docs/action.md"] {
        texts.push((
            page.into(),
            std::fs::read_to_string(root.join(page)).unwrap(),
        ));
    }
    let mut triggers = 0;
    for (name, text) in texts {
        let mut in_pr = false;
        for line in text.lines() {
            let indent = line.len() - line.trim_start().len();
            let t = line.trim();
            if t.starts_with("pull_request:") || t.starts_with("pull_request_target:") {
                in_pr = true;
                triggers += 1;
                continue;
            }
            if in_pr && indent <= 2 && !t.is_empty() && !t.starts_with('#') {
                in_pr = false;
            }
            assert!(
                !(in_pr && t.starts_with("paths:")),
                "{name}: a pull request trigger filtered by path: {line}"
            );
        }
    }
    assert!(triggers >= 4, "{triggers}");
}
