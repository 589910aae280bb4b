//! Whole-row arithmetic on the shared rows, read and written with vector instructions.
//!
//! The hot loops of every objective touch one shared row at a time in one of five ways: copy it
//! out, copy a local row in, add a local row to it, take its dot product with a local row, and
//! the negative-sampling / hierarchical-softmax step (`grad += g · row; row += g · h`). Done
//! through [`SharedMatrix::load`] and friends, each element pair is one scalar 64-bit atomic
//! access plus shuffles; at 100 dimensions those copies cost several times the arithmetic.
//! [`Rows`] does the five operations in place, in one pass over the row, and the dot product
//! and the step on a worker's own copy of a hot row too (`train::hot`: left to the plain loops,
//! those compiled to 128-bit and scalar code and cost a one-thread run 8 %):
//!
//! - [`Portable`]: the cells' atomic loads and stores, element by element;
//! - [`Avx2`] and [`Avx512`]: the row is read and written with 256- or 512-bit `vmovups`
//!   issued from inline assembly, 16 elements at a time, and the tail (under 16 elements)
//!   through the atomic cells.
//!
//! **Why the vector accesses are sound.** Rust forbids a non-atomic access racing with another
//! access, so plain `*const __m512` loads of the shared memory would be undefined behaviour
//! even though the hardware does exactly what word2vec's C does. An `asm!` block is opaque to
//! the compiler: it must only behave like something the abstract machine could do. A
//! `vmovups` of 64 bytes at an 8-byte-aligned address reads (or writes) each of its eight
//! aligned quadwords as one access on x86-64: Intel and AMD guarantee it for aligned 16-byte
//! SSE/AVX accesses on CPUs with AVX; for wider or unaligned vector accesses the manuals only
//! say they may be split into several accesses, which on every x86-64 implementation are at
//! least quadword-sized and aligned (an assumption about the hardware, stated here). So the
//! instruction behaves like eight `Relaxed` loads (stores) of the row's [`AtomicU64`] cells in
//! some order, which is what [`SharedMatrix::load`] does. The assembly touches only the cells of one row, found through
//! the bounds-checked row slice (or of a local row borrowed for the call, where the accesses are
//! plain reads and writes of memory it owns), and the vector unit's features are checked before an
//! [`Avx2`] or [`Avx512`] value can exist.
//!
//! **Same results on every kernel.** The arithmetic is the same as the local-row code in
//! `sgns` (`dot`, `axpy`): products and sums without fused multiply-adds, the dot product's 16
//! partial sums kept per lane and added in the same order, so one thread gives bit-identical
//! weights on every kernel (tested in `sgns`).
use super::{pack, unpack, SharedMatrix};
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};

/// The five row operations, in place on a shared row `row` of `m`; local rows have `m.dim()`
/// elements.
pub trait Rows: Copy {
    /// `out = row`.
    fn load(self, m: &SharedMatrix, row: usize, out: &mut [f32]);
    /// `row = v`.
    fn store(self, m: &SharedMatrix, row: usize, v: &[f32]);
    /// `row += d`.
    fn add(self, m: &SharedMatrix, row: usize, d: &[f32]);
    /// `h · row`, summed as `sgns::dot(h, row)` sums it.
    fn dot(self, m: &SharedMatrix, row: usize, h: &[f32]) -> f32;
    /// `grad += g · row` with the old row, then `row += g · h`.
    fn step(self, m: &SharedMatrix, row: usize, g: f32, h: &[f32], grad: &mut [f32]);
    /// [`Rows::dot`] of a worker's own row `o` (a copy of a hot row): the same sums.
    fn dot_local(self, o: &[f32], h: &[f32]) -> f32;
    /// [`Rows::step`] on a worker's own row `o`.
    fn step_local(self, o: &mut [f32], g: f32, h: &[f32], grad: &mut [f32]);
}

/// The scalar tail `from..` of [`Rows::dot_local`], added to `s` in order.
#[inline(always)]
fn dot_local_tail(o: &[f32], h: &[f32], from: usize, mut s: f32) -> f32 {
    for (x, y) in h[from..].iter().zip(&o[from..]) {
        s += x * y;
    }
    s
}

/// The scalar tail `from..` of [`Rows::step_local`].
#[inline(always)]
fn step_local_tail(o: &mut [f32], g: f32, h: &[f32], grad: &mut [f32], from: usize) {
    let tail = o[from..].iter_mut().zip(&h[from..]).zip(&mut grad[from..]);
    for ((o, &x), gr) in tail {
        *gr += g * *o;
        *o += g * x;
    }
}

/// Elements done 16 at a time; the rest go through the cells.
#[inline(always)]
fn split(dim: usize) -> usize {
    dim - dim % 16
}

/// The cells of `row` from element `from` (even) on.
#[inline(always)]
fn cells_from(m: &SharedMatrix, row: usize, from: usize) -> &[AtomicU64] {
    &m.row(row)[from / 2..]
}

/// Element `i` of the row that `cells` (starting at element `from`) hold.
#[inline(always)]
fn get(cells: &[AtomicU64], from: usize, i: usize) -> f32 {
    let (lo, hi) = unpack(cells[(i - from) / 2].load(Relaxed));
    if i.is_multiple_of(2) {
        lo
    } else {
        hi
    }
}

/// The elements `from..dim` of `row` as `f(index, old) -> new`, cell by cell.
#[inline(always)]
fn map_tail(m: &SharedMatrix, row: usize, from: usize, mut f: impl FnMut(usize, f32) -> f32) {
    let dim = m.dim();
    for (c, cell) in cells_from(m, row, from).iter().enumerate() {
        let i = from + 2 * c;
        let (lo, hi) = unpack(cell.load(Relaxed));
        let lo = f(i, lo);
        let hi = if i + 1 < dim { f(i + 1, hi) } else { 0.0 };
        cell.store(pack(lo, hi), Relaxed);
    }
}

/// The 16 lane sums of a dot product, added as `sgns::dot` adds them.
#[inline(always)]
fn reduce(acc: &[f32; 16]) -> f32 {
    let mut s = 0.0;
    for k in 0..8 {
        s += acc[k] + acc[k + 8];
    }
    s
}

/// The dot product's tail `from..dim`, added to `s` in order.
#[inline(always)]
fn dot_tail(m: &SharedMatrix, row: usize, from: usize, h: &[f32], mut s: f32) -> f32 {
    let cells = cells_from(m, row, from);
    for (i, &x) in h.iter().enumerate().skip(from) {
        s += x * get(cells, from, i);
    }
    s
}

/// Element by element through the atomic cells.
#[derive(Debug, Clone, Copy)]
pub struct Portable;

impl Rows for Portable {
    #[inline(always)]
    fn load(self, m: &SharedMatrix, row: usize, out: &mut [f32]) {
        m.load(row, out);
    }

    #[inline(always)]
    fn store(self, m: &SharedMatrix, row: usize, v: &[f32]) {
        m.store(row, v);
    }

    #[inline(always)]
    fn add(self, m: &SharedMatrix, row: usize, d: &[f32]) {
        m.add(row, d);
    }

    #[inline(always)]
    fn dot(self, m: &SharedMatrix, row: usize, h: &[f32]) -> f32 {
        let full = split(m.dim());
        let cells = cells_from(m, row, 0);
        let mut acc = [0.0f32; 16];
        for (i, &x) in h[..full].iter().enumerate() {
            acc[i % 16] += x * get(cells, 0, i);
        }
        dot_tail(m, row, full, h, reduce(&acc))
    }

    #[inline(always)]
    fn step(self, m: &SharedMatrix, row: usize, g: f32, h: &[f32], grad: &mut [f32]) {
        map_tail(m, row, 0, |i, o| {
            grad[i] += g * o;
            o + g * h[i]
        });
    }

    #[inline(always)]
    fn dot_local(self, o: &[f32], h: &[f32]) -> f32 {
        crate::train::sgns::dot(h, o)
    }

    #[inline(always)]
    fn step_local(self, o: &mut [f32], g: f32, h: &[f32], grad: &mut [f32]) {
        step_local_tail(o, g, h, grad, 0);
    }
}

#[cfg(target_arch = "x86_64")]
mod x86;
#[cfg(target_arch = "x86_64")]
pub use x86::{Avx2, Avx512};

#[cfg(test)]
mod tests;
