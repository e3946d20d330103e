//! `cargo bench --bench check`: 1000 template-sized cards, each read from disk and
//! checked with every rule in one process, against a bare pulldown-cmark pass that
//! reads and parses the same files (the floor). Prints medians of several rounds and
//! the ratio; the target is all rules within 2× of the floor.
//!
//! The corpus mixes what a hub sees: 60% filled cards, 30% cards with the usual
//! faults, 10% unfilled templates (each with ~150 findings). BENCH_CARDS and
//! BENCH_ROUNDS change its size and the number of rounds.

use modelcard_review::card::markdown_options;
use modelcard_review::config::Config;
use modelcard_review::rules::{check_bytes, NoOracle};
use modelcard_review::template::{Spec, DEFAULT_TEMPLATE};
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

fn write_corpus(n: usize) -> Vec<PathBuf> {
    let root = env!("CARGO_MANIFEST_DIR");
    let dir = Path::new(root).join(format!("target/bench-corpus-{n}"));
    let read = |p: &str| {
        let b = std::fs::read(format!("{root}/{p}")).unwrap();
        String::from_utf8_lossy(&b)
            .trim_start_matches('\u{feff}')
            .to_string()
    };
    let good = [
        read("fixtures/cards/good/nuclei-unet-2d/README.md"),
        read("fixtures/cards/good/mito-em-3d/README.md"),
        read("fixtures/cards/good/n2v-denoise/README.md"),
    ];
    let broken = read("fixtures/cards/broken/common-faults/README.md");
    std::fs::create_dir_all(&dir).unwrap();
    (0..n)
        .map(|i| {
            let body = match i % 10 {
                0 => DEFAULT_TEMPLATE.to_string(),
                1..=3 => broken.clone(),
                k => good[k % 3].clone(),
            };
            // Vary each copy so no two files are identical.
            let text = format!("{body}\n<!-- card {i} -->\nMeasured on plate {}.\n", i * 7);
            let p = dir.join(format!("card-{i:05}.md"));
            std::fs::write(&p, text).unwrap();
            p
        })
        .collect()
}

fn bare(files: &[PathBuf]) -> usize {
    let mut n = 0;
    for p in files {
        let bytes = std::fs::read(p).unwrap();
        let text = std::str::from_utf8(&bytes).unwrap();
        for (ev, range) in
            pulldown_cmark::Parser::new_ext(text, markdown_options()).into_offset_iter()
        {
            black_box(&ev);
            n += range.len() & 1;
        }
    }
    n
}

fn all_rules(spec: &Spec, cfg: &Config, files: &[PathBuf]) -> usize {
    files
        .iter()
        .map(|p| {
            let bytes = std::fs::read(p).unwrap();
            check_bytes(spec, cfg, "models/x/README.md", &bytes, &NoOracle).len()
        })
        .sum()
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn main() {
    let env = |k: &str, d: usize| {
        std::env::var(k)
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(d)
    };
    let (n, rounds) = (env("BENCH_CARDS", 1000), env("BENCH_ROUNDS", 11));
    let files = write_corpus(n);
    let bytes: u64 = files
        .iter()
        .map(|p| std::fs::metadata(p).unwrap().len())
        .sum();
    let cfg = Config::default();
    let spec = Spec::default_spec(&cfg).unwrap();
    black_box(bare(&files));
    let findings = all_rules(&spec, &cfg, &files);
    let (mut tb, mut tr) = (Vec::new(), Vec::new());
    for _ in 0..rounds {
        let t = Instant::now();
        black_box(bare(&files));
        tb.push(t.elapsed());
        let t = Instant::now();
        black_box(all_rules(&spec, &cfg, &files));
        tr.push(t.elapsed());
    }
    let (b, r) = (median(tb), median(tr));
    let mib = bytes as f64 / (1024.0 * 1024.0);
    println!("cards: {n} ({mib:.1} MiB), findings: {findings}, rounds: {rounds} (medians)");
    println!(
        "bare pulldown-cmark pass: {:>8.1} ms  ({:.0} MiB/s)",
        b.as_secs_f64() * 1e3,
        mib / b.as_secs_f64()
    );
    println!(
        "all rules (check):        {:>8.1} ms  ({:.0} MiB/s)",
        r.as_secs_f64() * 1e3,
        mib / r.as_secs_f64()
    );
    println!(
        "ratio all rules / bare:   {:>8.2}x  (target: <= 2x)",
        r.as_secs_f64() / b.as_secs_f64()
    );
    scaling(&spec, &cfg);
}

/// Cost must grow linearly with card size: doubling a table or a card should about
/// double the time, never quadruple it.
fn scaling(spec: &Spec, cfg: &Config) {
    let table = |rows: usize| {
        let mut s = String::from("# T\n\n| Metric | Overall | A | B |\n|---|---|---|---|\n");
        for i in 0..rows {
            s.push_str(&format!("| m{i} | 0.{i} | 0.XX | TODO |\n"));
        }
        s
    };
    let prose = |kib: usize| {
        let para = "*Provide basic details about the model including architecture, version, creators.* Some text with [a link](#model-details) and TODO.\n\n## Heading\n\n";
        para.repeat(kib * 1024 / para.len())
    };
    let time = |text: &str| {
        let t = Instant::now();
        black_box(modelcard_review::rules::check_text(
            spec,
            cfg,
            "m/README.md",
            text,
            &NoOracle,
        ));
        t.elapsed()
    };
    let best = |text: &str| (0..3).map(|_| time(text)).min().unwrap();
    let doubled = |what: &str, small: Duration, large: Duration, unit: &str| {
        println!(
            "{what:<27} {:.1} -> {:.1} ms ({:.2}x for 2x the {unit})",
            small.as_secs_f64() * 1e3,
            large.as_secs_f64() * 1e3,
            large.as_secs_f64() / small.as_secs_f64()
        )
    };
    doubled(
        "table 5,000 -> 10,000 rows:",
        best(&table(5_000)),
        best(&table(10_000)),
        "rows",
    );
    doubled(
        "card 0.5 -> 1 MiB:",
        best(&prose(512)),
        best(&prose(1024)),
        "size",
    );
}
