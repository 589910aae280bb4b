//! Nearest-neighbour latency of embx, the counterpart of ../shared/bench/bench_knn.py.
//!
//! Usage: `embx_knn VECTORS [QUERIES] [ROUNDS]`; every `similar(word, 10)` call is timed.
//! Prints `knn vocab=.. queries=.. calls=.. first_call_ms=.. median_ms=.. p10_ms=.. p90_ms=..
//! min_ms=.. max_ms=..`; with KNN_DUMP=path writes `query<TAB>n1 … n10` for the first round.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test code: a failed unwrap is a failed test"
)]
use embx::io::{load, LoadOptions};
use embx::query::similar;
use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let path = args
        .first()
        .ok_or("usage: embx_knn VECTORS [QUERIES] [ROUNDS]")?;
    let qpath = args
        .get(1)
        .cloned()
        .unwrap_or_else(|| "../shared/bench/queries200.txt".into());
    let rounds: usize = args.get(2).map_or(Ok(3), |s| s.parse())?;
    let space = load(path.as_ref(), &LoadOptions::default())?.space;
    let queries: Vec<String> = std::fs::read_to_string(&qpath)?
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(String::from)
        .collect();
    let t = Instant::now();
    similar(&space, &["king"], 10)?;
    let first_ms = t.elapsed().as_secs_f64() * 1e3;
    let mut times = Vec::new();
    let mut dump = Vec::new();
    for r in 0..rounds {
        for q in &queries {
            let t = Instant::now();
            let answer = similar(&space, &[q.as_str()], 10)?;
            times.push(t.elapsed().as_secs_f64() * 1e3);
            if r == 0 {
                let words: Vec<&str> = answer
                    .hits
                    .iter()
                    .map(|h| space.word(h.index as usize))
                    .collect();
                dump.push(format!("{q}\t{}", words.join(" ")));
            }
        }
    }
    if let Ok(p) = std::env::var("KNN_DUMP") {
        std::fs::write(p, dump.join("\n") + "\n")?;
    }
    times.sort_by(f64::total_cmp);
    let at = |f: f64| times[((times.len() - 1) as f64 * f) as usize];
    println!(
        "knn vocab={} queries={} calls={} first_call_ms={first_ms:.3} median_ms={:.3} p10_ms={:.3} p90_ms={:.3} min_ms={:.3} max_ms={:.3}",
        space.len(),
        queries.len(),
        times.len(),
        at(0.5),
        at(0.1),
        at(0.9),
        times[0],
        times[times.len() - 1]
    );
    Ok(())
}
