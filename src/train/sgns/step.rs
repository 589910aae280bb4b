//! The updates for one centre word, for each objective: skip-gram or CBOW, negative sampling
//! or hierarchical softmax, with or without subwords, and skip-gram's shared negatives.
use super::{axpy, clipped_sigmoid, Bufs, Draw, Job, LOSS_EVERY, MAX_EXP};
use crate::train::hs;
use crate::train::shared::{Rows, SharedMatrix};
use crate::train::Model;

/// Trains on centre word `pos` of `sen` with the draws `d`.
#[inline(always)]
pub(super) fn word<R: Rows>(
    k: R,
    job: &Job<'_>,
    sen: &[u32],
    pos: usize,
    d: &Draw,
    alpha: f32,
    b: &mut Bufs,
) {
    match (job.model, job.subs.is_some(), job.hs.is_some()) {
        (Model::Cbow, ..) => cbow(k, job, sen, pos, d, alpha, b),
        (Model::SkipGram, true, _) => skipgram_subwords(k, job, sen, pos, d, alpha, b),
        (Model::SkipGram, false, true) => skipgram_hs(k, job, sen, pos, d, alpha, b),
        (Model::SkipGram, false, false) if job.shared_negatives => {
            skipgram_shared(k, job, sen, pos, d, alpha, b)
        }
        (Model::SkipGram, false, false) => skipgram(k, job, sen, pos, d, alpha, b),
    }
}

/// Starts one update: whether its loss is computed (one in [`LOSS_EVERY`]).
#[inline(always)]
fn with_loss(b: &mut Bufs) -> bool {
    let w = b.updates.is_multiple_of(LOSS_EVERY);
    b.updates += 1;
    w
}

#[inline(always)]
fn record(b: &mut Bufs, with_loss: bool, loss: f32) {
    if with_loss {
        b.loss.add(loss);
    }
}

/// The updates for one (input vector `b.h`, true word) pair and its noise words, all on the
/// shared output rows in place, as word2vec does. Leaves the gradient for the input side in
/// `b.grad`. The arithmetic is [`super::target_step`]'s, on the shared row instead of a copy.
///
/// No output row is held in a local copy that is written back: with several threads, a copy
/// written back later would wipe out the other threads' updates to that row meanwhile, and
/// since a frequent word is somebody's noise word all the time, the lost updates are mostly
/// the repelling ones (on 20 words and 2 threads the two topics' vectors collapsed together).
/// The most frequent words' rows, which every worker writes all the time, are each worker's
/// own copy (`b.hot`), whose changes are *added* to the shared rows now and then.
#[inline(always)]
fn negatives<R: Rows>(
    k: R,
    out: &SharedMatrix,
    word: u32,
    noise: &[u32],
    alpha: f32,
    b: &mut Bufs,
) {
    b.grad.fill(0.0);
    let wl = with_loss(b);
    let f = hot_dot(k, out, &mut b.hot, word as usize, &b.h);
    let (g, mut loss) = coefficient(f, 1.0, alpha, wl);
    hot_step(k, out, &mut b.hot, word as usize, g, &b.h, &mut b.grad);
    // With distinct noise words, their dot products come before their updates (the loads
    // overlap; `h` does not change, so the products are the node-by-node loop's); a word
    // drawn twice must see its first update, so then it is one by one.
    let mut fs = [0.0f32; 16];
    let distinct = noise.len() <= fs.len()
        && noise
            .iter()
            .enumerate()
            .all(|(i, t)| !noise[..i].contains(t));
    if distinct {
        for (f, &t) in fs.iter_mut().zip(noise) {
            if t != word {
                *f = hot_dot(k, out, &mut b.hot, t as usize, &b.h);
            }
        }
    }
    for (i, &t) in noise.iter().enumerate() {
        if t == word {
            continue;
        }
        let f = if distinct {
            fs[i]
        } else {
            hot_dot(k, out, &mut b.hot, t as usize, &b.h)
        };
        let (g, l) = coefficient(f, 0.0, alpha, wl);
        hot_step(k, out, &mut b.hot, t as usize, g, &b.h, &mut b.grad);
        loss += l;
    }
    record(b, wl, loss);
}

/// `h · o` of output row `row`: the worker's own copy when it keeps one.
#[inline(always)]
fn hot_dot<R: Rows>(
    k: R,
    out: &SharedMatrix,
    hot: &mut Option<crate::train::hot::HotRows>,
    row: usize,
    h: &[f32],
) -> f32 {
    match hot.as_mut().and_then(|t| t.get_mut(row)) {
        Some(o) => k.dot_local(o, h),
        None => k.dot(out, row, h),
    }
}

/// `grad += g · o; o += g · h` on output row `row`: the worker's own copy when it keeps one.
#[inline(always)]
fn hot_step<R: Rows>(
    k: R,
    out: &SharedMatrix,
    hot: &mut Option<crate::train::hot::HotRows>,
    row: usize,
    g: f32,
    h: &[f32],
    grad: &mut [f32],
) {
    match hot.as_mut().and_then(|t| t.get_mut(row)) {
        Some(o) => k.step_local(o, g, h, grad),
        None => k.step(out, row, g, h, grad),
    }
}

/// Negative sampling's gradient coefficient `(label − σ(f)) · alpha` (σ clipped at
/// ±[`MAX_EXP`] as in [`super::target_step`]) and, with `with_loss`, the loss of the pair (else 0).
#[inline(always)]
fn coefficient(f: f32, label: f32, alpha: f32, with_loss: bool) -> (f32, f32) {
    let clipped = f.abs() > MAX_EXP;
    let e = if clipped && !with_loss {
        0.0
    } else {
        (-f.abs()).exp()
    };
    let sigma = clipped_sigmoid(f, e);
    let loss = if with_loss {
        let signed = if label > 0.0 { -f } else { f };
        signed.max(0.0) + e.ln_1p()
    } else {
        0.0
    };
    ((label - sigma) * alpha, loss)
}

/// Hidden vector `b.h` predicts `word` (noise words `noise` with negative sampling): updates
/// the output side and leaves the input side's gradient (times alpha) in `b.grad`.
#[inline(always)]
fn predict<R: Rows>(k: R, job: &Job<'_>, word: u32, noise: &[u32], alpha: f32, b: &mut Bufs) {
    if let Some(tree) = job.hs {
        let wl = with_loss(b);
        let hot = b.hot.as_mut();
        let loss = hs::update(k, job.output, tree, word, &b.h, alpha, &mut b.grad, wl, hot);
        record(b, wl, loss);
    } else {
        negatives(k, job.output, word, noise, alpha, b);
    }
}

/// Skip-gram: every context word's input vector predicts the centre word. As in word2vec, the
/// input row's gradient is added to the shared row (not written back from the local copy,
/// which would drop other threads' updates made meanwhile).
#[inline(always)]
fn skipgram<R: Rows>(
    k: R,
    job: &Job<'_>,
    sen: &[u32],
    pos: usize,
    d: &Draw,
    alpha: f32,
    b: &mut Bufs,
) {
    let word = sen[pos];
    let mut noise = d.noise.chunks_exact(job.negative.max(1));
    for c in d.ctx.clone() {
        if c == pos {
            continue;
        }
        let ns = noise.next().unwrap_or(&[]);
        let last = sen[c] as usize;
        k.load(job.input, last, &mut b.h);
        negatives(k, job.output, word, ns, alpha, b);
        k.add(job.input, last, &b.grad);
    }
}

/// Skip-gram with hierarchical softmax: every context word's input vector predicts the
/// centre word along its Huffman path (word2vec's order).
#[inline(always)]
fn skipgram_hs<R: Rows>(
    k: R,
    job: &Job<'_>,
    sen: &[u32],
    pos: usize,
    d: &Draw,
    alpha: f32,
    b: &mut Bufs,
) {
    let word = sen[pos];
    for c in d.ctx.clone() {
        if c == pos {
            continue;
        }
        let last = sen[c] as usize;
        k.load(job.input, last, &mut b.h);
        predict(k, job, word, &[], alpha, b);
        k.add(job.input, last, &b.grad);
    }
}

/// Skip-gram with subwords, as fastText and gensim `FastText`: the centre word's input vector
/// (the mean of its rows) predicts each context word. As in both, each of the rows receives
/// the whole gradient with respect to the mean, not divided by the number of rows (only
/// fastText's supervised model divides); the rows are written once, after the window, with
/// the sum of the window's updates, and the local mean follows each update meanwhile (the
/// same result as writing them after each pair, unless a bucket occurs twice in the word).
#[inline(always)]
fn skipgram_subwords<R: Rows>(
    k: R,
    job: &Job<'_>,
    sen: &[u32],
    pos: usize,
    d: &Draw,
    alpha: f32,
    b: &mut Bufs,
) {
    let Some(subs) = job.subs else { return };
    let rows = subs.of(sen[pos]);
    mean_of(k, job.input, rows, b);
    let mut acc = std::mem::take(&mut b.ins);
    acc.clear();
    acc.resize(b.h.len(), 0.0);
    let mut noise = d.noise.chunks_exact(job.negative.max(1));
    for c in d.ctx.clone() {
        if c == pos {
            continue;
        }
        let ns = noise.next().unwrap_or(&[]);
        predict(k, job, sen[c], ns, alpha, b);
        axpy(&mut b.h, 1.0, &b.grad);
        axpy(&mut acc, 1.0, &b.grad);
    }
    for &r in rows {
        k.add(job.input, r as usize, &acc);
    }
    b.ins = acc;
}

/// `b.h` = the mean of the input rows `rows`.
#[inline(always)]
fn mean_of<R: Rows>(k: R, input: &SharedMatrix, rows: &[u32], b: &mut Bufs) {
    b.h.fill(0.0);
    for &r in rows {
        k.load(input, r as usize, &mut b.tmp);
        axpy(&mut b.h, 1.0, &b.tmp);
    }
    let inv = 1.0 / rows.len().max(1) as f32;
    b.h.iter_mut().for_each(|x| *x *= inv);
}

/// CBOW: the mean of the context words' input rows (all their subword rows, with subwords,
/// as gensim `FastText`) predicts the centre word; every row gets the whole gradient.
#[inline(always)]
fn cbow<R: Rows>(k: R, job: &Job<'_>, sen: &[u32], pos: usize, d: &Draw, alpha: f32, b: &mut Bufs) {
    let word = sen[pos];
    b.h.fill(0.0);
    let mut count = 0usize;
    for c in d.ctx.clone() {
        if c == pos {
            continue;
        }
        for_rows(job, sen[c], |r| {
            k.load(job.input, r as usize, &mut b.tmp);
            axpy(&mut b.h, 1.0, &b.tmp);
            count += 1;
        });
    }
    if count == 0 {
        return;
    }
    let inv = 1.0 / count as f32;
    b.h.iter_mut().for_each(|x| *x *= inv);
    predict(k, job, word, &d.noise, alpha, b);
    for c in d.ctx.clone() {
        if c != pos {
            for_rows(job, sen[c], |r| k.add(job.input, r as usize, &b.grad));
        }
    }
}

/// Calls `f` with each input row of word `w`: its subword rows, or its own row alone.
#[inline(always)]
fn for_rows(job: &Job<'_>, w: u32, mut f: impl FnMut(u32)) {
    match job.subs {
        Some(s) => s.of(w).iter().for_each(|&r| f(r)),
        None => f(w),
    }
}

mod shared;
use shared::skipgram_shared;

#[cfg(test)]
mod tests;
