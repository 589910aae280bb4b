//! The weight matrices that all worker threads read and write at once (Hogwild).
//!
//! word2vec lets every thread update the shared input and output matrices without locks; lost
//! or torn updates are rare and harmless to stochastic gradient descent. In Rust, plain `f32`
//! reads and writes from several threads at once would be a data race, which is undefined
//! behaviour whatever the hardware does. This module is the only place that holds such shared
//! weights, and it stays sound:
//!
//! - the values live in [`AtomicU64`] cells, each holding the bit patterns of two neighbouring
//!   `f32`s of a row (a row of odd length ends with one unused half);
//! - threads only use `Relaxed` loads and stores, which are well defined under concurrency
//!   (a reader sees some value that was stored, never a torn one) and compile to plain 64-bit
//!   `mov`s on x86-64 and AArch64 — no fences, no locked instructions;
//! - an update is "load the row into a local `f32` buffer, compute on local slices, store the
//!   row back" ([`SharedMatrix::load`], [`SharedMatrix::store`]), or "store(load + delta)" per
//!   cell ([`SharedMatrix::add`]). A concurrent update to the same cell between the load and
//!   the store can be lost, exactly as in word2vec's `syn0[i] += x`; nothing here is `unsafe`
//!   except a cache prefetch hint, which accesses no memory.
//!
//! Cost: the compiler does not merge atomic accesses into vector instructions, so copying a row
//! in and out is one scalar 64-bit `mov` per two elements; the dot products and `axpy`s on the
//! local copies still vectorise (256-bit `vmulps`/`vaddps` in the AVX2 worker). Measured on a
//! 2-core AMD EPYC (release, skip-gram d100 w5 n5, 1 thread, one epoch of a 2 M-token prefix of
//! the benchmark corpus, three interleaved runs): these rows take 4.4–4.5 s of training where
//! raw-pointer rows (`copy_nonoverlapping` on the same memory: a data race, so not kept) take
//! 3.5–3.8 s, i.e. soundness costs about 20 % of the training speed. One `AtomicU32` per
//! element cost more (about 20–30 % before the other speed-ups); prefetching the rows of the
//! next word's updates and copying fewer rows per update (see `sgns`) won more than that back.
//! Since then the workers do not copy rows in and out at all: [`Rows`] (in `vector`) works on
//! them in place, with vector loads and stores on x86-64 whose soundness is argued there.
//!
//! A worker never keeps a shared row in a local copy across several updates and writes the
//! copy back: that wipes out every update other threads made to the row meanwhile. It once
//! held the centre word's output row across its window; frequent words are some thread's
//! noise word all the time, so the lost updates were mostly the repelling ones, and on a
//! 20-word corpus with two threads the two topics' vectors collapsed together (test
//! `two_threads_keep_topics_apart`). Input rows get their gradient added, as in word2vec.
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};

mod vector;
#[cfg(target_arch = "x86_64")]
pub use vector::{Avx2, Avx512};
pub use vector::{Portable, Rows};

/// A row-major `rows × dim` matrix of `f32` that threads may read and write concurrently.
///
/// Every row starts on a 64-byte boundary and is padded to whole cache lines (at 100
/// dimensions, 400 bytes of values in 448). Two rows then never share a cache line, so two
/// threads writing neighbouring rows do not take the line from each other (false sharing), and
/// the 512-bit kernels' loads and stores never straddle two lines.
pub struct SharedMatrix {
    /// `start` unused cells, then `rows × stride` cells of two values each.
    data: Box<[AtomicU64]>,
    dim: usize,
    rows: usize,
    /// Cells of values per row: `dim` halved, rounded up.
    cells: usize,
    /// Cells from one row's start to the next's: `cells` rounded up to whole cache lines.
    stride: usize,
    /// Cells before row 0, so that it starts on a cache line.
    start: usize,
}

/// Cells (of 8 bytes) per 64-byte cache line.
const LINE_CELLS: usize = 8;

#[inline(always)]
fn pack(lo: f32, hi: f32) -> u64 {
    u64::from(lo.to_bits()) | (u64::from(hi.to_bits()) << 32)
}

#[inline(always)]
fn unpack(v: u64) -> (f32, f32) {
    (f32::from_bits(v as u32), f32::from_bits((v >> 32) as u32))
}

impl SharedMatrix {
    /// A matrix filled by `init(index)` for every element, in row-major order.
    pub fn from_fn(rows: usize, dim: usize, mut init: impl FnMut(usize) -> f32) -> Self {
        let cells = dim.div_ceil(2);
        let stride = cells.div_ceil(LINE_CELLS) * LINE_CELLS;
        // Room for the shift to the first cache line; the boxed slice never moves, so the
        // shift found from its address holds for the matrix's life.
        let data: Box<[AtomicU64]> = (0..rows * stride + LINE_CELLS - 1)
            .map(|_| AtomicU64::new(0))
            .collect();
        let misaligned = (data.as_ptr() as usize % 64) / 8;
        let start = (LINE_CELLS - misaligned) % LINE_CELLS;
        let m = SharedMatrix {
            data,
            dim,
            rows,
            cells,
            stride,
            start,
        };
        for r in 0..rows {
            for (c, cell) in m.row(r).iter().enumerate() {
                let i = r * dim + 2 * c;
                let lo = init(i);
                let hi = if 2 * c + 1 < dim { init(i + 1) } else { 0.0 };
                cell.store(pack(lo, hi), Relaxed);
            }
        }
        m
    }

    /// A matrix of zeros.
    pub fn zeros(rows: usize, dim: usize) -> Self {
        Self::from_fn(rows, dim, |_| 0.0)
    }

    /// Columns.
    pub fn dim(&self) -> usize {
        self.dim
    }

    /// Rows.
    pub fn rows(&self) -> usize {
        self.rows
    }

    #[inline(always)]
    fn row(&self, row: usize) -> &[AtomicU64] {
        let first = self.start + row * self.stride;
        &self.data[first..first + self.cells]
    }

    /// Asks the CPU to start fetching row `row` into its caches. A hint only: it reads and
    /// changes no value (so it is no memory access in Rust's sense) and never faults.
    #[inline(always)]
    pub fn prefetch(&self, row: usize) {
        if row < self.rows {
            crate::space::prefetch(self.row(row));
        }
    }

    /// Copies row `row` into `out` (`out.len() == dim`).
    #[inline(always)]
    pub fn load(&self, row: usize, out: &mut [f32]) {
        let cells = self.row(row);
        let mut pairs = out.chunks_exact_mut(2);
        for (o, a) in (&mut pairs).zip(cells) {
            let (lo, hi) = unpack(a.load(Relaxed));
            o[0] = lo;
            o[1] = hi;
        }
        if let ([last], Some(a)) = (pairs.into_remainder(), cells.last()) {
            *last = unpack(a.load(Relaxed)).0;
        }
    }

    /// Overwrites row `row` with `values`.
    #[inline(always)]
    pub fn store(&self, row: usize, values: &[f32]) {
        let cells = self.row(row);
        let pairs = values.chunks_exact(2);
        if let ([last], Some(a)) = (pairs.remainder(), cells.last()) {
            a.store(pack(*last, 0.0), Relaxed);
        }
        for (v, a) in pairs.zip(cells) {
            a.store(pack(v[0], v[1]), Relaxed);
        }
    }

    /// Adds `delta` to row `row`, cell by cell (load, add, store; not a locked RMW).
    #[inline(always)]
    pub fn add(&self, row: usize, delta: &[f32]) {
        let cells = self.row(row);
        let pairs = delta.chunks_exact(2);
        if let ([last], Some(a)) = (pairs.remainder(), cells.last()) {
            let (lo, _) = unpack(a.load(Relaxed));
            a.store(pack(lo + last, 0.0), Relaxed);
        }
        for (d, a) in pairs.zip(cells) {
            let (lo, hi) = unpack(a.load(Relaxed));
            a.store(pack(lo + d[0], hi + d[1]), Relaxed);
        }
    }

    /// A plain copy of all values, row-major (for the result, or a snapshot while training).
    pub fn to_vec(&self) -> Vec<f32> {
        let mut out = vec![0.0; self.rows() * self.dim];
        if self.dim > 0 {
            for (r, row) in out.chunks_exact_mut(self.dim).enumerate() {
                self.load(r, row);
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn load_store_add() {
        for dim in [3, 4] {
            let m = SharedMatrix::from_fn(2, dim, |i| i as f32);
            assert_eq!(m.rows(), 2);
            let mut row = vec![0.0; dim];
            m.load(1, &mut row);
            let want: Vec<f32> = (dim..2 * dim).map(|i| i as f32).collect();
            assert_eq!(row, want);
            let minus: Vec<f32> = (1..=dim).map(|i| -(i as f32)).collect();
            m.store(0, &minus);
            m.add(1, &vec![0.5; dim]);
            let mut all = minus.clone();
            all.extend(want.iter().map(|x| x + 0.5));
            assert_eq!(m.to_vec(), all);
        }
        assert_eq!(SharedMatrix::zeros(1, 2).to_vec(), vec![0.0, 0.0]);
        assert_eq!(SharedMatrix::zeros(0, 5).to_vec(), Vec::<f32>::new());
    }

    /// Every row starts on a cache line, and no two rows share one.
    #[test]
    fn rows_own_their_cache_lines() {
        for dim in [1, 3, 16, 17, 100, 300] {
            let m = SharedMatrix::from_fn(5, dim, |i| i as f32);
            let mut last_end = 0usize;
            for r in 0..5 {
                let row = m.row(r);
                let start = row.as_ptr() as usize;
                assert_eq!(start % 64, 0, "dim {dim}, row {r}");
                assert!(
                    r == 0 || start >= last_end.next_multiple_of(64),
                    "dim {dim}, row {r}"
                );
                last_end = start + std::mem::size_of_val(row);
            }
            let want: Vec<f32> = (0..5 * dim).map(|i| i as f32).collect();
            assert_eq!(m.to_vec(), want, "dim {dim}");
        }
    }
}
