//! The template is data: the same rules work with other templates, and no section or
//! field name of the hub's template appears in the Rust code.

use modelcard_review::config::Config;
use modelcard_review::rules::{check_text, NoOracle};
use modelcard_review::template::{Spec, DEFAULT_TEMPLATE};
use std::path::Path;

fn fixture(p: &str) -> String {
    let bytes = std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join(p)).unwrap();
    modelcard_review::card::decode(&bytes, 1 << 20)
        .unwrap()
        .to_string()
}

/// (rule, line) of each finding, and of each further line a finding of one cause
/// (a section's template leftovers) covers, under that finding's rule.
fn rules(spec: &Spec, cfg: &Config, card: &str) -> Vec<(String, usize)> {
    check_text(spec, cfg, "m/README.md", card, &NoOracle)
        .into_iter()
        .flat_map(|f| {
            let also: Vec<usize> = f.lines.iter().copied().filter(|&l| l != f.line).collect();
            std::iter::once(f.line)
                .chain(also)
                .map(move |l| (f.rule.to_string(), l))
        })
        .collect()
}

const BMZ: &str = "fixtures/corpus/bioimage-io_bioimage.io__bmz_model_card_template.md";

#[test]
fn bioimage_io_template_drives_the_same_rules() {
    let bmz = fixture(BMZ);
    let cfg = Config::default();
    let spec = Spec::from_markdown(&bmz, "bmz", &cfg).unwrap();
    let field = spec
        .sections
        .iter()
        .flat_map(|s| s.fields.iter())
        .any(|f| f.label == "BioImage.IO compatibility");
    assert!(field, "field labels come from the template");

    // A filled card in the bioimage.io wording passes under the bioimage.io template…
    let good = fixture("fixtures/cards/good/nuclei-unet-2d/README.md").replace(
        "RI-SCALE Model Hub compatibility:",
        "BioImage.IO compatibility:",
    );
    assert_eq!(rules(&spec, &cfg, &good), vec![]);
    // …and the RI-SCALE label is then a missing field.
    let riscale = fixture("fixtures/cards/good/nuclei-unet-2d/README.md");
    let r = rules(&spec, &cfg, &riscale);
    assert_eq!(r.len(), 1, "{r:?}");
    assert_eq!(r[0].0, "missing-field");

    // The bioimage.io template's instructions, not RI-SCALE's, are what is matched.
    let leftover = good.replace(
        "Segment nuclei in single-channel",
        "*Explain how the model can be used without fine-tuning for bioimage analysis tasks. Provide examples images and/or videos for the data used to train the model, provide guidance on what type of data is required for the model to work.*\n\nSegment nuclei in single-channel",
    );
    assert!(rules(&spec, &cfg, &leftover)
        .iter()
        .any(|(r, _)| r == "template-text"));
}

#[test]
fn field_aliases_let_one_template_accept_the_other_label() {
    let cfg = Config::parse(
        "[field-aliases]\n\"RI-SCALE Model Hub compatibility\" = [\"BioImage.IO compatibility\"]\n",
        Path::new("."),
    )
    .unwrap();
    let spec = Spec::from_markdown(DEFAULT_TEMPLATE, "default", &cfg).unwrap();
    let card = fixture("fixtures/cards/good/nuclei-unet-2d/README.md").replace(
        "RI-SCALE Model Hub compatibility:",
        "BioImage.IO compatibility:",
    );
    assert_eq!(rules(&spec, &cfg, &card), vec![]);
}

const TINY: &str = "# [Tool name]

*One sentence on what the tool does.*

## Usage

- **Command:** *[command line]*
- **Input:** *[file types]*

## Caveats

*Describe known problems and workarounds here.*

| Case | Result |
|---|---|
| Case A | X.XX |
";

#[test]
fn a_tiny_made_up_template_works_too() {
    let cfg = Config::default();
    let spec = Spec::from_markdown(TINY, "tiny", &cfg).unwrap();
    let names: Vec<_> = spec.sections.iter().map(|s| s.text.as_str()).collect();
    assert_eq!(names, vec!["[Tool name]", "Usage", "Caveats"]);

    let good = "# grep-cells\n\nCounts cells.\n\n## Usage\n\n- **Command:** `grep-cells in.tif`\n- **Input:** TIFF\n\n## Caveats\n\nNone known.\n";
    assert_eq!(rules(&spec, &cfg, good), vec![]);

    let bad = "# [Tool name]\n\n*One sentence on what the tool does.*\n\n## usage\n\n- **Command:**\n\n| Case | Result |\n|---|---|\n| ok | X.XX |\n";
    let r = rules(&spec, &cfg, bad);
    let expect = [
        ("placeholder", 1),
        // The title's instruction is in the title section's one leftovers finding.
        ("placeholder", 3),
        ("renamed-section", 5),
        ("missing-field", 5),
        ("empty-field", 7),
        ("missing-section", 11),
        ("placeholder", 11),
    ];
    for (rule, line) in expect {
        assert!(
            r.contains(&(rule.to_string(), line)),
            "{rule}@{line} not in {r:?}"
        );
    }
}

/// Every heading and field label of the hub's template, as a Rust string literal,
/// must be absent from the non-test code: the rules get them from the template.
#[test]
fn no_template_name_is_hard_coded() {
    let spec = Spec::from_markdown(DEFAULT_TEMPLATE, "default", &Config::default()).unwrap();
    let mut names: Vec<String> = spec.sections.iter().map(|s| s.text.clone()).collect();
    names.extend(
        spec.sections
            .iter()
            .flat_map(|s| s.fields.iter().map(|f| f.label.clone())),
    );
    assert!(names.len() > 60);
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    collect(&src, &mut files);
    assert!(files.len() > 10);
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap();
        let code = text.split("#[cfg(test)]").next().unwrap();
        for n in &names {
            let lit = format!("\"{n}\"");
            assert!(!code.contains(&lit), "{} hard-codes {lit}", f.display());
        }
    }
}

fn collect(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            collect(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}
