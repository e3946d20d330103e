//! Real cards written by others (fixtures/corpus, with SOURCES.md): none may crash
//! the checker, and the two unfilled templates must be flagged everywhere.

use modelcard_review::card::{BlockKind, Card};
use modelcard_review::config::Config;
use modelcard_review::rules::{check_bytes, NoOracle};
use modelcard_review::template::Spec;
use std::path::{Path, PathBuf};

fn corpus() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/corpus");
    let mut v: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "md") && !p.ends_with("SOURCES.md"))
        .collect();
    v.sort();
    v
}

#[test]
fn every_real_card_is_checked_without_panic() {
    let cfg = Config::default();
    let spec = Spec::default_spec(&cfg).unwrap();
    let files = corpus();
    assert!(files.len() >= 20);
    for p in files {
        let bytes = std::fs::read(&p).unwrap();
        let findings = check_bytes(&spec, &cfg, "m/README.md", &bytes, &NoOracle);
        let lines = bytes.iter().filter(|b| **b == b'\n').count() + 1;
        for f in &findings {
            assert!(
                f.line >= 1 && f.line <= f.end_line && f.end_line <= lines,
                "{}: {f:?}",
                p.display()
            );
            assert!(!f.message.is_empty());
        }
    }
}

/// Also run the shared corpus when it sits beside the repository (development, CI).
#[test]
fn shared_corpus_if_present() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/real-cards");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return;
    };
    let cfg = Config::default();
    let spec = Spec::default_spec(&cfg).unwrap();
    for e in entries {
        let bytes = std::fs::read(e.unwrap().path()).unwrap();
        let _ = check_bytes(&spec, &cfg, "m/README.md", &bytes, &NoOracle);
    }
}

/// In an unfilled template, every field line and every instruction line carries a
/// `placeholder` or `template-text` finding.
#[test]
fn unfilled_templates_are_flagged_on_every_field_and_instruction() {
    let cfg = Config::default();
    let spec = Spec::default_spec(&cfg).unwrap();
    for name in [
        "RI-SCALE_model-hub__template_variant_2025-09-25.md",
        "bioimage-io_bioimage.io__bmz_model_card_template.md",
    ] {
        let p = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("fixtures/corpus")
            .join(name);
        let bytes = std::fs::read(&p).unwrap();
        let text = std::str::from_utf8(&bytes).unwrap();
        let findings = check_bytes(&spec, &cfg, "m/README.md", &bytes, &NoOracle);
        let flagged: std::collections::HashSet<usize> = findings
            .iter()
            .filter(|f| f.rule == "placeholder" || f.rule == "template-text")
            // A section's leftovers are one finding that carries each of their lines.
            .flat_map(|f| (f.line..=f.end_line).chain(f.lines.iter().copied()))
            .collect();
        // What the template itself marks: italic blocks and `**Label:** *[…]*` fields,
        // between the preamble's `---` and the footer's.
        let card = Card::parse(text);
        let first_break = card.thematic_breaks[0];
        let footer = *card.thematic_breaks.iter().rev().nth(1).unwrap();
        let mut expected = 0;
        for b in &card.blocks {
            if b.line <= first_break || b.line >= footer {
                continue;
            }
            let t = card.block_text(b);
            let is_field = card.strong_label(b).is_some_and(|l| l.ends_with(':'));
            let italic = b.emphasized;
            if matches!(b.kind, BlockKind::Item | BlockKind::Paragraph)
                && (is_field || italic)
                && !t.trim().is_empty()
            {
                expected += 1;
                assert!(
                    flagged.contains(&b.line),
                    "{name}:{} not flagged: {t}",
                    b.line
                );
            }
        }
        assert!(
            expected > 100,
            "{name}: only {expected} fields and instructions found"
        );
    }
}

/// The Hugging Face family: real cards from the corpus and a card in HF's shape
/// written for this project. Their findings, one line each, so a change in what a
/// maintainer would read is seen in review.
#[test]
fn hugging_face_family_findings() {
    let cfg = Config::default();
    let spec = Spec::default_spec(&cfg).unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for name in [
        "fixtures/corpus/facebookresearch_dinov2__MODEL_CARD.md",
        "fixtures/corpus/unknown-repo_datatouille-spam__random_forest_card.md",
        "fixtures/corpus/unknown-repo_hf-whisper-tunisian__model_card.md",
        "fixtures/corpus/unknown-repo_hf-breast-cancer-es__model_card.md",
        "fixtures/cards/hf-style/organoid-classifier/README.md",
    ] {
        let bytes = std::fs::read(root.join(name)).unwrap();
        let findings = check_bytes(&spec, &cfg, "m/README.md", &bytes, &NoOracle);
        let listing: String = findings
            .iter()
            .map(|f| {
                let msg: String = f.message.chars().take(110).collect();
                format!("{:>4} {:<17} {msg}\n", f.line, f.rule)
            })
            .collect();
        let snap = name
            .rsplit('/')
            .nth(usize::from(name.ends_with("README.md")))
            .unwrap();
        insta::assert_snapshot!(format!("hf_{}", snap.trim_end_matches(".md")), listing);
    }
}

/// For every real card: which template section each heading is taken for, and how
/// sure that is (certain, likely, the author's own). Reviewed by hand, heading by
/// heading; a change in any pairing shows up here.
#[test]
fn every_real_cards_outline_pairing() {
    let cfg = Config::default();
    let spec = Spec::default_spec(&cfg).unwrap();
    for p in corpus() {
        let bytes = std::fs::read(&p).unwrap();
        let text = String::from_utf8_lossy(&bytes);
        let name = p.file_stem().unwrap().to_string_lossy().to_string();
        insta::assert_snapshot!(
            format!("outline_{name}"),
            modelcard_review::rules::describe_outline(&spec, &text)
        );
    }
}
