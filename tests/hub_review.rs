//! The Action in a real hub, against the fake GitHub: the hub's config and template
//! come from the base branch through the API (no checkout), every run posts exactly
//! one review whatever GitHub answers, and with forks the job holding the write token
//! judges the cards itself.
#![cfg(feature = "github")]

mod support;

use serde_json::{json, Value};
use support::fake_github::{start, Fake, Fault, Shared};
use support::run::*;

const HUB_CONFIG: &str = ".modelcard-review.toml";

/// No `paths` input: the hub's config (or the defaults) decide what is a card.
const NO_PATHS_INPUT: (&str, &str) = ("INPUT_PATHS", "");

fn template() -> String {
    fixture("templates/ri-scale-model-card.md")
}

fn summary_comment(s: &Shared) -> String {
    let f = s.lock().unwrap();
    let c = f
        .issue_comments
        .iter()
        .find(|c| {
            c["body"]
                .as_str()
                .is_some_and(|b| b.starts_with("<!-- modelcard-review:summary"))
        })
        .expect("a summary comment");
    c["body"].as_str().unwrap().to_string()
}

fn rules_commented(s: &Shared) -> Vec<String> {
    s.lock()
        .unwrap()
        .review_comments
        .iter()
        .map(|c| {
            let b = c["body"].as_str().unwrap();
            let start = b.find("· `").unwrap() + "· `".len();
            b[start..start + b[start..].find('`').unwrap()].to_string()
        })
        .collect()
}

fn check_conclusion(s: &Shared) -> String {
    let f = s.lock().unwrap();
    assert_eq!(f.check_runs.len(), 1, "one check run");
    f.check_runs[0]["run"]["conclusion"]
        .as_str()
        .unwrap()
        .to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hub_config_on_the_base_branch_applies_without_a_checkout() {
    let (base, head) = card_with_findings();
    let mut fake = Fake::new(7, HEAD, BASE);
    fake.base_files.push((
        HUB_CONFIG.into(),
        b"paths = [\"models/**/README.md\"]\n[rules]\nplaceholder = \"off\"\n".to_vec(),
    ));
    fake.files
        .push(file(CARD, "modified", Some(&base), Some(&head)));
    fake.files.push(file(
        "tools/README.md",
        "added",
        None,
        Some("# Tools\n\nTODO\n"),
    ));
    let (url, s) = start(fake).await;
    // The job's working folder is empty: no checkout.
    let r = run_bin(
        &url,
        "pull_request",
        &event(7, HEAD, false),
        &[NO_PATHS_INPUT],
        &["review"],
    )
    .await;
    assert_eq!(r.code, 1, "the missing section still fails: {}", r.stderr);
    let rules = rules_commented(&s);
    assert!(
        !rules.contains(&"placeholder".to_string()),
        "the hub turned placeholder off: {rules:?}"
    );
    let summary = summary_comment(&s);
    assert!(!summary.contains("`placeholder`"), "{summary}");
    assert!(summary.contains("`missing-section`"), "{summary}");
    assert!(
        summary.contains("Not checked as model cards: `tools/README.md`"),
        "outside the hub's paths: {summary}"
    );
    assert!(
        summary.contains("Settings: `.modelcard-review.toml` and the built-in RI-SCALE Model Hub template, from the base branch at 0000000."),
        "{summary}"
    );
    // Read at the base commit, never at the head.
    let f = s.lock().unwrap();
    let config_reads: Vec<_> = f
        .log
        .iter()
        .filter(|l| l.path.ends_with("/contents/.modelcard-review.toml"))
        .collect();
    assert_eq!(config_reads.len(), 1);
    assert_eq!(config_reads[0].query, format!("ref={BASE}"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_hubs_own_template_on_the_base_branch_judges_the_cards() {
    let (base, head) = card_with_findings();
    // The hub's template: no Recommendations section, and a Contact field.
    let t = template();
    let start_rec = t.find("## Recommendations").unwrap();
    let end_rec = t.find("# Training Details").unwrap();
    let hub_template = format!("{}{}", &t[..start_rec], &t[end_rec..]).replace(
        "- **License:** *[License name and link]*",
        "- **License:** *[License name and link]*\n- **Contact:** *[Email of the maintainer]*",
    );
    let mut fake = Fake::new(7, HEAD, BASE);
    fake.base_files.push((
        "hub/.modelcard-review.toml".into(),
        b"template = \"../docs/hub-template.md\"\n".to_vec(),
    ));
    fake.base_files
        .push(("docs/hub-template.md".into(), hub_template.into_bytes()));
    fake.files
        .push(file(CARD, "modified", Some(&base), Some(&head)));
    let (url, s) = start(fake).await;
    let r = run_bin(
        &url,
        "pull_request",
        &event(7, HEAD, false),
        &[("INPUT_CONFIG", "hub/.modelcard-review.toml")],
        &["review"],
    )
    .await;
    assert_eq!(r.code, 1, "{}", r.stderr);
    let summary = summary_comment(&s);
    assert!(
        !summary.contains("Recommendations"),
        "the hub's template has no Recommendations section: {summary}"
    );
    assert!(
        summary.contains("Contact"),
        "the hub's field is required: {summary}"
    );
    assert!(
        summary.contains("the template `docs/hub-template.md`, from the base branch at 0000000"),
        "{summary}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pull_request_cannot_switch_rules_off_for_itself() {
    let (base, head) = card_with_findings();
    let mut fake = Fake::new(7, HEAD, BASE);
    // The base has no config; the pull request adds one that turns rules off.
    fake.files.push(file(
        HUB_CONFIG,
        "added",
        None,
        Some("[rules]\nplaceholder = \"off\"\nmissing-section = \"off\"\n"),
    ));
    fake.files
        .push(file(CARD, "modified", Some(&base), Some(&head)));
    let (url, s) = start(fake).await;
    let r = run_bin(
        &url,
        "pull_request",
        &event(7, HEAD, false),
        &[NO_PATHS_INPUT],
        &["review"],
    )
    .await;
    assert_eq!(r.code, 1);
    assert!(rules_commented(&s).contains(&"placeholder".to_string()));
    assert_eq!(check_conclusion(&s), "failure");
    let summary = summary_comment(&s);
    assert!(
        summary.contains("`.modelcard-review.toml` changes in this pull request; the new settings apply after merge"),
        "{summary}"
    );
    assert!(
        summary.contains("default settings (no `.modelcard-review.toml`)"),
        "{summary}"
    );
    // The pull request's version was read once more, only for the impact line: it
    // switches rules off, so no card would gain a finding.
    assert!(
        summary.contains(
            "With this pull request's settings, none of the 1 cards would gain a finding"
        ),
        "{summary}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_template_change_says_what_it_would_do_to_the_hubs_cards() {
    let good = fixture("fixtures/cards/good/nuclei-unet-2d/README.md");
    let t = template();
    let new_template = t.replacen(
        "# Environmental Impact",
        "# Data Availability\n\n*Where the training and test data can be downloaded.*\n\n# Environmental Impact",
        1,
    );
    let mut fake = Fake::new(7, HEAD, BASE);
    fake.base_files.push((
        HUB_CONFIG.into(),
        b"template = \"docs/template.md\"\npaths = [\"models/**/README.md\"]\n".to_vec(),
    ));
    fake.base_files
        .push(("docs/template.md".into(), t.clone().into_bytes()));
    fake.files.push(file(
        "docs/template.md",
        "modified",
        Some(&t),
        Some(&new_template),
    ));
    // The hub's cards, unchanged by the pull request: two pass today, one does not.
    fake.head_files
        .push(("models/a/README.md".into(), good.clone().into_bytes()));
    fake.head_files.push((
        "models/b/README.md".into(),
        good.replace("Nuclei", "Nucleus").into_bytes(),
    ));
    fake.head_files
        .push(("models/c/README.md".into(), t.clone().into_bytes()));
    fake.head_files
        .push(("docs/template.md".into(), new_template.into_bytes()));
    let (url, s) = start(fake).await;
    let r = run_bin(
        &url,
        "pull_request",
        &event(7, HEAD, false),
        &[NO_PATHS_INPUT],
        &["review"],
    )
    .await;
    assert_eq!(r.code, 0, "{}", r.stderr);
    let summary = summary_comment(&s);
    assert!(
        summary.contains("`docs/template.md` changes in this pull request"),
        "{summary}"
    );
    // The unfilled card lacks the new section too, but as one of many: it gains it as
    // well. Every card gains exactly the one missing section.
    assert!(
        summary.contains("With this template, 3 of 3 cards would gain 3 findings (missing-section ×3); run `modelcard-review audit --against-template docs/template.md` on this branch for the list."),
        "{summary}"
    );
    let log = &s.lock().unwrap().log;
    assert_eq!(
        log.iter()
            .filter(|l| l.path.contains("/git/blobs/"))
            .count(),
        3,
        "one read per card"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn root_and_docs_readmes_are_not_cards_by_default() {
    let mut fake = Fake::new(7, HEAD, BASE);
    for name in ["README.md", "docs/README.md", ".github/README.md"] {
        fake.files.push(file(
            name,
            "modified",
            Some("# Hub\n"),
            Some("# Hub\n\nTODO\n"),
        ));
    }
    fake.files
        .push(file("models/unet/README.md", "added", None, Some(&good())));
    let (url, s) = start(fake).await;
    let r = run_bin(
        &url,
        "pull_request",
        &event(7, HEAD, false),
        &[NO_PATHS_INPUT],
        &["review"],
    )
    .await;
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(s.lock().unwrap().review_comments.is_empty());
    let summary = summary_comment(&s);
    assert!(summary.contains("No problems in 1 model card"), "{summary}");
    assert!(
        summary.contains("Not checked as model cards: `README.md`, `docs/README.md`, `.github/README.md` — set `paths` to change this."),
        "{summary}"
    );
    assert_eq!(summary.matches("Not checked as model cards").count(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_invalid_hub_config_fails_the_check_and_says_what_to_fix() {
    let (base, head) = card_with_findings();
    for (config, expect) in [
        ("[rules]\nno-such-rule = \"off\"\n", "rules.no-such-rule"),
        (
            "template = \"docs/missing.md\"\n",
            "key `template` in `.modelcard-review.toml`",
        ),
    ] {
        let mut fake = Fake::new(7, HEAD, BASE);
        fake.base_files
            .push((HUB_CONFIG.into(), config.as_bytes().to_vec()));
        fake.files
            .push(file(CARD, "modified", Some(&base), Some(&head)));
        let (url, s) = start(fake).await;
        let r = run_bin(
            &url,
            "pull_request",
            &event(7, HEAD, false),
            &[],
            &["review"],
        )
        .await;
        assert_eq!(r.code, 2, "{}", r.stderr);
        assert!(r.stderr.contains(expect), "{}", r.stderr);
        assert_eq!(check_conclusion(&s), "failure");
        let summary = summary_comment(&s);
        assert!(
            summary.contains("the hub's settings cannot be used"),
            "{summary}"
        );
        assert!(summary.contains(expect), "{summary}");
        assert!(r.summary.contains(expect), "the job summary says it too");
        assert!(
            s.lock().unwrap().reviews.is_empty(),
            "nothing posted as if judged"
        );
        assert!(r.outputs.contains("conclusion=failure"));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stale_pending_review_is_deleted_before_the_review() {
    let (base, head) = card_with_findings();
    let mut fake = Fake::new(7, HEAD, BASE);
    fake.files
        .push(file(CARD, "modified", Some(&base), Some(&head)));
    // Left by an interrupted run: GitHub refuses every new review while it exists.
    fake.add_pending_review(555);
    let (url, s) = start(fake).await;
    let r = review(&url, HEAD).await;
    assert_eq!(r.code, 1);
    assert_eq!(calls(&s, "DELETE", "/pulls/7/reviews/555"), 1);
    let f = s.lock().unwrap();
    assert_eq!(f.reviews.len(), 1, "the stale one is gone");
    assert_eq!(f.submitted_reviews().len(), 1);
    assert_eq!(f.review_comments.len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_422_on_the_first_attempt_still_ends_in_one_review() {
    let (base, head) = card_with_findings();
    let head = head.replace("- **License:** MIT", "- **License:** TBD");
    let mut fake = Fake::new(7, HEAD, BASE);
    fake.files
        .push(file(CARD, "modified", Some(&base), Some(&head)));
    fake.faults.push(Fault::new(
        axum::http::Method::POST,
        "/pulls/7/reviews",
        422,
        1,
    ));
    let (url, s) = start(fake).await;
    let r = review(&url, HEAD).await;
    assert_eq!(r.code, 1, "{}", r.stderr);
    let f = s.lock().unwrap();
    assert_eq!(f.submitted_reviews().len(), 1, "exactly one review");
    assert_eq!(f.reviews.len(), 1, "no pending probe left");
    assert_eq!(
        f.review_comments.len(),
        2,
        "both comments were accepted on probing"
    );
    let probes = f
        .log
        .iter()
        .filter(|l| {
            l.method == "POST"
                && l.path.ends_with("/pulls/7/reviews")
                && l.body.get("event").is_none()
        })
        .count();
    assert!(probes >= 1, "pending probes were used");
    assert_eq!(
        probes,
        f.log
            .iter()
            .filter(|l| l.method == "DELETE" && l.path.contains("/pulls/7/reviews/"))
            .count(),
        "every probe was deleted"
    );
}

/// The good card with `n` placeholders on lines the pull request adds.
/// A card with `n` findings of `n` causes: links to `n` files that are not there
/// (placeholders would be one: a section's leftovers are one finding).
fn card_with_broken_links(n: usize) -> String {
    let mut extra = String::new();
    for i in 0..n {
        extra.push_str(&format!(
            "Run {i} of the benchmark: [log](runs/run-{i}.log)\n\n"
        ));
    }
    good().replace(
        "## Downstream Use\n\n",
        &format!("## Downstream Use\n\n{extra}"),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fifty_five_findings_make_one_review_of_max_comments() {
    async fn run_with(n: usize) -> (usize, Shared, Run) {
        let mut fake = Fake::new(7, HEAD, BASE);
        fake.files.push(file(
            CARD,
            "modified",
            Some(&good()),
            Some(&card_with_broken_links(n)),
        ));
        let (url, s) = start(fake).await;
        let r = review(&url, HEAD).await;
        let calls = s.lock().unwrap().log.len();
        (calls, s, r)
    }
    let (one_calls, one, _) = run_with(1).await;
    assert_eq!(one.lock().unwrap().review_comments.len(), 1);
    let (many_calls, s, r) = run_with(55).await;
    assert_eq!(r.code, 0, "broken links are warnings");
    {
        let f = s.lock().unwrap();
        assert_eq!(f.submitted_reviews().len(), 1, "one review");
        assert_eq!(f.review_comments.len(), 30, "max_comments defaults to 30");
    }
    let summary = summary_comment(&s);
    assert!(
        summary.contains("25 more findings on changed lines are listed below instead: a run posts at most 30 inline comments (`max_comments`)"),
        "{summary}"
    );
    assert_eq!(
        summary
            .matches("· `broken-link` · `Downstream Use` —")
            .count(),
        25,
        "{summary}"
    );
    assert!(
        summary.contains(&format!("/blob/{HEAD}/{CARD}#L")),
        "line links: {summary}"
    );
    assert_eq!(one_calls, many_calls, "API calls grew with the findings");

    // The input sets another limit.
    let mut fake = Fake::new(7, HEAD, BASE);
    fake.files.push(file(
        CARD,
        "modified",
        Some(&good()),
        Some(&card_with_broken_links(12)),
    ));
    let (url, s) = start(fake).await;
    run_bin(
        &url,
        "pull_request",
        &event(7, HEAD, false),
        &[("INPUT_MAX_COMMENTS", "5")],
        &["review"],
    )
    .await;
    assert_eq!(s.lock().unwrap().review_comments.len(), 5);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_card_replaced_by_binary_bytes_gets_no_inline_comment() {
    let mut fake = Fake::new(7, HEAD, BASE);
    let mut f = file(CARD, "modified", Some(&good()), None);
    f.head = Some(vec![
        0x89, b'P', b'N', b'G', 0, 0, 0, 13, 0xff, 0xfe, b'\n', 1, 2, 3,
    ]);
    f.patch = Some(None); // GitHub shows no text diff for binary files
    fake.files.push(f);
    let (url, s) = start(fake).await;
    let r = review(&url, HEAD).await;
    assert_eq!(r.code, 1);
    assert!(s.lock().unwrap().reviews.is_empty(), "no review");
    let summary = summary_comment(&s);
    assert!(summary.contains("`unreadable-file`"), "{summary}");
    assert_eq!(check_conclusion(&s), "failure");
}

// --- forks -------------------------------------------------------------------

fn fork_fake(base: &str, head: &str) -> Fake {
    let mut fake = Fake::new(7, HEAD, BASE);
    fake.head_repo = "contributor/model-hub".into();
    fake.files
        .push(file(CARD, "modified", Some(base), Some(head)));
    fake
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_fork_on_pull_request_target_gets_its_inline_review_and_a_failing_check() {
    let (base, head) = card_with_findings();
    let (url, s) = start(fork_fake(&base, &head)).await;
    let r = run_bin(
        &url,
        "pull_request_target",
        &event(7, HEAD, true),
        &[],
        &["review"],
    )
    .await;
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_eq!(rules_commented(&s), vec!["placeholder"]);
    assert_eq!(check_conclusion(&s), "failure");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_checkout_of_the_forks_head_changes_nothing() {
    let (base, head) = card_with_findings();
    let (url, s) = start(fork_fake(&base, &head)).await;
    // The fork's config and template in the working folder turn everything off.
    let checkout = tempfile::tempdir().unwrap();
    let mut all_off = String::from("[rules]\n");
    for id in [
        "missing-section",
        "placeholder",
        "renamed-section",
        "empty-section",
        "missing-field",
        "unreadable-file",
    ] {
        all_off.push_str(&format!("{id} = \"off\"\n"));
    }
    std::fs::write(checkout.path().join(HUB_CONFIG), &all_off).unwrap();
    std::fs::write(checkout.path().join("template.md"), "# Anything\n").unwrap();
    let r = run_bin_in(
        checkout.path(),
        &url,
        "pull_request_target",
        &event(7, HEAD, true),
        &[NO_PATHS_INPUT],
        &["review"],
    )
    .await;
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_eq!(check_conclusion(&s), "failure");
    assert!(rules_commented(&s).contains(&"placeholder".to_string()));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn workflow_run_finds_and_reviews_the_forks_pull_request() {
    let (base, head) = card_with_findings();
    let (url, s) = start(fork_fake(&base, &head)).await;
    let ev = workflow_run_event(HEAD, "contributor/model-hub", "add-model");
    let r = run_bin(&url, "workflow_run", &ev, &[], &["review"]).await;
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_eq!(rules_commented(&s), vec!["placeholder"]);
    assert_eq!(check_conclusion(&s), "failure");
    let f = s.lock().unwrap();
    assert!(
        f.log.iter().any(|l| l.path.ends_with("/pulls") && l.query.contains("head=contributor%3Aadd-model")),
        "found by the head repository and branch"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn workflow_run_for_a_head_that_moved_on_posts_nothing() {
    let (base, head) = card_with_findings();
    let mut fake = fork_fake(&base, &head);
    fake.head_sha = HEAD2.into();
    let (url, s) = start(fake).await;
    let ev = workflow_run_event(HEAD, "contributor/model-hub", "add-model");
    let r = run_bin(&url, "workflow_run", &ev, &[], &["review"]).await;
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout
            .contains("has moved on to 2222222222222222222222222222222222222222"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("nothing was posted"));
    assert_eq!(writes(&s), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_tampered_plan_changes_nothing_that_is_posted() {
    let (base, head) = card_with_findings();
    let (url, s) = start(fork_fake(&base, &head)).await;
    // What a fork's own `pull_request` run could upload: findings gone, the check
    // green, and the bot's words replaced (marker kept).
    let workspace = tempfile::tempdir().unwrap();
    let r = run_bin_in(
        workspace.path(),
        &url,
        "pull_request",
        &event(7, HEAD, true),
        &[("INPUT_MODE", "plan"), ("INPUT_PLAN", "plan.json")],
        &["review"],
    )
    .await;
    assert_eq!(r.code, 1);
    let plan_path = workspace.path().join("plan.json");
    let mut plan: Value =
        serde_json::from_str(&std::fs::read_to_string(&plan_path).unwrap()).unwrap();
    plan["conclusion"] = json!("success");
    plan["items"] = json!([]);
    plan["counts"] = json!({"errors": 0, "warnings": 0, "notices": 0});
    let body = plan["comments"][0]["body"].as_str().unwrap().to_string();
    let marker = &body[body.find("<!-- modelcard-review:finding").unwrap()..];
    plan["comments"][0]["body"] = json!(format!(
        "Your card is fine. To finish, sign in at http://evil.example\n{marker}"
    ));
    std::fs::write(&plan_path, plan.to_string()).unwrap();
    assert_eq!(writes(&s), 0);

    // `publish` of a saved plan is gone, in both spellings.
    for (env, args) in [
        (vec![], vec!["publish", "--plan", "plan.json"]),
        (
            vec![("INPUT_MODE", "publish"), ("INPUT_PLAN", "plan.json")],
            vec!["review"],
        ),
    ] {
        let ev = workflow_run_event(HEAD, "contributor/model-hub", "add-model");
        let r = run_bin_in(workspace.path(), &url, "workflow_run", &ev, &env, &args).await;
        assert_eq!(r.code, 2, "{}", r.stderr);
        assert!(r.stderr.contains("no longer supported"), "{}", r.stderr);
        assert!(r.stderr.contains("Nothing was posted"));
        assert_eq!(writes(&s), 0);
    }

    // The trusted job reviews the pull request itself; the plan beside it is ignored.
    let ev = workflow_run_event(HEAD, "contributor/model-hub", "add-model");
    let r = run_bin_in(
        workspace.path(),
        &url,
        "workflow_run",
        &ev,
        &[("INPUT_PLAN", "plan.json")],
        &["review"],
    )
    .await;
    assert_eq!(r.code, 1);
    assert_eq!(check_conclusion(&s), "failure");
    let f = s.lock().unwrap();
    assert!(f
        .review_comments
        .iter()
        .all(|c| !c["body"].as_str().unwrap().contains("sign in")));
    assert!(f
        .issue_comments
        .iter()
        .all(|c| !c["body"].as_str().unwrap().contains("sign in")));
    assert_eq!(f.review_comments.len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_missing_field_in_the_diff_gets_a_suggestion_that_inserts_it() {
    // The contributor rewrote the Model Description's field list and dropped License.
    let base = good();
    let head = base.replace(
        "- **License:** MIT (see the LICENSE file in this folder)\n",
        "",
    );
    assert_ne!(base, head);
    let mut fake = Fake::new(7, HEAD, BASE);
    fake.files
        .push(file(CARD, "modified", Some(&base), Some(&head)));
    let (url, s) = start(fake).await;
    let r = review(&url, HEAD).await;
    assert_eq!(r.code, 1, "{}", r.stderr);
    let f = s.lock().unwrap();
    assert_eq!(f.review_comments.len(), 1, "{:#?}", f.review_comments);
    let c = &f.review_comments[0];
    let body = c["body"].as_str().unwrap();
    assert!(body.contains("`missing-field`"), "{body}");
    // On the line the field goes after, repeating it, then the template's field line.
    let line = c["line"].as_u64().unwrap() as usize;
    let anchor = head.lines().nth(line - 1).unwrap();
    assert!(anchor.starts_with("- **"), "{anchor}");
    assert!(
        body.contains(&format!(
            "```suggestion\n{anchor}\n- **License:** *[License name and link]*\n```"
        )),
        "{body}"
    );
    drop(f);
    let summary = summary_comment(&s);
    assert!(
        summary.contains(&format!(
            "`modelcard-review fix {CARD}` applies every safe fix"
        )),
        "{summary}"
    );
    assert!(summary.contains("clears 1 finding"), "{summary}");
}

/// What the runner sets for every input the workflow leaves out: `INPUT_<NAME>`
/// with the default `action.yml` declares.
fn action_defaults() -> Vec<(String, String)> {
    let yml = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/action.yml")).unwrap();
    let mut out = Vec::new();
    let mut name: Option<String> = None;
    let mut in_inputs = false;
    for line in yml.lines() {
        if !line.starts_with(' ') {
            in_inputs = line.starts_with("inputs:");
            continue;
        }
        if !in_inputs {
            continue;
        }
        if let Some(n) = line.strip_prefix("  ").filter(|l| !l.starts_with(' ')) {
            name = Some(n.trim_end_matches(':').to_string());
        } else if let (Some(n), Some(d)) = (&name, line.trim().strip_prefix("default:")) {
            let d = d.trim().trim_matches('"').to_string();
            out.push((format!("INPUT_{}", n.to_ascii_uppercase()), d));
        }
    }
    assert!(out.iter().any(|(k, _)| k == "INPUT_FAIL_ON"), "{out:?}");
    out
}

/// The hub's `fail-on` decides when the workflow does not set `fail_on`: a base
/// config with `fail-on = "never"` concludes success, findings still posted.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_hubs_fail_on_applies_when_the_workflow_leaves_the_input_out() {
    let (base, head) = card_with_findings();
    let mut fake = Fake::new(7, HEAD, BASE);
    fake.base_files.push((
        HUB_CONFIG.into(),
        b"paths = [\"models/**/README.md\"]\nfail-on = \"never\"\n".to_vec(),
    ));
    fake.files
        .push(file(CARD, "modified", Some(&base), Some(&head)));
    let (url, s) = start(fake).await;
    let defaults = action_defaults();
    let mut env: Vec<(&str, &str)> = defaults
        .iter()
        .filter(|(k, _)| k != "INPUT_GITHUB_TOKEN" && k != "INPUT_PATHS")
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    env.push(NO_PATHS_INPUT);
    let r = run_bin(
        &url,
        "pull_request",
        &event(7, HEAD, false),
        &env,
        &["review"],
    )
    .await;
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(check_conclusion(&s), "success");
    assert!(
        !rules_commented(&s).is_empty(),
        "the findings are still posted"
    );
}

/// A pull request that touches no card (the workflow triggers on every pull
/// request, so a required check never waits): a green check at once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pull_request_without_cards_concludes_success() {
    let mut fake = Fake::new(7, HEAD, BASE);
    fake.files.push(file(
        "scripts/train.py",
        "added",
        None,
        Some("print('hello')\n"),
    ));
    let (url, s) = start(fake).await;
    let r = run_bin(
        &url,
        "pull_request",
        &event(7, HEAD, false),
        &[],
        &["review"],
    )
    .await;
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(check_conclusion(&s), "success");
    assert!(rules_commented(&s).is_empty());
}

/// A pull request that changes only a model's rdf.yaml: its card is judged against
/// it, and the disagreement is in the summary (the card's lines are not in the diff).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_changed_rdf_yaml_alone_brings_its_card_into_the_review() {
    let card = good();
    let mut fake = Fake::new(7, HEAD, BASE);
    fake.head_files
        .push((CARD.into(), card.clone().into_bytes()));
    fake.files.push(file(
        "models/nuclei/rdf.yaml",
        "modified",
        Some("name: NucleiSeg U-Net\nlicense: MIT\n"),
        Some("name: NucleiSeg U-Net\nlicense: GPL-3.0-only\n"),
    ));
    let (url, s) = start(fake).await;
    let r = run_bin(
        &url,
        "pull_request",
        &event(7, HEAD, false),
        &[NO_PATHS_INPUT],
        &["review"],
    )
    .await;
    assert_eq!(r.code, 1, "{}", r.stderr);
    let summary = summary_comment(&s);
    assert!(summary.contains("`metadata-mismatch`"), "{summary}");
    assert!(summary.contains("`GPL-3.0-only`"), "{summary}");
    assert!(
        rules_commented(&s).is_empty(),
        "no line of the card is in the diff"
    );
    assert_eq!(check_conclusion(&s), "failure");
}

/// 458 bytes of YAML that name 387 million values: the bot reads them within its
/// limits, says so, and reviews the card (issue #31: this took the runner down).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_alias_bomb_in_rdf_yaml_is_one_finding_not_a_dead_runner() {
    let mut bomb = String::from("name: NucleiSeg U-Net\na0: &a0 [lol]\n");
    for i in 1..=9 {
        let refs = vec![format!("*a{}", i - 1); 9].join(",");
        bomb.push_str(&format!("a{i}: &a{i} [{refs}]\n"));
    }
    let mut fake = Fake::new(7, HEAD, BASE);
    fake.head_files.push((CARD.into(), good().into_bytes()));
    fake.files.push(file(
        "models/nuclei/rdf.yaml",
        "modified",
        Some("name: NucleiSeg U-Net\nlicense: MIT\n"),
        Some(&bomb),
    ));
    let (url, s) = start(fake).await;
    let r = run_bin(
        &url,
        "pull_request",
        &event(7, HEAD, false),
        &[NO_PATHS_INPUT],
        &["review"],
    )
    .await;
    assert!(matches!(r.code, 0 | 1), "{}", r.stderr);
    let summary = summary_comment(&s);
    assert!(summary.contains("`metadata-unreadable`"), "{summary}");
    assert!(summary.contains("aliases"), "{summary}");
}

/// An rdf.yaml listing 40,000 authors the card does not name: one inline comment
/// that names some and counts the rest, under GitHub's 65,536 characters (the fake
/// answers a longer body with GitHub's 422).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forty_thousand_authors_make_a_comment_github_accepts() {
    let mut rdf = String::from("name: NucleiSeg U-Net\nlicense: MIT\nauthors:\n");
    for i in 0..40_000 {
        rdf.push_str(&format!("  - name: P{i} S{i}\n"));
    }
    let mut fake = Fake::new(7, HEAD, BASE);
    fake.files.push(file(CARD, "added", None, Some(&good())));
    fake.files
        .push(file("models/nuclei/rdf.yaml", "added", None, Some(&rdf)));
    let (url, s) = start(fake).await;
    let r = run_bin(
        &url,
        "pull_request",
        &event(7, HEAD, false),
        &[NO_PATHS_INPUT],
        &["review"],
    )
    .await;
    assert!(matches!(r.code, 0 | 1), "{}", r.stderr);
    let f = s.lock().unwrap();
    let comment = f
        .review_comments
        .iter()
        .map(|c| c["body"].as_str().unwrap())
        .find(|b| b.contains("`metadata-mismatch`"))
        .unwrap_or_else(|| panic!("no inline authors comment: {:?}", f.review_comments));
    assert!(comment.chars().count() < 65_536, "{}", comment.len());
    assert!(comment.contains("and 39990 more"), "{comment}");
    assert!(f.log.iter().all(|l| l.status != 422), "a body was refused");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn above_200_cards_the_impact_line_points_to_the_audit() {
    let t = template();
    let new_template = t.replacen(
        "# Environmental Impact",
        "# Data Availability\n\n# Environmental Impact",
        1,
    );
    let mut fake = Fake::new(7, HEAD, BASE);
    fake.base_files.push((
        HUB_CONFIG.into(),
        b"template = \"docs/template.md\"\n".to_vec(),
    ));
    fake.base_files
        .push(("docs/template.md".into(), t.clone().into_bytes()));
    fake.files.push(file(
        "docs/template.md",
        "modified",
        Some(&t),
        Some(&new_template),
    ));
    for i in 0..201 {
        fake.head_files.push((
            format!("models/m{i}/README.md"),
            format!("# Model {i}\n").into_bytes(),
        ));
    }
    let (url, s) = start(fake).await;
    let r = run_bin(
        &url,
        "pull_request",
        &event(7, HEAD, false),
        &[NO_PATHS_INPUT],
        &["review"],
    )
    .await;
    assert_eq!(r.code, 0, "{}", r.stderr);
    let summary = summary_comment(&s);
    assert!(
        summary.contains(
            "the hub has 201 cards, more than the 200 a review reads, so the nightly audit has the numbers"
        ),
        "{summary}"
    );
    assert!(!s
        .lock()
        .unwrap()
        .log
        .iter()
        .any(|l| l.path.contains("/git/blobs/")));
}

/// The summary shows the shape first (issue #32): a pull request adding two real
/// Hugging Face-shaped cards. Per card a row per rule with its count, its first
/// lines and what `fix` clears; every finding in full inside a fold. Outside the
/// folds it fits a screen.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_summary_of_two_added_hf_cards_shows_the_shape_first() {
    let organoid = fixture("fixtures/cards/hf-style/organoid-classifier/README.md");
    let spam = fixture("fixtures/corpus/unknown-repo_datatouille-spam__random_forest_card.md");
    let mut fake = Fake::new(7, HEAD, BASE);
    fake.files.push(file(
        "models/organoid-classifier/README.md",
        "added",
        None,
        Some(&organoid),
    ));
    fake.files.push(file(
        "models/spam-filter/README.md",
        "added",
        None,
        Some(&spam),
    ));
    let (url, s) = start(fake).await;
    let r = run_bin(
        &url,
        "pull_request",
        &event(7, HEAD, false),
        &[NO_PATHS_INPUT],
        &["review"],
    )
    .await;
    assert_eq!(r.code, 1, "{}", r.stderr);
    let summary = summary_comment(&s);
    let mut outside = String::new();
    let mut depth = 0;
    for line in summary.lines() {
        if line.starts_with("<details>") {
            depth += 1;
        }
        if depth == 0 {
            outside.push_str(line);
            outside.push('\n');
        }
        if line.starts_with("</details>") {
            depth -= 1;
        }
    }
    let lines = outside.lines().filter(|l| !l.trim().is_empty()).count();
    assert!(lines <= 45, "{lines} lines outside folds:\n{outside}");
    // Every finding not posted inline is still in the summary, in a fold.
    let inline = s.lock().unwrap().review_comments.len();
    let listed = summary.matches("\n- 🛑 [line ").count()
        + summary.matches("\n- ⚠️ [line ").count()
        + summary.matches("\n- ℹ️ [line ").count();
    let cfg = modelcard_review::config::Config::default();
    let spec = modelcard_review::template::Spec::default_spec(&cfg).unwrap();
    let total: usize = [&organoid, &spam]
        .iter()
        .map(|t| {
            modelcard_review::rules::check_text(
                &spec,
                &cfg,
                "models/x/README.md",
                t,
                &modelcard_review::rules::NoOracle,
            )
            .len()
        })
        .sum();
    assert!(
        inline + listed >= total - 2,
        "{inline} inline + {listed} listed of {total}"
    );
    // The links make the snapshot long; the shape is what is compared.
    let shape: String = outside
        .lines()
        .map(|l| {
            let mut out = String::new();
            let mut rest = l;
            while let Some(i) = rest.find("](https://") {
                out.push_str(&rest[..i + 1]);
                rest = &rest[i + 2..];
                rest = &rest[rest.find(')').map_or(rest.len(), |j| j + 1)..];
            }
            out.push_str(rest);
            out + "\n"
        })
        .collect();
    insta::assert_snapshot!("summary_two_hf_cards", shape);
}
