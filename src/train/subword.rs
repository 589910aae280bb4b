//! fastText's subwords: the character n-grams of `<word>` and the buckets they hash into.
//!
//! The rule is fastText's `Dictionary::computeSubwords`: the word is wrapped in `<` and `>`,
//! every run of `minn..=maxn` characters (UTF-8 continuation bytes never start one) is an
//! n-gram, the whole `<word>` included when it is short enough, and a lone `<` or `>` never;
//! an n-gram goes to bucket `hash mod buckets`, where the hash is 32-bit FNV-1a over its bytes
//! with fastText's sign extension (each byte is read as a signed `char`, so bytes ≥ 0x80 are
//! xor-ed in as `0xFFFFFFxx`). Duplicates are kept, as fastText keeps them. The input rows of
//! vocabulary word `w` are `w` itself followed by `vocab + bucket` for each of its n-grams.
use super::config::Subwords;
use super::shared::SharedMatrix;
use crate::error::{Error, Result};
use crate::io::FinalfusionSubwords;
use crate::space::{SubwordProvider, Vocab};
use finalfusion::prelude::{Embeddings, StorageWrap, VocabWrap};
use std::sync::Arc;

/// fastText's hash of `s`: FNV-1a with each byte sign-extended to 32 bits.
pub fn fasttext_hash(s: &[u8]) -> u32 {
    let mut h: u32 = 2_166_136_261;
    for &b in s {
        h ^= i32::from(b as i8) as u32;
        h = h.wrapping_mul(16_777_619);
    }
    h
}

/// The buckets of the n-grams of `<word>`, in fastText's order (by start, then length).
pub fn ngram_buckets(word: &str, s: &Subwords) -> Vec<u32> {
    let mut out = Vec::new();
    ngrams(word, s.minn, s.maxn, |g| {
        out.push(fasttext_hash(g) % s.buckets as u32);
    });
    out
}

/// Calls `f` with every n-gram of `<word>` (as bytes), in fastText's order.
pub fn ngrams(word: &str, minn: usize, maxn: usize, mut f: impl FnMut(&[u8])) {
    let mut w = Vec::with_capacity(word.len() + 2);
    w.push(b'<');
    w.extend_from_slice(word.as_bytes());
    w.push(b'>');
    let cont = |b: u8| b & 0xC0 == 0x80;
    for i in 0..w.len() {
        if cont(w[i]) {
            continue;
        }
        let (mut j, mut n) = (i, 1);
        while j < w.len() && n <= maxn {
            j += 1;
            while j < w.len() && cont(w[j]) {
                j += 1;
            }
            if n >= minn && !(n == 1 && (i == 0 || j == w.len())) {
                f(&w[i..j]);
            }
            n += 1;
        }
    }
}

/// The n-grams of `<word>` as text, in fastText's order, each with its bucket (what builds the
/// vector of a word outside the vocabulary: the mean of these buckets' rows).
pub fn ngram_list(word: &str, s: &Subwords) -> Vec<(String, u32)> {
    let mut out = Vec::new();
    ngrams(word, s.minn, s.maxn, |g| {
        let text = String::from_utf8_lossy(g).into_owned();
        out.push((text, fasttext_hash(g) % s.buckets as u32));
    });
    out
}

/// The input rows of every vocabulary word: its own row, then its n-grams' bucket rows.
#[derive(Debug, Clone)]
pub struct SubwordRows {
    rows: Vec<u32>,
    starts: Vec<usize>,
}

impl SubwordRows {
    /// The rows of `words` (vocabulary order) under `s`; bucket `b` is row `words.len() + b`.
    pub fn new<'a>(words: impl ExactSizeIterator<Item = &'a str>, s: &Subwords) -> SubwordRows {
        let n = words.len() as u32;
        let (mut rows, mut starts) = (Vec::new(), vec![0]);
        for (i, w) in words.enumerate() {
            rows.push(i as u32);
            rows.extend(ngram_buckets(w, s).into_iter().map(|b| n + b));
            starts.push(rows.len());
        }
        SubwordRows { rows, starts }
    }

    /// The input rows of word `w` (never empty: the word's own row comes first).
    #[inline(always)]
    pub fn of(&self, w: u32) -> &[u32] {
        &self.rows[self.starts[w as usize]..self.starts[w as usize + 1]]
    }
}

/// The fastText subword settings of `space`, when its subword model is fastText's (as
/// `embx train --subwords` writes it, or a fastText `.bin`) and covers exactly its words.
pub fn of_space(space: &crate::space::Space) -> Option<Subwords> {
    use finalfusion::subword::BucketIndexer;
    let ff = space
        .subwords()?
        .as_any()
        .downcast_ref::<FinalfusionSubwords>()
        .filter(|ff| ff.matches(space))?;
    match ff.embeddings().vocab() {
        VocabWrap::FastTextSubwordVocab(v) => Some(Subwords {
            minn: v.min_n() as usize,
            maxn: v.max_n() as usize,
            buckets: v.indexer().buckets(),
        }),
        _ => None,
    }
}

/// The vectors of the first `n` words: each the mean of its input rows (fastText's word
/// vector, gensim's `wv[word]`), row-major.
pub fn word_vectors(input: &SharedMatrix, subs: &SubwordRows, n: usize) -> Vec<f32> {
    let dim = input.dim();
    let mut out = vec![0.0; n * dim];
    let mut row = vec![0.0; dim];
    for (w, v) in out.chunks_exact_mut(dim.max(1)).enumerate().take(n) {
        let rows = subs.of(w as u32);
        for &r in rows {
            input.load(r as usize, &mut row);
            v.iter_mut().zip(&row).for_each(|(v, x)| *v += x);
        }
        let inv = 1.0 / rows.len() as f32;
        v.iter_mut().for_each(|x| *x *= inv);
    }
    out
}

/// The subword model of a trained space, as finalfusion holds it: a fastText subword
/// vocabulary over `words`, the normalised word vectors `unit` (with `norms`) followed by the
/// bucket rows of `input`, and the metadata with the words' `counts` (where embx keeps them in
/// a .fifu). Saved as .fifu, it is finalfusion's own file.
#[allow(
    clippy::too_many_arguments,
    reason = "the parts of the trained model, each its own type"
)]
pub(crate) fn provider(
    words: &Vocab,
    counts: &[u64],
    unit: &[f32],
    norms: &[f32],
    input: &SharedMatrix,
    s: &Subwords,
    metadata: &str,
) -> Result<Arc<dyn SubwordProvider>> {
    use finalfusion::compat::fasttext::FastTextIndexer;
    use finalfusion::metadata::Metadata;
    use finalfusion::norms::NdNorms;
    use finalfusion::storage::NdArray;
    use finalfusion::subword::BucketIndexer;
    use finalfusion::vocab::FastTextSubwordVocab;
    let (n, dim) = (words.len(), input.dim());
    let mut data = Vec::with_capacity((n + s.buckets) * dim);
    data.extend_from_slice(unit);
    data.resize((n + s.buckets) * dim, 0.0);
    for (b, row) in data[n * dim..].chunks_exact_mut(dim.max(1)).enumerate() {
        input.load(n + b, row);
    }
    let matrix = ndarray::Array2::from_shape_vec((n + s.buckets, dim), data)
        .map_err(|e| Error::Invalid(format!("subword matrix: {e}")))?;
    let vocab = FastTextSubwordVocab::new(
        words.iter().map(str::to_string).collect::<Vec<_>>(),
        s.minn as u32,
        s.maxn as u32,
        FastTextIndexer::new(s.buckets),
    );
    let mut meta = metadata
        .parse::<toml::Table>()
        .map_err(|e| Error::Invalid(format!("metadata: {e}")))?;
    let counts = counts
        .iter()
        .map(|&c| toml::Value::Integer(i64::try_from(c).unwrap_or(i64::MAX)))
        .collect();
    meta.insert(
        crate::io::FIFU_COUNTS_KEY.into(),
        toml::Value::Array(counts),
    );
    let embeddings: Embeddings<VocabWrap, StorageWrap> = Embeddings::new(
        Some(Metadata::new(meta)),
        VocabWrap::from(vocab),
        StorageWrap::from(NdArray::new(matrix)),
        NdNorms::new(ndarray::Array1::from(norms.to_vec())),
    );
    let description = format!(
        "fastText n-grams {}–{}, {} buckets",
        s.minn, s.maxn, s.buckets
    );
    Ok(Arc::new(FinalfusionSubwords::new(embeddings, description)))
}

#[cfg(test)]
mod tests;
