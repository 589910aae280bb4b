//! A patched matrix: the rows of a base matrix with some rows replaced, read in place.
//!
//! A live view of training on a big space is one: the rows training can change (the words of
//! the corpus) are copied each refresh, all other rows are read from the base (a memory-mapped
//! file, say) without a copy.
use super::Matrix;
use std::sync::{Arc, OnceLock};

/// The parts of a patched matrix (see [`Matrix::patched`]).
pub(super) struct Patch {
    pub(super) base: Matrix,
    /// Replaced rows, sorted and distinct.
    pub(super) changed: Arc<[u32]>,
    /// Their values, in the order of `changed`.
    pub(super) values: Vec<f32>,
    /// All rows in one slice, assembled on the first [`Matrix::as_slice`].
    pub(super) full: OnceLock<Vec<f32>>,
}

impl Patch {
    /// The slot of `row` among the replaced rows.
    fn slot(&self, row: usize) -> Option<usize> {
        u32::try_from(row)
            .ok()
            .and_then(|r| self.changed.binary_search(&r).ok())
    }

    pub(super) fn row(&self, i: usize, dim: usize) -> &[f32] {
        match self.slot(i) {
            Some(s) => &self.values[s * dim..(s + 1) * dim],
            None => self.base.row(i),
        }
    }

    pub(super) fn full(&self, rows: usize, dim: usize) -> &[f32] {
        self.full.get_or_init(|| {
            let mut all = Vec::with_capacity(rows * dim);
            for (_, run) in Runs::patched(self, dim, 0, rows) {
                all.extend_from_slice(run);
            }
            all
        })
    }

    pub(super) fn heap_bytes(&self) -> usize {
        (self.values.len() + self.full.get().map_or(0, Vec::len)) * 4 + self.changed.len() * 4
    }
}

/// Runs of consecutive rows of a matrix, each `(first row, values)` (see [`Matrix::runs`]).
pub struct Runs<'a> {
    dim: usize,
    /// The next row to yield.
    at: usize,
    to: usize,
    /// The whole matrix, or the base of a patched one.
    base: &'a [f32],
    /// Replaced rows and their values (empty for an ordinary matrix).
    changed: &'a [u32],
    values: &'a [f32],
    /// Index in `changed` of the first replaced row at or after `at`.
    next: usize,
}

impl<'a> Runs<'a> {
    pub(super) fn whole(data: &'a [f32], dim: usize, from: usize, to: usize) -> Self {
        Runs {
            dim,
            at: from,
            to,
            base: data,
            changed: &[],
            values: &[],
            next: 0,
        }
    }

    pub(super) fn patched(p: &'a Patch, dim: usize, from: usize, to: usize) -> Self {
        let changed = &p.changed[..];
        Runs {
            dim,
            at: from,
            to,
            base: p.base.as_slice(),
            changed,
            values: &p.values,
            next: changed.partition_point(|&c| (c as usize) < from),
        }
    }
}

impl<'a> Iterator for Runs<'a> {
    type Item = (usize, &'a [f32]);

    fn next(&mut self) -> Option<Self::Item> {
        if self.at >= self.to || self.dim == 0 {
            return None;
        }
        let first = self.at;
        let d = self.dim;
        match self.changed.get(self.next) {
            Some(&c) if c as usize == first => {
                // Replaced rows: as many as follow one another.
                let start = self.next;
                let mut end = start + 1;
                while end < self.changed.len()
                    && self.changed[end] as usize == first + (end - start)
                    && (self.changed[end] as usize) < self.to
                {
                    end += 1;
                }
                self.next = end;
                self.at = first + (end - start);
                Some((first, &self.values[start * d..end * d]))
            }
            next => {
                // Base rows up to the next replaced row.
                let end = next.map_or(self.to, |&c| (c as usize).min(self.to));
                self.at = end;
                Some((first, &self.base[first * d..end * d]))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base(rows: usize, dim: usize) -> Matrix {
        Matrix::from_vec(rows, dim, (0..rows * dim).map(|i| i as f32).collect())
    }

    #[test]
    fn runs_cover_every_row_once_with_the_replaced_values() {
        let dim = 2;
        let changed: Arc<[u32]> = vec![0, 3, 4, 7, 8, 9].into();
        let values: Vec<f32> = (0..changed.len() * dim)
            .map(|i| -(i as f32) - 1.0)
            .collect();
        let m = Matrix::patched(base(8, dim), 10, changed.clone(), values).unwrap();
        for (from, to) in [(0, 10), (1, 9), (3, 5), (4, 4), (5, 7), (2, 100)] {
            let mut want = Vec::new();
            for r in from..to.min(10) {
                want.extend_from_slice(m.row(r));
            }
            let mut got = Vec::new();
            let mut at = from;
            for (first, run) in m.runs(from, to) {
                assert_eq!(first, at);
                assert!(!run.is_empty());
                at += run.len() / dim;
                got.extend_from_slice(run);
            }
            assert_eq!(at, to.min(10).max(from));
            assert_eq!(got, want, "{from}..{to}");
        }
        assert_eq!(m.row(3), &[-3.0, -4.0]);
        assert_eq!(m.row(2), &[4.0, 5.0]);
        assert_eq!(m.row(9), &[-11.0, -12.0]);
        assert_eq!(m.as_slice().len(), 20);
        assert_eq!(&m.as_slice()[4..8], &[4.0, 5.0, -3.0, -4.0]);
        assert!(m.is_patched());
    }

    #[test]
    fn parts_that_do_not_fit_are_refused() {
        let ok = |rows, changed: Vec<u32>| {
            let values = vec![0.0; changed.len() * 2];
            Matrix::patched(base(4, 2), rows, changed.into(), values).is_some()
        };
        assert!(ok(4, vec![]));
        assert!(ok(5, vec![1, 4]));
        assert!(!ok(5, vec![1, 3]), "a row past the base must be replaced");
        assert!(!ok(4, vec![2, 1]), "not sorted");
        assert!(!ok(4, vec![1, 1]), "not distinct");
        assert!(!ok(4, vec![4]), "past the end");
        assert!(!ok(3, vec![]), "fewer rows than the base");
        let short = Matrix::patched(base(4, 2), 4, vec![1].into(), vec![0.0]);
        assert!(short.is_none());
        let plain = base(3, 2);
        let runs: Vec<_> = plain.runs(1, 3).collect();
        assert_eq!(runs, vec![(1, &[2.0, 3.0, 4.0, 5.0][..])]);
    }
}
