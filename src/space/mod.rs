//! The vector space: vocabulary, unit-length vectors, their original norms, and optionally a
//! subword model that builds vectors for words outside the vocabulary.
//!
//! A [`Space`] is immutable and cheap to clone (an `Arc`), so worker threads can hold
//! snapshots while the interface keeps its own.
mod copies;
mod decoded;
mod matrix;
mod pq;
pub(crate) mod quant;
pub(crate) mod store;
mod vocab;

pub(crate) use matrix::reduced;
pub use matrix::{ByteSource, Matrix, RELEASE_ALIGN};
pub use pq::{PqMatrix, PqParts};
mod rows;
use rows::norm_stats;
pub use rows::{l2_norm, l2_norm_le, normalize_row, normalize_rows, prefetch};
pub(crate) use vocab::repeated_rows;
pub use vocab::{Vocab, LAZY_MIN_WORDS};

use crate::format::Format;
use quant::Quantized;
use serde::Serialize;
use std::any::Any;
use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

/// Builds vectors for words that are not in the vocabulary, e.g. from character n-grams.
pub trait SubwordProvider: Send + Sync {
    /// The (not normalised) vector of `word`, or `None` when no subword of it is known.
    fn embed(&self, word: &str) -> Option<Vec<f32>>;
    /// A short description, e.g. "fastText n-grams 3–6, 2000000 buckets".
    fn describe(&self) -> String;
    /// For writers that can keep the subword model (finalfusion).
    fn as_any(&self) -> &dyn Any;
    /// The bytes of the n-gram rows: on the heap, and mapped from the file.
    fn bytes(&self) -> (usize, usize) {
        (0, 0)
    }
}

/// An approximate neighbour index attached to a space (built by `crate::index`): it proposes
/// candidate rows, which the neighbour queries then score exactly.
pub trait NeighbourIndex: Send + Sync {
    /// About `want` rows likely to have the largest dot products with the unit vector
    /// `query`, best first.
    fn candidates(&self, space: &Space, query: &[f32], want: usize) -> Vec<u32>;
    /// A short description for messages, e.g. "HNSW index (M 16, ef 128)".
    fn describe(&self) -> String;
}

/// How the vectors are held in memory.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Storage {
    /// Read into memory.
    Array,
    /// Memory-mapped from the file.
    Mmap,
    /// Product-quantized in the file: the codes are memory-mapped (or read) and searched as
    /// they are; rows are reconstructed only when needed.
    Quantized,
    /// Compiled into the embx binary (the demo).
    Embedded,
}

/// Where a space came from.
#[derive(Debug, Clone)]
pub struct SourceInfo {
    /// The file it was read from (or a name such as `demo`).
    pub path: PathBuf,
    /// The file format it was read in.
    pub format: Format,
    /// How the vectors are held in memory.
    pub storage: Storage,
    /// finalfusion metadata as TOML text, if any.
    pub metadata: Option<String>,
    /// Size of the file in bytes.
    pub file_bytes: u64,
}

/// Summary of the original vector norms.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct NormStats {
    /// Smallest row norm.
    pub min: f32,
    /// Largest row norm.
    pub max: f32,
    /// Mean row norm.
    pub mean: f32,
    /// Median row norm.
    pub median: f32,
    /// Rows whose vector is all zeros (or was replaced because it held NaN/Inf).
    pub zero: usize,
}

/// The vector of a word as a query sees it.
#[derive(Debug, Clone, PartialEq)]
pub enum Lookup {
    /// A word of the vocabulary, by row.
    Known(u32),
    /// A word outside the vocabulary whose unit vector was built from subwords.
    Subword(Vec<f32>),
}

struct Inner {
    vocab: Vocab,
    matrix: Matrix,
    norms: Arc<[f32]>,
    counts: Option<Vec<u64>>,
    subwords: Option<Arc<dyn SubwordProvider>>,
    source: SourceInfo,
    /// The int8 copy of the matrix used by the neighbour pre-filter, built on first use.
    quantized: OnceLock<Quantized>,
    /// The approximate neighbour index, when one was attached.
    index: OnceLock<Arc<dyn NeighbourIndex>>,
    /// The attached index is left aside: every word is scanned ([`Space::use_index`]).
    index_aside: std::sync::atomic::AtomicBool,
    /// Whole-vocabulary scans asked for so far (the int8 copy is built from the second on).
    scans: std::sync::atomic::AtomicU32,
    /// The reduced copy (principal directions, int8) of the exact pre-filter, tried on first
    /// use; `None` inside when the matrix does not suit it.
    reduced: OnceLock<Option<matrix::Reduced>>,
    /// A worker is building the pre-filter's copy ahead of the queries
    /// ([`crate::query::prepare_exact`]); queries meanwhile scan in f32 rather than build it too.
    preparing: std::sync::atomic::AtomicBool,
}

/// An immutable embedding space; clones share the data.
#[derive(Clone)]
pub struct Space(Arc<Inner>);

impl std::fmt::Debug for Space {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "Space({} × {}, {:?})",
            self.len(),
            self.dim(),
            self.0.source.format
        )
    }
}

/// Parts of a space that a reader assembles before calling [`Space::new`].
pub struct SpaceParts {
    /// The words, one per row.
    pub vocab: Vocab,
    /// Unit-length rows (zero rows stay zero).
    pub matrix: Matrix,
    /// Original L2 norm of every row.
    pub norms: Vec<f32>,
    /// Corpus count of every word, when the file carries them.
    pub counts: Option<Vec<u64>>,
    /// Builds vectors for words outside the vocabulary from subwords (fastText / finalfusion).
    pub subwords: Option<Arc<dyn SubwordProvider>>,
    /// Where the space came from.
    pub source: SourceInfo,
}

impl Space {
    /// Assembles a space from already normalised parts.
    pub fn new(parts: SpaceParts) -> Self {
        assert_eq!(
            parts.vocab.len(),
            parts.matrix.rows(),
            "vocabulary and matrix differ"
        );
        assert_eq!(
            parts.norms.len(),
            parts.matrix.rows(),
            "norms and matrix differ"
        );
        Space(Arc::new(Inner {
            vocab: parts.vocab,
            matrix: parts.matrix,
            norms: parts.norms.into(),
            counts: parts.counts,
            subwords: parts.subwords,
            source: parts.source,
            quantized: OnceLock::new(),
            index: OnceLock::new(),
            index_aside: std::sync::atomic::AtomicBool::new(false),
            scans: std::sync::atomic::AtomicU32::new(0),
            reduced: OnceLock::new(),
            preparing: std::sync::atomic::AtomicBool::new(false),
        }))
    }

    /// Builds a space from raw (not normalised) row-major vectors, normalising in parallel.
    pub fn from_raw(vocab: Vocab, dim: usize, mut data: Vec<f32>, source: SourceInfo) -> Self {
        let norms = normalize_rows(&mut data, dim);
        Space::from_unit(vocab, dim, data, norms, source)
    }

    /// A space from rows already scaled to unit length (by [`normalize_row`]) and their
    /// original norms.
    pub fn from_unit(
        vocab: Vocab,
        dim: usize,
        data: Vec<f32>,
        norms: Vec<f32>,
        source: SourceInfo,
    ) -> Self {
        debug_assert_eq!(norms.len(), vocab.len(), "one norm per word");
        let matrix = Matrix::from_vec(vocab.len(), dim, data);
        Space::from_matrix(vocab, matrix, norms, source)
    }

    /// A space of unit-length rows in `matrix` (one per word) and their original norms, with
    /// no counts and no subwords.
    pub fn from_matrix(vocab: Vocab, matrix: Matrix, norms: Vec<f32>, source: SourceInfo) -> Self {
        Space::new(SpaceParts {
            vocab,
            matrix,
            norms,
            counts: None,
            subwords: None,
            source,
        })
    }

    /// Number of words.
    pub fn len(&self) -> usize {
        self.0.vocab.len()
    }

    /// Whether the space has no words.
    pub fn is_empty(&self) -> bool {
        self.0.vocab.is_empty()
    }

    /// Number of dimensions.
    pub fn dim(&self) -> usize {
        self.0.matrix.dim()
    }

    /// The vocabulary.
    pub fn vocab(&self) -> &Vocab {
        &self.0.vocab
    }

    /// The word in row `row`.
    pub fn word(&self, row: usize) -> &str {
        self.0.vocab.word(row)
    }

    /// The row of `word` in the vocabulary.
    pub fn index(&self, word: &str) -> Option<u32> {
        self.0.vocab.index(word)
    }

    /// All unit-length rows.
    pub fn matrix(&self) -> &Matrix {
        &self.0.matrix
    }

    /// The unit-length vector of row `row`.
    pub fn unit(&self, row: usize) -> &[f32] {
        self.0.matrix.row(row)
    }

    /// The original norm of every row.
    pub fn norms(&self) -> &[f32] {
        &self.0.norms
    }

    /// The original (unnormalised) vector of row `row`.
    pub fn vector(&self, row: usize) -> Vec<f32> {
        let n = self.0.norms[row];
        self.unit(row).iter().map(|v| v * n).collect()
    }

    /// Corpus counts of the words, when the file carries them.
    pub fn counts(&self) -> Option<&[u64]> {
        self.0.counts.as_deref()
    }

    /// The subword model for out-of-vocabulary words, when the space has one.
    pub fn subwords(&self) -> Option<&Arc<dyn SubwordProvider>> {
        self.0.subwords.as_ref()
    }

    /// Where the space came from.
    pub fn source(&self) -> &SourceInfo {
        &self.0.source
    }

    /// The vector of `word`: its row when known, else a unit vector built from subwords.
    pub fn lookup(&self, word: &str) -> Option<Lookup> {
        if let Some(i) = self.index(word) {
            return Some(Lookup::Known(i));
        }
        let mut v = self.0.subwords.as_ref()?.embed(word)?;
        let n = l2_norm(&v);
        if n == 0.0 || !n.is_finite() {
            return None;
        }
        v.iter_mut().for_each(|x| *x /= n);
        Some(Lookup::Subword(v))
    }

    /// Unit vector of a lookup result.
    pub fn lookup_unit<'a>(&'a self, l: &'a Lookup) -> &'a [f32] {
        match l {
            Lookup::Known(i) => self.unit(*i as usize),
            Lookup::Subword(v) => v,
        }
    }

    /// Attaches an approximate neighbour index, which [`crate::query::top_k`] then uses for
    /// whole-vocabulary searches. Returns false when one was attached already.
    pub fn attach_index(&self, index: Arc<dyn NeighbourIndex>) -> bool {
        self.0.index.set(index).is_ok()
    }

    /// The attached approximate neighbour index that answers neighbour queries: none when
    /// none is attached or it is left aside ([`Space::use_index`]).
    pub fn neighbour_index(&self) -> Option<&Arc<dyn NeighbourIndex>> {
        let aside = self
            .0
            .index_aside
            .load(std::sync::atomic::Ordering::Relaxed);
        self.0.index.get().filter(|_| !aside)
    }

    /// The attached index, used or left aside.
    pub fn attached_index(&self) -> Option<&Arc<dyn NeighbourIndex>> {
        self.0.index.get()
    }

    /// Whether neighbour queries use the attached index (the default) or leave it aside and
    /// scan every word (`embx open --exact`, and the explorer's switch between the two). It
    /// holds for every clone of the space.
    pub fn use_index(&self, on: bool) {
        (self.0.index_aside).store(!on, std::sync::atomic::Ordering::Relaxed);
    }

    /// Summary of the original norms.
    pub fn norm_stats(&self) -> Option<NormStats> {
        norm_stats(&self.0.norms)
    }

    /// Approximate heap memory held by the space (mapped data not counted).
    pub fn memory_bytes(&self) -> usize {
        self.0.vocab.memory_bytes()
            + self.0.matrix.heap_bytes()
            + self.0.norms.len() * 4
            + self.0.counts.as_ref().map_or(0, |c| c.len() * 8)
            + self.0.quantized.get().map_or(0, Quantized::heap_bytes)
            + self
                .reduced_if_built()
                .map_or(0, matrix::Reduced::heap_bytes)
            + self.0.subwords.as_ref().map_or(0, |s| s.bytes().0)
    }
}

#[cfg(test)]
mod tests;
