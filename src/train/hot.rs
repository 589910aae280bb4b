//! Rows that every update of every worker writes, kept per worker: hierarchical softmax's inner
//! nodes nearest the root (the root is on every word's path), negative sampling's most
//! frequent words (every worker's noise words) and the NNLM's hidden layer. A
//! shared row that two cores write all the time moves between their caches at every write; a
//! worker instead trains its own copy of such rows and now and then adds what it changed to
//! the shared rows and reloads them, seeing the other workers' changes. One worker alone
//! gets the same updates, up to the rounding of adding and subtracting the change.
use super::hs::Huffman;
use super::shared::SharedMatrix;
use std::ops::Range;

/// Output rows of the most frequent words that each worker keeps its own copy of under
/// negative sampling with other workers. The first rows are the most frequent words (the
/// vocabulary is sorted by count; a continued space keeps its base's order), and noise words
/// are drawn by count^0.75, so these rows are written by every worker all the time. Two
/// threads of skip-gram on the bench corpus, one epoch, alternating runs on the 2-core Intel
/// VM: 7.20–7.47 s with none kept, 6.83–7.04 s with 64; 32 and 128 gave the same as 64.
const HOT_OUTPUTS: usize = 64;

/// The output rows a worker keeps its own copy of when others train at the same time
/// (`concurrent`): hierarchical softmax's inner nodes nearest the root (`tree`), or negative
/// sampling's most frequent words, unless the worker uses shared negatives (`shared`), whose
/// window updates its rows in one pass.
pub(crate) fn for_worker(
    output: &SharedMatrix,
    tree: Option<&Huffman>,
    shared: bool,
    concurrent: bool,
) -> Option<HotRows> {
    match tree {
        _ if !concurrent => None,
        Some(tree) => Some(HotRows::new(output, super::hs::hot_nodes(tree))),
        None if shared => None,
        None => Some(HotRows::new(output, 0..HOT_OUTPUTS.min(output.rows()))),
    }
}

/// A worker's copy of some rows of a shared matrix, and the shared values it started from.
pub(crate) struct HotRows {
    rows: Range<usize>,
    dim: usize,
    local: Vec<f32>,
    base: Vec<f32>,
    delta: Vec<f32>,
}

impl HotRows {
    /// A copy of `rows` of `m`.
    pub(crate) fn new(m: &SharedMatrix, rows: Range<usize>) -> HotRows {
        let dim = m.dim();
        let mut local = vec![0.0; rows.len() * dim];
        for (r, row) in rows.clone().zip(local.chunks_exact_mut(dim.max(1))) {
            m.load(r, row);
        }
        HotRows {
            rows,
            dim,
            base: local.clone(),
            delta: vec![0.0; dim],
            local,
        }
    }

    /// The local copy of every row, row after row.
    pub(crate) fn all_mut(&mut self) -> &mut [f32] {
        &mut self.local
    }

    /// The local copy of shared row `row`, when it is one of the kept rows.
    #[inline(always)]
    pub(crate) fn get_mut(&mut self, row: usize) -> Option<&mut [f32]> {
        let i = row.checked_sub(self.rows.start)?;
        self.local.get_mut(i * self.dim..(i + 1) * self.dim)
    }

    /// Adds the local changes since the last sync to the shared rows and reloads them.
    pub(crate) fn sync(&mut self, m: &SharedMatrix) {
        let dim = self.dim.max(1);
        let rows = self.local.chunks_exact_mut(dim);
        for (r, (row, base)) in self
            .rows
            .clone()
            .zip(rows.zip(self.base.chunks_exact_mut(dim)))
        {
            for ((d, x), b) in self.delta.iter_mut().zip(row.iter()).zip(base.iter()) {
                *d = x - b;
            }
            m.add(r, &self.delta);
            m.load(r, row);
            base.copy_from_slice(row);
        }
    }
}
