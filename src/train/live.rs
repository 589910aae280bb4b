//! A view of the weights while they are being trained.
//!
//! The workers keep updating the shared matrices; [`Live`] reads them with the same relaxed
//! atomic loads the workers use (see [`super::shared`]), so a reader never stops the workers
//! and never sees a torn value. A copy of all rows is not a consistent "moment" of training
//! (rows change while they are copied), which is fine for looking at neighbours.
//!
//! A run that continues a big space changes only the rows of the corpus's words: its live
//! view ([`Live::view`]) copies those rows and reads all others from the space it started
//! from, in place. At 2,000,000 × 300 a refresh copies the ~50,000 rows of a corpus (60 MB)
//! instead of 2.4 GB.
use super::shared::SharedMatrix;
use super::subword::{word_vectors, SubwordRows};
use crate::format::Format;
use crate::space::{normalize_rows, Matrix, SourceInfo, Space, SpaceParts, Storage, Vocab};
use std::collections::HashMap;
use std::sync::atomic::AtomicUsize;
use std::sync::{Arc, Mutex};

mod watch;
pub use watch::row_neighbours;

/// The vocabulary and the weights of a run in progress.
pub struct Live {
    vocab: Vocab,
    counts: Vec<u64>,
    pub(crate) input: Arc<SharedMatrix>,
    pub(crate) output: Arc<SharedMatrix>,
    /// With subwords: each word's input rows (its vector is their mean).
    subs: Option<Arc<SubwordRows>>,
    /// A continued run: the space it started from and the rows training can change (sorted;
    /// every other row still holds the base's vector).
    base: Option<(Space, Arc<[u32]>)>,
    /// The watch words' last full scans (see [`Live::neighbours`]).
    watch: Mutex<HashMap<usize, watch::Kept>>,
    /// Full scans made for the watch words so far.
    rescans: AtomicUsize,
}

impl std::fmt::Debug for Live {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Live")
            .field("words", &self.vocab.len())
            .field("dim", &self.input.dim())
            .finish()
    }
}

impl Live {
    pub(crate) fn new(
        vocab: Vocab,
        counts: Vec<u64>,
        input: Arc<SharedMatrix>,
        output: Arc<SharedMatrix>,
    ) -> Self {
        Live {
            vocab,
            counts,
            input,
            output,
            subs: None,
            base: None,
            watch: Mutex::default(),
            rescans: AtomicUsize::new(0),
        }
    }

    /// The run continues `base`: rows below `base.len()` that are not in `changing` keep the
    /// base's vectors for the whole run (training never writes them), so [`Live::view`] reads
    /// them from `base`. Rows from `base.len()` on must all be in `changing`; if they are not,
    /// or the dimensions differ, the base is ignored and views copy every row.
    pub(crate) fn with_base(mut self, base: Space, mut changing: Vec<u32>) -> Self {
        changing.sort_unstable();
        changing.dedup();
        let n = self.vocab.len();
        let tail = n.saturating_sub(base.len());
        let fits = base.dim() == self.dim()
            && base.len() <= n
            && changing.len() >= tail
            && changing.last().is_none_or(|&r| (r as usize) < n)
            && changing[changing.len() - tail..]
                .iter()
                .zip(base.len()..)
                .all(|(&c, r)| c as usize == r);
        self.base = fits.then(|| (base, changing.into()));
        self
    }

    /// The words' vectors are means of these rows (a run with subwords).
    pub(crate) fn with_subwords(mut self, subs: Option<Arc<SubwordRows>>) -> Self {
        self.subs = subs;
        self
    }

    /// The words being trained, one per row.
    pub fn vocab(&self) -> &Vocab {
        &self.vocab
    }

    /// Number of dimensions of the vectors.
    pub fn dim(&self) -> usize {
        self.input.dim()
    }

    /// The current (not normalised) input vector of `row`.
    pub fn row(&self, row: usize) -> Vec<f32> {
        let mut v = vec![0.0; self.dim()];
        match &self.subs {
            Some(subs) => {
                let rows = subs.of(row as u32);
                let mut r = vec![0.0; self.dim()];
                for &i in rows {
                    self.input.load(i as usize, &mut r);
                    v.iter_mut()
                        .zip(&r)
                        .for_each(|(v, x)| *v += x / rows.len() as f32);
                }
            }
            None => self.input.load(row, &mut v),
        }
        v
    }

    /// The current input vectors as a space, like [`Live::space`], without copying the rows
    /// training cannot change: in a continued run (without subwords) only the rows of the
    /// corpus's words are copied and normalised, and the others are read from the space the
    /// run started from (a patched matrix, see [`Matrix::patched`]). Otherwise a copy.
    pub fn view(&self, label: &str, metadata: Option<String>) -> Space {
        let Some((base, changing)) = self.base.as_ref().filter(|_| self.subs.is_none()) else {
            return self.space(label, metadata);
        };
        let dim = self.dim();
        let mut values = vec![0.0; changing.len() * dim];
        if dim > 0 {
            for (&r, row) in changing.iter().zip(values.chunks_exact_mut(dim)) {
                self.input.load(r as usize, row);
            }
        }
        let fresh = normalize_rows(&mut values, dim);
        let n = self.vocab.len();
        let mut norms = Vec::with_capacity(n);
        norms.extend_from_slice(base.norms());
        norms.resize(n, 0.0);
        for (&r, norm) in changing.iter().zip(fresh) {
            norms[r as usize] = norm;
        }
        let matrix = Matrix::patched(base.matrix().clone(), n, changing.clone(), values);
        let Some(matrix) = matrix else {
            // `with_base` checked the parts; should they still not fit, copy.
            return self.space(label, metadata);
        };
        self.assemble(matrix, norms, label, metadata)
    }

    fn assemble(
        &self,
        matrix: Matrix,
        norms: Vec<f32>,
        label: &str,
        metadata: Option<String>,
    ) -> Space {
        Space::new(SpaceParts {
            matrix,
            vocab: self.vocab.clone(),
            norms,
            counts: Some(self.counts.clone()),
            subwords: None,
            source: SourceInfo {
                path: label.into(),
                format: Format::Fifu,
                storage: Storage::Array,
                metadata,
                file_bytes: 0,
            },
        })
    }

    /// The current input vectors as a space (normalised, with norms and counts), labelled
    /// `label` (e.g. "training, epoch 2"). Copies the matrix: about 20 ms for 50,000 × 100.
    pub fn space(&self, label: &str, metadata: Option<String>) -> Space {
        let dim = self.dim();
        let mut data = match &self.subs {
            Some(subs) => word_vectors(&self.input, subs, self.vocab.len()),
            None => self.input.to_vec(),
        };
        let norms = normalize_rows(&mut data, dim);
        let matrix = Matrix::from_vec(self.vocab.len(), dim, data);
        self.assemble(matrix, norms, label, metadata)
    }

    /// A copy of the output (context) weights, row-major.
    pub fn output_weights(&self) -> Vec<f32> {
        self.output.to_vec()
    }
}

#[cfg(test)]
mod tests;
