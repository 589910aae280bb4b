//! The reduced exact pre-filter: a pass over the principal-direction int8 codes of every row
//! (see [`crate::space::reduced`]), then the few rows that may belong to the top k are
//! scored in f32. The answer is identical to [`super::top_k_exact`]'s.
//!
//! # The bound
//!
//! With `P`, `y = s·c`, `e`, `r`, `ε_G` as in [`crate::space::reduced`], the query `q`
//! projected in f64 and coded the same way (`w = s_q·c_q`), the identities
//! `q·x = (Pq)·(Px) + q·(I − PᵀP)x` and
//! `q·(I − PᵀP)x = ((I − PᵀP)q)·((I − PᵀP)x) + (Pq)ᵀ(I − PPᵀ)(Px)` give
//!
//! `|q·x − w·y| ≤ ‖Pq − w‖·‖y‖ + ‖Pq‖·‖Px − y‖ + ‖ρ_q‖·‖ρ_x‖ + ε_G·‖Pq‖·‖Px‖`
//!
//! (`ρ = (I − PᵀP)·`, Cauchy–Schwarz on the residuals). The f32 kernel's score `x̂` of a row
//! differs from `q·x` by at most `γ_d·‖q‖·‖x‖` (any summation order, with or without FMA), and
//! the pre-filter's `a = fl(fl(s·s_q)·Σ c·c_q)` (the integer sum is exact) from `w·y` by at
//! most `4u·‖w‖·‖y‖`. With the per-row `e ≥ ‖Px − y‖`, `r ≥ ‖ρ_x‖` and the maxima of `‖y‖`,
//! `‖Px‖`, `‖x‖` over the bounded rows: `|x̂ − a| ≤ e·α + r·β + C` with `α ≥ ‖Pq‖`,
//! `β ≥ ‖ρ_q‖` and `C` the sum of the other terms. `α`, `β`, `C` are computed in f64, rounded
//! up and padded by a relative 2^-20, which covers the f32 roundings of `B = e·α + r·β + C`
//! (sums of non-negative terms). `lb = fl(a − B)`, `ub = fl(a + B)` bound `x̂` (rounding is
//! monotone and `x̂` is an f32). As in the int8 pre-filter, `L` is the k-th largest lower
//! bound of the rows searched; only rows with `ub ≥ L` can be in the top k, and they are
//! scored with the exact scan's kernel and ranked by its rule.
use super::{exact_hits, simd, Exclude, Hit};
use crate::query::quant::bounds::{survivors as survivors_of, Lower, Pass1, Shared};
use crate::space::quant::{norm64, quantize, MAX_MAG, MIN_MAG, U};
use crate::space::quant::{GROUP, GROUP_BYTES, TILE};
use crate::space::reduced::{round_up, Reduced};
use crate::space::Space;
use std::sync::atomic::AtomicU32;

pub(crate) mod kernel;
use kernel::Codes;

/// Spaces with at least this many rows and this dimension are searched through it.
pub(crate) const MIN_ROWS: usize = 100_000;
/// See [`MIN_ROWS`]: narrower spaces keep the full int8 pre-filter.
pub(crate) const MIN_DIM: usize = 128;
/// Scans shorter than this (after `limit`) use another path.
const MIN_SCAN: usize = 32 * 1024;
/// Tiles per parallel block (16k rows).
const BLOCK_TILES: usize = 1024;
/// More survivors than `n / MAX_SURVIVORS` and the exact scan is cheaper.
const MAX_SURVIVORS: usize = 20;

/// Kernel levels: those of [`simd`], and AVX-512 VNNI.
pub(crate) const AVX2: u8 = simd::AVX2;
pub(crate) const AVX512: u8 = simd::AVX512;
pub(crate) const VNNI: u8 = simd::VNNI;

/// The kernel level the reduced pre-filter runs at on this processor.
pub(crate) use simd::int8_level as level;

/// A query prepared for one reduced copy.
pub(crate) struct Query {
    pub(crate) codes: Codes,
    scale: f32,
    /// `α`, `β`, `C` of the bound, padded.
    alpha: f32,
    beta: f32,
    konst: f32,
}

/// Codes and bound constants of `q`; `None` when it cannot be bounded (NaN/±∞, zero, or a
/// component outside `[2^-20, 2^20]`): the caller scans exactly.
pub(crate) fn prepare(red: &Reduced, q: &[f32]) -> Option<Query> {
    let qmax = q
        .iter()
        .try_fold(0.0f32, |m, &a| a.is_finite().then(|| m.max(a.abs())))?;
    if !(MIN_MAG..=MAX_MAG).contains(&qmax) {
        return None;
    }
    let basis = &red.basis;
    let p = basis.dims();
    let qn = norm64(q);
    let pq = basis.project64(q);
    let pq32: Vec<f32> = pq.iter().map(|&v| v as f32).collect();
    let mut bytes = vec![0i8; p.div_ceil(GROUP) * GROUP];
    let c = quantize(&pq32, &mut bytes[..p])?;
    let sq = f64::from(c.scale);
    let dq: f64 = pq
        .iter()
        .zip(&bytes)
        .map(|(&v, &b)| (v - sq * f64::from(b)).powi(2))
        .sum::<f64>()
        .sqrt();
    // Slack for the f64 sums of `Px` (d exact products each) and the cancellation below.
    let slack = 1e-7 * qn;
    let pqn = norm64_f64(&pq);
    let alpha = pqn + slack;
    let low = (pqn - slack).max(0.0);
    let beta = (qn * qn - (1.0 - basis.eps_g) * low * low).max(0.0).sqrt() + slack;
    let d = basis.matrix().ncols() as f64;
    let gamma = (d + 2.0) * U / (1.0 - (d + 2.0) * U) * 1.01;
    let (my, mpx, mx) = (
        f64::from(red.max_y),
        f64::from(red.max_px),
        f64::from(red.max_x),
    );
    let konst =
        (dq + slack) * my + basis.eps_g * alpha * mpx + gamma * qn * mx + 4.0 * U * c.norm * my;
    let pad = 1.0 + 1.0 / f64::from(1u32 << 20);
    let tiny = f64::from(f32::MIN_POSITIVE);
    Some(Query {
        codes: Codes::new(bytes),
        scale: c.scale,
        alpha: round_up(alpha.max(tiny) * pad),
        beta: round_up(beta.max(tiny) * pad),
        konst: round_up(konst * pad),
    })
}

fn norm64_f64(v: &[f64]) -> f64 {
    v.iter().map(|x| x * x).sum::<f64>().sqrt()
}

/// What a pass-1 scan needs besides its tiles.
struct Scan<'a> {
    red: &'a Reduced,
    q: &'a Query,
    n: usize,
    k: usize,
    ex: &'a Exclude<'a>,
    /// The largest block threshold so far; never above the final `L`.
    shared: &'a Shared,
}

mod pass;

/// False when `EMBX_PREFILTER=int8` asks for the int8 copy of whole rows instead (for
/// comparisons).
pub(crate) fn enabled() -> bool {
    static ON: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *ON.get_or_init(|| std::env::var("EMBX_PREFILTER").as_deref() != Ok("int8"))
}

/// Whether a top-`k` search over the first `n` rows of `space` may use the reduced copy.
pub(crate) fn applies(space: &Space, n: usize, k: usize) -> bool {
    space.len() >= MIN_ROWS
        && space.dim() >= MIN_DIM
        && space.matrix().pq().is_none()
        && !space.matrix().is_patched()
        && (MIN_SCAN..=space.len()).contains(&n)
        && (1..=n / 64).contains(&k)
}

/// The exact top-k of the first `n` rows through the reduced copy `red`, or `None` when the
/// query cannot be bounded or too many rows survive (the caller then takes another path).
pub(crate) fn top_k(
    space: &Space,
    red: &Reduced,
    query: &[f32],
    n: usize,
    k: usize,
    ex: &Exclude,
    parallel: bool,
) -> Option<Vec<Hit>> {
    let rows = survivors(red, query, n, k, ex, parallel)?;
    Some(exact_hits(space, query, &rows, k))
}

/// The rows whose upper bound reaches `L` (see the module documentation).
pub(crate) fn survivors(
    red: &Reduced,
    query: &[f32],
    n: usize,
    k: usize,
    ex: &Exclude,
    parallel: bool,
) -> Option<Vec<u32>> {
    if k == 0 || n > red.rows || query.len() != red.basis.matrix().ncols() {
        return None;
    }
    let q = prepare(red, query)?;
    let tile_bytes = red.tile_bytes();
    let tiles = &red.codes[..n.div_ceil(TILE) * tile_bytes];
    let shared = Shared(AtomicU32::new(f32::NEG_INFINITY.to_bits()));
    let s = Scan {
        red,
        q: &q,
        n,
        k,
        ex,
        shared: &shared,
    };
    let run = |(b, block): (usize, &[i8])| pass::scan(&s, block, b * BLOCK_TILES);
    let block = BLOCK_TILES * tile_bytes;
    survivors_of(tiles, block, parallel, (k, n / MAX_SURVIVORS), run)
}

/// How many rows the reduced exact pre-filter of [`top_k`](super::top_k) re-scores in f32 for `query` over
/// the whole space (building the reduced copy when needed), or `None` when that pre-filter
/// does not apply: a space that does not suit it, a query it cannot bound, or too many rows
/// left. For tuning and benchmarks.
pub fn prefilter_survivors(
    space: &Space,
    query: &[f32],
    k: usize,
    exclude: &[u32],
) -> Option<usize> {
    let n = space.len();
    if query.len() != space.dim() || !applies(space, n, k) {
        return None;
    }
    let red = space.reduced()?;
    survivors(red, query, n, k, &Exclude::new(exclude), true).map(|r| r.len())
}

#[cfg(test)]
mod tests;
