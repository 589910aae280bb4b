//! Rows that are decoded on demand rather than stored as f32: single rows are decoded when
//! first read and kept (in pages of [`PAGE`] rows, allocated when first touched), and the
//! whole f32 matrix is built only when a caller asks for all rows at once. The
//! product-quantized matrix and the rows read in place from a word2vec file keep their
//! decoded rows here.
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};
use std::sync::OnceLock;

/// Rows per page of the cache.
const PAGE: usize = 256;

type Page = Box<[OnceLock<Box<[f32]>>]>;

/// The decoded rows kept so far of a `rows × dim` matrix.
pub(crate) struct Decoded {
    dim: usize,
    pages: Box<[OnceLock<Page>]>,
    full: OnceLock<Vec<f32>>,
    /// Rows decoded one by one and kept so far.
    kept: AtomicUsize,
}

impl Decoded {
    /// An empty cache for `rows` rows of `dim` values.
    pub(crate) fn new(rows: usize, dim: usize) -> Self {
        Decoded {
            dim,
            pages: (0..rows.div_ceil(PAGE)).map(|_| OnceLock::new()).collect(),
            full: OnceLock::new(),
            kept: AtomicUsize::new(0),
        }
    }

    /// How many rows were decoded one by one and kept.
    pub(crate) fn kept_rows(&self) -> usize {
        self.kept.load(Relaxed)
    }

    /// Row `row`: from the whole matrix when it was built, else decoded by `decode` on the
    /// first call and kept.
    pub(crate) fn row(&self, row: usize, decode: impl FnOnce(&mut [f32])) -> &[f32] {
        if let Some(all) = self.full.get() {
            return &all[row * self.dim..(row + 1) * self.dim];
        }
        let page =
            self.pages[row / PAGE].get_or_init(|| (0..PAGE).map(|_| OnceLock::new()).collect());
        page[row % PAGE].get_or_init(|| {
            self.kept.fetch_add(1, Relaxed);
            let mut v = vec![0f32; self.dim];
            decode(&mut v);
            v.into_boxed_slice()
        })
    }

    /// Rows `first..last`: borrowed from the whole matrix when it was built, else decoded
    /// by `decode` into `buf` (and not kept).
    pub(crate) fn block<'a>(
        &'a self,
        first: usize,
        last: usize,
        buf: &'a mut Vec<f32>,
        decode: impl Fn(usize, &mut [f32]),
    ) -> &'a [f32] {
        if let Some(all) = self.full.get() {
            return &all[first * self.dim..last * self.dim];
        }
        buf.clear();
        buf.resize((last - first) * self.dim, 0.0);
        if self.dim > 0 {
            for (row, out) in (first..last).zip(buf.chunks_exact_mut(self.dim)) {
                decode(row, out);
            }
        }
        buf
    }

    /// The whole matrix, when it was built.
    pub(crate) fn full_if_built(&self) -> Option<&[f32]> {
        self.full.get().map(Vec::as_slice)
    }

    /// The whole matrix, built by `build` on the first call and kept.
    ///
    /// It is built outside the cell's lock: `build` works in parallel, and with
    /// `get_or_init` a rayon worker waiting for the cell could be the one the builder's tasks
    /// need, which deadlocks. Concurrent first calls may build it twice; one copy is kept.
    pub(crate) fn full(&self, build: impl FnOnce() -> Vec<f32>) -> &[f32] {
        if let Some(all) = self.full.get() {
            return all;
        }
        let all = build();
        self.full.get_or_init(|| all)
    }

    /// Heap bytes held by the decoded rows.
    pub(crate) fn heap_bytes(&self) -> usize {
        let rows: usize = self
            .pages
            .iter()
            .filter_map(OnceLock::get)
            .map(|p| p.iter().filter(|r| r.get().is_some()).count() * self.dim * 4 + PAGE * 24)
            .sum();
        self.pages.len() * 24 + rows + self.full.get().map_or(0, |v| v.len() * 4)
    }
}
