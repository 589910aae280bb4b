//! Exact f32 scores of a few candidate rows, ranked as the exact scan ranks them.
use super::{simd, DotScorer, Hit, Scorer};
use crate::query::topk::rank;
use crate::space::Space;

/// Exact scores of `rows` (in any order, no duplicates) with `query`, computed with the same
/// kernel as the exact scan, ranked best first (ties: lower row first; NaN scores dropped) and
/// cut to `k`.
pub(crate) fn exact_hits(space: &Space, query: &[f32], rows: &[u32], k: usize) -> Vec<Hit> {
    #[cfg(target_arch = "x86_64")]
    {
        let level = simd::level();
        if level == simd::AVX512 {
            // SAFETY: the processor supports the features the function is compiled for.
            return unsafe { exact_hits_avx512(space, query, rows, k) };
        }
        if level == simd::AVX2 {
            // SAFETY: as above.
            return unsafe { exact_hits_avx2(space, query, rows, k) };
        }
    }
    exact_hits_impl::<{ simd::PORTABLE }>(space, query, rows, k)
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f,avx2,fma")]
unsafe fn exact_hits_avx512(space: &Space, query: &[f32], rows: &[u32], k: usize) -> Vec<Hit> {
    exact_hits_impl::<{ simd::AVX512 }>(space, query, rows, k)
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
unsafe fn exact_hits_avx2(space: &Space, query: &[f32], rows: &[u32], k: usize) -> Vec<Hit> {
    exact_hits_impl::<{ simd::AVX2 }>(space, query, rows, k)
}

#[inline(always)]
fn exact_hits_impl<const K: u8>(space: &Space, query: &[f32], rows: &[u32], k: usize) -> Vec<Hit> {
    let scorer = DotScorer(query);
    // Rows read in place from a file are decoded here rather than kept (see `Matrix::block`).
    let mut buf = Vec::new();
    let mut hits: Vec<Hit> = rows
        .iter()
        .filter_map(|&index| {
            let i = index as usize;
            let score = scorer.score::<K>(space.matrix().block(i, i + 1, &mut buf));
            (!score.is_nan()).then_some(Hit {
                index,
                // As in `TopK::push`: -0.0 becomes 0.0.
                score: score + 0.0,
            })
        })
        .collect();
    hits.sort_unstable_by(rank);
    hits.truncate(k);
    hits
}
