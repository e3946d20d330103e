//! `.modelcard-review.toml`: which template, which files, which sections are optional,
//! rule severities, field label aliases and extra placeholder patterns. Everything a
//! hub decides lives here or in its template, never in Rust code.

use crate::finding::{FailOn, Severity};
use anyhow::{bail, Context, Result};
use globset::{GlobSet, GlobSetBuilder};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub const DEFAULT_CONFIG_NAME: &str = ".modelcard-review.toml";
pub const DEFAULT_MAX_FILE_SIZE: usize = 1024 * 1024;
/// A config is a few dozen lines; anything far larger is not one.
pub const MAX_CONFIG_BYTES: usize = 1024 * 1024;
/// Inline comments one review run posts at most; the rest go to the summary.
pub const DEFAULT_MAX_COMMENTS: usize = 30;
/// README files that are not model cards when no `paths` is configured: the
/// repository's own README and documentation folders.
pub const DEFAULT_NOT_CARDS: &[&str] = &["README.md", ".github/**", "docs/**"];

/// A rule's configured level: a severity, or switched off.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Off,
    On(Severity),
}

#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawConfig {
    template: Option<PathBuf>,
    paths: Option<Vec<String>>,
    exclude: Option<Vec<String>>,
    fail_on: Option<String>,
    optional_sections: Option<Vec<String>>,
    required_sections: Option<Vec<String>>,
    max_file_size: Option<usize>,
    max_comments: Option<usize>,
    rules: Option<BTreeMap<String, String>>,
    field_aliases: Option<BTreeMap<String, Vec<String>>>,
    section_aliases: Option<BTreeMap<String, Vec<String>>>,
    placeholders: Option<RawPlaceholders>,
    rdf_fields: Option<BTreeMap<String, String>>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawPlaceholders {
    patterns: Option<Vec<String>>,
}

#[derive(Debug, Clone)]
pub struct Config {
    /// Template file; None: the embedded default.
    pub template: Option<PathBuf>,
    pub paths: Vec<String>,
    /// `paths` was set (config, input or command line): the default exclusions of
    /// [`DEFAULT_NOT_CARDS`] no longer apply.
    pub paths_given: bool,
    pub exclude: Vec<String>,
    pub fail_on: FailOn,
    pub optional_sections: Vec<String>,
    /// Sections required although the template marks them optional (those after its
    /// closing horizontal rule).
    pub required_sections: Vec<String>,
    pub max_file_size: usize,
    /// Inline comments per review run at most.
    pub max_comments: usize,
    pub rule_levels: BTreeMap<String, Level>,
    /// Template field label → labels accepted in its place.
    pub field_aliases: BTreeMap<String, Vec<String>>,
    /// Template section heading → other names for it (`[section-aliases]`), on top of
    /// the built-in table `templates/section-aliases.toml`.
    pub section_aliases: BTreeMap<String, Vec<String>>,
    pub placeholder_patterns: Vec<regex::Regex>,
    /// bioimage.io key → template field label, for `new` (None: the built-in mapping).
    pub rdf_fields: Option<Vec<(String, String)>>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            template: None,
            paths: vec!["**/README.md".to_string()],
            paths_given: false,
            exclude: Vec::new(),
            fail_on: FailOn::Error,
            optional_sections: Vec::new(),
            required_sections: Vec::new(),
            max_file_size: DEFAULT_MAX_FILE_SIZE,
            max_comments: DEFAULT_MAX_COMMENTS,
            rule_levels: BTreeMap::new(),
            field_aliases: BTreeMap::new(),
            section_aliases: BTreeMap::new(),
            placeholder_patterns: Vec::new(),
            rdf_fields: None,
        }
    }
}

impl Config {
    /// Reads a config file; relative paths inside it are taken from its folder.
    pub fn load(path: &Path) -> Result<Config> {
        let text = crate::files::read_text(path, MAX_CONFIG_BYTES)
            .with_context(|| format!("cannot read config file {}", path.display()))?;
        let base = path.parent().unwrap_or(Path::new("."));
        Config::parse(&text, base)
            .with_context(|| format!("invalid config file {}", path.display()))
    }

    /// Finds `.modelcard-review.toml` in `root`, if present.
    pub fn discover(root: &Path) -> Result<Option<Config>> {
        let p = root.join(DEFAULT_CONFIG_NAME);
        if p.is_file() {
            Config::load(&p).map(Some)
        } else {
            Ok(None)
        }
    }

    pub fn parse(text: &str, base: &Path) -> Result<Config> {
        // toml's message names the key and shows the offending line.
        let raw: RawConfig =
            toml::from_str(text).map_err(|e| anyhow::anyhow!("{}", e.to_string().trim_end()))?;
        let mut cfg = Config::default();
        if let Some(t) = raw.template {
            cfg.template = Some(if t.is_absolute() { t } else { base.join(t) });
        }
        if let Some(p) = raw.paths {
            if p.is_empty() {
                bail!("key `paths`: give at least one glob, e.g. paths = [\"**/README.md\"]");
            }
            cfg.paths = p;
            cfg.paths_given = true;
        }
        if let Some(e) = raw.exclude {
            cfg.exclude = e;
        }
        for (key, globs) in [("paths", &cfg.paths), ("exclude", &cfg.exclude)] {
            for g in globs {
                globset::Glob::new(g).with_context(|| format!("key `{key}`: bad glob {g:?}"))?;
            }
        }
        if let Some(f) = raw.fail_on {
            cfg.fail_on = FailOn::parse(&f).with_context(|| {
                format!("key `fail-on`: {f:?} is not one of error, warning, notice, never")
            })?;
        }
        if let Some(o) = raw.optional_sections {
            cfg.optional_sections = o;
        }
        if let Some(r) = raw.required_sections {
            cfg.required_sections = r;
        }
        if let Some(m) = raw.max_file_size {
            if m == 0 {
                bail!("key `max-file-size`: must be more than 0 bytes");
            }
            cfg.max_file_size = m;
        }
        if let Some(m) = raw.max_comments {
            cfg.max_comments = m;
        }
        for (rule, level) in raw.rules.unwrap_or_default() {
            if crate::registry::rule_info(&rule).is_none() {
                bail!(
                    "key `rules.{rule}`: no rule has this id; `modelcard-review rules` lists them ({})",
                    crate::registry::RULES.iter().map(|r| r.id).collect::<Vec<_>>().join(", ")
                );
            }
            let lvl = parse_level(&level).with_context(|| {
                format!("key `rules.{rule}`: {level:?} is not one of error, warning, notice, off")
            })?;
            cfg.rule_levels.insert(rule, lvl);
        }
        if let Some(a) = raw.field_aliases {
            cfg.field_aliases = a;
        }
        if let Some(a) = raw.section_aliases {
            cfg.section_aliases = a;
        }
        if let Some(r) = raw.rdf_fields {
            cfg.rdf_fields = Some(r.into_iter().collect());
        }
        if let Some(p) = raw.placeholders {
            for pat in p.patterns.unwrap_or_default() {
                let re = regex::RegexBuilder::new(&pat)
                    .size_limit(1 << 20)
                    .build()
                    .with_context(|| {
                        format!("key `placeholders.patterns`: bad regular expression {pat:?}")
                    })?;
                if re.is_match("") {
                    bail!("key `placeholders.patterns`: {pat:?} matches empty text, so it would flag every line");
                }
                cfg.placeholder_patterns.push(re);
            }
        }
        Ok(cfg)
    }

    /// The configured level of a rule, or its default severity.
    pub fn level(&self, rule: &str) -> Level {
        if let Some(l) = self.rule_levels.get(rule) {
            return *l;
        }
        match crate::registry::rule_info(rule) {
            Some(r) => Level::On(r.default_severity),
            None => Level::Off,
        }
    }

    pub fn set_level(&mut self, rule: &str, level: Level) {
        self.rule_levels.insert(rule.to_string(), level);
    }

    /// Globs of files that are not cards: `exclude`, and without `paths`, the
    /// repository's own README and documentation folders.
    pub fn excluded(&self) -> Vec<String> {
        let mut out = self.exclude.clone();
        if !self.paths_given {
            out.extend(DEFAULT_NOT_CARDS.iter().map(|s| s.to_string()));
        }
        out
    }
}

/// What the command line or the workflow's inputs set over the config file.
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    pub fail_on: Option<String>,
    /// `RULE=LEVEL`
    pub rules: Vec<String>,
    pub paths: Vec<String>,
    pub max_comments: Option<String>,
}

impl Overrides {
    pub fn apply(&self, cfg: &mut Config) -> Result<()> {
        if let Some(f) = &self.fail_on {
            cfg.fail_on = FailOn::parse(f).with_context(|| {
                format!(
                    "--fail-on (the action's fail_on) {f:?}: use error, warning, notice or never"
                )
            })?;
        }
        for r in &self.rules {
            let (id, lvl) = r.split_once('=').with_context(|| {
                format!("--rule {r:?}: write RULE=LEVEL, e.g. template-text=off")
            })?;
            if crate::registry::rule_info(id).is_none() {
                bail!(
                    "--rule {r:?}: no rule has the id {id:?}; `modelcard-review rules` lists them"
                );
            }
            let level = parse_level(lvl).with_context(|| {
                format!("--rule {r:?}: level must be error, warning, notice or off")
            })?;
            cfg.set_level(id, level);
        }
        if !self.paths.is_empty() {
            for g in &self.paths {
                globset::Glob::new(g).with_context(|| format!("paths: bad glob {g:?}"))?;
            }
            cfg.paths = self.paths.clone();
            cfg.paths_given = true;
        }
        if let Some(m) = &self.max_comments {
            cfg.max_comments = m.trim().parse().with_context(|| {
                format!(
                    "max_comments {m:?}: give a whole number, e.g. 30 (0 posts no inline comments)"
                )
            })?;
        }
        Ok(())
    }
}

pub fn parse_level(s: &str) -> Option<Level> {
    match s.trim().to_ascii_lowercase().as_str() {
        "off" | "none" => Some(Level::Off),
        "error" => Some(Level::On(Severity::Error)),
        "warning" | "warn" => Some(Level::On(Severity::Warning)),
        "notice" | "note" | "info" => Some(Level::On(Severity::Notice)),
        _ => None,
    }
}

/// Which repository paths are cards: the configured `paths` and `exclude`, as
/// globs (`/` never matched by `*`).
pub struct Globs {
    include: GlobSet,
    exclude: GlobSet,
}

impl Globs {
    /// The configured `paths` and `exclude`, as given.
    pub fn new(cfg: &Config) -> Result<Globs> {
        Globs::with_exclude(cfg, &cfg.exclude)
    }

    /// For paths relative to the repository root (a pull request's files): without
    /// configured `paths`, the repository's own README and docs are not cards.
    pub fn for_repository(cfg: &Config) -> Result<Globs> {
        Globs::with_exclude(cfg, &cfg.excluded())
    }

    fn with_exclude(cfg: &Config, exclude: &[String]) -> Result<Globs> {
        let build = |globs: &[String]| -> Result<GlobSet> {
            let mut b = GlobSetBuilder::new();
            for g in globs {
                b.add(
                    globset::GlobBuilder::new(g)
                        .literal_separator(true)
                        .build()
                        .with_context(|| format!("bad glob {g:?}"))?,
                );
            }
            Ok(b.build()?)
        };
        Ok(Globs {
            include: build(&cfg.paths)?,
            exclude: build(exclude)?,
        })
    }

    /// A repository path (`/`-separated, relative) is a card to check.
    pub fn matches(&self, path: &str) -> bool {
        self.include.is_match(path) && !self.exclude.is_match(path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_full_config() {
        let c = Config::parse(
            r#"
template = "docs/template.md"
paths = ["models/**/README.md"]
fail-on = "warning"
optional-sections = ["Glossary"]
[rules]
template-text = "off"
table-shape = "error"
[field-aliases]
"RI-SCALE Model Hub compatibility" = ["BioImage.IO compatibility"]
[placeholders]
patterns = ['\bXXX\b']
"#,
            Path::new("/repo"),
        )
        .unwrap();
        assert_eq!(
            c.template.clone().unwrap(),
            Path::new("/repo/docs/template.md")
        );
        assert_eq!(c.fail_on, FailOn::Warning);
        assert_eq!(c.level("template-text"), Level::Off);
        assert_eq!(c.level("table-shape"), Level::On(Severity::Error));
        assert_eq!(c.placeholder_patterns.len(), 1);
    }

    #[test]
    fn max_comments_and_default_exclusions() {
        let c = Config::parse("max-comments = 5\n", Path::new(".")).unwrap();
        assert_eq!(c.max_comments, 5);
        assert_eq!(Config::default().max_comments, DEFAULT_MAX_COMMENTS);
        // Without `paths`, the repository's own README and docs are not cards.
        assert!(c.excluded().contains(&"README.md".to_string()));
        let c = Config::parse(
            "paths = [\"**/README.md\"]\nexclude = [\"x/**\"]\n",
            Path::new("."),
        )
        .unwrap();
        assert_eq!(c.excluded(), vec!["x/**".to_string()]);
        let mut c = Config::default();
        let o = Overrides {
            max_comments: Some("many".into()),
            ..Overrides::default()
        };
        assert!(format!("{:#}", o.apply(&mut c).unwrap_err()).contains("max_comments"));
        let o = Overrides {
            paths: vec!["models/**/README.md".into()],
            max_comments: Some("7".into()),
            ..Overrides::default()
        };
        o.apply(&mut c).unwrap();
        assert!(c.paths_given);
        assert_eq!(c.max_comments, 7);
    }

    #[test]
    fn errors_name_the_key() {
        let e = Config::parse("[rules]\nno-such-rule = \"off\"\n", Path::new(".")).unwrap_err();
        assert!(format!("{e:#}").contains("rules.no-such-rule"), "{e:#}");
        let e = Config::parse("[rules]\nplaceholder = \"loud\"\n", Path::new(".")).unwrap_err();
        assert!(format!("{e:#}").contains("rules.placeholder"), "{e:#}");
        let e = Config::parse("colour = 1\n", Path::new(".")).unwrap_err();
        assert!(format!("{e:#}").contains("colour"), "{e:#}");
        let e = Config::parse("fail-on = \"sometimes\"\n", Path::new(".")).unwrap_err();
        assert!(format!("{e:#}").contains("fail-on"), "{e:#}");
        let e = Config::parse("[placeholders]\npatterns = ['(']\n", Path::new(".")).unwrap_err();
        assert!(format!("{e:#}").contains("placeholders.patterns"), "{e:#}");
    }
}
