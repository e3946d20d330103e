//! Compiler-style text for people: where, which rule, what to do, and the line itself.

use super::{FileResult, Reporter, Totals};
use crate::finding::Severity;
use crate::text::LineIndex;
use annotate_snippets::{Level, Renderer, Snippet};
use std::io::{self, Write};

/// Compiler-style diagnostics, rendered by annotate-snippets (as rustc renders its
/// own): the message, the card's lines with the spot marked, then the section, the
/// suggestion and whether `fix` applies it.
#[derive(Default)]
pub struct TextReporter {
    pub color: bool,
}

/// Whether to colour: `--color always|never` decides; else `NO_COLOR` turns colour
/// off, `CLICOLOR_FORCE` on, and otherwise only a terminal gets it.
pub fn color_wanted(flag: Option<&str>, is_terminal: bool) -> bool {
    match flag {
        Some("always") => return true,
        Some("never") => return false,
        _ => {}
    }
    let set = |k: &str| std::env::var_os(k).is_some_and(|v| !v.is_empty() && v != "0");
    if set("NO_COLOR") {
        return false;
    }
    if set("CLICOLOR_FORCE") {
        return true;
    }
    is_terminal
}

fn level(s: Severity) -> Level {
    match s {
        Severity::Error => Level::Error,
        Severity::Warning => Level::Warning,
        Severity::Notice => Level::Note,
    }
}

impl Reporter for TextReporter {
    fn shows_source(&self) -> bool {
        true
    }

    fn file(&mut self, out: &mut dyn Write, file: &FileResult) -> io::Result<()> {
        if file.findings.is_empty() {
            return Ok(());
        }
        let renderer = if self.color {
            Renderer::styled()
        } else {
            Renderer::plain()
        };
        let index = file.source.map(LineIndex::new);
        for f in file.findings {
            let last = f.end_line.min(f.line + 4);
            // The lines shown, one string, and where the marked spot lies in it.
            let mut shown = String::new();
            let mut span = 0..0;
            if let (Some(src), Some(idx)) = (file.source, index.as_ref()) {
                for l in f.line..=last {
                    let t = idx.line_text(src, l).unwrap_or("");
                    let t = crate::text::ellipsize(t, 200);
                    // Where the n-th character of the card's line lands once its
                    // control characters are shown escaped.
                    let at = |n: usize| -> Option<usize> {
                        let mut bytes = 0;
                        for (i, c) in t.chars().enumerate() {
                            if i == n {
                                return Some(bytes);
                            }
                            bytes += crate::text::inert(c.encode_utf8(&mut [0; 4])).len();
                        }
                        None
                    };
                    let t_inert = crate::text::inert(&t);
                    if l == f.line {
                        let start =
                            shown.len() + at(f.column.saturating_sub(1)).unwrap_or(t_inert.len());
                        let mut end = shown.len() + t_inert.trim_end().len();
                        if f.end_column > f.column && f.end_line == f.line {
                            if let Some(i) = at(f.end_column - 1) {
                                end = end.min(shown.len() + i);
                            }
                        }
                        span = start.min(end)..end.max(start);
                    }
                    shown.push_str(&t_inert);
                    shown.push('\n');
                }
            }
            let mut notes = Vec::new();
            if let Some(s) = &f.section {
                notes.push(format!("section: {s}"));
            }
            if let Some(fl) = &f.field {
                notes.push(format!("field: {fl}"));
            }
            let notes = crate::text::inert(&notes.join(" · ")).into_owned();
            let suggestion = f.suggestion.as_ref().map(|s| {
                format!(
                    "replace with: {}",
                    crate::text::inert(&s.lines().collect::<Vec<_>>().join(" ⏎ "))
                )
            });
            let fix = (!f.fix().is_empty()).then(|| {
                format!(
                    "`modelcard-review fix{}` applies this fix",
                    if f.unsafe_fix { " --unsafe-fixes" } else { "" }
                )
            });
            let path = crate::text::inert(file.path);
            let origin = format!("{path}:{}:{}", f.line, f.column.max(1));
            let title = crate::text::inert(&f.message);
            let mut message = level(f.severity).title(&title).id(f.rule);
            if file.source.is_some() {
                message = message.snippet(
                    Snippet::source(&shown)
                        .line_start(f.line)
                        .origin(&path)
                        .annotation(level(f.severity).span(span.clone())),
                );
            } else {
                message = message.footer(Level::Note.title(&origin));
            }
            if !notes.is_empty() {
                message = message.footer(Level::Note.title(&notes));
            }
            if let Some(s) = &suggestion {
                message = message.footer(Level::Help.title(s));
            }
            if let Some(x) = &fix {
                message = message.footer(Level::Help.title(x));
            }
            writeln!(out, "{}\n", renderer.render(message))?;
        }
        Ok(())
    }

    fn end(&mut self, out: &mut dyn Write, totals: &Totals) -> io::Result<()> {
        writeln!(out, "{}", super::summary_line(totals))
    }
}
