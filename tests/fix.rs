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
            // A field label loses a template's ` [optional]` mark, nothing else.
            let unmarked = |l: &str| l.replacen(" [optional]", "", 1);
            let mut after: Vec<String> = f.text.lines().filter(kept).map(unmarked).collect();
            after.sort_unstable();
            for l in text.lines().filter(kept) {
                match after.binary_search(&unmarked(l)) {
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

/// Where each heading of a card belongs: per heading (text, nth time that text
/// occurs), its parent as a template section (`S:`), an author's heading (`A:`) or
/// the top of the card (the title counts as the top).
/// (heading text, nth occurrence), its parent, and its pairing (section, certain).
type Placed = ((String, usize), String, Option<(String, bool)>);

fn parents_of(spec: &Spec, text: &str) -> Vec<Placed> {
    use modelcard_review::card::Card;
    use modelcard_review::rules::{MatchKind, Outline};
    let card = Card::parse(text);
    let o = Outline::build(spec, &card);
    let mut seen: std::collections::HashMap<String, usize> = Default::default();
    let key = |c: usize| -> String {
        match o.card_to_spec[c] {
            Some((si, _)) if spec.sections[si].title_slot => "top".into(),
            Some((si, k)) if k != MatchKind::Likely => format!("S:{}", spec.sections[si].text),
            _ => format!("A:{}", card.heading_text(&card.headings[c])),
        }
    };
    (0..card.headings.len())
        .map(|c| {
            let t = card.heading_text(&card.headings[c]).to_string();
            let n = seen.entry(t.clone()).or_default();
            *n += 1;
            let parent = o.card_parent[c].map_or("top".to_string(), key);
            let pairing = o.card_to_spec[c].map(|(si, k)| {
                (
                    spec.sections[si].text.clone(),
                    matches!(k, MatchKind::Exact | MatchKind::Renamed),
                )
            });
            ((t, *n), parent, pairing)
        })
        .collect()
}

/// What a safe fix may do to real cards written elsewhere: never change what they
/// mean. Every author heading stays under the parent it had; a heading's text
/// changes only on a certain pairing; no section comes out of order that was not;
/// no lead-in (`…:`) is cut off from the list or table it introduces.
#[test]
fn safe_fixes_keep_what_every_card_means() {
    let cfg = Config::default();
    let spec = Spec::default_spec(&cfg).unwrap();
    for p in cards() {
        let name = p.display().to_string();
        let text = String::from_utf8_lossy(&std::fs::read(&p).unwrap()).into_owned();
        let f = fix_text(&spec, &cfg, "m/README.md", &text, &NoOracle, false);
        let before = parents_of(&spec, &text);
        let after = parents_of(&spec, &f.text);
        let after_map: std::collections::HashMap<&(String, usize), &String> =
            after.iter().map(|(k, p, _)| (k, p)).collect();
        for (k, parent, pairing) in &before {
            match pairing {
                None => {
                    // The author's own heading: same text, same parent.
                    let now = after_map.get(k);
                    assert!(
                        now.is_some(),
                        "{name}: author heading {k:?} renamed or lost"
                    );
                    assert_eq!(
                        now.unwrap(),
                        &parent,
                        "{name}: author heading {k:?} moved from {parent} to another parent"
                    );
                }
                Some((_, certain)) => {
                    if !after_map.contains_key(k) {
                        assert!(
                            certain,
                            "{name}: {k:?} renamed on a pairing that is not certain"
                        );
                    }
                }
            }
        }
        let order = |findings: &[modelcard_review::finding::Finding]| {
            findings
                .iter()
                .filter(|x| x.rule == "section-order")
                .map(|x| x.section.clone())
                .collect::<std::collections::BTreeSet<_>>()
        };
        let was = order(&modelcard_review::rules::check_text(
            &spec,
            &cfg,
            "m/README.md",
            &text,
            &NoOracle,
        ));
        let now = order(&f.remaining);
        assert!(
            now.is_subset(&was),
            "{name}: fix added section-order {now:?} (was {was:?})"
        );
        // A lead-in keeps the list or table it introduces right after it.
        let next_text = |lines: &[&str], i: usize| {
            lines[i + 1..]
                .iter()
                .find(|l| !l.trim().is_empty())
                .map(|l| l.trim().to_string())
        };
        let old: Vec<&str> = text.lines().collect();
        let new: Vec<&str> = f.text.lines().collect();
        for (i, l) in old.iter().enumerate() {
            let Some(next) = next_text(&old, i) else {
                continue;
            };
            let starts_block = next.starts_with('|')
                || next.starts_with("- ")
                || next.starts_with("* ")
                || next
                    .split_once(". ")
                    .is_some_and(|(n, _)| n.parse::<u32>().is_ok());
            if !l.trim_end().ends_with(':') || !starts_block || l.trim_start().starts_with('-') {
                continue;
            }
            for (j, m) in new.iter().enumerate() {
                if m == l {
                    assert_eq!(
                        next_text(&new, j).as_deref(),
                        Some(next.as_str()),
                        "{name}: the lead-in {l:?} lost its list or table"
                    );
                }
            }
        }
    }
}
