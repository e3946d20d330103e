//! Card and metadata agree: `rdf.yaml` / `bioimageio.yaml` beside a card, and a card's
//! front matter, checked against the card's fields by `check` as a user runs it.

use std::path::Path;
use std::process::Command;

fn card() -> String {
    std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/cards/good/nuclei-unet-2d/README.md"),
    )
    .unwrap()
}

/// An rdf.yaml that states the card's facts in other words.
const AGREEING: &str = "\
name: NucleiSeg U-Net
description: Nuclei segmentation
license: MIT
authors:
  - name: Dr. Lena Fischer
    affiliation: Heidelberg University
  - name: Tomás Ruiz
cite:
  - text: The NucleiSeg paper
    doi: 10.1234/NucleiSeg.2025
git_repo: https://github.com/example-lab/nucleiseg.git
documentation: ./README.md
";

/// Findings of the metadata rules, as (rule, line, message).
fn metadata_findings(card: &str, files: &[(&str, &str)]) -> Vec<(String, u64, String)> {
    let files: Vec<(&str, &[u8])> = files.iter().map(|(n, t)| (*n, t.as_bytes())).collect();
    findings_with_files(card, &files)
}

/// The same, the files given as bytes.
fn findings_with_files(card: &str, files: &[(&str, &[u8])]) -> Vec<(String, u64, String)> {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join(".git")).unwrap();
    let m = dir.path().join("models/nuclei");
    std::fs::create_dir_all(&m).unwrap();
    std::fs::write(m.join("README.md"), card).unwrap();
    for (name, bytes) in files {
        std::fs::write(m.join(name), bytes).unwrap();
    }
    let o = Command::new(env!("CARGO_BIN_EXE_modelcard-review"))
        .current_dir(dir.path())
        .args([
            "check",
            "--format",
            "json",
            "--fail-on",
            "never",
            "models/nuclei/README.md",
        ])
        .output()
        .unwrap();
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    v["files"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"].as_str().unwrap().starts_with("metadata-"))
        .map(|f| {
            (
                f["rule"].as_str().unwrap().to_string(),
                f["line"].as_u64().unwrap(),
                f["message"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn line_of(card: &str, starts: &str) -> u64 {
    card.lines().position(|l| l.starts_with(starts)).unwrap() as u64 + 1
}

#[test]
fn the_same_facts_in_other_words_agree() {
    assert_eq!(
        metadata_findings(&card(), &[("rdf.yaml", AGREEING)]),
        vec![]
    );
    assert_eq!(
        metadata_findings(&card(), &[("bioimageio.yaml", AGREEING)]),
        vec![]
    );
}

#[test]
fn each_fact_changed_alone_is_one_finding_on_its_line_naming_both_values() {
    let c = card();
    for (from, to, line_start, both) in [
        (
            "license: MIT",
            "license: CC-BY-4.0",
            "- **License:**",
            ["`MIT (see the LICENSE file in this folder)`", "`CC-BY-4.0`"],
        ),
        (
            "  - name: Tomás Ruiz",
            "  - name: Ana Costa",
            "- **Developed by:**",
            ["`Ana Costa`", "`Developed by:`"],
        ),
        (
            "doi: 10.1234/NucleiSeg.2025",
            "doi: 10.1234/other.2024",
            "- **Paper:**",
            ["`10.1234/nucleiseg.2025`", "`10.1234/other.2024`"],
        ),
        (
            "git_repo: https://github.com/example-lab/nucleiseg.git",
            "git_repo: https://github.com/example-lab/other",
            "- **Repository:**",
            [
                "`https://github.com/example-lab/nucleiseg`",
                "`https://github.com/example-lab/other`",
            ],
        ),
        (
            "name: NucleiSeg U-Net",
            "name: CellSeg Net",
            "# NucleiSeg",
            ["`NucleiSeg U-Net 2D`", "`CellSeg Net`"],
        ),
        (
            "documentation: ./README.md",
            "documentation: docs/usage.md",
            "# NucleiSeg",
            ["`docs/usage.md`", "`README.md`"],
        ),
    ] {
        let rdf = AGREEING.replace(from, to);
        assert_ne!(rdf, AGREEING, "{from}");
        let f = metadata_findings(&c, &[("rdf.yaml", &rdf)]);
        assert_eq!(f.len(), 1, "{to}: {f:#?}");
        assert_eq!(f[0].0, "metadata-mismatch");
        assert_eq!(f[0].1, line_of(&c, line_start), "{to}: {f:#?}");
        for v in both {
            assert!(f[0].2.contains(v), "{to}: {v} not in {}", f[0].2);
        }
        assert!(f[0].2.contains("`rdf.yaml`"), "{}", f[0].2);
    }
}

#[test]
fn a_license_that_is_no_spdx_id_is_a_finding() {
    let rdf = AGREEING.replace("license: MIT", "license: our own terms");
    let f = metadata_findings(&card(), &[("rdf.yaml", &rdf)]);
    assert_eq!(f.len(), 1, "{f:#?}");
    assert!(f[0].2.contains("not an SPDX license id"), "{}", f[0].2);
}

#[test]
fn unreadable_metadata_is_one_warning_and_nothing_else() {
    for bad in [
        "name: x\nauthors: [Jane\nlicense: MIT\n",
        "- just\n- a list\n",
    ] {
        let f = metadata_findings(&card(), &[("rdf.yaml", bad)]);
        assert_eq!(f.len(), 1, "{bad}: {f:#?}");
        assert_eq!(f[0].0, "metadata-unreadable");
        assert!(f[0].2.contains("`rdf.yaml`"), "{}", f[0].2);
    }
    let f = metadata_findings(
        &card(),
        &[("rdf.yaml", "name: x\nauthors: [Jane\nlicense: MIT\n")],
    );
    assert!(f[0].2.contains("line "), "{}", f[0].2);
}

#[test]
fn hugging_face_front_matter_against_the_license_field() {
    let with = |license: &str| {
        format!(
            "---\nlicense: {license}\nlibrary_name: pytorch\n---\n{}",
            card()
        )
    };
    assert_eq!(metadata_findings(&with("mit"), &[]), vec![]);
    let f = metadata_findings(&with("apache-2.0"), &[]);
    assert_eq!(f.len(), 1, "{f:#?}");
    assert!(
        f[0].2.contains("`the front matter`") && f[0].2.contains("`Apache-2.0`"),
        "{}",
        f[0].2
    );
    assert_eq!(f[0].1, line_of(&with("apache-2.0"), "- **License:**"));
    // `other` with a `license_name` is Hugging Face's way to name a license of its own.
    let other = format!(
        "---\nlicense: other\nlicense_name: lab-terms\n---\n{}",
        card()
    );
    assert_eq!(metadata_findings(&other, &[]), vec![]);
}

/// A real pair: bioimage.io's own example description (fixtures/corpus/SOURCES.md),
/// against the good fixture card filled in with the same facts in a card's words —
/// and with its license changed.
#[test]
fn a_real_bioimage_io_description_against_its_card() {
    let rdf = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("fixtures/corpus/metadata/unet2d_nuclei_broad.bioimageio.yaml"),
    )
    .unwrap();
    let c = card();
    let lines: Vec<String> = c
        .lines()
        .map(|l| {
            if l.starts_with("# NucleiSeg") {
                "# UNet 2D Nuclei Broad (DSB 2018)".to_string()
            } else if l.starts_with("- **Developed by:**") {
                "- **Developed by:** Constantin Pape and Fynn Beuttenmueller (EMBL Heidelberg)".to_string()
            } else if l.starts_with("- **License:**") {
                "- **License:** MIT License".to_string()
            } else if l.starts_with("- **Paper:**") {
                "- **Paper:** [U-Net (MICCAI 2015)](https://doi.org/10.1007/978-3-319-24574-4_28)".to_string()
            } else if l.starts_with("- **Repository:**") {
                "- **Repository:** https://github.com/bioimage-io/spec-bioimage-io/tree/main/example_descriptions/models/unet2d_nuclei_broad/".to_string()
            } else {
                l.to_string()
            }
        })
        .collect();
    let filled = lines.join("\n") + "\n";
    assert_eq!(
        metadata_findings(&filled, &[("bioimageio.yaml", &rdf)]),
        vec![]
    );
    let relicensed = filled.replace(
        "- **License:** MIT License",
        "- **License:** Apache License 2.0",
    );
    let f = metadata_findings(&relicensed, &[("bioimageio.yaml", &rdf)]);
    assert_eq!(f.len(), 1, "{f:#?}");
    assert!(
        f[0].2.contains("`bioimageio.yaml`") && f[0].2.contains("`MIT`"),
        "{}",
        f[0].2
    );
}

/// Names as real cards write them: initials, no accents, German transliteration; a
/// repository given at its root where `git_repo` is a folder in it.
#[test]
fn names_and_repositories_as_people_write_them_agree() {
    let c = card();
    let rdf = AGREEING
        .replace("Dr. Lena Fischer", "Lena Müller-Fischer")
        .replace("Tomás Ruiz", "Tomás Ruiz-Gómez")
        .replace(
            "git_repo: https://github.com/example-lab/nucleiseg.git",
            "git_repo: https://github.com/example-lab/nucleiseg/tree/master/unet",
        );
    for developed in [
        "L. Mueller-Fischer, T. Ruiz-Gomez (Heidelberg University)",
        "Lena Muller-Fischer and Tomas Ruiz-Gomez",
        "LENA MÜLLER-FISCHER, Tomás Ruiz-Gómez",
    ] {
        let card = c.replace(
            "Lena Fischer, Tomás Ruiz (Image Analysis Core, Heidelberg University)",
            developed,
        );
        assert_eq!(
            metadata_findings(&card, &[("rdf.yaml", &rdf)]),
            vec![],
            "{developed}"
        );
    }
    // Someone else with the same initial is still someone else.
    let card = c.replace(
        "Lena Fischer, Tomás Ruiz (Image Analysis Core, Heidelberg University)",
        "L. Schmidt, T. Ruiz-Gomez",
    );
    let f = metadata_findings(&card, &[("rdf.yaml", &rdf)]);
    assert_eq!(f.len(), 1, "{f:#?}");
    assert!(f[0].2.contains("`Lena Müller-Fischer`"), "{}", f[0].2);
}

#[test]
fn both_metadata_files_are_read_and_their_disagreement_reported() {
    let c = card();
    let other = AGREEING.replace("license: MIT", "license: CC-BY-4.0");
    let f = metadata_findings(&c, &[("rdf.yaml", AGREEING), ("bioimageio.yaml", &other)]);
    // The card disagrees with bioimageio.yaml, and the two files disagree.
    assert_eq!(f.len(), 2, "{f:#?}");
    assert!(f.iter().any(|x| x.2.contains("`bioimageio.yaml`")
        && x.2.contains("`CC-BY-4.0`")
        && x.1 == line_of(&c, "- **License:**")));
    assert!(f
        .iter()
        .any(|x| x.2.contains("`rdf.yaml` and `bioimageio.yaml`")
            && x.2.contains("license (`MIT` / `CC-BY-4.0`)")));
    assert_eq!(
        metadata_findings(&c, &[("rdf.yaml", AGREEING), ("bioimageio.yaml", AGREEING)]),
        vec![]
    );
}

#[test]
fn non_utf8_or_oversized_metadata_is_unreadable_not_guessed() {
    let c = card();
    let latin1: Vec<u8> = AGREEING
        .chars()
        .map(|ch| u8::try_from(u32::from(ch)).unwrap())
        .collect();
    assert!(String::from_utf8_lossy(&latin1).contains('\u{fffd}'));
    let f = findings_with_files(&c, &[("rdf.yaml", &latin1)]);
    assert_eq!(f.len(), 1, "{f:#?}");
    assert_eq!(f[0].0, "metadata-unreadable");
    assert!(
        f[0].2.contains("not UTF-8") && f[0].2.contains("line 7"),
        "{}",
        f[0].2
    );
    // Padded past the limit to hide a license mismatch: refused, and said.
    let padded = format!(
        "{}\n#{}\n",
        AGREEING.replace("license: MIT", "license: GPL-3.0"),
        "x".repeat(1024 * 1024)
    );
    let f = metadata_findings(&c, &[("rdf.yaml", &padded)]);
    assert_eq!(f.len(), 1, "{f:#?}");
    assert_eq!(f[0].0, "metadata-unreadable");
    assert!(f[0].2.contains("larger than 1 MiB"), "{}", f[0].2);
}

#[test]
fn every_cited_doi_is_named_and_a_stub_title_is_compared() {
    let c = card();
    let rdf = AGREEING.replace(
        "    doi: 10.1234/NucleiSeg.2025\n",
        "    doi: 10.1234/first.2024\n  - text: Second\n    doi: 10.1234/second.2025\n",
    );
    let f = metadata_findings(&c, &[("rdf.yaml", &rdf)]);
    assert_eq!(f.len(), 1, "{f:#?}");
    assert!(
        f[0].2.contains("`10.1234/first.2024`") && f[0].2.contains("`10.1234/second.2025`"),
        "{}",
        f[0].2
    );
    // A stub: the title alone, nothing else yet.
    let f = metadata_findings("# Some Other Model\n", &[("rdf.yaml", AGREEING)]);
    assert!(
        f.iter()
            .any(|x| x.0 == "metadata-mismatch" && x.1 == 1 && x.2.contains("`NucleiSeg U-Net`")),
        "{f:#?}"
    );
}
