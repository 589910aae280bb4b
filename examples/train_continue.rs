//! Headless throughput of continuing a big space on a corpus, with or without the explorer's
//! live view work beside it, for `scripts/bench-train-tui.sh` (BASE mode).
//!
//! `train_continue BASE CORPUS [--threads N] [--epochs E] [--until F] [--live]`
//!
//! Opens BASE (memory-mapped when it can), reads CORPUS and continues training (skip-gram,
//! the default settings, dimension of BASE). Prints one line when the run is a fraction F
//! (default 0.9) done: `words_per_second=… seconds=… views=… view_ms=… copy_ms=…` (a view's whole time and the part
//! spent making the view, means), and exits there: the
//! result (a copy of every row) is never built, so memory stays at the two weight matrices.
//!
//! With `--live`, a thread does what the explorer's snapshots do, at the explorer's cadence:
//! `Live::view` and the top 6 of ten watch words (`Live::neighbours`), then waits
//! max(1 s, 20 × the time it took).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a measurement program: a failed unwrap is a failed run"
)]
use embx::io::{load, LoadOptions};
use embx::train::{read_corpus, train_from, Base, Config, Monitor};
use std::path::PathBuf;
use std::time::{Duration, Instant};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let usage = "usage: train_continue BASE CORPUS [--threads N] [--epochs E] [--until F] [--live]";
    let (base, corpus) = match (args.first(), args.get(1)) {
        (Some(b), Some(c)) => (PathBuf::from(b), PathBuf::from(c)),
        _ => return Err(usage.into()),
    };
    let opt = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
    };
    let live = args.iter().any(|a| a == "--live");
    let until: f64 = opt("--until").map_or(Ok(0.9), |v| v.parse())?;
    let space = load(&base, &LoadOptions::default())?.space;
    let config = Config {
        dim: space.dim(),
        threads: opt("--threads").map_or(Ok(2), |v| v.parse())?,
        epochs: opt("--epochs").map_or(Ok(1), |v| v.parse())?,
        ..Config::default()
    };
    let text = read_corpus(&[corpus], &config, None)?;
    let monitor = Monitor::new();
    std::thread::scope(|s| {
        s.spawn(|| {
            let b = Base {
                space: &space,
                output: None,
            };
            let _ = train_from(&text, &config, &monitor, Some(b));
        });
        let (mut views, mut view_ms, mut copy_ms) = (0u32, 0.0f64, 0.0f64);
        let mut next = Instant::now();
        loop {
            std::thread::sleep(Duration::from_millis(50));
            let snap = monitor.snapshot();
            if snap.total > 0 && snap.fraction() >= until {
                println!(
                    "words_per_second={:.0} seconds={:.1} views={views} view_ms={:.0} copy_ms={:.0}",
                    snap.words_per_second(),
                    snap.seconds,
                    view_ms / f64::from(views.max(1)),
                    copy_ms / f64::from(views.max(1))
                );
                // The run's result is not needed: leave before it is built.
                std::process::exit(0);
            }
            if !live || Instant::now() < next {
                continue;
            }
            let Some(l) = monitor.live().cloned() else {
                continue;
            };
            let start = Instant::now();
            let view = l.view("live", None);
            copy_ms += start.elapsed().as_secs_f64() * 1e3;
            // Ten frequent words, as the explorer's default watch words are.
            let rows: Vec<usize> = (0..10).map(|i| 100 + i * 97).collect();
            let _ = l.neighbours(&view, &rows, 6);
            let took = start.elapsed();
            views += 1;
            view_ms += took.as_secs_f64() * 1e3;
            next = Instant::now() + Duration::from_secs(1).max(took * 20);
        }
    });
    Ok(())
}
