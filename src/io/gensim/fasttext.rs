//! gensim's `FastTextKeyedVectors`: word rows (`vectors_vocab`) and n-gram buckets
//! (`vectors_ngrams`). gensim does not save the combined word vectors (`vectors`); it
//! recomputes them on load as the average of the word's row and its n-gram rows, and builds
//! vectors for unknown words from their n-grams. embx does the same, with finalfusion's
//! fastText subword vocabulary for the n-grams and their hash (fastText's, and gensim's).
use super::arrays::Arrays;
use crate::error::{Location, Result};
use crate::space::{SubwordProvider, Vocab};
use finalfusion::compat::fasttext::FastTextIndexer;
use finalfusion::subword::BucketIndexer;
use finalfusion::vocab::{FastTextSubwordVocab, SubwordIndices as _};
use std::any::Any;
use std::sync::Arc;

type Built = (Vocab, usize, Vec<f32>, Option<Arc<dyn SubwordProvider>>);

/// The word vectors (raw, row-major) and the subword model.
pub(super) fn vectors(arrays: &Arrays, words: &[String]) -> Result<Built> {
    let input = arrays.input;
    let err = |m: String| input.error(Location::File, m);
    let ((rows, dim), word_rows) = arrays.matrix("vectors_vocab", words.len())?;
    let vocab = super::vocab_of(input, words)?;
    let bucket = arrays.int("bucket")?;
    let (min_n, max_n) = (arrays.int("min_n")?, arrays.int("max_n")?);
    if bucket == 0 {
        return Ok((vocab, dim, word_rows, None));
    }
    if !(1..=i64::from(i32::MAX)).contains(&bucket) || !(1..=max_n).contains(&min_n) || max_n > 64 {
        return Err(err(format!(
            "invalid subword settings: n-grams {min_n}–{max_n}, {bucket} buckets"
        )));
    }
    let ((ngram_rows, ngram_dim), ngrams) = arrays.matrix_rows("vectors_ngrams", None)?;
    if ngram_rows as i64 != bucket || ngram_dim != dim {
        return Err(err(format!(
            "vectors_ngrams is {ngram_rows} × {ngram_dim} but the model needs {bucket} × {dim}"
        )));
    }
    let bucket = bucket as usize;
    let ff_vocab = FastTextSubwordVocab::new(
        words.to_vec(),
        min_n as u32,
        max_n as u32,
        FastTextIndexer::new(bucket),
    );
    let mut combined = word_rows;
    for (i, w) in words.iter().enumerate() {
        let Some(indices) = ff_vocab.subword_indices(w) else {
            continue;
        };
        let row = &mut combined[i * dim..(i + 1) * dim];
        for &j in &indices {
            let j = j - rows;
            for (v, x) in row.iter_mut().zip(&ngrams[j * dim..(j + 1) * dim]) {
                *v += x;
            }
        }
        let n = (indices.len() + 1) as f32;
        row.iter_mut().for_each(|v| *v /= n);
    }
    let provider: Arc<dyn SubwordProvider> = Arc::new(GensimSubwords {
        vocab: ff_vocab,
        ngrams,
        words: rows,
        dim,
        description: format!("fastText n-grams {min_n}–{max_n}, {bucket} buckets (gensim)"),
    });
    Ok((vocab, dim, combined, Some(provider)))
}

/// Vectors for unknown words: the average of their n-gram rows, as gensim's
/// `FastTextKeyedVectors.get_vector` computes them (not normalised).
struct GensimSubwords {
    vocab: FastTextSubwordVocab,
    /// The n-gram bucket rows, row-major.
    ngrams: Vec<f32>,
    /// Known words (n-gram indices start after them).
    words: usize,
    dim: usize,
    description: String,
}

impl SubwordProvider for GensimSubwords {
    fn embed(&self, word: &str) -> Option<Vec<f32>> {
        let indices = self.vocab.subword_indices(word)?;
        if indices.is_empty() {
            return None;
        }
        let dim = self.dim;
        let mut v = vec![0f32; dim];
        for &j in &indices {
            let j = j.checked_sub(self.words)?;
            let row = self.ngrams.get(j * dim..(j + 1) * dim)?;
            v.iter_mut().zip(row).for_each(|(a, b)| *a += b);
        }
        let n = indices.len() as f32;
        v.iter_mut().for_each(|a| *a /= n);
        Some(v)
    }

    fn describe(&self) -> String {
        self.description.clone()
    }

    fn as_any(&self) -> &dyn Any {
        self
    }

    fn bytes(&self) -> (usize, usize) {
        (self.ngrams.capacity() * 4, 0)
    }
}
