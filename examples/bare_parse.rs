//! The floor for `scripts/bench.sh`: read every file given (folders recursively) and
//! run a bare pulldown-cmark pass over it with the options the checker uses.
//! One file at a time, so memory stays flat whatever the corpus size.

use modelcard_review::card::markdown_options;
use std::path::Path;

fn walk(p: &Path, events: &mut u64) {
    if p.is_dir() {
        let mut entries: Vec<_> = std::fs::read_dir(p)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        entries.sort();
        for e in entries {
            walk(&e, events);
        }
    } else if p.extension().is_some_and(|x| x == "md") {
        let bytes = std::fs::read(p).unwrap();
        let text = String::from_utf8_lossy(&bytes);
        for (ev, _) in pulldown_cmark::Parser::new_ext(&text, markdown_options()).into_offset_iter()
        {
            std::hint::black_box(&ev);
            *events += 1;
        }
    }
}

fn main() {
    let mut events = 0u64;
    for a in std::env::args().skip(1) {
        walk(Path::new(&a), &mut events);
    }
    println!("{events} events");
}
