//! `cargo bench --bench check`: 1000 template-sized cards checked in one process,
//! against a bare pulldown-cmark pass over the same texts (the floor). Prints the
//! median of several rounds and the ratio; the target is all rules within 2× of the floor.

use modelcard_review::card::markdown_options;
use modelcard_review::config::Config;
use modelcard_review::rules::{check_text, NoOracle};
use modelcard_review::template::{Spec, DEFAULT_TEMPLATE};
use std::hint::black_box;
use std::time::{Duration, Instant};

fn corpus(n: usize) -> Vec<String> {
    let root = env!("CARGO_MANIFEST_DIR");
    let read = |p: &str| {
        let b = std::fs::read(format!("{root}/{p}")).unwrap();
        String::from_utf8_lossy(&b).trim_start_matches('\u{feff}').to_string()
    };
    let bases = [
        read("fixtures/cards/good/nuclei-unet-2d/README.md"),
        read("fixtures/cards/good/mito-em-3d/README.md"),
        read("fixtures/cards/good/n2v-denoise/README.md"),
        read("fixtures/cards/broken/common-faults/README.md"),
        DEFAULT_TEMPLATE.to_string(),
    ];
    (0..n)
        .map(|i| {
            // Vary each copy a little so no two texts are identical.
            let b = &bases[i % bases.len()];
            format!("{b}\n<!-- card {i} -->\nExtra note {i}: measured on plate {}.\n", i * 7)
        })
        .collect()
}

fn bare(cards: &[String]) -> usize {
    let mut n = 0;
    for c in cards {
        for (ev, range) in pulldown_cmark::Parser::new_ext(c, markdown_options()).into_offset_iter() {
            black_box(&ev);
            n += range.len() & 1;
        }
    }
    n
}

fn all_rules(spec: &Spec, cfg: &Config, cards: &[String]) -> usize {
    cards
        .iter()
        .map(|c| check_text(spec, cfg, "models/x/README.md", c, &NoOracle).len())
        .sum()
}

fn parse_only(cards: &[String]) -> usize {
    cards.iter().map(|c| modelcard_review::card::Card::parse(c).blocks.len()).sum()
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn main() {
    let rounds: usize = std::env::var("BENCH_ROUNDS").ok().and_then(|s| s.parse().ok()).unwrap_or(9);
    let n: usize = std::env::var("BENCH_CARDS").ok().and_then(|s| s.parse().ok()).unwrap_or(1000);
    let cards = corpus(n);
    let bytes: usize = cards.iter().map(String::len).sum();
    let cfg = Config::default();
    let spec = Spec::default_spec(&cfg).unwrap();
    // Warm up both paths once.
    black_box(bare(&cards));
    let findings = all_rules(&spec, &cfg, &cards);
    let mut tb = Vec::new();
    let mut tr = Vec::new();
    let mut tp = Vec::new();
    for _ in 0..rounds {
        let t = Instant::now();
        black_box(parse_only(&cards));
        tp.push(t.elapsed());
        let t = Instant::now();
        black_box(bare(&cards));
        tb.push(t.elapsed());
        let t = Instant::now();
        black_box(all_rules(&spec, &cfg, &cards));
        tr.push(t.elapsed());
    }
    let (b, r) = (median(tb), median(tr));
    let mib = bytes as f64 / (1024.0 * 1024.0);
    println!("cards: {n} ({mib:.1} MiB), findings: {findings}, rounds: {rounds}");
    println!("bare pulldown-cmark pass: {:>8.1} ms  ({:.0} MiB/s)", b.as_secs_f64() * 1e3, mib / b.as_secs_f64());
    let p = median(tp);
    println!("card model only (parse):  {:>8.1} ms  ({:.0} MiB/s)", p.as_secs_f64() * 1e3, mib / p.as_secs_f64());
    println!("all rules (check):        {:>8.1} ms  ({:.0} MiB/s)", r.as_secs_f64() * 1e3, mib / r.as_secs_f64());
    println!("ratio all rules / bare:   {:>8.2}x  (target: <= 2x)", r.as_secs_f64() / b.as_secs_f64());
}
