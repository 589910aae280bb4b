//! Queries over a space: neighbours, analogies, vector expressions and spelling suggestions.
//!
//! All rankings are exact: every row (or the first `limit` rows) is scored against the query,
//! or, in large spaces, provably ruled out by an int8 pre-filter first (see [`top_k`]).
//! Word vectors enter every query as unit vectors, as in gensim's `KeyedVectors`.
mod analogy;
mod batch;
mod expr;
pub mod hints;
mod knn;
pub mod line;
pub mod phrase;
pub(crate) mod quant;
mod quant_pq;
pub mod search;
pub mod sif;
mod spelling;
mod stopwords;
mod suggest;
pub(crate) mod topk;

pub use analogy::{analogy, similar, similar_rows};
pub use batch::top_k_batch;
pub use expr::{expression, expression_with, parse as parse_expression};
pub use hints::{rare_words, sign_hint, RareWord};
pub use knn::{
    begin_prepare, dot, dot_fast, kept_file, needs_prepare, prefilter_survivors, prepare_exact,
    top_k, top_k_exact, Hit, Kept, Prepared, PREPARE_MIN_ROWS,
};
pub use phrase::{phrase, similarity_matrix, Phrase};
pub use sif::{weighted_phrases, Weighting};
pub use suggest::{suggest, suggest_among};
pub mod compare;
pub use compare::{doesnt_match, rank, similarity};

use crate::error::{Error, Result};
use crate::space::{Lookup, Space};
use serde::Serialize;
use std::fmt;
use std::str::FromStr;

/// How an analogy `a : b :: c : ?` is scored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Method {
    /// 3CosAdd: cosine with `b − a + c` (gensim `most_similar`).
    #[default]
    Add,
    /// 3CosMul (Levy & Goldberg 2014; gensim `most_similar_cosmul`).
    Mul,
}

impl Method {
    /// The name used on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Method::Add => "add",
            Method::Mul => "mul",
        }
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Method {
    type Err = Error;

    /// `add` / `mul` (also `3cosadd` / `3cosmul`, any case).
    fn from_str(s: &str) -> Result<Self> {
        match s.to_ascii_lowercase().as_str() {
            "add" | "3cosadd" | "cosadd" => Ok(Method::Add),
            "mul" | "3cosmul" | "cosmul" => Ok(Method::Mul),
            _ => Err(Error::Invalid(format!(
                "unknown analogy method {s:?} (expected \"add\" or \"mul\")"
            ))),
        }
    }
}

/// One word of a query and the weight it entered the query with.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Term {
    /// The word as written in the query.
    pub word: String,
    /// Its row, when it is in the vocabulary (`None` for subword-built words and phrases).
    pub index: Option<u32>,
    /// True when its vector was built from subwords.
    pub subword: bool,
    /// Its coefficient in the combination (before the final normalisation).
    pub weight: f32,
}

/// The result of a query: what was asked, the ranked rows, and the rows left out.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Answer {
    /// The query's words with their weights.
    pub terms: Vec<Term>,
    /// The nearest rows, best first.
    pub hits: Vec<Hit>,
    /// Rows excluded from `hits` because they are query words (sorted, no duplicates).
    pub excluded: Vec<u32>,
}

/// Looks `word` up, failing with [`Error::UnknownWord`] and suggestions when the space has no
/// vector for it.
pub(crate) fn resolve(space: &Space, word: &str) -> Result<Lookup> {
    space.lookup(word).ok_or_else(|| Error::UnknownWord {
        word: word.to_string(),
        suggestions: suggest(space, word, 3),
        hint: sign_hint(space, word),
    })
}

/// A term for `word` found as `lookup`.
pub(crate) fn term_of(word: &str, lookup: &Lookup, weight: f32) -> Term {
    match lookup {
        Lookup::Known(i) => Term {
            word: word.to_string(),
            index: Some(*i),
            subword: false,
            weight,
        },
        Lookup::Subword(_) => Term {
            word: word.to_string(),
            index: None,
            subword: true,
            weight,
        },
    }
}

/// Σ weight · vector, scaled to unit length. Fails with [`Error::Invalid`] when the sum is the
/// zero vector or not finite.
pub(crate) fn unit_combination<'a>(
    dim: usize,
    parts: impl IntoIterator<Item = (&'a [f32], f32)>,
) -> Result<Vec<f32>> {
    let mut sum = vec![0.0f64; dim];
    for (v, w) in parts {
        for (s, x) in sum.iter_mut().zip(v) {
            *s += f64::from(w) * f64::from(*x);
        }
    }
    let norm = sum.iter().map(|x| x * x).sum::<f64>().sqrt();
    if norm == 0.0 || !norm.is_finite() {
        return Err(Error::Invalid(
            "the query's vectors add up to the zero vector (or are not finite)".into(),
        ));
    }
    Ok(sum.iter().map(|x| (x / norm) as f32).collect())
}

/// Sorts and deduplicates rows.
pub(crate) fn sorted_rows(mut rows: Vec<u32>) -> Vec<u32> {
    rows.sort_unstable();
    rows.dedup();
    rows
}

#[cfg(test)]
pub(crate) mod test_util {
    use crate::format::Format;
    use crate::space::{Matrix, SourceInfo, Space, SpaceParts, Storage, SubwordProvider, Vocab};
    use std::sync::Arc;

    /// A tiny deterministic random generator (xorshift64*).
    pub struct XorShift(u64);

    impl XorShift {
        pub fn new(seed: u64) -> Self {
            XorShift(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
        }
        pub fn next_u64(&mut self) -> u64 {
            self.0 ^= self.0 >> 12;
            self.0 ^= self.0 << 25;
            self.0 ^= self.0 >> 27;
            self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
        }
        /// Uniform in [-1, 1).
        pub fn f32(&mut self) -> f32 {
            (self.next_u64() >> 40) as f32 / (1u64 << 23) as f32 - 1.0
        }
        pub fn below(&mut self, n: usize) -> usize {
            (self.next_u64() % n as u64) as usize
        }
    }

    pub fn source() -> SourceInfo {
        SourceInfo {
            path: "test".into(),
            format: Format::Glove,
            storage: Storage::Array,
            metadata: None,
            file_bytes: 0,
        }
    }

    /// A space from raw (not normalised) vectors.
    pub fn space(rows: &[(&str, &[f32])]) -> Space {
        let dim = rows.first().map_or(0, |r| r.1.len());
        let mut vocab = Vocab::new();
        let mut data = Vec::new();
        for (w, v) in rows {
            vocab.push(w).unwrap();
            data.extend_from_slice(v);
        }
        Space::from_raw(vocab, dim, data, source())
    }

    /// A space whose matrix is taken as is (e.g. with NaN in it).
    pub fn space_with_matrix(words: &[&str], dim: usize, data: Vec<f32>) -> Space {
        let mut vocab = Vocab::new();
        for w in words {
            vocab.push(w).unwrap();
        }
        Space::new(SpaceParts {
            norms: vec![1.0; words.len()],
            matrix: Matrix::from_vec(words.len(), dim, data),
            vocab,
            counts: None,
            subwords: None,
            source: source(),
        })
    }

    /// Builds vectors for `x<word>` from `<word>` (scaled by 2), for any known `<word>`.
    struct Prefixed(Space);

    impl SubwordProvider for Prefixed {
        fn embed(&self, word: &str) -> Option<Vec<f32>> {
            let i = self.0.index(word.strip_prefix('x')?)?;
            Some(self.0.unit(i as usize).iter().map(|v| v * 2.0).collect())
        }
        fn describe(&self) -> String {
            "prefixed".into()
        }
        fn as_any(&self) -> &dyn std::any::Any {
            self
        }
    }

    /// `space` with a subword provider that knows `x<word>` for every word.
    pub fn with_subwords(space: &Space) -> Space {
        Space::new(SpaceParts {
            vocab: space.vocab().clone(),
            matrix: space.matrix().clone(),
            norms: space.norms().to_vec(),
            counts: None,
            subwords: Some(Arc::new(Prefixed(space.clone()))),
            source: source(),
        })
    }

    /// `n` raw rows of `dim`: a random mix of `rank` directions plus noise of relative size
    /// `noise` (the shape of real embeddings: most of the energy on a few directions).
    pub fn low_rank(n: usize, dim: usize, rank: usize, noise: f32, seed: u64) -> Vec<f32> {
        let mut r = XorShift::new(seed);
        let dirs: Vec<f32> = (0..rank * dim).map(|_| r.f32()).collect();
        let mut data = Vec::with_capacity(n * dim);
        for _ in 0..n {
            let w: Vec<f32> = (0..rank).map(|_| r.f32()).collect();
            for j in 0..dim {
                let signal: f32 = (0..rank).map(|i| w[i] * dirs[i * dim + j]).sum();
                data.push(signal + noise * r.f32());
            }
        }
        data
    }

    /// A space of the raw rows `data` of `dim`, named `w0`, `w1`, ….
    pub fn space_of(dim: usize, data: Vec<f32>) -> Space {
        let mut vocab = Vocab::new();
        for i in 0..data.len() / dim {
            vocab.push(&format!("w{i}")).expect("distinct words");
        }
        Space::from_raw(vocab, dim, data, source())
    }

    /// `rows` random vectors named `w0`, `w1`, ….
    pub fn random_space(rows: usize, dim: usize, seed: u64) -> Space {
        let mut r = XorShift::new(seed);
        let mut vocab = Vocab::with_capacity(rows, rows * 7);
        for i in 0..rows {
            vocab.push(&format!("w{i}")).unwrap();
        }
        let data = (0..rows * dim).map(|_| r.f32()).collect();
        Space::from_raw(vocab, dim, data, source())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn method_names() {
        assert_eq!("add".parse::<Method>().unwrap(), Method::Add);
        assert_eq!("MUL".parse::<Method>().unwrap(), Method::Mul);
        assert_eq!("3CosMul".parse::<Method>().unwrap(), Method::Mul);
        assert!("sub".parse::<Method>().is_err());
        assert_eq!(Method::Mul.to_string(), "mul");
        assert_eq!(serde_json::to_string(&Method::Add).unwrap(), "\"add\"");
    }

    #[test]
    fn combination_is_unit_or_invalid() {
        let v = unit_combination(2, [(&[3.0f32, 0.0][..], 1.0), (&[0.0, 2.0][..], 2.0)]).unwrap();
        assert!((v[0] - 0.6).abs() < 1e-6 && (v[1] - 0.8).abs() < 1e-6);
        let a = [1.0f32, 0.0];
        assert!(matches!(
            unit_combination(2, [(&a[..], 1.0), (&a[..], -1.0)]),
            Err(Error::Invalid(_))
        ));
        assert!(unit_combination(2, [(&a[..], f32::NAN)]).is_err());
    }
}
