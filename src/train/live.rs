//! A view of the weights while they are being trained.
//!
//! The workers keep updating the shared matrices; [`Live`] reads them with the same relaxed
//! atomic loads the workers use (see [`super::shared`]), so a reader never stops the workers
//! and never sees a torn value. A copy of all rows is not a consistent "moment" of training
//! (rows change while they are copied), which is fine for looking at neighbours.
use super::shared::SharedMatrix;
use super::subword::{word_vectors, SubwordRows};
use crate::format::Format;
use crate::space::{normalize_rows, Matrix, SourceInfo, Space, SpaceParts, Storage, Vocab};
use std::sync::Arc;

/// The vocabulary and the weights of a run in progress.
pub struct Live {
    vocab: Vocab,
    counts: Vec<u64>,
    pub(crate) input: Arc<SharedMatrix>,
    pub(crate) output: Arc<SharedMatrix>,
    /// With subwords: each word's input rows (its vector is their mean).
    subs: Option<Arc<SubwordRows>>,
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
        }
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

    /// The current input vectors as a space (normalised, with norms and counts), labelled
    /// `label` (e.g. "training, epoch 2"). Copies the matrix: about 20 ms for 50,000 × 100.
    pub fn space(&self, label: &str, metadata: Option<String>) -> Space {
        let dim = self.dim();
        let mut data = match &self.subs {
            Some(subs) => word_vectors(&self.input, subs, self.vocab.len()),
            None => self.input.to_vec(),
        };
        let norms = normalize_rows(&mut data, dim);
        Space::new(SpaceParts {
            matrix: Matrix::from_vec(self.vocab.len(), dim, data),
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

    /// A copy of the output (context) weights, row-major.
    pub fn output_weights(&self) -> Vec<f32> {
        self.output.to_vec()
    }
}
