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

#[cfg(target_arch = "x86_64")]
pub(super) mod avx512 {
    use crate::space::quant::{GROUP_BYTES, TILE};
    use std::arch::x86_64::*;

    /// [`super::avx2::tile_dots`] with 512-bit registers (AVX-512BW): one group of the tile
    /// (16 rows × 4 codes) is one register. Rows take the query's signs through a masked
    /// negation (AVX-512 has no `vpsignb`; where the query code is 0 its absolute value is 0
    /// too), then `vpmaddubsw` and `vpmaddwd` as in the AVX2 kernel.
    ///
    /// # Safety
    /// The processor must support AVX-512F and AVX-512BW; `tile` must hold `groups` groups
    /// and `codes`, `abs` at least `groups` words.
    #[target_feature(enable = "avx512f,avx512bw,avx2,fma")]
    #[inline]
    pub(in crate::query::quant) unsafe fn tile_dots(
        tile: &[i8],
        codes: &[i32],
        abs: &[i32],
        groups: usize,
    ) -> [i32; TILE] {
        assert!(tile.len() >= groups * GROUP_BYTES && codes.len() >= groups);
        assert!(abs.len() >= groups);
        let ones = _mm512_set1_epi16(1);
        let zero = _mm512_setzero_si512();
        let mut acc = _mm512_setzero_si512();
        let p = tile.as_ptr();
        for j in 0..groups {
            let c = _mm512_set1_epi32(*codes.get_unchecked(j));
            let a = _mm512_set1_epi32(*abs.get_unchecked(j));
            // SAFETY: `j < groups` and the length checks above keep the load in `tile`.
            let r = _mm512_loadu_si512(p.add(j * GROUP_BYTES).cast());
            let signed = _mm512_mask_sub_epi8(r, _mm512_movepi8_mask(c), zero, r);
            let m = _mm512_maddubs_epi16(a, signed);
            acc = _mm512_add_epi32(acc, _mm512_madd_epi16(m, ones));
        }
        let mut out = [0i32; TILE];
        _mm512_storeu_si512(out.as_mut_ptr().cast(), acc);
        out
    }

    /// The same dot products with AVX-512 VNNI: `vpdpbusd` multiplies unsigned by signed
    /// bytes and adds each 4 products into an i32 lane, which is exactly one row's group.
    /// The rows are made unsigned by flipping their sign bit (`r + 128`), and
    /// `128 · Σ query codes` is subtracted at the end. Exact: every partial sum is at most
    /// `255 · 127 · d < 2^31` for `d ≤ 65,536`, and `vpdpbusd` does not saturate.
    ///
    /// # Safety
    /// The processor must support AVX-512F, AVX-512BW and AVX-512 VNNI; `tile` must hold
    /// `groups` groups and `codes` at least `groups` words.
    #[target_feature(enable = "avx512f,avx512bw,avx512vnni,avx2,fma")]
    #[inline]
    pub(in crate::query::quant) unsafe fn tile_dots_vnni(
        tile: &[i8],
        codes: &[i32],
        sum: i32,
        groups: usize,
    ) -> [i32; TILE] {
        assert!(tile.len() >= groups * GROUP_BYTES && codes.len() >= groups);
        let flip = _mm512_set1_epi8(i8::MIN);
        let mut acc = _mm512_setzero_si512();
        let p = tile.as_ptr();
        for j in 0..groups {
            let c = _mm512_set1_epi32(*codes.get_unchecked(j));
            // SAFETY: `j < groups` and the length check above keep the load in `tile`.
            let r = _mm512_loadu_si512(p.add(j * GROUP_BYTES).cast());
            acc = _mm512_dpbusd_epi32(acc, _mm512_xor_si512(r, flip), c);
        }
        acc = _mm512_sub_epi32(acc, _mm512_set1_epi32(sum.wrapping_mul(128)));
        let mut out = [0i32; TILE];
        _mm512_storeu_si512(out.as_mut_ptr().cast(), acc);
        out
    }
}
