use modelcard_review::config::Config;
use modelcard_review::rules::{check_text, NoOracle};
use modelcard_review::template::Spec;
fn main() {
    let b = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/cards/good/nuclei-unet-2d/README.md")).unwrap();
    let cfg = Config::default();
    let spec = Spec::default_spec(&cfg).unwrap();
    for _ in 0..5000 { std::hint::black_box(check_text(&spec, &cfg, "a/README.md", &b, &NoOracle)); }
}
