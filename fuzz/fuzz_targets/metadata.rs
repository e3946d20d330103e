//! A card and the metadata beside it, both from arbitrary bytes: the first byte
//! chooses where the `rdf.yaml` ends and the card begins. The card's own front
//! matter is YAML too. No panic, no hang, and memory within `-rss_limit_mb`: an
//! alias bomb or a deep nesting must stop at the loader's limits.
#![no_main]

use libfuzzer_sys::fuzz_target;
use modelcard_review::config::Config;
use modelcard_review::rules::{check_bytes, LinkOracle};
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

struct Beside<'a>(&'a [u8]);

impl LinkOracle for Beside<'_> {
    fn exists(&self, path: &str) -> Option<bool> {
        Some(path == "models/x/rdf.yaml")
    }

    fn read(&self, path: &str) -> Option<Result<Vec<u8>, String>> {
        (path == "models/x/rdf.yaml").then(|| Ok(self.0.to_vec()))
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&cut, rest)) = data.split_first() else {
        return;
    };
    let at = (cut as usize * rest.len()) / 255;
    let (rdf, card) = rest.split_at(at.min(rest.len()));
    let (cfg, spec) = default_spec();
    let findings = check_bytes(spec, cfg, "models/x/README.md", card, &Beside(rdf));
    for f in &findings {
        assert!(f.line >= 1 && f.line <= f.end_line);
    }
    if let Ok(text) = std::str::from_utf8(rdf) {
        let _ = modelcard_review::new_card::read_rdf(text, &modelcard_review::metadata::default_rdf_fields());
    }
});
