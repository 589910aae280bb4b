//! The pieces of word2vec's negative-sampling training: its random numbers, the sub-sampling
//! of frequent words, the noise distribution, the per-pair update and the worker loop.
use super::hot::HotRows;
use super::pace::{kept, Loss, Pace};
use super::shared::{Rows, SharedMatrix};
use super::{Model, Monitor};

/// word2vec's linear congruential generator (`next = next * 25214903917 + 11`, mod 2^64).
#[derive(Debug, Clone)]
pub struct Lcg(u64);

impl Lcg {
    /// A generator whose state starts at `state`.
    pub fn new(state: u64) -> Self {
        Lcg(state)
    }

    /// The generator of worker `thread` for `seed`.
    pub fn for_thread(seed: u64, thread: usize) -> Self {
        Lcg(seed ^ (thread as u64 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15))
    }

    #[inline]
    /// Advances the generator and returns its new state.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_mul(25_214_903_917).wrapping_add(11);
        self.0
    }
}

/// word2vec's probability of keeping an occurrence of a word seen `count` times among `total`
/// vocabulary tokens: `(sqrt(f / (sample·total)) + 1) · (sample·total) / f`, capped at 1.
/// `sample <= 0` keeps everything.
pub fn keep_probability(count: u64, total: u64, sample: f64) -> f32 {
    if sample <= 0.0 || count == 0 {
        return 1.0;
    }
    let st = sample * total as f64;
    let f = count as f64;
    (((f / st).sqrt() + 1.0) * st / f).min(1.0) as f32
}

/// Draws words with probability proportional to count^0.75 (Walker/Vose alias method: exact,
/// O(1) a draw, 8 bytes a word instead of word2vec's 10^8-entry table).
pub struct Noise {
    /// Per column: the acceptance threshold (probability · 2^32) and the alias.
    cells: Vec<(u32, u32)>,
}

impl Noise {
    /// The alias table for `counts` raised to `power` (word2vec uses 0.75).
    pub fn new(counts: &[u64], power: f64) -> Noise {
        let n = counts.len();
        let weights: Vec<f64> = counts.iter().map(|&c| (c as f64).powf(power)).collect();
        let sum: f64 = weights.iter().sum();
        let mut prob: Vec<f64> = weights.iter().map(|w| w * n as f64 / sum).collect();
        let mut cells: Vec<(u32, u32)> = (0..n as u32).map(|i| (u32::MAX, i)).collect();
        let (mut small, mut large): (Vec<usize>, Vec<usize>) = (0..n).partition(|&i| prob[i] < 1.0);
        while let (Some(&s), Some(&l)) = (small.last(), large.last()) {
            small.pop();
            cells[s] = (
                ((prob[s] * 4_294_967_296.0) as u64).min(u32::MAX as u64) as u32,
                l as u32,
            );
            prob[l] -= 1.0 - prob[s];
            if prob[l] < 1.0 {
                large.pop();
                small.push(l);
            }
        }
        // What remains is 1 up to rounding: always accepted (cells were set so).
        Noise { cells }
    }

    /// One word id.
    #[inline]
    pub fn sample(&self, rng: &mut Lcg) -> u32 {
        let col = (((rng.next_u64() >> 16) as u128 * self.cells.len() as u128) >> 48) as usize;
        let coin = (rng.next_u64() >> 16) as u32;
        let (threshold, alias) = self.cells[col];
        if coin < threshold {
            col as u32
        } else {
            alias
        }
    }
}

/// word2vec clips the sigmoid at ±6: beyond, the gradient treats it as exactly 0 or 1.
pub const MAX_EXP: f32 = 6.0;

/// σ(f) clipped at ±[`MAX_EXP`] (exactly 1 above, 0 below), from `e` = exp(−|f|), which the
/// callers also use for the loss; inside the clip it is computed without overflow on either
/// side. `e` is not read when `f` is clipped.
#[inline(always)]
pub fn clipped_sigmoid(f: f32, e: f32) -> f32 {
    if f > MAX_EXP {
        1.0
    } else if f < -MAX_EXP {
        0.0
    } else if f >= 0.0 {
        1.0 / (1.0 + e)
    } else {
        e / (1.0 + e)
    }
}

#[inline(always)]
pub fn dot(a: &[f32], b: &[f32]) -> f32 {
    let mut acc = [0.0f32; 16];
    let (ca, cb) = (a.chunks_exact(16), b.chunks_exact(16));
    let (ra, rb) = (ca.remainder(), cb.remainder());
    for (x, y) in ca.zip(cb) {
        for k in 0..16 {
            acc[k] += x[k] * y[k];
        }
    }
    let mut s = 0.0;
    for k in 0..8 {
        s += acc[k] + acc[k + 8];
    }
    for (x, y) in ra.iter().zip(rb) {
        s += x * y;
    }
    s
}

#[inline(always)]
pub(crate) fn axpy(y: &mut [f32], g: f32, x: &[f32]) {
    for (y, x) in y.iter_mut().zip(x) {
        *y += g * x;
    }
}

/// One negative-sampling step for one target on local copies: `h` is the input (hidden)
/// vector, `o` the target's output row, `label` 1 for the true word and 0 for a noise word.
/// Adds `alpha · ∂(−loss)/∂h` to `grad_h`, updates `o` in place. With `with_loss`, returns the
/// loss `−log σ(h·o)` (label 1) or `−log σ(−h·o)` (label 0), computed exactly; otherwise 0.
/// The gradient uses the exact sigmoid, clipped at ±[`MAX_EXP`] like word2vec's table.
#[inline(always)]
pub fn target_step(
    h: &[f32],
    o: &mut [f32],
    label: f32,
    alpha: f32,
    grad_h: &mut [f32],
    with_loss: bool,
) -> f32 {
    let f = dot(h, o);
    let e = (-f.abs()).exp();
    let sigma = clipped_sigmoid(f, e);
    let g = (label - sigma) * alpha;
    axpy(grad_h, g, o);
    axpy(o, g, h);
    if with_loss {
        // softplus(±f) = max(±f, 0) + ln(1 + e^(−|f|)).
        let signed = if label > 0.0 { -f } else { f };
        signed.max(0.0) + e.ln_1p()
    } else {
        0.0
    }
}

/// What one worker trains: chunks of sentences, until none are left.
pub struct Job<'a> {
    pub model: Model,
    pub ids: &'a [u32],
    pub ends: &'a [usize],
    /// The sentences to train, taken in chunks shared with the other workers.
    pub work: &'a super::chunks::Chunks<'a>,
    pub keep: &'a [f32],
    pub sample: bool,
    pub noise: &'a Noise,
    pub input: &'a SharedMatrix,
    pub output: &'a SharedMatrix,
    pub window: usize,
    pub negative: usize,
    pub alpha: f32,
    pub min_alpha: f32,
    pub total_words: u64,
    pub monitor: &'a Monitor,
    pub thread: usize,
    pub rng: Lcg,
    /// Hierarchical softmax's tree (then `negative` is 0), or `None` for negative sampling.
    pub hs: Option<&'a super::hs::Huffman>,
    /// The input rows of each word when training with subwords.
    pub subs: Option<&'a super::subword::SubwordRows>,
    /// Skip-gram with negative sampling shares one set of noise words per window.
    pub shared_negatives: bool,
    /// Other workers train at the same time: each keeps its own copy of the output rows
    /// every update touches ([`hot_rows`]).
    pub concurrent: bool,
}

/// word2vec's longest sentence; longer ones are cut into pieces of this many kept words.
pub const MAX_SENTENCE: usize = 1000;
/// The loss is computed for one update in this many (a regular sample of the recent updates:
/// its `exp` and `ln_1p` cost ~4 % of the training time when it was one in 8).
const LOSS_EVERY: u64 = 32;

/// Local row buffers and the loss accumulator of one worker.
struct Bufs {
    h: Vec<f32>,
    grad: Vec<f32>,
    tmp: Vec<f32>,
    /// Shared negatives: the window's input rows, the outputs' rows and their coefficients.
    ins: Vec<f32>,
    outs: Vec<f32>,
    coef: Vec<f32>,
    updates: u64,
    loss: Loss,
    /// With other workers: this worker's copy of the hottest output rows ([`hot_rows`]),
    /// synced every [`SYNC_WORDS`] words.
    hot: Option<HotRows>,
}

/// The output rows a worker keeps its own copy of ([`super::hot::for_worker`]).
fn hot_rows(job: &Job<'_>) -> Option<HotRows> {
    let shared = job.model == Model::SkipGram && job.subs.is_none() && job.shared_negatives;
    super::hot::for_worker(job.output, job.hs, shared, job.concurrent)
}

/// Words between two syncs of a worker's [`HotRows`] (64 rows of 100 dimensions: a sync costs
/// about as much as training one word).
const SYNC_WORDS: u64 = 1000;

/// The random draws for one centre word, made one word ahead so that the rows they touch can
/// be prefetched: its context positions and the noise words (`negative` per update).
#[derive(Default)]
struct Draw {
    ctx: std::ops::Range<usize>,
    noise: Vec<u32>,
}

#[cfg(test)]
use kernel::run_with;
pub use kernel::{run, Kernel};

#[inline(always)]
pub(super) fn run_impl<R: Rows>(k: R, mut job: Job<'_>) -> u64 {
    let dim = job.input.dim();
    let mut b = Bufs {
        h: vec![0.0; dim],
        grad: vec![0.0; dim],
        tmp: vec![0.0; dim],
        ins: Vec::new(),
        outs: Vec::new(),
        coef: Vec::new(),
        updates: 0,
        loss: Loss::default(),
        hot: hot_rows(&job),
    };
    let mut synced = 0;
    let mut draws = [Draw::default(), Draw::default()];
    let mut sen: Vec<u32> = Vec::with_capacity(MAX_SENTENCE);
    let mut pace = Pace::new(
        job.monitor,
        job.thread,
        (job.alpha, job.min_alpha),
        job.total_words,
    );
    while let Some(chunk) = job.work.next() {
        let mut pos = chunk.start;
        for si in chunk.sentences {
            let end = job.ends[si];
            while pos < end {
                if pace.due() && !pace.report(&mut b.loss) {
                    sync(&mut b, job.output);
                    return pace.words;
                }
                sen.clear();
                while pos < end && sen.len() < MAX_SENTENCE {
                    let w = job.ids[pos];
                    pos += 1;
                    pace.words += 1;
                    if !job.sample || kept(&mut job.rng, job.keep[w as usize]) {
                        sen.push(w);
                    }
                }
                sentence(k, &mut job, &sen, pace.alpha, &mut b, &mut draws);
                if pace.words - synced >= SYNC_WORDS {
                    sync(&mut b, job.output);
                    synced = pace.words;
                }
            }
        }
    }
    sync(&mut b, job.output);
    pace.finish(&mut b.loss)
}

/// Adds the worker's changes to its kept rows to the shared ones, if it keeps any.
fn sync(b: &mut Bufs, output: &SharedMatrix) {
    if let Some(hot) = &mut b.hot {
        hot.sync(output);
    }
}

/// The context positions of `pos`: b drawn uniformly in 0..window, effective window − b.
#[inline(always)]
fn context(pos: usize, len: usize, window: usize, rng: &mut Lcg) -> std::ops::Range<usize> {
    let b = (rng.next_u64() % window as u64) as usize;
    let reach = window - b;
    pos.saturating_sub(reach)..(pos + reach + 1).min(len)
}

/// Draws the context and noise words for centre `pos`, and prefetches the rows they touch.
#[inline(always)]
fn draw(job: &mut Job<'_>, sen: &[u32], pos: usize, d: &mut Draw) {
    d.ctx = context(pos, sen.len(), job.window, &mut job.rng);
    let updates = match job.model {
        Model::SkipGram if !job.shared_negatives => d.ctx.len() - 1,
        _ => 1,
    };
    d.noise.clear();
    for _ in 0..updates * job.negative {
        let t = job.noise.sample(&mut job.rng);
        job.output.prefetch(t as usize);
        d.noise.push(t);
    }
    match (job.subs, job.model) {
        (Some(subs), Model::SkipGram) => {
            for &r in subs.of(sen[pos]) {
                job.input.prefetch(r as usize);
            }
            // Here the context words are the ones predicted.
            for c in d.ctx.clone() {
                if c != pos {
                    prefetch_output(job, sen[c]);
                }
            }
            return;
        }
        _ => prefetch_output(job, sen[pos]),
    }
    match (job.subs, job.model) {
        (Some(_), Model::SkipGram) => {}
        (Some(subs), Model::Cbow) => {
            for c in d.ctx.clone() {
                for &r in subs.of(sen[c]) {
                    job.input.prefetch(r as usize);
                }
            }
        }
        (None, _) => {
            for c in d.ctx.clone() {
                job.input.prefetch(sen[c] as usize);
            }
        }
    }
}

/// Inner nodes this deep or deeper in the Huffman tree are prefetched; the ones above are few
/// (2^8 − 1 rows, 100 KB at 100 dimensions) and stay in the caches.
const HS_PREFETCH_DEPTH: usize = 8;

/// Prefetches the output rows that predicting `w` touches: its own row with negative
/// sampling, the deep nodes of its path with hierarchical softmax.
#[inline(always)]
fn prefetch_output(job: &Job<'_>, w: u32) {
    match job.hs {
        Some(tree) => {
            for &node in tree.path(w).1.iter().skip(HS_PREFETCH_DEPTH) {
                job.output.prefetch(node as usize);
            }
        }
        None => job.output.prefetch(w as usize),
    }
}

/// Trains on one sentence (of kept words).
#[inline(always)]
fn sentence<R: Rows>(
    k: R,
    job: &mut Job<'_>,
    sen: &[u32],
    alpha: f32,
    b: &mut Bufs,
    draws: &mut [Draw; 2],
) {
    if sen.is_empty() {
        return;
    }
    let [cur, next] = draws;
    draw(job, sen, 0, next);
    for pos in 0..sen.len() {
        std::mem::swap(cur, next);
        if pos + 1 < sen.len() {
            draw(job, sen, pos + 1, next);
        }
        step::word(k, job, sen, pos, cur, alpha, b);
    }
}

mod kernel;
mod step;

#[cfg(test)]
mod tests;
