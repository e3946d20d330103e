//! The engine for callers without a disk: a web page, an upload form, the WebAssembly
//! package. Text and options in (the settings' text, the metadata's text, the names of
//! the files beside the card), JSON out — the same findings and the same fixed text as
//! `check` and `fix` give for that card on disk, through the same rules.
//!
//! Options arrive as JSON (the package's JavaScript object) and are refused with the
//! words the CLI uses for the same fault, so a form shows what a terminal would.

use crate::config::{Config, DEFAULT_CONFIG_NAME};
use crate::rules::LinkOracle;
use crate::template::Spec;
use anyhow::{bail, Context, Result};
use serde::Deserialize;
use std::collections::BTreeSet;
use std::path::Path;

/// What a caller may say about the card beside its text.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Options {
    /// The template's Markdown (default: the built-in one).
    pub template: Option<String>,
    /// The text of `.modelcard-review.toml`.
    pub config: Option<String>,
    /// The card's `rdf.yaml` or `bioimageio.yaml`.
    pub metadata: Option<MetadataFile>,
    /// The card's path in the repository, for the config's `paths` and `exclude` and
    /// for resolving its links (default: `README.md`, judged as `check -` judges).
    pub path: Option<String>,
    /// The files in the card's folder, relative to it: local links and images are
    /// judged against them. Without it links are not judged.
    pub files: Option<Vec<String>>,
    /// `--unsafe-fixes`.
    #[serde(default)]
    pub unsafe_fixes: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MetadataFile {
    pub name: String,
    pub text: String,
}

/// The options, read and judged: the settings and template, the card's path, and what
/// its folder holds.
struct Prepared {
    cfg: Config,
    spec: Spec,
    path: String,
    /// The config's `paths`/`exclude` say the path is not a card (only when a path
    /// was given: a bare text is always a card).
    excluded: bool,
    folder: FolderOracle,
    unsafe_fixes: bool,
}

/// Reads the options' JSON (empty or `null`: the defaults).
fn parse_options(json: &str) -> Result<Options> {
    let json = json.trim();
    if json.is_empty() || json == "null" || json == "undefined" {
        return Ok(Options::default());
    }
    serde_json::from_str(json).map_err(|e| anyhow::anyhow!("options: {e}"))
}

/// Builds the settings the options describe, failing with the CLI's words.
fn prepare(opts: Options) -> Result<Prepared> {
    let cfg = match &opts.config {
        // Named as the CLI names a config found beside the card.
        Some(text) => Config::parse(text, Path::new(""))
            .with_context(|| format!("invalid config file {DEFAULT_CONFIG_NAME}"))?,
        None => Config::default(),
    };
    let spec = match (&opts.template, &cfg.template) {
        (Some(text), named) => {
            let name = named
                .as_ref()
                .map_or_else(|| "template.md".to_string(), |p| p.display().to_string());
            Spec::from_bytes(text.as_bytes(), &name, &cfg)?
        }
        (None, Some(named)) => bail!(
            "the config names the template {}; pass its text as options.template",
            named.display()
        ),
        (None, None) => Spec::default_spec(&cfg)?,
    };
    let given = opts.path.is_some();
    let path = normalise_card_path(opts.path.as_deref().unwrap_or("README.md"))?;
    let excluded = given && !crate::config::Globs::for_repository(&cfg)?.matches(&path);
    let folder = FolderOracle::new(&path, opts.files.as_deref(), opts.metadata)?;
    Ok(Prepared {
        cfg,
        spec,
        path,
        excluded,
        folder,
        unsafe_fixes: opts.unsafe_fixes,
    })
}

/// `check`: `{"findings":[…]}`, each finding as `check --format json` writes it; a
/// path the config's globs leave out is `{"findings":[],"excluded":true}`, as
/// `check --force-exclude` (the pre-commit hook) passes it.
pub fn check(card: &[u8], options_json: &str) -> Result<String> {
    let p = prepare(parse_options(options_json)?)?;
    if p.excluded {
        return Ok(r#"{"findings":[],"excluded":true}"#.to_string());
    }
    let c = crate::rules::check_card_bytes(&p.spec, &p.cfg, &p.path, card, &p.folder);
    Ok(format!(
        "{{\"findings\":{}}}",
        crate::report::json::findings_json(&c.findings)
    ))
}

/// `fix`: the text `fix` writes (the card itself when nothing is to fix); a card that
/// cannot be read as one fails as `fix` reports it.
pub fn fix(card: &[u8], options_json: &str) -> Result<String> {
    let p = prepare(parse_options(options_json)?)?;
    if p.excluded {
        // As `fix --force-exclude`: not a card, not read.
        return Ok(String::from_utf8_lossy(card).into_owned());
    }
    crate::card::decode(card, p.cfg.max_file_size)
        .map_err(|why| anyhow::anyhow!("{}: not fixed: {}", p.path, why.explain()))?;
    // The whole text, byte order mark and all, as `fix` rewrites the file.
    let text = std::str::from_utf8(card).expect("decoded as UTF-8");
    Ok(crate::fix::fix_text(&p.spec, &p.cfg, &p.path, text, &p.folder, p.unsafe_fixes).text)
}

/// A card's path as the repository has it: `/`-separated, relative, without `.` or
/// `..` steps.
fn normalise_card_path(path: &str) -> Result<String> {
    let joined = join("", path).with_context(|| {
        format!("options.path {path:?}: give the card's path inside the repository, such as models/my-model/README.md")
    })?;
    if joined.is_empty() {
        bail!("options.path {path:?}: give the card's file, such as models/my-model/README.md");
    }
    Ok(joined)
}

/// `folder/relative`, normalised; None when it climbs above the repository root.
fn join(folder: &str, relative: &str) -> Option<String> {
    let relative = relative.replace('\\', "/");
    let mut parts: Vec<&str> = if relative.starts_with('/') {
        Vec::new()
    } else {
        folder.split('/').filter(|s| !s.is_empty()).collect()
    };
    for step in relative.split('/') {
        match step {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    Some(parts.join("/"))
}

/// Answers for the files a caller named: what `check` learns from the disk, for the
/// card's folder (and any file named with `../`); elsewhere it cannot tell.
struct FolderOracle {
    /// The card's folder, repository-relative ("" at the root).
    folder: String,
    /// Every named file and the folders holding them, repository-relative; None: no
    /// `files` given.
    present: Option<BTreeSet<String>>,
    metadata: Option<(String, Vec<u8>)>,
}

impl FolderOracle {
    fn new(
        card_path: &str,
        files: Option<&[String]>,
        metadata: Option<MetadataFile>,
    ) -> Result<FolderOracle> {
        let folder = card_path
            .rsplit_once('/')
            .map_or("", |(d, _)| d)
            .to_string();
        let present = match files {
            None => None,
            Some(list) => {
                let mut set = BTreeSet::new();
                for f in list {
                    let Some(p) = join(&folder, f).filter(|p| !p.is_empty()) else {
                        bail!("options.files: {f:?} is not a file inside the repository");
                    };
                    let mut at = p.as_str();
                    set.insert(p.clone());
                    while let Some((parent, _)) = at.rsplit_once('/') {
                        set.insert(parent.to_string());
                        at = parent;
                    }
                }
                Some(set)
            }
        };
        let metadata = match metadata {
            None => None,
            Some(m) => {
                if !crate::metadata::METADATA_FILES.contains(&m.name.as_str()) {
                    bail!(
                        "options.metadata.name {:?}: use {}",
                        m.name,
                        crate::metadata::METADATA_FILES.join(" or ")
                    );
                }
                let at = join(&folder, &m.name).expect("a plain file name");
                Some((at, m.text.into_bytes()))
            }
        };
        Ok(FolderOracle {
            folder,
            present,
            metadata,
        })
    }

    fn inside_folder(&self, path: &str) -> bool {
        self.folder.is_empty()
            || path
                .strip_prefix(self.folder.as_str())
                .is_some_and(|rest| rest.starts_with('/'))
    }
}

impl LinkOracle for FolderOracle {
    fn exists(&self, path: &str) -> Option<bool> {
        let present = self.present.as_ref()?;
        if present.contains(path)
            || self.metadata.as_ref().is_some_and(|(at, _)| at == path)
            || path == self.folder
        {
            Some(true)
        } else if self.inside_folder(path) {
            Some(false)
        } else {
            None
        }
    }

    fn read(&self, path: &str) -> Option<Result<Vec<u8>, String>> {
        let (at, bytes) = self.metadata.as_ref()?;
        (at == path).then(|| Ok(bytes.clone()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn findings(card: &str, options: &str) -> serde_json::Value {
        let out = check(card.as_bytes(), options).unwrap();
        serde_json::from_str::<serde_json::Value>(&out).unwrap()["findings"].clone()
    }

    fn rules_of(v: &serde_json::Value) -> Vec<String> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|f| format!("{}:{}", f["rule"].as_str().unwrap(), f["line"]))
            .collect()
    }

    #[test]
    fn links_are_judged_only_against_named_files() {
        let card =
            "# M\n\n![fig](images/fig.png) ![gone](images/gone.png) [up](../other/README.md)\n";
        let without = findings(card, r#"{"path":"models/m/README.md"}"#);
        assert!(!rules_of(&without)
            .iter()
            .any(|r| r.starts_with("broken-link")));
        let with = findings(
            card,
            r#"{"path":"models/m/README.md","files":["README.md","images/fig.png"]}"#,
        );
        let broken: Vec<_> = with
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["rule"] == "broken-link")
            .collect();
        // The missing image is broken; the link out of the folder cannot be told.
        assert_eq!(broken.len(), 1, "{with:#}");
        assert!(broken[0]["message"]
            .as_str()
            .unwrap()
            .contains("images/gone.png"));
    }

    #[test]
    fn bad_options_fail_with_the_clis_words() {
        let e = check(b"# M\n", r#"{"config":"rules = 3"}"#).unwrap_err();
        assert!(
            format!("{e:#}").starts_with("invalid config file .modelcard-review.toml: "),
            "{e:#}"
        );
        let e = check(b"# M\n", r#"{"template":"a\u0000b"}"#).unwrap_err();
        assert!(
            format!("{e:#}").starts_with("template template.md: "),
            "{e:#}"
        );
        let e = check(b"# M\n", r#"{"unsafe_fixes":true}"#).unwrap_err();
        assert!(
            format!("{e:#}").contains("unknown field `unsafe_fixes`"),
            "{e:#}"
        );
        let e = check(b"# M\n", r#"{"path":"../x/README.md"}"#).unwrap_err();
        assert!(format!("{e:#}").contains("inside the repository"), "{e:#}");
        let e = check(b"# M\n", r#"{"metadata":{"name":"meta.yaml","text":""}}"#).unwrap_err();
        assert!(format!("{e:#}").contains("use rdf.yaml or bioimageio.yaml"));
        let e = check(b"# M\n", r#"{"config":"template = \"t.md\""}"#).unwrap_err();
        assert!(format!("{e:#}").contains("pass its text as options.template"));
    }

    #[test]
    fn a_path_the_config_leaves_out_is_not_a_card() {
        let cfg = r#"{"config":"paths = [\"models/**/README.md\"]","path":"docs/README.md"}"#;
        let out = check(b"TODO\n", cfg).unwrap();
        assert_eq!(out, r#"{"findings":[],"excluded":true}"#);
        // Nor is it read to be fixed, as `fix --force-exclude` leaves it.
        assert_eq!(fix(b"TODO\0\n", cfg).unwrap(), "TODO\0\n");
        // Without a path the text is a card, whatever the globs say.
        let out = check(
            b"TODO\n",
            r#"{"config":"paths = [\"models/**/README.md\"]"}"#,
        )
        .unwrap();
        assert!(out.contains("placeholder"), "{out}");
    }

    #[test]
    fn metadata_text_is_read_beside_the_card() {
        let card = crate::template::DEFAULT_TEMPLATE.replace("[Model Name]", "Nuclei UNet");
        let opts = r#"{"path":"models/n/README.md","metadata":{"name":"rdf.yaml","text":"name: Mito Net\n"}}"#;
        let v = findings(&card, opts);
        assert!(
            rules_of(&v)
                .iter()
                .any(|r| r.starts_with("metadata-mismatch")),
            "{v:#}"
        );
        let v = findings(&card, r#"{"metadata":{"name":"rdf.yaml","text":"a: [\n"}}"#);
        assert!(rules_of(&v)
            .iter()
            .any(|r| r.starts_with("metadata-unreadable")));
    }

    #[test]
    fn fix_is_the_text_fix_writes() {
        let card = "# Nuclei\n\n## Model details\n";
        let fixed = fix(card.as_bytes(), "{}").unwrap();
        assert!(fixed.contains("\n# Model Details\n"), "{fixed}");
        assert_eq!(fix(fixed.as_bytes(), "{}").unwrap(), fixed);
        let bom = fix("\u{feff}# Nuclei\n".as_bytes(), "{}").unwrap();
        assert!(bom.starts_with("\u{feff}# Nuclei\n"), "{bom:?}");
        let e = fix(b"# a\0b", r#"{"path":"models/a/README.md"}"#).unwrap_err();
        assert!(format!("{e:#}").starts_with("models/a/README.md: not fixed: "));
    }

    #[test]
    fn paths_are_normalised() {
        assert_eq!(
            normalise_card_path("./models\\a/README.md").unwrap(),
            "models/a/README.md"
        );
        assert_eq!(join("models/a", "../b/x.png").unwrap(), "models/b/x.png");
        assert_eq!(join("models/a", "/x.png").unwrap(), "x.png");
        assert!(join("a", "../../x").is_none());
        assert!(normalise_card_path(".").is_err());
    }
}
