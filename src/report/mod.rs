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
    pub path: &'a str,
    pub findings: &'a [Finding],
    /// The card's text, for showing the offending lines (None when unreadable).
    pub source: Option<&'a str>,
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
    fn end(&mut self, out: &mut dyn Write, files: usize, counts: Counts) -> io::Result<()>;
}

pub fn reporter(format: Format) -> Box<dyn Reporter> {
    match format {
        Format::Text => Box::new(text::TextReporter::default()),
        Format::Json => Box::new(json::JsonReporter::default()),
        Format::Sarif => Box::new(sarif::SarifReporter::default()),
        Format::Github => Box::new(annotations::AnnotationReporter),
    }
}
