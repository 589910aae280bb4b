//! Whole-row arithmetic shared by the readers, the trainer and the searches: scaling rows to
//! unit length, their norms and the summary of the norms, and prefetching a row.
use super::NormStats;
use rayon::prelude::*;

/// Scales each `dim`-wide row of `data` to unit length in parallel and returns the original
/// norms. Rows with a zero norm stay zero.
pub fn normalize_rows(data: &mut [f32], dim: usize) -> Vec<f32> {
    if dim == 0 {
        return vec![0.0; 0];
    }
    data.par_chunks_mut(dim * 1024)
        .flat_map_iter(|block| block.chunks_mut(dim).map(normalize_row).collect::<Vec<_>>())
        .collect()
}

/// Scales `row` to unit length and returns its original norm; a zero row stays zero. The
/// rule of [`normalize_rows`], for readers that normalise each row as they decode it.
pub fn normalize_row(row: &mut [f32]) -> f32 {
    let n = l2_norm(row);
    if n > 0.0 {
        row.iter_mut().for_each(|x| *x /= n);
    }
    n
}

/// Asks the CPU to start fetching the memory of `data` (a row) into its caches, every
/// cache line of it. A hint only: it reads and changes no value (so it is no memory access in
/// Rust's sense) and never faults.
#[inline(always)]
pub fn prefetch<T>(data: &[T]) {
    #[cfg(target_arch = "x86_64")]
    {
        use std::arch::x86_64::{_mm_prefetch, _MM_HINT_T0};
        let p = data.as_ptr().cast::<i8>();
        for line in (0..std::mem::size_of_val(data)).step_by(64) {
            // SAFETY: a prefetch of an address inside `data`; prefetches do not access memory
            // in the language's sense and cannot fault.
            #[allow(unused_unsafe)]
            unsafe {
                _mm_prefetch::<_MM_HINT_T0>(p.wrapping_add(line))
            };
        }
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = data;
}

/// Euclidean length of `v` (accumulated in f64 for accuracy).
///
/// Eight partial sums, so that the squares are added in vectors rather than one long chain
/// (normalising 2 million rows of 300 took 0.6 s of CPU with one chain). In f64 the order of
/// the additions can move the rounded f32 result by one unit in the last place, and rarely.
pub fn l2_norm(v: &[f32]) -> f32 {
    let mut acc = [0.0f64; 8];
    let mut chunks = v.chunks_exact(8);
    for c in &mut chunks {
        for (a, &x) in acc.iter_mut().zip(c) {
            *a += f64::from(x) * f64::from(x);
        }
    }
    for (a, &x) in acc.iter_mut().zip(chunks.remainder()) {
        *a += f64::from(x) * f64::from(x);
    }
    let [a, b, c, d, e, f, g, h] = acc;
    (((a + e) + (b + f)) + ((c + g) + (d + h))).sqrt() as f32
}

pub(super) fn norm_stats(norms: &[f32]) -> Option<NormStats> {
    if norms.is_empty() {
        return None;
    }
    // The median by selection, not a sort: 2 million norms sorted took a third of opening.
    let mut order = norms.to_vec();
    let mid = order.len() / 2;
    let median = *order.select_nth_unstable_by(mid, f32::total_cmp).1;
    let first = |a: f32, b: f32| if a.total_cmp(&b).is_le() { a } else { b };
    let min = norms.iter().copied().fold(norms[0], first);
    let max = norms
        .iter()
        .copied()
        .fold(norms[0], |a, b| if a.total_cmp(&b).is_ge() { a } else { b });
    let sum: f64 = norms.iter().map(|&n| f64::from(n)).sum();
    Some(NormStats {
        min,
        max,
        mean: (sum / norms.len() as f64) as f32,
        median,
        zero: norms.iter().filter(|&&n| n == 0.0).count(),
    })
}
