//! `fix` on every fixture and real card: its guarantees as properties.

use modelcard_review::config::Config;
use modelcard_review::fix::fix_text;
use modelcard_review::rules::NoOracle;
use modelcard_review::template::Spec;
use std::path::{Path, PathBuf};

fn cards() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut out = Vec::new();
    let mut stack = vec![root.join("fixtures/cards"), root.join("fixtures/corpus")];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "md") && !p.ends_with("SOURCES.md") {
                out.push(p);
            }
        }
    }
    out.sort();
    assert!(out.len() >= 25);
    out
}

/// Rules whose findings `fix --unsafe-fixes` leaves none of.
const STRUCTURAL: &[&str] = &[
    "renamed-section",
    "heading-level",
    "section-order",
    "broken-anchor",
    "missing-section",
    "missing-field",
];

#[test]
fn fix_guarantees_on_every_fixture_and_real_card() {
    let cfg = Config::default();
    let spec = Spec::default_spec(&cfg).unwrap();
    for p in cards() {
        let name = p.display().to_string();
        let text = String::from_utf8_lossy(&std::fs::read(&p).unwrap()).into_owned();
        for unsafe_fixes in [false, true] {
            let f = fix_text(&spec, &cfg, "m/README.md", &text, &NoOracle, unsafe_fixes);
            // Idempotent.
            let again = fix_text(&spec, &cfg, "m/README.md", &f.text, &NoOracle, unsafe_fixes);
            assert!(
                !again.changed(),
                "{name}: a second run changed {:?}",
                again.applied
            );
            if !f.changed() {
                assert_eq!(f.text, text, "{name}: nothing fixed but bytes changed");
            }
            // No line of the author's is lost: every line that is not a heading, a
            // table row or a line with an in-card link is still there.
            let kept = |l: &&str| {
                let t = l.trim();
                !t.is_empty() && !t.starts_with('#') && !t.starts_with('|') && !t.contains("](#")
            };
            let mut after: Vec<&str> = f.text.lines().filter(kept).collect();
            after.sort_unstable();
            for l in text.lines().filter(kept) {
                match after.binary_search(&l) {
                    Ok(i) => {
                        after.remove(i);
                    }
                    Err(_) => panic!("{name}: lost the line {l:?}"),
                }
            }
            if unsafe_fixes {
                let left: Vec<String> = f
                    .remaining
                    .iter()
                    .filter(|x| STRUCTURAL.contains(&x.rule))
                    .map(|x| format!("{}:{} {}", x.line, x.rule, x.message))
                    .collect();
                assert!(
                    left.is_empty(),
                    "{name}: left after fix --unsafe-fixes:\n{}",
                    left.join("\n")
                );
            }
        }
        // CRLF and a BOM are kept.
        let crlf = format!(
            "\u{feff}{}",
            text.replace("\r\n", "\n").replace('\n', "\r\n")
        );
        let f = fix_text(&spec, &cfg, "m/README.md", &crlf, &NoOracle, false);
        assert!(f.text.starts_with('\u{feff}'), "{name}");
        assert!(
            !f.text.replace("\r\n", "").contains('\n'),
            "{name}: a bare LF after fixing"
        );
    }
}
