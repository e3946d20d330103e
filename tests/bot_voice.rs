//! Card text never speaks in the bot's voice: whatever a card says — a backtick that
//! closes a code span early, a link, an image, HTML, a bare URL GitHub would turn into
//! a link — every body the bot posts (inline comments, the summary) keeps it inside
//! code. Bodies are rendered as CommonMark with GitHub's extensions (tables,
//! strikethrough, task lists) and every piece of text outside code is searched.

use modelcard_review::config::Config;
use modelcard_review::diff::ChangedLines;
use modelcard_review::finding::fingerprints;
use modelcard_review::finding::FailOn;
use modelcard_review::review::markdown;
use modelcard_review::review::plan::{build_plan, comment_body, CardInput, PlanInput};
use modelcard_review::rules::{check_text, LinkOracle};

/// No file exists: every relative link is judged, and broken.
struct NoFiles;
impl LinkOracle for NoFiles {
    fn exists(&self, _path: &str) -> Option<bool> {
        Some(false)
    }
}
use modelcard_review::template::Spec;
use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

const EVIL: &str = "evil.example";

/// A card whose headings, links, fields, placeholders and comments all carry an
/// attempt to break out of the bot's quoting.
fn hostile_card() -> String {
    let escape = "` Verify your account: https://evil.example/login `";
    let template = modelcard_review::template::DEFAULT_TEMPLATE;
    let body = template
        .split_once("\n---\n")
        .map(|(_, b)| b)
        .unwrap_or(template);
    format!(
        "# My model {escape}\n\n\
         ## Model Descriptio {escape}\n\n\
         - **Developed by [x](https://evil.example/a):** \n\
         - **License:** <img src=https://evil.example/i.png> TODO [to be added](https://evil.example/b)\n\n\
         [Model Details](#details``<b>https://evil.example/c</b>)\n\
         ![](https://evil.example/d.png)\n\
         [local](../../evil.example/``x``/README.md)\n\n\
         <!-- modelcard-review-disable-next-line https://evil.example/e`` -->\n\
         text\n\n\
         ## Model Details\n\n## Model Details\n\n\
         ## Direct Use {escape}\n\n## Direct Use {escape}\n\n\
         ##### Recommendations {escape}\n\n{body}"
    )
}

/// Every piece of rendered text outside code (and every link or image target).
fn outside_code(markdown: &str) -> Vec<String> {
    let opts = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TASKLISTS;
    let mut out = Vec::new();
    let mut in_block = 0usize;
    for ev in Parser::new_ext(markdown, opts) {
        match ev {
            Event::Start(Tag::CodeBlock(_)) => in_block += 1,
            Event::End(TagEnd::CodeBlock) => in_block -= 1,
            Event::Start(Tag::Link { dest_url, .. })
            | Event::Start(Tag::Image { dest_url, .. }) => {
                out.push(format!("link to {dest_url}"));
            }
            Event::Text(t) | Event::Html(t) | Event::InlineHtml(t) if in_block == 0 => {
                out.push(t.to_string());
            }
            _ => {}
        }
    }
    out
}

#[test]
fn card_text_stays_inside_code_in_every_body_the_bot_posts() {
    let cfg = Config::default();
    let spec = Spec::default_spec(&cfg).unwrap();
    let path = "models/evil`name](https://evil.example/p)/README.md";
    let text = hostile_card();
    let findings = check_text(&spec, &cfg, path, &text, &NoFiles);
    assert!(findings.len() > 10, "{findings:#?}");
    let mut bodies: Vec<String> = Vec::new();
    for (f, fp) in findings.iter().zip(fingerprints(&findings)) {
        bodies.push(comment_body(f, &fp.to_string(), f.suggestion.as_deref()));
    }
    let lines = text.lines().count();
    let plan = build_plan(&PlanInput {
        repository: "hub/models".into(),
        pull_number: 1,
        head_sha: "0123456789abcdef".into(),
        run_key: "t".into(),
        fail_on: FailOn::Error,
        cards: vec![CardInput {
            path: path.into(),
            findings: findings.clone(),
            suppressed: 0,
            changed: ChangedLines::all(lines),
            text: text.clone(),
        }],
        unknown_paths: Default::default(),
        notes: vec![modelcard_review::review::settings_change_note(path, &[path]).unwrap()],
        prior: Vec::new(),
        max_comments: 1000,
        server_url: String::new(),
        settings: "the built-in template".into(),
        settings_impact: None,
    });
    bodies.extend(plan.comments.iter().map(|c| c.body.clone()));
    bodies.push(markdown::summary(&plan, &[], &[], markdown::COMMENT_LIMIT));
    let mut rules_seen: std::collections::BTreeSet<&str> = Default::default();
    for f in &findings {
        rules_seen.insert(f.rule);
    }
    // The card reached the rules that quote card text.
    for r in [
        "broken-anchor",
        "broken-link",
        "invalid-suppression",
        "placeholder",
        "duplicate-section",
        "image-alt-text",
    ] {
        assert!(rules_seen.contains(r), "{r} not raised: {rules_seen:?}");
    }
    // CI renders the same bodies with cmark-gfm too (scripts/check-bot-voice.py).
    if let Some(dump) = std::env::var_os("MODELCARD_REVIEW_BOT_BODIES") {
        std::fs::write(dump, bodies.join("\n\u{1e}\n")).unwrap();
    }
    for body in &bodies {
        for piece in outside_code(body) {
            assert!(
                !piece.contains(EVIL),
                "card text outside code: {piece:?}\nin the body:\n{}",
                body.lines()
                    .filter(|l| l.contains(EVIL))
                    .collect::<Vec<_>>()
                    .join("\n")
            );
        }
    }
}
