//! UMAP's fuzzy graph from the exact k-NN graph: per-point distance to the nearest neighbour
//! (rho) and a width (sigma) found by binary search so that the memberships sum to
//! log2(n_neighbors), then the fuzzy union W = A + Aᵀ − A ∘ Aᵀ (umap-learn's
//! `smooth_knn_dist`, `compute_membership_strengths` and `fuzzy_simplicial_set`).
use crate::project::rows::Knn;

const STEPS: usize = 64;
const TOLERANCE: f64 = 1e-5;
const MIN_K_DIST_SCALE: f64 = 1e-3;

/// One directed edge of the symmetric graph.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Edge {
    /// The point the edge starts from.
    pub head: u32,
    /// The point the edge goes to.
    pub tail: u32,
    /// Membership strength in the fuzzy union, in (0, 1].
    pub weight: f64,
}

/// rho and sigma of one point with neighbour distances `dist` (self not included);
/// `target` is log2(n_neighbors).
fn smooth(dist: &[f32], target: f64, mean_all: f64) -> (f64, f64) {
    let rho = dist.iter().copied().find(|&d| d > 0.0).unwrap_or(0.0) as f64;
    let (mut lo, mut hi, mut mid) = (0.0f64, f64::INFINITY, 1.0f64);
    for _ in 0..STEPS {
        let psum: f64 = dist
            .iter()
            .map(|&d| {
                let d = d as f64 - rho;
                if d > 0.0 {
                    (-(d / mid)).exp()
                } else {
                    1.0
                }
            })
            .sum();
        if (psum - target).abs() < TOLERANCE {
            break;
        }
        if psum > target {
            hi = mid;
            mid = (lo + hi) / 2.0;
        } else {
            lo = mid;
            mid = if hi == f64::INFINITY {
                mid * 2.0
            } else {
                (lo + hi) / 2.0
            };
        }
    }
    let mean_i = dist.iter().map(|&d| d as f64).sum::<f64>() / dist.len().max(1) as f64;
    let floor = if rho > 0.0 { mean_i } else { mean_all } * MIN_K_DIST_SCALE;
    (rho, mid.max(floor))
}

/// The symmetric fuzzy graph as directed edges (both directions of every pair), sorted.
pub fn fuzzy_graph(knn: &Knn) -> Vec<Edge> {
    let k = knn.k;
    let n = knn.index.len().checked_div(k).unwrap_or(0);
    let target = ((k + 1) as f64).log2();
    let mean_all = knn.dist.iter().map(|&d| d as f64).sum::<f64>() / knn.dist.len().max(1) as f64;
    let mut directed: Vec<(u32, u32, f64)> = Vec::with_capacity(2 * n * k);
    for i in 0..n {
        let dist = knn.dist_of(i);
        let (rho, sigma) = smooth(dist, target, mean_all);
        for (&j, &d) in knn.of(i).iter().zip(dist) {
            let d = d as f64 - rho;
            let w = if d <= 0.0 || sigma == 0.0 {
                1.0
            } else {
                (-(d / sigma)).exp()
            };
            directed.push((i as u32, j, w));
        }
    }
    // A and Aᵀ side by side: (i, j, a_ij, 0) and (j, i, 0, a_ij), then merged.
    let mut both: Vec<(u32, u32, f64, f64)> = Vec::with_capacity(2 * directed.len());
    for &(i, j, w) in &directed {
        both.push((i, j, w, 0.0));
        both.push((j, i, 0.0, w));
    }
    both.sort_by_key(|e| (e.0, e.1));
    let mut edges: Vec<Edge> = Vec::with_capacity(both.len());
    let mut at = 0;
    while at < both.len() {
        let (h, t) = (both[at].0, both[at].1);
        let (mut a, mut at_) = (0.0, 0.0);
        while at < both.len() && both[at].0 == h && both[at].1 == t {
            a += both[at].2;
            at_ += both[at].3;
            at += 1;
        }
        let w = a + at_ - a * at_;
        if w > 0.0 {
            edges.push(Edge {
                head: h,
                tail: t,
                weight: w,
            });
        }
    }
    edges
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn memberships_sum_to_the_target() {
        let dist: Vec<f32> = (1..=14).map(|i| 0.1 + i as f32 * 0.02).collect();
        let target = 15f64.log2();
        let (rho, sigma) = smooth(&dist, target, 0.3);
        assert!((rho - 0.12).abs() < 1e-6);
        let sum: f64 = dist
            .iter()
            .map(|&d| (-((d as f64 - rho).max(0.0) / sigma)).exp())
            .sum();
        assert!((sum - target).abs() < 1e-4, "{sum}");
    }

    #[test]
    fn the_graph_is_a_symmetric_fuzzy_union() {
        let knn = Knn {
            k: 2,
            index: vec![1, 2, 0, 2, 0, 1],
            dist: vec![0.1, 0.4, 0.1, 0.3, 0.4, 0.3],
        };
        let edges = fuzzy_graph(&knn);
        for e in &edges {
            let back = edges
                .iter()
                .find(|f| f.head == e.tail && f.tail == e.head)
                .unwrap();
            assert!((back.weight - e.weight).abs() < 1e-12);
            assert!(e.weight > 0.0 && e.weight <= 1.0);
        }
        // Each point's nearest neighbour has membership 1 in both directions' union.
        let w01 = edges
            .iter()
            .find(|e| e.head == 0 && e.tail == 1)
            .unwrap()
            .weight;
        assert!((w01 - 1.0).abs() < 1e-12);
    }
}
