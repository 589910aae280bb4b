//! Key-to-hits latency of the explorer's vocabulary search on a large space.
//!
//! `cargo run --release --example search_latency -- [FILE] [QUERIES] [N]`
//!
//! FILE defaults to GloVe 6B 50d (`/tmp/anchors/data/glove/glove.6B.50d.w2v.bin`, or
//! `EMBX_BENCH_GLOVE`), QUERIES to `/work/shared/bench/queries200.txt` (or
//! `EMBX_BENCH_QUERIES`), one word a line; N (default 200) caps the words used. Without the
//! file it prints a note and exits 0.
//!
//! For each mode (prefix, substring, fuzzy) and each query word it does what a user does,
//! through `update` and the background [`Worker`] the real program uses: Ctrl-U, then types
//! the word one key at a time (one search job per key, latest wins) and times the last key
//! until the hits are in the `App`. In fuzzy mode it also types each word with a typo (the
//! last letter doubled, `king` → `kingg`) and counts how often the word meant is the first
//! hit. The longest time `update` itself took for one key is reported too: the search runs on
//! the worker, so typing never waits for a scan.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a measurement program: a failed unwrap is a failed run"
)]
#[cfg(feature = "tui")]
fn main() {
    latency::main()
}

#[cfg(not(feature = "tui"))]
fn main() {
    eprintln!("search_latency needs the `tui` feature");
}

#[cfg(feature = "tui")]
mod latency {
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    use embx::io::LoadOptions;
    use embx::tui::worker::Worker;
    use embx::tui::{update, Action, App, Effect, Lane, Source};
    use std::path::PathBuf;
    use std::sync::mpsc::Receiver;
    use std::time::{Duration, Instant};

    const GLOVE: &str = "/tmp/anchors/data/glove/glove.6B.50d.w2v.bin";
    const QUERIES: &str = "/work/shared/bench/queries200.txt";
    /// Longest wait for one job.
    const TIMEOUT: Duration = Duration::from_secs(60);

    struct Explorer {
        app: App,
        worker: Worker,
        results: Receiver<Action>,
        /// The longest `update` call for a key.
        slowest_key: Duration,
    }

    impl Explorer {
        fn apply(&mut self, action: Action) {
            for effect in update(&mut self.app, action) {
                match effect {
                    Effect::Run(job) => self.worker.submit(job),
                    Effect::Quit => {}
                }
            }
        }

        fn key(&mut self, code: KeyCode, modifiers: KeyModifiers) {
            let start = Instant::now();
            self.apply(Action::Key(KeyEvent::new(code, modifiers)));
            self.slowest_key = self.slowest_key.max(start.elapsed());
        }

        fn settle(&mut self, lane: Lane) {
            let start = Instant::now();
            while self.app.jobs.is_running(lane) {
                let left = TIMEOUT.saturating_sub(start.elapsed());
                let action = self
                    .results
                    .recv_timeout(left)
                    .unwrap_or_else(|_| panic!("no {} result after {TIMEOUT:?}", lane.name()));
                self.apply(action);
            }
        }

        /// Types `query` from an empty box; the time from its last key to the hits.
        fn search(&mut self, query: &str) -> Duration {
            self.key(KeyCode::Char('u'), KeyModifiers::CONTROL);
            self.settle(Lane::Search);
            let mut last = Instant::now();
            for c in query.chars() {
                last = Instant::now();
                self.key(KeyCode::Char(c), KeyModifiers::NONE);
            }
            self.settle(Lane::Search);
            last.elapsed()
        }

        /// Ctrl-T until the search mode is `name`.
        fn mode(&mut self, name: &str) {
            for _ in 0..8 {
                if self.app.search.mode().name() == name {
                    return;
                }
                self.key(KeyCode::Char('t'), KeyModifiers::CONTROL);
                self.settle(Lane::Search);
            }
            panic!("no search mode {name}");
        }
    }

    fn ms(d: Duration) -> f64 {
        d.as_secs_f64() * 1e3
    }

    fn summary(name: &str, mut v: Vec<Duration>) {
        v.sort();
        if v.is_empty() {
            println!("{name}: no samples");
            return;
        }
        let q = |q: f64| v[((v.len() as f64 * q).ceil() as usize).clamp(1, v.len()) - 1];
        println!(
            "{name}: n={} median {:.2} ms · p90 {:.2} ms · max {:.2} ms",
            v.len(),
            ms(q(0.5)),
            ms(q(0.9)),
            ms(v[v.len() - 1]),
        );
    }

    fn args() -> Option<(PathBuf, Vec<String>)> {
        let mut args = std::env::args().skip(1);
        let file: PathBuf = args
            .next()
            .or_else(|| std::env::var("EMBX_BENCH_GLOVE").ok())
            .unwrap_or_else(|| GLOVE.into())
            .into();
        let queries: PathBuf = args
            .next()
            .or_else(|| std::env::var("EMBX_BENCH_QUERIES").ok())
            .unwrap_or_else(|| QUERIES.into())
            .into();
        let n: usize = args.next().and_then(|n| n.parse().ok()).unwrap_or(200);
        if !file.exists() {
            println!("note: {} is absent: nothing measured", file.display());
            return None;
        }
        let Ok(text) = std::fs::read_to_string(&queries) else {
            println!("note: cannot read {}: nothing measured", queries.display());
            return None;
        };
        let words = text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .take(n)
            .map(String::from)
            .collect();
        Some((file, words))
    }

    pub fn main() {
        let Some((file, words)) = args() else { return };
        let (worker, results) = Worker::new();
        let mut ex = Explorer {
            app: App::new("search-latency", false),
            worker,
            results,
            slowest_key: Duration::ZERO,
        };
        let start = Instant::now();
        ex.apply(Action::Load(Source::File {
            path: file.clone(),
            options: LoadOptions::default(),
        }));
        ex.settle(Lane::Load);
        ex.settle(Lane::Search);
        let space = ex.app.space.clone().expect("the file loads");
        println!(
            "loaded {} ({} words) in {:.2} s; {} hardware threads",
            file.display(),
            space.len(),
            start.elapsed().as_secs_f64(),
            std::thread::available_parallelism().map_or(1, |n| n.get())
        );
        for mode in ["prefix", "substring", "fuzzy"] {
            ex.mode(mode);
            let times = words.iter().map(|w| ex.search(w)).collect();
            summary(&format!("{mode:>9}: last key → hits"), times);
        }
        let mut times = Vec::new();
        let (mut first, mut tried) = (0, 0);
        for w in &words {
            let Some(row) = space.index(w) else { continue };
            let Some(last) = w.chars().last() else {
                continue;
            };
            let typo = format!("{w}{last}");
            if space.index(&typo).is_some() {
                continue;
            }
            times.push(ex.search(&typo));
            tried += 1;
            first += usize::from(ex.app.search.hits().first() == Some(&row));
        }
        summary("fuzzy typo (last letter doubled): last key → hits", times);
        println!("fuzzy typo: the word meant is the first hit for {first} of {tried}");
        println!("slowest update() for one key: {:.3} ms", ms(ex.slowest_key));
    }
}
