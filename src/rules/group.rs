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

/// The card's findings with each top-level section's leftovers as one finding.
pub fn leftovers(ctx: &Context, findings: Vec<Finding>) -> Vec<Finding> {
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
        if LEFTOVERS.contains(&f.rule) {
            if let Some(g) = group_of(f.line) {
                members[g].push(i);
            }
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
    let prompts = members.len() - placeholders;
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
        edits: Vec::new(),
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
}
