//! Training word2vec embeddings (skip-gram or CBOW with negative sampling) from a corpus.
//!
//! The algorithm follows the original word2vec tool: a vocabulary sorted by count with a
//! min-count, sub-sampling of frequent words, noise words drawn from unigram^0.75, a dynamic
//! window, a learning rate that decays linearly over all epochs, and worker threads that
//! update the shared matrices without locks (see [`shared`] for why that is sound here).
//! Differences, on purpose:
//! - the sigmoid is computed exactly (`exp`), clipped at ±6 like word2vec's table;
//! - noise words come from an exact alias sampler instead of a 10^8-entry table;
//! - there is no `</s>` token: a line is a sentence (long ones are cut every 1000 kept words,
//!   as word2vec does), and sentences are shared out to the threads in contiguous ranges.
//!
//! With one thread and a fixed seed, training is bit-for-bit reproducible.
//!
//! ```no_run
//! use embx::train::{self, Config, Corpus, Monitor, ReadOptions};
//! let corpus = Corpus::read(&["corpus.txt".into()], ReadOptions::default(), None)?;
//! let monitor = Monitor::new();
//! let trained = train::train(&corpus, &Config::default(), &monitor)?;
//! println!("{} words", trained.space.len());
//! # Ok::<(), embx::Error>(())
//! ```
mod corpus;
mod sgns;
pub mod shared;

pub use corpus::{Corpus, CorpusStats, ReadOptions, TrainVocab};
pub use sgns::{keep_probability, Lcg, Noise};

use crate::error::{Error, Result};
use crate::format::Format;
use crate::jobs::Progress;
use crate::space::{normalize_rows, Matrix, SourceInfo, Space, SpaceParts, Storage, Vocab};
use shared::SharedMatrix;
use std::sync::atomic::{AtomicU32, AtomicU64, AtomicU8, Ordering::Relaxed};
use std::sync::{Arc, OnceLock};
use std::time::Instant;

/// The architecture.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Model {
    /// Predict the context words from each word (word2vec `-cbow 0`, gensim `sg=1`).
    #[default]
    SkipGram,
    /// Predict each word from the average of its context (word2vec `-cbow 1`).
    Cbow,
}

impl Model {
    pub fn name(self) -> &'static str {
        match self {
            Model::SkipGram => "skipgram",
            Model::Cbow => "cbow",
        }
    }
}

impl std::str::FromStr for Model {
    type Err = String;
    fn from_str(s: &str) -> std::result::Result<Self, String> {
        match s.to_ascii_lowercase().as_str() {
            "skipgram" | "skip-gram" | "sg" => Ok(Model::SkipGram),
            "cbow" => Ok(Model::Cbow),
            _ => Err(format!("unknown model {s:?} (expected skipgram or cbow)")),
        }
    }
}

/// Hyperparameters, with word2vec's / gensim's names and defaults.
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    pub model: Model,
    /// Vector size (`-size`, gensim `vector_size`).
    pub dim: usize,
    /// Largest distance between a word and a context word.
    pub window: usize,
    /// Noise words per positive example.
    pub negative: usize,
    /// Words seen fewer times are dropped.
    pub min_count: u64,
    /// Sub-sampling threshold (0 keeps every occurrence).
    pub sample: f64,
    /// Passes over the corpus (`-iter`).
    pub epochs: usize,
    /// Starting learning rate; `None`: 0.025 for skip-gram, 0.05 for CBOW.
    pub alpha: Option<f32>,
    /// Floor of the learning rate; `None`: alpha × 1e-4 (word2vec's).
    pub min_alpha: Option<f32>,
    /// Worker threads; 0 uses all cores.
    pub threads: usize,
    pub seed: u64,
    /// Keep at most this many (most frequent) words.
    pub max_vocab: Option<usize>,
    /// Lowercase the corpus while reading it (used by [`train_files`]).
    pub lowercase: bool,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            model: Model::SkipGram,
            dim: 100,
            window: 5,
            negative: 5,
            min_count: 5,
            sample: 1e-3,
            epochs: 5,
            alpha: None,
            min_alpha: None,
            threads: 0,
            seed: 1,
            max_vocab: None,
            lowercase: false,
        }
    }
}

impl Config {
    /// The starting learning rate.
    pub fn alpha(&self) -> f32 {
        self.alpha.unwrap_or(match self.model {
            Model::SkipGram => 0.025,
            Model::Cbow => 0.05,
        })
    }

    /// The learning rate's floor.
    pub fn min_alpha(&self) -> f32 {
        self.min_alpha.unwrap_or(self.alpha() * 1e-4)
    }

    /// The number of worker threads.
    pub fn threads(&self) -> usize {
        if self.threads > 0 {
            self.threads
        } else {
            std::thread::available_parallelism().map_or(1, |n| n.get())
        }
    }

    fn validate(&self) -> Result<()> {
        let bad = |m: &str| Err(Error::Invalid(m.to_string()));
        if self.dim == 0 {
            return bad("the dimension must be at least 1");
        }
        if self.window == 0 {
            return bad("the window must be at least 1");
        }
        if self.epochs == 0 {
            return bad("at least one epoch is needed");
        }
        if !(self.alpha() > 0.0 && self.alpha().is_finite()) {
            return bad("the learning rate must be positive");
        }
        if !self.sample.is_finite() || self.sample < 0.0 {
            return bad("the sub-sampling threshold must be 0 or more");
        }
        Ok(())
    }
}

/// What training is doing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    Reading,
    Training,
    Done,
}

/// Live training counters that any thread may sample at any time, and cancellation.
///
/// The inner [`Progress`] counts bytes while the corpus is read, then words processed (all
/// epochs; `total` = epochs × corpus words in the vocabulary). Cancelling it stops the workers
/// within about 10,000 words each.
#[derive(Debug)]
pub struct Monitor {
    progress: Arc<Progress>,
    phase: AtomicU8,
    alpha: AtomicU32,
    epochs: AtomicU64,
    threads: AtomicU64,
    /// Per worker: the mean loss per (word, context) update over its last ~10,000 words, as
    /// f32 bits (NaN before the first report).
    loss: OnceLock<Box<[AtomicU32]>>,
    started: OnceLock<Instant>,
}

/// A copy of the counters at one moment.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MonitorSnapshot {
    pub phase: Phase,
    /// Bytes read (reading) or words processed (training).
    pub done: u64,
    pub total: u64,
    pub epochs: u64,
    pub threads: u64,
    pub alpha: f32,
    /// Mean negative-sampling loss per update over the workers' recent updates.
    pub loss: Option<f32>,
    /// Seconds since training (not reading) started.
    pub seconds: f64,
}

impl MonitorSnapshot {
    /// The epoch under way, from 1.
    pub fn epoch(&self) -> u64 {
        if self.total == 0 || self.epochs == 0 {
            return 0;
        }
        let per = (self.total / self.epochs).max(1);
        (self.done / per + 1).min(self.epochs)
    }

    /// Fraction of the work done.
    pub fn fraction(&self) -> f64 {
        if self.total == 0 {
            0.0
        } else {
            (self.done as f64 / self.total as f64).min(1.0)
        }
    }

    /// Words processed per second (all threads).
    pub fn words_per_second(&self) -> f64 {
        if self.seconds > 0.0 && self.phase != Phase::Reading {
            self.done as f64 / self.seconds
        } else {
            0.0
        }
    }
}

impl Default for Monitor {
    fn default() -> Self {
        Monitor::with_progress(Progress::new())
    }
}

impl Monitor {
    pub fn new() -> Self {
        Self::default()
    }

    /// A monitor that reports through (and is cancelled by) `progress`.
    pub fn with_progress(progress: Arc<Progress>) -> Self {
        Monitor {
            progress,
            phase: AtomicU8::new(0),
            alpha: AtomicU32::new(0),
            epochs: AtomicU64::new(0),
            threads: AtomicU64::new(0),
            loss: OnceLock::new(),
            started: OnceLock::new(),
        }
    }

    pub fn progress(&self) -> &Arc<Progress> {
        &self.progress
    }

    /// Asks the workers to stop.
    pub fn cancel(&self) {
        self.progress.cancel();
    }

    pub fn is_cancelled(&self) -> bool {
        self.progress.is_cancelled()
    }

    pub fn snapshot(&self) -> MonitorSnapshot {
        let p = self.progress.snapshot();
        let losses: Vec<f32> = self
            .loss
            .get()
            .map(|l| {
                l.iter()
                    .map(|a| f32::from_bits(a.load(Relaxed)))
                    .filter(|x| !x.is_nan())
                    .collect()
            })
            .unwrap_or_default();
        MonitorSnapshot {
            phase: match self.phase.load(Relaxed) {
                0 => Phase::Reading,
                1 => Phase::Training,
                _ => Phase::Done,
            },
            done: p.done,
            total: p.total,
            epochs: self.epochs.load(Relaxed),
            threads: self.threads.load(Relaxed),
            alpha: f32::from_bits(self.alpha.load(Relaxed)),
            loss: (!losses.is_empty()).then(|| losses.iter().sum::<f32>() / losses.len() as f32),
            seconds: self
                .started
                .get()
                .map_or(0.0, |t| t.elapsed().as_secs_f64()),
        }
    }

    fn start(&self, threads: usize, epochs: usize, total: u64, alpha: f32) {
        let _ = self.loss.set(
            (0..threads)
                .map(|_| AtomicU32::new(f32::NAN.to_bits()))
                .collect(),
        );
        self.threads.store(threads as u64, Relaxed);
        self.epochs.store(epochs as u64, Relaxed);
        self.alpha.store(alpha.to_bits(), Relaxed);
        self.progress.set_done(0);
        self.progress.set_total(total);
        let _ = self.started.set(Instant::now());
        self.phase.store(1, Relaxed);
    }

    /// Adds `n` words processed; returns the new total.
    pub(crate) fn add_words(&self, n: u64) -> u64 {
        self.progress.add(n);
        self.progress.snapshot().done
    }

    pub(crate) fn set_alpha(&self, a: f32) {
        self.alpha.store(a.to_bits(), Relaxed);
    }

    pub(crate) fn set_loss(&self, thread: usize, loss: f32) {
        if let Some(slot) = self.loss.get().and_then(|l| l.get(thread)) {
            slot.store(loss.to_bits(), Relaxed);
        }
    }
}

/// The outcome of training.
#[derive(Debug)]
pub struct Trained {
    /// The input vectors (normalised; norms and counts kept), words by count descending, with
    /// the metadata TOML in `source().metadata`.
    pub space: Space,
    pub report: Report,
}

/// Numbers about a training run.
#[derive(Debug, Clone)]
pub struct Report {
    /// False when the run was cancelled before the last epoch ended.
    pub completed: bool,
    pub words_processed: u64,
    /// Fraction of the epochs done (e.g. 2.5).
    pub epochs_done: f64,
    pub seconds: f64,
    pub words_per_second: f64,
    pub final_loss: Option<f32>,
    pub vocab_size: usize,
    /// Corpus tokens that are in the vocabulary (one epoch's words).
    pub train_words: u64,
    pub corpus: CorpusStats,
}

/// Reads the files (lowercased if `config.lowercase`) and trains on them.
pub fn train_files(
    paths: &[std::path::PathBuf],
    config: &Config,
    monitor: &Monitor,
) -> Result<Trained> {
    let opts = ReadOptions {
        lowercase: config.lowercase,
    };
    let corpus = Corpus::read(paths, opts, Some(monitor.progress()))?;
    train(&corpus, config, monitor)
}

/// Trains on a corpus already read. A cancelled run returns what was learnt so far with
/// `report.completed == false` (cancellation before training starts is `Err(Interrupted)`).
pub fn train(corpus: &Corpus, config: &Config, monitor: &Monitor) -> Result<Trained> {
    config.validate()?;
    monitor.progress().check()?;
    let vocab = corpus.vocabulary(config.min_count, config.max_vocab);
    if vocab.is_empty() {
        return Err(Error::Invalid(format!(
            "no word occurs at least {} times in the corpus ({} tokens); lower --min-count",
            config.min_count,
            corpus.stats().tokens
        )));
    }
    let (ids, ends) = corpus.encode(&vocab);
    let dim = config.dim;
    let threads = config.threads().min(ends.len().max(1));
    let train_words = ids.len() as u64;
    let total_words = train_words * config.epochs as u64;

    let mut init = Lcg::new(config.seed);
    let input = SharedMatrix::from_fn(vocab.len(), dim, |_| {
        ((init.next_u64() & 0xFFFF) as f32 / 65536.0 - 0.5) / dim as f32
    });
    let output = SharedMatrix::zeros(vocab.len(), dim);
    let total = vocab.total();
    let keep: Vec<f32> = vocab
        .counts
        .iter()
        .map(|&c| keep_probability(c, total, config.sample))
        .collect();
    let noise = Noise::new(&vocab.counts, 0.75);

    monitor.start(threads, config.epochs, total_words, config.alpha());
    let started = Instant::now();
    // Contiguous sentence ranges of about equal numbers of words.
    let mut bounds = vec![0usize];
    for t in 1..threads {
        let target = ids.len() * t / threads;
        let s = ends.partition_point(|&e| e <= target);
        bounds.push(s.max(*bounds.last().unwrap_or(&0)));
    }
    bounds.push(ends.len());
    std::thread::scope(|scope| {
        for t in 0..threads {
            let (first, last) = (bounds[t], bounds[t + 1]);
            let job = sgns::Job {
                model: config.model,
                ids: &ids,
                ends: &ends,
                sentences: first..last,
                start: if first == 0 { 0 } else { ends[first - 1] },
                keep: &keep,
                sample: config.sample > 0.0,
                noise: &noise,
                input: &input,
                output: &output,
                window: config.window,
                negative: config.negative,
                epochs: config.epochs,
                alpha: config.alpha(),
                min_alpha: config.min_alpha(),
                total_words,
                monitor,
                thread: t,
                rng: Lcg::for_thread(config.seed, t),
            };
            scope.spawn(move || sgns::run(job));
        }
    });
    let seconds = started.elapsed().as_secs_f64();
    monitor.phase.store(2, Relaxed);
    let snap = monitor.snapshot();
    let words = snap.done;
    let completed = !monitor.is_cancelled() && words >= total_words;
    let report = Report {
        completed,
        words_processed: words,
        epochs_done: if completed {
            config.epochs as f64
        } else {
            words as f64 / train_words.max(1) as f64
        },
        seconds,
        words_per_second: if seconds > 0.0 {
            words as f64 / seconds
        } else {
            0.0
        },
        final_loss: snap.loss,
        vocab_size: vocab.len(),
        train_words,
        corpus: corpus.stats().clone(),
    };
    let metadata = metadata(config, threads, &report);
    let space = build_space(vocab, input.into_vec(), dim, metadata)?;
    Ok(Trained { space, report })
}

fn build_space(vocab: TrainVocab, mut data: Vec<f32>, dim: usize, meta: String) -> Result<Space> {
    let mut v = Vocab::with_capacity(vocab.len(), vocab.words.iter().map(String::len).sum());
    for w in &vocab.words {
        v.push(w)
            .map_err(|_| Error::Invalid(format!("duplicate word {w:?} in the vocabulary")))?;
    }
    let norms = normalize_rows(&mut data, dim);
    Ok(Space::new(SpaceParts {
        matrix: Matrix::from_vec(v.len(), dim, data),
        vocab: v,
        norms,
        counts: Some(vocab.counts),
        subwords: None,
        source: SourceInfo {
            path: "trained".into(),
            format: Format::Fifu,
            storage: Storage::Array,
            metadata: Some(meta),
            file_bytes: 0,
        },
    }))
}

/// A float as TOML shows it: the shortest decimal of the f32, not its f64 widening.
fn short(x: f32) -> toml::Value {
    toml::Value::Float(x.to_string().parse().unwrap_or(f64::from(x)))
}

fn metadata(config: &Config, threads: usize, r: &Report) -> String {
    use toml::{Table, Value};
    let int = |n: u64| Value::Integer(i64::try_from(n).unwrap_or(i64::MAX));
    let mut t = Table::new();
    t.insert("model".into(), Value::String(config.model.name().into()));
    t.insert("dim".into(), int(config.dim as u64));
    t.insert("window".into(), int(config.window as u64));
    t.insert("negative".into(), int(config.negative as u64));
    t.insert("min_count".into(), int(config.min_count));
    t.insert("sample".into(), Value::Float(config.sample));
    t.insert("epochs".into(), int(config.epochs as u64));
    t.insert("alpha".into(), short(config.alpha()));
    t.insert("min_alpha".into(), short(config.min_alpha()));
    t.insert("threads".into(), int(threads as u64));
    t.insert(
        "seed".into(),
        match i64::try_from(config.seed) {
            Ok(s) => Value::Integer(s),
            Err(_) => Value::String(config.seed.to_string()),
        },
    );
    if let Some(m) = config.max_vocab {
        t.insert("max_vocab".into(), int(m as u64));
    }
    t.insert("lowercase".into(), Value::Boolean(config.lowercase));
    t.insert(
        "sigmoid".into(),
        Value::String("exact, clipped at ±6".into()),
    );
    t.insert(
        "noise".into(),
        Value::String("unigram^0.75, alias sampler".into()),
    );

    let mut c = Table::new();
    c.insert(
        "files".into(),
        Value::Array(
            r.corpus
                .files
                .iter()
                .map(|p| Value::String(p.display().to_string()))
                .collect(),
        ),
    );
    c.insert("bytes".into(), int(r.corpus.bytes));
    c.insert("tokens".into(), int(r.corpus.tokens));
    c.insert("sentences".into(), int(r.corpus.sentences));
    c.insert("distinct_words".into(), int(r.corpus.distinct));
    c.insert("invalid_utf8".into(), int(r.corpus.invalid_utf8));
    c.insert("vocabulary".into(), int(r.vocab_size as u64));
    c.insert("vocabulary_tokens".into(), int(r.train_words));

    let mut res = Table::new();
    res.insert("completed".into(), Value::Boolean(r.completed));
    res.insert(
        "epochs_done".into(),
        Value::Float((r.epochs_done * 1000.0).round() / 1000.0),
    );
    res.insert("words_processed".into(), int(r.words_processed));
    res.insert(
        "seconds".into(),
        Value::Float((r.seconds * 1000.0).round() / 1000.0),
    );
    res.insert(
        "words_per_second".into(),
        Value::Float(r.words_per_second.round()),
    );
    if let Some(l) = r.final_loss {
        res.insert("final_loss".into(), short(l));
    }

    let mut top = Table::new();
    top.insert(
        "embx_version".into(),
        Value::String(env!("CARGO_PKG_VERSION").into()),
    );
    top.insert("tool".into(), Value::String("embx train (word2vec)".into()));
    top.insert("training".into(), Value::Table(t));
    top.insert("corpus".into(), Value::Table(c));
    top.insert("result".into(), Value::Table(res));
    toml::to_string(&top).unwrap_or_default()
}

#[cfg(test)]
mod tests;
