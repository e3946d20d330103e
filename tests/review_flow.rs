//! The bot end to end: the real binary, run as GitHub Actions runs it, against a
//! stateful fake GitHub on 127.0.0.1.
#![cfg(feature = "github")]

mod support;

use serde_json::json;
use support::fake_github::{start, Fake, Fault};
use support::run::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn clean_card_passes_with_summary_and_check() {
    let mut fake = Fake::new(7, HEAD, BASE);
    fake.files.push(file(CARD, "added", None, Some(&good())));
    let (url, s) = start(fake).await;
    let r = review(&url, HEAD).await;
    assert_eq!(r.code, 0, "{}\n{}", r.stdout, r.stderr);
    let f = s.lock().unwrap();
    assert!(f.reviews.is_empty(), "no review for a clean card");
    assert_eq!(f.issue_comments.len(), 1);
    assert!(f.issue_comments[0]["body"]
        .as_str()
        .unwrap()
        .contains("No problems in 1 model card"));
    assert_eq!(f.check_runs.len(), 1);
    assert_eq!(f.check_runs[0]["run"]["conclusion"], "success");
    assert!(f
        .log
        .iter()
        .all(|l| l.authorization.as_deref() == Some(&format!("Bearer {TOKEN}"))));
    assert!(r.outputs.contains("conclusion=success"));
    assert!(r.outputs.contains("errors=0"));
    assert!(r.summary.contains("No problems in 1 model card"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn findings_inline_on_changed_lines_and_summary_for_the_rest() {
    let (base, head) = card_with_findings();
    let mut fake = Fake::new(7, HEAD, BASE);
    fake.files
        .push(file(CARD, "modified", Some(&base), Some(&head)));
    let (url, s) = start(fake).await;
    let r = review(&url, HEAD).await;
    assert_eq!(r.code, 1, "errors fail the run\n{}", r.stderr);
    let f = s.lock().unwrap();
    assert_eq!(f.reviews.len(), 1, "one review");
    assert_eq!(f.reviews[0]["commit_id"], HEAD);
    let comments = &f.review_comments;
    assert_eq!(comments.len(), 1, "{comments:#?}");
    let todo_line = head
        .lines()
        .position(|l| l.contains("Compute Region:** TODO"))
        .unwrap()
        + 1;
    assert_eq!(comments[0]["line"], todo_line);
    assert_eq!(comments[0]["path"], CARD);
    assert!(comments[0]["body"]
        .as_str()
        .unwrap()
        .contains("placeholder"));
    let summary = f.issue_comments[0]["body"].as_str().unwrap();
    assert!(summary.contains("missing-section"), "{summary}");
    assert!(summary.contains("Recommendations"));
    assert_eq!(f.check_runs[0]["run"]["conclusion"], "failure");
    let anns = f.check_runs[0]["annotations"].as_array().unwrap();
    assert_eq!(anns.len(), 2);
    assert!(r.outputs.contains("conclusion=failure"));
    assert!(r.outputs.contains("comments=1"));
    // The review request carried our own structs: no nulls anywhere.
    let post = f
        .log
        .iter()
        .find(|l| l.method == "POST" && l.path.ends_with("/reviews"))
        .unwrap();
    assert!(!post.body.to_string().contains("null"));
    assert_eq!(post.body["event"], "COMMENT");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rerun_posts_nothing_twice_and_a_fix_is_marked() {
    let (base, head) = card_with_findings();
    let head = head.replace(
        "- **Paper:** https://doi.org/10.1234/nucleiseg.2025",
        "- **Paper:** TBD",
    );
    let mut fake = Fake::new(7, HEAD, BASE);
    fake.files
        .push(file(CARD, "modified", Some(&base), Some(&head)));
    let (url, s) = start(fake).await;
    let first = review(&url, HEAD).await;
    assert_eq!(first.code, 1);
    let (reviews, comments, summary_id) = {
        let f = s.lock().unwrap();
        (
            f.reviews.len(),
            f.review_comments.len(),
            f.issue_comments[0]["id"].clone(),
        )
    };
    assert_eq!((reviews, comments), (1, 2));

    // Re-run on the same commit: nothing new is posted, the summary is edited in place.
    let writes_before = writes(&s);
    let again = review(&url, HEAD).await;
    assert_eq!(again.code, 1);
    {
        let f = s.lock().unwrap();
        assert_eq!(f.reviews.len(), 1, "no second review");
        assert_eq!(f.review_comments.len(), 2);
        assert_eq!(f.issue_comments.len(), 1, "one summary comment");
        assert_eq!(f.issue_comments[0]["id"], summary_id);
    }
    assert_eq!(
        calls(&s, "PATCH", &format!("/issues/comments/{summary_id}")),
        1
    );
    // Summary update + check run: the re-run writes two things only.
    assert_eq!(writes(&s) - writes_before, 2);

    // A push fixes the TBD: its comment is marked fixed, nothing else is posted.
    let fixed = head.replace(
        "- **Paper:** TBD",
        "- **Paper:** https://doi.org/10.1234/nucleiseg.2025",
    );
    {
        let mut f = s.lock().unwrap();
        f.head_sha = HEAD2.into();
        f.files[0].head = Some(fixed.into_bytes());
    }
    let third = review(&url, HEAD2).await;
    assert_eq!(third.code, 1, "the TODO is still there");
    let f = s.lock().unwrap();
    assert_eq!(f.reviews.len(), 1);
    assert_eq!(f.review_comments.len(), 2);
    let marked: Vec<_> = f
        .review_comments
        .iter()
        .filter(|c| c["body"].as_str().unwrap().contains("✅ **Fixed**"))
        .collect();
    assert_eq!(marked.len(), 1);
    assert!(marked[0]["body"].as_str().unwrap().contains("TBD"));
    let summary = f.issue_comments[0]["body"].as_str().unwrap();
    assert!(summary.contains("Fixed since the last review"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn api_calls_do_not_grow_with_findings() {
    async fn calls_for(head: String) -> (usize, usize) {
        let mut fake = Fake::new(7, HEAD, BASE);
        fake.files.push(file(CARD, "added", None, Some(&head)));
        let (url, s) = start(fake).await;
        review(&url, HEAD).await;
        let f = s.lock().unwrap();
        (f.log.len(), f.review_comments.len())
    }
    // Findings of as many causes: links to files that are not there (placeholders
    // in one section would be one finding).
    let links = |n: usize| {
        let extra: String = (0..n)
            .map(|i| format!("Run {i}: [log](runs/run-{i}.log)\n\n"))
            .collect();
        good().replace(
            "## Downstream Use\n\n",
            &format!("## Downstream Use\n\n{extra}"),
        )
    };
    let one = links(1);
    let many = links(8);
    let (c1, n1) = calls_for(one).await;
    let (c2, n2) = calls_for(many).await;
    assert_eq!(n1, 1);
    assert_eq!(n2, 8);
    assert_eq!(c1, c2, "API calls grew with the number of findings");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rename_delete_and_non_card_changes() {
    let mut fake = Fake::new(7, HEAD, BASE);
    let mut renamed = file(
        "models/nuclei-v2/README.md",
        "renamed",
        Some(&good()),
        Some(&good().replace("Germany", "TBD")),
    );
    renamed.previous_filename = Some(CARD.into());
    fake.files.push(renamed);
    fake.files
        .push(file("models/old/README.md", "removed", Some(&good()), None));
    fake.files.push(file(
        "README.md",
        "modified",
        Some("# Hub\n"),
        Some("# Hub\n\nTODO\n"),
    ));
    fake.files.push(file(
        "models/nuclei-v2/weights.txt",
        "added",
        None,
        Some("binary-ish"),
    ));
    let (url, s) = start(fake).await;
    let r = review(&url, HEAD).await;
    assert_eq!(r.code, 1);
    let f = s.lock().unwrap();
    // Only the renamed card was read: one blob.
    let blobs: Vec<_> = f
        .log
        .iter()
        .filter(|l| l.path.contains("/git/blobs/"))
        .collect();
    assert_eq!(blobs.len(), 1);
    assert_eq!(f.review_comments.len(), 1);
    assert_eq!(f.review_comments[0]["path"], "models/nuclei-v2/README.md");
    let summary = f.issue_comments[0]["body"].as_str().unwrap();
    assert!(
        summary.contains("models/old/README.md` is deleted"),
        "{summary}"
    );
    assert!(
        f.review_comments.iter().all(|c| c["path"] != "README.md"),
        "the hub's own README is not a card"
    );
    assert!(
        summary.contains("Not checked as model cards: `README.md` — set `paths` to change this."),
        "{summary}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn non_card_change_only_succeeds() {
    let mut fake = Fake::new(7, HEAD, BASE);
    fake.files.push(file(
        "README.md",
        "modified",
        Some("# Hub\n"),
        Some("# Hub\n\nTODO\n"),
    ));
    let (url, s) = start(fake).await;
    let r = review(&url, HEAD).await;
    assert_eq!(r.code, 0);
    let f = s.lock().unwrap();
    assert!(
        f.issue_comments.is_empty(),
        "no comment on a pull request without cards"
    );
    assert_eq!(f.check_runs[0]["run"]["conclusion"], "success");
    assert_eq!(
        f.check_runs[0]["run"]["output"]["title"],
        "No model cards changed"
    );
    assert!(
        r.summary.contains("No model cards changed"),
        "the job summary still says so"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pagination_reaches_a_card_on_the_third_page() {
    let mut fake = Fake::new(7, HEAD, BASE);
    for i in 0..249 {
        fake.files.push(file(
            &format!("data/sample-{i:03}.csv"),
            "added",
            None,
            Some("a,b\n"),
        ));
    }
    fake.files.push(file(
        CARD,
        "added",
        None,
        Some(&good().replace("Germany", "TODO")),
    ));
    let (url, s) = start(fake).await;
    let r = review(&url, HEAD).await;
    assert_eq!(r.code, 1);
    assert_eq!(calls(&s, "GET", "/pulls/7/files"), 3);
    assert_eq!(s.lock().unwrap().review_comments.len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn patchless_file_is_diffed_from_contents() {
    let (base, head) = card_with_findings();
    let mut fake = Fake::new(7, HEAD, BASE);
    let mut f = file(CARD, "modified", Some(&base), Some(&head));
    f.patch = Some(None);
    fake.files.push(f);
    let (url, s) = start(fake).await;
    let r = review(&url, HEAD).await;
    assert_eq!(r.code, 1);
    let f = s.lock().unwrap();
    let log: Vec<_> = f
        .log
        .iter()
        .map(|l| format!("{} {}?{} -> {}", l.method, l.path, l.query, l.status))
        .collect();
    assert!(
        f.log.iter().any(|l| l
            .path
            .ends_with(&format!("/contents/{}", CARD.replace('/', "%2F")))
            && l.query.contains(BASE)),
        "{log:#?}\n{}",
        r.stderr
    );
    assert_eq!(
        f.review_comments.len(),
        1,
        "the changed line is still found without a patch"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fork_with_read_only_token_gets_annotations() {
    let (base, head) = card_with_findings();
    let mut fake = Fake::new(7, HEAD, BASE);
    fake.files
        .push(file(CARD, "modified", Some(&base), Some(&head)));
    fake.read_only = true;
    let (url, s) = start(fake).await;
    // Detected from the event: no write is even tried.
    let r = run_bin(
        &url,
        "pull_request",
        &event(7, HEAD, true),
        &[],
        &["review"],
    )
    .await;
    assert_eq!(r.code, 1);
    assert!(r.stdout.contains("comes from a fork"), "{}", r.stdout);
    assert!(r.stdout.contains("Pull requests from forks"));
    assert!(r
        .stdout
        .lines()
        .any(|l| l.starts_with(&format!("::error file={CARD},line="))));
    assert!(r.summary.contains("missing-section"));
    assert_eq!(writes(&s), 0);
    // Not detectable from the event: the 403 on the first write leads to the same.
    let r = review(&url, HEAD).await;
    assert_eq!(r.code, 1);
    assert!(r.stdout.contains("token cannot write"), "{}", r.stdout);
    assert!(r.stdout.contains("::error file="));
    assert!(s.lock().unwrap().reviews.is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn review_422_moves_rejected_comments_to_summary() {
    let (base, head) = card_with_findings();
    // The fake GitHub refuses comments that mention REJECT-ME, as GitHub refuses some.
    let head = head.replace(
        "## Downstream Use\n\n",
        "## Downstream Use\n\nSee [the notes](#notes-REJECT-ME).\n\n",
    );
    let mut fake = Fake::new(7, HEAD, BASE);
    fake.files
        .push(file(CARD, "modified", Some(&base), Some(&head)));
    let (url, s) = start(fake).await;
    let r = review(&url, HEAD).await;
    assert_eq!(r.code, 1, "{}", r.stderr);
    let f = s.lock().unwrap();
    assert_eq!(f.submitted_reviews().len(), 1, "exactly one review");
    assert_eq!(f.reviews.len(), 1, "no pending probe is left");
    assert!(f.pending_comments.is_empty());
    assert_eq!(f.review_comments.len(), 1, "the accepted comment is posted");
    assert!(f.review_comments[0]["body"]
        .as_str()
        .unwrap()
        .contains("TODO"));
    let summary = f.issue_comments[0]["body"].as_str().unwrap();
    assert!(
        summary.contains("REJECT-ME"),
        "the refused comment is in the summary: {summary}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rate_limit_waits_for_retry_after() {
    let mut fake = Fake::new(7, HEAD, BASE);
    fake.files.push(file(CARD, "added", None, Some(&good())));
    fake.faults.push(
        Fault::new(axum::http::Method::GET, "/pulls/7/files", 429, 1).header("retry-after", "1"),
    );
    let (url, s) = start(fake).await;
    let t = std::time::Instant::now();
    let r = review(&url, HEAD).await;
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        t.elapsed() >= std::time::Duration::from_millis(900),
        "waited as Retry-After said"
    );
    assert_eq!(calls(&s, "GET", "/pulls/7/files"), 2);
    assert!(r.stderr.contains("rate limited"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_gateway_after_create_does_not_post_twice() {
    let (base, head) = card_with_findings();
    let mut fake = Fake::new(7, HEAD, BASE);
    fake.files
        .push(file(CARD, "modified", Some(&base), Some(&head)));
    fake.faults
        .push(Fault::new(axum::http::Method::POST, "/pulls/7/reviews", 502, 1).after_effect());
    let (url, s) = start(fake).await;
    let r = review(&url, HEAD).await;
    assert_eq!(r.code, 1, "{}", r.stderr);
    let f = s.lock().unwrap();
    assert_eq!(
        f.reviews.len(),
        1,
        "the review GitHub created is not posted again"
    );
    assert_eq!(f.review_comments.len(), 1);
    assert_eq!(
        f.log
            .iter()
            .filter(|l| l.method == "POST" && l.path.ends_with("/reviews"))
            .count(),
        1
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn server_errors_are_retried_with_backoff() {
    let mut fake = Fake::new(7, HEAD, BASE);
    fake.files.push(file(CARD, "added", None, Some(&good())));
    fake.faults.push(Fault::new(
        axum::http::Method::GET,
        "/pulls/7/comments",
        503,
        2,
    ));
    let (url, s) = start(fake).await;
    let r = review(&url, HEAD).await;
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(calls(&s, "GET", "/pulls/7/comments"), 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn persistent_failure_is_a_clear_error() {
    let mut fake = Fake::new(7, HEAD, BASE);
    fake.files.push(file(CARD, "added", None, Some(&good())));
    fake.faults.push(Fault::new(
        axum::http::Method::GET,
        "/pulls/7/files",
        500,
        100,
    ));
    let (url, s) = start(fake).await;
    let r = review(&url, HEAD).await;
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("cannot list the pull request's files"),
        "{}",
        r.stderr
    );
    assert_eq!(calls(&s, "GET", "/pulls/7/files"), 4, "bounded retries");
    assert_eq!(writes(&s), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn check_runs_refused_fall_back_to_commit_status() {
    let mut fake = Fake::new(7, HEAD, BASE);
    fake.files.push(file(CARD, "added", None, Some(&good())));
    fake.no_checks = true;
    let (url, s) = start(fake).await;
    let r = review(&url, HEAD).await;
    assert_eq!(r.code, 0);
    let f = s.lock().unwrap();
    assert!(f.check_runs.is_empty());
    assert_eq!(f.statuses.len(), 1);
    assert_eq!(f.statuses[0]["state"], "success");
    assert_eq!(f.statuses[0]["context"], "modelcard-review");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dry_run_prints_the_plan_and_posts_nothing() {
    let (base, head) = card_with_findings();
    let mut fake = Fake::new(7, HEAD, BASE);
    fake.files
        .push(file(CARD, "modified", Some(&base), Some(&head)));
    let (url, s) = start(fake).await;
    let r = run_bin(
        &url,
        "pull_request",
        &event(7, HEAD, false),
        &[],
        &["review", "--dry-run"],
    )
    .await;
    assert_eq!(r.code, 1);
    assert!(
        r.stdout
            .contains("Inline review comments this run would post (1)"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains(&format!("{CARD}:")));
    assert!(
        r.stdout.starts_with("Settings: default settings (no `.modelcard-review.toml`) and the built-in RI-SCALE Model Hub template, from the base branch at 0000000."),
        "{}",
        r.stdout
    );
    assert_eq!(writes(&s), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hostile_event_and_missing_token_are_clear_errors() {
    let fake = Fake::new(7, HEAD, BASE);
    let (url, s) = start(fake).await;
    let r = run_bin(
        &url,
        "pull_request",
        &json!({"pull_request": {"number": "seven"}}),
        &[],
        &["review"],
    )
    .await;
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("pull_request.number"), "{}", r.stderr);
    let r = run_bin(&url, "push", &event(7, HEAD, false), &[], &["review"]).await;
    assert_eq!(r.code, 2);
    let r = run_bin(
        &url,
        "pull_request",
        &event(7, HEAD, false),
        &[("INPUT_GITHUB_TOKEN", "")],
        &["review"],
    )
    .await;
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("no GitHub token"), "{}", r.stderr);
    assert!(s.lock().unwrap().log.is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn summary_and_check_run_are_not_created_twice_after_502() {
    let mut fake = Fake::new(7, HEAD, BASE);
    fake.files.push(file(CARD, "added", None, Some(&good())));
    for suffix in ["/issues/7/comments", "/check-runs"] {
        fake.faults
            .push(Fault::new(axum::http::Method::POST, suffix, 502, 1).after_effect());
    }
    let (url, s) = start(fake).await;
    let r = review(&url, HEAD).await;
    assert_eq!(r.code, 0, "{}", r.stderr);
    let f = s.lock().unwrap();
    assert_eq!(f.issue_comments.len(), 1);
    assert_eq!(f.check_runs.len(), 1);
}

/// The scale of a big pull request: 300 cards among 3000 files. Run by
/// `scripts/bench.sh` (`cargo test --release --test review_flow -- --ignored --nocapture`);
/// it prints wall time and API calls, and checks the calls grow only with pages and cards.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "a benchmark: run by scripts/bench.sh"]
async fn review_scale_300_cards_3000_files() {
    let card = good().replace(
        "- **Compute Region:** Germany",
        "- **Compute Region:** TODO",
    );
    let mut fake = Fake::new(7, HEAD, BASE);
    for i in 0..3000 {
        if i % 10 == 0 {
            fake.files.push(file(
                &format!("models/m{i:04}/README.md"),
                "added",
                None,
                Some(&card),
            ));
        } else {
            fake.files.push(file(
                &format!("models/m{:04}/weights-{i}.txt", i / 10 * 10),
                "added",
                None,
                Some("w"),
            ));
        }
    }
    let (url, s) = start(fake).await;
    let t = std::time::Instant::now();
    let r = review(&url, HEAD).await;
    let wall = t.elapsed();
    assert_eq!(r.code, 1, "{}", r.stderr);
    let f = s.lock().unwrap();
    let calls = f.log.len();
    println!(
        "review of 300 cards in 3000 files: {:.2} s wall, {calls} API calls ({} reviews, {} inline comments)",
        wall.as_secs_f64(),
        f.reviews.len(),
        f.review_comments.len()
    );
    // 30 pages of files + 1 tree + 300 blobs + 1+1 comment pages + 6 reviews (50 comments
    // each) + 1 summary + 1 check run + 5 annotation batches (250 of 300 findings… capped).
    assert_eq!(f.review_comments.len(), 300);
    assert!(calls <= 30 + 1 + 300 + 2 + 6 + 1 + 1 + 10, "{calls} calls");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn relative_links_are_judged_from_the_head_tree() {
    let head = good().replace(
        "Install the package and run the model on a folder of TIFF files:",
        "Install the package (see ![overview](images/overview.png) and ![labels](images/missing.png)):",
    );
    let mut fake = Fake::new(7, HEAD, BASE);
    fake.files.push(file(CARD, "added", None, Some(&head)));
    fake.extra_tree_paths
        .push("models/nuclei/images/overview.png".into());
    let (url, s) = start(fake).await;
    let r = review(&url, HEAD).await;
    assert_eq!(r.code, 0, "broken links are warnings\n{}", r.stderr);
    let f = s.lock().unwrap();
    let bodies: Vec<&str> = f
        .review_comments
        .iter()
        .map(|c| c["body"].as_str().unwrap())
        .collect();
    assert_eq!(bodies.len(), 1, "{bodies:#?}");
    assert!(bodies[0].contains("broken-link") && bodies[0].contains("images/missing.png"));
    assert_eq!(
        f.log
            .iter()
            .filter(|l| l.path.contains("/git/trees/"))
            .count(),
        1
    );
}
