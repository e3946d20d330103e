//! Work on many items at once, results handed over one by one in the items' order.
//!
//! `check` reports cards in the order given, as the reports are read (and diffed) by
//! people. Workers that each took a fixed share of a batch sat idle while the
//! slowest share finished and while the batch was written out; here each worker takes
//! the next item as soon as it is free, and the caller writes results while the
//! workers go on. Memory stays bounded: no item more than `window` places past the
//! last result handed over is started.

use anyhow::{anyhow, Result};
use std::collections::BTreeMap;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{mpsc, Condvar, Mutex};

/// How far the workers may run ahead of the caller.
struct Gate {
    /// Results handed over so far: items below `taken + window` may be started.
    taken: usize,
    /// Workers waiting for `taken` to move (the caller wakes them only then).
    waiting: usize,
}

/// Runs `work` on every item with up to `threads` threads and hands each result to
/// `take` in the items' order. The first error, from `work` (including a panic) or
/// from `take`, ends the run: results after it are not handed over, and it is
/// returned once the workers have stopped.
pub fn in_order<T: Sync, R: Send>(
    items: &[T],
    threads: usize,
    window: usize,
    work: impl Fn(&T) -> Result<R> + Sync,
    mut take: impl FnMut(R) -> Result<()>,
) -> Result<()> {
    let window = window.max(1);
    let threads = threads.clamp(1, items.len().max(1));
    let run = |item: &T, i: usize| {
        catch_unwind(AssertUnwindSafe(|| work(item)))
            .unwrap_or_else(|_| Err(anyhow!("checking input {} failed unexpectedly", i + 1)))
    };
    if threads == 1 {
        for (i, item) in items.iter().enumerate() {
            take(run(item, i)?)?;
        }
        return Ok(());
    }
    let next = AtomicUsize::new(0);
    let stop = AtomicBool::new(false);
    let gate = Mutex::new(Gate {
        taken: 0,
        waiting: 0,
    });
    let moved = Condvar::new();
    std::thread::scope(|scope| {
        let (tx, rx) = mpsc::channel::<(usize, Result<R>)>();
        for _ in 0..threads {
            let tx = tx.clone();
            let (next, stop, gate, moved, run) = (&next, &stop, &gate, &moved, &run);
            scope.spawn(move || loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= items.len() || stop.load(Ordering::Relaxed) {
                    break;
                }
                {
                    let mut g = gate.lock().unwrap_or_else(|p| p.into_inner());
                    while i >= g.taken + window && !stop.load(Ordering::Relaxed) {
                        g.waiting += 1;
                        g = moved.wait(g).unwrap_or_else(|p| p.into_inner());
                        g.waiting -= 1;
                    }
                }
                if stop.load(Ordering::Relaxed) || tx.send((i, run(&items[i], i))).is_err() {
                    break;
                }
            });
        }
        drop(tx);
        let outcome = (|| {
            let mut ready: BTreeMap<usize, Result<R>> = BTreeMap::new();
            for want in 0..items.len() {
                let r = loop {
                    if let Some(r) = ready.remove(&want) {
                        break r;
                    }
                    let (i, r) = rx
                        .recv()
                        .map_err(|_| anyhow!("the checker threads stopped before the end"))?;
                    ready.insert(i, r);
                };
                take(r?)?;
                let mut g = gate.lock().unwrap_or_else(|p| p.into_inner());
                g.taken = want + 1;
                if g.waiting > 0 {
                    moved.notify_all();
                }
            }
            Ok(())
        })();
        // Whatever happened, release the workers; the scope waits for them.
        stop.store(true, Ordering::Relaxed);
        let _g = gate.lock().unwrap_or_else(|p| p.into_inner());
        moved.notify_all();
        outcome
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn jitter(i: usize) {
        // Uneven work, so results arrive out of order.
        std::thread::sleep(Duration::from_micros(((i * 7919) % 13) as u64 * 50));
    }

    #[test]
    fn results_come_in_the_items_order() {
        let items: Vec<usize> = (0..300).collect();
        for threads in [1, 2, 4, 8] {
            let mut got = Vec::new();
            in_order(
                &items,
                threads,
                5,
                |&i| {
                    jitter(i);
                    Ok(i * 2)
                },
                |r| {
                    got.push(r);
                    Ok(())
                },
            )
            .unwrap();
            assert_eq!(got, items.iter().map(|i| i * 2).collect::<Vec<_>>());
        }
    }

    #[test]
    fn workers_stay_within_the_window() {
        let items: Vec<usize> = (0..200).collect();
        let (started, taken, most) = (
            AtomicUsize::new(0),
            AtomicUsize::new(0),
            AtomicUsize::new(0),
        );
        in_order(
            &items,
            4,
            3,
            |&i| {
                // Item i starts only once fewer than 3 results are outstanding
                // before it: i < taken + 3.
                let ahead = i + 1 - taken.load(Ordering::SeqCst);
                most.fetch_max(ahead, Ordering::SeqCst);
                started.fetch_add(1, Ordering::SeqCst);
                jitter(i);
                Ok(i)
            },
            |_| {
                taken.fetch_add(1, Ordering::SeqCst);
                // A slow writer: workers must wait, not run ahead.
                std::thread::sleep(Duration::from_micros(200));
                Ok(())
            },
        )
        .unwrap();
        assert_eq!(started.load(Ordering::SeqCst), 200);
        assert!(most.load(Ordering::SeqCst) <= 3, "{most:?}");
    }

    #[test]
    fn an_error_stops_the_run_after_the_results_before_it() {
        let items: Vec<usize> = (0..100).collect();
        for threads in [1, 3] {
            let mut got = Vec::new();
            let err = in_order(
                &items,
                threads,
                8,
                |&i| {
                    jitter(i);
                    if i == 40 {
                        Err(anyhow!("cannot read item 40"))
                    } else {
                        Ok(i)
                    }
                },
                |r| {
                    got.push(r);
                    Ok(())
                },
            )
            .unwrap_err();
            assert_eq!(err.to_string(), "cannot read item 40");
            assert_eq!(got, (0..40).collect::<Vec<_>>());
        }
    }

    #[test]
    fn a_panic_is_an_error_not_a_hang() {
        let items: Vec<usize> = (0..50).collect();
        for threads in [1, 2] {
            let mut got = 0;
            let err = in_order(
                &items,
                threads,
                4,
                |&i| {
                    if i == 7 {
                        panic!("a bug");
                    }
                    Ok(i)
                },
                |_| {
                    got += 1;
                    Ok(())
                },
            )
            .unwrap_err();
            assert_eq!(err.to_string(), "checking input 8 failed unexpectedly");
            assert_eq!(got, 7);
        }
    }

    #[test]
    fn an_error_of_the_caller_stops_the_workers() {
        let items: Vec<usize> = (0..1000).collect();
        let started = AtomicUsize::new(0);
        let err = in_order(
            &items,
            4,
            2,
            |&i| {
                started.fetch_add(1, Ordering::SeqCst);
                Ok(i)
            },
            |r| {
                if r == 10 {
                    Err(anyhow!("the output is closed"))
                } else {
                    Ok(())
                }
            },
        )
        .unwrap_err();
        assert_eq!(err.to_string(), "the output is closed");
        // Nothing past the window was started (plus at most one claim per worker
        // that saw the stop only after claiming).
        assert!(started.load(Ordering::SeqCst) <= 11 + 2 + 4);
    }
}
