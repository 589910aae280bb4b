//! Product-quantized rows, as finalfusion stores them (its `QuantizedArray` chunk): per row
//! one byte per subquantizer, the codebooks, and optionally an orthogonal projection (OPQ).
//!
//! A row's reconstruction is the concatenation of its centroids, multiplied by the transposed
//! projection when there is one (reductive's `Reconstruct`). The space sees the reconstruction
//! scaled to unit length. Nothing is decoded at open: single rows are decoded on demand and
//! kept ([`Decoded`]), and the whole f32 matrix is built only when a caller asks for all rows
//! at once ([`PqMatrix::full`]).
use super::decoded::Decoded;
use super::ByteSource;
use std::sync::Arc;

/// The parts of a quantized matrix, as read from a file or produced by `embx quantize`.
pub struct PqParts {
    /// Number of rows.
    pub rows: usize,
    /// Length of a reconstructed row.
    pub dim: usize,
    /// Number of subquantizers (code bytes per row); divides `dim`.
    pub subquantizers: usize,
    /// Centroids per subquantizer (at most 256).
    pub centroids: usize,
    /// `subquantizers × centroids × (dim / subquantizers)` values.
    pub codebooks: Vec<f32>,
    /// `dim × dim` row-major orthogonal projection (OPQ), when used.
    pub projection: Option<Vec<f32>>,
    /// The bytes holding the codes, `rows × subquantizers` from `offset`.
    pub codes: Arc<dyn ByteSource>,
    /// Where the codes start in `codes`.
    pub offset: usize,
    /// Rows whose original vector was zero (they reconstruct to zero), sorted.
    pub zero_rows: Vec<u32>,
}

/// A product-quantized matrix whose rows are seen as unit vectors.
pub struct PqMatrix {
    parts: PqParts,
    sub_dim: usize,
    decoded: Decoded,
}

impl std::fmt::Debug for PqMatrix {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "PqMatrix({}×{}, {} subquantizers × {} centroids, opq: {})",
            self.parts.rows,
            self.parts.dim,
            self.parts.subquantizers,
            self.parts.centroids,
            self.parts.projection.is_some()
        )
    }
}

impl PqMatrix {
    /// Checks the shapes of `parts`; the error says what does not fit.
    pub fn new(parts: PqParts) -> Result<Self, String> {
        let p = &parts;
        if p.subquantizers == 0 || !p.dim.is_multiple_of(p.subquantizers) {
            return Err(format!(
                "{} subquantizers do not divide {} dimensions",
                p.subquantizers, p.dim
            ));
        }
        if p.centroids == 0 || p.centroids > 256 {
            return Err(format!(
                "{} centroids per subquantizer (1 to 256 fit a byte)",
                p.centroids
            ));
        }
        let sub_dim = p.dim / p.subquantizers;
        if p.codebooks.len() != p.subquantizers * p.centroids * sub_dim {
            return Err("the codebooks have the wrong size".into());
        }
        if p.projection
            .as_ref()
            .is_some_and(|m| m.len() != p.dim * p.dim)
        {
            return Err("the projection has the wrong size".into());
        }
        let need = p
            .rows
            .checked_mul(p.subquantizers)
            .and_then(|n| n.checked_add(p.offset));
        if need.is_none_or(|n| n > p.codes.bytes().len()) {
            return Err(format!(
                "{} rows of {} codes do not fit in the file",
                p.rows, p.subquantizers
            ));
        }
        Ok(PqMatrix {
            sub_dim,
            decoded: Decoded::new(p.rows, p.dim),
            parts,
        })
    }

    /// Number of rows.
    pub fn rows(&self) -> usize {
        self.parts.rows
    }

    /// Length of a row.
    pub fn dim(&self) -> usize {
        self.parts.dim
    }

    /// Number of subquantizers (code bytes per row).
    pub fn subquantizers(&self) -> usize {
        self.parts.subquantizers
    }

    /// Centroids per subquantizer.
    pub fn centroids(&self) -> usize {
        self.parts.centroids
    }

    /// Dimensions per subquantizer.
    pub fn sub_dim(&self) -> usize {
        self.sub_dim
    }

    /// True when the codebooks work in a rotated space (OPQ).
    pub fn has_projection(&self) -> bool {
        self.parts.projection.is_some()
    }

    /// The codes of the first `n` rows, row after row.
    pub fn codes(&self, n: usize) -> &[u8] {
        let start = self.parts.offset;
        &self.parts.codes.bytes()[start..start + n.min(self.parts.rows) * self.parts.subquantizers]
    }

    /// True when the original vector of `row` was zero.
    pub fn is_zero_row(&self, row: u32) -> bool {
        self.parts.zero_rows.binary_search(&row).is_ok()
    }

    /// The rows whose original vector was zero, sorted.
    pub fn zero_rows(&self) -> &[u32] {
        &self.parts.zero_rows
    }

    /// `query` in the codebooks' coordinates: `query · P` with the projection, else itself.
    pub fn project(&self, query: &[f32]) -> Vec<f32> {
        let Some(p) = &self.parts.projection else {
            return query.to_vec();
        };
        let d = self.parts.dim;
        let mut out = vec![0f32; d];
        for (i, &q) in query.iter().enumerate().take(d) {
            for (o, &m) in out.iter_mut().zip(&p[i * d..(i + 1) * d]) {
                *o += q * m;
            }
        }
        out
    }

    /// The asymmetric distance tables of a projected query: for subquantizer `j`, entry `c`
    /// is the dot product of the query's `j`-th slice with centroid `c`. Entries past the
    /// centroids are NaN, so that a stray code scores NaN (dropped by the searches).
    pub fn tables(&self, projected: &[f32]) -> Vec<[f32; 256]> {
        let (c, s) = (self.parts.centroids, self.sub_dim);
        (0..self.parts.subquantizers)
            .map(|j| {
                let q = &projected[j * s..(j + 1) * s];
                let book = &self.parts.codebooks[j * c * s..(j + 1) * c * s];
                let mut t = [f32::NAN; 256];
                for (slot, centroid) in t.iter_mut().zip(book.chunks_exact(s)) {
                    *slot = q.iter().zip(centroid).map(|(a, b)| a * b).sum();
                }
                t
            })
            .collect()
    }

    /// The reconstruction of `row` (not scaled) into `out` (`dim` values; NaN for a code past
    /// the centroids).
    pub fn decode_into(&self, row: usize, out: &mut [f32]) {
        let (c, s, d) = (self.parts.centroids, self.sub_dim, self.parts.dim);
        let codes = &self.codes(row + 1)[row * self.parts.subquantizers..];
        let mut rotated = vec![
            0f32;
            if self.parts.projection.is_some() {
                d
            } else {
                0
            }
        ];
        let target: &mut [f32] = if self.parts.projection.is_some() {
            &mut rotated
        } else {
            &mut out[..d]
        };
        for (j, (&code, slot)) in codes.iter().zip(target.chunks_exact_mut(s)).enumerate() {
            let code = usize::from(code);
            if code < c {
                let at = (j * c + code) * s;
                slot.copy_from_slice(&self.parts.codebooks[at..at + s]);
            } else {
                slot.fill(f32::NAN);
            }
        }
        if let Some(p) = &self.parts.projection {
            // reconstruction = rotated · Pᵀ: out_i = Σ_j rotated_j P[i][j].
            for (o, prow) in out.iter_mut().zip(p.chunks_exact(d)) {
                *o = rotated.iter().zip(prow).map(|(a, b)| a * b).sum();
            }
        }
    }

    /// The unit-length reconstruction of `row` into `out` (zero for zero rows).
    pub fn unit_into(&self, row: usize, out: &mut [f32]) {
        if self.is_zero_row(row as u32) {
            out.fill(0.0);
            return;
        }
        self.decode_into(row, out);
        let n = super::l2_norm(out);
        if n > 0.0 {
            out.iter_mut().for_each(|v| *v /= n);
        }
    }

    /// The unit-length reconstruction of `row`, decoded on first use and kept.
    pub fn row(&self, row: usize) -> &[f32] {
        self.decoded.row(row, |out| self.unit_into(row, out))
    }

    /// The unit-length reconstructions of rows `first..last`, decoded into `buf` (not kept)
    /// unless every row was.
    pub fn block<'a>(&'a self, first: usize, last: usize, buf: &'a mut Vec<f32>) -> &'a [f32] {
        self.decoded
            .block(first, last, buf, |row, out| self.unit_into(row, out))
    }

    /// All unit-length reconstructions, row after row: decoded (in parallel) on the first
    /// call and kept. This costs `rows × dim × 4` bytes; the neighbour searches never need it.
    pub fn full(&self) -> &[f32] {
        self.decoded.full(|| {
            use rayon::prelude::*;
            let d = self.parts.dim;
            let mut all = vec![0f32; self.parts.rows * d];
            if d > 0 {
                all.par_chunks_mut(d)
                    .enumerate()
                    .with_min_len(1024)
                    .for_each(|(i, out)| self.unit_into(i, out));
            }
            all
        })
    }

    /// Heap bytes held: codebooks, projection, decoded rows (codes that live in a mapped file
    /// are not counted).
    pub fn heap_bytes(&self) -> usize {
        (self.parts.codebooks.len() + self.parts.projection.as_ref().map_or(0, Vec::len)) * 4
            + self.decoded.heap_bytes()
    }
}
