//! Publishes a plan: exactly one review, edits of fixed comments, the summary comment
//! updated in place, and a check run — or a commit status where check runs are
//! refused. Every write failure has a defined fallback, and nothing is posted twice.
//!
//! When GitHub refuses the review (422), the comments it refuses are found with
//! *pending* reviews, which nobody but their author sees: each probe is created and
//! deleted at once (GitHub allows one pending review per user and pull request), and
//! then the one real review is posted with the comments GitHub takes.

use super::client::{Api, ApiError};
use crate::finding::Severity;
use crate::review::markdown::{self, COMMENT_LIMIT};
use crate::review::plan::{PlannedComment, PriorComment, ReviewPlan, REVIEW_MARKER};
use http::{Method, StatusCode};
use serde_json::{json, Value};
use std::collections::HashSet;

/// GitHub takes 50 annotations per check run request: the check run carries the 50
/// most severe, in one request, so API calls do not grow with the findings; every
/// finding is in the summary anyway.
pub const MAX_ANNOTATIONS: usize = 50;
pub const CHECK_NAME: &str = "modelcard-review";

#[derive(Debug, Default)]
pub struct PublishReport {
    pub comments_posted: usize,
    pub reviews_posted: usize,
    /// Comments GitHub refused, listed in the summary instead.
    pub moved: Vec<PlannedComment>,
    pub fixed_marked: usize,
    pub summary_comment: Option<u64>,
    pub check: CheckOutcome,
    /// The token could not write: the run falls back to annotations and the job summary.
    pub read_only: bool,
    /// GitHub refused the review once and the comments were probed.
    pub probed: bool,
    pub notes: Vec<String>,
    pub summary_markdown: String,
}

#[derive(Debug, Default, PartialEq, Eq)]
pub enum CheckOutcome {
    #[default]
    NotTried,
    CheckRun(u64),
    CommitStatus,
    Failed(String),
}

fn is_permission(e: &ApiError) -> bool {
    matches!(
        e.status(),
        Some(StatusCode::FORBIDDEN) | Some(StatusCode::NOT_FOUND) | Some(StatusCode::UNAUTHORIZED)
    )
}

/// The request body for a review; `event` None makes a pending review (a probe).
fn review_body(
    plan: &ReviewPlan,
    batch: &[PlannedComment],
    key: &str,
    event: Option<&str>,
) -> Value {
    let comments: Vec<Value> = batch
        .iter()
        .map(|c| {
            let mut o = json!({ "path": c.path, "line": c.line, "side": "RIGHT", "body": c.body });
            if let Some(s) = c.start_line {
                o["start_line"] = json!(s);
                o["start_side"] = json!("RIGHT");
            }
            o
        })
        .collect();
    let Some(event) = event else {
        return json!({
            "commit_id": plan.head_sha,
            "body": "modelcard-review is checking which comments GitHub accepts; this pending review is deleted at once.",
            "comments": comments,
        });
    };
    let errors = batch
        .iter()
        .filter(|c| c.severity == Severity::Error)
        .count();
    let body = format!(
        "modelcard-review found {} on lines this pull request changed ({} to fix before the card can be accepted). Each comment says what is wrong and how to fix it; the summary comment lists everything.\n\n{REVIEW_MARKER}{key} -->",
        match batch.len() {
            1 => "1 problem".to_string(),
            n => format!("{n} problems"),
        },
        match errors {
            1 => "1 error".to_string(),
            n => format!("{n} errors"),
        }
    );
    json!({ "commit_id": plan.head_sha, "body": body, "event": event, "comments": comments })
}

/// The bot's reviews on the pull request (GitHub shows a pending review only to its
/// author, so every pending one listed is the bot's own).
async fn list_reviews(api: &Api, plan: &ReviewPlan) -> Option<Vec<Value>> {
    match api
        .get_pages(
            &api.repo_path(&format!("/pulls/{}/reviews", plan.pull_number)),
            30,
        )
        .await
    {
        Ok((reviews, _)) => Some(reviews),
        Err(e) => {
            tracing::warn!("cannot list the pull request's reviews: {e}");
            None
        }
    }
}

/// Deletes the bot's pending reviews: one left by an interrupted run blocks every
/// new review. Returns how many were deleted.
async fn clear_pending(api: &Api, plan: &ReviewPlan) -> usize {
    let Some(reviews) = list_reviews(api, plan).await else {
        return 0;
    };
    let mut deleted = 0;
    for r in reviews {
        if r.get("state").and_then(Value::as_str) != Some("PENDING") {
            continue;
        }
        let Some(id) = r.get("id").and_then(Value::as_u64) else {
            continue;
        };
        match delete_review(api, plan, id).await {
            Ok(()) => deleted += 1,
            Err(e) => tracing::warn!("cannot delete the pending review {id}: {e}"),
        }
    }
    deleted
}

async fn delete_review(api: &Api, plan: &ReviewPlan, id: u64) -> Result<(), ApiError> {
    api.send(
        Method::DELETE,
        &api.repo_path(&format!("/pulls/{}/reviews/{id}", plan.pull_number)),
        None,
    )
    .await
    .map(|_| ())
}

/// Was a review with this key created (an earlier attempt that got a 5xx)?
async fn review_exists(api: &Api, plan: &ReviewPlan, key: &str) -> bool {
    let marker = format!("{REVIEW_MARKER}{key} -->");
    list_reviews(api, plan).await.is_some_and(|reviews| {
        reviews.iter().any(|r| {
            r.get("body")
                .and_then(Value::as_str)
                .is_some_and(|b| b.contains(&marker))
        })
    })
}

enum Posted {
    Ok,
    Rejected,
    ReadOnly(String),
    Failed(String),
}

/// Posts the review; after a 5xx or time-out, checks whether it was created before
/// sending it again.
async fn post_review(api: &Api, plan: &ReviewPlan, batch: &[PlannedComment], key: &str) -> Posted {
    let path = api.repo_path(&format!("/pulls/{}/reviews", plan.pull_number));
    let body = review_body(plan, batch, key, Some("COMMENT"));
    let attempts = api.policy.attempts.max(1);
    for attempt in 0..attempts {
        match api.send_no_retry(Method::POST, &path, Some(&body)).await {
            Ok(_) => return Posted::Ok,
            Err(e) if e.status() == Some(StatusCode::UNPROCESSABLE_ENTITY) => {
                tracing::warn!(
                    "GitHub refused a review with {} comment(s): {e}",
                    batch.len()
                );
                return Posted::Rejected;
            }
            Err(e) if is_permission(&e) => return Posted::ReadOnly(e.to_string()),
            Err(e) if e.is_uncertain() => {
                tracing::warn!("posting the review: {e}; checking whether it was created");
                if review_exists(api, plan, key).await {
                    return Posted::Ok;
                }
                if attempt + 1 < attempts {
                    tokio::time::sleep(api.policy.base_delay * 2u32.saturating_pow(attempt)).await;
                }
            }
            Err(e) => return Posted::Failed(e.to_string()),
        }
    }
    Posted::Failed("GitHub did not take the review after several attempts".into())
}

enum Probe {
    Accepted,
    Refused,
    Failed(String),
}

/// Would GitHub take these comments? Asked with a pending review, deleted at once.
async fn probe(api: &Api, plan: &ReviewPlan, batch: &[PlannedComment]) -> Probe {
    let path = api.repo_path(&format!("/pulls/{}/reviews", plan.pull_number));
    let body = review_body(plan, batch, "", None);
    let mut cleared = false;
    loop {
        match api.send_no_retry(Method::POST, &path, Some(&body)).await {
            Ok(r) => {
                let id = r
                    .json()
                    .ok()
                    .and_then(|v| v.get("id").and_then(Value::as_u64));
                let deleted = match id {
                    Some(id) => delete_review(api, plan, id).await.is_ok(),
                    None => false,
                };
                if !deleted {
                    clear_pending(api, plan).await;
                }
                return Probe::Accepted;
            }
            // Another pending review of ours is in the way (a probe whose answer was
            // lost): clear it once and ask again.
            Err(e)
                if !cleared
                    && (e.status() == Some(StatusCode::UNPROCESSABLE_ENTITY)
                        && e.to_string()
                            .to_ascii_lowercase()
                            .contains("pending review")
                        || e.is_uncertain()) =>
            {
                tracing::warn!("probing comments: {e}; clearing pending reviews and asking again");
                cleared = true;
                clear_pending(api, plan).await;
            }
            Err(e) if e.status() == Some(StatusCode::UNPROCESSABLE_ENTITY) => {
                return Probe::Refused
            }
            Err(e) => return Probe::Failed(e.to_string()),
        }
    }
}

/// Splits a refused set of comments to find the ones GitHub refuses, one pending
/// probe at a time. Returns (accepted, refused), each in the plan's order.
async fn find_refused(
    api: &Api,
    plan: &ReviewPlan,
    comments: Vec<PlannedComment>,
    report: &mut PublishReport,
) -> (Vec<PlannedComment>, Vec<PlannedComment>) {
    let indexed: Vec<(usize, PlannedComment)> = comments.into_iter().enumerate().collect();
    let mut accepted = Vec::new();
    let mut refused = Vec::new();
    // (batch, known to be refused as a whole)
    let mut stack = vec![(indexed, true)];
    while let Some((batch, known_refused)) = stack.pop() {
        if !known_refused {
            let just: Vec<PlannedComment> = batch.iter().map(|(_, c)| c.clone()).collect();
            match probe(api, plan, &just).await {
                Probe::Accepted => {
                    accepted.extend(batch);
                    continue;
                }
                Probe::Refused => {}
                Probe::Failed(why) => {
                    report.notes.push(format!(
                        "Some inline comments could not be checked with GitHub ({why}); they are listed here."
                    ));
                    refused.extend(batch);
                    continue;
                }
            }
        }
        if batch.len() == 1 {
            refused.extend(batch);
            continue;
        }
        let mut left = batch;
        let right = left.split_off(left.len() / 2);
        stack.push((right, false));
        stack.push((left, false));
    }
    accepted.sort_by_key(|(i, _)| *i);
    refused.sort_by_key(|(i, _)| *i);
    (
        accepted.into_iter().map(|(_, c)| c).collect(),
        refused.into_iter().map(|(_, c)| c).collect(),
    )
}

/// Posts exactly one review with the comments GitHub takes; the others move to the
/// summary. Returns false when the token cannot write.
async fn post_the_review(api: &Api, plan: &ReviewPlan, report: &mut PublishReport) -> bool {
    let key = plan.run_key.clone();
    let deleted = clear_pending(api, plan).await;
    if deleted > 0 {
        tracing::info!("deleted {deleted} pending review(s) left by an interrupted run");
    }
    let mut comments = plan.comments.clone();
    loop {
        match post_review(api, plan, &comments, &key).await {
            Posted::Ok => {
                report.reviews_posted += 1;
                report.comments_posted += comments.len();
                return true;
            }
            Posted::Rejected if !report.probed => {
                report.probed = true;
                let (accepted, refused) = find_refused(api, plan, comments, report).await;
                report.moved.extend(refused);
                if accepted.is_empty() {
                    return true;
                }
                comments = accepted;
            }
            Posted::Rejected => {
                report.notes.push(
                    "GitHub refused the review even with the comments it had accepted; they are listed here.".into(),
                );
                report.moved.extend(comments);
                return true;
            }
            Posted::ReadOnly(why) => {
                report
                    .notes
                    .push(format!("Inline comments could not be posted ({why})."));
                report.read_only = true;
                report.moved.extend(comments);
                return false;
            }
            Posted::Failed(why) => {
                report.notes.push(format!(
                    "The inline comments could not be posted ({why}); they are listed here."
                ));
                report.moved.extend(comments);
                return true;
            }
        }
    }
}

pub async fn publish(
    api: &Api,
    plan: &ReviewPlan,
    prior: &[PriorComment],
    summary_comment: Option<u64>,
) -> PublishReport {
    let mut report = PublishReport::default();

    // 1. The review: exactly one.
    if !plan.comments.is_empty() {
        post_the_review(api, plan, &mut report).await;
    }

    // 2. Earlier comments whose finding is gone: only the bot's own, as re-read now.
    if !report.read_only {
        let ours: HashSet<u64> = prior.iter().filter(|p| !p.fixed).map(|p| p.id).collect();
        for f in &plan.fixed {
            if !ours.contains(&f.id) {
                tracing::warn!(
                    "comment {} is not an open modelcard-review comment; left alone",
                    f.id
                );
                continue;
            }
            match api
                .send(
                    Method::PATCH,
                    &api.repo_path(&format!("/pulls/comments/{}", f.id)),
                    Some(&json!({ "body": f.body })),
                )
                .await
            {
                Ok(_) => report.fixed_marked += 1,
                Err(e) if is_permission(&e) => {
                    report.read_only = true;
                    break;
                }
                Err(e) => report
                    .notes
                    .push(format!("A fixed comment could not be marked ({e}).")),
            }
        }
    }

    // 3. The summary comment, updated in place.
    let summary = markdown::summary(plan, &report.moved, &report.notes, COMMENT_LIMIT);
    report.summary_markdown = summary.clone();
    if !report.read_only {
        let body = json!({ "body": summary });
        let updated = match summary_comment {
            Some(id) => match api
                .send(
                    Method::PATCH,
                    &api.repo_path(&format!("/issues/comments/{id}")),
                    Some(&body),
                )
                .await
            {
                Ok(_) => Some(id),
                Err(e) if e.status() == Some(StatusCode::NOT_FOUND) => None,
                Err(e) if is_permission(&e) => {
                    report.read_only = true;
                    Some(id)
                }
                Err(e) => {
                    report
                        .notes
                        .push(format!("The summary comment could not be updated ({e})."));
                    Some(id)
                }
            },
            None => None,
        };
        // A pull request that never touched a card (nor the hub's settings) gets no
        // comment, only the check.
        let nothing_to_say = plan.cards.is_empty()
            && plan.fixed.is_empty()
            && plan.settings_impact.is_none()
            && summary_comment.is_none();
        if updated.is_none() && !report.read_only && !nothing_to_say {
            match create_summary(api, plan, &body).await {
                Ok(id) => report.summary_comment = id,
                Err(e) if is_permission(&e) => report.read_only = true,
                Err(e) => report
                    .notes
                    .push(format!("The summary comment could not be posted ({e}).")),
            }
        } else {
            report.summary_comment = updated;
        }
    }

    // 4. The check: a check run, or a commit status where check runs are refused.
    report.check = publish_check(api, plan, &summary).await;
    if matches!(report.check, CheckOutcome::Failed(_))
        && report.comments_posted == 0
        && report.summary_comment.is_none()
    {
        report.read_only = true;
    }
    report
}

fn annotation(i: &crate::review::plan::SummaryItem) -> Value {
    json!({
        "path": i.path,
        "start_line": i.line,
        "end_line": i.end_line.max(i.line),
        "annotation_level": match i.severity { Severity::Error => "failure", Severity::Warning => "warning", Severity::Notice => "notice" },
        "title": i.rule,
        "message": crate::text::ellipsize(&i.message, 60_000),
    })
}

async fn publish_check(api: &Api, plan: &ReviewPlan, summary: &str) -> CheckOutcome {
    let title = markdown::title(plan);
    let mut most_severe: Vec<&crate::review::plan::SummaryItem> = plan.items.iter().collect();
    most_severe.sort_by_key(|i| std::cmp::Reverse(i.severity));
    let annotations: Vec<Value> = most_severe
        .into_iter()
        .take(MAX_ANNOTATIONS)
        .map(annotation)
        .collect();
    let body = json!({
        "name": CHECK_NAME,
        "head_sha": plan.head_sha,
        "status": "completed",
        "conclusion": plan.conclusion.as_str(),
        "external_id": plan.run_key,
        "output": { "title": title, "summary": summary, "annotations": annotations },
    });
    match create_check_run(api, plan, &body).await {
        Ok(id) => CheckOutcome::CheckRun(id),
        Err(e) if is_permission(&e) => {
            tracing::info!("check runs are refused ({e}); setting a commit status instead");
            let state = plan.conclusion.as_str();
            let body = json!({
                "state": state,
                "context": CHECK_NAME,
                "description": crate::text::ellipsize(&title, 139),
            });
            match api
                .send(
                    Method::POST,
                    &api.repo_path(&format!("/statuses/{}", plan.head_sha)),
                    Some(&body),
                )
                .await
            {
                Ok(_) => CheckOutcome::CommitStatus,
                Err(e) => CheckOutcome::Failed(e.to_string()),
            }
        }
        Err(e) => CheckOutcome::Failed(e.to_string()),
    }
}

/// Creates something a POST must not create twice: one attempt at a time; after a
/// 5xx or time-out, `find` looks for what the attempt may have created.
async fn create_once<F, Fut>(
    api: &Api,
    path: &str,
    body: &Value,
    find: F,
) -> Result<Option<u64>, ApiError>
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = Option<u64>>,
{
    let attempts = api.policy.attempts.max(1);
    let mut last = None;
    for attempt in 0..attempts {
        match api.send_no_retry(Method::POST, path, Some(body)).await {
            Ok(r) => {
                return Ok(r
                    .json()
                    .ok()
                    .and_then(|v| v.get("id").and_then(Value::as_u64)))
            }
            Err(e) if e.is_uncertain() => {
                tracing::warn!("POST {path}: {e}; checking whether it was created");
                if let Some(id) = find().await {
                    return Ok(Some(id));
                }
                last = Some(e);
                if attempt + 1 < attempts {
                    tokio::time::sleep(api.policy.base_delay * 2u32.saturating_pow(attempt)).await;
                }
            }
            Err(e) => return Err(e),
        }
    }
    Err(last.unwrap_or_else(|| ApiError::Transport("no attempt made".into())))
}

async fn create_summary(
    api: &Api,
    plan: &ReviewPlan,
    body: &Value,
) -> Result<Option<u64>, ApiError> {
    let path = api.repo_path(&format!("/issues/{}/comments", plan.pull_number));
    create_once(api, &path, body, || async {
        let (comments, _) = api.get_pages(&path, 50).await.ok()?;
        comments.iter().find_map(|c| {
            let b = c.get("body")?.as_str()?;
            b.starts_with(crate::review::plan::SUMMARY_MARKER)
                .then(|| c.get("id")?.as_u64())?
        })
    })
    .await
}

async fn create_check_run(api: &Api, plan: &ReviewPlan, body: &Value) -> Result<u64, ApiError> {
    let path = api.repo_path("/check-runs");
    let id = create_once(api, &path, body, || async {
        let r = api
            .get(&api.repo_path(&format!(
                "/commits/{}/check-runs?check_name={CHECK_NAME}",
                plan.head_sha
            )))
            .await
            .ok()?;
        let v = r.json().ok()?;
        v.get("check_runs")?.as_array()?.iter().find_map(|c| {
            (c.get("external_id")?.as_str()? == plan.run_key).then(|| c.get("id")?.as_u64())?
        })
    })
    .await?;
    Ok(id.unwrap_or(0))
}

/// The hub's settings cannot be used: the summary comment says so (updated in place)
/// and the check fails. No review.
pub async fn settings_failure(
    api: &Api,
    pull_number: u64,
    head_sha: &str,
    run_key: &str,
    summary_comment: Option<u64>,
    summary: &str,
) -> CheckOutcome {
    let body = json!({ "body": summary });
    let updated = match summary_comment {
        Some(id) => api
            .send(
                Method::PATCH,
                &api.repo_path(&format!("/issues/comments/{id}")),
                Some(&body),
            )
            .await
            .is_ok(),
        None => false,
    };
    if !updated {
        if let Err(e) = api
            .send_no_retry(
                Method::POST,
                &api.repo_path(&format!("/issues/{pull_number}/comments")),
                Some(&body),
            )
            .await
        {
            tracing::warn!("the summary comment could not be posted: {e}");
        }
    }
    let title = "The hub's modelcard-review settings cannot be used";
    let check = json!({
        "name": CHECK_NAME,
        "head_sha": head_sha,
        "status": "completed",
        "conclusion": "failure",
        "external_id": run_key,
        "output": { "title": title, "summary": summary },
    });
    match api
        .send_no_retry(Method::POST, &api.repo_path("/check-runs"), Some(&check))
        .await
    {
        Ok(r) => CheckOutcome::CheckRun(
            r.json()
                .ok()
                .and_then(|v| v.get("id").and_then(Value::as_u64))
                .unwrap_or(0),
        ),
        Err(e) if is_permission(&e) => {
            let status = json!({ "state": "failure", "context": CHECK_NAME, "description": title });
            match api
                .send(
                    Method::POST,
                    &api.repo_path(&format!("/statuses/{head_sha}")),
                    Some(&status),
                )
                .await
            {
                Ok(_) => CheckOutcome::CommitStatus,
                Err(e) => CheckOutcome::Failed(e.to_string()),
            }
        }
        Err(e) => CheckOutcome::Failed(e.to_string()),
    }
}
