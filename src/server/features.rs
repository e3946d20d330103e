//! What the server answers: diagnostics (`check`'s findings), code actions (`fix`'s
//! edits, and a suppression comment) and hover (the rule's docs, the template's
//! instructions). Completion and the outline are in `complete`.

use super::{Document, Encoding, Open, Server};
use crate::check::disk_oracle;
use crate::finding::{Edit, Finding, Severity};
use crate::rules::{map_card, rule_info, CardMap};
use anyhow::{anyhow, Context, Result};
use lsp_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, Diagnostic, DiagnosticSeverity, Hover,
    HoverContents, MarkupContent, MarkupKind, NumberOrString, Position, Range, TextEdit, Uri,
    WorkspaceEdit,
};
use serde_json::Value;
use std::collections::HashMap;

const SOURCE: &str = "modelcard-review";

/// The findings as the client shows them.
pub(super) fn diagnostics(
    s: &Server,
    key: &str,
    doc: &Document,
    findings: &[Finding],
) -> Vec<Diagnostic> {
    let uri = key.parse::<Uri>().ok();
    findings
        .iter()
        .map(|f| Diagnostic {
            // A finding of one cause over several lines: each of them, to go to.
            related_information: uri.as_ref().filter(|_| !f.lines.is_empty()).map(|u| {
                f.lines
                    .iter()
                    .filter(|&&l| l != f.line)
                    .map(|&l| lsp_types::DiagnosticRelatedInformation {
                        location: lsp_types::Location::new(
                            u.clone(),
                            Range::new(doc.position(l, 1, s.enc), doc.position(l, 0, s.enc)),
                        ),
                        message: format!("{}: also here", f.rule),
                    })
                    .collect()
            }),
            range: finding_range(doc, f, s.enc),
            severity: Some(match f.severity {
                Severity::Error => DiagnosticSeverity::ERROR,
                Severity::Warning => DiagnosticSeverity::WARNING,
                Severity::Notice => DiagnosticSeverity::INFORMATION,
            }),
            code: Some(NumberOrString::String(f.rule.to_string())),
            code_description: crate::registry::help_uri(f.rule)
                .parse::<Uri>()
                .ok()
                .map(|href| lsp_types::CodeDescription { href }),
            source: Some(SOURCE.into()),
            message: f.message.clone(),
            ..Default::default()
        })
        .collect()
}

fn finding_range(doc: &Document, f: &Finding, enc: Encoding) -> Range {
    let start = doc.position(f.line, f.column, enc);
    let end = if f.end_line > f.line {
        doc.position(f.end_line, 0, enc)
    } else {
        doc.position(f.line, f.end_column, enc)
    };
    Range::new(start, if end < start { start } else { end })
}

pub(super) fn param<T: serde::de::DeserializeOwned>(v: Value) -> Result<T> {
    serde_json::from_value(v).context("bad parameters")
}

pub(super) fn open<'a>(s: &'a Server, uri: &Uri) -> Result<&'a Open> {
    s.docs.get(uri.as_str()).ok_or_else(|| {
        anyhow!(
            "{} is not open: send textDocument/didOpen first",
            uri.as_str()
        )
    })
}

/// The document's text as the checker reads it (None: unreadable, or not a card).
fn card_text<'a>(s: &Server, o: &'a Open) -> Option<(&'a str, usize)> {
    let setup = o.judged.setup?;
    let cfg = &s.setups.list[setup].cfg;
    let text = crate::card::decode(o.doc.text.as_bytes(), cfg.max_file_size).ok()?;
    Some((text, setup))
}

pub(super) fn card_map(s: &Server, o: &Open) -> Option<(CardMap, usize)> {
    let (text, setup) = card_text(s, o)?;
    let st = &s.setups.list[setup];
    Some((map_card(&st.spec, &st.cfg, text), setup))
}

/// The checker's lines in the document (a final newline ends the last line).
pub(super) fn checker_lines(doc: &Document) -> usize {
    if doc.text.is_empty() {
        0
    } else if doc.text.ends_with('\n') {
        doc.line_count() - 1
    } else {
        doc.line_count()
    }
}

/// A fix's edit (1-based lines, inclusive) as the client's text edit.
pub(super) fn text_edit(doc: &Document, e: &Edit, enc: Encoding) -> TextEdit {
    let n = checker_lines(doc);
    let eol = doc.ending();
    let ends_open = !doc.text.is_empty() && !doc.text.ends_with('\n');
    let joined = |lines: &[String]| {
        lines
            .iter()
            .map(|l| format!("{l}{eol}"))
            .collect::<String>()
    };
    if e.is_insertion() {
        if e.line <= n {
            let at = Position::new(e.line as u32 - 1, 0);
            return TextEdit::new(Range::new(at, at), joined(&e.lines));
        }
        if ends_open {
            let at = doc.line_end(n - 1, enc);
            return TextEdit::new(Range::new(at, at), format!("{eol}{}", e.lines.join(eol)));
        }
        let at = Position::new(n as u32, 0);
        return TextEdit::new(Range::new(at, at), joined(&e.lines));
    }
    let start = Position::new(e.line.saturating_sub(1) as u32, 0);
    if e.end_line >= n && ends_open {
        let end = doc.line_end(n - 1, enc);
        return TextEdit::new(Range::new(start, end), e.lines.join(eol));
    }
    let end = Position::new(e.end_line as u32, 0);
    TextEdit::new(Range::new(start, end), joined(&e.lines))
}

fn workspace_edit(uri: &Uri, edits: Vec<TextEdit>) -> WorkspaceEdit {
    WorkspaceEdit {
        changes: Some(HashMap::from([(uri.clone(), edits)])),
        ..Default::default()
    }
}

fn overlaps(f: &Finding, r: &Range) -> bool {
    let (a, b) = (
        f.line.saturating_sub(1) as u32,
        f.end_line.max(f.line).saturating_sub(1) as u32,
    );
    a <= r.end.line && r.start.line <= b
}

/// What a fix does, in a few words, for its title.
fn fix_title(f: &Finding, edits: &[Edit]) -> String {
    let what = match edits {
        [e] if !e.is_insertion() && e.line == e.end_line && e.lines.len() == 1 => {
            format!("change the line to {}", crate::text::code(&e.lines[0]))
        }
        [e] if e.is_insertion() => match e.lines.iter().find(|l| !l.trim().is_empty()) {
            Some(first) => format!("insert {}", crate::text::code(first)),
            None => "insert a blank line".into(),
        },
        _ => "apply the suggested change".into(),
    };
    let mut t = format!("Fix {}: {what}", f.rule);
    if f.unsafe_fix {
        t.push_str(" (unsafe: moves your text; check the result)");
    }
    t
}

pub(super) fn code_actions(s: &mut Server, params: Value) -> Result<Value> {
    let p: lsp_types::CodeActionParams = param(params)?;
    let uri = p.text_document.uri.clone();
    let o = open(s, &uri)?;
    let wants = |kind: &CodeActionKind| {
        p.context.only.as_ref().is_none_or(|only| {
            only.iter().any(|k| {
                kind.as_str() == k.as_str()
                    || kind.as_str().starts_with(&format!("{}.", k.as_str()))
            })
        })
    };
    let mut actions: Vec<CodeActionOrCommand> = Vec::new();
    if wants(&CodeActionKind::QUICKFIX) {
        let diags = diagnostics(s, uri.as_str(), &o.doc, &o.judged.findings);
        for (f, d) in o.judged.findings.iter().zip(diags) {
            if !overlaps(f, &p.range) {
                continue;
            }
            let edits = f.fix();
            if !edits.is_empty() {
                let te = edits.iter().map(|e| text_edit(&o.doc, e, s.enc)).collect();
                actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                    title: fix_title(f, &edits),
                    kind: Some(CodeActionKind::QUICKFIX),
                    diagnostics: Some(vec![d.clone()]),
                    edit: Some(workspace_edit(&uri, te)),
                    is_preferred: Some(!f.unsafe_fix),
                    ..Default::default()
                }));
            }
            if f.rule != "unreadable-file" {
                let (title, edits) = disable(&o.doc, f);
                let te = edits.iter().map(|e| text_edit(&o.doc, e, s.enc)).collect();
                actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                    title,
                    kind: Some(CodeActionKind::QUICKFIX),
                    diagnostics: Some(vec![d]),
                    edit: Some(workspace_edit(&uri, te)),
                    ..Default::default()
                }));
            }
        }
    }
    if wants(&CodeActionKind::SOURCE_FIX_ALL) {
        if let Some((text, setup)) = card_text(s, o) {
            let st = &s.setups.list[setup];
            let oracle = disk_oracle(o.judged.root.as_deref());
            let fixed = crate::fix::fix_text(
                &st.spec,
                &st.cfg,
                &o.judged.path,
                text,
                oracle.as_ref(),
                false,
            );
            if fixed.changed() {
                // `fix_text` got the text without a byte-order mark; the editor keeps its own.
                let bom = if o.doc.text.starts_with('\u{feff}') {
                    "\u{feff}"
                } else {
                    ""
                };
                let edit = TextEdit::new(o.doc.whole(s.enc), format!("{bom}{}", fixed.text));
                actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                    title: format!(
                        "Fix all safe findings of modelcard-review ({})",
                        fixed.applied_summary()
                    ),
                    kind: Some(CodeActionKind::SOURCE_FIX_ALL),
                    edit: Some(workspace_edit(&uri, vec![edit])),
                    ..Default::default()
                }));
            }
        }
    }
    Ok(serde_json::to_value(actions)?)
}

/// The suppression comment for a finding: on the line before it, or around the whole
/// table for a table row (a comment inside a table would end it).
fn disable(doc: &Document, f: &Finding) -> (String, Vec<Edit>) {
    let at = f.line.max(1);
    let line = |l: usize| doc.line(l - 1).trim_start().to_string();
    let indent: String = doc
        .line(at - 1)
        .chars()
        .take_while(|c| *c == ' ' || *c == '\t')
        .collect();
    if line(at).starts_with('|') {
        let (mut first, mut last) = (at, at);
        while first > 1 && line(first - 1).starts_with('|') {
            first -= 1;
        }
        while last < checker_lines(doc) && line(last + 1).starts_with('|') {
            last += 1;
        }
        return (
            format!("Disable {} for this table", f.rule),
            vec![
                Edit::insert_before(
                    first,
                    vec![
                        format!("<!-- modelcard-review-disable {} -->", f.rule),
                        String::new(),
                    ],
                ),
                Edit::insert_before(
                    last + 1,
                    vec![
                        String::new(),
                        format!("<!-- modelcard-review-enable {} -->", f.rule),
                    ],
                ),
            ],
        );
    }
    (
        format!("Disable {} for this line", f.rule),
        vec![Edit::insert_before(
            at,
            vec![format!(
                "{indent}<!-- modelcard-review-disable-next-line {} -->",
                f.rule
            )],
        )],
    )
}

pub(super) fn hover(s: &mut Server, params: Value) -> Result<Value> {
    let p: lsp_types::HoverParams = param(params)?;
    let pos = p.text_document_position_params.position;
    let o = open(s, &p.text_document_position_params.text_document.uri)?;
    let line = pos.line as usize + 1;
    let mut parts = Vec::new();
    for f in o
        .judged
        .findings
        .iter()
        .filter(|f| (f.line..=f.end_line.max(f.line)).contains(&line))
    {
        let Some(r) = rule_info(f.rule) else { continue };
        let fence = crate::text::fence_for(&format!("{}{}", r.bad, r.good));
        parts.push(format!(
            "**{}** ({}): {}\n\n{}\n\n**Why:** {}\n\nInstead of:\n{fence}markdown\n{}\n{fence}\nwrite:\n{fence}markdown\n{}\n{fence}\n[About this rule]({})",
            r.id,
            f.severity.as_str(),
            f.message,
            r.summary,
            r.why,
            r.bad,
            r.good,
            crate::registry::help_uri(r.id)
        ));
    }
    if parts.is_empty() {
        if let Some((map, setup)) = card_map(s, o) {
            let spec = &s.setups.list[setup].spec;
            if let Some(h) = map
                .headings
                .iter()
                .find(|h| (h.line..=h.end_line).contains(&line))
            {
                parts.push(match h.section {
                    Some((si, confidence)) => {
                        let sec = &spec.sections[si];
                        let mut t = format!(
                            "Template section **{}** ({confidence}).",
                            sec.text.replace('*', "\\*")
                        );
                        if !sec.body.is_empty() {
                            let fence = crate::text::fence_for(&sec.body.join("\n"));
                            t.push_str(&format!(
                                "\n\nThe template asks for:\n{fence}markdown\n{}\n{fence}",
                                sec.body.join("\n").trim()
                            ));
                        }
                        t
                    }
                    None => "A section of your own: the template has no section of this name here."
                        .into(),
                });
            }
        }
    }
    if parts.is_empty() {
        return Ok(Value::Null);
    }
    Ok(serde_json::to_value(Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value: parts.join("\n\n---\n\n"),
        }),
        range: None,
    })?)
}
