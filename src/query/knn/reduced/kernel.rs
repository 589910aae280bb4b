//! Integer dot products of a tile of 16 reduced rows with a reduced query, at each kernel
//! level: portable, AVX2, AVX-512BW and AVX-512 VNNI. The projections are narrow (16 to 128
//! codes), so a tile is 4 to 32 groups of 64 bytes and the loops are short.
use crate::space::quant::{GROUP, GROUP_BYTES, TILE};

/// A query's codes in the shapes the kernels read.
pub(crate) struct Codes {
    /// The codes, padded to whole groups.
    pub(crate) bytes: Vec<i8>,
    /// 4 codes to a little-endian word, one word per group.
    pub(crate) words: Vec<i32>,
    /// Their absolute values, likewise.
    pub(crate) abs: Vec<i32>,
    /// The sum of the codes (the VNNI kernel's bias correction).
    pub(crate) sum: i32,
}

impl Codes {
    /// Packs `bytes` (a whole number of groups).
    pub(crate) fn new(bytes: Vec<i8>) -> Codes {
        let word = |b: &[i8]| i32::from_le_bytes([b[0] as u8, b[1] as u8, b[2] as u8, b[3] as u8]);
        let abs: Vec<i8> = bytes.iter().map(|c| c.saturating_abs()).collect();
        Codes {
            words: bytes.chunks_exact(GROUP).map(word).collect(),
            abs: abs.chunks_exact(GROUP).map(word).collect(),
            sum: bytes.iter().map(|&c| i32::from(c)).sum(),
            bytes,
        }
    }
}

/// The dot products in plain Rust.
#[inline(always)]
pub(crate) fn tile_dots_portable(tile: &[i8], q: &Codes, groups: usize) -> [i32; TILE] {
    let mut acc = [0i32; TILE];
    for (block, qg) in tile
        .chunks_exact(GROUP_BYTES)
        .zip(q.bytes.chunks_exact(GROUP))
        .take(groups)
    {
        for (lane, a) in acc.iter_mut().enumerate() {
            let r = &block[lane * GROUP..lane * GROUP + GROUP];
            *a += r
                .iter()
                .zip(qg)
                .map(|(&x, &y)| i32::from(x) * i32::from(y))
                .sum::<i32>();
        }
    }
    acc
}

#[cfg(target_arch = "x86_64")]
pub(crate) mod x86 {
    use super::Codes;
    use crate::space::quant::{GROUP_BYTES, TILE};
    use std::arch::x86_64::*;

    /// AVX2: rows take the query's signs (`vpsignb`), `vpmaddubsw` multiplies them by the
    /// query's absolute values (pair sums ≤ 2·127² < 2^15) and `vpmaddwd` adds into i32 lanes.
    ///
    /// # Safety
    /// The processor must support AVX2.
    #[target_feature(enable = "avx2,fma")]
    #[inline]
    pub(crate) unsafe fn tile_dots_avx2(tile: &[i8], q: &Codes, groups: usize) -> [i32; TILE] {
        assert!(tile.len() >= groups * GROUP_BYTES && q.words.len() >= groups);
        assert!(q.abs.len() >= groups);
        let ones = _mm256_set1_epi16(1);
        let (mut lo, mut hi) = (_mm256_setzero_si256(), _mm256_setzero_si256());
        let p = tile.as_ptr();
        for j in 0..groups {
            let c = _mm256_set1_epi32(q.words[j]);
            let a = _mm256_set1_epi32(q.abs[j]);
            // SAFETY: `j < groups` and the length check above keep both loads in `tile`.
            let (r0, r1) = unsafe {
                (
                    _mm256_loadu_si256(p.add(j * GROUP_BYTES).cast()),
                    _mm256_loadu_si256(p.add(j * GROUP_BYTES + 32).cast()),
                )
            };
            let m0 = _mm256_maddubs_epi16(a, _mm256_sign_epi8(r0, c));
            let m1 = _mm256_maddubs_epi16(a, _mm256_sign_epi8(r1, c));
            lo = _mm256_add_epi32(lo, _mm256_madd_epi16(m0, ones));
            hi = _mm256_add_epi32(hi, _mm256_madd_epi16(m1, ones));
        }
        let mut out = [0i32; TILE];
        // SAFETY: `out` holds 16 i32, two 256-bit stores.
        unsafe {
            _mm256_storeu_si256(out.as_mut_ptr().cast(), lo);
            _mm256_storeu_si256(out.as_mut_ptr().add(8).cast(), hi);
        }
        out
    }

    /// AVX-512BW: one group of the tile is one register; rows take the query's signs by a
    /// masked negation, then `vpmaddubsw` and `vpmaddwd` as with AVX2.
    ///
    /// # Safety
    /// The processor must support AVX-512F and AVX-512BW.
    #[target_feature(enable = "avx512f,avx512bw,avx2,fma")]
    #[inline]
    pub(crate) unsafe fn tile_dots_avx512(tile: &[i8], q: &Codes, groups: usize) -> [i32; TILE] {
        assert!(tile.len() >= groups * GROUP_BYTES && q.words.len() >= groups);
        assert!(q.abs.len() >= groups);
        let ones = _mm512_set1_epi16(1);
        let zero = _mm512_setzero_si512();
        let mut acc = _mm512_setzero_si512();
        let p = tile.as_ptr();
        for j in 0..groups {
            let c = _mm512_set1_epi32(q.words[j]);
            let a = _mm512_set1_epi32(q.abs[j]);
            // SAFETY: `j < groups` and the length check above keep the load in `tile`.
            let r = unsafe { _mm512_loadu_si512(p.add(j * GROUP_BYTES).cast()) };
            let signed = _mm512_mask_sub_epi8(r, _mm512_movepi8_mask(c), zero, r);
            acc = _mm512_add_epi32(
                acc,
                _mm512_madd_epi16(_mm512_maddubs_epi16(a, signed), ones),
            );
        }
        let mut out = [0i32; TILE];
        // SAFETY: `out` holds 16 i32, one 512-bit store.
        unsafe { _mm512_storeu_si512(out.as_mut_ptr().cast(), acc) };
        out
    }

    /// AVX-512 VNNI: `vpdpbusd` adds 4 unsigned × signed byte products into each i32 lane (one
    /// row's group). Rows are made unsigned by flipping their sign bit (`r + 128`) and
    /// `128 · Σ query codes` is subtracted at the end; exact, as no sum nears 2^31.
    ///
    /// # Safety
    /// The processor must support AVX-512F, AVX-512BW and AVX-512 VNNI.
    #[target_feature(enable = "avx512f,avx512bw,avx512vnni,avx2,fma")]
    #[inline]
    pub(crate) unsafe fn tile_dots_vnni(tile: &[i8], q: &Codes, groups: usize) -> [i32; TILE] {
        assert!(tile.len() >= groups * GROUP_BYTES && q.words.len() >= groups);
        let flip = _mm512_set1_epi8(i8::MIN);
        let mut acc = _mm512_setzero_si512();
        let p = tile.as_ptr();
        for j in 0..groups {
            let c = _mm512_set1_epi32(q.words[j]);
            // SAFETY: `j < groups` and the length check above keep the load in `tile`.
            let r = unsafe { _mm512_loadu_si512(p.add(j * GROUP_BYTES).cast()) };
            acc = _mm512_dpbusd_epi32(acc, _mm512_xor_si512(r, flip), c);
        }
        acc = _mm512_sub_epi32(acc, _mm512_set1_epi32(q.sum.wrapping_mul(128)));
        let mut out = [0i32; TILE];
        // SAFETY: `out` holds 16 i32, one 512-bit store.
        unsafe { _mm512_storeu_si512(out.as_mut_ptr().cast(), acc) };
        out
    }
}
