//! `--format sarif`: SARIF 2.1.0 for GitHub code scanning, streamed result by result.

use super::{FileResult, Reporter, Totals};
use crate::finding::{fingerprints, Finding, Fingerprint, Severity};
use crate::registry::RULES;
use serde_json::json;
use std::io::{self, Write};

pub use crate::registry::{help_uri, INFORMATION_URI};

#[derive(Default)]
pub struct SarifReporter {
    first: bool,
}

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Notice => "note",
    }
}

/// `missing-section` → `MissingSection`, SARIF's friendly rule name, which must
/// differ from the id even ignoring case (`placeholder` → `ModelCardPlaceholder`).
fn pascal(id: &str) -> String {
    let name: String = id
        .split('-')
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_uppercase().chain(c).collect::<String>())
                .unwrap_or_default()
        })
        .collect();
    if name.eq_ignore_ascii_case(id) {
        format!("ModelCard{name}")
    } else {
        name
    }
}

fn sentence(s: &str) -> String {
    let t = s.trim();
    if t.ends_with('.') || t.ends_with('!') || t.ends_with('?') {
        t.to_string()
    } else {
        format!("{t}.")
    }
}

fn driver() -> serde_json::Value {
    let rules: Vec<_> = RULES
        .iter()
        .map(|r| {
            json!({
                "id": r.id,
                "name": pascal(r.id),
                "shortDescription": { "text": sentence(r.summary) },
                "fullDescription": { "text": sentence(&format!("{} {}", r.summary, r.why)) },
                "help": {
                    "text": sentence(&format!("{} Instead of:\n{}\nwrite:\n{}", r.why, r.bad, r.good)),
                    "markdown": format!("{}\n\nInstead of:\n\n```markdown\n{}\n```\n\nwrite:\n\n```markdown\n{}\n```\n", sentence(r.why), r.bad, r.good),
                },
                "helpUri": help_uri(r.id),
                "defaultConfiguration": { "level": level(r.default_severity) },
                "properties": { "tags": ["model-card", "documentation"], "precision": "high" },
            })
        })
        .collect();
    json!({
        "name": "modelcard-review",
        "fullName": "modelcard-review model card checker",
        "version": env!("CARGO_PKG_VERSION"),
        "semanticVersion": env!("CARGO_PKG_VERSION"),
        "informationUri": INFORMATION_URI,
        "rules": rules,
    })
}

/// The finding's region: its lines, the column it starts at and, on one line, the
/// column it ends before (in Unicode code points, as `columnKind` says).
fn region(f: &Finding) -> serde_json::Value {
    let mut r =
        json!({ "startLine": f.line, "startColumn": f.column.max(1), "endLine": f.end_line });
    if f.end_line == f.line && f.end_column > f.column.max(1) {
        r["endColumn"] = json!(f.end_column);
    }
    r
}

fn result(f: &Finding, fingerprint: Fingerprint) -> serde_json::Value {
    let rule_index = RULES.iter().position(|r| r.id == f.rule).unwrap_or(0);
    let mut r = json!({
        "ruleId": f.rule,
        "ruleIndex": rule_index,
        "level": level(f.severity),
        "message": { "text": sentence(&f.message) },
        "locations": [{
            "physicalLocation": {
                "artifactLocation": { "uri": crate::text::uri_path(&f.path), "uriBaseId": "%SRCROOT%" },
                "region": region(f),
            }
        }],
        "partialFingerprints": { "modelcardReview/v1": fingerprint.to_string() },
    });
    let replacements: Vec<serde_json::Value> = match &f.suggestion {
        Some(s) => vec![json!({
            "deletedRegion": { "startLine": f.line, "endLine": f.end_line },
            "insertedContent": { "text": s },
        })],
        None => f
            .edits
            .iter()
            .map(|e| {
                let text: String = e.lines.iter().map(|l| format!("{l}\n")).collect();
                // An insertion replaces the empty region at the start of its line.
                let region = if e.is_insertion() {
                    json!({ "startLine": e.line, "startColumn": 1, "endLine": e.line, "endColumn": 1 })
                } else {
                    json!({ "startLine": e.line, "endLine": e.end_line })
                };
                json!({ "deletedRegion": region, "insertedContent": { "text": text } })
            })
            .collect(),
    };
    // The other places a finding of one cause covers, each one a reader can go to.
    let related: Vec<serde_json::Value> = f
        .lines
        .iter()
        .filter(|&&l| l != f.line)
        .enumerate()
        .map(|(i, &l)| {
            json!({
                "id": i + 1,
                "physicalLocation": {
                    "artifactLocation": { "uri": crate::text::uri_path(&f.path), "uriBaseId": "%SRCROOT%" },
                    "region": { "startLine": l },
                },
                "message": { "text": "Also here." },
            })
        })
        .collect();
    if !related.is_empty() {
        r["relatedLocations"] = json!(related);
    }
    if !replacements.is_empty() {
        r["fixes"] = json!([{
            "description": { "text": "Apply the suggested replacement." },
            "artifactChanges": [{
                "artifactLocation": { "uri": crate::text::uri_path(&f.path), "uriBaseId": "%SRCROOT%" },
                "replacements": replacements,
            }],
        }]);
    }
    r
}

impl Reporter for SarifReporter {
    fn begin(&mut self, out: &mut dyn Write) -> io::Result<()> {
        self.first = true;
        let head = json!({
            "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
            "version": "2.1.0",
        });
        let head = serde_json::to_string(&head).map_err(io::Error::other)?;
        let driver =
            serde_json::to_string(&json!({ "driver": driver() })).map_err(io::Error::other)?;
        // Open the object, its runs array, the one run and its results array.
        write!(
            out,
            "{},\"runs\":[{{\"tool\":{driver},\"columnKind\":\"unicodeCodePoints\",\"originalUriBaseIds\":{{\"%SRCROOT%\":{{\"description\":{{\"text\":\"The repository root: every path is relative to it; where it lies is the consumer's to say.\"}}}}}},\"results\":[",
            &head[..head.len() - 1]
        )
    }

    fn file(&mut self, out: &mut dyn Write, file: &FileResult) -> io::Result<()> {
        // SARIF's paths (and so its fingerprints) are the repository's, whatever the
        // working folder the check ran in.
        let moved: Vec<Finding>;
        let findings = if file.findings.iter().any(|f| *f.path != *file.repo_path) {
            let path: std::sync::Arc<str> = file.repo_path.into();
            moved = file
                .findings
                .iter()
                .map(|f| Finding {
                    path: std::sync::Arc::clone(&path),
                    ..f.clone()
                })
                .collect();
            &moved[..]
        } else {
            file.findings
        };
        for (f, fp) in findings.iter().zip(fingerprints(findings)) {
            if !self.first {
                write!(out, ",")?;
            }
            self.first = false;
            serde_json::to_writer(&mut *out, &result(f, fp)).map_err(io::Error::other)?;
        }
        Ok(())
    }

    fn end(&mut self, out: &mut dyn Write, _totals: &Totals) -> io::Result<()> {
        writeln!(out, "]}}]}}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_uris() {
        assert_eq!(pascal("missing-section"), "MissingSection");
        assert_eq!(pascal("placeholder"), "ModelCardPlaceholder");
        assert_eq!(
            crate::text::uri_path("models/a b/README.md"),
            "models/a%20b/README.md"
        );
    }
}
