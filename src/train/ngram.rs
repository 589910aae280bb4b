//! An N-gram language model with interpolated modified Kneser-Ney smoothing (Chen and Goodman
//! 1998): the baseline a neural language model is measured against (Bengio et al. 2003
//! measured their NNLM against it).
//!
//! It is estimated as KenLM's `lmplz` estimates it, so the two give the same probabilities (a
//! test compares them with a model `lmplz` made):
//! - A sentence starts with `<s>` ([`BOS`]), which is never predicted. A word's n-gram reaches
//!   back N − 1 words, or back to `<s>` near the start of a sentence.
//! - The highest order counts occurrences. Each lower order counts, for each n-gram, the
//!   distinct words seen just before it (its continuation count). N-grams that start with
//!   `<s>` cannot be preceded and keep their occurrences.
//! - Each order has three discounts, D1, D2 and D3+, from its counts of counts:
//!   `Y = n1 / (n1 + 2 n2)` and `Dk = k − (k + 1) Y n(k+1) / nk`. When one of them is out of
//!   `0..=k`, or a count of counts is 0, the order takes lmplz's fallback (0.5, 1, 1.5).
//! - `P(w | h) = (a(hw) − D(a(hw))) / S(h) + γ(h) P(w | h′)`, where `a` is the count above,
//!   `S(h)` the sum of the counts of the n-grams after `h`, `γ(h) = Σ D / S(h)` the mass the
//!   discounts set aside, and `h′` the context without its oldest word. A context never seen
//!   passes straight to `h′`. Below the unigrams is the uniform distribution over the words
//!   and any [`Options::unseen`] ids (lmplz's `<unk>`).
use crate::error::{Error, Result};
use crate::jobs::Progress;

pub mod arpa;
pub mod backoff;
pub mod text;

use rayon::prelude::*;
use std::ops::Range;

/// The id of `<s>`, the start of a sentence, in a context.
pub const BOS: u32 = u32::MAX;

/// lmplz's discounts for an order whose counts of counts give none.
const FALLBACK: [f64; 3] = [0.5, 1.0, 1.5];

/// What to estimate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    /// N, the longest n-gram (at least 1).
    pub order: usize,
    /// The words: ids `0..words` can be predicted.
    pub words: usize,
    /// Ids that never occur but share the uniform distribution at the bottom (lmplz's
    /// `<unk>`: 1). Their probability is not given.
    pub unseen: usize,
}

/// An estimated model.
#[derive(Debug, Clone)]
pub struct KneserNey {
    order: usize,
    /// `P(w)`: the unigrams interpolated with the uniform distribution.
    base: Vec<f64>,
    /// `levels[n − 1]` holds the n-grams.
    levels: Vec<Level>,
    uniform: f64,
    /// [`Options::unseen`].
    unseen: usize,
}

/// The n-grams of one order.
#[derive(Debug, Clone)]
struct Level {
    n: usize,
    /// The n-grams, `n` ids each, sorted.
    grams: Vec<u32>,
    /// The count of each (occurrences or continuations, as the module says).
    counts: Vec<u64>,
    /// D1, D2 and D3+.
    discounts: [f64; 3],
}

impl KneserNey {
    /// Estimates a model from sentences of word ids: `ids` holds them one after another and
    /// `ends[i]` is where sentence `i` ends. `progress` counts sentences and can cancel.
    pub fn estimate(
        ids: &[u32],
        ends: &[usize],
        opts: Options,
        progress: Option<&Progress>,
    ) -> Result<KneserNey> {
        if opts.order == 0 || opts.words == 0 {
            return Err(Error::Invalid(
                "an N-gram model needs an order of at least 1 and at least one word".into(),
            ));
        }
        if let Some(&bad) = ids.iter().find(|&&w| w as usize >= opts.words) {
            return Err(Error::Invalid(format!(
                "word id {bad} is outside the model's {} words",
                opts.words
            )));
        }
        let mut occurrences = occurrences(ids, ends, opts.order, progress)?;
        let mut levels: Vec<Level> = Vec::with_capacity(opts.order);
        for n in (1..=opts.order).rev() {
            let mut flat = std::mem::take(&mut occurrences[n - 1]);
            if let Some(upper) = levels.last() {
                // Each distinct (n + 1)-gram is one word seen before its last n.
                for i in 0..upper.len() {
                    flat.extend_from_slice(&upper.gram(i)[1..]);
                }
            }
            let (grams, counts) = collapse(&flat, n);
            let discounts = discounts(&counts);
            levels.push(Level {
                n,
                grams,
                counts,
                discounts,
            });
        }
        levels.reverse();
        let uniform = 1.0 / (opts.words + opts.unseen) as f64;
        let mut base = vec![uniform; opts.words];
        let unigrams = &levels[0];
        if unigrams.len() > 0 {
            unigrams.interpolate(0..unigrams.len(), &mut base);
        }
        Ok(KneserNey {
            order: opts.order,
            base,
            levels,
            uniform,
            unseen: opts.unseen,
        })
    }

    /// N.
    pub fn order(&self) -> usize {
        self.order
    }

    /// The number of distinct n-grams of each order, unigrams first.
    pub fn sizes(&self) -> Vec<usize> {
        self.levels.iter().map(Level::len).collect()
    }

    /// `P(w | context)` of every word. `context` holds the words before, oldest first, and may
    /// start with [`BOS`]; only its last N − 1 ids are read.
    pub fn distribution(&self, context: &[u32]) -> Vec<f64> {
        let context = &context[context.len().saturating_sub(self.order - 1)..];
        let mut p = self.base.clone();
        for n in 2..=context.len() + 1 {
            let level = &self.levels[n - 1];
            let after = level.after(&context[context.len() + 1 - n..]);
            if after.is_empty() {
                // A longer context that ends in this one was not seen either.
                break;
            }
            level.interpolate(after, &mut p);
        }
        p
    }

    /// `γ(h)`, the weight of the shorter context's probabilities after `context` (an ARPA
    /// file's back-off weight); `None` when no n-gram follows `context`.
    pub fn backoff(&self, context: &[u32]) -> Option<f64> {
        let level = self.levels.get(context.len())?;
        let after = level.after(context);
        (!after.is_empty()).then(|| level.gamma(after).0)
    }

    /// D1, D2 and D3+ of each order, unigrams first.
    pub fn discounts(&self) -> Vec<[f64; 3]> {
        self.levels.iter().map(|l| l.discounts).collect()
    }

    /// The probability the uniform distribution at the bottom gives one id.
    pub fn uniform(&self) -> f64 {
        self.uniform
    }

    /// The context of a prediction after `previous` (oldest first; `None` for words outside
    /// the vocabulary, left out): its last N − 1 known words, after [`BOS`] when the
    /// sentence has fewer.
    pub fn context(&self, previous: &[Option<u32>]) -> Vec<u32> {
        let want = self.order - 1;
        let mut known: Vec<u32> = previous
            .iter()
            .rev()
            .flatten()
            .take(want)
            .copied()
            .collect();
        if known.len() < want {
            known.push(BOS);
        }
        known.reverse();
        known
    }
}

impl super::lm::NextWordModel for KneserNey {
    fn log_probabilities(&self, previous: &[Option<u32>]) -> Vec<f64> {
        let mut p = self.distribution(&self.context(previous));
        p.iter_mut().for_each(|x| *x = x.ln());
        p
    }
}

impl Level {
    fn len(&self) -> usize {
        self.counts.len()
    }

    fn gram(&self, i: usize) -> &[u32] {
        &self.grams[i * self.n..(i + 1) * self.n]
    }

    fn discount(&self, count: u64) -> f64 {
        match count {
            0 => 0.0,
            1 => self.discounts[0],
            2 => self.discounts[1],
            _ => self.discounts[2],
        }
    }

    /// The n-grams whose first n − 1 ids are `h`.
    fn after(&self, h: &[u32]) -> Range<usize> {
        let prefix = |i: usize| &self.grams[i * self.n..i * self.n + h.len()];
        let first = bisect(self.len(), |i| prefix(i) < h);
        let end = bisect(self.len(), |i| prefix(i) <= h);
        first..end
    }

    /// `(γ, S)` of the context whose n-grams are `after`.
    fn gamma(&self, after: Range<usize>) -> (f64, f64) {
        let counts = &self.counts[after];
        let sum = counts.iter().sum::<u64>() as f64;
        let set_aside: f64 = counts.iter().map(|&c| self.discount(c)).sum();
        (set_aside / sum, sum)
    }

    /// `p ← γ p + (a − D) / S` over the n-grams `after` of one context (`p` held the shorter
    /// context's probabilities).
    fn interpolate(&self, after: Range<usize>, p: &mut [f64]) {
        let (gamma, sum) = self.gamma(after.clone());
        p.iter_mut().for_each(|x| *x *= gamma);
        for i in after {
            let c = self.counts[i];
            let w = self.gram(i)[self.n - 1] as usize;
            p[w] += (c as f64 - self.discount(c)) / sum;
        }
    }
}

/// The first `i` in `0..len` for which `before(i)` is false (`before` holds for a prefix).
pub(super) fn bisect(len: usize, before: impl Fn(usize) -> bool) -> usize {
    let (mut lo, mut hi) = (0, len);
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        if before(mid) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    lo
}

/// Every word's longest n-gram, by length: `result[n − 1]` holds n ids per occurrence. It is
/// N long, or shorter and starting with [`BOS`] near a sentence's start.
fn occurrences(
    ids: &[u32],
    ends: &[usize],
    order: usize,
    progress: Option<&Progress>,
) -> Result<Vec<Vec<u32>>> {
    if let Some(p) = progress {
        p.set_total(ends.len() as u64);
    }
    let mut out = vec![Vec::new(); order];
    let mut start = 0;
    for (s, &end) in ends.iter().enumerate() {
        let sentence = &ids[start..end.max(start)];
        for i in 0..sentence.len() {
            if i + 2 <= order {
                let to = &mut out[i + 1];
                to.push(BOS);
                to.extend_from_slice(&sentence[..=i]);
            } else {
                out[order - 1].extend_from_slice(&sentence[i + 1 - order..=i]);
            }
        }
        start = end;
        if let Some(p) = progress {
            if s % 1024 == 1023 || s + 1 == ends.len() {
                p.check()?;
                p.set_done(s as u64 + 1);
            }
        }
    }
    Ok(out)
}

/// The distinct n-grams of `flat` (n ids each), sorted, and how often each occurs.
fn collapse(flat: &[u32], n: usize) -> (Vec<u32>, Vec<u64>) {
    let gram = |i: u32| &flat[i as usize * n..(i as usize + 1) * n];
    let mut order: Vec<u32> = (0..(flat.len() / n) as u32).collect();
    order.par_sort_unstable_by(|&a, &b| gram(a).cmp(gram(b)));
    let mut grams: Vec<u32> = Vec::new();
    let mut counts: Vec<u64> = Vec::new();
    for i in order {
        let g = gram(i);
        match counts.last_mut() {
            Some(c) if &grams[grams.len() - n..] == g => *c += 1,
            _ => {
                grams.extend_from_slice(g);
                counts.push(1);
            }
        }
    }
    (grams, counts)
}

/// D1, D2 and D3+ of an order from its counts (Chen and Goodman's estimate, as lmplz makes it).
fn discounts(counts: &[u64]) -> [f64; 3] {
    let mut n = [0u64; 5];
    for &c in counts {
        if let Some(slot) = n.get_mut(c as usize) {
            *slot += 1;
        }
    }
    if n[1..4].contains(&0) {
        return FALLBACK;
    }
    let nk = |k: usize| n[k] as f64;
    let y = nk(1) / (nk(1) + 2.0 * nk(2));
    let mut d = [0.0; 3];
    for k in 1..=3 {
        d[k - 1] = k as f64 - (k + 1) as f64 * y * nk(k + 1) / nk(k);
        if !(0.0..=k as f64).contains(&d[k - 1]) {
            return FALLBACK;
        }
    }
    d
}

#[cfg(test)]
mod tests;
