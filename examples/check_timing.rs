//! The engine's time for one card, in process: `in_memory::check` (what the
//! WebAssembly package runs) called RUNS times on the card, the median printed in
//! microseconds. scripts/bench-wasm.sh sets it beside the same call in Node.
//! Usage: cargo run --release --example check_timing -- CARD [RUNS]

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let path = args
        .next()
        .ok_or_else(|| anyhow::anyhow!("usage: check_timing CARD [RUNS]"))?;
    let runs: usize = args.next().map_or(Ok(200), |r| r.parse())?;
    let card = std::fs::read(&path)?;
    let mut times = Vec::with_capacity(runs);
    let mut findings = 0;
    for _ in 0..runs + 20 {
        let start = std::time::Instant::now();
        let out = modelcard_review::in_memory::check(&card, "{}")?;
        times.push(start.elapsed().as_secs_f64() * 1e6);
        findings = out.matches("\"rule\":").count();
    }
    // The first runs warm the caches, as the Node side's do.
    let mut times = times.split_off(20);
    times.sort_by(f64::total_cmp);
    println!("{:.0} {findings}", times[times.len() / 2]);
    Ok(())
}
