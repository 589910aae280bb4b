//! The f32 dot product of the scans: portable, and through the processor's kernels.
use super::simd;

/// Dot product of two slices (the shorter length is used), written with eight independent
/// accumulators so that the compiler turns it into SIMD code.
#[inline]
pub fn dot(a: &[f32], b: &[f32]) -> f32 {
    let n = a.len().min(b.len());
    let (a, b) = (&a[..n], &b[..n]);
    let ca = a.chunks_exact(8);
    let cb = b.chunks_exact(8);
    let tail: f32 = ca
        .remainder()
        .iter()
        .zip(cb.remainder())
        .map(|(x, y)| x * y)
        .sum();
    let mut acc = [0.0f32; 8];
    for (x, y) in ca.zip(cb) {
        for j in 0..8 {
            acc[j] += x[j] * y[j];
        }
    }
    ((acc[0] + acc[4]) + (acc[1] + acc[5])) + ((acc[2] + acc[6]) + (acc[3] + acc[7])) + tail
}

/// [`dot`] through the best kernel of the processor (AVX-512 or AVX2/FMA, detected at run
/// time; the portable [`dot`] otherwise), for callers that score rows one at a time (the
/// index's graph walks).
#[inline]
pub fn dot_fast(a: &[f32], b: &[f32]) -> f32 {
    #[cfg(target_arch = "x86_64")]
    {
        let level = simd::level();
        if level == simd::AVX512 {
            // SAFETY: the processor supports the features the kernel is compiled for.
            return unsafe { simd::avx512::dot(a, b) };
        }
        if level == simd::AVX2 {
            // SAFETY: as above.
            return unsafe { simd::avx2::dot(a, b) };
        }
    }
    dot(a, b)
}

/// The dot product used by scans at kernel level `K` (see [`simd`]): only inside functions
/// compiled for that level's features (see [`scan_block`]) are the explicit kernels used.
#[inline(always)]
pub(crate) fn dot_impl<const K: u8>(a: &[f32], b: &[f32]) -> f32 {
    #[cfg(target_arch = "x86_64")]
    {
        if K == simd::AVX512 {
            // SAFETY: `K` is AVX512 only in code reached through `scan_block_avx512` or
            // `exact_hits_avx512`, which run after the processor was found to support it.
            return unsafe { simd::avx512::dot(a, b) };
        }
        if K == simd::AVX2 {
            // SAFETY: likewise for AVX2 and FMA.
            return unsafe { simd::avx2::dot(a, b) };
        }
    }
    dot(a, b)
}
