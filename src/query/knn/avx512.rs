//! The AVX-512 f32 dot product, chosen at run time by [`super::dot_fast`].
use std::arch::x86_64::*;

/// Dot product with 512-bit fused multiply-adds (two accumulators) and a masked tail.
///
/// # Safety
/// The processor must support AVX-512F.
#[target_feature(enable = "avx512f")]
pub(super) unsafe fn dot(a: &[f32], b: &[f32]) -> f32 {
    let n = a.len().min(b.len());
    let (pa, pb) = (a.as_ptr(), b.as_ptr());
    let mut acc0 = _mm512_setzero_ps();
    let mut acc1 = _mm512_setzero_ps();
    let mut i = 0;
    // SAFETY (all loads): `i + 32 <= n` or `i + 16 <= n` keeps every read inside both slices,
    // and the masked loads read only the lanes below `n - i`.
    unsafe {
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
            let mask: __mmask16 = (1u32 << (n - i)).wrapping_sub(1) as __mmask16;
            let x = _mm512_maskz_loadu_ps(mask, pa.add(i));
            let y = _mm512_maskz_loadu_ps(mask, pb.add(i));
            acc1 = _mm512_fmadd_ps(x, y, acc1);
        }
    }
    _mm512_reduce_add_ps(_mm512_add_ps(acc0, acc1))
}

#[cfg(test)]
mod tests {
    use crate::query::dot;

    #[test]
    fn agrees_with_the_portable_dot() {
        if !is_x86_feature_detected!("avx512f") {
            return; // nothing to compare on this processor
        }
        let a: Vec<f32> = (0..333)
            .map(|i| ((i * 37 % 101) as f32 - 50.0) / 17.0)
            .collect();
        let b: Vec<f32> = (0..333)
            .map(|i| ((i * 53 % 89) as f32 - 44.0) / 13.0)
            .collect();
        for n in [0, 1, 15, 16, 17, 31, 32, 33, 50, 300, 333] {
            // SAFETY: the processor supports AVX-512F (checked above).
            let fast = unsafe { super::dot(&a[..n], &b[..n]) };
            let slow = dot(&a[..n], &b[..n]);
            assert!(
                (fast - slow).abs() <= 1e-4 * (1.0 + slow.abs()),
                "{n}: {fast} vs {slow}"
            );
        }
    }
}
