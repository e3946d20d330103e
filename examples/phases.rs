use modelcard_review::card::Card;
use modelcard_review::config::Config;
use modelcard_review::rules::{check_text, Facts, NoOracle, Outline};
use modelcard_review::template::{Spec, DEFAULT_TEMPLATE};
use std::time::Instant;
fn main() {
    let root = env!("CARGO_MANIFEST_DIR");
    let read = |p: &str| String::from_utf8_lossy(&std::fs::read(format!("{root}/{p}")).unwrap()).trim_start_matches('\u{feff}').to_string();
    let bases = [read("fixtures/cards/good/nuclei-unet-2d/README.md"), read("fixtures/cards/good/mito-em-3d/README.md"), read("fixtures/cards/good/n2v-denoise/README.md"), read("fixtures/cards/broken/common-faults/README.md"), DEFAULT_TEMPLATE.to_string()];
    let cfg = Config::default();
    let spec = Spec::default_spec(&cfg).unwrap();
    for (i, b) in bases.iter().enumerate() {
        let n = 200;
        let t = Instant::now(); for _ in 0..n { std::hint::black_box(Card::parse(b)); } let tp = t.elapsed() / n;
        let card = Card::parse(b);
        let t = Instant::now(); for _ in 0..n { std::hint::black_box(Facts::build(&spec, &cfg, &card)); } let tf = t.elapsed() / n;
        let t = Instant::now(); for _ in 0..n { std::hint::black_box(Outline::build(&spec, &card)); } let to = t.elapsed() / n;
        let t = Instant::now(); for _ in 0..n { std::hint::black_box(check_text(&spec, &cfg, "a/README.md", b, &NoOracle)); } let tc = t.elapsed() / n;
        let t = Instant::now(); for _ in 0..n { for e in pulldown_cmark::Parser::new_ext(b, modelcard_review::card::markdown_options()).into_offset_iter() { std::hint::black_box(e); } } let tb = t.elapsed() / n;
        println!("card {i}: bare {tb:?} parse {tp:?} facts {tf:?} outline {to:?} total {tc:?} findings {}", check_text(&spec, &cfg, "a/README.md", b, &NoOracle).len());
    }
}
