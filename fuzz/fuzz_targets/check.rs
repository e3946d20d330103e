//! The whole check path on arbitrary bytes: as a card under the built-in template,
//! and split in two as a template and a card. No panic, no hang, bounded memory.
#![no_main]

use libfuzzer_sys::fuzz_target;
use modelcard_review::config::Config;
use modelcard_review::rules::{check_bytes, NoOracle};
use modelcard_review::template::Spec;
use std::sync::OnceLock;

fn default_spec() -> &'static (Config, Spec) {
    static SPEC: OnceLock<(Config, Spec)> = OnceLock::new();
    SPEC.get_or_init(|| {
        let cfg = Config::default();
        let spec = Spec::default_spec(&cfg).expect("built-in template");
        (cfg, spec)
    })
}

fuzz_target!(|data: &[u8]| {
    let (cfg, spec) = default_spec();
    let findings = check_bytes(spec, cfg, "models/x/README.md", data, &NoOracle);
    for f in &findings {
        assert!(f.line >= 1 && f.line <= f.end_line);
    }
    // First byte chooses where the template ends and the card begins.
    if let Some((&cut, rest)) = data.split_first() {
        let at = (cut as usize * rest.len()) / 255;
        let (template, card) = rest.split_at(at.min(rest.len()));
        if let Ok(text) = std::str::from_utf8(template) {
            if let Ok(spec) = Spec::from_markdown(text, "fuzz", cfg) {
                let _ = check_bytes(&spec, cfg, "README.md", card, &NoOracle);
            }
        }
    }
});
