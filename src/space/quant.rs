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
use super::store::Store;
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
pub(crate) const MIN_MAG: f32 = 1.0 / (1u32 << 20) as f32;
/// See [`MIN_MAG`].
pub(crate) const MAX_MAG: f32 = (1u32 << 20) as f32;
/// Unit roundoff of f32.
pub(crate) const U: f64 = f32::EPSILON as f64 / 2.0;

/// The int8 copy of a matrix; see the module documentation.
pub(crate) struct Quantized {
    pub(crate) rows: usize,
    pub(crate) dim: usize,
    pub(crate) groups: usize,
    /// Tile after tile, `groups * GROUP_BYTES` bytes each.
    pub(crate) codes: Store<i8>,
    /// Per row (padded to whole tiles): the scale `s` (0 for zero and unbounded rows).
    pub(crate) scale: Store<f32>,
    /// Per row: the error bound `e` (+∞ for unbounded rows).
    pub(crate) err: Store<f32>,
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

/// Rounds a non-negative `x` up to an f32 (after padding it by 1e-9 relative).
fn round_up(x: f64) -> f32 {
    pad_up(x, 1e-9)
}

/// Rounds a non-negative `x` up to an f32 after padding it by `rel` relative.
pub(crate) fn pad_up(x: f64, rel: f64) -> f32 {
    let x = x * (1.0 + rel);
    let f = x as f32;
    if f64::from(f) >= x || f.is_infinite() {
        f
    } else {
        f32::from_bits(f.to_bits() + 1)
    }
}

/// The largest magnitude of `v`'s components, or `None` when one is NaN or ±∞. (The bits of
/// non-negative floats, infinity and NaN included, sort as their values do.)
#[inline]
pub(crate) fn max_abs(v: &[f32]) -> Option<f32> {
    let bits = v.iter().fold(0u32, |m, x| m.max(x.to_bits() & 0x7fff_ffff));
    (bits < f32::INFINITY.to_bits()).then(|| f32::from_bits(bits))
}

/// Adding and then subtracting 1.5 · 2^52 rounds an f64 of magnitude below 2^51 to the nearest
/// integer (ties to even): the sum keeps no fraction bits. Unlike `round`, it is two additions
/// in any SIMD width. (Rust's f64 arithmetic is IEEE binary64, so the result is an integer and
/// the code stored is exactly the `q` the norms are measured from.)
const ROUNDER: f64 = 6_755_399_441_055_744.0;

/// Lanes of the f64 sums (independent accumulators, so the sums do not wait on each other).
const LANES: usize = 8;

/// A quantized vector; the norms are in f64, not yet rounded.
pub(crate) struct Coded {
    pub(crate) scale: f32,
    /// `‖v − s·c‖`.
    pub(crate) err: f64,
    /// `‖s·c‖`.
    pub(crate) norm: f64,
}

/// Quantizes `v` into `codes` (same length): `s = max|v_i| / 127` and `c_i` the integer
/// nearest `v_i / s` (computed in f64, clamped to ±127; the bounds hold for any codes, since
/// `e` is measured from the codes chosen). `None` when `v` holds NaN/±∞ or its largest
/// magnitude is nonzero but outside `[MIN_MAG, MAX_MAG]`; `codes` are then all zero. The
/// f64 sums are taken in lanes, in an order of no consequence: their rounding is far below
/// the callers' padding.
pub(crate) fn quantize(v: &[f32], codes: &mut [i8]) -> Option<Coded> {
    codes.fill(0);
    let max = max_abs(v)?;
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
    let inv = 1.0 / sd;
    let code = |x: f32| {
        let q = ((f64::from(x) * inv).clamp(-127.0, 127.0) + ROUNDER) - ROUNDER;
        let y = sd * q;
        (q as i8, f64::from(x) - y, y)
    };
    let (mut e2, mut n2) = ([0.0f64; LANES], [0.0f64; LANES]);
    let mut cs = codes.chunks_exact_mut(LANES);
    let mut xs = v.chunks_exact(LANES);
    for (c, x) in (&mut cs).zip(&mut xs) {
        for l in 0..LANES {
            let (q, d, y) = code(x[l]);
            c[l] = q;
            e2[l] += d * d;
            n2[l] += y * y;
        }
    }
    for (c, &x) in cs.into_remainder().iter_mut().zip(xs.remainder()) {
        let (q, d, y) = code(x);
        *c = q;
        e2[0] += d * d;
        n2[0] += y * y;
    }
    Some(Coded {
        scale: s,
        err: e2.iter().sum::<f64>().sqrt(),
        norm: n2.iter().sum::<f64>().sqrt(),
    })
}

/// The f64 norm of an f32 vector, summed in lanes (products of f32 are exact in f64; the
/// order of the sum changes it by far less than any padding applied to it).
pub(crate) fn norm64(v: &[f32]) -> f64 {
    let mut acc = [0.0f64; LANES];
    let mut xs = v.chunks_exact(LANES);
    for x in &mut xs {
        for l in 0..LANES {
            acc[l] += f64::from(x[l]) * f64::from(x[l]);
        }
    }
    for &x in xs.remainder() {
        acc[0] += f64::from(x) * f64::from(x);
    }
    acc.iter().sum::<f64>().sqrt()
}

/// Writes one row's codes into lane `lane` of a tile (see the layout above).
#[inline]
pub(crate) fn put_in_tile(tile: &mut [i8], lane: usize, codes: &[i8]) {
    for (g, four) in codes.chunks(GROUP).enumerate() {
        tile[g * GROUP_BYTES + lane * GROUP..][..four.len()].copy_from_slice(four);
    }
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
        const CHUNK: usize = 256; // tiles per parallel task
        let max_norm = codes
            .par_chunks_mut((CHUNK * tile_bytes).max(1))
            .zip(scale.par_chunks_mut(CHUNK * TILE))
            .zip(err.par_chunks_mut(CHUNK * TILE))
            .enumerate()
            .map(|(chunk, ((codes, scale), err))| {
                let mut row_codes = vec![0i8; dim];
                let mut max_norm = 0.0f32;
                // The chunk's rows, read where they are or decoded (see `Matrix::block`).
                let first = chunk * CHUNK * TILE;
                let mut buf = Vec::new();
                let data = m.block(first, first + CHUNK * TILE, &mut buf);
                for t in 0..scale.len() / TILE {
                    let tile = &mut codes[t * tile_bytes..(t + 1) * tile_bytes];
                    for lane in 0..TILE {
                        let row = (chunk * CHUNK + t) * TILE + lane;
                        if row >= rows {
                            break;
                        }
                        let (s, e) =
                            match quantize(&data[(row - first) * dim..][..dim], &mut row_codes) {
                                Some(c) => {
                                    max_norm = max_norm.max(round_up(c.norm));
                                    (c.scale, round_up(c.err))
                                }
                                None => (0.0, f32::INFINITY),
                            };
                        scale[t * TILE + lane] = s;
                        err[t * TILE + lane] = e;
                        put_in_tile(tile, lane, &row_codes);
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
            codes: codes.into(),
            scale: scale.into(),
            err: err.into(),
            tile_max,
            max_norm,
        }
    }

    /// A copy from its parts (read back from a file); the per-tile maxima are recomputed.
    pub(crate) fn from_parts(
        (rows, dim): (usize, usize),
        codes: Store<i8>,
        scale: Store<f32>,
        err: Store<f32>,
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
        self.codes.heap_bytes()
            + self.scale.heap_bytes()
            + self.err.heap_bytes()
            + std::mem::size_of_val(self.tile_max.as_slice())
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
        let eq = f64::from(round_up(c.err));
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_the_nearest_integers_and_the_norms_are_measured_from_them() {
        let v: Vec<f32> = (0..37)
            .map(|i| ((i * 7919) % 101) as f32 / 13.0 - 3.9)
            .collect();
        let mut codes = vec![0i8; v.len()];
        let c = quantize(&v, &mut codes).unwrap();
        let max = v.iter().fold(0.0f32, |m, x| m.max(x.abs()));
        assert_eq!(c.scale, (f64::from(max) / 127.0) as f32);
        let s = f64::from(c.scale);
        let (mut e2, mut n2) = (0.0f64, 0.0f64);
        for (&q, &x) in codes.iter().zip(&v) {
            let t = f64::from(x) / s;
            assert!((f64::from(q) - t).abs() <= 0.5 + 1e-9, "{q} for {t}");
            e2 += (f64::from(x) - s * f64::from(q)).powi(2);
            n2 += (s * f64::from(q)).powi(2);
        }
        assert!((c.err - e2.sqrt()).abs() <= 1e-12 * (1.0 + e2.sqrt()));
        assert!((c.norm - n2.sqrt()).abs() <= 1e-12 * n2.sqrt());
        let serial = v.iter().map(|&x| f64::from(x).powi(2)).sum::<f64>().sqrt();
        assert!((norm64(&v) - serial).abs() <= 1e-13 * serial);
    }

    #[test]
    fn non_finite_zero_and_out_of_range_vectors() {
        let mut codes = [1i8; 3];
        assert!(quantize(&[1.0, f32::NAN, 0.5], &mut codes).is_none());
        assert_eq!(codes, [0; 3]);
        assert!(quantize(&[1.0, f32::NEG_INFINITY, 0.5], &mut codes).is_none());
        assert!(quantize(&[MAX_MAG * 2.0, 0.0, 0.0], &mut codes).is_none());
        assert!(quantize(&[MIN_MAG / 2.0, 0.0, 0.0], &mut codes).is_none());
        let zero = quantize(&[0.0, -0.0, 0.0], &mut codes).unwrap();
        assert_eq!((zero.scale, zero.err, zero.norm), (0.0, 0.0, 0.0));
        assert_eq!(max_abs(&[-3.0, 2.0, -0.0]), Some(3.0));
        assert_eq!(max_abs(&[1.0, f32::INFINITY]), None);
        assert_eq!(max_abs(&[]), Some(0.0));
    }

    #[test]
    fn rows_land_in_their_lane_of_each_group() {
        let mut tile = vec![0i8; 2 * GROUP_BYTES];
        let codes: Vec<i8> = (1..=6).collect();
        put_in_tile(&mut tile, 3, &codes);
        assert_eq!(&tile[3 * GROUP..4 * GROUP], &[1, 2, 3, 4]);
        assert_eq!(&tile[GROUP_BYTES + 3 * GROUP..][..GROUP], &[5, 6, 0, 0]);
        assert_eq!(tile.iter().filter(|&&c| c != 0).count(), 6);
    }
}
