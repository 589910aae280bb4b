//! Weighted sentence vectors: the plain mean of [`super::phrase`](mod@super::phrase), or SIF, the smooth inverse
//! frequency weighting of Arora, Liang and Ma, "A Simple but Tough-to-Beat Baseline for
//! Sentence Embeddings" (ICLR 2017).
//!
//! SIF weighs each word by `a / (a + p(w))`, where `p(w)` is the word's probability in the
//! corpus, so that frequent words such as "the" count for little; the sentence vector is the
//! weighted average of its word vectors; optionally the first principal component of the
//! sentence vectors (the direction they all share) is then removed from each of them, as in
//! the paper (first right singular vector of the uncentred matrix).
//!
//! `p(w)` comes from the file's counts when it has them (finalfusion files written by a
//! trainer, fastText `.bin`). Otherwise it is estimated from the word's frequency rank (vector
//! files list words by falling frequency) with Zipf's law: `p(r) = 1 / (r · H_N)` for the
//! word at rank `r` of `N`, `H_N` the N-th harmonic number. Words built from subwords have
//! no rank and get `p = 0` (weight 1).
//!
//! As in the mean, word vectors enter as unit vectors, so the two weightings differ only in
//! the weights (the paper averages the raw vectors).
//!
//! With the stopword option, the English function words of `is_stopword` get weight 0 in
//! either weighting.
use super::phrase::{phrase, Found, Phrase};
use super::stopwords::is_stopword;
use crate::error::{Error, Result};
use crate::space::{Lookup, Space};
use serde::Serialize;
use std::fmt;
use std::str::FromStr;

/// The paper's default for `a` (it reports good results for 1e-4 to 1e-3).
pub const DEFAULT_A: f64 = 1e-3;

/// How the words of a sentence are combined.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Weighting {
    /// Every word counts the same.
    #[default]
    Mean,
    /// Smooth inverse frequency: `a / (a + p(w))`.
    Sif,
}

impl Weighting {
    /// The name used on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Weighting::Mean => "mean",
            Weighting::Sif => "sif",
        }
    }
}

impl fmt::Display for Weighting {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Weighting {
    type Err = Error;

    /// `mean` or `sif` (any case).
    fn from_str(s: &str) -> Result<Self> {
        match s.to_ascii_lowercase().as_str() {
            "mean" => Ok(Weighting::Mean),
            "sif" => Ok(Weighting::Sif),
            _ => Err(Error::Invalid(format!(
                "unknown weighting {s:?} (expected mean or sif)"
            ))),
        }
    }
}

/// Where SIF's word probabilities come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Probability {
    /// The file's word counts.
    Counts,
    /// Zipf's law from the frequency rank.
    Zipf,
}

/// How to build the sentence vectors.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Options {
    /// How words are weighted: the plain mean or SIF.
    pub weighting: Weighting,
    /// SIF's smoothing parameter `a`.
    pub a: f64,
    /// Remove the first principal component of the sentence vectors (SIF's second step;
    /// it needs several sentences to mean anything).
    pub remove_pc: bool,
    /// Give English stopwords weight 0.
    pub drop_stopwords: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            weighting: Weighting::Mean,
            a: DEFAULT_A,
            remove_pc: false,
            drop_stopwords: false,
        }
    }
}

/// Sentences with their weighted vectors.
#[derive(Debug, Clone, PartialEq)]
pub struct Weighted {
    /// The sentences; each `vector` is the unit weighted vector (after the principal
    /// component was removed, when it was).
    pub phrases: Vec<Phrase>,
    /// The weight of every token of every sentence (0 for words without a vector and for
    /// dropped stopwords).
    pub weights: Vec<Vec<f32>>,
    /// Where `p(w)` came from (None for the mean).
    pub probability: Option<Probability>,
    /// True when the first principal component was removed.
    pub pc_removed: bool,
    /// The options the vectors were built with.
    pub options: Options,
}

/// Word probabilities of a space.
struct Frequencies<'a> {
    counts: Option<(&'a [u64], f64)>,
    /// `H_N` for Zipf's law.
    harmonic: f64,
}

impl<'a> Frequencies<'a> {
    fn of(space: &'a Space) -> Self {
        let counts = space.counts().and_then(|c| {
            let total = c.iter().map(|&x| x as f64).sum::<f64>();
            (c.len() == space.len() && total > 0.0).then_some((c, total))
        });
        Frequencies {
            counts,
            harmonic: harmonic(space.len()),
        }
    }

    fn source(&self) -> Probability {
        if self.counts.is_some() {
            Probability::Counts
        } else {
            Probability::Zipf
        }
    }

    /// `p(w)` of the word in row `row`.
    fn p(&self, row: usize) -> f64 {
        match self.counts {
            Some((c, total)) => c.get(row).map_or(0.0, |&x| x as f64 / total),
            None => 1.0 / ((row + 1) as f64 * self.harmonic),
        }
    }
}

/// The n-th harmonic number `1 + 1/2 + … + 1/n` (exact up to 10^6 terms, then the asymptotic
/// expansion, whose error there is below 1e-25).
pub fn harmonic(n: usize) -> f64 {
    if n <= 1_000_000 {
        return (1..=n).rev().map(|k| 1.0 / k as f64).sum();
    }
    let x = n as f64;
    x.ln() + 0.577_215_664_901_532_9 + 1.0 / (2.0 * x) - 1.0 / (12.0 * x * x)
}

/// The sentence vectors of `texts` in `space`, weighted as `options` says.
pub fn weighted_phrases<S: AsRef<str>>(space: &Space, texts: &[S], options: &Options) -> Weighted {
    let freq = Frequencies::of(space);
    let mut phrases = Vec::with_capacity(texts.len());
    let mut weights = Vec::with_capacity(texts.len());
    let mut sums: Vec<Option<Vec<f64>>> = Vec::with_capacity(texts.len());
    for text in texts {
        let mut p = phrase(space, text.as_ref());
        let w = token_weights(&p, &freq, options);
        sums.push(weighted_average(space, &p, &w));
        p.vector = None;
        phrases.push(p);
        weights.push(w);
    }
    let pc_removed = options.remove_pc && remove_first_pc(&mut sums);
    for (p, sum) in phrases.iter_mut().zip(sums) {
        p.vector = sum.and_then(|s| unit(&s));
    }
    Weighted {
        phrases,
        weights,
        probability: (options.weighting == Weighting::Sif).then(|| freq.source()),
        pc_removed,
        options: *options,
    }
}

fn token_weights(p: &Phrase, freq: &Frequencies<'_>, options: &Options) -> Vec<f32> {
    p.tokens
        .iter()
        .map(|t| {
            if options.drop_stopwords && is_stopword(&t.text) {
                return 0.0;
            }
            let prob = match &t.found {
                Found::Unknown => return 0.0,
                Found::Known { row, .. } => freq.p(*row as usize),
                Found::Subword => 0.0,
            };
            match options.weighting {
                Weighting::Mean => 1.0,
                Weighting::Sif => (options.a / (options.a + prob)) as f32,
            }
        })
        .collect()
}

/// `Σ weight · unit vector / (number of words weighed)`, or None when no word counts.
fn weighted_average(space: &Space, p: &Phrase, weights: &[f32]) -> Option<Vec<f64>> {
    let mut sum = vec![0.0f64; space.dim()];
    let mut n = 0usize;
    for (t, &w) in p.tokens.iter().zip(weights) {
        if w <= 0.0 {
            continue;
        }
        let lookup = match &t.found {
            Found::Known { row, .. } => Lookup::Known(*row),
            Found::Subword => match space.lookup(&t.text) {
                Some(l) => l,
                None => continue,
            },
            Found::Unknown => continue,
        };
        for (s, x) in sum.iter_mut().zip(space.lookup_unit(&lookup)) {
            *s += f64::from(w) * f64::from(*x);
        }
        n += 1;
    }
    (n > 0).then(|| sum.iter().map(|x| x / n as f64).collect())
}

fn unit(v: &[f64]) -> Option<Vec<f32>> {
    let norm = v.iter().map(|x| x * x).sum::<f64>().sqrt();
    // Below this, what is left is rounding noise (e.g. one sentence minus its own direction).
    (norm > 1e-9 && norm.is_finite()).then(|| v.iter().map(|x| (x / norm) as f32).collect())
}

/// Removes from every vector its projection on the first right singular vector of the
/// matrix whose rows are the vectors (uncentred, as in the paper). False when there are no
/// vectors to take it from.
fn remove_first_pc(rows: &mut [Option<Vec<f64>>]) -> bool {
    let present: Vec<&Vec<f64>> = rows.iter().flatten().collect();
    let Some(u) = first_singular_vector(&present) else {
        return false;
    };
    for row in rows.iter_mut().flatten() {
        let proj: f64 = row.iter().zip(&u).map(|(a, b)| a * b).sum();
        for (x, ui) in row.iter_mut().zip(&u) {
            *x -= proj * ui;
        }
    }
    true
}

/// The first right singular vector (unit length) of the matrix with rows `x`: the top
/// eigenvector of the small Gram matrix `X Xᵀ` by power iteration, mapped through `Xᵀ`.
pub fn first_singular_vector(x: &[&Vec<f64>]) -> Option<Vec<f64>> {
    let n = x.len();
    let dim = x.first()?.len();
    let dot = |a: &[f64], b: &[f64]| a.iter().zip(b).map(|(p, q)| p * q).sum::<f64>();
    let gram: Vec<Vec<f64>> = (0..n)
        .map(|i| (0..n).map(|j| dot(x[i], x[j])).collect())
        .collect();
    // A start that no eigenvector of a non-zero Gram matrix is orthogonal to in practice.
    let mut e: Vec<f64> = (0..n).map(|i| 1.0 + i as f64 / (n as f64 * 7.0)).collect();
    for _ in 0..10_000 {
        let next: Vec<f64> = gram.iter().map(|row| dot(row, &e)).collect();
        let norm = dot(&next, &next).sqrt();
        if norm <= 0.0 || !norm.is_finite() {
            return None;
        }
        let next: Vec<f64> = next.iter().map(|v| v / norm).collect();
        let change = next.iter().zip(&e).map(|(a, b)| (a - b).abs()).sum::<f64>();
        e = next;
        if change < 1e-13 {
            break;
        }
    }
    let mut u = vec![0.0f64; dim];
    for (row, &c) in x.iter().zip(&e) {
        for (ui, v) in u.iter_mut().zip(row.iter()) {
            *ui += c * v;
        }
    }
    let norm = dot(&u, &u).sqrt();
    (norm > 0.0 && norm.is_finite()).then(|| u.iter().map(|v| v / norm).collect())
}

#[cfg(test)]
mod tests;
