//! Times embx's readers, for scripts/bench-load.sh.
//!
//! Usage: `embx_load FILE [auto|mmap|array]`. Prints one line:
//! `reader=embx words=… dims=… storage=… seconds=… peak_rss_kb=… matrix_kb=…`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test code: a failed unwrap is a failed test"
)]
use embx::io::{load, LoadOptions, MmapMode};
use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let path = args
        .first()
        .ok_or("usage: embx_load FILE [auto|mmap|array]")?;
    let mmap = match args.get(1).map(String::as_str) {
        None | Some("auto") => MmapMode::Auto,
        Some("mmap") => MmapMode::Always,
        Some("array") => MmapMode::Never,
        Some(other) => return Err(format!("unknown mode {other}").into()),
    };
    let opts = LoadOptions {
        mmap,
        ..Default::default()
    };
    let start = Instant::now();
    let loaded = load(path.as_ref(), &opts)?;
    let secs = start.elapsed().as_secs_f64();
    let s = &loaded.space;
    println!(
        "reader=embx words={} dims={} storage={:?} seconds={secs:.4} peak_rss_kb={} matrix_kb={}",
        s.len(),
        s.dim(),
        s.source().storage,
        peak_rss_kb(),
        s.len() * s.dim() * 4 / 1024
    );
    Ok(())
}

fn peak_rss_kb() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}
