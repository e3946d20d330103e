//! The hub's settings for a review — `.modelcard-review.toml` and the template it
//! names — read from the pull request's **base** commit through the API. The base is
//! the hub's word; the head is the contributor's, and a pull request must not be able
//! to relax the rules that judge it. The working folder (a checkout, if any) is never
//! read.

use super::client::Api;
use super::contents::{contents_at, ContentsError};
use crate::config::{Config, Overrides, DEFAULT_CONFIG_NAME};
use crate::template::Spec;
use std::path::Path;

/// Where the settings come from, before they are read.
#[derive(Debug, Clone, Default)]
pub struct SettingsSource {
    /// Repository path of the config file (`config` input); None: `.modelcard-review.toml`.
    pub config: Option<String>,
    /// Repository path of the template (`template` input); None: the config's, else built in.
    pub template: Option<String>,
    pub overrides: Overrides,
}

/// The settings a review applies, and where they came from.
pub struct Settings {
    pub cfg: Config,
    pub spec: Spec,
    /// The config file's repository path (read, or looked for).
    pub config_path: String,
    /// The template's repository path; None for the built-in template.
    pub template_path: Option<String>,
    /// One line for the summary: which config and template, at which commit.
    pub description: String,
}

/// Settings that exist but cannot be used: the review must fail, saying what to fix.
#[derive(Debug)]
pub struct SettingsError {
    /// The file (or input) at fault, as the maintainer knows it.
    pub file: String,
    /// What is wrong and how to fix it.
    pub message: String,
}

impl std::fmt::Display for SettingsError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.file, self.message)
    }
}

/// Templates are small; anything past this is not one.
use crate::template::MAX_TEMPLATE_BYTES;
const MAX_CONFIG_BYTES: usize = 1024 * 1024;

/// A repository path from an input or a config key: `/`-separated, relative, inside
/// the repository. `base` is the folder it is relative to (the config's folder).
pub fn repo_path(base: &str, p: &str) -> Option<String> {
    let joined = if p.starts_with('/') || base.is_empty() {
        p.trim_start_matches('/').to_string()
    } else {
        format!("{base}/{p}")
    };
    let mut parts: Vec<&str> = Vec::new();
    for c in joined.split(['/', '\\']) {
        match c {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            c => parts.push(c),
        }
    }
    (!parts.is_empty()).then(|| parts.join("/"))
}

/// Reads the config and the template at `base_sha`, applies the workflow's overrides,
/// and derives the template spec.
pub async fn load(
    api: &Api,
    base_sha: &str,
    source: &SettingsSource,
) -> Result<Settings, SettingsError> {
    let short = &base_sha[..base_sha.len().min(7)];
    let (config_path, explicit) = match &source.config {
        Some(p) => (
            repo_path("", p).ok_or_else(|| SettingsError {
                file: format!("the `config` input ({p:?})"),
                message:
                    "is not a path inside the repository; give one like `.modelcard-review.toml`"
                        .into(),
            })?,
            true,
        ),
        None => (DEFAULT_CONFIG_NAME.to_string(), false),
    };
    let config_text = match contents_at(api, &config_path, base_sha).await {
        Ok(bytes) => Some(text_of(&config_path, &bytes, MAX_CONFIG_BYTES)?),
        Err(ContentsError::NotFound) if !explicit => None,
        Err(ContentsError::NotFound) => {
            return Err(SettingsError {
                file: format!("`{config_path}`"),
                message: format!(
                    "the `config` input names this file, but the base branch has no such file at {short}. \
                     Add it to the base branch, or correct the input."
                ),
            })
        }
        Err(ContentsError::Other(e)) => {
            return Err(SettingsError {
                file: format!("`{config_path}`"),
                message: format!("could not be read from the base branch at {short}: {e}"),
            })
        }
    };
    let config_dir = config_path
        .rsplit_once('/')
        .map(|(d, _)| d.to_string())
        .unwrap_or_default();
    let mut cfg = match &config_text {
        Some(text) => Config::parse(text, Path::new("")).map_err(|e| SettingsError {
            file: format!("`{config_path}`"),
            message: format!("{e:#}. Fix it on the base branch; until then no card can be judged."),
        })?,
        None => Config::default(),
    };
    // The config's `template` is relative to the config's own folder.
    let from_config = cfg
        .template
        .take()
        .map(|t| t.to_string_lossy().replace('\\', "/"));
    let template_path = match (&source.template, &from_config) {
        (Some(t), _) => Some(repo_path("", t).ok_or_else(|| SettingsError {
            file: format!("the `template` input ({t:?})"),
            message: "is not a path inside the repository".into(),
        })?),
        (None, Some(t)) => Some(repo_path(&config_dir, t).ok_or_else(|| SettingsError {
            file: format!("`{config_path}`"),
            message: format!("key `template`: {t:?} is not a path inside the repository"),
        })?),
        (None, None) => None,
    };
    source
        .overrides
        .apply(&mut cfg)
        .map_err(|e| SettingsError {
            file: "the workflow's inputs".into(),
            message: format!("{e:#}"),
        })?;
    let spec = match &template_path {
        Some(t) => {
            let named_by = if source.template.is_some() {
                "the `template` input".to_string()
            } else {
                format!("key `template` in `{config_path}`")
            };
            let bytes = contents_at(api, t, base_sha)
                .await
                .map_err(|e| SettingsError {
                    file: format!("`{t}`"),
                    message: match e {
                        ContentsError::NotFound => format!(
                            "{named_by} names this template, but the base branch has no such file at {short}. \
                             Add the template to the base branch, or correct {named_by}."
                        ),
                        ContentsError::Other(e) => {
                            format!("could not be read from the base branch at {short}: {e}")
                        }
                    },
                })?;
            let text = text_of(t, &bytes, MAX_TEMPLATE_BYTES)?;
            Spec::from_markdown(&text, t, &cfg).map_err(|e| SettingsError {
                file: format!("`{t}`"),
                message: format!("{e:#}. Fix the template on the base branch."),
            })?
        }
        None => Spec::default_spec(&cfg).map_err(|e| SettingsError {
            file: format!("`{config_path}`"),
            message: format!("{e:#}"),
        })?,
    };
    let config_part = match &config_text {
        Some(_) => format!("`{config_path}`"),
        None => format!("default settings (no `{config_path}`)"),
    };
    let template_part = match &template_path {
        Some(t) => format!("the template `{t}`"),
        None => "the built-in RI-SCALE Model Hub template".to_string(),
    };
    Ok(Settings {
        cfg,
        spec,
        config_path,
        template_path,
        description: format!("{config_part} and {template_part}, from the base branch at {short}"),
    })
}

fn text_of(path: &str, bytes: &[u8], limit: usize) -> Result<String, SettingsError> {
    crate::card::decode(bytes, limit)
        .map(str::to_string)
        .map_err(|e| SettingsError {
            file: format!("`{path}`"),
            message: format!("{} Save it as UTF-8 text on the base branch.", e.explain()),
        })
}

#[cfg(test)]
mod tests {
    use super::repo_path;

    #[test]
    fn repository_paths_stay_inside() {
        assert_eq!(repo_path("", "docs/t.md").as_deref(), Some("docs/t.md"));
        assert_eq!(repo_path("", "./docs//t.md").as_deref(), Some("docs/t.md"));
        assert_eq!(repo_path("hub", "t.md").as_deref(), Some("hub/t.md"));
        assert_eq!(repo_path("hub", "../t.md").as_deref(), Some("t.md"));
        assert_eq!(repo_path("hub", "/t.md").as_deref(), Some("t.md"));
        assert_eq!(repo_path("", "../t.md"), None);
        assert_eq!(repo_path("", ""), None);
    }
}
