//! The weight matrices that all worker threads read and write at once (Hogwild).
//!
//! word2vec lets every thread update the shared input and output matrices without locks; lost
//! or torn updates are rare and harmless to stochastic gradient descent. In Rust, plain `f32`
//! reads and writes from several threads at once would be a data race, which is undefined
//! behaviour whatever the hardware does. This module is the only place that holds such shared
//! weights, and it stays sound:
//!
//! - every element is an [`AtomicU32`] holding the bit pattern of an `f32`;
//! - threads only use `Relaxed` loads and stores, which are well defined under concurrency
//!   (a reader sees some value that was stored, never a torn one) and compile to plain `mov`s
//!   on x86-64 and AArch64 — no fences, no locked instructions;
//! - an update is "load the row into a local `f32` buffer, compute on local slices, store the
//!   row back" ([`SharedMatrix::load`], [`SharedMatrix::store`]), or "store(load + delta)" per
//!   element ([`SharedMatrix::add`]). A concurrent update to the same element between the
//!   load and the store can be lost, exactly as in word2vec's `syn0[i] += x`; no memory-safety
//!   question arises because nothing here is `unsafe`.
//!
//! Cost: the compiler does not merge atomic loads/stores into vector instructions, so copying a
//! row in and out is one scalar `mov` per element; the dot products and `axpy`s on the local
//! copies still vectorise. Measured (release, skip-gram d100 w5 n5, 1 thread, one epoch of a
//! 7.7 M-token corpus on a shared 2-core machine): 41.9–47.8 s with these atomic rows against
//! 34.5 s with raw-pointer `copy_nonoverlapping` rows (a data race, so not kept), i.e. the
//! sound scheme costs about 20–30 % of the training speed here. Worth revisiting (e.g. fewer
//! row copies per update) before trading soundness for it.
use std::sync::atomic::{AtomicU32, Ordering::Relaxed};

/// A row-major `rows × dim` matrix of `f32` that threads may read and write concurrently.
pub struct SharedMatrix {
    data: Box<[AtomicU32]>,
    dim: usize,
}

impl SharedMatrix {
    /// A matrix filled by `init(index)` for every element, in row-major order.
    pub fn from_fn(rows: usize, dim: usize, mut init: impl FnMut(usize) -> f32) -> Self {
        let data = (0..rows * dim)
            .map(|i| AtomicU32::new(init(i).to_bits()))
            .collect();
        SharedMatrix { data, dim }
    }

    /// A matrix of zeros.
    pub fn zeros(rows: usize, dim: usize) -> Self {
        Self::from_fn(rows, dim, |_| 0.0)
    }

    /// Columns.
    pub fn dim(&self) -> usize {
        self.dim
    }

    fn row(&self, row: usize) -> &[AtomicU32] {
        &self.data[row * self.dim..(row + 1) * self.dim]
    }

    /// Copies row `row` into `out` (`out.len() == dim`).
    #[inline]
    pub fn load(&self, row: usize, out: &mut [f32]) {
        for (o, a) in out.iter_mut().zip(self.row(row)) {
            *o = f32::from_bits(a.load(Relaxed));
        }
    }

    /// Overwrites row `row` with `values`.
    #[inline]
    pub fn store(&self, row: usize, values: &[f32]) {
        for (a, v) in self.row(row).iter().zip(values) {
            a.store(v.to_bits(), Relaxed);
        }
    }

    /// Adds `delta` to row `row`, element by element (load, add, store; not a locked RMW).
    #[inline]
    pub fn add(&self, row: usize, delta: &[f32]) {
        for (a, d) in self.row(row).iter().zip(delta) {
            a.store((f32::from_bits(a.load(Relaxed)) + d).to_bits(), Relaxed);
        }
    }

    /// A plain copy of all values (for the result, or a snapshot while training).
    pub fn to_vec(&self) -> Vec<f32> {
        self.data
            .iter()
            .map(|a| f32::from_bits(a.load(Relaxed)))
            .collect()
    }

    /// Consumes the matrix into its values.
    pub fn into_vec(self) -> Vec<f32> {
        self.data
            .into_vec()
            .into_iter()
            .map(|a| f32::from_bits(a.into_inner()))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn load_store_add() {
        let m = SharedMatrix::from_fn(2, 3, |i| i as f32);
        let mut row = [0.0; 3];
        m.load(1, &mut row);
        assert_eq!(row, [3.0, 4.0, 5.0]);
        m.store(0, &[-1.0, -2.0, -3.0]);
        m.add(1, &[0.5, 0.5, 0.5]);
        assert_eq!(m.to_vec(), vec![-1.0, -2.0, -3.0, 3.5, 4.5, 5.5]);
        assert_eq!(SharedMatrix::zeros(1, 2).into_vec(), vec![0.0, 0.0]);
    }
}
