//! A thin client over octocrab's raw requests: our own request bodies (octocrab's
//! typed review comments send `null`s GitHub rejects), bounded retries for 5xx and
//! time-outs, waits for rate limits as GitHub's headers say, and a call counter.
//! The token goes to octocrab once and is never logged.

use anyhow::{Context, Result};
use http::{Method, StatusCode};
use http_body_util::BodyExt;
use serde_json::Value;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

#[derive(Debug, Clone)]
pub struct RetryPolicy {
    /// Attempts for one request (first try included).
    pub attempts: u32,
    /// First back-off after a 5xx or time-out; doubles each time.
    pub base_delay: Duration,
    /// The longest a rate limit may make us wait, in total, before giving up.
    pub max_wait: Duration,
    pub timeout: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            attempts: 4,
            base_delay: Duration::from_millis(1000),
            max_wait: Duration::from_secs(120),
            timeout: Duration::from_secs(30),
        }
    }
}

impl RetryPolicy {
    /// Test and CI knobs: MODELCARD_REVIEW_RETRY_BASE_MS, MODELCARD_REVIEW_MAX_WAIT_SECS,
    /// MODELCARD_REVIEW_TIMEOUT_SECS.
    pub fn from_env() -> RetryPolicy {
        let mut p = RetryPolicy::default();
        let num = |k: &str| {
            std::env::var(k)
                .ok()
                .and_then(|v| v.trim().parse::<u64>().ok())
        };
        if let Some(ms) = num("MODELCARD_REVIEW_RETRY_BASE_MS") {
            p.base_delay = Duration::from_millis(ms);
        }
        if let Some(s) = num("MODELCARD_REVIEW_MAX_WAIT_SECS") {
            p.max_wait = Duration::from_secs(s);
        }
        if let Some(s) = num("MODELCARD_REVIEW_TIMEOUT_SECS") {
            p.timeout = Duration::from_secs(s.max(1));
        }
        p
    }
}

/// An answer from GitHub.
#[derive(Debug)]
pub struct Reply {
    pub status: StatusCode,
    pub body: String,
    pub link: Option<String>,
}

impl Reply {
    pub fn json(&self) -> Result<Value> {
        serde_json::from_str(&self.body).with_context(|| {
            format!(
                "GitHub answered {} with a body that is not JSON",
                self.status
            )
        })
    }

    pub fn ok(&self) -> bool {
        self.status.is_success()
    }

    /// GitHub's own message (`{"message": …}`), for logs and errors.
    pub fn message(&self) -> String {
        let v = serde_json::from_str::<Value>(&self.body).ok();
        let field = |k: &str| {
            v.as_ref()
                .and_then(|v| v.get(k))
                .and_then(|m| m.as_str())
                .map(str::to_string)
        };
        let mut msg = field("message")
            .or_else(|| field("title"))
            .unwrap_or_else(|| crate::text::ellipsize(&self.body, 200));
        // GitHub's validation errors (and a validating proxy's) say what was wrong.
        for key in ["errors", "validation"] {
            if let Some(e) = v.as_ref().and_then(|v| v.get(key)) {
                msg.push_str(&format!(
                    " ({})",
                    crate::text::ellipsize(&e.to_string(), 600)
                ));
            }
        }
        msg
    }
}

/// A request that failed after its retries, or could not be sent at all.
#[derive(Debug)]
pub enum ApiError {
    Status(Reply),
    Transport(String),
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ApiError::Status(r) => write!(f, "GitHub answered {}: {}", r.status, r.message()),
            ApiError::Transport(e) => write!(f, "could not reach GitHub: {e}"),
        }
    }
}

impl std::error::Error for ApiError {}

impl ApiError {
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            ApiError::Status(r) => Some(r.status),
            ApiError::Transport(_) => None,
        }
    }
    /// 5xx or no answer: the request may or may not have taken effect.
    pub fn is_uncertain(&self) -> bool {
        match self {
            ApiError::Status(r) => r.status.is_server_error(),
            ApiError::Transport(_) => true,
        }
    }
}

pub struct Api {
    oc: octocrab::Octocrab,
    pub repo: String,
    pub policy: RetryPolicy,
    calls: AtomicUsize,
}

enum Outcome {
    Done(Reply),
    Retry {
        wait: Duration,
        why: String,
        reply: Option<Reply>,
    },
}

impl Api {
    pub fn new(api_url: &str, token: &str, repo: &str, policy: RetryPolicy) -> Result<Api> {
        let oc = octocrab::Octocrab::builder()
            .base_uri(api_url)
            .with_context(|| format!("GITHUB_API_URL {api_url:?} is not a valid URL"))?
            .personal_token(token.to_string())
            .set_connect_timeout(Some(policy.timeout))
            .set_read_timeout(Some(policy.timeout))
            .set_write_timeout(Some(policy.timeout))
            .build()
            .context("cannot set up the GitHub client")?;
        Ok(Api {
            oc,
            repo: repo.to_string(),
            policy,
            calls: AtomicUsize::new(0),
        })
    }

    /// Requests sent so far (retries included).
    pub fn calls(&self) -> usize {
        self.calls.load(Ordering::Relaxed)
    }

    /// `/repos/{owner}/{repo}` + `rest`.
    pub fn repo_path(&self, rest: &str) -> String {
        format!("/repos/{}{rest}", self.repo)
    }

    /// One request; also says how long to wait if the answer is a rate limit.
    async fn send_once(
        &self,
        method: &Method,
        path: &str,
        body: Option<&Value>,
    ) -> std::result::Result<(Reply, Option<Duration>), String> {
        self.calls.fetch_add(1, Ordering::Relaxed);
        let fut = async {
            let res = match *method {
                Method::GET => self.oc._get(path).await,
                Method::POST => self.oc._post(path, body).await,
                Method::PATCH => self.oc._patch(path, body).await,
                Method::DELETE => self.oc._delete(path, body).await,
                _ => unreachable!("methods we use"),
            }
            .map_err(|e| describe_octocrab_error(&e))?;
            let status = res.status();
            let headers = res.headers().clone();
            let bytes = res
                .into_body()
                .collect()
                .await
                .map_err(|e| format!("reading the answer failed: {}", describe_octocrab_error(&e)))?
                .to_bytes();
            Ok::<_, String>((status, headers, bytes))
        };
        let (status, headers, bytes) = tokio::time::timeout(self.policy.timeout, fut)
            .await
            .map_err(|_| format!("no answer within {}s", self.policy.timeout.as_secs()))??;
        let header = |k: &str| {
            headers
                .get(k)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string)
        };
        let reply = Reply {
            status,
            body: String::from_utf8_lossy(&bytes).into_owned(),
            link: header("link"),
        };
        let wait = rate_limit_wait(
            status,
            &reply.body,
            header("retry-after"),
            header("x-ratelimit-remaining"),
            header("x-ratelimit-reset"),
        );
        Ok((reply, wait))
    }

    async fn attempt(
        &self,
        method: &Method,
        path: &str,
        body: Option<&Value>,
        attempt: u32,
    ) -> Outcome {
        match self.send_once(method, path, body).await {
            Ok((r, rate_wait)) => {
                if let Some(wait) = rate_wait {
                    return Outcome::Retry {
                        wait,
                        why: format!("rate limited ({}): {}", r.status, r.message()),
                        reply: Some(r),
                    };
                }
                if r.status.is_server_error() {
                    let wait = self.policy.base_delay * 2u32.saturating_pow(attempt);
                    return Outcome::Retry {
                        wait,
                        why: format!("GitHub answered {}: {}", r.status, r.message()),
                        reply: Some(r),
                    };
                }
                Outcome::Done(r)
            }
            Err(e) => Outcome::Retry {
                wait: self.policy.base_delay * 2u32.saturating_pow(attempt),
                why: e,
                reply: None,
            },
        }
    }

    /// Sends a request, retrying 5xx, time-outs and rate limits within the policy.
    /// Not for requests that must not be repeated blindly (see `send_no_retry`).
    pub async fn send(
        &self,
        method: Method,
        path: &str,
        body: Option<&Value>,
    ) -> std::result::Result<Reply, ApiError> {
        let mut waited = Duration::ZERO;
        let mut last: Option<ApiError> = None;
        for attempt in 0..self.policy.attempts {
            match self.attempt(&method, path, body, attempt).await {
                Outcome::Done(r) if r.ok() => return Ok(r),
                Outcome::Done(r) => return Err(ApiError::Status(r)),
                Outcome::Retry { wait, why, reply } => {
                    last = Some(match reply {
                        Some(r) => ApiError::Status(r),
                        None => ApiError::Transport(why.clone()),
                    });
                    if attempt + 1 == self.policy.attempts || waited + wait > self.policy.max_wait {
                        break;
                    }
                    tracing::warn!(
                        "{method} {path}: {why}; retrying in {:.1}s",
                        wait.as_secs_f32()
                    );
                    tokio::time::sleep(wait).await;
                    waited += wait;
                }
            }
        }
        Err(last.unwrap_or_else(|| ApiError::Transport("no attempt made".into())))
    }

    /// One attempt, with rate-limit waits but without repeating on 5xx or time-outs:
    /// the caller checks whether the first attempt took effect before sending again.
    pub async fn send_no_retry(
        &self,
        method: Method,
        path: &str,
        body: Option<&Value>,
    ) -> std::result::Result<Reply, ApiError> {
        let mut waited = Duration::ZERO;
        loop {
            match self.attempt(&method, path, body, 0).await {
                Outcome::Done(r) if r.ok() => return Ok(r),
                Outcome::Done(r) => return Err(ApiError::Status(r)),
                Outcome::Retry { wait, why, reply } => {
                    let is_rate = reply.as_ref().is_some_and(|r| !r.status.is_server_error());
                    if !is_rate || waited + wait > self.policy.max_wait {
                        return Err(match reply {
                            Some(r) => ApiError::Status(r),
                            None => ApiError::Transport(why),
                        });
                    }
                    tracing::warn!("{method} {path}: {why}; waiting {:.1}s", wait.as_secs_f32());
                    tokio::time::sleep(wait).await;
                    waited += wait;
                }
            }
        }
    }

    pub async fn get(&self, path: &str) -> std::result::Result<Reply, ApiError> {
        self.send(Method::GET, path, None).await
    }

    /// Follows `per_page=100` pages until a short page, no `next` link, or `max_pages`.
    /// Returns the items and whether the list was cut at `max_pages`.
    pub async fn get_pages(
        &self,
        path: &str,
        max_pages: usize,
    ) -> std::result::Result<(Vec<Value>, bool), ApiError> {
        let sep = if path.contains('?') { '&' } else { '?' };
        let mut items = Vec::new();
        for page in 1..=max_pages {
            let r = self
                .get(&format!("{path}{sep}per_page=100&page={page}"))
                .await?;
            let v: Value = serde_json::from_str(&r.body).map_err(|e| {
                ApiError::Transport(format!("GitHub sent a page that is not JSON: {e}"))
            })?;
            let arr = match v {
                Value::Array(a) => a,
                _ => {
                    return Err(ApiError::Transport(format!(
                        "GitHub sent no list for {path}"
                    )))
                }
            };
            let n = arr.len();
            items.extend(arr);
            let has_next = r
                .link
                .as_deref()
                .is_some_and(|l| l.contains("rel=\"next\""));
            if n < 100 && !has_next {
                return Ok((items, false));
            }
            if n == 0 {
                return Ok((items, false));
            }
        }
        Ok((items, true))
    }
}

/// How long GitHub asks us to wait, if this answer is a rate limit: 429, or 403 with
/// `Retry-After`, an exhausted quota, or a secondary-rate-limit message.
fn rate_limit_wait(
    status: StatusCode,
    body: &str,
    retry_after: Option<String>,
    remaining: Option<String>,
    reset: Option<String>,
) -> Option<Duration> {
    let limited = status == StatusCode::TOO_MANY_REQUESTS
        || (status == StatusCode::FORBIDDEN
            && (retry_after.is_some()
                || remaining.as_deref() == Some("0")
                || body.to_ascii_lowercase().contains("rate limit")));
    if !limited {
        return None;
    }
    if let Some(s) = retry_after.and_then(|v| v.trim().parse::<u64>().ok()) {
        return Some(Duration::from_secs(s));
    }
    if remaining.as_deref() == Some("0") {
        if let Some(reset) = reset.and_then(|v| v.trim().parse::<u64>().ok()) {
            let now = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_secs())
                .unwrap_or(0);
            return Some(Duration::from_secs(reset.saturating_sub(now) + 1));
        }
    }
    // GitHub's advice for secondary limits without headers: wait at least a minute.
    Some(Duration::from_secs(60))
}

/// octocrab's errors, without anything that could carry request headers.
fn describe_octocrab_error(e: &octocrab::Error) -> String {
    match e {
        octocrab::Error::Hyper { source, .. } => format!("connection error: {source}"),
        octocrab::Error::Service { source, .. } => format!("connection error: {source}"),
        octocrab::Error::Http { source, .. } => format!("invalid request: {source}"),
        other => format!("{other}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rate_limits_are_recognised() {
        let w = |s: u16, body: &str, ra: Option<&str>, rem: Option<&str>| {
            rate_limit_wait(
                StatusCode::from_u16(s).unwrap(),
                body,
                ra.map(Into::into),
                rem.map(Into::into),
                None,
            )
        };
        assert_eq!(w(429, "", Some("3"), None), Some(Duration::from_secs(3)));
        assert_eq!(
            w(403, "You have exceeded a secondary rate limit", None, None),
            Some(Duration::from_secs(60))
        );
        assert_eq!(
            w(403, "Resource not accessible by integration", None, None),
            None
        );
        assert_eq!(w(404, "", None, None), None);
        assert!(w(403, "", None, Some("0")).is_some());
    }
}
