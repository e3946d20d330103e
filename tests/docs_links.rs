//! The README is a front page for pages under docs/: every relative link in them leads
//! to a file of the repository, and every heading anchor a page links within itself
//! exists (GitHub's anchors: lower case, spaces as `-`, punctuation dropped).

use std::path::{Path, PathBuf};

fn pages() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut pages = vec![root.join("README.md")];
    for e in std::fs::read_dir(root.join("docs")).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "md") {
            pages.push(p);
        }
    }
    pages
}

/// The page's prose: code blocks and code spans removed (their brackets are examples).
fn prose(text: &str) -> String {
    let mut out = String::new();
    let mut fence = false;
    for line in text.lines() {
        if line.trim_start().starts_with("```") {
            fence = !fence;
            continue;
        }
        if !fence {
            out.push_str(line);
            out.push('\n');
        }
    }
    regex::Regex::new(r"`[^`]*`")
        .unwrap()
        .replace_all(&out, "")
        .into_owned()
}

fn anchor(heading: &str) -> String {
    heading
        .trim()
        .to_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric() || *c == ' ' || *c == '-' || *c == '_')
        .map(|c| if c == ' ' { '-' } else { c })
        .collect()
}

#[test]
fn every_relative_link_leads_somewhere() {
    let link = regex::Regex::new(r"\]\(([^)\s]+)\)").unwrap();
    let mut checked = 0;
    for page in pages() {
        let text = std::fs::read_to_string(&page).unwrap();
        let anchors: Vec<String> = text
            .lines()
            .filter(|l| l.starts_with('#'))
            .map(|l| anchor(l.trim_start_matches('#')))
            .collect();
        for m in link.captures_iter(&prose(&text)) {
            let target = &m[1];
            if target.starts_with("http") || target.starts_with("mailto:") {
                continue;
            }
            checked += 1;
            if let Some(own) = target.strip_prefix('#') {
                if own.is_empty() {
                    continue; // the summary's example rows link nowhere on purpose
                }
                assert!(
                    anchors.iter().any(|a| a == own),
                    "{}: no heading for #{own}",
                    page.display()
                );
                continue;
            }
            let file = target.split('#').next().unwrap();
            let at = page.parent().unwrap().join(file);
            assert!(at.exists(), "{}: {target} leads nowhere", page.display());
        }
    }
    assert!(checked > 30, "only {checked} links");
}
