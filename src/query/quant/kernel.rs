//! Integer dot products of a tile of 16 quantized rows with a quantized query.
use crate::space::quant::{GROUP, GROUP_BYTES, TILE};

/// [`tile_dots`] in plain Rust: products widened to i16 and summed in pairs into i32 lanes.
#[inline(always)]
pub(super) fn tile_dots_portable(tile: &[i8], q: &[i8], groups: usize) -> [i32; TILE] {
    let mut acc = [0i32; TILE];
    for (block, qg) in tile
        .chunks_exact(GROUP_BYTES)
        .zip(q.chunks_exact(GROUP))
        .take(groups)
    {
        for (lane, a) in acc.iter_mut().enumerate() {
            let r = &block[lane * GROUP..lane * GROUP + GROUP];
            let p = |i: usize| i32::from(i16::from(r[i]) * i16::from(qg[i]));
            *a += (p(0) + p(1)) + (p(2) + p(3));
        }
    }
    acc
}

#[cfg(target_arch = "x86_64")]
pub(super) mod avx2 {
    use crate::space::quant::{GROUP_BYTES, TILE};
    use std::arch::x86_64::*;

    /// Integer dot products of a tile's 16 rows with the query (`codes`, `abs`: one word of
    /// 4 codes per group). Rows are given the query's signs (`vpsignb`) so that the unsigned
    /// × signed byte multiply-add (`vpmaddubsw`) applies; its pair sums stay within
    /// 2·127² < 2^15, and `vpmaddwd` adds them into i32 lanes.
    ///
    /// # Safety
    /// The processor must support AVX2; `tile` must hold `groups` groups and `codes`, `abs`
    /// at least `groups` words.
    #[target_feature(enable = "avx2,fma")]
    #[inline]
    pub(in crate::query::quant) unsafe fn tile_dots(
        tile: &[i8],
        codes: &[i32],
        abs: &[i32],
        groups: usize,
    ) -> [i32; TILE] {
        assert!(tile.len() >= groups * GROUP_BYTES && codes.len() >= groups);
        assert!(abs.len() >= groups);
        let ones = _mm256_set1_epi16(1);
        let mut lo = _mm256_setzero_si256();
        let mut hi = _mm256_setzero_si256();
        let p = tile.as_ptr();
        for j in 0..groups {
            let c = _mm256_set1_epi32(*codes.get_unchecked(j));
            let a = _mm256_set1_epi32(*abs.get_unchecked(j));
            // SAFETY: `j < groups` and the length checks above keep both loads in `tile`.
            let r0 = _mm256_loadu_si256(p.add(j * GROUP_BYTES).cast());
            let r1 = _mm256_loadu_si256(p.add(j * GROUP_BYTES + 32).cast());
            let m0 = _mm256_maddubs_epi16(a, _mm256_sign_epi8(r0, c));
            let m1 = _mm256_maddubs_epi16(a, _mm256_sign_epi8(r1, c));
            lo = _mm256_add_epi32(lo, _mm256_madd_epi16(m0, ones));
            hi = _mm256_add_epi32(hi, _mm256_madd_epi16(m1, ones));
        }
        let mut out = [0i32; TILE];
        _mm256_storeu_si256(out.as_mut_ptr().cast(), lo);
        _mm256_storeu_si256(out.as_mut_ptr().add(8).cast(), hi);
        out
    }
}
