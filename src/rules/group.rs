//! One cause, one finding. A section still holding the template's placeholders and
//! instructions is one piece of work, however many lines it spans: the card's
//! `placeholder` and `template-text` findings under one top-level section (the
//! section with all its subsections) become one finding on the first line, whose
//! message names what to write and which carries every line it covers.
//!
//! The grouping key is fixed by the outline, never by how far the section is
//! filled: a section `fix` inserted from the template is one finding, and filling it
//! placeholder by placeholder only lowers the count (a grouping that changed when a
//! section stopped being "untouched" would jump from one finding to many).

use super::Context;
use crate::finding::{message, Finding, Severity};
use crate::text::code;

/// The rules whose findings are the template's leftovers.
const LEFTOVERS: [&str; 2] = ["placeholder", "template-text"];

/// Most lines and fields a grouped message names before it counts the rest.
const NAMED: usize = 8;

/// The card's findings, one per cause: each top-level section's leftovers, and the
/// template's `[optional]` marks left anywhere in the card.
pub fn by_cause(ctx: &Context, findings: Vec<Finding>) -> Vec<Finding> {
    optional_marks(leftovers(ctx, empty_and_fieldless(findings)))
}

/// An empty section that the template gives fields: "has none of the template's
/// fields. Add …" says what to write, and `empty-section` would say it again.
fn empty_and_fieldless(mut findings: Vec<Finding>) -> Vec<Finding> {
    let fieldless: Vec<usize> = findings
        .iter()
        .filter(|f| f.rule == "missing-field" && f.subject == super::fields::NO_FIELDS)
        .map(|f| f.line)
        .collect();
    if !fieldless.is_empty() {
        findings.retain(|f| !(f.rule == "empty-section" && fieldless.contains(&f.line)));
    }
    findings
}

/// `[optional]` left on headings and field labels: one mark copied with the
/// template, one finding that removes them all.
fn optional_marks(mut findings: Vec<Finding>) -> Vec<Finding> {
    let marks: Vec<usize> = (0..findings.len())
        .filter(|&i| findings[i].rule == "optional-marker")
        .collect();
    if marks.len() < 2 {
        return findings;
    }
    let mut edits: Vec<crate::finding::Edit> = Vec::new();
    for &i in &marks {
        for e in findings[i].fix() {
            if !edits.contains(&e) {
                edits.push(e);
            }
        }
    }
    // Two fixes on the same lines cannot be one fix: then they stay apart.
    let overlap = edits.iter().enumerate().any(|(a, x)| {
        edits[a + 1..].iter().any(|y| {
            !x.is_insertion() && !y.is_insertion() && x.line <= y.end_line && y.line <= x.end_line
        })
    });
    if overlap {
        return findings;
    }
    let lines: Vec<usize> = marks.iter().map(|&i| findings[i].line).collect();
    let named: Vec<String> = lines.iter().take(NAMED).map(usize::to_string).collect();
    let first = &findings[marks[0]];
    let merged = Finding {
        message: message!(
            "{} headings and field labels still carry the template's mark `[optional]` (lines {}{}): remove it from each; the hub's settings decide what is optional.",
            marks.len(),
            named.join(", "),
            if lines.len() > NAMED { ", …" } else { "" }
        ),
        section: None,
        field: None,
        suggestion: None,
        edits,
        unsafe_fix: marks.iter().any(|&i| findings[i].unsafe_fix),
        subject: "[optional] marks".to_string(),
        lines,
        ..first.clone()
    };
    let keep = marks[0];
    findings[keep] = merged;
    let mut k = 0;
    findings.retain(|_| {
        k += 1;
        !marks[1..].contains(&(k - 1))
    });
    findings
}

/// The card's findings with each top-level section's leftovers as one finding.
fn leftovers(ctx: &Context, findings: Vec<Finding>) -> Vec<Finding> {
    let card = ctx.card;
    if card.headings.is_empty() {
        return findings;
    }
    // The group of a line: the top-level section (below the title) it sits in.
    let group_of = |line: usize| -> Option<usize> {
        let h = card
            .headings
            .partition_point(|h| h.line <= line)
            .checked_sub(1)?;
        Some(top(ctx, h))
    };
    let mut members: Vec<Vec<usize>> = vec![Vec::new(); card.headings.len()];
    for (i, f) in findings.iter().enumerate() {
        let unwritten = f.rule == "missing-field" && f.subject == super::fields::NO_FIELDS;
        if LEFTOVERS.contains(&f.rule) || unwritten {
            if let Some(g) = group_of(f.line) {
                members[g].push(i);
            }
        }
    }
    // A section with none of its fields joins only a group of leftovers: alone it
    // is its own finding.
    for m in &mut members {
        if !m.iter().any(|&i| LEFTOVERS.contains(&findings[i].rule)) {
            m.clear();
        }
    }
    if members.iter().all(|m| m.len() < 2) {
        return findings;
    }
    let mut merged: Vec<Option<Finding>> = vec![None; findings.len()];
    let mut gone = vec![false; findings.len()];
    for (g, m) in members.iter().enumerate() {
        if m.len() < 2 {
            continue;
        }
        merged[m[0]] = Some(merge(ctx, g, m.iter().map(|&i| &findings[i]).collect()));
        for &i in &m[1..] {
            gone[i] = true;
        }
    }
    findings
        .into_iter()
        .enumerate()
        .filter(|(i, _)| !gone[*i])
        .map(|(i, f)| merged[i].take().unwrap_or(f))
        .collect()
}

/// The outermost heading above `h` that is not the card's title: the unit a
/// contributor fills (a template section with its subsections, or the author's own).
fn top(ctx: &Context, h: usize) -> usize {
    let mut r = h;
    while let Some(p) = ctx.outline.logical_parent[r] {
        if is_title(ctx, p) {
            break;
        }
        r = p;
    }
    r
}

fn is_title(ctx: &Context, h: usize) -> bool {
    match ctx.outline.card_to_spec[h] {
        Some((si, _)) => ctx.spec.sections[si].title_slot,
        // The card's first heading, above all the others: its title.
        None => h == 0,
    }
}

fn merge(ctx: &Context, group: usize, members: Vec<&Finding>) -> Finding {
    let first = members[0];
    let mut lines: Vec<usize> = members.iter().map(|f| f.line).collect();
    lines.sort_unstable();
    lines.dedup();
    let placeholders = members.iter().filter(|f| f.rule == "placeholder").count();
    let prompts = members.iter().filter(|f| f.rule == "template-text").count();
    let unwritten: Vec<&&Finding> = members
        .iter()
        .filter(|f| f.rule == "missing-field")
        .collect();
    let mut fields: Vec<String> = Vec::new();
    for f in &members {
        if let Some(fl) = &f.field {
            let shown = code(&format!("{fl}:"));
            if !fields.contains(&shown) {
                fields.push(shown);
            }
        }
    }
    let mut what = Vec::new();
    if placeholders > 0 {
        let mut p = format!(
            "{placeholders} placeholder{}",
            if placeholders == 1 { "" } else { "s" }
        );
        if !fields.is_empty() {
            let more = fields.len().saturating_sub(NAMED);
            fields.truncate(NAMED);
            p.push_str(&format!(
                " (in the field{} {}{})",
                if fields.len() == 1 && more == 0 {
                    ""
                } else {
                    "s"
                },
                fields.join(", "),
                if more > 0 {
                    format!(" and {more} more")
                } else {
                    String::new()
                }
            ));
        }
        what.push(p);
    }
    if prompts > 0 {
        let s = if prompts == 1 { "" } else { "s" };
        what.push(format!(
            "{prompts} instruction{s} or example{s} from the template"
        ));
    }
    for u in &unwritten {
        // The finding stands on its section's heading.
        let h = ctx
            .card
            .headings
            .partition_point(|h| h.line <= u.line)
            .saturating_sub(1);
        what.push(format!(
            "{} has none of the template's fields yet",
            ctx.heading_display(h)
        ));
    }
    let named: Vec<String> = lines.iter().take(NAMED).map(usize::to_string).collect();
    let line_list = if lines.len() > NAMED {
        format!("{} and {} more", named.join(", "), lines.len() - NAMED)
    } else {
        named.join(", ")
    };
    let has_subsections = ctx.outline.logical_parent.contains(&Some(group));
    let message = message!(
        "{}{} is not filled in yet on {} line{} ({}): {}. Replace each with your model's information, or “Not applicable” and why{}.",
        ctx.heading_display(group),
        if has_subsections { " (with its subsections)" } else { "" },
        lines.len(),
        if lines.len() == 1 { "" } else { "s" },
        line_list,
        what.join(" and "),
        if prompts > 0 {
            "; the template's instructions and examples are there to be replaced, not kept"
        } else {
            ""
        }
    );
    Finding {
        rule: if placeholders > 0 {
            "placeholder"
        } else {
            "template-text"
        },
        severity: members
            .iter()
            .map(|f| f.severity)
            .max()
            .unwrap_or(Severity::Error),
        path: first.path.clone(),
        line: first.line,
        column: first.column,
        end_column: first.end_column,
        end_line: first.end_line,
        message,
        section: ctx.section_name(Some(group)),
        field: None,
        suggestion: None,
        // The fields' insertion, `fix`'s part of the work.
        edits: unwritten.iter().flat_map(|u| u.fix()).collect(),
        unsafe_fix: false,
        subject: "the template's text".to_string(),
        // A finding of one line is a finding of one place.
        lines: if lines.len() > 1 { lines } else { Vec::new() },
    }
}

#[cfg(test)]
mod tests {
    use crate::config::Config;
    use crate::rules::{check_text, test_support::spec_from, NoOracle};

    const T: &str = "# [Name]\n\n*Summary please*\n\n# Details\n\n## Data\n\n- **Source:** *[Where from]*\n- **Size:** *[How many]*\n\n## Training\n\n*Describe the training please.*\n\n# Caveats\n\n*Caveats please*\n";

    #[test]
    fn a_top_level_sections_leftovers_are_one_finding_carrying_each_line() {
        let s = spec_from(T);
        let card = "# Seg\n\nA model.\n\n# Details\n\n## Data\n\n- **Source:** *[Where from]*\n- **Size:** TBD\n\n## Training\n\n*Describe the training please.*\n\n# Caveats\n\nTODO\n";
        let f = check_text(&s, &Config::default(), "m/README.md", card, &NoOracle);
        let left: Vec<_> = f
            .iter()
            .filter(|x| x.rule == "placeholder" || x.rule == "template-text")
            .collect();
        assert_eq!(left.len(), 2, "{f:#?}");
        assert_eq!(left[0].line, 9);
        assert_eq!(left[0].lines, vec![9, 10, 14]);
        assert_eq!(left[0].section.as_deref(), Some("Details"));
        let m = &left[0].message;
        assert!(
            m.starts_with("`# Details` (with its subsections) is not filled in yet on 3 lines (9, 10, 14): 2 placeholders (in the fields `Source:`, `Size:`) and 1 instruction or example from the template"),
            "{m}"
        );
        // A section with one leftover keeps that finding as it is.
        assert_eq!(left[1].line, 18);
        assert!(left[1].lines.is_empty());
        assert!(
            left[1].message.starts_with("`TODO` is a placeholder"),
            "{}",
            left[1].message
        );
    }

    #[test]
    fn a_fieldless_unwritten_section_joins_its_groups_leftovers() {
        let s = spec_from(T);
        let card = "# Seg\n\nA model.\n\n# Details\n\n## Data\n\nTBD\n\n## Training\n\nTODO\n\n# Caveats\n\nNone known.\n";
        let f = check_text(&s, &Config::default(), "m/README.md", card, &NoOracle);
        assert!(!f.iter().any(|x| x.rule == "missing-field"), "{f:#?}");
        let left: Vec<_> = f.iter().filter(|x| x.rule == "placeholder").collect();
        assert_eq!(left.len(), 1, "{f:#?}");
        assert!(
            left[0]
                .message
                .contains("`## Data` has none of the template's fields yet"),
            "{}",
            left[0].message
        );
        // The fields' insertion is fix's part of the work.
        let fix = left[0].fix();
        assert_eq!(fix.len(), 1, "{fix:#?}");
        assert!(
            fix[0].lines.iter().any(|l| l.contains("**Source:**")),
            "{fix:#?}"
        );
    }
}
