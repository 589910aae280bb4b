//! Row-major f32 matrices that are owned, borrowed from a mapped file, read in place from a
//! file at their original length (see [`Matrix::in_file`]), product-quantized (decoded row by
//! row on demand, see [`PqMatrix`]), or patched: the rows of another matrix with some of them
//! replaced (a live view of training, see [`Matrix::patched`]).
use super::pq::PqMatrix;
use super::store::Store;
use std::sync::{Arc, OnceLock};

mod in_file;
mod patch;
use in_file::InFile;
use patch::Patch;
pub use patch::Runs;
pub(crate) mod reduced;
pub(crate) use reduced::Reduced;

/// Bytes that live as long as the owner: a memory map, or data compiled into the binary.
pub trait ByteSource: Send + Sync {
    /// The bytes, valid for as long as `self` lives.
    fn bytes(&self) -> &[u8];

    /// Tells the kernel that the bytes in `range` will not be needed soon, so that the pages
    /// read there stop counting towards our resident memory. Only the [`RELEASE_ALIGN`]
    /// blocks that lie wholly inside `range` are dropped, and nothing happens unless the
    /// bytes are a mapped file. Reading the range again is fine: the same bytes come back.
    fn release(&self, range: std::ops::Range<usize>) {
        let _ = range;
    }
}

/// [`ByteSource::release`] drops whole blocks of this size (a multiple of every common page
/// size, 4 KiB to 64 KiB), so the bytes around a released range stay mapped.
pub const RELEASE_ALIGN: usize = 64 << 10;

impl ByteSource for memmap2::Mmap {
    fn bytes(&self) -> &[u8] {
        self
    }

    fn release(&self, range: std::ops::Range<usize>) {
        let end = range.end.min(self.len()) / RELEASE_ALIGN * RELEASE_ALIGN;
        let start = range.start.div_ceil(RELEASE_ALIGN) * RELEASE_ALIGN;
        if start >= end {
            return;
        }
        #[cfg(unix)]
        {
            // SAFETY: MADV_DONTNEED is unsafe in general because it discards the contents of
            // private or anonymous memory, which would then read back as zeros. The maps made
            // here are read-only, shared and backed by the file: nothing in them was ever
            // written, so the kernel only unmaps our view of page-cache pages and the next
            // access faults the same bytes back in from the page cache or the file. Slices into
            // the range (ours or a caller's) therefore keep reading the same bytes. The range
            // is within the map.
            let advised = unsafe {
                self.unchecked_advise_range(memmap2::UncheckedAdvice::DontNeed, start, end - start)
            };
            // Failing only means the pages stay resident a little longer.
            let _ = advised;
        }
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
    InFile(Arc<InFile>),
}

/// Rows per block that [`Matrix::for_runs`] decodes at a time (fits the cache of one core).
const DECODE_ROWS: usize = 128;

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

    /// A matrix whose rows stay in `source`, as little-endian f32 at the byte offsets
    /// `starts`, at their original length: each row is divided by its norm in `norms` as it
    /// is read (a row whose norm is not positive reads as zeros). Nothing is copied. Returns
    /// `None` when a row does not lie within `source` or the lengths differ.
    pub fn in_file(
        source: Arc<dyn ByteSource>,
        starts: Vec<usize>,
        norms: Arc<[f32]>,
        dim: usize,
    ) -> Option<Self> {
        let rows = starts.len();
        let f = InFile::new(source, starts, norms, dim)?;
        Some(Matrix {
            rows,
            dim,
            data: Data::InFile(Arc::new(f)),
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

    /// Calls `f` with runs of consecutive rows `from..to`, in row order, each as `(first row,
    /// its values)`: [`Matrix::runs`], except that rows decoded on demand (read in place from
    /// a file, or product-quantized) are decoded a block at a time (the whole matrix is never
    /// built for a scan).
    pub fn for_runs(&self, from: usize, to: usize, mut f: impl FnMut(usize, &[f32])) {
        let to = to.min(self.rows);
        match &self.data {
            Data::InFile(_) | Data::Pq(_) => {
                let mut buf = Vec::new();
                for first in (from..to).step_by(DECODE_ROWS) {
                    let last = (first + DECODE_ROWS).min(to);
                    f(first, self.block(first, last, &mut buf));
                }
            }
            _ => self.runs(from, to).for_each(|(first, run)| f(first, run)),
        }
    }

    /// Rows `first..last` in one slice: borrowed when the matrix holds them so, else decoded
    /// or gathered into `buf`. The builders of the search's copies read the matrix through
    /// this, block by block.
    pub fn block<'a>(&'a self, first: usize, last: usize, buf: &'a mut Vec<f32>) -> &'a [f32] {
        let last = last.min(self.rows);
        match &self.data {
            Data::InFile(file) => file.block(first, last, buf),
            Data::Pq(p) => p.block(first, last, buf),
            Data::Patched(_) => {
                buf.clear();
                self.for_runs(first, last, |_, run| buf.extend_from_slice(run));
                buf
            }
            _ => &self.as_slice()[first * self.dim..last * self.dim],
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
            Data::InFile(f) => f.full(),
        }
    }

    /// Row `i`. Panics when `i >= rows()`.
    pub fn row(&self, i: usize) -> &[f32] {
        match &self.data {
            Data::Pq(p) => return p.row(i),
            Data::Patched(p) => return p.row(i, self.dim),
            Data::InFile(f) => return f.row(i),
            _ => {}
        }
        &self.as_slice()[i * self.dim..(i + 1) * self.dim]
    }

    /// True when the values live in a mapped file or the binary rather than on the heap.
    pub fn is_shared(&self) -> bool {
        matches!(self.data, Data::Shared(_) | Data::InFile(_))
    }

    /// Heap bytes held by this matrix (0 when shared).
    pub fn heap_bytes(&self) -> usize {
        match &self.data {
            Data::Owned(v) => v.len() * 4,
            Data::Shared(_) => 0,
            Data::Pq(p) => p.heap_bytes(),
            Data::Patched(p) => p.heap_bytes(),
            Data::InFile(f) => f.heap_bytes(),
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
