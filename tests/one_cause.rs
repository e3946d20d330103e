//! One cause, one finding (issue #32): what a contributor sees is the work left.
//! Three properties over every fixture card and every real card in
//! `fixtures/corpus`: `fix` never leaves more findings than it found; filling the
//! unfilled template place by place never raises the count; and the unfilled
//! template is at most one finding per template section.

use modelcard_review::config::Config;
use modelcard_review::finding::Finding;
use modelcard_review::fix::fix_text;
use modelcard_review::rules::{check_text, NoOracle};
use modelcard_review::template::{Spec, DEFAULT_TEMPLATE};
use std::path::{Path, PathBuf};

fn cards() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut out = Vec::new();
    for e in std::fs::read_dir(root.join("fixtures/corpus")).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "md") && !p.ends_with("SOURCES.md") {
            out.push(p);
        }
    }
    for kind in std::fs::read_dir(root.join("fixtures/cards")).unwrap() {
        for card in std::fs::read_dir(kind.unwrap().path()).unwrap() {
            let p = card.unwrap().path().join("README.md");
            if p.exists() {
                out.push(p);
            }
        }
    }
    out.push(root.join("templates/ri-scale-model-card.md"));
    out.sort();
    assert!(out.len() > 25, "{}", out.len());
    out
}

fn setup() -> (Config, Spec) {
    let cfg = Config::default();
    let spec = Spec::default_spec(&cfg).unwrap();
    (cfg, spec)
}

fn check(spec: &Spec, cfg: &Config, text: &str) -> Vec<Finding> {
    check_text(spec, cfg, "models/x/README.md", text, &NoOracle)
}

#[test]
fn fix_never_leaves_more_findings_than_it_found() {
    let (cfg, spec) = setup();
    let mut rows = Vec::new();
    for p in cards() {
        let text = std::fs::read_to_string(&p).unwrap();
        let before = check(&spec, &cfg, &text).len();
        for unsafe_fixes in [false, true] {
            let fixed = fix_text(
                &spec,
                &cfg,
                "models/x/README.md",
                &text,
                &NoOracle,
                unsafe_fixes,
            );
            let after = check(&spec, &cfg, &fixed.text);
            assert_eq!(after.len(), fixed.remaining.len());
            rows.push(format!(
                "{:>4} -> {:>4}{} {}",
                before,
                after.len(),
                if unsafe_fixes { " (unsafe)" } else { "" },
                p.file_name().unwrap().to_string_lossy()
            ));
            assert!(
                after.len() <= before,
                "{}: {before} findings before fix{}, {} after:\n{}",
                p.display(),
                if unsafe_fixes { " --unsafe-fixes" } else { "" },
                after.len(),
                after
                    .iter()
                    .map(|f| format!("{} {} {}", f.line, f.rule, f.message))
                    .collect::<Vec<_>>()
                    .join("\n")
            );
        }
    }
    eprintln!("{}", rows.join("\n"));
}

#[test]
fn the_unfilled_template_is_at_most_one_finding_per_section() {
    let (cfg, spec) = setup();
    let findings = check(&spec, &cfg, DEFAULT_TEMPLATE);
    let sections = spec.sections.len();
    assert!(
        findings.len() <= sections,
        "{} findings for {sections} sections",
        findings.len()
    );
    let mut per_section = std::collections::HashMap::new();
    for f in &findings {
        *per_section.entry(f.section.clone()).or_insert(0) += 1;
    }
    assert!(per_section.values().all(|&n| n == 1), "{per_section:#?}");
    // Every line the template asks to replace is still there to go to.
    let covered: usize = findings.iter().map(|f| f.lines.len().max(1)).sum();
    assert!(covered > 100, "{covered}");
}

/// The line with its first placeholder or instruction replaced by the author's
/// words: a field keeps its label, a heading its `#`s.
fn filled(line: &str, n: usize) -> String {
    let words = format!("Written by the author ({n}).");
    let trimmed = line.trim_start();
    if let Some(rest) = trimmed.strip_prefix('#') {
        let hashes = 1 + rest.chars().take_while(|c| *c == '#').count();
        return format!("{} Organoid Net {n}", "#".repeat(hashes));
    }
    if let Some(i) = line.find(":**") {
        return format!("{} {words}", &line[..i + 3]);
    }
    if let Some(cell) = trimmed.strip_prefix('|') {
        let cells = cell.split('|').count().saturating_sub(1).max(1);
        return format!("|{}", " 0.91 |".repeat(cells));
    }
    let bullet = if trimmed.starts_with("- ") { "- " } else { "" };
    format!("{bullet}{words}")
}

#[test]
fn filling_the_template_place_by_place_never_raises_the_count() {
    let (cfg, spec) = setup();
    // The template as a card: its preamble (title, instructions block) left out, as
    // `new` writes it.
    let card = modelcard_review::new_card::card_text(&spec, None, &Default::default());
    let mut lines: Vec<String> = card.lines().map(str::to_string).collect();
    let mut count = check(&spec, &cfg, &card).len();
    let mut steps = 0;
    loop {
        let text = lines.join("\n") + "\n";
        let findings = check(&spec, &cfg, &text);
        assert!(
            findings.len() <= count,
            "step {steps}: {} findings after {count}:\n{}",
            findings.len(),
            text
        );
        count = findings.len();
        // The next place still to fill: the first line a leftovers finding covers.
        let next = findings
            .iter()
            .filter(|f| f.rule == "placeholder" || f.rule == "template-text")
            .flat_map(|f| std::iter::once(f.line).chain(f.lines.iter().copied()))
            .min();
        let Some(line) = next else { break };
        let i = line - 1;
        let before = lines[i].clone();
        lines[i] = filled(&before, steps);
        steps += 1;
        assert!(steps < 400, "no end to filling: line {line} {before:?}");
    }
    assert!(steps > 50, "only {steps} places filled");
}

/// Hugging Face's annotated template's headings, each with a line of text (the shape
/// most HF cards have): every heading one level deeper than ours but `## Glossary`,
/// which sits at our level. The shift is one finding, not one per heading.
#[test]
fn a_shifted_outline_is_one_finding_even_with_a_heading_already_in_place() {
    let (cfg, spec) = setup();
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/outlines/hf-annotated-shape.md");
    let card = std::fs::read_to_string(path).unwrap();
    let f = check(&spec, &cfg, &card);
    let levels: Vec<&Finding> = f.iter().filter(|x| x.rule == "heading-level").collect();
    assert_eq!(levels.len(), 1, "{levels:#?}");
    assert_eq!(levels[0].line, 5);
    assert!(
        levels[0]
            .message
            .contains("`## Glossary [optional]` already sits at the template's level"),
        "{}",
        levels[0].message
    );
    // Moving the rest puts Glossary under another heading: a person applies it.
    assert!(levels[0].unsafe_fix && !levels[0].fix().is_empty());
    let safe = fix_text(&spec, &cfg, "models/x/README.md", &card, &NoOracle, false);
    assert!(safe.remaining.iter().any(|x| x.rule == "heading-level"));
    let all = fix_text(&spec, &cfg, "models/x/README.md", &card, &NoOracle, true);
    assert!(
        !all.remaining.iter().any(|x| x.rule == "heading-level"),
        "{:#?}",
        all.remaining
    );
    // Without the heading already in place, the same shift is safe.
    let without = card.replace("## Glossary [optional]\n\nTerms.\n\n", "");
    let f = check(&spec, &cfg, &without);
    let levels: Vec<&Finding> = f.iter().filter(|x| x.rule == "heading-level").collect();
    assert_eq!(levels.len(), 1, "{levels:#?}");
    assert!(!levels[0].unsafe_fix);
}

/// The last safe-fix cases of issue #32, all real cards in `fixtures/corpus`: a card
/// without an H1 gets a title inserted (its first heading is a section, not the
/// model's name), a card of H1s keeps each author's heading where it was, and the
/// names other conventions give whole sections are aliases.
#[test]
fn safe_fixes_insert_a_title_and_keep_every_authors_heading_under_its_parent() {
    let (cfg, spec) = setup();
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/corpus");
    for name in [
        "Azure_azureml-assets__hibou-b_notes.md",
        "deepimagej_models__usiigaci.md",
        "deepimagej_models__u-net_glioblastoma_segmentation.md",
    ] {
        let text = std::fs::read_to_string(corpus.join(name)).unwrap();
        let fixed = fix_text(&spec, &cfg, "models/x/README.md", &text, &NoOracle, false).text;
        // The title is the template's, inserted; no section's heading became it.
        let first = fixed.lines().find(|l| l.starts_with('#')).unwrap();
        assert_eq!(first, "# [Model Name]", "{name}:\n{fixed}");
        // Every heading of the author's own is still there, as they wrote it.
        for line in modelcard_review::rules::describe_outline(&spec, &text).lines() {
            let Some((head, _)) = line.split_once(" -> the author's own") else {
                continue;
            };
            let words = head
                .split_once(": ")
                .map_or(head, |x| x.1)
                .trim_start_matches('#')
                .trim();
            assert!(
                fixed
                    .lines()
                    .any(|l| l.starts_with('#') && l.trim_start_matches('#').trim() == words),
                "{name}: the author's heading {words:?} is gone:\n{fixed}"
            );
        }
    }
    let azure =
        std::fs::read_to_string(corpus.join("Azure_azureml-assets__hibou-b_notes.md")).unwrap();
    let outline = modelcard_review::rules::describe_outline(&spec, &azure);
    assert!(
        outline.contains("## Intended Use -> # Uses (certain"),
        "{outline}"
    );
    for monai in [
        "Project-MONAI_model-zoo__spleen_ct_segmentation.md",
        "Project-MONAI_model-zoo__pathology_nuclick_annotation.md",
        "Project-MONAI_model-zoo__pathology_nuclei_segmentation_classification.md",
    ] {
        let text = std::fs::read_to_string(corpus.join(monai)).unwrap();
        let outline = modelcard_review::rules::describe_outline(&spec, &text);
        assert!(
            outline.contains(
                "## MONAI Bundle Commands -> # How to Get Started with the Model (certain"
            ),
            "{monai}: {outline}"
        );
    }
}

/// What real cards hid from the checker (issue #32): HF's marker in backticks as a
/// field's whole value, `WIP`, `[Accuracy Value Here]`, a `TODO` link target (a
/// placeholder, not a missing file), and HF's `[optional]` on headings that are not
/// this template's.
#[test]
fn the_misses_real_cards_showed_are_found() {
    let (cfg, spec) = setup();
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/outlines/misses.md");
    let card = std::fs::read_to_string(path).unwrap();
    let f = check(&spec, &cfg, &card);
    let covered = |line: usize| {
        f.iter()
            .any(|x| x.rule == "placeholder" && (x.line == line || x.lines.contains(&line)))
    };
    for (line, what) in [
        (10, "`[More Information Needed]`"),
        (11, "WIP"),
        (17, "[Accuracy Value Here]"),
        (19, "a TODO link"),
    ] {
        assert!(covered(line), "{what} on line {line} not found: {f:#?}");
    }
    assert!(!f.iter().any(|x| x.rule == "broken-link"), "{f:#?}");
    // Both marks, one cause: one finding that carries both lines and both fixes.
    let marks: Vec<&Finding> = f.iter().filter(|x| x.rule == "optional-marker").collect();
    assert_eq!(marks.len(), 1, "{marks:#?}");
    assert_eq!(marks[0].lines, vec![21, 25]);
    assert_eq!(marks[0].fix().len(), 2);
    let fixed = fix_text(&spec, &cfg, "models/x/README.md", &card, &NoOracle, false).text;
    assert!(!fixed.contains("[optional]"), "{fixed}");
}

/// A field is there when the card says it (issue #32): under a label that holds the
/// field's words (`Initial learning rate`), under another convention's label
/// (`Weight decay` for Regularization, the alias data), or under its own label in
/// another section, where a `field-elsewhere` warning says where it is and where the
/// template wants it, never "add the information".
#[test]
fn a_field_is_there_when_the_card_says_it() {
    let (cfg, spec) = setup();
    let good = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/cards/good/nuclei-unet-2d/README.md"),
    )
    .unwrap();
    assert!(check(&spec, &cfg, &good).is_empty());
    let framework = good
        .lines()
        .find(|l| l.starts_with("- **Framework:**"))
        .unwrap()
        .to_string();
    let moved = good
        .replacen(&format!("{framework}\n"), "", 1)
        .replace("- **Learning rate:**", "- **Initial learning rate:**")
        .replace("- **Regularization:**", "- **Weight decay:**")
        .replace(
            "## Compute Infrastructure\n",
            &format!("## Compute Infrastructure\n\n{framework}\n"),
        );
    let f = check(&spec, &cfg, &moved);
    assert!(!f.iter().any(|x| x.rule == "missing-field"), "{f:#?}");
    let elsewhere: Vec<&Finding> = f.iter().filter(|x| x.rule == "field-elsewhere").collect();
    assert_eq!(elsewhere.len(), 1, "{f:#?}");
    assert_eq!(
        elsewhere[0].severity,
        modelcard_review::finding::Severity::Warning
    );
    assert!(
        elsewhere[0].message.contains("`## Compute Infrastructure`")
            && elsewhere[0]
                .message
                .contains("`### Training Hyperparameters`"),
        "{}",
        elsewhere[0].message
    );
    assert!(!elsewhere[0].message.contains("add the information"));
}
