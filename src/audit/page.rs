//! The audit as one self-contained page: the report's numbers in a compact JSON
//! island (a card's statuses as one letter per section), drawn by the page's own
//! script and styles. Nothing is loaded from the network (its Content-Security-Policy
//! forbids it), so it opens from disk and from GitHub Pages alike. The heat map is
//! drawn 200 cards at a time: a hub of 1000 cards is 5 pages, not 40,000 cells.

use super::Report;
use crate::rules::Status;
use serde_json::{json, Value};

const PAGE: &str = include_str!("../../templates/audit.html");

fn letter(s: Status) -> char {
    match s {
        Status::Filled => 'F',
        Status::Placeholder => 'P',
        Status::Empty => 'E',
        Status::Missing => 'M',
    }
}

/// The page. `impact_line`: the impact's one-line summary, when there is one.
pub fn render(report: &Report, impact_line: Option<&str>) -> String {
    let data = json!({
        "template": report.template,
        "commit": report.commit,
        "hub": report.hub,
        "sections": report.sections.iter().map(|s| json!({
            "n": s.name, "l": s.level, "r": s.required, "f": s.fill_rate,
            "c": [s.filled, s.placeholder, s.empty, s.missing],
        })).collect::<Vec<Value>>(),
        "cards": report.cards.iter().map(|c| json!([
            c.path, c.url, c.errors, c.warnings, c.notices, c.completeness,
            c.sections.iter().map(|s| letter(s.status)).collect::<String>(),
            c.groups.iter().map(|g| json!([
                g.rule, g.severity, g.lines, g.fixable, g.unsafe_fix, g.message,
            ])).collect::<Vec<Value>>(),
        ])).collect::<Vec<Value>>(),
        "rules": report.rules.iter().map(|r| json!([
            r.rule, r.findings, r.cards, crate::registry::help_uri(r.rule),
        ])).collect::<Vec<Value>>(),
        "history": report.history.as_ref().map(|h| h.iter().map(|p| json!([
            p.commit, p.date, p.cards, p.mean_completeness, p.errors,
        ])).collect::<Vec<Value>>()),
        "impact": report.impact.as_ref().map(|i| json!({
            "template": i.template, "line": impact_line.unwrap_or(""),
        })),
    });
    // Inside <script>, `<` would let a card's path close the element: written as a
    // JSON escape, it stays data.
    let island = data
        .to_string()
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026");
    PAGE.replacen("/*DATA*/", &island, 1)
}
