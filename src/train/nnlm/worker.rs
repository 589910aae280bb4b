//! One NNLM worker thread: Hogwild over its share of the sentences.
//!
//! Word vectors (`C`) and output rows (`U`) are updated in the shared matrices row by row, as
//! word2vec's workers do. The hidden layer (`H`, a few ten thousand weights that every
//! prediction changes) would make all threads fight over the same cache lines, so each worker
//! trains a local copy and every [`SYNC_EVERY`] predictions adds what it changed to the shared
//! `H` and reloads it (seeing the other workers' changes). With one thread that is plain SGD.
use super::step::{predict, Dims, Step};
use crate::train::hot::HotRows;
use crate::train::pace::{kept, Loss, Pace};
use crate::train::sgns::{Lcg, Noise};
use crate::train::shared::SharedMatrix;
use crate::train::Monitor;

/// Predictions between two merges of the local hidden weights into the shared ones.
pub(crate) const SYNC_EVERY: u64 = 32;
/// The loss is computed for one prediction in this many.
const LOSS_EVERY: u64 = 8;

/// The shared weights.
pub(crate) struct Weights<'a> {
    /// `C`: a vector per vocabulary word.
    pub emb: &'a SharedMatrix,
    /// The vector that stands for "before the start of the sentence".
    pub pad: &'a SharedMatrix,
    /// `H`: `hidden × x_len`.
    pub hid: &'a SharedMatrix,
    /// `U`: `vocabulary × h_len`.
    pub out: &'a SharedMatrix,
}

/// What one worker trains: chunks of sentences, until none are left.
pub(crate) struct Job<'a> {
    pub dims: Dims,
    pub w: Weights<'a>,
    pub ids: &'a [u32],
    pub ends: &'a [usize],
    /// The sentences to train, taken in chunks shared with the other workers.
    pub work: &'a crate::train::chunks::Chunks<'a>,
    pub keep: &'a [f32],
    pub sample: bool,
    pub noise: &'a Noise,
    pub negative: usize,
    pub alpha: f32,
    pub min_alpha: f32,
    pub total_words: u64,
    pub monitor: &'a Monitor,
    pub thread: usize,
    pub rng: Lcg,
}

/// Counters of one worker.
#[derive(Default)]
struct Tally {
    predictions: u64,
    loss: Loss,
}

/// Trains until the job is done or cancelled. Returns the words this worker read.
pub(crate) fn run(job: Job<'_>) -> u64 {
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx2") {
        // SAFETY: the CPU supports AVX2, the one feature `run_avx2` is compiled for.
        return unsafe { run_avx2(job) };
    }
    run_impl(job)
}

/// The worker compiled for AVX2 (the row arithmetic inlined into it uses 256-bit vectors).
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
unsafe fn run_avx2(job: Job<'_>) -> u64 {
    run_impl(job)
}

#[inline(always)]
fn run_impl(mut job: Job<'_>) -> u64 {
    let mut local = HotRows::new(job.w.hid, 0..job.w.hid.rows());
    let mut step = Step::new(job.dims);
    let mut noise = Vec::with_capacity(job.negative);
    let mut t = Tally::default();
    let mut pace = Pace::new(
        job.monitor,
        job.thread,
        (job.alpha, job.min_alpha),
        job.total_words,
    );
    while let Some(chunk) = job.work.next() {
        let mut first = chunk.start;
        for si in chunk.sentences {
            let end = job.ends[si];
            for pos in first..end {
                if !pace.read_one(&mut t.loss) {
                    local.sync(job.w.hid);
                    return pace.words;
                }
                let target = job.ids[pos];
                if job.sample && !kept(&mut job.rng, job.keep[target as usize]) {
                    continue;
                }
                noise.clear();
                for _ in 0..job.negative {
                    noise.push(job.noise.sample(&mut job.rng));
                }
                let alpha = pace.alpha;
                one(
                    &job, &mut local, &mut step, first, pos, &noise, alpha, &mut t,
                );
                if t.predictions % SYNC_EVERY == 0 {
                    local.sync(job.w.hid);
                }
            }
            first = end;
        }
    }
    local.sync(job.w.hid);
    pace.finish(&mut t.loss)
}

/// The row of `C` (or the padding) that stands at `p` for a sentence starting at `first`.
#[inline(always)]
fn context_row<'a>(job: &Job<'a>, first: usize, p: Option<usize>) -> (&'a SharedMatrix, usize) {
    match p {
        Some(p) if p >= first => (job.w.emb, job.ids[p] as usize),
        _ => (job.w.pad, 0),
    }
}

/// Predicts the word at `pos` from the words before it and applies the update.
#[inline(always)]
#[allow(
    clippy::too_many_arguments,
    reason = "the hot path takes its pieces apart"
)]
fn one(
    job: &Job<'_>,
    local: &mut HotRows,
    s: &mut Step,
    first: usize,
    pos: usize,
    noise: &[u32],
    alpha: f32,
    t: &mut Tally,
) {
    let Dims { ctx, dim, .. } = job.dims;
    for i in 0..ctx {
        let (m, row) = context_row(job, first, pos.checked_sub(ctx - i));
        m.load(row, &mut s.x[i * dim..(i + 1) * dim]);
    }
    let with_loss = t.predictions.is_multiple_of(LOSS_EVERY);
    t.predictions += 1;
    let target = job.ids[pos];
    let loss = predict(
        local.all_mut(),
        job.dims,
        s,
        job.w.out,
        target,
        noise,
        alpha,
        with_loss,
    );
    if with_loss {
        t.loss.add(loss);
    }
    for i in 0..ctx {
        let (m, row) = context_row(job, first, pos.checked_sub(ctx - i));
        m.add(row, &s.grad_x[i * dim..(i + 1) * dim]);
    }
}
