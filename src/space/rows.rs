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
    let whole = v.len() / 8 * 8;
    add_squares(&mut acc, &v[..whole]);
    finish_norm(acc, &v[whole..])
}

/// [`l2_norm`] of the little-endian f32 in `bytes`, read where they are (at any alignment),
/// or `None` when one of them is NaN or infinite. Gives the same value as decoding them and
/// calling [`l2_norm`].
pub fn l2_norm_le(bytes: &[u8]) -> Option<f32> {
    // Decoded a few at a time into the stack, each piece a multiple of 8 values, so that the
    // squares are added in the order of `l2_norm`.
    const PIECE: usize = 64;
    let mut acc = [0.0f64; 8];
    let mut piece = [0.0f32; PIECE];
    let whole = bytes.len() / 32 * 32;
    for chunk in bytes[..whole].chunks(PIECE * 4) {
        let n = chunk.len() / 4;
        for (p, b) in piece.iter_mut().zip(chunk.chunks_exact(4)) {
            *p = f32::from_le_bytes([b[0], b[1], b[2], b[3]]);
        }
        add_squares(&mut acc, &piece[..n]);
    }
    let mut rest = [0.0f32; 8];
    let tail = bytes[whole..].chunks_exact(4);
    let r = tail.len();
    for (p, b) in rest.iter_mut().zip(tail) {
        *p = f32::from_le_bytes([b[0], b[1], b[2], b[3]]);
    }
    // Squares of finite f32 cannot overflow an f64 sum (of fewer than 10^230 values), so a
    // sum that is not finite means a value that is not.
    let sum = acc.iter().sum::<f64>()
        + rest[..r]
            .iter()
            .map(|&x| f64::from(x) * f64::from(x))
            .sum::<f64>();
    sum.is_finite().then(|| finish_norm(acc, &rest[..r]))
}

/// Adds the squares of `v` (a multiple of 8 values) to the eight partial sums.
#[inline(always)]
fn add_squares(acc: &mut [f64; 8], v: &[f32]) {
    for c in v.chunks_exact(8) {
        for (a, &x) in acc.iter_mut().zip(c) {
            *a += f64::from(x) * f64::from(x);
        }
    }
}

/// Adds the squares of the last values (fewer than 8) and sums the partial sums.
#[inline(always)]
fn finish_norm(mut acc: [f64; 8], rest: &[f32]) -> f32 {
    for (a, &x) in acc.iter_mut().zip(rest) {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn norm_of_bytes_is_the_norm_of_their_values() {
        let mut x = 0x2545_f491_4f6c_dd1du64;
        for len in [0, 1, 7, 8, 9, 63, 64, 65, 100, 300, 301] {
            let v: Vec<f32> = (0..len)
                .map(|_| {
                    x ^= x << 13;
                    x ^= x >> 7;
                    x ^= x << 17;
                    (x >> 40) as f32 / 1e5 - 80.0
                })
                .collect();
            let mut bytes = vec![7u8]; // read at an odd address
            v.iter()
                .for_each(|f| bytes.extend_from_slice(&f.to_le_bytes()));
            assert_eq!(
                l2_norm_le(&bytes[1..]).map(f32::to_bits),
                Some(l2_norm(&v).to_bits())
            );
            for bad in [f32::NAN, f32::INFINITY, f32::NEG_INFINITY] {
                if len > 0 {
                    let at = 1 + (len - 1) * 4;
                    let mut b = bytes.clone();
                    b[at..at + 4].copy_from_slice(&bad.to_le_bytes());
                    assert_eq!(l2_norm_le(&b[1..]), None, "{len} {bad}");
                }
            }
        }
        let huge = [f32::MAX; 9].map(f32::to_le_bytes).concat();
        assert_eq!(l2_norm_le(&huge), Some(f32::INFINITY));
    }
}
