//! A back-off model read from an ARPA file (KenLM's `lmplz`, SRILM, `embx ngram -o`), to ask
//! it what `embx ngram` asks a model it estimates: next words, sampled sentences, held-out
//! perplexity.
//!
//! An ARPA file lists, for each order, n-grams with `log10 P(w | h)` and, below the highest
//! order, a back-off weight `log10 γ`. An n-gram not listed is `γ(h) · P(w | h′)`, where `h′`
//! drops the oldest word of `h` and `γ(h)` is 1 when `h` itself is not listed. So the whole
//! next-word distribution after `h` is the unigram one, raised order by order: each context
//! adds its weight to every word, and its listed continuations replace theirs.
use super::bisect;
use rayon::prelude::*;
use std::collections::HashMap;

mod read;
pub use read::{is_arpa, open, starts_like_arpa};

/// The names ARPA gives the start and end of a sentence and the unknown word.
const BOS: &str = "<s>";
const EOS: &str = "</s>";
const UNK: &str = "<unk>";

/// A back-off model over the words of its 1-grams, in file order.
#[derive(Debug)]
pub struct BackoffModel {
    words: Vec<String>,
    index: HashMap<String, u32>,
    /// `log10 P` and `log10 γ` of each word.
    unigrams: Vec<(f32, f32)>,
    /// Orders 2 to N.
    levels: Vec<Level>,
    bos: u32,
    eos: u32,
    unk: Option<u32>,
}

/// The n-grams of one order, sorted by their words.
#[derive(Debug)]
struct Level {
    n: usize,
    /// `n` ids per n-gram.
    keys: Vec<u32>,
    /// `log10 P` and `log10 γ` (0 when the file gives none).
    values: Vec<(f32, f32)>,
}

impl Level {
    fn len(&self) -> usize {
        self.values.len()
    }

    fn key(&self, i: usize) -> &[u32] {
        &self.keys[i * self.n..(i + 1) * self.n]
    }

    /// The n-grams that start with `prefix` (fewer than `n` ids): a range of indices.
    fn starting(&self, prefix: &[u32]) -> std::ops::Range<usize> {
        let p = prefix.len();
        let first = bisect(self.len(), |i| &self.key(i)[..p] < prefix);
        let end = first + bisect(self.len() - first, |i| &self.key(first + i)[..p] == prefix);
        first..end
    }

    fn find(&self, key: &[u32]) -> Option<usize> {
        let i = bisect(self.len(), |i| self.key(i) < key);
        (i < self.len() && self.key(i) == key).then_some(i)
    }
}

impl BackoffModel {
    /// N, the longest n-gram.
    pub fn order(&self) -> usize {
        self.levels.len() + 1
    }

    /// The number of n-grams of each order, from 1.
    pub fn sizes(&self) -> Vec<usize> {
        let mut s = vec![self.words.len()];
        s.extend(self.levels.iter().map(Level::len));
        s
    }

    /// The words of the 1-grams, `<s>`, `</s>` and `<unk>` among them.
    pub fn words(&self) -> &[String] {
        &self.words
    }

    /// The id of `word` (`<s>` and `<unk>` are not words of a text).
    pub fn id(&self, word: &str) -> Option<u32> {
        let id = self.index.get(word).copied()?;
        (id != self.bos && Some(id) != self.unk && id != self.eos).then_some(id)
    }

    /// How many words it predicts besides `</s>` (all its 1-grams but `<s>`, `</s>` and
    /// `<unk>`).
    pub fn vocabulary(&self) -> usize {
        self.words.len() - 2 - usize::from(self.unk.is_some())
    }

    /// The id of `</s>`.
    pub fn end(&self) -> u32 {
        self.eos
    }

    /// The id of `<s>`.
    pub fn start(&self) -> u32 {
        self.bos
    }

    /// Whether `id` in a context stands for a word the model lacks (`<unk>`).
    pub fn is_unknown(&self, id: u32) -> bool {
        Some(id) == self.unk || id == u32::MAX
    }

    /// `ln P(w)` of every word by its 1-gram (the unigram baseline).
    pub fn unigram(&self) -> Vec<f64> {
        self.unigrams
            .iter()
            .map(|&(p, _)| f64::from(p) * std::f64::consts::LN_10)
            .collect()
    }

    /// The context of a prediction after `previous` (`None` for a word the model lacks, read
    /// as `<unk>`): `<s>` and the words, the last N − 1 of them.
    pub fn context(&self, previous: &[Option<u32>]) -> Vec<u32> {
        let unk = self.unk.unwrap_or(u32::MAX);
        let mut ctx: Vec<u32> = std::iter::once(self.bos)
            .chain(previous.iter().map(|w| w.unwrap_or(unk)))
            .collect();
        let keep = ctx.len().saturating_sub(self.order() - 1);
        ctx.drain(..keep);
        ctx
    }

    /// `log10 P(w | context)` of every word as the ARPA rule gives it.
    pub fn log10_distribution(&self, context: &[u32]) -> Vec<f64> {
        let mut d: Vec<f64> = self.unigrams.iter().map(|&(p, _)| f64::from(p)).collect();
        for n in 2..=context.len() + 1 {
            let h = &context[context.len() + 1 - n..];
            let backoff = match h {
                [w] => self.unigrams.get(*w as usize).map_or(0.0, |u| u.1),
                _ => {
                    let level = &self.levels[h.len() - 2];
                    level.find(h).map_or(0.0, |i| level.values[i].1)
                }
            };
            d.iter_mut().for_each(|x| *x += f64::from(backoff));
            let level = &self.levels[n - 2];
            for i in level.starting(h) {
                d[level.key(i)[n - 1] as usize] = f64::from(level.values[i].0);
            }
        }
        d
    }
}

/// The level with its n-grams in order of their words.
fn sorted(level: Level) -> Level {
    let mut order: Vec<usize> = (0..level.len()).collect();
    order.par_sort_unstable_by(|&a, &b| level.key(a).cmp(level.key(b)));
    let mut keys = Vec::with_capacity(level.keys.len());
    for &i in &order {
        keys.extend_from_slice(level.key(i));
    }
    let values = order.iter().map(|&i| level.values[i]).collect();
    Level {
        n: level.n,
        keys,
        values,
    }
}

impl crate::train::lm::NextWordModel for BackoffModel {
    /// `ln P` of every word; `<s>` and `<unk>` are never a prediction (−∞).
    fn log_probabilities(&self, previous: &[Option<u32>]) -> Vec<f64> {
        let mut d = self.log10_distribution(&self.context(previous));
        d.iter_mut().for_each(|x| *x *= std::f64::consts::LN_10);
        d[self.bos as usize] = f64::NEG_INFINITY;
        if let Some(u) = self.unk {
            d[u as usize] = f64::NEG_INFINITY;
        }
        d
    }

    fn sentence_end(&self) -> Option<u32> {
        Some(self.eos)
    }
}

#[cfg(test)]
mod tests;
