//! Training word2vec embeddings (skip-gram or CBOW with negative sampling or hierarchical
//! softmax, optionally with fastText's subwords) from a corpus.
//!
//! The algorithm follows the original word2vec tool: a vocabulary sorted by count with a
//! min-count, sub-sampling of frequent words, noise words drawn from unigram^0.75, a dynamic
//! window, a learning rate that decays linearly over all epochs, and worker threads that
//! update the shared matrices without locks (see [`shared`] for why that is sound here).
//! Differences, on purpose:
//! - the sigmoid is computed exactly (`exp`), clipped at ±6 like word2vec's table;
//! - noise words come from an exact alias sampler instead of a 10^8-entry table;
//! - there is no `</s>` token: a line is a sentence (long ones are cut every 1000 kept words,
//!   as word2vec does), and sentences are shared out to the threads in contiguous ranges;
//! - the random draws for a word (window, noise words) are made one word ahead, so that the
//!   rows they touch can be prefetched; the reported loss is the exact negative-sampling loss
//!   of one update in eight.
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
mod chunks;
mod config;
mod corpus;
mod hot;
mod live;
mod meta;
mod monitor;
mod pace;
mod recorded;
mod run;
mod sgns;
pub mod shared;
// -- objectives (issue 15) --
pub mod hs;
pub mod subword;
// Chinese segmentation and the neural language model (issue 16).
pub mod lm;
pub mod ngram;
pub mod nnlm;
pub mod segment;
pub use config::NnlmConfig;
pub use segment::user_dict::{dictionary_use, DictionaryUse};
pub use segment::{Segment, Segmenter};

pub use config::{Config, Loss, Model, Subwords};
pub use corpus::stdin::is_stdin;
pub use corpus::{Corpus, CorpusStats, ReadOptions, TrainVocab};
pub use live::{row_neighbours, Live};
pub use meta::metadata;
pub use monitor::{Monitor, MonitorSnapshot, Phase};
pub use recorded::{changed_settings, recorded, recorded_model, Recorded};
pub use sgns::{keep_probability, Kernel, Lcg, Noise};

use crate::error::{Error, Result};
use crate::space::{Space, Vocab};

/// The outcome of training.
#[derive(Debug)]
pub struct Trained {
    /// The input vectors (normalised; norms and counts kept), words by count descending, with
    /// the metadata TOML in `source().metadata`.
    pub space: Space,
    /// The output (context) weights, row-major in the space's row order: what
    /// [`Base::output`] takes to continue this run later.
    pub output: Vec<f32>,
    /// Numbers about the run.
    pub report: Report,
    /// The NNLM's whole model (word vectors, hidden and output layers), for next-word
    /// predictions; `None` for the word2vec objectives.
    pub language_model: Option<Box<nnlm::LanguageModel>>,
}

/// Numbers about a training run.
#[derive(Debug, Clone)]
pub struct Report {
    /// False when the run was cancelled before the last epoch ended.
    pub completed: bool,
    /// Words processed over all epochs.
    pub words_processed: u64,
    /// Fraction of the epochs done (e.g. 2.5).
    pub epochs_done: f64,
    /// Seconds spent training (not reading, not paused).
    pub seconds: f64,
    /// Training speed: words processed per second, all threads together.
    pub words_per_second: f64,
    /// Mean loss per update over the workers' last updates, if any was reported.
    pub final_loss: Option<f32>,
    /// Number of words in the vocabulary.
    pub vocab_size: usize,
    /// Corpus tokens that are in the vocabulary (one epoch's words).
    pub train_words: u64,
    /// Statistics of the corpus as read.
    pub corpus: CorpusStats,
    /// The space training continued from (its path), if any.
    pub continued_from: Option<String>,
}

/// Reads the files as [`read_corpus`] does and trains on them, from scratch or continuing
/// `base` (see [`train_from`]).
pub fn train_files(
    paths: &[std::path::PathBuf],
    config: &Config,
    monitor: &Monitor,
    base: Option<Base<'_>>,
) -> Result<Trained> {
    let corpus = read_corpus(paths, config, Some(monitor.progress()))?;
    train_from(&corpus, config, monitor, base)
}

/// The words of a line of text as a model trained with these settings read its corpus:
/// lowercased if `lowercase`, cut into words with jieba if `segment` (else split at spaces).
pub fn tokens(text: &str, lowercase: bool, segment: bool) -> Result<Vec<String>> {
    let seg = segment.then(Segmenter::new).transpose()?;
    Ok(tokens_with(text, lowercase, seg.as_ref()))
}

/// [`tokens`] with a given segmenter (`None`: split at spaces), e.g. one with a user
/// dictionary, as [`read_corpus`] makes it for `config.user_dict`.
pub fn tokens_with(text: &str, lowercase: bool, seg: Option<&Segmenter>) -> Vec<String> {
    let text = if lowercase {
        text.to_lowercase()
    } else {
        text.to_string()
    };
    match seg {
        Some(seg) => seg.cut(&text).into_iter().map(str::to_string).collect(),
        None => text.split_whitespace().map(str::to_string).collect(),
    }
}

/// jieba's bundled dictionary, plus the words of `user_dict` (a jieba user dictionary).
pub fn segmenter(user_dict: Option<&std::path::Path>) -> Result<Segmenter> {
    match user_dict {
        Some(dict) => Segmenter::with_user_dict(dict),
        None => Segmenter::new(),
    }
}

/// Reads the files as `config` asks: lowercased if `config.lowercase`, Chinese cut into words
/// per `config.segment` (with `config.user_dict`), segmenting on `config.threads()` threads.
/// The same as [`will_segment`] followed by [`read_corpus_as`].
pub fn read_corpus(
    paths: &[std::path::PathBuf],
    config: &Config,
    progress: Option<&crate::jobs::Progress>,
) -> Result<Corpus> {
    let segment = will_segment(paths, config)?;
    read_corpus_as(paths, config, segment, progress)
}

/// Whether [`read_corpus`] cuts the files' Chinese into words: `config.segment` zh, or auto
/// when [`segment::detect`] finds Chinese in them (a quick look at a sample, before the long
/// read). Refuses settings that cannot train (they are checked before a long read), and a
/// user dictionary that is not there even when it goes unused.
pub fn will_segment(paths: &[std::path::PathBuf], config: &Config) -> Result<bool> {
    config.validate()?;
    if paths.iter().filter(|p| corpus::stdin::is_stdin(p)).count() > 1 {
        return Err(Error::Invalid(
            "-: standard input can be read once; name it once among the corpus files".into(),
        ));
    }
    let on = match config.segment {
        Segment::Off => false,
        Segment::Zh => true,
        Segment::Auto => segment::detect(paths)?,
    };
    if let (false, Some(dict)) = (on, &config.user_dict) {
        std::fs::metadata(dict).map_err(|e| Error::io(dict, e))?;
    }
    if on {
        // Said before any note that Chinese will be cut.
        Segmenter::available()?;
    }
    Ok(on)
}

/// Reads the files as [`read_corpus`] does, Chinese cut into words when `segment` (as
/// [`will_segment`] decided it), else split at whitespace only.
pub fn read_corpus_as(
    paths: &[std::path::PathBuf],
    config: &Config,
    segment: bool,
    progress: Option<&crate::jobs::Progress>,
) -> Result<Corpus> {
    let opts = ReadOptions {
        lowercase: config.lowercase,
        threads: config.threads(),
    };
    if !segment {
        return Corpus::read(paths, opts, progress);
    }
    let seg = segmenter(config.user_dict.as_deref())?;
    Corpus::read_segmented(paths, opts, Some((&seg, config.threads())), progress)
}

/// Trains on a corpus already read. A cancelled run returns what was learnt so far with
/// `report.completed == false` (cancellation before training starts is `Err(Interrupted)`).
pub fn train(corpus: &Corpus, config: &Config, monitor: &Monitor) -> Result<Trained> {
    train_from(corpus, config, monitor, None)
}

/// Where continued training starts from: existing vectors and, if known, their output
/// (context) weights in the same row order.
#[derive(Clone, Copy)]
pub struct Base<'a> {
    /// The space to continue from; its vocabulary and vectors are the starting point.
    pub space: &'a Space,
    /// Row-major `space.len() × dim` output weights (e.g. [`Trained::output`] of an earlier
    /// run); `None` starts them at zero, as word2vec does.
    pub output: Option<&'a [f32]>,
}

/// Trains on `corpus`, from scratch (`base` = `None`) or continuing `base`:
///
/// - the vocabulary is the base's words, in their order, followed by the corpus words (with at
///   least `min_count` occurrences) that the base lacks, by count;
/// - base words keep their vectors (the original, not normalised ones) as the starting point,
///   new words start like word2vec's (small random values); base words that are not in the
///   corpus are never trained and stay as they were;
/// - counts are the base's (if it has any) plus the corpus'; sub-sampling and noise words use
///   the corpus counts only;
/// - `config.dim` must equal the base's dimension;
/// - with hierarchical softmax the base's output weights are not used (the tree changes with
///   the vocabulary);
/// - a base with fastText subwords continues with its own word rows and buckets, and
///   `config.subwords` must be the base's settings ([`subword::of_space`]).
pub fn train_from(
    corpus: &Corpus,
    config: &Config,
    monitor: &Monitor,
    base: Option<Base<'_>>,
) -> Result<Trained> {
    config.validate()?;
    if config.nnlm.is_some() {
        return nnlm::train_from(corpus, config, monitor, base);
    }
    monitor.progress().check()?;
    let vocab = corpus.vocabulary(config.min_count, config.max_vocab);
    if vocab.is_empty() {
        return Err(Error::Invalid(format!(
            "no word occurs at least {} times in the corpus ({} tokens); lower --min-count",
            config.min_count,
            corpus.stats().tokens
        )));
    }
    let w = run::weights(config, vocab, base)?;
    let run = run::Run::new(corpus, config, w)?;
    let wall = run.train(config, monitor);
    run.finish(corpus, config, monitor, base, wall)
}

fn vocab_of(vocab: &TrainVocab) -> Result<Vocab> {
    let mut v = Vocab::with_capacity(vocab.len(), vocab.words.iter().map(String::len).sum());
    for w in &vocab.words {
        v.push(w)
            .map_err(|_| Error::Invalid(format!("duplicate word {w:?} in the vocabulary")))?;
    }
    Ok(v)
}

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_objectives;
