//! The rotation of optimized product quantization (Ge, He, Ke and Sun 2013, the
//! non-parametric variant): alternate a short PQ training in the rotated space with the
//! orthogonal Procrustes solution `R = U Vᵀ` of `Xᵀ Y = U Σ Vᵀ` (X the sample, Y its
//! reconstructions). reductive's own OPQ needs LAPACK; this uses linfa-linalg's SVD, and
//! embx's k-means (`super::kmeans`) for the short trainings.
use super::encode::Encoder;
use super::kmeans::train_codebooks;
use crate::error::{Error, Result};
use crate::jobs::Progress;
use linfa_linalg::svd::SVD;
use ndarray::Array2;
use reductive::pq::{Pq, Reconstruct};

/// Outer iterations (rotation updates).
const ROUNDS: usize = 6;
/// k-means iterations of each short PQ training.
const KMEANS: usize = 6;
/// k-means steps per subquantizer that [`rotation`] counts on its progress.
pub(super) const STEPS: usize = ROUNDS * KMEANS;

/// The learnt `dim × dim` orthogonal rotation: codes are trained on `sample · R`.
pub(super) fn rotation(
    sample: &Array2<f32>,
    subq: usize,
    bits: u32,
    seed: u64,
    progress: Option<&Progress>,
) -> Result<Array2<f32>> {
    let d = sample.ncols();
    let mut r = Array2::<f32>::eye(d);
    let x64 = sample.mapv(f64::from);
    for round in 0..ROUNDS {
        let rotated = sample.dot(&r);
        let seed = seed.wrapping_add(round as u64);
        let books = train_codebooks(rotated.view(), subq, bits, KMEANS, seed, progress)?;
        let pq = Pq::new(None, books);
        let mut codes = Array2::<u8>::zeros((rotated.nrows(), subq));
        if let Some(out) = codes.as_slice_mut() {
            Encoder::new(&pq).encode_rows(rotated.view(), out);
        }
        let y = pq.reconstruct_batch(codes).mapv(f64::from);
        let m = x64.t().dot(&y);
        let (u, _, vt) = m
            .svd(true, true)
            .map_err(|e| Error::Invalid(format!("OPQ: the SVD failed: {e}")))?;
        let (Some(u), Some(vt)) = (u, vt) else {
            return Err(Error::Invalid("OPQ: the SVD gave no vectors".into()));
        };
        r = u.dot(&vt).mapv(|v| v as f32);
    }
    Ok(r)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rotation_is_orthogonal() {
        // Correlated 8-d data: pairs of dimensions are copies with noise, so splitting into
        // 2 subquantizers of 4 dimensions loses less after rotating.
        let mut state = 7u64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 40) as f32 / (1u64 << 24) as f32 - 0.5
        };
        let x = Array2::from_shape_fn((600, 8), |_| 0.0f32);
        let x = x.mapv(|_| next());
        let mut x2 = x.clone();
        for mut row in x2.outer_iter_mut() {
            let a = row[0];
            row[4] = a + 0.05 * row[4];
        }
        let r = rotation(&x2, 2, 3, 1, None).unwrap();
        let rtr = r.t().dot(&r);
        for ((i, j), v) in rtr.indexed_iter() {
            let want = if i == j { 1.0 } else { 0.0 };
            assert!((v - want).abs() < 1e-3, "RᵀR[{i}][{j}] = {v}");
        }
    }
}
