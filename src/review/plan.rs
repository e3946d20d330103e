//! The review planner: pure code that decides, from findings, changed lines and the
//! bot's earlier comments, what a run posts. It serialises to JSON so a read-only run
//! can compute it and a trusted run can publish it.

use crate::diff::ChangedLines;
use crate::finding::{fingerprints, Counts, FailOn, Finding, Severity};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

pub const PLAN_VERSION: u32 = 1;
pub const FINDING_MARKER: &str = "<!-- modelcard-review:finding ";
pub const FIXED_MARKER: &str = "<!-- modelcard-review:fixed ";
pub const SUMMARY_MARKER: &str = "<!-- modelcard-review:summary -->";
pub const REVIEW_MARKER: &str = "<!-- modelcard-review:review ";

/// One card of the pull request, checked.
#[derive(Debug, Clone)]
pub struct CardInput {
    pub path: String,
    pub findings: Vec<Finding>,
    pub changed: ChangedLines,
}

/// An earlier inline comment of the bot, recognised by its marker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PriorComment {
    pub id: u64,
    pub path: String,
    pub fingerprint: String,
    pub fixed: bool,
    pub body: String,
}

impl PriorComment {
    /// Reads the marker out of a comment body; None for comments not the bot's.
    pub fn parse(id: u64, path: &str, body: &str) -> Option<PriorComment> {
        let (fixed, rest) = if let Some(i) = body.find(FINDING_MARKER) {
            (false, &body[i + FINDING_MARKER.len()..])
        } else if let Some(i) = body.find(FIXED_MARKER) {
            (true, &body[i + FIXED_MARKER.len()..])
        } else {
            return None;
        };
        let fp: String = rest
            .chars()
            .take_while(|c| c.is_ascii_hexdigit() || *c == '-')
            .collect();
        if fp.is_empty() {
            return None;
        }
        Some(PriorComment {
            id,
            path: path.to_string(),
            fingerprint: fp,
            fixed,
            body: body.to_string(),
        })
    }
}

pub struct PlanInput {
    pub repository: String,
    pub pull_number: u64,
    pub head_sha: String,
    /// Identifies this run's review, so a retry can see whether it was created.
    pub run_key: String,
    pub fail_on: FailOn,
    pub cards: Vec<CardInput>,
    /// Cards that could not be checked: their earlier comments are left alone.
    pub unknown_paths: BTreeSet<String>,
    /// Things a maintainer should know (skipped files, truncated lists…).
    pub notes: Vec<String>,
    pub prior: Vec<PriorComment>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlannedComment {
    pub path: String,
    pub line: usize,
    pub start_line: Option<usize>,
    pub body: String,
    pub fingerprint: String,
    pub severity: Severity,
    pub rule: String,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FixedComment {
    pub id: u64,
    pub path: String,
    pub body: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SummaryItem {
    pub path: String,
    pub line: usize,
    pub end_line: usize,
    pub severity: Severity,
    pub rule: String,
    pub message: String,
    /// Already commented inline (by this run or an earlier one).
    pub inline: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Conclusion {
    Success,
    Failure,
}

impl Conclusion {
    pub fn as_str(&self) -> &'static str {
        match self {
            Conclusion::Success => "success",
            Conclusion::Failure => "failure",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewPlan {
    pub version: u32,
    pub repository: String,
    pub pull_number: u64,
    pub head_sha: String,
    pub run_key: String,
    pub conclusion: Conclusion,
    pub counts: Counts,
    pub cards: Vec<String>,
    /// New inline comments (findings on changed lines not commented before).
    pub comments: Vec<PlannedComment>,
    /// Earlier comments whose finding is gone.
    pub fixed: Vec<FixedComment>,
    /// Every finding, for the summary, annotations and the check run.
    pub items: Vec<SummaryItem>,
    pub notes: Vec<String>,
}

/// Decides what to post. Pure: same input, same plan.
pub fn build_plan(input: &PlanInput) -> ReviewPlan {
    let mut comments = Vec::new();
    let mut items = Vec::new();
    let mut counts = Counts::default();
    let mut current: BTreeSet<(String, String)> = BTreeSet::new();
    let open_prior: BTreeMap<(&str, &str), &PriorComment> = input
        .prior
        .iter()
        .filter(|p| !p.fixed)
        .map(|p| ((p.path.as_str(), p.fingerprint.as_str()), p))
        .collect();

    for card in &input.cards {
        for (f, fp) in card.findings.iter().zip(fingerprints(&card.findings)) {
            counts.add(f.severity);
            let fingerprint = fp.to_string();
            let already = open_prior.contains_key(&(card.path.as_str(), fingerprint.as_str()));
            let on_changed_line = card.changed.is_added(f.line);
            if !already && on_changed_line {
                comments.push(planned_comment(f, &fingerprint, &card.changed));
            }
            current.insert((card.path.clone(), fingerprint));
            items.push(SummaryItem {
                path: card.path.clone(),
                line: f.line,
                end_line: f.end_line,
                severity: f.severity,
                rule: f.rule.to_string(),
                message: f.message.clone(),
                inline: already || on_changed_line,
            });
        }
    }

    let fixed = input
        .prior
        .iter()
        .filter(|p| !p.fixed && !input.unknown_paths.contains(&p.path))
        .filter(|p| !current.contains(&(p.path.clone(), p.fingerprint.clone())))
        .map(|p| FixedComment {
            id: p.id,
            path: p.path.clone(),
            body: fixed_body(&p.body, &p.fingerprint, &input.head_sha),
        })
        .collect();

    ReviewPlan {
        version: PLAN_VERSION,
        repository: input.repository.clone(),
        pull_number: input.pull_number,
        head_sha: input.head_sha.clone(),
        run_key: input.run_key.clone(),
        conclusion: if counts.fails(input.fail_on) {
            Conclusion::Failure
        } else {
            Conclusion::Success
        },
        counts,
        cards: input.cards.iter().map(|c| c.path.clone()).collect(),
        comments,
        fixed,
        items,
        notes: input.notes.clone(),
    }
}

fn planned_comment(f: &Finding, fingerprint: &str, changed: &ChangedLines) -> PlannedComment {
    // A span becomes a multi-line comment when it stays within one hunk; a
    // suggestion replaces exactly the commented lines, so it needs the whole span.
    let multi = f.end_line > f.line && changed.same_hunk(f.line, f.end_line);
    let suggestion = f
        .suggestion
        .as_deref()
        .filter(|_| f.end_line == f.line || multi);
    PlannedComment {
        path: f.path.to_string(),
        line: if multi { f.end_line } else { f.line },
        start_line: multi.then_some(f.line),
        body: comment_body(f, fingerprint, suggestion),
        fingerprint: fingerprint.to_string(),
        severity: f.severity,
        rule: f.rule.to_string(),
        message: f.message.clone(),
    }
}

/// A fence longer than any run of backticks inside, so the suggestion cannot end it.
pub fn fence_for(text: &str) -> String {
    let mut longest = 0;
    let mut run = 0;
    for c in text.chars() {
        if c == '`' {
            run += 1;
            longest = longest.max(run);
        } else {
            run = 0;
        }
    }
    "`".repeat((longest + 1).max(3))
}

pub fn comment_body(f: &Finding, fingerprint: &str, suggestion: Option<&str>) -> String {
    let icon = match f.severity {
        Severity::Error => "🛑",
        Severity::Warning => "⚠️",
        Severity::Notice => "ℹ️",
    };
    let mut s = format!(
        "{icon} **{}** · `{}`\n\n{}\n",
        f.severity, f.rule, f.message
    );
    if let Some(sug) = suggestion {
        let fence = fence_for(sug);
        s.push_str(&format!(
            "\nSuggested fix (click **Commit suggestion** to apply it):\n\n{fence}suggestion\n{sug}\n{fence}\n"
        ));
    }
    s.push_str(&format!(
        "\n<sub>`modelcard-review rules` explains every rule; run `modelcard-review check {}` to see this before you push.</sub>\n{FINDING_MARKER}{} -->",
        f.path, fingerprint
    ));
    s
}

/// The edited body of a comment whose finding is gone: struck through, marked fixed.
fn fixed_body(old: &str, fingerprint: &str, head_sha: &str) -> String {
    let short = &head_sha[..head_sha.len().min(7)];
    let visible: String = old
        .split(FINDING_MARKER)
        .next()
        .unwrap_or("")
        .lines()
        .filter(|l| !l.trim_start().starts_with("<sub>"))
        .map(|l| {
            if l.trim().is_empty() {
                String::new()
            } else {
                format!("> {l}")
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    format!(
        "✅ **Fixed** in {short}: this problem is no longer found.\n\n<details><summary>What was reported</summary>\n\n{}\n\n</details>\n{FIXED_MARKER}{fingerprint} -->",
        visible.trim_end()
    )
}

/// Limits for a plan read from a file (it may come from an untrusted run).
pub const MAX_PLAN_BYTES: usize = 8 * 1024 * 1024;
const MAX_COMMENTS: usize = 3000;
const MAX_ITEMS: usize = 50_000;
const MAX_BODY: usize = 65_536;

impl ReviewPlan {
    /// Checks a plan that came from another run against what the trusted run knows.
    pub fn validate(
        &self,
        repository: &str,
        pull_number: u64,
        head_sha: &str,
    ) -> anyhow::Result<()> {
        use anyhow::bail;
        if self.version != PLAN_VERSION {
            bail!(
                "plan version {} is not supported (expected {PLAN_VERSION})",
                self.version
            );
        }
        if !self.repository.eq_ignore_ascii_case(repository) {
            bail!(
                "the plan is for repository {:?}, not {repository:?}",
                self.repository
            );
        }
        if self.pull_number != pull_number {
            bail!(
                "the plan is for pull request #{}, not #{pull_number}",
                self.pull_number
            );
        }
        if self.head_sha != head_sha {
            bail!(
                "the plan is for commit {}, but the pull request's head is {head_sha}",
                self.head_sha
            );
        }
        if self.comments.len() > MAX_COMMENTS
            || self.items.len() > MAX_ITEMS
            || self.fixed.len() > MAX_COMMENTS
        {
            bail!(
                "the plan is larger than any real review ({} comments, {} findings)",
                self.comments.len(),
                self.items.len()
            );
        }
        let bad_path = |p: &str| {
            p.is_empty() || p.starts_with('/') || p.split('/').any(|c| c == "..") || p.len() > 4096
        };
        for c in &self.comments {
            if bad_path(&c.path)
                || c.line == 0
                || c.body.len() > MAX_BODY
                || c.start_line.is_some_and(|s| s == 0 || s > c.line)
            {
                bail!(
                    "the plan has an invalid comment on {:?} line {}",
                    c.path,
                    c.line
                );
            }
            if !c.body.contains(FINDING_MARKER) {
                bail!(
                    "the plan has a comment without the bot's marker on {:?}",
                    c.path
                );
            }
        }
        for f in &self.fixed {
            if bad_path(&f.path) || f.body.len() > MAX_BODY || !f.body.contains(FIXED_MARKER) {
                bail!(
                    "the plan has an invalid fixed-comment edit for comment {}",
                    f.id
                );
            }
        }
        for i in &self.items {
            if bad_path(&i.path) || i.line == 0 || i.message.len() > MAX_BODY {
                bail!("the plan has an invalid finding on {:?}", i.path);
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::Draft;

    fn finding(
        rule: &'static str,
        line: usize,
        end: usize,
        subject: &str,
        sug: Option<&str>,
    ) -> Finding {
        let mut d = Draft::new(rule, line, format!("{rule} message"))
            .end_line(end)
            .subject(subject);
        if let Some(s) = sug {
            d = d.suggestion(s);
        }
        d.finish("m/README.md", Severity::Error)
    }

    fn input(findings: Vec<Finding>, changed: ChangedLines, prior: Vec<PriorComment>) -> PlanInput {
        PlanInput {
            repository: "o/r".into(),
            pull_number: 7,
            head_sha: "abcdef1234".into(),
            run_key: "k".into(),
            fail_on: FailOn::Error,
            cards: vec![CardInput {
                path: "m/README.md".into(),
                findings,
                changed,
            }],
            unknown_paths: BTreeSet::new(),
            notes: vec![],
            prior,
        }
    }

    #[test]
    fn inline_only_on_changed_lines() {
        let changed = ChangedLines::from_patch("@@ -1,2 +1,3 @@\n a\n+b\n c");
        let f1 = finding("placeholder", 2, 2, "x", Some("fixed"));
        let f2 = finding("missing-section", 9, 9, "y", None);
        let plan = build_plan(&input(vec![f1, f2], changed, vec![]));
        assert_eq!(plan.comments.len(), 1);
        assert_eq!(plan.comments[0].line, 2);
        assert!(plan.comments[0].body.contains("```suggestion\nfixed\n```"));
        assert_eq!(plan.items.len(), 2);
        assert!(!plan.items[1].inline);
        assert_eq!(plan.conclusion, Conclusion::Failure);
    }

    #[test]
    fn rerun_posts_nothing_and_marks_fixed() {
        let changed = ChangedLines::all(10);
        let f1 = finding("placeholder", 2, 2, "x", None);
        let f2 = finding("placeholder", 3, 3, "y", None);
        let first = build_plan(&input(
            vec![f1.clone(), f2.clone()],
            changed.clone(),
            vec![],
        ));
        let prior: Vec<PriorComment> = first
            .comments
            .iter()
            .enumerate()
            .map(|(i, c)| PriorComment::parse(i as u64 + 1, &c.path, &c.body).unwrap())
            .collect();
        let again = build_plan(&input(vec![f1.clone(), f2], changed.clone(), prior.clone()));
        assert!(again.comments.is_empty());
        assert!(again.fixed.is_empty());
        let after_fix = build_plan(&input(vec![f1], changed, prior));
        assert!(after_fix.comments.is_empty());
        assert_eq!(after_fix.fixed.len(), 1);
        assert_eq!(after_fix.fixed[0].id, 2);
        assert!(after_fix.fixed[0].body.contains(FIXED_MARKER));
        assert!(
            PriorComment::parse(2, "m/README.md", &after_fix.fixed[0].body)
                .unwrap()
                .fixed
        );
    }

    #[test]
    fn multi_line_spans_stay_in_one_hunk() {
        let changed =
            ChangedLines::from_patch("@@ -1,2 +1,3 @@\n a\n+b\n+c\n@@ -10,1 +11,2 @@\n x\n+y");
        let inside = finding("heading-level", 2, 3, "a", Some("x\ny"));
        let across = finding("template-text", 3, 12, "b", Some("z"));
        let plan = build_plan(&input(vec![inside, across], changed, vec![]));
        assert_eq!(plan.comments[0].start_line, Some(2));
        assert_eq!(plan.comments[0].line, 3);
        assert_eq!(plan.comments[1].start_line, None);
        assert_eq!(plan.comments[1].line, 3);
        assert!(!plan.comments[1].body.contains("suggestion"));
    }

    #[test]
    fn fences_outgrow_backticks() {
        assert_eq!(fence_for("plain"), "```");
        assert_eq!(fence_for("a ```` b"), "`````");
    }

    #[test]
    fn plan_validation_rejects_tampering() {
        let plan = build_plan(&input(
            vec![finding("placeholder", 2, 2, "x", None)],
            ChangedLines::all(5),
            vec![],
        ));
        assert!(plan.validate("o/r", 7, "abcdef1234").is_ok());
        assert!(plan.validate("o/r", 8, "abcdef1234").is_err());
        assert!(plan.validate("o/r", 7, "other").is_err());
        assert!(plan.validate("x/y", 7, "abcdef1234").is_err());
        let mut bad = plan.clone();
        bad.comments[0].path = "../etc".into();
        assert!(bad.validate("o/r", 7, "abcdef1234").is_err());
        let mut bad = plan.clone();
        bad.comments[0].body = "spam".into();
        assert!(bad.validate("o/r", 7, "abcdef1234").is_err());
        let json = serde_json::to_string(&plan).unwrap();
        let back: ReviewPlan = serde_json::from_str(&json).unwrap();
        assert_eq!(back, plan);
    }
}
