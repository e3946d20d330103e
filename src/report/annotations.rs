//! `--format github`: workflow commands that GitHub Actions turns into annotations on
//! the pull request's files (`::error file=…,line=…::message`).

use super::{FileResult, Reporter, Totals};
use crate::finding::{Finding, Severity};
use std::io::{self, Write};

pub struct AnnotationReporter;

/// Escaping for a command's message (GitHub's `escapeData`).
pub fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escaping for a command's property values (GitHub's `escapeProperty`).
pub fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

pub fn command(f: &Finding) -> String {
    let kind = match f.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Notice => "notice",
    };
    let title = match (&f.section, &f.field) {
        (Some(s), Some(fl)) => format!("{} ({s} › {fl})", f.rule),
        (Some(s), None) => format!("{} ({s})", f.rule),
        _ => f.rule.to_string(),
    };
    format!(
        "::{kind} file={},line={},endLine={},title={}::{}",
        escape_property(&f.path),
        f.line,
        f.end_line,
        escape_property(&title),
        escape_data(&f.message)
    )
}

impl Reporter for AnnotationReporter {
    fn file(&mut self, out: &mut dyn Write, file: &FileResult) -> io::Result<()> {
        for f in file.findings {
            writeln!(out, "{}", command(f))?;
        }
        Ok(())
    }

    fn end(&mut self, out: &mut dyn Write, totals: &Totals) -> io::Result<()> {
        writeln!(out, "modelcard-review: {}", super::summary_line(totals))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_like_github() {
        assert_eq!(escape_data("a%b\r\nc"), "a%25b%0D%0Ac");
        assert_eq!(escape_property("a:b,c"), "a%3Ab%2Cc");
    }
}
