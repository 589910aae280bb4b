//! `v = fl(Px)` for a block of rows: the projection of the reduced copy's build.
//!
//! A general matrix product first repacks its operands into panels. Here the big operand is
//! the matrix itself, row-major, and repacking it reads every value with a stride of a row:
//! that took twice as long as the multiplications (2M × 300 rows). Instead a few rows at a
//! time are accumulated over the input dimensions against `Pᵀ` (`d × p`, a few dozen KiB that
//! stay in the core's cache), which reads the rows once, in order. The sums run in f32 in one fixed
//! order; any order is covered by the bound `η` (see the module above).

/// Rows of `x` (`dim` wide, row-major) projected by `pt` (`Pᵀ`, `dim × p`, row-major) into
/// `v` (`p` wide), through the widest kernel the processor has.
pub(crate) fn project(pt: &[f32], p: usize, x: &[f32], dim: usize, v: &mut [f32]) {
    if dim == 0 || p == 0 {
        v.fill(0.0);
        return;
    }
    #[cfg(target_arch = "x86_64")]
    {
        let fma = is_x86_feature_detected!("fma");
        if fma && is_x86_feature_detected!("avx512f") {
            // SAFETY: the processor supports AVX-512F and FMA, the features the kernel is
            // built for.
            return unsafe { project_avx512(pt, p, x, dim, v) };
        }
        if fma && is_x86_feature_detected!("avx2") {
            // SAFETY: the processor supports AVX2 and FMA.
            return unsafe { project_avx2(pt, p, x, dim, v) };
        }
    }
    project_any::<false>(pt, p, x, dim, v);
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f,fma")]
unsafe fn project_avx512(pt: &[f32], p: usize, x: &[f32], dim: usize, v: &mut [f32]) {
    project_any::<true>(pt, p, x, dim, v);
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
unsafe fn project_avx2(pt: &[f32], p: usize, x: &[f32], dim: usize, v: &mut [f32]) {
    project_any::<true>(pt, p, x, dim, v);
}

/// The widths [`super::Basis::fit`] chooses get a kernel whose sums stay in registers. With
/// `FMA` (only inside functions built for it: elsewhere `mul_add` is a library call) each
/// product is added without rounding it first.
#[inline(always)]
fn project_any<const FMA: bool>(pt: &[f32], p: usize, x: &[f32], dim: usize, v: &mut [f32]) {
    match p {
        16 => project_fixed::<16, 4, FMA>(pt, x, dim, v),
        32 => project_fixed::<32, 4, FMA>(pt, x, dim, v),
        48 => project_fixed::<48, 4, FMA>(pt, x, dim, v),
        64 => project_fixed::<64, 4, FMA>(pt, x, dim, v),
        80 => project_fixed::<80, 2, FMA>(pt, x, dim, v),
        96 => project_fixed::<96, 2, FMA>(pt, x, dim, v),
        112 => project_fixed::<112, 2, FMA>(pt, x, dim, v),
        128 => project_fixed::<128, 2, FMA>(pt, x, dim, v),
        _ => project_rows(pt, p, x, dim, v),
    }
}

/// [`project_rows`] for a width known when compiling, `R` rows at a time: the rows' sums are
/// held in registers across the whole loop instead of being stored and reloaded at every
/// dimension, and `R · P / 16` independent sums keep the multiply-adds from waiting on each
/// other.
#[inline(always)]
fn project_fixed<const P: usize, const R: usize, const FMA: bool>(
    pt: &[f32],
    x: &[f32],
    dim: usize,
    v: &mut [f32],
) {
    let mut xs = x.chunks_exact(R * dim);
    let mut vs = v.chunks_exact_mut(R * P);
    for (xx, vv) in (&mut xs).zip(&mut vs) {
        let mut sums = [[0.0f32; P]; R];
        // `take(dim)` states what `pt` holds anyway; it lets the compiler see `k < dim`.
        for (k, row) in pt.chunks_exact(P).enumerate().take(dim) {
            for (r, sum) in sums.iter_mut().enumerate() {
                let a = xx[r * dim + k];
                for j in 0..P {
                    sum[j] = if FMA {
                        a.mul_add(row[j], sum[j])
                    } else {
                        sum[j] + a * row[j]
                    };
                }
            }
        }
        for (out, sum) in vv.chunks_exact_mut(P).zip(&sums) {
            out.copy_from_slice(sum);
        }
    }
    let rest = xs.remainder().len();
    let done = x.len() - rest;
    project_rows(pt, P, &x[done..], dim, &mut v[done / dim * P..]);
}

/// One row at a time, for widths without a kernel of their own and the rows left over.
#[inline(always)]
fn project_rows(pt: &[f32], p: usize, x: &[f32], dim: usize, v: &mut [f32]) {
    for (xr, vr) in x.chunks_exact(dim).zip(v.chunks_exact_mut(p)) {
        vr.fill(0.0);
        for (&a, row) in xr.iter().zip(pt.chunks_exact(p)) {
            for (s, &w) in vr.iter_mut().zip(row) {
                *s += a * w;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kernel_gives_the_same_projection() {
        let (dim, p, rows) = (37, 16, 5);
        let x: Vec<f32> = (0..rows * dim)
            .map(|i| ((i * 31) % 17) as f32 - 8.0)
            .collect();
        let pt: Vec<f32> = (0..dim * p).map(|i| ((i * 13) % 11) as f32 / 8.0).collect();
        let mut want = vec![0.0f32; rows * p];
        for r in 0..rows {
            for j in 0..p {
                let mut s = 0.0f32;
                for k in 0..dim {
                    s += x[r * dim + k] * pt[k * p + j];
                }
                want[r * p + j] = s;
            }
        }
        // The values are small integers and eighths: every product and sum is exact in f32
        // whether or not the products are fused, so every kernel gives the same bits.
        let mut got = vec![1.0f32; rows * p];
        project(&pt, p, &x, dim, &mut got);
        assert_eq!(got, want);
        let mut portable = vec![1.0f32; rows * p];
        project_rows(&pt, p, &x, dim, &mut portable);
        assert_eq!(portable, want);
        let mut fixed = vec![1.0f32; rows * p];
        project_fixed::<16, 4, false>(&pt, &x, dim, &mut fixed);
        assert_eq!(fixed, want);
    }
}
