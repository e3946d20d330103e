//! What the server offers from the card's map against the template: completion of
//! missing sections, field labels and anchors, and the outline (document symbols) with
//! the sections the card lacks.

use super::features::{card_map, checker_lines, open, param};
use super::Server;
use crate::rules::Status;
use anyhow::Result;
use lsp_types::{
    CompletionItem, CompletionItemKind, DocumentSymbol, Position, Range, SymbolKind, TextEdit,
};
use serde_json::Value;

pub(super) fn completion(s: &mut Server, params: Value) -> Result<Value> {
    let p: lsp_types::CompletionParams = param(params)?;
    let pos = p.text_document_position.position;
    let uri = p.text_document_position.text_document.uri;
    let o = open(s, &uri)?;
    let Some((map, setup)) = card_map(s, o) else {
        return Ok(Value::Null);
    };
    let spec = &s.setups.list[setup].spec;
    let l = pos.line as usize;
    let line = o.doc.line(l);
    let line_start = o.doc.offset(Position::new(pos.line, 0), s.enc);
    let cut = o.doc.offset(pos, s.enc) - line_start;
    let before = &line[..cut.min(line.len())];
    let eol = o.doc.ending();
    let whole_line = Range::new(Position::new(pos.line, 0), o.doc.line_end(l, s.enc));
    let mut items = Vec::new();
    let trimmed = before.trim_end();
    if !trimmed.is_empty()
        && trimmed.len() <= 6
        && trimmed.bytes().all(|b| b == b'#')
        && line.trim_end() == trimmed
    {
        let level = trimmed.len();
        let missing: Vec<usize> = (0..spec.sections.len())
            .filter(|&si| {
                map.sections[si].status == Status::Missing && !map.sections[si].skeleton.is_empty()
            })
            .collect();
        let at_level = |si: &usize| {
            map.sections[*si].skeleton[0]
                .bytes()
                .take_while(|b| *b == b'#')
                .count()
                == level
        };
        // Only the sections the template writes at the level typed: `##` offers the
        // missing `##` sections, and nothing when none is missing there.
        let chosen: Vec<usize> = missing.into_iter().filter(at_level).collect();
        for (rank, si) in chosen.into_iter().enumerate() {
            let sec = &spec.sections[si];
            let mut lines = map.sections[si].skeleton.clone();
            while lines.last().is_some_and(|l| l.is_empty()) {
                lines.pop();
            }
            items.push(CompletionItem {
                label: sec.text.clone(),
                kind: Some(CompletionItemKind::MODULE),
                detail: Some(format!("missing template section: {}", lines[0])),
                documentation: sec
                    .instruction
                    .clone()
                    .map(lsp_types::Documentation::String),
                sort_text: Some(format!("{rank:04}")),
                filter_text: Some(format!("{trimmed} {}", sec.text)),
                text_edit: Some(lsp_types::CompletionTextEdit::Edit(TextEdit::new(
                    whole_line,
                    lines.join(eol),
                ))),
                ..Default::default()
            });
        }
    } else if let Some(star) = field_start(before) {
        let Some(h) = map.heading_at(l + 1) else {
            return Ok(Value::Null);
        };
        let Some((si, _)) = map.headings[h].section else {
            return Ok(Value::Null);
        };
        let from: u32 = line[..star].chars().map(|c| s.enc.units(c)).sum();
        for (k, f) in spec.sections[si].fields.iter().enumerate() {
            if map.sections[si].fields[k].is_some() {
                continue;
            }
            let line_from_star = f.line.trim_start();
            let line_from_star = line_from_star
                .find("**")
                .map_or(line_from_star, |i| &line_from_star[i..]);
            items.push(CompletionItem {
                label: f.label.clone(),
                kind: Some(CompletionItemKind::FIELD),
                detail: f.hint.clone(),
                sort_text: Some(format!("{k:04}")),
                filter_text: Some(format!("**{}", f.label)),
                text_edit: Some(lsp_types::CompletionTextEdit::Edit(TextEdit::new(
                    Range::new(Position::new(pos.line, from), whole_line.end),
                    line_from_star.to_string(),
                ))),
                ..Default::default()
            });
        }
    } else if let Some(hash) = before.rfind("](#") {
        let typed = &before[hash + 3..];
        if typed.contains([')', ' ']) {
            return Ok(Value::Null);
        }
        let from = pos.character - typed.chars().map(|c| s.enc.units(c)).sum::<u32>();
        for (k, h) in map.headings.iter().enumerate() {
            items.push(CompletionItem {
                label: h.slug.clone(),
                kind: Some(CompletionItemKind::REFERENCE),
                detail: Some(h.text.clone()),
                sort_text: Some(format!("{k:06}")),
                text_edit: Some(lsp_types::CompletionTextEdit::Edit(TextEdit::new(
                    Range::new(Position::new(pos.line, from), pos),
                    h.slug.clone(),
                ))),
                ..Default::default()
            });
        }
    }
    Ok(serde_json::to_value(lsp_types::CompletionResponse::Array(
        items,
    ))?)
}

/// Where `**` opens a list item's bold label that is still being typed (`- **Lic`):
/// the byte offset of the `**`.
fn field_start(before: &str) -> Option<usize> {
    let t = before.trim_start();
    let indent = before.len() - t.len();
    let rest = t.strip_prefix(['-', '*', '+'])?;
    let spaces = rest.len() - rest.trim_start().len();
    if spaces == 0 {
        return None;
    }
    let label = rest.trim_start().strip_prefix("**")?;
    if label.contains('*') || label.contains(':') {
        return None;
    }
    Some(indent + 1 + spaces)
}

#[allow(deprecated)] // `DocumentSymbol::deprecated` must be named to build one.
pub(super) fn symbols(s: &mut Server, params: Value) -> Result<Value> {
    let p: lsp_types::DocumentSymbolParams = param(params)?;
    let o = open(s, &p.text_document.uri)?;
    let Some((map, setup)) = card_map(s, o) else {
        return Ok(Value::Null);
    };
    let spec = &s.setups.list[setup].spec;
    let doc = &o.doc;
    let last = checker_lines(doc).max(1);
    // Each heading's section runs to the line before the next heading at its level or above.
    let mut flat: Vec<(u8, DocumentSymbol)> = Vec::new();
    for (c, h) in map.headings.iter().enumerate() {
        let end = map.headings[c + 1..]
            .iter()
            .find(|x| x.level <= h.level)
            .map_or(last, |x| x.line.saturating_sub(1).max(h.end_line));
        let detail = match h.section {
            Some((si, conf)) if !spec.sections[si].title_slot => {
                format!("template: {} ({conf})", spec.sections[si].text)
            }
            Some(_) => "the card's title".to_string(),
            None => "your own section".to_string(),
        };
        let sel = Range::new(
            doc.position(h.line, 1, s.enc),
            doc.position(h.end_line, 0, s.enc),
        );
        flat.push((
            h.level,
            DocumentSymbol {
                name: if h.text.trim().is_empty() {
                    "(empty heading)".into()
                } else {
                    h.text.clone()
                },
                detail: Some(detail),
                kind: SymbolKind::NAMESPACE,
                tags: None,
                deprecated: None,
                range: Range::new(
                    Position::new(h.line as u32 - 1, 0),
                    doc.position(end, 0, s.enc),
                ),
                selection_range: sel,
                children: Some(Vec::new()),
            },
        ));
    }
    // Missing sections: under their parent's symbol when the card has the parent,
    // where `fix` would insert them.
    let mut missing: Vec<(Option<usize>, DocumentSymbol)> = Vec::new();
    for (si, e) in map.sections.iter().enumerate() {
        let sec = &spec.sections[si];
        if e.status != Status::Missing || sec.title_slot {
            continue;
        }
        let parent_heading = sec.parent.and_then(|p| map.sections[p].heading);
        if sec.parent.is_some() && parent_heading.is_none() {
            continue; // listed with its missing parent
        }
        let line = o
            .judged
            .findings
            .iter()
            .find(|f| {
                f.rule == "missing-section" && f.section.as_deref() == Some(sec.text.as_str())
            })
            .map_or(last, |f| f.line);
        let mut at = doc.position(line, 1, s.enc);
        if let Some((_, sym)) = parent_heading.map(|c| &flat[c]) {
            if at < sym.range.start || at > sym.range.end {
                at = sym.range.end;
            }
        }
        missing.push((
            parent_heading,
            DocumentSymbol {
                name: format!("{} (missing)", sec.text),
                detail: Some("a template section the card lacks: `fix` inserts it".into()),
                kind: SymbolKind::NULL,
                tags: None,
                deprecated: None,
                range: Range::new(at, at),
                selection_range: Range::new(at, at),
                children: None,
            },
        ));
    }
    let mut top_missing = Vec::new();
    for (parent, sym) in missing {
        match parent {
            Some(c) => flat[c].1.children.get_or_insert_with(Vec::new).push(sym),
            None => top_missing.push(sym),
        }
    }
    // Nest by level: each heading under the nearest earlier one of a lower level.
    let mut roots: Vec<DocumentSymbol> = Vec::new();
    let mut stack: Vec<(u8, DocumentSymbol)> = Vec::new();
    let pop = |stack: &mut Vec<(u8, DocumentSymbol)>, roots: &mut Vec<DocumentSymbol>| {
        if let Some((_, sym)) = stack.pop() {
            match stack.last_mut() {
                Some((_, parent)) => parent.children.get_or_insert_with(Vec::new).push(sym),
                None => roots.push(sym),
            }
        }
    };
    for (level, sym) in flat {
        while stack.last().is_some_and(|(l, _)| *l >= level) {
            pop(&mut stack, &mut roots);
        }
        stack.push((level, sym));
    }
    while !stack.is_empty() {
        pop(&mut stack, &mut roots);
    }
    for r in &mut roots {
        sort_children(r);
    }
    roots.extend(top_missing);
    Ok(serde_json::to_value(
        lsp_types::DocumentSymbolResponse::Nested(roots),
    )?)
}

fn sort_children(s: &mut DocumentSymbol) {
    if let Some(ch) = &mut s.children {
        ch.sort_by_key(|c| (c.range.start.line, c.range.start.character));
        for c in ch {
            sort_children(c);
        }
    }
}
