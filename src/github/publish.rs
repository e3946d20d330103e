//! Publishes a plan: one review (its comments in batches only when there are very
//! many), edits of fixed comments, the summary comment updated in place, and a check
//! run — or a commit status where check runs are refused. Every write failure has a
//! defined fallback, and nothing is posted twice.

use super::client::{Api, ApiError};
use crate::finding::Severity;
use crate::review::markdown::{self, COMMENT_LIMIT};
use crate::review::plan::{PlannedComment, PriorComment, ReviewPlan, REVIEW_MARKER};
use http::{Method, StatusCode};
use serde_json::{json, Value};
use std::collections::HashSet;

/// Comments in one review request.
pub const REVIEW_BATCH: usize = 50;
/// GitHub takes 50 annotations per check run request.
pub const ANNOTATION_BATCH: usize = 50;
/// Annotations on the check run at most; all findings are in the summary anyway.
pub const MAX_ANNOTATIONS: usize = 500;
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

/// The request body for one review: our own structs, no `null`s.
fn review_body(plan: &ReviewPlan, batch: &[PlannedComment], key: &str) -> Value {
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
    json!({ "commit_id": plan.head_sha, "body": body, "event": "COMMENT", "comments": comments })
}

/// Was a review with this key created (an earlier attempt that got a 5xx)?
async fn review_exists(api: &Api, plan: &ReviewPlan, key: &str) -> bool {
    let marker = format!("{REVIEW_MARKER}{key} -->");
    match api
        .get_pages(
            &api.repo_path(&format!("/pulls/{}/reviews", plan.pull_number)),
            30,
        )
        .await
    {
        Ok((reviews, _)) => reviews.iter().any(|r| {
            r.get("body")
                .and_then(Value::as_str)
                .is_some_and(|b| b.contains(&marker))
        }),
        Err(e) => {
            tracing::warn!("cannot list reviews to check for a duplicate: {e}");
            false
        }
    }
}

enum Posted {
    Ok,
    Rejected,
    ReadOnly(String),
    Failed(String),
}

/// Posts one review; after a 5xx or time-out, checks whether it was created before
/// sending it again.
async fn post_review(api: &Api, plan: &ReviewPlan, batch: &[PlannedComment], key: &str) -> Posted {
    let path = api.repo_path(&format!("/pulls/{}/reviews", plan.pull_number));
    let body = review_body(plan, batch, key);
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

/// Posts comments; on a 422, splits the batch to find the comments GitHub refuses,
/// which move to the summary. Returns false when the token cannot write.
async fn post_comments(
    api: &Api,
    plan: &ReviewPlan,
    batch: Vec<PlannedComment>,
    key: String,
    report: &mut PublishReport,
) -> bool {
    let mut stack = vec![(batch, key)];
    while let Some((batch, key)) = stack.pop() {
        match post_review(api, plan, &batch, &key).await {
            Posted::Ok => {
                report.reviews_posted += 1;
                report.comments_posted += batch.len();
            }
            Posted::Rejected if batch.len() > 1 => {
                let right = batch[batch.len() / 2..].to_vec();
                let left = batch[..batch.len() / 2].to_vec();
                stack.push((right, format!("{key}b")));
                stack.push((left, format!("{key}a")));
            }
            Posted::Rejected => report.moved.extend(batch),
            Posted::ReadOnly(why) => {
                report
                    .notes
                    .push(format!("Inline comments could not be posted ({why})."));
                report.read_only = true;
                report.moved.extend(batch);
                for (rest, _) in stack.drain(..) {
                    report.moved.extend(rest);
                }
                return false;
            }
            Posted::Failed(why) => {
                report.notes.push(format!(
                    "Some inline comments could not be posted ({why}); they are listed here."
                ));
                report.moved.extend(batch);
            }
        }
    }
    true
}

pub async fn publish(
    api: &Api,
    plan: &ReviewPlan,
    prior: &[PriorComment],
    summary_comment: Option<u64>,
) -> PublishReport {
    let mut report = PublishReport::default();

    // 1. The review.
    if !plan.comments.is_empty() {
        for (i, chunk) in plan.comments.chunks(REVIEW_BATCH).enumerate() {
            let key = format!("{}-{i}", plan.run_key);
            if !post_comments(api, plan, chunk.to_vec(), key, &mut report).await {
                let rest = plan
                    .comments
                    .chunks(REVIEW_BATCH)
                    .skip(i + 1)
                    .flatten()
                    .cloned();
                report.moved.extend(rest);
                break;
            }
        }
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
        // A pull request that never touched a card gets no comment, only the check.
        let nothing_to_say =
            plan.cards.is_empty() && plan.fixed.is_empty() && summary_comment.is_none();
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
    let annotations: Vec<Value> = plan
        .items
        .iter()
        .take(MAX_ANNOTATIONS)
        .map(annotation)
        .collect();
    let mut batches = annotations.chunks(ANNOTATION_BATCH);
    let first: Vec<Value> = batches.next().map(|b| b.to_vec()).unwrap_or_default();
    let output =
        |anns: Vec<Value>| json!({ "title": title, "summary": summary, "annotations": anns });
    let body = json!({
        "name": CHECK_NAME,
        "head_sha": plan.head_sha,
        "status": "completed",
        "conclusion": plan.conclusion.as_str(),
        "external_id": plan.run_key,
        "output": output(first),
    });
    match create_check_run(api, plan, &body).await {
        Ok(id) => {
            for batch in batches {
                let patch = json!({ "output": output(batch.to_vec()) });
                if let Err(e) = api
                    .send(
                        Method::PATCH,
                        &api.repo_path(&format!("/check-runs/{id}")),
                        Some(&patch),
                    )
                    .await
                {
                    tracing::warn!("adding annotations to the check run failed: {e}");
                    break;
                }
            }
            CheckOutcome::CheckRun(id)
        }
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
