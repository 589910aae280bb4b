//! The int8 copy of a unit matrix, a storage representation that the exact neighbour
//! pre-filter of [`crate::query`] scans (see `query/quant.rs` for the search and the proof
//! of its bound).
//!
//! # The quantization
//!
//! A row `r` is stored as codes `c ∈ [−127, 127]^d` with a scale `s = max|r_i| / 127` (an f32)
//! and `c_i = round(r_i / s)`. With it come `e = ‖r − s·c‖` and `m = ‖s·c‖`, both computed in
//! f64 and rounded up to f32 (after a relative padding of 1e-9 that covers the f64 rounding),
//! so they are true upper bounds. The matrix keeps `e` per row and `M = max m` overall. The
//! query `q` is quantized the same way (`s_q`, `c_q`, `e_q`); let `Q ≥ ‖q‖`.
//!
//! # The bound
//!
//! Let `ã = s·s_q·Σ c_i c_q,i` (the integer sum is exact in i32), `a` its f32 value and `x` the
//! score that the f32 kernel computes for the row. Then
//!
//! - `q·r − ã = q·(r − s c) + (q − s_q c_q)·(s c)`, so `|q·r − ã| ≤ e·Q + m·e_q`;
//! - `a = fl(fl(s·s_q)·fl(Σ))`: three roundings, so `|a − ã| ≤ 4u·|ã| ≤ 4u·m·(Q + e_q)`
//!   (`u = 2^-24`, `|ã| ≤ ‖s c‖·‖s_q c_q‖`);
//! - any f32 summation order (with or without FMA) of the d products gives
//!   `|x − q·r| ≤ γ·Σ|q_i r_i| ≤ γ·Q·(m + e)` with `γ = (d+2)u / (1 − (d+2)u)`, padded by 1 %.
//!
//! Together, with `m ≤ M`: `|x − a| ≤ e·α + C`, where `α = Q(1 + γ)` and
//! `C = M·(e_q + γQ + 4u(Q + e_q))`. Both are computed in f64 and rounded up to f32, then
//! padded by a relative `2^-20`, which covers the two f32 roundings of `B = e·α + C`. Underflow
//! only adds absolute errors of order `d·2^-149`, far below that padding, because rows and
//! queries whose largest component lies outside `[2^-20, 2^20]` (other than zero rows, whose
//! scores are exactly zero) are not bounded at all: such a row gets `e = +∞` (so it is always a
//! candidate and never sets `L`), and such a query takes the exact path. The same holds for
//! rows and queries holding NaN or ±∞.
//!
//! Finally `lb = fl(a − B)` and `ub = fl(a + B)`: rounding to nearest is monotone and `x` is an
//! f32, so `x ≤ a + B` gives `x ≤ fl(a + B)`, and likewise for the lower bound.
//!
//! # Layout
//!
//! Rows are stored in tiles of 16; within a tile, the codes are grouped by 4 dimensions: group
//! `j` holds, for each of the 16 rows, its codes `4j .. 4j + 4` (64 bytes; dimensions past `d`
//! are zero). One 256-bit multiply-add over a group then yields partial sums for 8 rows at once
//! without horizontal additions. Each tile also keeps the largest scale and error bound of its
//! rows, which bound all 16 upper bounds at once; tiles that cannot reach the threshold are
//! passed over without reading their rows' scales and errors (a sixth of the bytes).
use super::Matrix;
use rayon::prelude::*;

/// Rows per tile.
pub(crate) const TILE: usize = 16;
/// Dimensions per group.
pub(crate) const GROUP: usize = 4;
/// Bytes of one group of a tile.
pub(crate) const GROUP_BYTES: usize = TILE * GROUP;
/// Widest rows handled: `127² · d` must fit an i32.
pub(crate) const MAX_DIM: usize = 65_536;
/// Largest magnitudes of a row or query component that are bounded; others take the exact path.
const MIN_MAG: f32 = 1.0 / (1u32 << 20) as f32;
const MAX_MAG: f32 = (1u32 << 20) as f32;
/// Unit roundoff of f32.
const U: f64 = f32::EPSILON as f64 / 2.0;

/// The int8 copy of a matrix; see the module documentation.
pub(crate) struct Quantized {
    pub(crate) rows: usize,
    pub(crate) dim: usize,
    pub(crate) groups: usize,
    /// Tile after tile, `groups * GROUP_BYTES` bytes each.
    pub(crate) codes: Vec<i8>,
    /// Per row (padded to whole tiles): the scale `s` (0 for zero and unbounded rows).
    pub(crate) scale: Vec<f32>,
    /// Per row: the error bound `e` (+∞ for unbounded rows).
    pub(crate) err: Vec<f32>,
    /// Per tile: the largest scale and error bound of its rows.
    pub(crate) tile_max: Vec<(f32, f32)>,
    /// `M`: an upper bound of `‖s·c‖` over all rows.
    pub(crate) max_norm: f32,
}

/// Per tile of [`TILE`] rows: the largest scale and error bound.
fn tile_maxima(scale: &[f32], err: &[f32]) -> Vec<(f32, f32)> {
    let max = |v: &[f32]| v.iter().copied().fold(0.0, f32::max);
    scale
        .par_chunks(TILE)
        .zip(err.par_chunks(TILE))
        .map(|(s, e)| (max(s), max(e)))
        .collect()
}

/// A quantized vector.
struct Coded {
    scale: f32,
    /// `‖v − s·c‖`, rounded up.
    err: f32,
    /// `‖s·c‖`, rounded up.
    norm: f32,
}

/// Rounds a non-negative `x` up to an f32 (after padding it by 1e-9 relative).
fn round_up(x: f64) -> f32 {
    let x = x * (1.0 + 1e-9);
    let f = x as f32;
    if f64::from(f) >= x || f.is_infinite() {
        f
    } else {
        f32::from_bits(f.to_bits() + 1)
    }
}

/// Quantizes `v` into `codes` (same length). `None` when `v` holds NaN/±∞ or its largest
/// magnitude is nonzero but outside `[MIN_MAG, MAX_MAG]`; `codes` are then all zero.
fn quantize(v: &[f32], codes: &mut [i8]) -> Option<Coded> {
    codes.fill(0);
    let mut max = 0.0f32;
    for &x in v {
        if !x.is_finite() {
            return None;
        }
        max = max.max(x.abs());
    }
    if max == 0.0 {
        return Some(Coded {
            scale: 0.0,
            err: 0.0,
            norm: 0.0,
        });
    }
    if !(MIN_MAG..=MAX_MAG).contains(&max) {
        return None;
    }
    let s = (f64::from(max) / 127.0) as f32;
    let sd = f64::from(s);
    let (mut e2, mut n2) = (0.0f64, 0.0f64);
    for (c, &x) in codes.iter_mut().zip(v) {
        let q = (f64::from(x) / sd).round().clamp(-127.0, 127.0);
        *c = q as i8;
        let y = sd * q;
        let d = f64::from(x) - y;
        e2 += d * d;
        n2 += y * y;
    }
    Some(Coded {
        scale: s,
        err: round_up(e2.sqrt()),
        norm: round_up(n2.sqrt()),
    })
}

impl Quantized {
    /// Quantizes every row of `m`, in parallel.
    pub(crate) fn build(m: &Matrix) -> Quantized {
        let (rows, dim) = (m.rows(), m.dim());
        let groups = dim.div_ceil(GROUP);
        let tile_bytes = groups * GROUP_BYTES;
        let tiles = rows.div_ceil(TILE);
        let mut codes = vec![0i8; tiles * tile_bytes];
        let mut scale = vec![0.0f32; tiles * TILE];
        let mut err = vec![0.0f32; tiles * TILE];
        let data = m.as_slice();
        const CHUNK: usize = 256; // tiles per parallel task
        let max_norm = codes
            .par_chunks_mut((CHUNK * tile_bytes).max(1))
            .zip(scale.par_chunks_mut(CHUNK * TILE))
            .zip(err.par_chunks_mut(CHUNK * TILE))
            .enumerate()
            .map(|(chunk, ((codes, scale), err))| {
                let mut row_codes = vec![0i8; dim];
                let mut max_norm = 0.0f32;
                for t in 0..scale.len() / TILE {
                    let tile = &mut codes[t * tile_bytes..(t + 1) * tile_bytes];
                    for lane in 0..TILE {
                        let row = (chunk * CHUNK + t) * TILE + lane;
                        if row >= rows {
                            break;
                        }
                        let (s, e) =
                            match quantize(&data[row * dim..(row + 1) * dim], &mut row_codes) {
                                Some(c) => {
                                    max_norm = max_norm.max(c.norm);
                                    (c.scale, c.err)
                                }
                                None => (0.0, f32::INFINITY),
                            };
                        scale[t * TILE + lane] = s;
                        err[t * TILE + lane] = e;
                        for (i, &c) in row_codes.iter().enumerate() {
                            tile[(i / GROUP) * GROUP_BYTES + lane * GROUP + i % GROUP] = c;
                        }
                    }
                }
                max_norm
            })
            .reduce(|| 0.0, f32::max);
        let tile_max = tile_maxima(&scale, &err);
        Quantized {
            rows,
            dim,
            groups,
            codes,
            scale,
            err,
            tile_max,
            max_norm,
        }
    }

    /// A copy from its parts (read back from a file); the per-tile maxima are recomputed.
    pub(crate) fn from_parts(
        (rows, dim): (usize, usize),
        codes: Vec<i8>,
        scale: Vec<f32>,
        err: Vec<f32>,
        max_norm: f32,
    ) -> Quantized {
        Quantized {
            rows,
            dim,
            groups: dim.div_ceil(GROUP),
            tile_max: tile_maxima(&scale, &err),
            codes,
            scale,
            err,
            max_norm,
        }
    }

    /// Heap bytes held.
    pub(crate) fn heap_bytes(&self) -> usize {
        self.codes.len() + (self.scale.len() + self.err.len() + self.tile_max.len() * 2) * 4
    }

    pub(crate) fn tile_bytes(&self) -> usize {
        self.groups * GROUP_BYTES
    }

    /// Quantizes a query; `None` when it cannot be bounded (see the module documentation).
    pub(crate) fn prepare(&self, q: &[f32]) -> Option<Query> {
        let mut codes = vec![0i8; self.groups * GROUP];
        let c = quantize(q, &mut codes[..self.dim])?;
        if c.scale == 0.0 {
            return None;
        }
        let d = self.dim as f64;
        let gamma = (d + 2.0) * U / (1.0 - (d + 2.0) * U) * 1.01;
        let qn = f64::from(round_up(
            q.iter()
                .map(|&x| f64::from(x) * f64::from(x))
                .sum::<f64>()
                .sqrt(),
        ));
        let eq = f64::from(c.err);
        let alpha = qn * (1.0 + gamma);
        let konst = f64::from(self.max_norm) * (eq + gamma * qn + 4.0 * U * (qn + eq));
        let pad = 1.0 + 1.0 / f64::from(1u32 << 20);
        let word = |b: &[i8]| i32::from_le_bytes([b[0] as u8, b[1] as u8, b[2] as u8, b[3] as u8]);
        let abs: Vec<i8> = codes.iter().map(|c| c.abs()).collect();
        Some(Query {
            codes: codes.chunks_exact(GROUP).map(word).collect(),
            abs: abs.chunks_exact(GROUP).map(word).collect(),
            sum: codes.iter().map(|&c| i32::from(c)).sum(),
            bytes: codes,
            scale: c.scale,
            alpha: round_up(alpha * pad),
            konst: round_up(konst * pad),
        })
    }
}

/// A quantized query.
pub(crate) struct Query {
    /// The codes, 4 to a word (little-endian), one word per group.
    pub(crate) codes: Vec<i32>,
    /// Their absolute values, likewise.
    pub(crate) abs: Vec<i32>,
    /// The codes, padded to whole groups.
    pub(crate) bytes: Vec<i8>,
    /// The sum of the codes (the VNNI kernel's bias correction).
    pub(crate) sum: i32,
    pub(crate) scale: f32,
    /// `α` and `C` of the bound `B = e·α + C`, padded.
    pub(crate) alpha: f32,
    pub(crate) konst: f32,
}
