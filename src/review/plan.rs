//! The review planner: pure code that decides, from findings, changed lines and the
//! bot's earlier comments, what a run posts. It serialises to JSON (`mode: plan`) as a
//! preview for tooling; what is posted is always planned by the run that posts it.

use crate::diff::ChangedLines;
use crate::finding::{fingerprints, Counts, FailOn, Finding, Severity};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

pub const PLAN_VERSION: u32 = 2;
pub const FINDING_MARKER: &str = "<!-- modelcard-review:finding ";
pub const FIXED_MARKER: &str = "<!-- modelcard-review:fixed ";
pub const SUMMARY_MARKER: &str = "<!-- modelcard-review:summary -->";
pub const REVIEW_MARKER: &str = "<!-- modelcard-review:review ";

/// One card of the pull request, checked.
#[derive(Debug, Clone)]
pub struct CardInput {
    pub path: String,
    pub findings: Vec<Finding>,
    /// Findings the card's suppression comments silenced.
    pub suppressed: usize,
    pub changed: ChangedLines,
    /// The card's text at the head (empty when it is not text): an inserting
    /// suggestion repeats the line it goes after.
    pub text: String,
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
    /// New inline comments at most; the rest of the findings on changed lines go to
    /// the summary.
    pub max_comments: usize,
    /// Where the summary's line links point (`GITHUB_SERVER_URL`).
    pub server_url: String,
    /// Which config and template judged the cards, at which commit.
    pub settings: String,
    /// For a pull request that changes the hub's config or template: what that would
    /// do to the hub's existing cards, in one line.
    pub settings_impact: Option<String>,
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
    /// The template section the finding concerns, for the summary.
    pub section: Option<String>,
    /// Commented inline (by this run or an earlier one).
    pub inline: bool,
    /// `fix` clears it; or only `fix --unsafe-fixes` does.
    #[serde(default)]
    pub fixable: bool,
    #[serde(default)]
    pub unsafe_fix: bool,
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
    /// Findings on changed lines left for the summary by `max_comments`.
    pub held_back: usize,
    pub max_comments: usize,
    pub server_url: String,
    pub settings: String,
    /// See `PlanInput::settings_impact`.
    #[serde(default)]
    pub settings_impact: Option<String>,
    /// Findings silenced by suppression comments in the cards.
    pub suppressed: usize,
    /// Per card: findings `modelcard-review fix` would clear.
    pub fixable: Vec<(String, usize)>,
}

/// Decides what to post. Pure: same input, same plan.
pub fn build_plan(input: &PlanInput) -> ReviewPlan {
    // (index of the finding's summary item, the comment it would be)
    let mut candidates: Vec<(usize, PlannedComment)> = Vec::new();
    let mut items = Vec::new();
    let mut counts = Counts::default();
    let mut current: BTreeSet<(String, String)> = BTreeSet::new();
    let open_prior: BTreeMap<(&str, &str), &PriorComment> = input
        .prior
        .iter()
        .filter(|p| !p.fixed)
        .map(|p| ((p.path.as_str(), p.fingerprint.as_str()), p))
        .collect();

    let mut fixable: Vec<(String, usize)> = Vec::new();
    for card in &input.cards {
        let safe_fixes = card
            .findings
            .iter()
            .filter(|f| !f.unsafe_fix && !f.fix().is_empty())
            .count();
        if safe_fixes > 0 {
            fixable.push((card.path.clone(), safe_fixes));
        }
        for (f, fp) in card.findings.iter().zip(fingerprints(&card.findings)) {
            counts.add(f.severity);
            let fingerprint = fp.to_string();
            let already = open_prior.contains_key(&(card.path.as_str(), fingerprint.as_str()));
            let inserting = inserting_comment(f, &fingerprint, card);
            let on_changed_line = card.changed.is_added(f.line) || inserting.is_some();
            if !already && on_changed_line {
                let c =
                    inserting.unwrap_or_else(|| planned_comment(f, &fingerprint, &card.changed));
                candidates.push((items.len(), c));
            }
            current.insert((card.path.clone(), fingerprint));
            items.push(SummaryItem {
                path: card.path.clone(),
                line: f.line,
                end_line: f.end_line,
                severity: f.severity,
                rule: f.rule.to_string(),
                message: f.message.clone(),
                section: f.section.clone(),
                inline: already || on_changed_line,
                fixable: !f.fix().is_empty() && !f.unsafe_fix,
                unsafe_fix: !f.fix().is_empty() && f.unsafe_fix,
            });
        }
    }

    // The most severe first when there are more than `max_comments`; the rest are
    // listed in the summary, so nothing is dropped.
    let mut held_back = 0;
    if candidates.len() > input.max_comments {
        let mut order: Vec<usize> = (0..candidates.len()).collect();
        order.sort_by_key(|&i| std::cmp::Reverse(candidates[i].1.severity));
        let keep: BTreeSet<usize> = order.into_iter().take(input.max_comments).collect();
        let mut kept = Vec::with_capacity(input.max_comments);
        for (i, (item, comment)) in candidates.into_iter().enumerate() {
            if keep.contains(&i) {
                kept.push((item, comment));
            } else {
                items[item].inline = false;
                held_back += 1;
            }
        }
        candidates = kept;
    }
    let comments = candidates.into_iter().map(|(_, c)| c).collect();

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
        held_back,
        max_comments: input.max_comments,
        server_url: input.server_url.clone(),
        settings: input.settings.clone(),
        settings_impact: input.settings_impact.clone(),
        suppressed: input.cards.iter().map(|c| c.suppressed).sum(),
        fixable,
    }
}

/// A missing section, field or entry whose insertion point lies in a hunk of the
/// diff: a comment on the line it goes after, whose suggestion repeats that line and
/// adds the new ones, so **Commit suggestion** inserts them.
fn inserting_comment(f: &Finding, fingerprint: &str, card: &CardInput) -> Option<PlannedComment> {
    let [edit] = f.fix().try_into().ok()?;
    if !edit.is_insertion() || edit.line < 2 || f.unsafe_fix {
        return None;
    }
    let anchor = edit.line - 1;
    if !card.changed.same_hunk(anchor, anchor) {
        return None;
    }
    let anchor_text = card.text.lines().nth(anchor - 1)?.trim_end_matches('\r');
    let mut suggestion = anchor_text.to_string();
    for l in &edit.lines {
        suggestion.push('\n');
        suggestion.push_str(l);
    }
    Some(PlannedComment {
        path: f.path.to_string(),
        line: anchor,
        start_line: None,
        body: comment_body(f, fingerprint, Some(&suggestion)),
        fingerprint: fingerprint.to_string(),
        severity: f.severity,
        rule: f.rule.to_string(),
        message: f.message.clone(),
    })
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

pub use crate::text::fence_for;

/// A message and a suggestion within these, with the frame around them, keep a
/// comment far under GitHub's 65,536 characters.
const MAX_MESSAGE_BYTES: usize = 16_000;
const MAX_SUGGESTION_BYTES: usize = 40_000;

pub fn comment_body(f: &Finding, fingerprint: &str, suggestion: Option<&str>) -> String {
    let icon = match f.severity {
        Severity::Error => "🛑",
        Severity::Warning => "⚠️",
        Severity::Notice => "ℹ️",
    };
    let mut s = format!(
        "{icon} **{}** · `{}`\n\n{}\n",
        f.severity,
        f.rule,
        crate::text::cut_markdown(&f.message, MAX_MESSAGE_BYTES)
    );
    // GitHub refuses a body over 65,536 characters: a suggestion that long is left
    // to `fix`, which applies it.
    if let Some(sug) = suggestion.filter(|s| s.len() > MAX_SUGGESTION_BYTES) {
        s.push_str(&format!(
            "\nThe suggested fix ({} characters) is too long to show here: `modelcard-review fix` applies it.\n",
            sug.chars().count()
        ));
    } else if let Some(sug) = suggestion {
        let fence = fence_for(sug);
        s.push_str(&format!(
            "\nSuggested fix (click **Commit suggestion** to apply it):\n\n{fence}suggestion\n{sug}\n{fence}\n"
        ));
    }
    s.push_str(&format!(
        "\n<sub>`modelcard-review rules` explains every rule; run {} to see this before you push.</sub>\n{FINDING_MARKER}{} -->",
        crate::text::code_whole(&format!("modelcard-review check {}", f.path)),
        fingerprint
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
                suppressed: 0,
                changed,
                text: String::new(),
            }],
            unknown_paths: BTreeSet::new(),
            notes: vec![],
            prior,
            max_comments: 30,
            server_url: "https://github.com".into(),
            settings: "default settings".into(),
            settings_impact: None,
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
    fn at_most_max_comments_the_most_severe_first() {
        let findings: Vec<Finding> = (1..=40)
            .map(|i| {
                let sev = if i % 4 == 0 {
                    Severity::Error
                } else {
                    Severity::Notice
                };
                Draft::new("placeholder", i, format!("p{i}"))
                    .subject(i.to_string())
                    .finish("m/README.md", sev)
            })
            .collect();
        let mut inp = input(findings, ChangedLines::all(50), vec![]);
        inp.max_comments = 12;
        let plan = build_plan(&inp);
        assert_eq!(plan.comments.len(), 12);
        assert_eq!(plan.held_back, 28);
        // All ten errors are inline, then two notices; in line order.
        let errors = plan
            .comments
            .iter()
            .filter(|c| c.severity == Severity::Error);
        assert_eq!(errors.count(), 10);
        assert!(plan.comments.windows(2).all(|w| w[0].line < w[1].line));
        assert_eq!(plan.items.iter().filter(|i| i.inline).count(), 12);
        inp.max_comments = 0;
        let plan = build_plan(&inp);
        assert!(plan.comments.is_empty());
        assert_eq!(plan.held_back, 40);
    }

    #[test]
    fn plans_round_trip_as_json() {
        let plan = build_plan(&input(
            vec![finding("placeholder", 2, 2, "x", None)],
            ChangedLines::all(5),
            vec![],
        ));
        let json = serde_json::to_string(&plan).unwrap();
        let back: ReviewPlan = serde_json::from_str(&json).unwrap();
        assert_eq!(back, plan);
    }
}
