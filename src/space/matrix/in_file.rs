//! Rows read in place from the file they came from (a word2vec binary file): the rows stay
//! in the mapped file, as little-endian f32 at any byte offset and at their original length,
//! and are scaled to unit length as they are read.
//!
//! Opening a big file this way costs one pass over it (the words and the norms) and no
//! memory besides the file's pages, which the system's page cache already holds: copying a
//! 2.4 GB matrix into fresh memory cost 1–2 s on a virtual machine whose host takes back
//! free memory. The searches read the rows in blocks ([`super::Matrix::for_runs`]); single
//! rows are decoded when first read and kept; the whole matrix is built only when a caller
//! asks for all rows at once, and the file's pages are then let go.
use super::super::decoded::Decoded;
use super::ByteSource;
use rayon::prelude::*;
use std::sync::Arc;

/// Rows decoded (in parallel) between two releases of the file's pages when the whole matrix
/// is built.
const RELEASE_ROWS: usize = 1 << 16;

/// Once this many rows were read one by one, the whole matrix is decoded: a caller reading
/// every row in turn (a writer, a rank over the vocabulary) gets it in one parallel pass and
/// without the cache's overhead per row, and memory ends as if the rows had been copied at open.
const WHOLE_AFTER_ROWS: usize = 1 << 16;

/// `starts.len() × dim` values at the byte offsets `starts` of `source`.
pub(super) struct InFile {
    source: Arc<dyn ByteSource>,
    starts: Vec<usize>,
    /// Each row's norm; 0 for a row to be read as zeros (a zero row, or one that holds NaN
    /// or ±∞).
    norms: Arc<[f32]>,
    dim: usize,
    decoded: Decoded,
    /// Held by the reader of single rows that builds the whole matrix ([`WHOLE_AFTER_ROWS`]);
    /// the others meanwhile decode their rows one by one rather than wait (a rayon worker
    /// waiting here could be one the builder's tasks need) or build it too.
    building: std::sync::Mutex<()>,
}

impl InFile {
    /// `None` when a row does not lie within `source` or the lengths differ.
    pub(super) fn new(
        source: Arc<dyn ByteSource>,
        starts: Vec<usize>,
        norms: Arc<[f32]>,
        dim: usize,
    ) -> Option<Self> {
        let len = source.bytes().len();
        let row_bytes = dim.checked_mul(4)?;
        let fits = starts.len() == norms.len()
            && starts
                .iter()
                .all(|&s| s.checked_add(row_bytes).is_some_and(|e| e <= len));
        fits.then(|| InFile {
            decoded: Decoded::new(starts.len(), dim),
            source,
            starts,
            norms,
            dim,
            building: std::sync::Mutex::new(()),
        })
    }

    /// Writes the unit-length row `row` into `out` (`dim` values): the values in the file
    /// divided by the row's norm, as [`crate::space::normalize_row`] scales them.
    pub(super) fn unit_into(&self, row: usize, out: &mut [f32]) {
        let n = self.norms[row];
        if n > 0.0 {
            let start = self.starts[row];
            let bytes = &self.source.bytes()[start..start + self.dim * 4];
            for (o, b) in out.iter_mut().zip(bytes.chunks_exact(4)) {
                *o = f32::from_le_bytes([b[0], b[1], b[2], b[3]]) / n;
            }
        } else {
            out.fill(0.0);
        }
    }

    /// Row `row`, decoded on the first call and kept; after [`WHOLE_AFTER_ROWS`] such rows,
    /// from the whole matrix.
    pub(super) fn row(&self, row: usize) -> &[f32] {
        if self.decoded.full_if_built().is_none() && self.decoded.kept_rows() >= WHOLE_AFTER_ROWS {
            if let Ok(_building) = self.building.try_lock() {
                return &self.full()[row * self.dim..(row + 1) * self.dim];
            }
        }
        self.decoded.row(row, |out| self.unit_into(row, out))
    }

    /// Rows `first..last` decoded into `buf` (or borrowed from the whole matrix when it was
    /// built).
    pub(super) fn block<'a>(
        &'a self,
        first: usize,
        last: usize,
        buf: &'a mut Vec<f32>,
    ) -> &'a [f32] {
        self.decoded
            .block(first, last, buf, |row, out| self.unit_into(row, out))
    }

    /// All rows, decoded on the first call and kept. The file's pages are let go as the rows
    /// are decoded, so that the file and the matrix are not both resident.
    pub(super) fn full(&self) -> &[f32] {
        self.decoded.full(|| {
            let (rows, d) = (self.starts.len(), self.dim);
            let mut all = vec![0f32; rows * d];
            if d == 0 {
                return all;
            }
            for (b, part) in all.chunks_mut(RELEASE_ROWS * d).enumerate() {
                let first = b * RELEASE_ROWS;
                part.par_chunks_mut(d)
                    .enumerate()
                    .with_min_len(1024)
                    .for_each(|(i, out)| self.unit_into(first + i, out));
                let last = first + part.len() / d;
                let from = self.starts[first];
                let to = self.starts[last - 1] + d * 4;
                if from < to {
                    self.source.release(from..to);
                }
            }
            all
        })
    }

    /// Heap bytes held: the row offsets and the decoded rows (not the file's pages).
    pub(super) fn heap_bytes(&self) -> usize {
        self.starts.len() * std::mem::size_of::<usize>() + self.decoded.heap_bytes()
    }
}
