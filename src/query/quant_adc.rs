//! The asymmetric-distance score of a PQ row, Σ_j tables[j][code_j]: portable code, and AVX2
//! or AVX-512 code that loads 8 or 16 codes at once, widens them to table offsets and gathers
//! the table entries (`vpgatherdps`), chosen once at run time like the exact scans' kernels
//! (`EMBX_KERNEL` caps the level). The sums are the same up to their rounding order.
use crate::query::knn::simd;

/// The table score of one row (`codes.len() <= tables.len()`).
#[inline]
pub(super) fn adc(tables: &[[f32; 256]], codes: &[u8]) -> f32 {
    #[cfg(target_arch = "x86_64")]
    if codes.len() <= tables.len() {
        let level = simd::level();
        if level >= simd::AVX512 {
            // SAFETY: the processor has AVX-512F (level), and every code is below 256 with
            // codes.len() <= tables.len(), so each gathered offset j·256 + code is in tables.
            return unsafe { x86::adc_avx512(tables, codes) };
        }
        if level >= simd::AVX2 {
            // SAFETY: as above, with AVX2.
            return unsafe { x86::adc_avx2(tables, codes) };
        }
    }
    adc_portable(tables, codes)
}

/// [`adc`] in portable code, with four accumulators.
pub(super) fn adc_portable(tables: &[[f32; 256]], codes: &[u8]) -> f32 {
    let mut acc = [0f32; 4];
    let tc = tables.chunks_exact(4);
    let cc = codes.chunks_exact(4);
    let tail: f32 = tc
        .remainder()
        .iter()
        .zip(cc.remainder())
        .map(|(t, &c)| t[usize::from(c)])
        .sum();
    for (t, c) in tc.zip(cc) {
        for j in 0..4 {
            acc[j] += t[j][usize::from(c[j])];
        }
    }
    (acc[0] + acc[1]) + (acc[2] + acc[3]) + tail
}

#[cfg(target_arch = "x86_64")]
pub(super) mod x86 {
    use std::arch::x86_64::*;

    /// [`super::adc`] with 8-wide gathers.
    ///
    /// # Safety
    /// AVX2 is supported and `codes.len() <= tables.len()`.
    #[target_feature(enable = "avx2")]
    pub(crate) unsafe fn adc_avx2(tables: &[[f32; 256]], codes: &[u8]) -> f32 {
        let base = tables.as_ptr().cast::<f32>();
        let mut acc = _mm256_setzero_ps();
        let mut offsets = _mm256_setr_epi32(0, 256, 512, 768, 1024, 1280, 1536, 1792);
        let step = _mm256_set1_epi32(8 * 256);
        let chunks = codes.chunks_exact(8);
        let tail = chunks.remainder();
        for chunk in chunks {
            // SAFETY: chunk holds 8 bytes; the offsets j·256 + code stay inside tables
            // (j < codes.len() <= tables.len(), code < 256).
            unsafe {
                let c = _mm_loadl_epi64(chunk.as_ptr().cast());
                let idx = _mm256_add_epi32(_mm256_cvtepu8_epi32(c), offsets);
                acc = _mm256_add_ps(acc, _mm256_i32gather_ps::<4>(base, idx));
            }
            offsets = _mm256_add_epi32(offsets, step);
        }
        let mut lanes = [0f32; 8];
        // SAFETY: lanes holds 8 f32.
        unsafe { _mm256_storeu_ps(lanes.as_mut_ptr(), acc) };
        let first = codes.len() - tail.len();
        let rest: f32 = tail
            .iter()
            .zip(&tables[first..])
            .map(|(&c, t)| t[usize::from(c)])
            .sum();
        lanes.iter().sum::<f32>() + rest
    }

    /// [`super::adc`] with 16-wide gathers.
    ///
    /// # Safety
    /// AVX-512F is supported and `codes.len() <= tables.len()`.
    #[target_feature(enable = "avx512f")]
    pub(crate) unsafe fn adc_avx512(tables: &[[f32; 256]], codes: &[u8]) -> f32 {
        let base = tables.as_ptr().cast::<f32>();
        let mut acc = _mm512_setzero_ps();
        let lane = _mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
        let mut offsets = _mm512_mullo_epi32(lane, _mm512_set1_epi32(256));
        let step = _mm512_set1_epi32(16 * 256);
        let chunks = codes.chunks_exact(16);
        let tail = chunks.remainder();
        for chunk in chunks {
            // SAFETY: chunk holds 16 bytes; the offsets j·256 + code stay inside tables
            // (j < codes.len() <= tables.len(), code < 256).
            unsafe {
                let c = _mm_loadu_si128(chunk.as_ptr().cast());
                let idx = _mm512_add_epi32(_mm512_cvtepu8_epi32(c), offsets);
                acc = _mm512_add_ps(acc, _mm512_i32gather_ps::<4>(idx, base));
            }
            offsets = _mm512_add_epi32(offsets, step);
        }
        let first = codes.len() - tail.len();
        let rest: f32 = tail
            .iter()
            .zip(&tables[first..])
            .map(|(&c, t)| t[usize::from(c)])
            .sum();
        _mm512_reduce_add_ps(acc) + rest
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::test_util::XorShift;

    #[test]
    fn every_variant_sums_the_tables_like_the_portable_one() {
        let mut r = XorShift::new(9);
        for m in [1usize, 5, 8, 15, 16, 17, 50, 150, 151] {
            let tables: Vec<[f32; 256]> =
                (0..m).map(|_| std::array::from_fn(|_| r.f32())).collect();
            for _ in 0..50 {
                let codes: Vec<u8> = (0..m).map(|_| r.below(256) as u8).collect();
                let exact: f64 = codes
                    .iter()
                    .enumerate()
                    .map(|(j, &c)| f64::from(tables[j][usize::from(c)]))
                    .sum();
                let want = adc_portable(&tables, &codes);
                assert!((f64::from(want) - exact).abs() < 1e-4, "m {m}");
                assert!((adc(&tables, &codes) - want).abs() < 1e-4, "m {m}");
                #[cfg(target_arch = "x86_64")]
                {
                    if is_x86_feature_detected!("avx2") {
                        // SAFETY: AVX2 checked; codes.len() == tables.len().
                        let got = unsafe { x86::adc_avx2(&tables, &codes) };
                        assert!((got - want).abs() < 1e-4, "avx2 m {m}: {got} vs {want}");
                    }
                    if is_x86_feature_detected!("avx512f") {
                        // SAFETY: AVX-512F checked; codes.len() == tables.len().
                        let got = unsafe { x86::adc_avx512(&tables, &codes) };
                        assert!((got - want).abs() < 1e-4, "avx512 m {m}: {got} vs {want}");
                    }
                }
            }
        }
    }
}
