//! `review --dry-run --base REF`: the review the bot would post on a pull request,
//! previewed in a local git checkout with no token and no event. The changed cards and
//! their changed lines come from `git diff REF...HEAD`, the settings from REF (as the
//! Action takes them from the base), and the same planner decides what goes inline.

use crate::audit::change::{self, Side};
use crate::config::Globs;
use crate::config::{Config, Overrides, DEFAULT_CONFIG_NAME};
use crate::diff::ChangedLines;
use crate::git::{git, git_text, Blobs, Tree};
use crate::review::markdown;
use crate::review::plan::{build_plan, CardInput, Conclusion, PlanInput};
use crate::rules::{check_card_bytes, LinkOracle};
use crate::template::Spec;
use anyhow::{bail, Context, Result};
use std::cell::RefCell;
use std::collections::BTreeSet;
use std::path::Path;

/// The repository, read through one `git cat-file --batch`.
struct Repo {
    blobs: RefCell<Blobs>,
}

/// Files are read whole: a card's real size is what `unreadable-file` reports.
const WHOLE: usize = u32::MAX as usize;

impl Repo {
    /// A file at a commit, or None when the commit has no such file.
    fn show(&self, commit: &str, path: &str) -> Option<Vec<u8>> {
        self.show_capped(commit, path, WHOLE)
    }

    /// At most `limit` + 1 bytes of it.
    fn show_capped(&self, commit: &str, path: &str, limit: usize) -> Option<Vec<u8>> {
        self.blobs
            .borrow_mut()
            .read(&format!("{commit}:{path}"), limit)
            .ok()
            .flatten()
    }
}

/// The files of HEAD, for relative links and the metadata beside a card.
struct TreeOracle<'r> {
    tree: Tree,
    repo: &'r Repo,
}

impl LinkOracle for TreeOracle<'_> {
    fn exists(&self, path: &str) -> Option<bool> {
        self.tree.exists(path)
    }

    fn read(&self, path: &str) -> Option<Result<Vec<u8>, String>> {
        let bytes = self
            .tree
            .has_file(path)
            .then(|| self.repo.show_capped("HEAD", path, crate::yaml::MAX_BYTES))
            .flatten()?;
        Some(Ok(bytes))
    }
}

/// The settings at the base, as the Action reads them; `--config`/`--template` are
/// repository paths there.
fn settings_at(
    repo: &Repo,
    base: &str,
    source: &Source,
    overrides: &Overrides,
) -> Result<(Config, Spec, String, Vec<String>)> {
    let short = &base[..base.len().min(7)];
    let config_path = source
        .config
        .clone()
        .unwrap_or_else(|| DEFAULT_CONFIG_NAME.to_string());
    let config_text = repo.show(base, &config_path);
    if config_text.is_none() && source.config.is_some() {
        bail!("{config_path}: no such file at the base ({short})");
    }
    let mut cfg = match &config_text {
        Some(t) => Config::parse(&String::from_utf8_lossy(t), Path::new(""))
            .with_context(|| format!("invalid config file {config_path} at the base ({short})"))?,
        None => Config::default(),
    };
    overrides.apply(&mut cfg)?;
    let template = source.template.clone().or_else(|| {
        cfg.template
            .as_ref()
            .map(|t| t.to_string_lossy().replace('\\', "/"))
    });
    let spec = match &template {
        Some(t) => {
            let bytes = repo
                .show_capped(base, t, crate::template::MAX_TEMPLATE_BYTES)
                .with_context(|| format!("template {t}: no such file at the base ({short})"))?;
            let text = crate::card::decode(&bytes, crate::template::MAX_TEMPLATE_BYTES)
                .map_err(|e| anyhow::anyhow!("template {t}: {}", e.explain()))?;
            Spec::from_markdown(text, t, &cfg)?
        }
        None => Spec::default_spec(&cfg)?,
    };
    let description = format!(
        "{} and {}, from the base at {short}",
        if config_text.is_some() {
            format!("`{config_path}`")
        } else {
            format!("default settings (no `{config_path}`)")
        },
        template
            .as_ref()
            .map(|t| format!("the template `{t}`"))
            .unwrap_or_else(|| "the built-in RI-SCALE Model Hub template".into())
    );
    let files = std::iter::once(config_path).chain(template).collect();
    Ok((cfg, spec, description, files))
}

/// Repository paths of the config and the template at the base (None: the defaults).
#[derive(Debug, Default, Clone)]
pub struct Source {
    pub config: Option<String>,
    pub template: Option<String>,
}

pub fn run(base_ref: &str, source: &Source, overrides: &Overrides) -> Result<i32> {
    let cwd = std::env::current_dir().context("cannot determine the current folder")?;
    let root = git_text(&cwd, &["rev-parse", "--show-toplevel"])
        .context("not a git repository: run the preview inside a checkout of the hub")?;
    let root = Path::new(&root).to_path_buf();
    let repo = Repo {
        blobs: RefCell::new(Blobs::start(&root)?),
    };
    let base = git_text(
        &root,
        &["rev-parse", "--verify", &format!("{base_ref}^{{commit}}")],
    )
    .with_context(|| format!("unknown base {base_ref:?}: name a branch, tag or commit"))?;
    let head = git_text(&root, &["rev-parse", "--verify", "HEAD^{commit}"])?;
    let merge_base = git_text(&root, &["merge-base", &base, &head])
        .with_context(|| format!("{base_ref} and HEAD have no common history"))?;
    let (cfg, spec, settings, settings_files) = settings_at(&repo, &merge_base, source, overrides)?;
    let settings_files: Vec<&str> = settings_files.iter().map(String::as_str).collect();
    let globs = Globs::for_repository(&cfg)?;
    let tree = TreeOracle {
        tree: Tree::new(git_text(&root, &["ls-tree", "-r", "--name-only", "HEAD"])?.lines()),
        repo: &repo,
    };
    let listing = git_text(
        &root,
        &[
            "diff",
            "--name-status",
            "-M",
            "--no-color",
            &merge_base,
            &head,
        ],
    )?;
    let mut cards = Vec::new();
    let mut notes = Vec::new();
    let mut not_cards = Vec::new();
    let mut metadata_cards: Vec<String> = Vec::new();
    let (mut settings_changed, mut template_changed) = (false, false);
    for line in listing.lines() {
        let parts: Vec<&str> = line.split('\t').collect();
        let (status, path) = match parts.as_slice() {
            [s, p] => (*s, *p),
            [s, _, new] => (*s, *new),
            _ => continue,
        };
        if let Some(n) = crate::review::settings_change_note(path, &settings_files) {
            notes.push(n);
            settings_changed = true;
            template_changed |= settings_files.get(1) == Some(&path);
        }
        if !status.starts_with('D') {
            metadata_cards.extend(crate::metadata::card_beside(path));
        }
        if !globs.matches(path) {
            if !status.starts_with('D')
                && path
                    .rsplit('/')
                    .next()
                    .is_some_and(|n| n.eq_ignore_ascii_case("README.md"))
            {
                not_cards.push(crate::text::code(path));
            }
            continue;
        }
        if status.starts_with('D') {
            notes.push(format!(
                "{} is deleted; nothing to check.",
                crate::text::code(path)
            ));
            continue;
        }
        let bytes = repo.show(&head, path).unwrap_or_default();
        let text_ok = !bytes.contains(&0) && std::str::from_utf8(&bytes).is_ok();
        let changed = if text_ok {
            let mut args = vec!["diff", "--no-color", "-U3", "-M", &merge_base, &head, "--"];
            if let [_, old, _] = parts.as_slice() {
                args.push(old);
            }
            args.push(path);
            ChangedLines::from_patch(&String::from_utf8_lossy(&git(&root, &args)?))
        } else {
            ChangedLines::default()
        };
        let checked = check_card_bytes(&spec, &cfg, path, &bytes, &tree);
        cards.push(CardInput {
            path: path.to_string(),
            findings: checked.findings,
            suppressed: checked.suppressed,
            changed,
            text: if text_ok {
                String::from_utf8_lossy(&bytes)
                    .trim_start_matches('\u{feff}')
                    .to_string()
            } else {
                String::new()
            },
        });
    }
    // A card whose rdf.yaml changed is judged again, as the bot does; no line of it
    // is in the diff, so its findings go to the summary.
    for card in metadata_cards {
        if !globs.matches(&card) || cards.iter().any(|c: &CardInput| c.path == card) {
            continue;
        }
        let Some(bytes) = repo.show(&head, &card) else {
            continue;
        };
        let checked = check_card_bytes(&spec, &cfg, &card, &bytes, &tree);
        cards.push(CardInput {
            path: card,
            findings: checked.findings,
            suppressed: checked.suppressed,
            changed: ChangedLines::default(),
            text: String::from_utf8_lossy(&bytes)
                .trim_start_matches('\u{feff}')
                .to_string(),
        });
    }
    if !not_cards.is_empty() {
        notes.push(format!(
            "Not checked as model cards: {} — set `paths` to change this.",
            not_cards.join(", ")
        ));
    }
    // As the bot does: what the branch's settings would do to the hub's cards.
    let settings_impact = settings_changed.then(|| {
        let base = Side {
            spec: &spec,
            cfg: &cfg,
            template_path: settings_files.get(1).copied(),
        };
        settings_impact(
            &repo,
            &head,
            source,
            overrides,
            &base,
            template_changed,
            &tree,
            &globs,
        )
    });
    let plan = build_plan(&PlanInput {
        repository: "local".into(),
        pull_number: 0,
        head_sha: head.clone(),
        run_key: "preview".into(),
        fail_on: cfg.fail_on,
        cards,
        unknown_paths: BTreeSet::new(),
        notes,
        prior: Vec::new(),
        max_comments: cfg.max_comments,
        server_url: String::new(),
        settings: settings.clone(),
        settings_impact,
    });
    crate::outln!("Preview of the review of {base_ref}...HEAD. Settings: {settings}.\n");
    crate::outln!(
        "Inline review comments the bot would post ({}):",
        plan.comments.len()
    );
    for c in &plan.comments {
        let lines = match c.start_line {
            Some(s) => format!("{s}-{}", c.line),
            None => c.line.to_string(),
        };
        let body = c.body.split("<sub>").next().unwrap_or("").trim_end();
        crate::outln!(
            "\n{}:{lines}\n{}",
            crate::text::inert(&c.path),
            crate::text::inert(&indent(body))
        );
    }
    crate::outln!(
        "\n--- The summary comment (and the check's text):\n\n{}",
        crate::text::inert(&markdown::summary(&plan, &[], &[], markdown::COMMENT_LIMIT))
    );
    crate::outln!(
        "--- The check `modelcard-review` would conclude: {}",
        plan.conclusion.as_str()
    );
    Ok(match plan.conclusion {
        Conclusion::Success => 0,
        Conclusion::Failure => 1,
    })
}

/// The summary's line on a settings change, with the cards of the hub at `head`.
#[allow(clippy::too_many_arguments)]
fn settings_impact(
    repo: &Repo,
    head: &str,
    source: &Source,
    overrides: &Overrides,
    base: &Side,
    template_file_changed: bool,
    tree: &TreeOracle,
    globs: &Globs,
) -> String {
    let (cfg, spec, _, files) = match settings_at(repo, head, source, overrides) {
        Ok(s) => s,
        Err(e) => {
            return format!(
                "With this pull request's settings, no card could be judged: {e:#}. Fix that before merging."
            )
        }
    };
    let head_side = Side {
        spec: &spec,
        cfg: &cfg,
        template_path: files.get(1).map(String::as_str),
    };
    let mut cards: Vec<&String> = tree.tree.files().filter(|p| globs.matches(p)).collect();
    cards.sort();
    if let Some(line) = change::over_cap(base, &head_side, template_file_changed, cards.len()) {
        return line;
    }
    let read: Vec<(String, Option<Vec<u8>>)> = cards
        .into_iter()
        .map(|p| (p.clone(), repo.show(head, p)))
        .collect();
    change::line(base, &head_side, template_file_changed, &read, tree)
}

fn indent(text: &str) -> String {
    text.lines()
        .map(|l| format!("    {l}"))
        .collect::<Vec<_>>()
        .join("\n")
}
