//! The steps of a training run: starting weights, the worker threads, the result.
use super::hs::Huffman;
use super::shared::SharedMatrix;
use super::subword::{word_vectors, SubwordRows};
use super::{
    keep_probability, meta, sgns, vocab_of, Base, Config, Corpus, Lcg, Live, Loss, Monitor, Noise,
    Report, TrainVocab, Trained,
};
use crate::error::{Error, Result};
use crate::format::Format;
use crate::space::{normalize_rows, Matrix, SourceInfo, Space, SpaceParts, Storage};
use std::sync::Arc;
use std::time::Instant;

/// The vocabulary and the starting weights.
pub(super) struct Weights {
    vocab: TrainVocab,
    /// The corpus' counts of the vocabulary's words (for sub-sampling and noise).
    corpus_counts: Vec<u64>,
    input: SharedMatrix,
    output: SharedMatrix,
    /// The space a continued run starts from (its live view reads unchanged rows there).
    base: Option<Space>,
}

/// word2vec's starting values: uniform in ±0.5/dim from its generator.
fn fresh_values(config: &Config) -> impl FnMut() -> f32 {
    let dim = config.dim;
    let mut init = Lcg::new(config.seed);
    move || ((init.next_u64() & 0xFFFF) as f32 / 65536.0 - 0.5) / dim as f32
}

/// The starting weights: fresh, or the base's for its words. With subwords the input matrix
/// has a row per bucket after the words' rows.
pub(super) fn weights(
    config: &Config,
    vocab: TrainVocab,
    base: Option<Base<'_>>,
) -> Result<Weights> {
    let dim = config.dim;
    let mut fresh = fresh_values(config);
    let extra = config.subwords.map_or(0, |s| s.buckets);
    let Some(b) = base else {
        let input = SharedMatrix::from_fn(vocab.len() + extra, dim, |_| fresh());
        let output = SharedMatrix::zeros(vocab.len(), dim);
        let corpus_counts = vocab.counts.clone();
        return Ok(Weights {
            vocab,
            corpus_counts,
            input,
            output,
            base: None,
        });
    };
    if b.space.dim() != dim {
        return Err(Error::Invalid(format!(
            "the vectors to continue have {} dimensions, not {dim}",
            b.space.dim()
        )));
    }
    let n = b.space.len();
    if b.output.is_some_and(|o| o.len() != n * dim) {
        return Err(Error::Invalid(
            "the output weights do not match the vectors to continue".into(),
        ));
    }
    let (merged, corpus_counts, n_base) =
        vocab.after_base(b.space.vocab().iter(), b.space.counts());
    // Every row of the base is read: rows read in place from a file are decoded all together
    // (`Matrix::as_slice`), not one by one into the space's cache.
    let base = b.space.matrix().as_slice();
    let input = match base_subword_rows(b.space, config)? {
        // The base's word rows, fresh rows for new words, then the base's buckets.
        Some(rows) => SharedMatrix::from_fn(merged.len() + extra, dim, |i| {
            let (row, col) = (i / dim, i % dim);
            if row < n_base {
                rows[i]
            } else if row < merged.len() {
                fresh()
            } else {
                rows[(row - merged.len() + n_base) * dim + col]
            }
        }),
        None => SharedMatrix::from_fn(merged.len(), dim, |i| {
            let (row, col) = (i / dim, i % dim);
            if row < n_base {
                base[row * dim + col] * b.space.norms()[row]
            } else {
                fresh()
            }
        }),
    };
    let base_output = b.output.filter(|_| config.loss == Loss::Ns);
    let output = SharedMatrix::from_fn(merged.len(), dim, |i| match base_output {
        Some(o) if i < n_base * dim => o[i],
        _ => 0.0,
    });
    Ok(Weights {
        vocab: merged,
        corpus_counts,
        input,
        output,
        base: Some(b.space.clone()),
    })
}

/// With subwords: the base's input rows (its words' own rows, then its buckets), which must
/// have the n-grams and buckets `config` asks for. A base with fastText subwords needs them in
/// `config`, so that continuing never drops what the buckets learnt.
fn base_subword_rows(space: &Space, config: &Config) -> Result<Option<Vec<f32>>> {
    let describe = |s: super::Subwords| {
        format!(
            "fastText subwords {}–{} in {} buckets",
            s.minn, s.maxn, s.buckets
        )
    };
    match (super::subword::of_space(space), config.subwords) {
        (None, None) => Ok(None),
        (Some(t), Some(w)) if t == w => Ok(Some(crate::io::subword_input_rows(space)?.1)),
        (Some(t), _) => Err(Error::Invalid(format!(
            "the vectors to continue have {}: continue with the same subwords (--subwords \
             --minn {} --maxn {} --buckets {})",
            describe(t),
            t.minn,
            t.maxn,
            t.buckets
        ))),
        (None, Some(w)) => Err(Error::Invalid(format!(
            "the vectors to continue have no fastText subwords; {} need a space trained with them",
            describe(w)
        ))),
    }
}

/// Everything the workers share.
pub(super) struct Run {
    vocab: TrainVocab,
    words: crate::space::Vocab,
    input: Arc<SharedMatrix>,
    output: Arc<SharedMatrix>,
    ids: Vec<u32>,
    ends: Vec<usize>,
    keep: Vec<f32>,
    noise: Noise,
    tree: Option<Huffman>,
    subs: Option<Arc<SubwordRows>>,
    threads: usize,
    /// A continued run's base and the rows training can change (the corpus's words).
    live_base: Option<(Space, Vec<u32>)>,
}

impl Run {
    pub(super) fn new(corpus: &Corpus, config: &Config, w: Weights) -> Result<Run> {
        let (ids, ends) = corpus.encode(&w.vocab);
        let threads = config.threads().min(ends.len().max(1));
        let total: u64 = w.corpus_counts.iter().sum();
        let keep = w
            .corpus_counts
            .iter()
            .map(|&c| keep_probability(c, total, config.sample))
            .collect();
        let words = vocab_of(&w.vocab)?;
        let subs = config.subwords.map(|s| {
            Arc::new(SubwordRows::new(
                w.vocab.words.iter().map(String::as_str),
                &s,
            ))
        });
        let live_base = w.base.map(|b| {
            let changing = (0..w.corpus_counts.len() as u32)
                .filter(|&r| w.corpus_counts[r as usize] > 0)
                .collect();
            (b, changing)
        });
        Ok(Run {
            live_base,
            noise: Noise::new(&w.corpus_counts, 0.75),
            tree: (config.loss == Loss::Hs).then(|| Huffman::new(&w.vocab.counts)),
            vocab: w.vocab,
            words,
            input: Arc::new(w.input),
            output: Arc::new(w.output),
            ids,
            ends,
            keep,
            subs,
            threads,
        })
    }

    fn total_words(&self, config: &Config) -> u64 {
        self.ids.len() as u64 * config.epochs as u64
    }

    /// Runs the workers to the end (or cancellation); returns the wall time in seconds.
    pub(super) fn train(&self, config: &Config, monitor: &Monitor) -> f64 {
        let live = Live::new(
            self.words.clone(),
            self.vocab.counts.clone(),
            self.input.clone(),
            self.output.clone(),
        )
        .with_subwords(self.subs.clone());
        let live = match &self.live_base {
            Some((base, changing)) => live.with_base(base.clone(), changing.clone()),
            None => live,
        };
        let total_words = self.total_words(config);
        monitor.start(
            self.threads,
            config.epochs,
            total_words,
            config.alpha(),
            Arc::new(live),
        );
        let started = Instant::now();
        let work = super::chunks::Chunks::new(&self.ends, config.epochs, self.threads);
        std::thread::scope(|scope| {
            for t in 0..self.threads {
                let job = sgns::Job {
                    model: config.model,
                    ids: &self.ids,
                    ends: &self.ends,
                    work: &work,
                    keep: &self.keep,
                    sample: config.sample > 0.0,
                    noise: &self.noise,
                    input: &self.input,
                    output: &self.output,
                    window: config.window,
                    negative: config.negatives(),
                    alpha: config.alpha(),
                    min_alpha: config.min_alpha(),
                    total_words,
                    monitor,
                    thread: t,
                    rng: Lcg::for_thread(config.seed, t),
                    hs: self.tree.as_ref(),
                    subs: self.subs.as_deref(),
                    shared_negatives: config.shared_negatives,
                    concurrent: self.threads > 1,
                };
                scope.spawn(move || sgns::run(job));
            }
        });
        let wall = started.elapsed().as_secs_f64();
        monitor.finish();
        wall
    }

    /// The report, the space (with the metadata and, with subwords, the subword model) and
    /// the output weights.
    pub(super) fn finish(
        self,
        corpus: &Corpus,
        config: &Config,
        monitor: &Monitor,
        base: Option<Base<'_>>,
        wall: f64,
    ) -> Result<Trained> {
        let dim = config.dim;
        let n = self.words.len();
        diverged(&self.input, dim, n, config)?;
        let report = self.report(corpus, config, monitor, base, wall);
        let metadata = meta::metadata(config, self.threads, &report);
        let mut data = match &self.subs {
            Some(subs) => word_vectors(&self.input, subs, n),
            None => self.input.to_vec(),
        };
        let norms = normalize_rows(&mut data, dim);
        let subwords = match (config.subwords, &self.subs) {
            (Some(s), Some(_)) => Some(super::subword::provider(
                &self.words,
                &self.vocab.counts,
                &data,
                &norms,
                &self.input,
                &s,
                &metadata,
            )?),
            _ => None,
        };
        let space = Space::new(SpaceParts {
            matrix: Matrix::from_vec(n, dim, data),
            vocab: self.words,
            norms,
            counts: Some(self.vocab.counts),
            subwords,
            source: SourceInfo {
                path: "trained".into(),
                format: Format::Fifu,
                storage: Storage::Array,
                metadata: Some(metadata),
                file_bytes: 0,
            },
        });
        Ok(Trained {
            space,
            output: self.output.to_vec(),
            report,
            language_model: None,
        })
    }

    fn report(
        &self,
        corpus: &Corpus,
        config: &Config,
        monitor: &Monitor,
        base: Option<Base<'_>>,
        wall: f64,
    ) -> Report {
        let snap = monitor.snapshot();
        let done = snap.done;
        let train_words = self.ids.len() as u64;
        let completed = !monitor.is_cancelled() && done >= self.total_words(config);
        let seconds = if snap.seconds > 0.0 {
            snap.seconds
        } else {
            wall
        };
        Report {
            completed,
            words_processed: done,
            epochs_done: if completed {
                config.epochs as f64
            } else {
                done as f64 / train_words.max(1) as f64
            },
            seconds,
            words_per_second: if seconds > 0.0 {
                done as f64 / seconds
            } else {
                0.0
            },
            final_loss: snap.loss,
            vocab_size: self.vocab.len(),
            train_words,
            corpus: corpus.stats().clone(),
            continued_from: base.map(|b| b.space.source().path.display().to_string()),
        }
    }
}

/// Fails when training diverged: rows of `input` (the first `words` are the words' own; any
/// after them are n-gram buckets) hold NaN or ±∞, as too large a learning rate gives. Nothing
/// is saved then, rather than a file whose vectors are lost.
fn diverged(input: &SharedMatrix, dim: usize, words: usize, config: &Config) -> Result<()> {
    let mut row = vec![0.0; dim];
    let bad = (0..input.rows())
        .filter(|&r| {
            input.load(r, &mut row);
            !row.iter().all(|x| x.is_finite())
        })
        .count();
    if bad == 0 {
        return Ok(());
    }
    let rows = match input.rows() > words {
        true => "rows (words and n-gram buckets)",
        false => "word vectors",
    };
    Err(Error::Invalid(format!(
        "training diverged: {bad} of {} {rows} hold NaN or ±∞, so nothing is kept; a \
         smaller learning rate keeps it stable (--alpha was {}; word2vec's defaults are 0.025 \
         for skip-gram and 0.05 for CBOW)",
        input.rows(),
        config.alpha()
    )))
}
