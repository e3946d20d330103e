//! Compiler-style text for people: where, which rule, what to do, and the line itself.

use super::{FileResult, Reporter, Totals};
use crate::text::LineIndex;
use std::io::{self, Write};

#[derive(Default)]
pub struct TextReporter;

impl Reporter for TextReporter {
    fn shows_source(&self) -> bool {
        true
    }

    fn file(&mut self, out: &mut dyn Write, file: &FileResult) -> io::Result<()> {
        if file.findings.is_empty() {
            return Ok(());
        }
        let index = file.source.map(LineIndex::new);
        for f in file.findings {
            writeln!(out, "{}[{}]: {}", f.severity, f.rule, f.message)?;
            writeln!(out, "  --> {}:{}", file.path, f.line)?;
            if let (Some(src), Some(idx)) = (file.source, index.as_ref()) {
                let width = f.end_line.to_string().len();
                let last = f.end_line.min(f.line + 4);
                writeln!(out, "{:width$} |", "")?;
                for l in f.line..=last {
                    if let Some(t) = idx.line_text(src, l) {
                        writeln!(out, "{l:>width$} | {}", crate::text::ellipsize(t, 200))?;
                    }
                }
                if last < f.end_line {
                    writeln!(out, "{:width$} | …", "")?;
                }
                let mut notes = Vec::new();
                if let Some(s) = &f.section {
                    notes.push(format!("section: {s}"));
                }
                if let Some(fl) = &f.field {
                    notes.push(format!("field: {fl}"));
                }
                if !notes.is_empty() {
                    writeln!(out, "{:width$} = {}", "", notes.join(" · "))?;
                }
                if let Some(s) = &f.suggestion {
                    writeln!(out, "{:width$} = suggestion: replace with", "")?;
                    for l in s.lines() {
                        writeln!(out, "{:width$} + {l}", "")?;
                    }
                }
                if !f.edits.is_empty() {
                    let lines: usize = f.edits.iter().map(|e| e.lines.len().max(1)).sum();
                    writeln!(
                        out,
                        "{:width$} = fix: {lines} line(s){}; `modelcard-review fix{}` applies it",
                        "",
                        if f.unsafe_fix { " moved" } else { "" },
                        if f.unsafe_fix { " --unsafe-fixes" } else { "" }
                    )?;
                }
            }
            writeln!(out)?;
        }
        Ok(())
    }

    fn end(&mut self, out: &mut dyn Write, totals: &Totals) -> io::Result<()> {
        writeln!(out, "{}", super::summary_line(totals))
    }
}
