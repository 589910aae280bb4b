//! The neural probabilistic language model of Bengio, Ducharme, Vincent and Jauvin (2003).
//!
//! Each word is predicted from the N − 1 words before it in its sentence: their vectors
//! (rows of `C`, the embeddings that are saved) are concatenated, pass a tanh hidden layer, and
//! give a score for every vocabulary word. Instead of the paper's full softmax over the
//! vocabulary, the output layer is trained with negative sampling (Mikolov et al. 2013): the
//! true next word against `negative` noise words drawn from unigram^0.75, so that a prediction
//! costs `O(hidden · (N − 1) · dim)` rather than `O(hidden · vocabulary)`. The paper's optional
//! direct connections from the input to the output are left out. Positions before the start
//! of a sentence are filled with a learned padding vector. Sub-sampling (`sample`) skips
//! frequent words as targets, never as context. Training is Hogwild over sentences like the
//! word2vec objectives (see the `worker` module for the hidden layer), with the same learning-rate
//! decay, progress, loss and live view; one thread and a fixed seed give bit-identical runs.
//!
//! The whole model (not only the saved vectors) is [`LanguageModel`]: it gives the next
//! word's probabilities and measures the model on held-out text; [`file`] keeps it on disk.
pub mod counted;
pub mod file;
mod model;
mod step;
mod worker;

pub use crate::train::lm::NextWord;
pub use counted::Counted;
pub use model::LanguageModel;
pub use step::Dims;

use super::sgns::{keep_probability, Lcg, Noise};
use super::shared::SharedMatrix;
use super::{meta, Base, Config, Corpus, Live, Monitor, Report, TrainVocab, Trained};
use crate::error::{Error, Result};
use crate::format::Format;
use crate::space::{normalize_rows, Matrix, SourceInfo, Space, SpaceParts, Storage};
use std::sync::Arc;
use std::time::Instant;

/// All weights of a trained NNLM, row-major.
#[derive(Debug, Clone)]
pub struct NnlmWeights {
    /// The context length, word-vector size and hidden units.
    pub dims: Dims,
    /// `C`: the (not normalised) word vectors, in the vocabulary's order.
    pub emb: Vec<f32>,
    /// The padding vector for positions before a sentence's start.
    pub pad: Vec<f32>,
    /// `H`: `hidden × ((N − 1)·dim + 1)`, the last column the hidden bias.
    pub hidden: Vec<f32>,
    /// `U`: `vocabulary × (hidden + 1)`, the last column the output bias.
    pub out: Vec<f32>,
}

impl NnlmWeights {
    /// The scores of every vocabulary word after `context` (the N − 1 previous words, oldest
    /// first; `None` for "before the sentence's start").
    pub fn scores(&self, context: &[Option<u32>]) -> Vec<f32> {
        let Dims { ctx, dim, .. } = self.dims;
        let mut x = vec![0.0; self.dims.x_len()];
        x[ctx * dim] = 1.0;
        for (i, w) in context.iter().rev().take(ctx).enumerate() {
            let slot = ctx - 1 - i;
            let src = match w {
                Some(w) => &self.emb[*w as usize * dim..(*w as usize + 1) * dim],
                None => &self.pad[..],
            };
            x[slot * dim..(slot + 1) * dim].copy_from_slice(src);
        }
        for slot in 0..ctx.saturating_sub(context.len()) {
            x[slot * dim..(slot + 1) * dim].copy_from_slice(&self.pad);
        }
        step::scores(&self.hidden, self.dims, &x, &self.out)
    }
}

/// Trains the NNLM (`config.nnlm`, default shape if `None`) on `corpus`. Continuing an
/// earlier run (`base`) is for skip-gram and CBOW only.
pub fn train_from(
    corpus: &Corpus,
    config: &Config,
    monitor: &Monitor,
    base: Option<Base<'_>>,
) -> Result<Trained> {
    if base.is_some() {
        return Err(Error::Invalid(
            "continuing training works for skip-gram and CBOW; the NNLM starts from scratch".into(),
        ));
    }
    train_model(corpus, config, monitor)
}

/// The shared weights of a run.
struct Shared {
    emb: Arc<SharedMatrix>,
    pad: SharedMatrix,
    hid: SharedMatrix,
    out: Arc<SharedMatrix>,
}

impl Shared {
    /// word2vec's start for the word vectors (and the padding), uniform ±1/√fan-in for the
    /// hidden layer (its bias 0), zeros for the output layer.
    fn new(words: usize, d: Dims, seed: u64) -> Shared {
        let mut rng = Lcg::new(seed);
        let mut unit = move || (rng.next_u64() & 0xFFFF) as f32 / 65536.0 - 0.5;
        let emb = SharedMatrix::from_fn(words, d.dim, |_| unit() / d.dim as f32);
        let pad = SharedMatrix::from_fn(1, d.dim, |_| unit() / d.dim as f32);
        let scale = 2.0 / (d.x_len() as f32).sqrt();
        let hid = SharedMatrix::from_fn(d.hidden, d.x_len(), |i| {
            if i % d.x_len() == d.x_len() - 1 {
                0.0
            } else {
                unit() * scale
            }
        });
        let out = SharedMatrix::zeros(words, d.h_len());
        Shared {
            emb: Arc::new(emb),
            pad,
            hid,
            out: Arc::new(out),
        }
    }

    fn weights(&self) -> worker::Weights<'_> {
        worker::Weights {
            emb: &self.emb,
            pad: &self.pad,
            hid: &self.hid,
            out: &self.out,
        }
    }

    fn to_weights(&self, dims: Dims) -> NnlmWeights {
        NnlmWeights {
            dims,
            emb: self.emb.to_vec(),
            pad: self.pad.to_vec(),
            hidden: self.hid.to_vec(),
            out: self.out.to_vec(),
        }
    }
}

/// What the workers share besides the weights.
struct Plan {
    dims: Dims,
    ids: Vec<u32>,
    ends: Vec<usize>,
    keep: Vec<f32>,
    noise: Noise,
    threads: usize,
    train_words: u64,
}

impl Plan {
    fn new(corpus: &Corpus, config: &Config, vocab: &TrainVocab, dims: Dims) -> Plan {
        let (ids, ends) = corpus.encode(vocab);
        let total: u64 = vocab.counts.iter().sum();
        Plan {
            dims,
            threads: config.threads().min(ends.len().max(1)),
            train_words: ids.len() as u64,
            keep: vocab
                .counts
                .iter()
                .map(|&c| keep_probability(c, total, config.sample))
                .collect(),
            noise: Noise::new(&vocab.counts, 0.75),
            ids,
            ends,
        }
    }

    /// Runs the workers to the end (or until cancelled).
    fn run(&self, shared: &Shared, config: &Config, monitor: &Monitor) {
        let work = super::chunks::Chunks::new(&self.ends, config.epochs, self.threads);
        let total_words = self.train_words * config.epochs as u64;
        std::thread::scope(|scope| {
            for t in 0..self.threads {
                let job = worker::Job {
                    dims: self.dims,
                    w: shared.weights(),
                    ids: &self.ids,
                    ends: &self.ends,
                    work: &work,
                    keep: &self.keep,
                    sample: config.sample > 0.0,
                    noise: &self.noise,
                    negative: config.negative,
                    alpha: config.alpha(),
                    min_alpha: config.min_alpha(),
                    total_words,
                    monitor,
                    thread: t,
                    rng: Lcg::for_thread(config.seed, t),
                };
                scope.spawn(move || worker::run(job));
            }
        });
    }
}

/// Trains the NNLM; the result's `language_model` holds all its weights.
pub fn train_model(corpus: &Corpus, config: &Config, monitor: &Monitor) -> Result<Trained> {
    config.validate()?;
    monitor.progress().check()?;
    let shape = config.nnlm.unwrap_or_default();
    let dims = Dims {
        ctx: shape.order.saturating_sub(1).max(1),
        dim: config.dim,
        hidden: shape.hidden,
    };
    let vocab = corpus.vocabulary(config.min_count, config.max_vocab);
    if vocab.is_empty() {
        return Err(Error::Invalid(format!(
            "no word occurs at least {} times in the corpus ({} tokens); lower --min-count",
            config.min_count,
            corpus.stats().tokens
        )));
    }
    let shared = Shared::new(vocab.len(), dims, config.seed);
    let plan = Plan::new(corpus, config, &vocab, dims);
    let words = super::vocab_of(&vocab)?;
    let live = Live::new(
        words.clone(),
        vocab.counts.clone(),
        shared.emb.clone(),
        shared.out.clone(),
    );
    let total_words = plan.train_words * config.epochs as u64;
    monitor.start(
        plan.threads,
        config.epochs,
        total_words,
        config.alpha(),
        Arc::new(live),
    );
    let started = Instant::now();
    plan.run(&shared, config, monitor);
    let report = report(corpus, config, monitor, &vocab, plan.train_words, started);
    worse_than_nothing(report.final_loss, config)?;
    let weights = shared.to_weights(dims);
    let metadata = meta::metadata(config, plan.threads, &report);
    let mut model = LanguageModel::new(
        weights,
        words.iter().map(str::to_string).collect(),
        vocab.counts.clone(),
        Some(metadata.clone()),
    )?;
    model.lowercase = config.lowercase;
    model.segment = corpus.stats().segmented;
    let mut data = model.weights.emb.clone();
    let norms = normalize_rows(&mut data, dims.dim);
    let space = Space::new(SpaceParts {
        matrix: Matrix::from_vec(words.len(), dims.dim, data),
        vocab: words,
        norms,
        counts: Some(vocab.counts),
        subwords: None,
        source: SourceInfo {
            path: "trained".into(),
            format: Format::Fifu,
            storage: Storage::Array,
            metadata: Some(metadata),
            file_bytes: 0,
        },
    });
    // The output rows are not word2vec context vectors: nothing can continue from them.
    Ok(Trained {
        space,
        output: Vec::new(),
        report,
        language_model: Some(Box::new(model)),
    })
}

/// Fails when the run's recent loss is above the loss of a model that scores every word 0,
/// `(1 + negative)·ln 2`, where training starts: such a model has learnt less than nothing, as
/// too large a learning rate gives (its weights grow to 1e9 and more while staying finite, so
/// the check for NaN and ±∞ does not see it). On 2 MB of the bench corpus, one epoch: the
/// default rate ends at 2.4 against 4.16; `--alpha 0.3` at 6.9, with a held-out perplexity of
/// 1e8.
fn worse_than_nothing(loss: Option<f32>, config: &Config) -> Result<()> {
    let start = (1 + config.negative) as f32 * std::f32::consts::LN_2;
    match loss {
        Some(l) if l > start => Err(Error::Invalid(format!(
            "training diverged: the NNLM's loss ended at {l:.1}, against {start:.2} for a model \
             that knows nothing, so nothing is kept; a smaller learning rate keeps it stable \
             (--alpha was {})",
            config.alpha()
        ))),
        _ => Ok(()),
    }
}

fn report(
    corpus: &Corpus,
    config: &Config,
    monitor: &Monitor,
    vocab: &TrainVocab,
    train_words: u64,
    started: Instant,
) -> Report {
    let wall = started.elapsed().as_secs_f64();
    monitor.finish();
    let snap = monitor.snapshot();
    let total_words = train_words * config.epochs as u64;
    let completed = !monitor.is_cancelled() && snap.done >= total_words;
    let seconds = if snap.seconds > 0.0 {
        snap.seconds
    } else {
        wall
    };
    Report {
        completed,
        words_processed: snap.done,
        epochs_done: if completed {
            config.epochs as f64
        } else {
            snap.done as f64 / train_words.max(1) as f64
        },
        seconds,
        words_per_second: if seconds > 0.0 {
            snap.done as f64 / seconds
        } else {
            0.0
        },
        final_loss: snap.loss,
        vocab_size: vocab.len(),
        train_words,
        corpus: corpus.stats().clone(),
        continued_from: None,
    }
}

#[cfg(test)]
mod tests;
