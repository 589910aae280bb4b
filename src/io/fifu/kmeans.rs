//! k-means (Lloyd), embx's own: the product quantizer's codebooks, and the clusters that
//! colour a layout (`project::kmeans`).
//!
//! Each subquantizer clusters its slice of the sample rows on its own, the subquantizers in
//! parallel. An iteration assigns every row to its nearest centroid with the encoder's kernel
//! ([`super::encode::nearest`]: SIMD distances and arg-min, one `k`-value scratch row, never a
//! rows × `k` matrix), then moves each centroid to the mean of its rows. Initial centroids are
//! picked by k-means++ (Arthur and Vassilvitskii 2007: each next one is a row drawn with
//! probability proportional to its squared distance to the nearest one so far) where
//! reductive picks distinct random rows: on GloVe 6B 50d, 25 subquantizers, 50,000 sampled
//! words and 15 iterations, it lowered the held-out reconstruction error from 0.00782 (random
//! rows, as reductive: 0.00789) to 0.00688, for the price of about one more iteration. A
//! cluster left empty takes the row farthest from its centroid (reductive leaves it at zero).
//! The random stream of subquantizer `j` is ChaCha's stream `j` of the seed, so the codebooks
//! depend on the seed only, not on the threads.
use super::encode::nearest;
use crate::error::{Error, Result};
use crate::jobs::{Progress, ProgressExt};
use ndarray::{Array3, ArrayView2};
use rand_chacha::rand_core::{RngCore, SeedableRng};
use rand_chacha::ChaChaRng;
use rayon::prelude::*;

/// The codebooks (`subquantizers × 2^bits × dim/subquantizers`) of `x`'s rows, after
/// `iterations` k-means steps. Adds one to `progress` per subquantizer and step, and stops
/// with `Interrupted` once it is cancelled.
pub(super) fn train_codebooks(
    x: ArrayView2<f32>,
    subquantizers: usize,
    bits: u32,
    iterations: usize,
    seed: u64,
    progress: Option<&Progress>,
) -> Result<Array3<f32>> {
    let (n, dim) = x.dim();
    let k = 1usize << bits;
    if subquantizers == 0 || !dim.is_multiple_of(subquantizers) {
        return Err(Error::Invalid(format!(
            "{subquantizers} subquantizers must divide the {dim} dimensions"
        )));
    }
    if n < k {
        return Err(Error::Invalid(format!(
            "{k} centroids need at least {k} non-zero sample rows, not {n}"
        )));
    }
    let s = dim / subquantizers;
    let books = (0..subquantizers)
        .into_par_iter()
        .map(|j| {
            let mut slice = Vec::with_capacity(n * s);
            for row in x.outer_iter() {
                slice.extend((0..s).map(|t| row[j * s + t]));
            }
            let mut rng = ChaChaRng::seed_from_u64(seed);
            rng.set_stream(j as u64);
            let mut km = KMeans::new(&slice, s, k, &mut rng);
            for _ in 0..iterations {
                km.step(&slice);
                progress.add(1);
                progress.check()?;
            }
            Ok(km.centroids)
        })
        .collect::<Result<Vec<Vec<f32>>>>()?;
    let flat: Vec<f32> = books.into_iter().flatten().collect();
    Array3::from_shape_vec((subquantizers, k, s), flat)
        .map_err(|e| Error::Invalid(format!("codebook shape: {e}")))
}

/// The state of one subquantizer's clustering.
pub(crate) struct KMeans {
    /// Dimensions of a slice.
    s: usize,
    /// Centroids, row-major (`k × s`).
    pub(crate) centroids: Vec<f32>,
    /// The nearest centroid of every row (after a step).
    pub(crate) assign: Vec<u32>,
    /// Each row's squared distance to its centroid (after a step).
    dist: Vec<f32>,
}

impl KMeans {
    /// Starts from `k` rows of `x` (`n × s`, row-major; `n ≥ k`) picked by k-means++.
    pub(crate) fn new(x: &[f32], s: usize, k: usize, rng: &mut impl RngCore) -> Self {
        let n = x.len() / s.max(1);
        let centroids = plus_plus(x, s, k, rng);
        KMeans {
            s,
            centroids,
            assign: vec![0; n],
            dist: vec![0.0; n],
        }
    }

    /// One Lloyd step: assign every row of `x`, then move the centroids to their means.
    pub(crate) fn step(&mut self, x: &[f32]) {
        self.assign(x);
        self.update(x);
    }

    /// Each row's nearest centroid and its squared distance; returns their mean.
    pub(crate) fn assign(&mut self, x: &[f32]) -> f64 {
        let (s, k) = (self.s, self.centroids.len() / self.s.max(1));
        let mut columns = vec![0f32; s * k];
        let mut norms = vec![0f32; k];
        for (c, centroid) in self.centroids.chunks_exact(s).enumerate() {
            for (t, &v) in centroid.iter().enumerate() {
                columns[t * k + c] = v;
            }
            norms[c] = centroid.iter().map(|v| v * v).sum();
        }
        let mut scratch = vec![0f32; k];
        let mut total = 0f64;
        let rows = x.chunks_exact(s);
        for ((u, a), d) in rows.zip(&mut self.assign).zip(&mut self.dist) {
            let (best, partial) = nearest(u, &columns, &norms, &mut scratch);
            *a = best as u32;
            *d = (partial + u.iter().map(|v| v * v).sum::<f32>()).max(0.0);
            total += f64::from(*d);
        }
        total / self.assign.len().max(1) as f64
    }

    /// Moves every centroid to the mean of its rows; an empty cluster takes the row farthest
    /// from its centroid (the next farthest for the next empty one).
    fn update(&mut self, x: &[f32]) {
        let (s, k) = (self.s, self.centroids.len() / self.s.max(1));
        let mut sums = vec![0f64; k * s];
        let mut counts = vec![0u32; k];
        for (u, &a) in x.chunks_exact(s).zip(&self.assign) {
            let a = a as usize;
            counts[a] += 1;
            for (acc, &v) in sums[a * s..(a + 1) * s].iter_mut().zip(u) {
                *acc += f64::from(v);
            }
        }
        let mut far: Vec<u32> = Vec::new();
        for (c, &count) in counts.iter().enumerate() {
            let centroid = &mut self.centroids[c * s..(c + 1) * s];
            if count > 0 {
                for (v, &sum) in centroid.iter_mut().zip(&sums[c * s..(c + 1) * s]) {
                    *v = (sum / f64::from(count)) as f32;
                }
                continue;
            }
            if far.is_empty() {
                // Rows by falling distance (ties: the lower index first), reversed to pop.
                far = (0..self.dist.len() as u32).collect();
                far.sort_by(|&a, &b| {
                    let (da, db) = (self.dist[a as usize], self.dist[b as usize]);
                    da.total_cmp(&db).then(b.cmp(&a))
                });
            }
            if let Some(row) = far.pop() {
                let row = row as usize;
                centroid.copy_from_slice(&x[row * s..(row + 1) * s]);
            }
        }
    }
}

/// A uniform index below `n` (`n > 0`).
fn below(rng: &mut impl RngCore, n: usize) -> usize {
    ((u128::from(rng.next_u64()) * n as u128) >> 64) as usize
}

/// k-means++ seeding: each next centroid is a row drawn with probability proportional to its
/// squared distance to the nearest centroid so far.
fn plus_plus(x: &[f32], s: usize, k: usize, rng: &mut impl RngCore) -> Vec<f32> {
    let n = x.len() / s.max(1);
    let mut centroids = Vec::with_capacity(k * s);
    let first = below(rng, n);
    centroids.extend_from_slice(&x[first * s..(first + 1) * s]);
    let mut near = vec![f32::INFINITY; n];
    for c in 1..k.min(n) {
        let last = centroids[(c - 1) * s..c * s].to_vec();
        let mut total = 0f64;
        for (d, u) in near.iter_mut().zip(x.chunks_exact(s)) {
            let e: f32 = u.iter().zip(&last).map(|(a, b)| (a - b) * (a - b)).sum();
            *d = d.min(e);
            total += f64::from(*d);
        }
        let mut target = (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64 * total;
        let mut pick = n - 1;
        for (i, &d) in near.iter().enumerate() {
            target -= f64::from(d);
            if target < 0.0 {
                pick = i;
                break;
            }
        }
        centroids.extend_from_slice(&x[pick * s..(pick + 1) * s]);
    }
    centroids
}

#[cfg(test)]
#[path = "kmeans_tests.rs"]
mod tests;
