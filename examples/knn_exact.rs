//! Exact top-10 latency per query, wall and CPU, as `similar` asks it (the word's unit row,
//! the word excluded), and a check that every answer equals the plain f32 scan's.
//!
//! Usage: `knn_exact VECTORS [QUERIES]` (QUERIES: one word a line, default
//! ../shared/bench/queries200.txt). The first query scans in f32, the second builds the
//! pre-filter's copy (both reported apart; it reads the copy the explorer kept in the cache
//! folder instead, when there is one: point `XDG_CACHE_HOME` to an empty folder to time the
//! build); the medians are over the queries after them.
//! `EMBX_PREFILTER=int8` keeps the int8 copy of whole rows, `EMBX_KERNEL` caps the kernels,
//! `RAYON_NUM_THREADS=1` runs one query on one core. Prints one key=value line.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a benchmark: a failed unwrap is a failed run"
)]
use embx::io::{load, LoadOptions};
use embx::query::{prefilter_survivors, top_k, top_k_exact};
use std::time::Instant;

/// CPU seconds of the whole process so far (every thread).
fn cpu_seconds() -> f64 {
    let mut t = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `t` is a valid timespec the call writes to.
    unsafe { libc::clock_gettime(libc::CLOCK_PROCESS_CPUTIME_ID, &mut t) };
    t.tv_sec as f64 + t.tv_nsec as f64 * 1e-9
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let path = args.first().ok_or("usage: knn_exact VECTORS [QUERIES]")?;
    let qpath = args
        .get(1)
        .cloned()
        .unwrap_or_else(|| "../shared/bench/queries200.txt".into());
    let space = load(path.as_ref(), &LoadOptions::default())?.space;
    let rows: Vec<u32> = std::fs::read_to_string(&qpath)?
        .lines()
        .filter_map(|w| space.index(w.trim()))
        .collect();
    let ask = |r: u32| top_k(&space, space.unit(r as usize), 10, &[r], None);
    let mut answers = Vec::new();
    let (mut wall, mut cpu) = (Vec::new(), Vec::new());
    let mut warm = Vec::new();
    for (i, &r) in rows.iter().enumerate() {
        let (t, c) = (Instant::now(), cpu_seconds());
        answers.push(ask(r));
        let (w, c) = (t.elapsed().as_secs_f64() * 1e3, (cpu_seconds() - c) * 1e3);
        if i < 2 {
            warm.push(w);
        } else {
            wall.push(w);
            cpu.push(c);
        }
    }
    let same = rows
        .iter()
        .zip(&answers)
        .filter(|(&r, a)| top_k_exact(&space, space.unit(r as usize), 10, &[r], None) == **a)
        .count();
    let mut left: Vec<f64> = rows
        .iter()
        .filter_map(|&r| prefilter_survivors(&space, space.unit(r as usize), 10, &[r]))
        .map(|n| n as f64)
        .collect();
    left.sort_by(f64::total_cmp);
    let at = |f: f64| {
        left.get(((left.len().max(1) - 1) as f64 * f) as usize)
            .copied()
    };
    println!(
        "survivors (rows re-scored in f32, reduced pre-filter): queries={} median={:?} p90={:?} max={:?}",
        left.len(),
        at(0.5),
        at(0.9),
        at(1.0)
    );
    println!(
        "knn_exact rows={} queries={} first_ms={:.1} second_ms={:.1} median_wall_ms={:.2} median_cpu_ms={:.2} same_as_f32_scan={same}/{} space_heap_mib={:.0}",
        space.len(),
        rows.len(),
        warm.first().copied().unwrap_or(0.0),
        warm.get(1).copied().unwrap_or(0.0),
        median(wall),
        median(cpu),
        rows.len(),
        space.memory_bytes() as f64 / (1 << 20) as f64,
    );
    Ok(())
}
