//! Key-to-answer latency of the explorer's neighbour list on a large space.
//!
//! `cargo run --release --example tui_latency -- [FILE] [QUERIES]`
//!
//! FILE defaults to GloVe 6B 50d (`/tmp/anchors/data/glove/glove.6B.50d.w2v.bin`, or
//! `EMBX_BENCH_GLOVE`), QUERIES to `/work/shared/bench/queries200.txt` (or
//! `EMBX_BENCH_QUERIES`), one word a line. Without the file it prints a note and exits 0.
//!
//! For each query word W it does what a user does, through `update` and the background
//! [`Worker`] the real program uses: `/`, Ctrl-U, types W (one search job per key, latest
//! wins), waits for the hits, moves the highlight onto W, and then times Enter: from the key
//! to the neighbours' `Done` action taken in by `update` (the answer is in the `App`). The
//! time from the last typed key to the search hits is reported too. No drawing is timed:
//! that is `cargo bench --bench render`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test code: a failed unwrap is a failed test"
)]
#[cfg(feature = "tui")]
fn main() {
    latency::main()
}

#[cfg(not(feature = "tui"))]
fn main() {
    eprintln!("tui_latency needs the `tui` feature");
}

#[cfg(feature = "tui")]
mod latency {
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    use embx::io::LoadOptions;
    use embx::tui::worker::Worker;
    use embx::tui::{update, Action, App, Effect, Lane, Source, Target};
    use std::path::PathBuf;
    use std::sync::mpsc::Receiver;
    use std::time::{Duration, Instant};

    const GLOVE: &str = "/tmp/anchors/data/glove/glove.6B.50d.w2v.bin";
    const QUERIES: &str = "/work/shared/bench/queries200.txt";
    /// Longest wait for one job.
    const TIMEOUT: Duration = Duration::from_secs(30);

    struct Explorer {
        app: App,
        worker: Worker,
        results: Receiver<Action>,
    }

    impl Explorer {
        /// Applies `action` as the event loop does: effects go to the worker.
        fn apply(&mut self, action: Action) {
            for effect in update(&mut self.app, action) {
                match effect {
                    Effect::Run(job) => self.worker.submit(job),
                    Effect::Quit => {}
                }
            }
        }

        fn key(&mut self, code: KeyCode, modifiers: KeyModifiers) {
            self.apply(Action::Key(KeyEvent::new(code, modifiers)));
        }

        /// Takes in worker results until `lane` is idle.
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

        /// Searches for `word` like a user typing it; returns the time from the last key to
        /// the hits, and leaves the highlight on the word. False when it is not found.
        fn search(&mut self, word: &str) -> Option<Duration> {
            self.key(KeyCode::Esc, KeyModifiers::NONE);
            self.key(KeyCode::Char('/'), KeyModifiers::NONE);
            self.key(KeyCode::Char('u'), KeyModifiers::CONTROL);
            let mut last = Instant::now();
            for c in word.chars() {
                last = Instant::now();
                self.key(KeyCode::Char(c), KeyModifiers::NONE);
            }
            self.settle(Lane::Search);
            let took = last.elapsed();
            let row = self.app.space.as_ref()?.index(word)?;
            let pos = self.app.search.hits().iter().position(|&r| r == row)?;
            for _ in 0..pos {
                self.key(KeyCode::Down, KeyModifiers::NONE);
            }
            Some(took)
        }

        /// Presses Enter on the highlighted hit and waits for its neighbours in the App.
        fn focus_highlighted(&mut self, row: u32) -> Duration {
            let start = Instant::now();
            self.key(KeyCode::Enter, KeyModifiers::NONE);
            self.settle(Lane::Neighbours);
            let took = start.elapsed();
            assert_eq!(*self.app.neighbours.target(), Some(Target::Word(row)));
            assert!(self.app.neighbours.answer().is_some(), "no neighbours");
            took
        }
    }

    fn ms(d: Duration) -> f64 {
        d.as_secs_f64() * 1e3
    }

    /// The value at quantile `q` (nearest rank) of sorted `v`.
    fn quantile(v: &[Duration], q: f64) -> Duration {
        let i = ((v.len() as f64 * q).ceil() as usize).clamp(1, v.len()) - 1;
        v[i]
    }

    fn summary(name: &str, mut v: Vec<Duration>) {
        v.sort();
        if v.is_empty() {
            println!("{name}: no samples");
            return;
        }
        println!(
            "{name}: n={} median {:.2} ms · p90 {:.2} ms · min {:.2} ms · max {:.2} ms",
            v.len(),
            ms(quantile(&v, 0.5)),
            ms(quantile(&v, 0.9)),
            ms(v[0]),
            ms(v[v.len() - 1]),
        );
    }

    #[allow(
        clippy::too_many_lines,
        reason = "a measurement script: its steps in the order they run"
    )]
    pub fn main() {
        let mut args = std::env::args_os().skip(1);
        let file: PathBuf = args
            .next()
            .or_else(|| std::env::var_os("EMBX_BENCH_GLOVE"))
            .unwrap_or_else(|| GLOVE.into())
            .into();
        let queries: PathBuf = args
            .next()
            .or_else(|| std::env::var_os("EMBX_BENCH_QUERIES"))
            .unwrap_or_else(|| QUERIES.into())
            .into();
        if !file.exists() {
            println!("note: {} is absent: nothing measured", file.display());
            return;
        }
        let words: Vec<String> = match std::fs::read_to_string(&queries) {
            Ok(text) => text
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(String::from)
                .collect(),
            Err(e) => {
                println!(
                    "note: cannot read {}: {e}: nothing measured",
                    queries.display()
                );
                return;
            }
        };

        let (worker, results) = Worker::new();
        let mut ex = Explorer {
            app: App::new("latency", false),
            worker,
            results,
        };
        let start = Instant::now();
        let source = Source::File {
            path: file.clone(),
            options: LoadOptions::default(),
            exact: false,
        };
        ex.apply(Action::Load(source));
        ex.settle(Lane::Load);
        ex.settle(Lane::Search);
        let space = match &ex.app.space {
            Some(s) => s.clone(),
            None => {
                let why = ex.app.status.as_ref().map_or("", |m| &m.text);
                panic!("could not load {}: {why}", file.display());
            }
        };
        println!(
            "loaded {} ({} words × {} dims) in {:.2} s",
            file.display(),
            space.len(),
            space.dim(),
            start.elapsed().as_secs_f64()
        );
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
        println!("{threads} hardware threads; k = {}", ex.app.neighbours.k());
        println!(
            "neighbours through: {}",
            space
                .neighbour_index()
                .map_or("an exact scan (no index beside the file)".into(), |i| i
                    .describe())
        );

        // A big space's exact-search copy is built on the Prepare lane right after opening;
        // the first query comes while it is built (and scans in f32): timed apart.
        let preparing = ex.app.jobs.is_running(Lane::Prepare);
        let first = words.first().cloned().unwrap_or_else(|| "the".into());
        if ex.search(&first).is_some() {
            let row = space.index(&first).unwrap();
            let took = ex.focus_highlighted(row);
            let when = if preparing { ", while preparing" } else { "" };
            println!("first query ({first}{when}): {:.2} ms", ms(took));
        }
        if preparing {
            ex.settle(Lane::Prepare);
            let how = ex.app.status.as_ref().map_or("", |m| &m.text);
            println!(
                "exact-search copy ready {:.2} s after the load began: {how}",
                start.elapsed().as_secs_f64()
            );
        }
        let mut focus = Vec::new();
        let mut search = Vec::new();
        let mut missing = Vec::new();
        for word in &words {
            let Some(row) = space.index(word) else {
                missing.push(word.clone());
                continue;
            };
            if ex.app.focused == Some(row) {
                // Already focused (Enter would do nothing): move away first.
                ex.search("the");
                ex.focus_highlighted(space.index("the").unwrap());
            }
            let Some(took) = ex.search(word) else {
                missing.push(word.clone());
                continue;
            };
            search.push(took);
            focus.push(ex.focus_highlighted(row));
        }
        if !missing.is_empty() {
            println!("not in the vocabulary or the hits: {missing:?}");
        }
        summary("Enter → neighbours in the App", focus);
        summary("last key → search hits in the App", search);
    }
}
