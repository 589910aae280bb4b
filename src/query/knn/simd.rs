//! The f32 dot-product kernels of the scans and which one runs: AVX-512, AVX2 with FMA, or
//! the portable one, chosen once at run time (`EMBX_KERNEL=portable|avx2|avx512` forces a
//! lower one, for comparisons).
use std::sync::OnceLock;

/// The portable kernel.
pub(crate) const PORTABLE: u8 = 0;
/// AVX2 with FMA.
pub(crate) const AVX2: u8 = 1;
/// AVX-512 (F for the f32 dot; BW and VNNI for the int8 pre-filter, see [`int8_vnni`]).
pub(crate) const AVX512: u8 = 2;

/// The best kernel level this processor runs (capped by `EMBX_KERNEL`).
pub(crate) fn level() -> u8 {
    static LEVEL: OnceLock<u8> = OnceLock::new();
    *LEVEL.get_or_init(|| {
        let cap = match std::env::var("EMBX_KERNEL").as_deref() {
            Ok("portable") => PORTABLE,
            Ok("avx2") => AVX2,
            _ => AVX512,
        };
        detected().min(cap)
    })
}

/// The int8 pre-filters' extra level: AVX-512 with VNNI (`vpdpbusd`).
pub(crate) const VNNI: u8 = 3;

/// The level the int8 pre-filters run at on this processor: [`level`], or [`VNNI`] in
/// place of AVX-512 when the processor has it.
pub(crate) fn int8_level() -> u8 {
    match level() {
        AVX512 if int8_vnni() => VNNI,
        l => l,
    }
}

/// A pass of an int8 pre-filter over whole tiles, its loop compiled once per kernel level
/// `K` (the scorer calls the level's kernels only when `K` says so).
pub(crate) trait Int8Pass {
    /// What the pass keeps.
    type Out;
    /// The pass over `tiles`, the first being tile `first_tile`, at level `K`.
    fn run<const K: u8>(&self, tiles: &[i8], first_tile: usize) -> Self::Out;
}

/// Runs `pass` at level `lvl` (at most [`int8_level`]): inside a function compiled for that
/// level's features, so that its kernels inline with them.
pub(crate) fn run_int8<P: Int8Pass>(lvl: u8, pass: &P, tiles: &[i8], first_tile: usize) -> P::Out {
    let lvl = lvl.min(int8_level());
    #[cfg(target_arch = "x86_64")]
    {
        if lvl == VNNI {
            // SAFETY: the processor supports the features the function is compiled for.
            return unsafe { run_vnni(pass, tiles, first_tile) };
        }
        if lvl == AVX512 {
            // SAFETY: as above.
            return unsafe { run_avx512(pass, tiles, first_tile) };
        }
        if lvl == AVX2 {
            // SAFETY: as above.
            return unsafe { run_avx2(pass, tiles, first_tile) };
        }
    }
    pass.run::<PORTABLE>(tiles, first_tile)
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
unsafe fn run_avx2<P: Int8Pass>(pass: &P, tiles: &[i8], first_tile: usize) -> P::Out {
    pass.run::<AVX2>(tiles, first_tile)
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f,avx512bw,avx2,fma")]
unsafe fn run_avx512<P: Int8Pass>(pass: &P, tiles: &[i8], first_tile: usize) -> P::Out {
    pass.run::<AVX512>(tiles, first_tile)
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f,avx512bw,avx512vnni,avx2,fma")]
unsafe fn run_vnni<P: Int8Pass>(pass: &P, tiles: &[i8], first_tile: usize) -> P::Out {
    pass.run::<VNNI>(tiles, first_tile)
}

/// The best level the processor supports.
pub(crate) fn detected() -> u8 {
    #[cfg(target_arch = "x86_64")]
    {
        if is_x86_feature_detected!("avx512f")
            && is_x86_feature_detected!("avx512bw")
            && is_x86_feature_detected!("fma")
            && is_x86_feature_detected!("avx2")
        {
            return AVX512;
        }
        if is_x86_feature_detected!("avx2") && is_x86_feature_detected!("fma") {
            return AVX2;
        }
    }
    PORTABLE
}

/// True when the int8 pre-filter may use AVX-512 VNNI (`vpdpbusd`) at [`AVX512`] level.
pub(crate) fn int8_vnni() -> bool {
    #[cfg(target_arch = "x86_64")]
    {
        static VNNI: OnceLock<bool> = OnceLock::new();
        *VNNI.get_or_init(|| {
            level() >= AVX512
                && is_x86_feature_detected!("avx512vnni")
                && std::env::var("EMBX_KERNEL").as_deref() != Ok("avx512bw")
        })
    }
    #[cfg(not(target_arch = "x86_64"))]
    false
}

#[cfg(target_arch = "x86_64")]
pub(crate) mod avx2 {
    use std::arch::x86_64::*;

    /// Dot product with 256-bit fused multiply-adds (two accumulators).
    ///
    /// # Safety
    /// The processor must support AVX2 and FMA.
    #[target_feature(enable = "avx2,fma")]
    #[inline]
    pub(crate) unsafe fn dot(a: &[f32], b: &[f32]) -> f32 {
        let n = a.len().min(b.len());
        let (pa, pb) = (a.as_ptr(), b.as_ptr());
        let mut acc0 = _mm256_setzero_ps();
        let mut acc1 = _mm256_setzero_ps();
        let mut i = 0;
        // SAFETY (all loads): `i + 8 <= n` or `i < n` keeps every read inside both slices.
        while i + 16 <= n {
            acc0 = _mm256_fmadd_ps(_mm256_loadu_ps(pa.add(i)), _mm256_loadu_ps(pb.add(i)), acc0);
            acc1 = _mm256_fmadd_ps(
                _mm256_loadu_ps(pa.add(i + 8)),
                _mm256_loadu_ps(pb.add(i + 8)),
                acc1,
            );
            i += 16;
        }
        if i + 8 <= n {
            acc0 = _mm256_fmadd_ps(_mm256_loadu_ps(pa.add(i)), _mm256_loadu_ps(pb.add(i)), acc0);
            i += 8;
        }
        let mut r = hsum(_mm256_add_ps(acc0, acc1));
        while i < n {
            r = (*pa.add(i)).mul_add(*pb.add(i), r);
            i += 1;
        }
        r
    }

    /// The sum of the lanes of `v`.
    #[target_feature(enable = "avx2,fma")]
    #[inline]
    unsafe fn hsum(v: __m256) -> f32 {
        let x = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps::<1>(v));
        let x = _mm_add_ps(x, _mm_movehl_ps(x, x));
        _mm_cvtss_f32(_mm_add_ss(x, _mm_movehdup_ps(x)))
    }
}

#[cfg(target_arch = "x86_64")]
pub(crate) mod avx512 {
    use std::arch::x86_64::*;

    /// Dot product with 512-bit fused multiply-adds (two accumulators) and a masked tail.
    ///
    /// # Safety
    /// The processor must support AVX-512F.
    #[target_feature(enable = "avx512f,avx2,fma")]
    #[inline]
    pub(crate) unsafe fn dot(a: &[f32], b: &[f32]) -> f32 {
        let n = a.len().min(b.len());
        let (pa, pb) = (a.as_ptr(), b.as_ptr());
        let mut acc0 = _mm512_setzero_ps();
        let mut acc1 = _mm512_setzero_ps();
        let mut i = 0;
        // SAFETY (all loads): `i + 32 <= n` or `i + 16 <= n` keeps every read inside both
        // slices, and the masked loads read only the lanes below `n - i`.
        while i + 32 <= n {
            acc0 = _mm512_fmadd_ps(_mm512_loadu_ps(pa.add(i)), _mm512_loadu_ps(pb.add(i)), acc0);
            acc1 = _mm512_fmadd_ps(
                _mm512_loadu_ps(pa.add(i + 16)),
                _mm512_loadu_ps(pb.add(i + 16)),
                acc1,
            );
            i += 32;
        }
        if i + 16 <= n {
            acc0 = _mm512_fmadd_ps(_mm512_loadu_ps(pa.add(i)), _mm512_loadu_ps(pb.add(i)), acc0);
            i += 16;
        }
        if i < n {
            let mask: __mmask16 = ((1u32 << (n - i)) - 1) as __mmask16;
            let x = _mm512_maskz_loadu_ps(mask, pa.add(i));
            let y = _mm512_maskz_loadu_ps(mask, pb.add(i));
            acc1 = _mm512_fmadd_ps(x, y, acc1);
        }
        _mm512_reduce_add_ps(_mm512_add_ps(acc0, acc1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::test_util::XorShift;

    /// Every kernel this processor runs agrees with the portable one on every length.
    #[test]
    fn every_available_dot_agrees_with_the_portable_one() {
        let mut r = XorShift::new(11);
        let a: Vec<f32> = (0..333).map(|_| r.f32()).collect();
        let b: Vec<f32> = (0..333).map(|_| r.f32()).collect();
        let have = detected();
        for n in (0..70).chain([100, 299, 300, 301, 333]) {
            let want = crate::query::dot(&a[..n], &b[..n]);
            let tol = 1e-5 * (1.0 + n as f32).sqrt();
            #[cfg(target_arch = "x86_64")]
            {
                if have >= AVX2 {
                    // SAFETY: AVX2 and FMA were detected.
                    let got = unsafe { avx2::dot(&a[..n], &b[..n]) };
                    assert!((got - want).abs() <= tol, "avx2 n={n}: {got} vs {want}");
                }
                if have >= AVX512 {
                    // SAFETY: AVX-512F was detected.
                    let got = unsafe { avx512::dot(&a[..n], &b[..n]) };
                    assert!((got - want).abs() <= tol, "avx512 n={n}: {got} vs {want}");
                }
            }
            let _ = (have, want, tol);
        }
    }
}
