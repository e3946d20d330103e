//! modelcard-review in a web page or in Node: `check`, `fix`, `rules` and `diff` over
//! `modelcard_review::in_memory` — the engine the CLI runs, with the built-in template
//! embedded. JavaScript objects cross as JSON, so a finding here is, byte for byte,
//! a finding of `check --format json`.

#![forbid(unsafe_code)]

use modelcard_review::in_memory;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &'static str = r#"
/** What the package may know beside the card's text. */
export interface CheckOptions {
  /** The template's Markdown (default: the built-in RI-SCALE Model Hub template). */
  template?: string;
  /** The text of the hub's `.modelcard-review.toml`. */
  config?: string;
  /** The card's metadata file. */
  metadata?: { name: "rdf.yaml" | "bioimageio.yaml"; text: string };
  /** The card's path in the repository (default `README.md`), for the config's
   *  `paths`/`exclude` and for resolving its links. */
  path?: string;
  /** The files in the card's folder, relative to it: local links and images are
   *  checked against them. Without it, links are not judged (as `check -`). */
  files?: string[];
  /** `fix --unsafe-fixes`: also move sections that stand out of the template's order. */
  unsafeFixes?: boolean;
}

/** One mechanical change: lines `line..=end_line` become `lines`. */
export interface Edit { line: number; end_line: number; lines: string[] }

/** A finding, as `modelcard-review check --format json` writes it. */
export interface Finding {
  rule: string;
  severity: "error" | "warning" | "notice";
  line: number;
  column: number;
  end_column?: number;
  end_line: number;
  message: string;
  section: string | null;
  field: string | null;
  suggestion: string | null;
  edits?: Edit[];
  unsafe_fix?: true;
  lines?: number[];
  fingerprint: string;
}

export interface CheckResult {
  findings: Finding[];
  /** The config's `paths`/`exclude` say `options.path` is not a card. */
  excluded?: true;
}

/** A rule, as `modelcard-review rules --format json` lists it. */
export interface Rule {
  id: string;
  severity: "error" | "warning" | "notice";
  summary: string;
  why: string;
  bad: string;
  good: string;
  help_uri: string;
}
"#;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(typescript_type = "string | Uint8Array")]
    pub type CardText;
    #[wasm_bindgen(typescript_type = "CheckOptions")]
    pub type CheckOptions;
    #[wasm_bindgen(typescript_type = "CheckResult")]
    pub type CheckResult;
    #[wasm_bindgen(typescript_type = "Rule[]")]
    pub type RuleList;
}

/// The card's bytes: a string (as typed) or a Uint8Array (a file as read, so a card
/// that is not UTF-8 is reported as `check` reports it).
fn card_bytes(card: &CardText) -> Result<Vec<u8>, JsError> {
    if let Some(s) = card.as_string() {
        return Ok(s.into_bytes());
    }
    if let Some(a) = card.dyn_ref::<js_sys::Uint8Array>() {
        return Ok(a.to_vec());
    }
    Err(JsError::new(
        "the card must be a string or a Uint8Array of its bytes",
    ))
}

fn options_json(options: Option<CheckOptions>) -> Result<String, JsError> {
    let Some(o) = options else {
        return Ok(String::new());
    };
    if o.is_undefined() || o.is_null() {
        return Ok(String::new());
    }
    let json = js_sys::JSON::stringify(&o)
        .map_err(|_| JsError::new("options: not a plain object (it cannot be written as JSON)"))?;
    Ok(json.as_string().unwrap_or_default())
}

/// The CLI's message for an error, without its `modelcard-review: error: ` prefix.
fn thrown(e: anyhow::Error) -> JsError {
    JsError::new(&format!("{e:#}"))
}

fn parsed(json: &str) -> Result<JsValue, JsError> {
    js_sys::JSON::parse(json).map_err(|_| JsError::new("internal: output is not JSON"))
}

/// Checks a card: `{ findings }`, each finding as `check --format json` gives it.
#[wasm_bindgen]
pub fn check(card: &CardText, options: Option<CheckOptions>) -> Result<CheckResult, JsError> {
    let out = in_memory::check(&card_bytes(card)?, &options_json(options)?).map_err(thrown)?;
    Ok(parsed(&out)?.unchecked_into())
}

/// The card after every safe fix (with `unsafeFixes`, the unsafe ones too): the text
/// `modelcard-review fix` writes.
#[wasm_bindgen]
pub fn fix(card: &CardText, options: Option<CheckOptions>) -> Result<String, JsError> {
    in_memory::fix(&card_bytes(card)?, &options_json(options)?).map_err(thrown)
}

/// Every rule: id, default level, what it finds and why, examples, its page.
#[wasm_bindgen]
pub fn rules() -> Result<RuleList, JsError> {
    Ok(parsed(&modelcard_review::registry::rules_json())?.unchecked_into())
}

/// The unified diff between a card and its fixed text, as `fix --diff` prints it.
#[wasm_bindgen]
pub fn diff(before: &str, after: &str, path: Option<String>) -> String {
    modelcard_review::fix::unified_diff(before, after, path.as_deref().unwrap_or("README.md"))
}

/// The built-in template's Markdown (`modelcard-review template` without a config).
#[wasm_bindgen(js_name = defaultTemplate)]
pub fn default_template() -> String {
    modelcard_review::template::DEFAULT_TEMPLATE.to_string()
}

/// The package's version (the CLI's).
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}
