//! Reporters: the same findings as compiler-style text, JSON, SARIF 2.1.0, GitHub
//! workflow-command annotations, or Markdown. Each streams file by file, so checking
//! ten thousand cards never holds them all in memory.

pub mod annotations;
pub mod json;
pub mod sarif;
pub mod text;

use crate::finding::{Counts, Finding};
use std::io::{self, Write};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
    Sarif,
    Github,
}

impl Format {
    pub fn parse(s: &str) -> Option<Format> {
        match s {
            "text" => Some(Format::Text),
            "json" => Some(Format::Json),
            "sarif" => Some(Format::Sarif),
            "github" => Some(Format::Github),
            _ => None,
        }
    }
}

/// One checked file as reporters see it.
pub struct FileResult<'a> {
    /// As the user named it (relative to the working folder).
    pub path: &'a str,
    /// Relative to the repository root, `/`-separated (SARIF's `%SRCROOT%`).
    pub repo_path: &'a str,
    pub findings: &'a [Finding],
    /// The card's text, for showing the offending lines (None when unreadable).
    pub source: Option<&'a str>,
    /// Findings its suppression comments silenced.
    pub suppressed: usize,
}

/// What a whole run found, for the closing summary.
#[derive(Debug, Clone, Copy, Default)]
pub struct Totals {
    pub files: usize,
    pub files_with_findings: usize,
    pub counts: Counts,
    pub suppressed: usize,
}

/// The one-line summary, worded the same in every format and on the terminal.
pub fn summary_line(t: &Totals) -> String {
    let plural = |n: usize, w: &str| format!("{n} {w}{}", if n == 1 { "" } else { "s" });
    let suppressed = if t.suppressed > 0 {
        format!(
            " ({} suppressed by comments in the cards)",
            plural(t.suppressed, "finding")
        )
    } else {
        String::new()
    };
    let c = t.counts;
    if c.total() == 0 {
        format!(
            "Checked {}: no problems found{suppressed}.",
            plural(t.files, "file")
        )
    } else {
        format!(
            "Checked {}: {}, {}, {} in {}{suppressed}.",
            plural(t.files, "file"),
            plural(c.errors, "error"),
            plural(c.warnings, "warning"),
            plural(c.notices, "notice"),
            plural(t.files_with_findings, "file")
        )
    }
}

pub trait Reporter {
    fn begin(&mut self, _out: &mut dyn Write) -> io::Result<()> {
        Ok(())
    }
    fn file(&mut self, out: &mut dyn Write, file: &FileResult) -> io::Result<()>;
    /// Whether `file` uses the card's text (to show offending lines).
    fn shows_source(&self) -> bool {
        false
    }
    fn end(&mut self, out: &mut dyn Write, totals: &Totals) -> io::Result<()>;
}

/// The reporter for a format; `color` only matters for text.
pub fn reporter(format: Format, color: bool) -> Box<dyn Reporter> {
    match format {
        Format::Text => Box::new(text::TextReporter { color }),
        Format::Json => Box::new(json::JsonReporter::default()),
        Format::Sarif => Box::new(sarif::SarifReporter::default()),
        Format::Github => Box::new(annotations::AnnotationReporter),
    }
}
