//! An exact int8 pre-filter for top-k dot-product search.
//!
//! Scanning 400,000 × 50 f32 rows reads 80 MB per query and is memory-bound. This module keeps
//! a second, int8 copy of the matrix (a quarter of the bytes) and answers a top-k query in two
//! passes:
//!
//! 1. every row gets an approximate score `a_r` from the int8 codes and a rigorous error bound
//!    `B_r`, so that the exact f32 score lies in `[a_r − B_r, a_r + B_r]`. `L`, the k-th
//!    largest lower bound, is a score that at least k rows reach; a row whose upper bound is
//!    below `L` cannot be in the top k;
//! 2. the few remaining candidates are scored with the same f32 kernel as the exact scan and
//!    ranked with the same rule, so the result is identical to
//!    [`top_k_exact`](super::top_k_exact): same rows, same order, same f32 scores.
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
use super::knn::{exact_hits, simd, Exclude, Hit};
use crate::space::quant::{Quantized, Query, GROUP_BYTES, MAX_DIM, TILE};
use crate::space::Space;

pub(crate) mod bounds;
mod kernel;

use bounds::{survivors, Lower, Pass1, Shared};
use std::sync::atomic::AtomicU32;

/// Spaces with at least this many rows are searched through the pre-filter.
pub(crate) const MIN_ROWS: usize = 100_000;
/// Scans shorter than this (after `limit`) use the exact path.
const MIN_SCAN: usize = 32 * 1024;
/// Tiles per parallel block (16k rows).
const BLOCK_TILES: usize = 1024;

/// Kernel levels of the pre-filter: those of [`simd`], and AVX-512 VNNI.
const AVX2: u8 = simd::AVX2;
const AVX512: u8 = simd::AVX512;
const VNNI: u8 = simd::VNNI;

/// Integer dot products of the 16 rows of a tile with the query, at kernel level `K`.
#[inline(always)]
fn tile_dots<const K: u8>(tile: &[i8], q: &Query, groups: usize) -> [i32; TILE] {
    // `K` is above PORTABLE only in code reached through `simd::run_int8`, which calls the
    // level's pass only after the processor was found to support its features.
    #[cfg(target_arch = "x86_64")]
    {
        if K == VNNI {
            // SAFETY: AVX-512F/BW/VNNI are present (see above).
            return unsafe { kernel::avx512::tile_dots_vnni(tile, &q.codes, q.sum, groups) };
        }
        if K == AVX512 {
            // SAFETY: AVX-512F/BW are present (see above).
            return unsafe { kernel::avx512::tile_dots(tile, &q.codes, &q.abs, groups) };
        }
        if K == AVX2 {
            // SAFETY: AVX2 and FMA are present (see above).
            return unsafe { kernel::avx2::tile_dots(tile, &q.codes, &q.abs, groups) };
        }
    }
    kernel::tile_dots_portable(tile, &q.bytes, groups)
}

/// What a pass-1 scan needs besides its tiles.
struct Scan<'a> {
    quant: &'a Quantized,
    q: &'a Query,
    /// Rows at or past `n` are not scanned.
    n: usize,
    k: usize,
    ex: &'a Exclude<'a>,
    shared: &'a Shared,
}

/// Pass 1 over `tiles` (a whole number of tiles, the first being tile `first_tile`), at the
/// processor's best level.
fn scan(s: &Scan, tiles: &[i8], first_tile: usize) -> Pass1 {
    simd::run_int8(simd::int8_level(), s, tiles, first_tile)
}

impl simd::Int8Pass for Scan<'_> {
    type Out = Pass1;
    #[inline(always)]
    fn run<const K: u8>(&self, tiles: &[i8], first_tile: usize) -> Pass1 {
        scan_groups::<K>(self, tiles, first_tile)
    }
}

/// Specialises the scan for common widths so that the group loop is unrolled.
#[inline(always)]
fn scan_groups<const K: u8>(s: &Scan, tiles: &[i8], first_tile: usize) -> Pass1 {
    match s.quant.groups {
        13 => scan_tiles::<K>(s, 13, tiles, first_tile),
        25 => scan_tiles::<K>(s, 25, tiles, first_tile),
        50 => scan_tiles::<K>(s, 50, tiles, first_tile),
        75 => scan_tiles::<K>(s, 75, tiles, first_tile),
        g => scan_tiles::<K>(s, g, tiles, first_tile),
    }
}

#[inline(always)]
fn scan_tiles<const K: u8>(s: &Scan, groups: usize, tiles: &[i8], first_tile: usize) -> Pass1 {
    let mut lower = Lower::new(s.k);
    let mut candidates = Vec::new();
    let (sq, alpha, konst) = (s.q.scale, s.q.alpha, s.q.konst);
    for (t, tile) in tiles.chunks_exact(groups * GROUP_BYTES).enumerate() {
        let base = (first_tile + t) * TILE;
        let dots = tile_dots::<K>(tile, s.q, groups);
        let threshold = lower.threshold.max(s.shared.get());
        // A bound for the whole tile from its largest scale, error and dot product, computed
        // with the same operations as the rows' bounds below: rounding is monotone, so it is
        // at least every row's `ub`. Most tiles stop here without reading the per-row data.
        let (smax, emax) = s.quant.tile_max[first_tile + t];
        let dmax = dots.iter().fold(0, |m, &d| m.max(d));
        if (smax * sq) * dmax as f32 + (emax * alpha + konst) < threshold {
            continue;
        }
        let scale = &s.quant.scale[base..base + TILE];
        let err = &s.quant.err[base..base + TILE];
        let mut ub = [0.0f32; TILE];
        let mut lb = [0.0f32; TILE];
        for l in 0..TILE {
            let a = (scale[l] * sq) * dots[l] as f32;
            let b = err[l] * alpha + konst;
            ub[l] = a + b;
            lb[l] = a - b;
        }
        let mut any = false;
        for &u in &ub {
            any |= u >= threshold;
        }
        if !any {
            continue;
        }
        for l in 0..TILE.min(s.n.saturating_sub(base)) {
            let index = (base + l) as u32;
            if ub[l] >= lower.threshold.max(threshold) && !s.ex.contains(index) {
                let before = lower.threshold;
                lower.offer(lb[l]);
                if lower.threshold > before {
                    s.shared.raise(lower.threshold);
                }
                // The k-th lower bound never passes this row's upper bound: either its lower
                // bound is among the k largest, or the threshold did not move.
                candidates.push((index, ub[l]));
            }
        }
    }
    Pass1 {
        lower: lower.heap.into_iter().map(|r| r.0 .0).collect(),
        candidates,
    }
}

/// Whether a top-`k` search over the first `n` rows of `space` goes through the pre-filter.
pub(crate) fn applies(space: &Space, n: usize, k: usize) -> bool {
    space.len() >= MIN_ROWS
        && space.matrix().pq().is_none()
        && (MIN_SCAN..=space.len()).contains(&n)
        && (1..=MAX_DIM).contains(&space.dim())
        && (1..=n / 64).contains(&k)
}

/// The exact top-k of the first `n` rows (see [`super::top_k_exact`]) through the pre-filter,
/// or `None` when it does not apply (small space or scan, non-finite or extreme query, `k`
/// too large) or finds too many candidates; the caller then scans exactly.
pub(crate) fn top_k(
    space: &Space,
    query: &[f32],
    n: usize,
    k: usize,
    ex: &Exclude,
    parallel: bool,
) -> Option<Vec<Hit>> {
    if !applies(space, n, k) {
        return None;
    }
    let quant = space.quantized();
    debug_assert_eq!((quant.rows, quant.dim), (space.len(), space.dim()));
    let q = quant.prepare(query)?;
    let tile_bytes = quant.tile_bytes();
    let tiles = &quant.codes[..n.div_ceil(TILE) * tile_bytes];
    let shared = Shared(AtomicU32::new(f32::NEG_INFINITY.to_bits()));
    let s = Scan {
        quant,
        q: &q,
        n,
        k,
        ex,
        shared: &shared,
    };
    let run = |(b, block): (usize, &[i8])| scan(&s, block, b * BLOCK_TILES);
    let block = BLOCK_TILES * tile_bytes;
    let rows = survivors(tiles, block, parallel, (k, n / 20), run)?;
    Some(exact_hits(space, query, &rows, k))
}

/// Candidate counts and bounds, for tests and tuning.
#[cfg(test)]
pub(crate) fn candidates(space: &Space, query: &[f32], k: usize) -> Option<usize> {
    let ex = Exclude::new(&[]);
    let quant = space.quantized();
    let q = quant.prepare(query)?;
    let n = space.len();
    let shared = Shared(AtomicU32::new(f32::NEG_INFINITY.to_bits()));
    let s = Scan {
        quant,
        q: &q,
        n,
        k,
        ex: &ex,
        shared: &shared,
    };
    let p = scan(&s, &quant.codes, 0);
    let mut lower = p.lower;
    lower.sort_by(|a, b| b.total_cmp(a));
    let l = *lower.get(k - 1)?;
    Some(p.candidates.iter().filter(|c| c.1 >= l).count())
}

#[cfg(test)]
mod tests;
