//! Encoding rows with a trained product quantizer: each slice of a row gets the index of its
//! nearest centroid (squared Euclidean distance, the first index on a tie), as reductive's
//! `quantize_batch` gives, but without its per-call distance matrix and its scalar
//! `OrderedFloat` arg-min, which made encoding 2,000,000 rows take minutes of CPU.
//!
//! For one slice `u` the distances to the `k` centroids `c` are `‖c‖² − 2 u·c` (`‖u‖²` is the
//! same for every centroid), computed over centroid-major columns so that the inner loop runs
//! over the centroids and vectorises; the arg-min takes a lane-wise minimum, then the first
//! index holding it.
use ndarray::{Array2, ArrayView2};
use reductive::pq::Pq;

/// A trained quantizer laid out for encoding.
pub(super) struct Encoder {
    subquantizers: usize,
    sub_dim: usize,
    centroids: usize,
    /// Per subquantizer, `sub_dim` columns of `centroids` values: `books[j][t][c]`.
    books: Vec<f32>,
    /// Per subquantizer, `‖c‖²` of every centroid.
    sq_norms: Vec<f32>,
    projection: Option<Array2<f32>>,
}

impl Encoder {
    /// The encoder of `pq` (its projection, when it has one, is applied to every row first).
    pub(super) fn new(pq: &Pq<f32>) -> Self {
        let q = pq.subquantizers();
        let (subquantizers, centroids, sub_dim) = q.dim();
        let mut books = vec![0f32; subquantizers * sub_dim * centroids];
        let mut sq_norms = vec![0f32; subquantizers * centroids];
        for j in 0..subquantizers {
            for c in 0..centroids {
                let mut norm = 0f32;
                for t in 0..sub_dim {
                    let v = q[[j, c, t]];
                    books[(j * sub_dim + t) * centroids + c] = v;
                    norm += v * v;
                }
                sq_norms[j * centroids + c] = norm;
            }
        }
        Encoder {
            subquantizers,
            sub_dim,
            centroids,
            books,
            sq_norms,
            projection: pq.projection().map(|p| p.to_owned()),
        }
    }

    /// Code bytes per row.
    pub(super) fn code_len(&self) -> usize {
        self.subquantizers
    }

    /// The codes of the rows of `x` (one row of `x` per row of codes) into `out`
    /// (`x.nrows() × subquantizers` bytes).
    pub(super) fn encode_rows(&self, x: ArrayView2<f32>, out: &mut [u8]) {
        match &self.projection {
            Some(p) => self.encode_projected(x.dot(p).view(), out),
            None => self.encode_projected(x, out),
        }
    }

    /// [`Self::encode_rows`] of rows already projected.
    fn encode_projected(&self, x: ArrayView2<f32>, out: &mut [u8]) {
        let mut dist = vec![0f32; self.centroids];
        for (row, codes) in x.outer_iter().zip(out.chunks_exact_mut(self.subquantizers)) {
            match row.as_slice() {
                Some(r) => self.encode_row(r, &mut dist, codes),
                None => self.encode_row(&row.to_vec(), &mut dist, codes),
            }
        }
    }

    /// The codes of one (projected) row.
    fn encode_row(&self, row: &[f32], dist: &mut [f32], codes: &mut [u8]) {
        let (k, s) = (self.centroids, self.sub_dim);
        for (j, (code, u)) in codes.iter_mut().zip(row.chunks_exact(s)).enumerate() {
            let book = &self.books[j * s * k..(j + 1) * s * k];
            let norms = &self.sq_norms[j * k..(j + 1) * k];
            *code = nearest(u, book, norms, dist).0 as u8;
        }
    }
}

/// The index of the centroid nearest to the slice `u` (the first one on a tie), and
/// `‖c‖² − 2 u·c` for it (its squared distance minus `‖u‖²`). `columns` holds `u.len()`
/// columns of the `k = sq_norms.len()` centroids' values (centroid-major: `columns[t·k + c]`),
/// `sq_norms` their `‖c‖²`; `dist` is scratch of `k` values. Runs AVX2 code when the processor
/// has it (the same sums in the same order: the same answer as the portable code).
pub(super) fn nearest(
    u: &[f32],
    columns: &[f32],
    sq_norms: &[f32],
    dist: &mut [f32],
) -> (usize, f32) {
    #[cfg(target_arch = "x86_64")]
    if has_avx2() {
        // SAFETY: the processor has AVX2 (checked at run time just above).
        return unsafe { nearest_avx2(u, columns, sq_norms, dist) };
    }
    nearest_portable(u, columns, sq_norms, dist)
}

/// True when the processor runs AVX2 (checked once; `EMBX_KERNEL=portable` says no).
#[cfg(target_arch = "x86_64")]
fn has_avx2() -> bool {
    static HAS: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *HAS.get_or_init(|| {
        std::env::var("EMBX_KERNEL").as_deref() != Ok("portable")
            && is_x86_feature_detected!("avx2")
    })
}

/// [`nearest`] compiled for AVX2 (eight lanes where the portable build has four).
///
/// # Safety
/// The processor must support AVX2.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
unsafe fn nearest_avx2(
    u: &[f32],
    columns: &[f32],
    sq_norms: &[f32],
    dist: &mut [f32],
) -> (usize, f32) {
    nearest_portable(u, columns, sq_norms, dist)
}

/// [`nearest`] in portable code (inlined into the AVX2 variant, which recompiles it).
#[inline(always)]
fn nearest_portable(
    u: &[f32],
    columns: &[f32],
    sq_norms: &[f32],
    dist: &mut [f32],
) -> (usize, f32) {
    let k = sq_norms.len();
    let dist = &mut dist[..k];
    dist.copy_from_slice(sq_norms);
    for (&ut, column) in u.iter().zip(columns.chunks_exact(k)) {
        let w = -2.0 * ut;
        for (d, &c) in dist.iter_mut().zip(column) {
            *d += w * c;
        }
    }
    let best = arg_min(dist);
    (best, dist.get(best).copied().unwrap_or(f32::INFINITY))
}

/// The index of the smallest value (the first one on a tie; 0 when every value is NaN).
#[inline(always)]
fn arg_min(values: &[f32]) -> usize {
    const LANES: usize = 16;
    let mut low = [f32::INFINITY; LANES];
    let chunks = values.chunks_exact(LANES);
    let tail = chunks.remainder();
    for chunk in chunks {
        for (l, &v) in low.iter_mut().zip(chunk) {
            *l = if v < *l { v } else { *l };
        }
    }
    let mut min = tail
        .iter()
        .fold(f32::INFINITY, |m, &v| if v < m { v } else { m });
    for &l in &low {
        min = if l < min { l } else { min };
    }
    values.iter().position(|&v| v == min).unwrap_or(0)
}

/// reductive's own encoding of `x`, for the tests and as the reference.
#[cfg(test)]
pub(super) fn reference(pq: &Pq<f32>, x: ArrayView2<f32>) -> Array2<u8> {
    use reductive::pq::QuantizeVector;
    pq.quantize_batch(x)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::test_util::XorShift;
    use finalfusion::storage::{NdArray, Quantize};
    use rand_chacha::rand_core::SeedableRng;
    use rand_chacha::ChaChaRng;

    fn data(n: usize, d: usize, seed: u64) -> Array2<f32> {
        let mut r = XorShift::new(seed);
        Array2::from_shape_fn((n, d), |(i, j)| {
            r.f32() + ((i % 7) as f32 - 3.0) * 0.2 * (j % 3) as f32
        })
    }

    fn trained(x: &Array2<f32>, subq: usize, bits: u32) -> Pq<f32> {
        let q = NdArray::new(x.clone())
            .quantize_using::<Pq<f32>, _>(subq, bits, 5, 1, false, ChaChaRng::seed_from_u64(1))
            .unwrap();
        q.quantizer().clone()
    }

    /// The squared distance of slice `j` of `row` to centroid `c`, in f64.
    fn dist(pq: &Pq<f32>, row: &[f32], j: usize, c: usize) -> f64 {
        let q = pq.subquantizers();
        let s = q.dim().2;
        (0..s)
            .map(|t| f64::from(row[j * s + t] - q[[j, c, t]]).powi(2))
            .sum()
    }

    #[test]
    fn codes_are_the_nearest_centroids_and_reductives() {
        for (d, subq, bits) in [(12, 4, 8), (12, 6, 4), (10, 5, 5), (9, 3, 8)] {
            let x = data(1500, d, d as u64 + bits as u64);
            let pq = trained(&x, subq, bits);
            let enc = Encoder::new(&pq);
            assert_eq!(enc.code_len(), subq);
            let mut got = vec![0u8; x.nrows() * subq];
            enc.encode_rows(x.view(), &mut got);
            let want = reference(&pq, x.view());
            let k = 1usize << bits;
            let mut same = 0;
            for (i, (g, w)) in got.chunks_exact(subq).zip(want.outer_iter()).enumerate() {
                let row = x.row(i).to_vec();
                for j in 0..subq {
                    let best = (0..k)
                        .map(|c| dist(&pq, &row, j, c))
                        .fold(f64::MAX, f64::min);
                    let mine = dist(&pq, &row, j, usize::from(g[j]));
                    assert!(mine <= best + 1e-5, "row {i} slice {j}: {mine} vs {best}");
                    same += usize::from(g[j] == w[j]);
                }
            }
            // Only exact ties (or near ties rounded the other way) may differ from reductive.
            assert!(
                same * 1000 >= 999 * x.nrows() * subq,
                "{same} of {}",
                x.nrows() * subq
            );
        }
    }

    #[test]
    fn a_projection_is_applied_before_encoding() {
        let x = data(800, 8, 5);
        let pq = trained(&x, 4, 6);
        // A permutation is orthogonal: encoding x·P with P's quantizer equals encoding x·P
        // directly with the plain quantizer.
        let mut p = Array2::<f32>::zeros((8, 8));
        for i in 0..8 {
            p[[i, (i * 3 + 1) % 8]] = 1.0;
        }
        let rotated = Pq::new(Some(p.clone()), pq.subquantizers().to_owned());
        let mut a = vec![0u8; 800 * 4];
        Encoder::new(&rotated).encode_rows(x.view(), &mut a);
        let mut b = vec![0u8; 800 * 4];
        Encoder::new(&pq).encode_rows(x.dot(&p).view(), &mut b);
        assert_eq!(a, b);
    }

    #[test]
    fn arg_min_takes_the_first_smallest() {
        let mut v: Vec<f32> = (0..37).map(|i| (i as f32 - 20.0).abs()).collect();
        assert_eq!(arg_min(&v), 20);
        v[33] = 0.0;
        assert_eq!(arg_min(&v), 20);
        v[35] = -1.0;
        assert_eq!(arg_min(&v), 35);
        assert_eq!(arg_min(&[f32::NAN, f32::NAN]), 0);
        assert_eq!(arg_min(&[f32::NAN, 2.0, 1.0]), 2);
    }
}
