//! Pass 1 of the reduced pre-filter over a block of tiles, at each kernel level.
use super::{kernel, level, Lower, Pass1, Scan, AVX2, AVX512, GROUP_BYTES, TILE, VNNI};

/// Integer dot products of the 16 rows of a tile with the query, at kernel level `K`.
#[inline(always)]
fn tile_dots<const K: u8>(tile: &[i8], q: &kernel::Codes, groups: usize) -> [i32; TILE] {
    // `K` is above PORTABLE only in code reached through `simd::run_int8`, which calls the
    // level's pass only after the processor was found to support its features.
    #[cfg(target_arch = "x86_64")]
    {
        if K == VNNI {
            // SAFETY: AVX-512F/BW/VNNI are present (see above).
            return unsafe { kernel::x86::tile_dots_vnni(tile, q, groups) };
        }
        if K == AVX512 {
            // SAFETY: AVX-512F/BW are present (see above).
            return unsafe { kernel::x86::tile_dots_avx512(tile, q, groups) };
        }
        if K == AVX2 {
            // SAFETY: AVX2 is present (see above).
            return unsafe { kernel::x86::tile_dots_avx2(tile, q, groups) };
        }
    }
    kernel::tile_dots_portable(tile, q, groups)
}

/// Pass 1 over `tiles` (whole tiles, the first being tile `first_tile`) at the best level of
/// the processor.
pub(super) fn scan(s: &Scan, tiles: &[i8], first_tile: usize) -> Pass1 {
    scan_at(level(), s, tiles, first_tile)
}

/// Pass 1 at kernel level `lvl` (at most [`level`]; tests compare the levels).
pub(super) fn scan_at(lvl: u8, s: &Scan, tiles: &[i8], first_tile: usize) -> Pass1 {
    super::simd::run_int8(lvl, s, tiles, first_tile)
}

impl super::simd::Int8Pass for Scan<'_> {
    type Out = Pass1;
    #[inline(always)]
    fn run<const K: u8>(&self, tiles: &[i8], first_tile: usize) -> Pass1 {
        scan_groups::<K>(self, tiles, first_tile)
    }
}

/// Specialises the scan for common widths so that the group loop is unrolled.
#[inline(always)]
fn scan_groups<const K: u8>(s: &Scan, tiles: &[i8], first_tile: usize) -> Pass1 {
    match s.red.basis.dims() / super::GROUP {
        8 => scan_tiles::<K>(s, 8, tiles, first_tile),
        12 => scan_tiles::<K>(s, 12, tiles, first_tile),
        16 => scan_tiles::<K>(s, 16, tiles, first_tile),
        g => scan_tiles::<K>(s, g, tiles, first_tile),
    }
}

#[inline(always)]
fn scan_tiles<const K: u8>(s: &Scan, groups: usize, tiles: &[i8], first_tile: usize) -> Pass1 {
    let mut lower = Lower::new(s.k);
    let mut candidates = Vec::new();
    let (sq, alpha, beta, konst) = (s.q.scale, s.q.alpha, s.q.beta, s.q.konst);
    let red = s.red;
    for (t, tile) in tiles.chunks_exact(groups * GROUP_BYTES).enumerate() {
        let base = (first_tile + t) * TILE;
        let dots = tile_dots::<K>(tile, &s.q.codes, groups);
        let threshold = lower.threshold.max(s.shared.get());
        // A bound for the whole tile, with the same operations as the rows' bounds below on
        // larger operands (rounding is monotone; a negative dot gives a score ≤ 0).
        let [smax, emax, rmax] = red.tile_max[first_tile + t];
        let dmax = dots.iter().fold(0, |m, &d| m.max(d));
        if (smax * sq) * dmax as f32 + ((emax * alpha + rmax * beta) + konst) < threshold {
            continue;
        }
        let scale = &red.scale[base..base + TILE];
        let err = &red.err[base..base + TILE];
        let res = &red.res[base..base + TILE];
        for l in 0..TILE.min(s.n.saturating_sub(base)) {
            let a = (scale[l] * sq) * dots[l] as f32;
            let b = (err[l] * alpha + res[l] * beta) + konst;
            let ub = a + b;
            let index = (base + l) as u32;
            if ub >= lower.threshold.max(threshold) && !s.ex.contains(index) {
                let before = lower.threshold;
                lower.offer(a - b);
                if lower.threshold > before {
                    s.shared.raise(lower.threshold);
                }
                // The k-th lower bound never passes this row's upper bound: either its lower
                // bound is among the k largest, or the threshold did not move.
                candidates.push((index, ub));
            }
        }
    }
    Pass1 {
        lower: lower.heap.into_iter().map(|r| r.0 .0).collect(),
        candidates,
    }
}
