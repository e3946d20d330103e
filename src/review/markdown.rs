//! The maintainer's summary: one Markdown text for the PR comment (updated in place),
//! the check run and the job summary. Nothing is dropped: findings that are not
//! inline comments are listed here, and the text is cut to size with a note.

use super::plan::{PlannedComment, ReviewPlan, SUMMARY_MARKER};
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

fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
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
        let _ = writeln!(
            s,
            "Checked at {short} against the hub's model card template.\n"
        );
        let _ = writeln!(s, "| Model card | Errors | Warnings | Notices | On changed lines |\n|---|---:|---:|---:|---:|");
        for (path, c) in &per_card {
            let _ = writeln!(
                s,
                "| `{}` | {} | {} | {} | {} |",
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
    let listed: Vec<_> = plan
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
    let mut truncated = 0usize;
    if !listed.is_empty() {
        let _ = writeln!(
            s,
            "\n### Findings elsewhere in the changed cards\n\nThese are on lines this pull request did not change (or GitHub would not take them as review comments), so they are listed here:\n"
        );
        let mut current = "";
        for i in &listed {
            let mut entry = String::new();
            if i.path != current {
                let _ = writeln!(entry, "\n**`{}`**\n", i.path);
            }
            let _ = writeln!(
                entry,
                "- {} line {} · `{}` — {}",
                match i.severity {
                    Severity::Error => "🛑",
                    Severity::Warning => "⚠️",
                    Severity::Notice => "ℹ️",
                },
                i.line,
                i.rule,
                i.message.replace('\n', " ")
            );
            if s.len() + entry.len() + 600 > limit {
                truncated += 1;
                continue;
            }
            current = &i.path;
            s.push_str(&entry);
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
                "- ✅ a finding in `{}` (its comment is marked fixed)",
                f.path
            );
        }
        if plan.fixed.len() > 50 {
            let _ = writeln!(s, "- … and {} more", plan.fixed.len() - 50);
        }
    }
    let notes: Vec<&String> = plan.notes.iter().chain(extra_notes.iter()).collect();
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
                changed: ChangedLines::from_patch("@@ -1 +1,2 @@\n a\n+b"),
            }],
            unknown_paths: Default::default(),
            notes: vec!["a note".into()],
            prior: vec![],
        })
    }

    #[test]
    fn lists_what_is_not_inline() {
        let p = plan(3);
        let s = summary(&p, &[], &[], COMMENT_LIMIT);
        assert!(s.starts_with(SUMMARY_MARKER));
        assert!(s.contains("3 errors in 1 model card"));
        assert!(s.contains("line 1 · `placeholder`"));
        assert!(!s.contains("line 2 · `placeholder`"), "line 2 is inline");
        assert!(s.contains("line 3 · `placeholder`"));
        assert!(s.contains("a note"));
        let moved = p.comments.clone();
        let s2 = summary(&p, &moved, &[], COMMENT_LIMIT);
        assert!(s2.contains("line 2 · `placeholder`"));
    }

    #[test]
    fn stays_under_the_limit() {
        let p = plan(5000);
        let s = summary(&p, &[], &[], COMMENT_LIMIT);
        assert!(s.len() <= COMMENT_LIMIT, "{}", s.len());
        assert!(s.contains("more. Run `modelcard-review check`"));
    }
}
