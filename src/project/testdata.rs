//! Generated clustered data for the layout tests.
use super::rng::Rng;
use super::rows::Rows;

/// `k` clusters of `m` points in `dim` dimensions around random centres, tight enough to be
/// told apart; the rows and each row's cluster.
pub fn clustered(k: usize, m: usize, dim: usize, seed: u64) -> (Rows, Vec<u32>) {
    let mut r = Rng::new(seed);
    let centres: Vec<Vec<f32>> = (0..k)
        .map(|_| (0..dim).map(|_| r.normal() as f32).collect())
        .collect();
    let mut vectors = Vec::new();
    let mut truth = Vec::new();
    for i in 0..k * m {
        let c = i % k;
        vectors.push(
            centres[c]
                .iter()
                .map(|&x| x + 0.15 * r.normal() as f32)
                .collect::<Vec<f32>>(),
        );
        truth.push(c as u32);
    }
    let slices: Vec<&[f32]> = vectors.iter().map(Vec::as_slice).collect();
    (Rows::from_vectors(&slices).expect("finite"), truth)
}

/// Fraction of points whose nearest layout neighbour is in their own cluster.
pub fn separation(points: &[[f32; 2]], truth: &[u32]) -> f64 {
    let knn = super::rows::plane_knn(points, 1);
    let same = (0..points.len())
        .filter(|&i| truth[knn.of(i)[0] as usize] == truth[i])
        .count();
    same as f64 / points.len() as f64
}
