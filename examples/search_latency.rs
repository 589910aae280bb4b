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
//!
//! Before that, the library's `search` is timed against the scan it replaced (one thread,
//! the hand-written subsequence scorer for fuzzy; kept below in `old`) on the same words in
//! the same run, so the ratio holds on a loaded machine.
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
    use embx::jobs::Progress;
    use embx::query::search::{self, SearchMode};
    use embx::tui::worker::Worker;
    use embx::tui::{update, Action, App, Effect, Lane, Source};
    use embx::Space;
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

    /// The search as it was before nucleo-matcher: one thread, a hand-written scorer.
    mod old {
        use embx::Space;

        fn folded<'a>(word: &'a str, buf: &'a mut String) -> &'a str {
            if word.chars().any(char::is_uppercase) {
                buf.clear();
                buf.extend(word.chars().flat_map(char::to_lowercase));
                buf
            } else {
                word
            }
        }

        /// The old scan, as it was: every word case-folded first (queries are lower-case).
        pub fn scan(space: &Space, pred: impl Fn(&str) -> bool) -> (usize, Vec<u32>) {
            let (mut total, mut hits, mut lower) = (0, Vec::new(), String::new());
            for row in 0..space.len() {
                if pred(folded(space.word(row), &mut lower)) {
                    total += 1;
                    if hits.len() < 1000 {
                        hits.push(row as u32);
                    }
                }
            }
            (total, hits)
        }

        pub fn fuzzy(space: &Space, q: &str) -> (usize, Vec<u32>) {
            let query: Vec<char> = q.chars().collect();
            let mut scored: Vec<(i64, u32)> = Vec::new();
            let mut lower = String::new();
            for row in 0..space.len() {
                if let Some(s) = score(&query, folded(space.word(row), &mut lower)) {
                    scored.push((s, row as u32));
                }
            }
            let total = scored.len();
            scored.sort_unstable_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
            scored.truncate(1000);
            (total, scored.into_iter().map(|(_, r)| r).collect())
        }

        fn score(query: &[char], word: &str) -> Option<i64> {
            let (mut score, mut qi, mut last, mut len) = (0i64, 0, None::<usize>, 0);
            for (i, c) in word.chars().enumerate() {
                len = i + 1;
                if qi < query.len() && c == query[qi] {
                    score += 10;
                    match last {
                        Some(l) if l + 1 == i => score += 15,
                        Some(l) => score -= (i - l - 1).min(10) as i64,
                        None if i == 0 => score += 20,
                        None => score -= i.min(10) as i64,
                    }
                    last = Some(i);
                    qi += 1;
                }
            }
            (qi == query.len()).then(|| score - (len - query.len()) as i64)
        }
    }

    /// The library's search against the old scan, word by word, in the same run.
    fn library(space: &Space, words: &[String]) {
        let p = Progress::new();
        for mode in [SearchMode::Prefix, SearchMode::Substring, SearchMode::Fuzzy] {
            let (mut before, mut now) = (Vec::new(), Vec::new());
            for w in words {
                let start = Instant::now();
                let found = match mode {
                    SearchMode::Prefix => old::scan(space, |x| x.starts_with(w.as_str())),
                    SearchMode::Substring => old::scan(space, |x| x.contains(w.as_str())),
                    _ => old::fuzzy(space, w),
                };
                before.push(start.elapsed());
                std::hint::black_box(found);
                let start = Instant::now();
                let found = search::search(space, w, mode, &p).unwrap().unwrap();
                now.push(start.elapsed());
                std::hint::black_box(found);
            }
            let median = |mut v: Vec<Duration>| {
                v.sort();
                v.get(v.len() / 2).copied().unwrap_or_default()
            };
            let (b, n) = (median(before), median(now));
            println!(
                "{:>9}: search() median {:.2} ms, the old scan {:.2} ms (new / old = {:.2})",
                mode.name(),
                ms(n),
                ms(b),
                n.as_secs_f64() / b.as_secs_f64().max(1e-9)
            );
        }
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
            exact: false,
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
        library(&space, &words);
        for mode in ["prefix", "substring", "fuzzy"] {
            ex.mode(mode);
            let times = words.iter().map(|w| ex.search(w)).collect();
            summary(&format!("{mode:>9}: last key → hits"), times);
        }
        let mut times = Vec::new();
        let (mut first, mut tried) = (0, 0);
        let mut misses = Vec::new();
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
            let top = ex.app.search.hits().first().copied();
            if top == Some(row) {
                first += 1;
            } else if misses.len() < 12 {
                misses.push(format!(
                    "{typo} → {}",
                    top.map_or("-", |r| space.word(r as usize))
                ));
            }
        }
        println!("fuzzy typo: first hits that were not the word meant: {misses:?}");
        summary("fuzzy typo (last letter doubled): last key → hits", times);
        println!("fuzzy typo: the word meant is the first hit for {first} of {tried}");
        println!("slowest update() for one key: {:.3} ms", ms(ex.slowest_key));
    }
}
