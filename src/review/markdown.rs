//! The maintainer's summary: one Markdown text for the PR comment (updated in place),
//! the check run and the job summary. Nothing is dropped: findings that are not
//! inline comments are listed here, and the text is cut to size with a note.

use super::plan::{PlannedComment, ReviewPlan, SummaryItem, SUMMARY_MARKER};
use crate::finding::Severity;
use std::collections::BTreeMap;
use std::fmt::Write;

/// GitHub's limit for a comment body and a check run summary is 65,536 characters.
pub const COMMENT_LIMIT: usize = 65_000;

fn plural(n: usize, w: &str) -> String {
    format!("{n} {w}{}", if n == 1 { "" } else { "s" })
}

pub fn title(plan: &ReviewPlan) -> String {
    let c = plan.counts;
    if plan.cards.is_empty() {
        return "No model cards changed".to_string();
    }
    if c.total() == 0 {
        return format!("No problems in {}", plural(plan.cards.len(), "model card"));
    }
    let mut parts = Vec::new();
    if c.errors > 0 {
        parts.push(plural(c.errors, "error"));
    }
    if c.warnings > 0 {
        parts.push(plural(c.warnings, "warning"));
    }
    if c.notices > 0 {
        parts.push(plural(c.notices, "notice"));
    }
    format!(
        "{} in {}",
        parts.join(", "),
        plural(plan.cards.len(), "model card")
    )
}

/// The summary when the hub's settings cannot be used: what is wrong, and that no
/// card was judged.
pub fn settings_failure(head_sha: &str, file: &str, message: &str) -> String {
    let short = &head_sha[..head_sha.len().min(7)];
    format!(
        "{SUMMARY_MARKER}\n## ❌ modelcard-review: the hub's settings cannot be used\n\n\
         {file} {message}\n\n\
         No model card was checked at {short}, so this check fails until the settings on the base branch are fixed \
         (a pull request cannot change them for its own review). Maintainers: fix the file named above; \
         `modelcard-review check` with the same file shows the same message locally.\n"
    )
}

/// One summary line: severity, a link to the line, rule, section, message.
fn entry(plan: &ReviewPlan, i: &SummaryItem) -> String {
    let icon = match i.severity {
        Severity::Error => "🛑",
        Severity::Warning => "⚠️",
        Severity::Notice => "ℹ️",
    };
    let section = i
        .section
        .as_deref()
        .map(|s| format!(" · {}", crate::text::code(s)))
        .unwrap_or_default();
    format!(
        "- {icon} [line {}]({}) · `{}`{section} — {}\n",
        i.line,
        line_link(plan, &i.path, i.line),
        i.rule,
        i.message.replace('\n', " ")
    )
}

/// Most lines a rule's row links before it counts the rest.
const SHAPE_LINES: usize = 6;

/// One card's findings as rules, one row each: severity, rule, count, the first
/// lines as links, what `fix` clears. The shape a maintainer reads before the list.
fn shape<'a>(
    plan: &ReviewPlan,
    path: &str,
    items: impl Iterator<Item = &'a SummaryItem>,
) -> String {
    let groups = crate::finding::group_by_rule(items.map(|i| crate::finding::GroupInput {
        rule: &i.rule,
        severity: i.severity,
        line: i.line,
        fixable: i.fixable,
        unsafe_fix: i.unsafe_fix,
        message: &i.message,
    }));
    let mut t = String::from("| | Rule | Count | Lines | `fix` |\n|---|---|---:|---|---|\n");
    for g in groups {
        let icon = match g.severity {
            "error" => "🛑",
            "warning" => "⚠️",
            _ => "ℹ️",
        };
        let mut lines = g.lines.clone();
        lines.sort_unstable();
        lines.dedup();
        let mut links: Vec<String> = lines
            .iter()
            .take(SHAPE_LINES)
            .map(|&l| format!("[{l}]({})", line_link(plan, path, l)))
            .collect();
        if lines.len() > SHAPE_LINES {
            links.push(format!("+{}", lines.len() - SHAPE_LINES));
        }
        let fix = match (g.fixable, g.unsafe_fix) {
            (0, false) => "—".to_string(),
            (0, true) => "with `--unsafe-fixes`".to_string(),
            (n, _) if n == g.lines.len() => "clears all".to_string(),
            (n, _) => format!("clears {n}"),
        };
        let _ = writeln!(
            t,
            "| {icon} | [`{}`]({}) | {} | {} | {fix} |",
            g.rule,
            crate::registry::help_uri(&g.rule),
            g.lines.len(),
            links.join(" ")
        );
    }
    t
}

/// The line at the reviewed commit on GitHub.
pub fn line_link(plan: &ReviewPlan, path: &str, line: usize) -> String {
    let server = if plan.server_url.is_empty() {
        "https://github.com"
    } else {
        plan.server_url.trim_end_matches('/')
    };
    format!(
        "{server}/{}/blob/{}/{}#L{line}",
        plan.repository,
        plan.head_sha,
        crate::text::uri_path(path)
    )
}

/// A path in a table cell: a code span, its pipes escaped (GFM reads `\|` as a pipe
/// inside code in a table).
fn cell(s: &str) -> String {
    crate::text::code(s).replace('|', "\\|")
}

/// The summary; `moved` are inline comments GitHub refused, listed with the rest.
pub fn summary(
    plan: &ReviewPlan,
    moved: &[PlannedComment],
    extra_notes: &[String],
    limit: usize,
) -> String {
    let mut s = String::new();
    let icon = match plan.conclusion {
        super::plan::Conclusion::Success => "✅",
        super::plan::Conclusion::Failure => "❌",
    };
    let _ = writeln!(
        s,
        "{SUMMARY_MARKER}\n## {icon} modelcard-review: {}\n",
        title(plan)
    );
    let short = &plan.head_sha[..plan.head_sha.len().min(7)];
    if plan.cards.is_empty() {
        let _ = writeln!(
            s,
            "This pull request (at {short}) changes no model card, so there was nothing to check."
        );
    } else {
        let mut per_card: BTreeMap<&str, [usize; 4]> =
            plan.cards.iter().map(|c| (c.as_str(), [0; 4])).collect();
        for i in &plan.items {
            let e = per_card.entry(i.path.as_str()).or_insert([0; 4]);
            match i.severity {
                Severity::Error => e[0] += 1,
                Severity::Warning => e[1] += 1,
                Severity::Notice => e[2] += 1,
            }
            if i.inline {
                e[3] += 1;
            }
        }
        let _ = writeln!(s, "Checked at {short}.\n");
        let _ = writeln!(s, "| Model card | Errors | Warnings | Notices | On changed lines |\n|---|---:|---:|---:|---:|");
        for (path, c) in &per_card {
            let _ = writeln!(
                s,
                "| {} | {} | {} | {} | {} |",
                cell(path),
                c[0],
                c[1],
                c[2],
                c[3]
            );
        }
    }
    let moved_keys: std::collections::HashSet<(&str, usize, &str)> = moved
        .iter()
        .map(|m| (m.path.as_str(), m.line, m.rule.as_str()))
        .collect();
    let listed: Vec<&SummaryItem> = plan
        .items
        .iter()
        .filter(|i| {
            !i.inline
                || moved_keys.contains(&(i.path.as_str(), i.line, i.rule.as_str()))
                || moved_keys.contains(&(i.path.as_str(), i.end_line, i.rule.as_str()))
        })
        .collect();
    let inline_count = plan
        .items
        .iter()
        .filter(|i| i.inline)
        .count()
        .saturating_sub(moved.len());
    if inline_count > 0 {
        let _ = writeln!(
            s,
            "\n{} on lines this pull request changed {} posted as review comments, each with how to fix it.",
            plural(inline_count, "finding"),
            if inline_count == 1 { "is" } else { "are" }
        );
    }
    if plan.suppressed > 0 {
        let _ = writeln!(
            s,
            "\n{} silenced by `modelcard-review-disable` comments in the cards.",
            plural(plan.suppressed, "finding")
        );
    }
    if plan.held_back > 0 {
        let _ = writeln!(
            s,
            "\n{} on changed lines {} listed below instead: a run posts at most {} inline comments (`max_comments`), the most severe first.",
            plural(plan.held_back, "more finding"),
            if plan.held_back == 1 { "is" } else { "are" },
            plan.max_comments
        );
    }
    let mut truncated = 0usize;
    if !listed.is_empty() {
        let _ = writeln!(
            s,
            "\n### Findings elsewhere in the changed cards\n\nThese are not review comments (the line is not in the diff, GitHub would not take the comment, or the run had posted enough). Per card, the rules first, with their lines; each finding in full in the fold below."
        );
        let card_rank = |p: &str| plan.cards.iter().position(|c| c == p).unwrap_or(usize::MAX);
        let mut paths: Vec<&str> = listed.iter().map(|i| i.path.as_str()).collect();
        paths.sort_by_key(|p| (card_rank(p), p.to_string()));
        paths.dedup();
        // Which entries fit is decided by severity, so a cut drops notices first.
        let entries: Vec<String> = listed.iter().map(|i| entry(plan, i)).collect();
        let shapes: Vec<(&str, String)> = paths
            .iter()
            .map(|p| {
                (
                    *p,
                    shape(plan, p, listed.iter().filter(|i| i.path == *p).copied()),
                )
            })
            .collect();
        let mut by_severity: Vec<usize> = (0..listed.len()).collect();
        by_severity.sort_by_key(|&k| std::cmp::Reverse(listed[k].severity));
        let fixed_cost: usize = shapes.iter().map(|(p, t)| t.len() + p.len() + 120).sum();
        let mut budget = limit.saturating_sub(s.len() + 1200 + fixed_cost);
        let mut shown = vec![false; listed.len()];
        for k in by_severity {
            let cost = entries[k].len() + 2;
            if cost <= budget {
                budget -= cost;
                shown[k] = true;
            } else {
                truncated += 1;
            }
        }
        for (path, table) in &shapes {
            let mine: Vec<usize> = (0..listed.len())
                .filter(|&k| listed[k].path == *path)
                .collect();
            let _ = writeln!(
                s,
                "\n**{}** · {}\n\n{table}",
                crate::text::code(path),
                plural(mine.len(), "finding")
            );
            // Each finding in full, the most severe first.
            let mut order: Vec<usize> = mine.into_iter().filter(|&k| shown[k]).collect();
            if order.is_empty() {
                continue;
            }
            order.sort_by_key(|&k| (std::cmp::Reverse(listed[k].severity), listed[k].line));
            let _ = writeln!(
                s,
                "<details><summary>{} one by one</summary>\n",
                if order.len() == 1 {
                    "The finding".to_string()
                } else {
                    format!("The {} findings", order.len())
                }
            );
            for k in order {
                s.push_str(&entries[k]);
            }
            let _ = writeln!(s, "\n</details>");
        }
    }
    if truncated > 0 {
        let _ = writeln!(
            s,
            "\n… and {} more. Run `modelcard-review check` on the cards to see them all.",
            plural(truncated, "finding")
        );
    }
    if !plan.fixed.is_empty() {
        let _ = writeln!(s, "\n### Fixed since the last review\n");
        for f in plan.fixed.iter().take(50) {
            let _ = writeln!(
                s,
                "- ✅ a finding in {} (its comment is marked fixed)",
                crate::text::code(&f.path)
            );
        }
        if plan.fixed.len() > 50 {
            let _ = writeln!(s, "- … and {} more", plan.fixed.len() - 50);
        }
    }
    if let Some(impact) = &plan.settings_impact {
        let _ = writeln!(
            s,
            "\n**This settings change and the hub's cards:** {}",
            impact.replace('\n', " ")
        );
    }
    let settings = (!plan.settings.is_empty()).then(|| format!("Settings: {}.", plan.settings));
    let notes: Vec<&String> = settings
        .iter()
        .chain(plan.notes.iter())
        .chain(extra_notes.iter())
        .collect();
    if !notes.is_empty() {
        let _ = writeln!(s, "\n### Notes\n");
        for n in notes {
            let line = format!("- {}\n", n.replace('\n', " "));
            if s.len() + line.len() + 400 > limit {
                break;
            }
            s.push_str(&line);
        }
    }
    if !plan.fixable.is_empty() {
        let n: usize = plan.fixable.iter().map(|(_, n)| n).sum();
        let paths: Vec<&str> = plan.fixable.iter().map(|(p, _)| p.as_str()).collect();
        let _ = writeln!(
            s,
            "\n**Fix the mechanical ones in one go:** {} applies every safe fix (headings, anchors, missing sections and fields as the template writes them, table rows) and clears {}; then fill in what it inserted.",
            crate::text::code_whole(&format!("modelcard-review fix {}", paths.join(" "))),
            plural(n, "finding")
        );
    }
    let _ = writeln!(
        s,
        "\n<sub>Contributors: run `modelcard-review check path/to/README.md` to see these before pushing. `modelcard-review rules` explains each rule.</sub>"
    );
    if s.len() > limit {
        let mut cut = limit.saturating_sub(100);
        while !s.is_char_boundary(cut) {
            cut -= 1;
        }
        s.truncate(cut);
        s.push_str("\n\n… (cut to GitHub's size limit)\n");
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::ChangedLines;
    use crate::finding::{Draft, FailOn};
    use crate::review::plan::{build_plan, CardInput, PlanInput};

    fn plan(n: usize) -> ReviewPlan {
        let findings = (1..=n)
            .map(|i| {
                Draft::new("placeholder", i, format!("placeholder number {i} must go"))
                    .subject(i.to_string())
                    .finish("m/README.md", Severity::Error)
            })
            .collect();
        build_plan(&PlanInput {
            repository: "o/r".into(),
            pull_number: 1,
            head_sha: "0123456789".into(),
            run_key: "k".into(),
            fail_on: FailOn::Error,
            cards: vec![CardInput {
                path: "m/README.md".into(),
                findings,
                suppressed: 0,
                changed: ChangedLines::from_patch("@@ -1 +1,2 @@\n a\n+b"),
                text: String::new(),
            }],
            unknown_paths: Default::default(),
            notes: vec!["a note".into()],
            prior: vec![],
            max_comments: 30,
            server_url: "https://github.com".into(),
            settings: "`.modelcard-review.toml` at 0123456".into(),
            settings_impact: None,
        })
    }

    #[test]
    fn lists_what_is_not_inline() {
        let p = plan(3);
        let s = summary(&p, &[], &[], COMMENT_LIMIT);
        assert!(s.starts_with(SUMMARY_MARKER));
        assert!(s.contains("3 errors in 1 model card"));
        let line = |n: usize| {
            format!("[line {n}](https://github.com/o/r/blob/0123456789/m/README.md#L{n}) · `placeholder`")
        };
        assert!(s.contains(&line(1)), "{s}");
        assert!(!s.contains(&line(2)), "line 2 is inline");
        assert!(s.contains(&line(3)));
        assert!(s.contains("a note"));
        assert!(s.contains("Settings: `.modelcard-review.toml` at 0123456."));
        let moved = p.comments.clone();
        let s2 = summary(&p, &moved, &[], COMMENT_LIMIT);
        assert!(s2.contains(&line(2)));
    }

    #[test]
    fn entries_name_the_section_and_errors_come_first() {
        let mut p = plan(3);
        p.items[0].severity = Severity::Notice;
        p.items[0].section = Some("Quantitative Results".into());
        let s = summary(&p, &[], &[], COMMENT_LIMIT);
        assert!(s.contains("#L1) · `placeholder` · `Quantitative Results` — placeholder number 1"));
        let one_by_one = s.split("<details>").nth(1).unwrap();
        assert!(
            one_by_one.find("#L3)").unwrap() < one_by_one.find("#L1)").unwrap(),
            "{s}"
        );
    }

    #[test]
    fn the_shape_comes_first_one_row_per_rule_and_the_rest_folded() {
        let mut p = plan(40);
        for (k, i) in p.items.iter_mut().enumerate() {
            if k % 4 == 0 {
                i.rule = "broken-link".into();
                i.severity = Severity::Warning;
            }
            i.fixable = k % 2 == 1;
        }
        let s = summary(&p, &[], &[], COMMENT_LIMIT);
        let (outside, folded) = s.split_once("<details>").unwrap();
        // One row per rule, with a count, the first lines and what fix clears.
        assert!(
            outside.contains("| 🛑 | [`placeholder`](https://github.com/ri-scale/modelcard-review/blob/main/docs/rules.md#placeholder) | 29 | [3](")
                && outside.contains("+23 | clears 19 |"),
            "{outside}"
        );
        assert!(outside.contains("| ⚠️ | [`broken-link`]("), "{outside}");
        assert!(!outside.contains("placeholder number"), "{outside}");
        // Every finding is still there, in the fold (line 2's is a review comment).
        for n in (1..=40).filter(|&n| n != 2) {
            assert!(folded.contains(&format!("number {n} must go")), "{n}");
        }
        assert!(outside.lines().count() < 40, "{}", outside.lines().count());
    }

    #[test]
    fn a_cut_drops_the_least_severe() {
        let mut p = plan(5000);
        for (k, i) in p.items.iter_mut().enumerate() {
            if k % 2 == 0 {
                i.severity = Severity::Notice;
            }
        }
        let s = summary(&p, &[], &[], COMMENT_LIMIT);
        assert!(s.contains("🛑"));
        assert!(!s.contains("ℹ️ [line"), "notices go first when cut");
    }

    #[test]
    fn stays_under_the_limit() {
        let p = plan(5000);
        let s = summary(&p, &[], &[], COMMENT_LIMIT);
        assert!(s.len() <= COMMENT_LIMIT, "{}", s.len());
        assert!(s.contains("more. Run `modelcard-review check`"));
    }
}
