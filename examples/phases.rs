//! Profiling driver for the check's instruction count (not a benchmark: valgrind
//! counts instructions exactly, where wall clock on a shared machine swings by ±30%).
//!
//! `scripts/instructions.sh` builds it and runs it under valgrind. By hand:
//! `cargo build --profile profiling --example phases`, then
//! `valgrind --tool=callgrind target/profiling/examples/phases DIR MODE` where MODE is
//! `none` (only read the files), `bare` (a bare pulldown-cmark pass), `parse` (the card
//! model) or `full` (every rule). `SET=good|broken|template|all` picks cards of the bench
//! corpus by kind (its card i is a template when i % 10 == 0, broken when 1..=3);
//! `REPS` repeats the pass.

use modelcard_review::card::{markdown_options, Card};
use modelcard_review::config::Config;
use modelcard_review::rules::{check_text, NoOracle};
use modelcard_review::template::Spec;
use std::hint::black_box;

fn main() {
    let mut args = std::env::args().skip(1);
    let (Some(dir), Some(mode)) = (args.next(), args.next()) else {
        eprintln!("usage: phases DIR none|bare|parse|full");
        std::process::exit(2);
    };
    let cfg = Config::default();
    let spec = Spec::default_spec(&cfg).expect("the embedded template");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("the corpus folder")
        .map(|e| e.expect("a folder entry").path())
        .collect();
    files.sort();
    let kinds = match std::env::var("SET").as_deref() {
        Ok("template") => 0..1,
        Ok("broken") => 1..4,
        Ok("good") => 4..10,
        _ => 0..10,
    };
    let texts: Vec<String> = files
        .iter()
        .enumerate()
        .filter(|(i, _)| kinds.contains(&(i % 10)))
        .map(|(_, p)| std::fs::read_to_string(p).expect("a UTF-8 card"))
        .collect();
    let reps: usize = std::env::var("REPS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1);
    for _ in 0..reps {
        for text in &texts {
            match mode.as_str() {
                "bare" => {
                    for event in
                        pulldown_cmark::Parser::new_ext(text, markdown_options()).into_offset_iter()
                    {
                        black_box(event);
                    }
                }
                "parse" => {
                    black_box(Card::parse(text));
                }
                "full" => {
                    black_box(check_text(&spec, &cfg, "m/x/README.md", text, &NoOracle));
                }
                _ => {}
            }
        }
    }
}
