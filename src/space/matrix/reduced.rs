//! A reduced copy of a unit matrix for the exact neighbour pre-filter of [`crate::query`]:
//! every row projected on the `p` principal directions of the matrix and stored as int8 codes,
//! with two per-row error terms that bound what the projection and the codes leave out (see
//! `query/knn/reduced.rs` for the search and the proof of the bound).
//!
//! # What is stored
//!
//! `P` is a `p × d` matrix of f32 rows, the top eigenvectors of `XᵀX` over a sample of rows
//! (nearly orthonormal; `ε_G ≥ ‖I − PPᵀ‖₂` is measured). For a row `x`, `v = fl(Px)` is its
//! projection computed in f32 (any summation order: `‖v − Px‖ ≤ η = γ_d·‖P‖_F·‖x‖`), and
//! `y = s·c` its int8 codes (`s = max|v_i| / 127`, `c_i = round(v_i / s)`). Per row are kept
//! the scale `s`, `e ≥ ‖Px − y‖ = ‖v − y‖ + η` and `r ≥ ‖x − PᵀPx‖`, the norm of the part
//! of `x` outside the projection, from `‖x − PᵀPx‖² = ‖x‖² − ‖Px‖² − (Px)ᵀ(I − PPᵀ)(Px)
//! ≤ ‖x‖² − (1 − ε_G)·‖Px‖²` with `‖Px‖ ≥ ‖v‖ − η`. Norms are computed in f64 (products of
//! f32 are exact there) and rounded up after a relative padding of 1e-6, far above the f64
//! rounding. Rows holding NaN/±∞ or a component outside `[2^-20, 2^20]` get `e = r = +∞`.
//!
//! The codes use the int8 copy's tile layout (16 rows, 4 dimensions to a group, see
//! [`crate::space::quant`]), so that one 512-bit register holds one group of a tile.
use super::Matrix;
use crate::space::quant::{max_abs, pad_up, put_in_tile, GROUP, GROUP_BYTES, TILE};
use crate::space::store::Store;
use rayon::prelude::*;

mod basis;
mod project;
pub(crate) use basis::Basis;

use crate::space::quant::{norm64, quantize, MAX_MAG, MIN_MAG};
/// Rows projected per parallel task (a multiple of [`TILE`]).
const CHUNK_ROWS: usize = 4096;

/// The reduced copy of a matrix; see the module documentation.
pub(crate) struct Reduced {
    pub(crate) rows: usize,
    /// The projection.
    pub(crate) basis: Basis,
    /// Tile after tile, `basis.dims() / GROUP` groups of [`GROUP_BYTES`] each.
    pub(crate) codes: Store<i8>,
    /// Per row (padded to whole tiles): the scale `s`, `e` and `r`.
    pub(crate) scale: Store<f32>,
    pub(crate) err: Store<f32>,
    pub(crate) res: Store<f32>,
    /// Per tile: the largest `s`, `e` and `r` of its rows.
    pub(crate) tile_max: Vec<[f32; 3]>,
    /// Upper bounds over the bounded rows of `‖y‖`, `‖Px‖` and `‖x‖`.
    pub(crate) max_y: f32,
    pub(crate) max_px: f32,
    pub(crate) max_x: f32,
}

/// Rounds a non-negative `x` up to an f32 after padding it by 1e-6 relative.
pub(crate) fn round_up(x: f64) -> f32 {
    pad_up(x, 1e-6)
}

/// One row's stored terms, and its `‖y‖`, `‖Px‖` and `‖x‖` upper bounds (zero when
/// unbounded).
struct RowTerms {
    scale: f32,
    err: f32,
    res: f32,
    maxima: [f32; 3],
}

const UNBOUNDED: RowTerms = RowTerms {
    scale: 0.0,
    err: f32::INFINITY,
    res: f32::INFINITY,
    maxima: [0.0; 3],
};

/// Codes and terms of row `x` whose f32 projection is `v`.
fn row_terms(basis: &Basis, x: &[f32], v: &[f32], codes: &mut [i8]) -> RowTerms {
    let Some(xmax) = max_abs(x) else {
        codes.fill(0);
        return UNBOUNDED;
    };
    if xmax != 0.0 && !(MIN_MAG..=MAX_MAG).contains(&xmax) {
        codes.fill(0);
        return UNBOUNDED;
    }
    let Some(c) = quantize(v, codes) else {
        return UNBOUNDED;
    };
    let xn = norm64(x);
    let eta = basis.eta(xn);
    let vn = norm64(v);
    let px_low = (vn - eta).max(0.0);
    let r2 = xn * xn - (1.0 - basis.eps_g) * px_low * px_low;
    RowTerms {
        scale: c.scale,
        err: round_up(c.err + eta),
        res: round_up(r2.max(0.0).sqrt() + 1e-7 * xn),
        maxima: [round_up(c.norm), round_up(vn + eta), round_up(xn)],
    }
}

impl Reduced {
    /// Projects and quantizes every row of `m` (in parallel), or `None` when the matrix does
    /// not concentrate on few enough directions for the reduced pre-filter to pay (see
    /// [`Basis::fit`]).
    pub(crate) fn build(m: &Matrix) -> Option<Reduced> {
        let basis = Basis::fit(m)?;
        let (rows, dim, p) = (m.rows(), m.dim(), basis.dims());
        let tile_bytes = p / GROUP * GROUP_BYTES;
        let tiles = rows.div_ceil(TILE);
        let mut codes = vec![0i8; tiles * tile_bytes];
        let mut scale = vec![0.0f32; tiles * TILE];
        let mut err = vec![0.0f32; tiles * TILE];
        let mut res = vec![0.0f32; tiles * TILE];
        let pt: Vec<f32> = basis.matrix().t().iter().copied().collect();
        let maxima = codes
            .par_chunks_mut(CHUNK_ROWS / TILE * tile_bytes)
            .zip(scale.par_chunks_mut(CHUNK_ROWS))
            .zip(err.par_chunks_mut(CHUNK_ROWS))
            .zip(res.par_chunks_mut(CHUNK_ROWS))
            .enumerate()
            .map(|(chunk, (((codes, scale), err), res))| {
                let first = chunk * CHUNK_ROWS;
                let last = (first + CHUNK_ROWS).min(rows);
                let mut buf = Vec::new();
                let x = m.block(first, last, &mut buf);
                let mut v = vec![0.0f32; (last - first) * p];
                project::project(&pt, p, x, dim, &mut v);
                let mut row_codes = vec![0i8; p];
                let mut maxima = [0.0f32; 3];
                for (l, (x, v)) in x.chunks_exact(dim).zip(v.chunks_exact(p)).enumerate() {
                    let t = row_terms(&basis, x, v, &mut row_codes);
                    for (m, &t) in maxima.iter_mut().zip(&t.maxima) {
                        *m = m.max(t);
                    }
                    (scale[l], err[l], res[l]) = (t.scale, t.err, t.res);
                    let tile = &mut codes[l / TILE * tile_bytes..][..tile_bytes];
                    put_in_tile(tile, l % TILE, &row_codes);
                }
                maxima
            })
            .reduce(
                || [0.0; 3],
                |a, b| [a[0].max(b[0]), a[1].max(b[1]), a[2].max(b[2])],
            );
        let rows_terms = [scale.into(), err.into(), res.into()];
        Some(Reduced::from_parts(
            rows,
            basis,
            codes.into(),
            rows_terms,
            maxima,
        ))
    }

    /// A copy from its parts (built, or read back from a file): the per-row scale, `e` and
    /// `r`, and the maxima of `‖y‖`, `‖Px‖` and `‖x‖`. The per-tile maxima are recomputed.
    pub(crate) fn from_parts(
        rows: usize,
        basis: Basis,
        codes: Store<i8>,
        [scale, err, res]: [Store<f32>; 3],
        maxima: [f32; 3],
    ) -> Reduced {
        let max = |v: &[f32]| v.iter().copied().fold(0.0, f32::max);
        let tile_max = scale
            .par_chunks(TILE)
            .zip(err.par_chunks(TILE))
            .zip(res.par_chunks(TILE))
            .map(|((s, e), r)| [max(s), max(e), max(r)])
            .collect();
        Reduced {
            rows,
            basis,
            codes,
            scale,
            err,
            res,
            tile_max,
            max_y: maxima[0],
            max_px: maxima[1],
            max_x: maxima[2],
        }
    }

    /// Heap bytes held.
    pub(crate) fn heap_bytes(&self) -> usize {
        self.codes.heap_bytes()
            + [&self.scale, &self.err, &self.res]
                .iter()
                .map(|s| s.heap_bytes())
                .sum::<usize>()
            + std::mem::size_of_val(self.tile_max.as_slice())
            + self.basis.heap_bytes()
    }

    /// Bytes of one tile's codes.
    pub(crate) fn tile_bytes(&self) -> usize {
        self.basis.dims() / GROUP * GROUP_BYTES
    }
}
