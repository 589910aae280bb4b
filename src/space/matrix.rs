//! Row-major f32 matrices that are owned, borrowed from a mapped file, product-quantized
//! (decoded row by row on demand, see [`PqMatrix`]), or patched: the rows of another matrix
//! with some of them replaced (a live view of training, see [`Matrix::patched`]).
use super::pq::PqMatrix;
use super::store::Store;
use std::sync::{Arc, OnceLock};

mod patch;
use patch::Patch;
pub use patch::Runs;
pub(crate) mod reduced;
pub(crate) use reduced::Reduced;

/// Bytes that live as long as the owner: a memory map, or data compiled into the binary.
pub trait ByteSource: Send + Sync {
    /// The bytes, valid for as long as `self` lives.
    fn bytes(&self) -> &[u8];
}

impl ByteSource for memmap2::Mmap {
    fn bytes(&self) -> &[u8] {
        self
    }
}

impl ByteSource for &'static [u8] {
    fn bytes(&self) -> &[u8] {
        self
    }
}

impl ByteSource for Vec<u8> {
    fn bytes(&self) -> &[u8] {
        self
    }
}

#[derive(Clone)]
enum Data {
    Owned(Arc<Vec<f32>>),
    /// Always the mapped kind of store (see [`Matrix::from_shared`]).
    Shared(Store<f32>),
    Pq(Arc<PqMatrix>),
    Patched(Arc<Patch>),
}

/// A `rows × dim` row-major matrix of f32.
#[derive(Clone)]
pub struct Matrix {
    rows: usize,
    dim: usize,
    data: Data,
}

impl std::fmt::Debug for Matrix {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "Matrix({}×{}, mapped: {})",
            self.rows,
            self.dim,
            self.is_shared()
        )
    }
}

impl Matrix {
    /// A matrix that owns `data` (`rows * dim` values).
    pub fn from_vec(rows: usize, dim: usize, data: Vec<f32>) -> Self {
        assert_eq!(rows * dim, data.len(), "matrix data has the wrong length");
        Matrix {
            rows,
            dim,
            data: Data::Owned(Arc::new(data)),
        }
    }

    /// A matrix that borrows `rows * dim` little-endian f32 values at byte `offset` of
    /// `source`. Returns `None` when the range is out of bounds, misaligned, or the machine is
    /// big-endian; the caller then copies instead.
    pub fn from_shared(
        source: Arc<dyn ByteSource>,
        offset: usize,
        rows: usize,
        dim: usize,
    ) -> Option<Self> {
        let store = Store::mapped(&source, offset, rows.checked_mul(dim)?)?;
        Some(Matrix {
            rows,
            dim,
            data: Data::Shared(store),
        })
    }

    /// A matrix of product-quantized rows: nothing is decoded until a row is read.
    pub fn from_pq(pq: PqMatrix) -> Self {
        Matrix {
            rows: pq.rows(),
            dim: pq.dim(),
            data: Data::Pq(Arc::new(pq)),
        }
    }

    /// The rows of `base`, then rows up to `rows`, with the rows in `changed` (sorted,
    /// distinct) replaced by `values` (`changed.len() × dim`, in the order of `changed`).
    /// Every row from `base.rows()` on must be in `changed`. Nothing of `base` is copied.
    /// Returns `None` when the parts do not fit together.
    pub fn patched(
        base: Matrix,
        rows: usize,
        changed: Arc<[u32]>,
        values: Vec<f32>,
    ) -> Option<Self> {
        let dim = base.dim;
        let fits = values.len() == changed.len().checked_mul(dim)?
            && changed.windows(2).all(|w| w[0] < w[1])
            && changed.last().is_none_or(|&r| (r as usize) < rows)
            && base.rows <= rows
            && changed.len() >= rows - base.rows
            && changed[changed.len() - (rows - base.rows)..]
                .iter()
                .zip(base.rows..)
                .all(|(&c, r)| c as usize == r);
        fits.then(|| Matrix {
            rows,
            dim,
            data: Data::Patched(Arc::new(Patch {
                base,
                changed,
                values,
                full: OnceLock::new(),
            })),
        })
    }

    /// True when the matrix is a patched view ([`Matrix::patched`]): its rows are not one
    /// slice, and [`Matrix::as_slice`] has to assemble a copy.
    pub fn is_patched(&self) -> bool {
        matches!(self.data, Data::Patched(_))
    }

    /// Rows `from..to` as runs of consecutive rows, each `(first row, its values)`, in row
    /// order: one run for an ordinary matrix, the base's and the replaced rows' runs for a
    /// patched one. Scans read a patched matrix through this without copying it.
    pub fn runs(&self, from: usize, to: usize) -> Runs<'_> {
        let to = to.min(self.rows);
        match &self.data {
            Data::Patched(p) => Runs::patched(p, self.dim, from, to),
            _ => Runs::whole(self.as_slice(), self.dim, from, to),
        }
    }

    /// The product-quantized rows, when the matrix holds them.
    pub fn pq(&self) -> Option<&PqMatrix> {
        match &self.data {
            Data::Pq(p) => Some(p),
            _ => None,
        }
    }

    /// Number of rows.
    pub fn rows(&self) -> usize {
        self.rows
    }

    /// Number of columns (values per row).
    pub fn dim(&self) -> usize {
        self.dim
    }

    /// All values, row after row. A product-quantized or patched matrix assembles every row
    /// on the first call (and keeps them): the neighbour searches avoid this, whole-matrix
    /// work needs it.
    pub fn as_slice(&self) -> &[f32] {
        match &self.data {
            Data::Owned(v) => v,
            Data::Pq(p) => p.full(),
            Data::Patched(p) => p.full(self.rows, self.dim),
            Data::Shared(store) => store,
        }
    }

    /// Row `i`. Panics when `i >= rows()`.
    pub fn row(&self, i: usize) -> &[f32] {
        match &self.data {
            Data::Pq(p) => return p.row(i),
            Data::Patched(p) => return p.row(i, self.dim),
            _ => {}
        }
        &self.as_slice()[i * self.dim..(i + 1) * self.dim]
    }

    /// True when the values live in a mapped file or the binary rather than on the heap.
    pub fn is_shared(&self) -> bool {
        matches!(self.data, Data::Shared(_))
    }

    /// Heap bytes held by this matrix (0 when shared).
    pub fn heap_bytes(&self) -> usize {
        match &self.data {
            Data::Owned(v) => v.len() * 4,
            Data::Shared(_) => 0,
            Data::Pq(p) => p.heap_bytes(),
            Data::Patched(p) => p.heap_bytes(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shared_matrix_reads_little_endian_floats() {
        let mut bytes = vec![0u8; 4];
        for v in [1.0f32, -2.5, 3.25, 0.0] {
            bytes.extend_from_slice(&v.to_le_bytes());
        }
        let leaked: &'static [u8] = Box::leak(bytes.into_boxed_slice());
        let m = Matrix::from_shared(Arc::new(leaked), 4, 2, 2).unwrap();
        assert_eq!(m.row(1), &[3.25, 0.0]);
        assert!(Matrix::from_shared(Arc::new(leaked), 4, 3, 2).is_none());
        assert!(Matrix::from_shared(Arc::new(leaked), 2, 1, 2).is_none());
    }
}
