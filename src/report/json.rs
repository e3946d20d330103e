//! `--format json`: `{"version":1,"files":[…],"summary":{…}}`, streamed. Its shape is
//! `schemas/check-output.v1.schema.json` (a test and CI validate output against it).

use super::{FileResult, Reporter, Totals};
use crate::finding::{fingerprints, Finding, Fingerprint};
use serde::Serialize;
use std::io::{self, Write};

#[derive(Default)]
pub struct JsonReporter {
    first: bool,
}

#[derive(Serialize)]
struct JsonFinding<'a> {
    rule: &'a str,
    severity: &'a str,
    line: usize,
    column: usize,
    /// Exclusive, in characters; left out when the finding runs to the line's end.
    #[serde(skip_serializing_if = "Option::is_none")]
    end_column: Option<usize>,
    end_line: usize,
    message: &'a str,
    section: Option<&'a str>,
    field: Option<&'a str>,
    suggestion: Option<&'a str>,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    edits: &'a [crate::finding::Edit],
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    unsafe_fix: bool,
    /// Every line a finding of several places covers (one cause, one finding).
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    lines: &'a [usize],
    /// The finding's identity across pushes (as in SARIF and the review).
    fingerprint: String,
}

impl<'a> JsonFinding<'a> {
    fn new(f: &'a Finding, fingerprint: Fingerprint) -> Self {
        JsonFinding {
            rule: f.rule,
            severity: f.severity.as_str(),
            line: f.line,
            column: f.column.max(1),
            end_column: (f.end_column > f.column.max(1)).then_some(f.end_column),
            end_line: f.end_line,
            message: &f.message,
            section: f.section.as_deref(),
            field: f.field.as_deref(),
            suggestion: f.suggestion.as_deref(),
            edits: &f.edits,
            unsafe_fix: f.unsafe_fix && !f.fix().is_empty(),
            lines: &f.lines,
            fingerprint: fingerprint.to_string(),
        }
    }
}

/// One card's findings as `check --format json` writes them (its `findings` array):
/// what the WebAssembly package returns, so a page and the CLI agree to the byte.
pub fn findings_json(findings: &[Finding]) -> String {
    serde_json::to_string(&json_findings(findings)).expect("findings serialize")
}

fn json_findings(findings: &[Finding]) -> Vec<JsonFinding<'_>> {
    findings
        .iter()
        .zip(fingerprints(findings))
        .map(|(f, fp)| JsonFinding::new(f, fp))
        .collect()
}

#[derive(Serialize)]
struct JsonFile<'a> {
    path: &'a str,
    findings: Vec<JsonFinding<'a>>,
}

impl Reporter for JsonReporter {
    fn begin(&mut self, out: &mut dyn Write) -> io::Result<()> {
        self.first = true;
        write!(out, "{{\"version\":1,\"files\":[")
    }

    fn file(&mut self, out: &mut dyn Write, file: &FileResult) -> io::Result<()> {
        if !self.first {
            write!(out, ",")?;
        }
        self.first = false;
        let jf = JsonFile {
            path: file.path,
            findings: json_findings(file.findings),
        };
        serde_json::to_writer(&mut *out, &jf).map_err(io::Error::other)
    }

    fn end(&mut self, out: &mut dyn Write, t: &Totals) -> io::Result<()> {
        let c = t.counts;
        writeln!(
            out,
            "],\"summary\":{{\"files\":{},\"errors\":{},\"warnings\":{},\"notices\":{},\"suppressed\":{}}}}}",
            t.files, c.errors, c.warnings, c.notices, t.suppressed
        )
    }
}
