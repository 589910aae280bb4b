//! How long one cache line takes to go from one core to another and back, for
//! scripts/bench-scaling.sh.
//!
//! Usage: `core_pingpong [ROUNDS]` (default 300,000). Two threads hand a counter back and
//! forth through one atomic on its own cache line; prints `round_trip_ns=…`, the mean time of
//! one hand-over there and back.
//!
//! Hogwild training writes shared rows all the time, so every row another core wrote last is
//! such a transfer. On the 2-core VM of the benchmarks the round trip is either about 70–120
//! ns or 320–400 ns depending on where the host puts the two vCPUs, and two-thread training
//! is then either 1.7–1.8× one thread or slower than one thread.
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

/// A value alone on its cache line (two lines: the adjacent-line prefetcher pairs them).
#[repr(align(128))]
struct Line(AtomicU64);

fn main() {
    let rounds: u64 = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(300_000);
    let line = Line(AtomicU64::new(0));
    let start = Instant::now();
    std::thread::scope(|s| {
        s.spawn(|| {
            for i in 0..rounds {
                while line.0.load(Ordering::Acquire) != 2 * i + 1 {
                    std::hint::spin_loop();
                }
                line.0.store(2 * i + 2, Ordering::Release);
            }
        });
        for i in 0..rounds {
            line.0.store(2 * i + 1, Ordering::Release);
            while line.0.load(Ordering::Acquire) != 2 * i + 2 {
                std::hint::spin_loop();
            }
        }
    });
    let ns = start.elapsed().as_nanos() as f64 / rounds.max(1) as f64;
    println!("round_trip_ns={ns:.0}");
}
