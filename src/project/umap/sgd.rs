//! UMAP's stochastic gradient descent, one epoch at a time (umap-learn's
//! `optimize_layout_euclidean` with `move_other`).
use super::{Edge, UmapParams};
use crate::project::rng::Rng;

const CLIP: f64 = 4.0;

/// The sampling schedule and kernel of one run.
pub struct Sgd {
    edges: Vec<Edge>,
    per_sample: Vec<f64>,
    next: Vec<f64>,
    per_negative: Vec<f64>,
    next_negative: Vec<f64>,
    a: f64,
    b: f64,
    epochs: usize,
    alpha0: f64,
    n: usize,
}

impl Sgd {
    /// The schedule for `edges`: edges lighter than max / epochs are never sampled.
    pub fn new(edges: &[Edge], epochs: usize, params: &UmapParams, (a, b): (f64, f64)) -> Self {
        let max = edges.iter().map(|e| e.weight).fold(0.0f64, f64::max);
        let floor = max / epochs.max(1) as f64;
        let kept: Vec<Edge> = edges
            .iter()
            .copied()
            .filter(|e| e.weight >= floor && e.weight > 0.0)
            .collect();
        let per_sample: Vec<f64> = kept.iter().map(|e| max / e.weight).collect();
        let rate = params.negative_sample_rate.max(1) as f64;
        let per_negative: Vec<f64> = per_sample.iter().map(|p| p / rate).collect();
        let n = kept
            .iter()
            .map(|e| e.head.max(e.tail) as usize + 1)
            .max()
            .unwrap_or(0);
        Sgd {
            next: per_sample.clone(),
            next_negative: per_negative.clone(),
            per_sample,
            per_negative,
            edges: kept,
            a,
            b,
            epochs,
            alpha0: params.learning_rate,
            n,
        }
    }

    /// Runs epoch `epoch` (0-based) over `pos`.
    pub fn epoch(&mut self, pos: &mut [[f64; 2]], epoch: usize, rng: &mut Rng) {
        let n_vertices = pos.len().max(self.n);
        let (a, b) = (self.a, self.b);
        let e_now = epoch as f64;
        let alpha = self.alpha0 * (1.0 - e_now / self.epochs.max(1) as f64);
        for i in 0..self.edges.len() {
            if self.next[i] > e_now {
                continue;
            }
            let (j, k) = (self.edges[i].head as usize, self.edges[i].tail as usize);
            let d2 = dist2(pos[j], pos[k]);
            let coeff = if d2 > 0.0 {
                -2.0 * a * b * d2.powf(b - 1.0) / (a * d2.powf(b) + 1.0)
            } else {
                0.0
            };
            let delta = [pos[j][0] - pos[k][0], pos[j][1] - pos[k][1]];
            for (d, delta) in delta.into_iter().enumerate() {
                let g = (coeff * delta).clamp(-CLIP, CLIP);
                pos[j][d] += g * alpha;
                pos[k][d] -= g * alpha;
            }
            self.next[i] += self.per_sample[i];
            let negatives =
                ((e_now - self.next_negative[i]) / self.per_negative[i]).max(0.0) as usize;
            for _ in 0..negatives {
                let k = rng.below(n_vertices);
                let d2 = dist2(pos[j], pos[k]);
                if d2 <= 0.0 {
                    continue;
                }
                let coeff = 2.0 * b / ((0.001 + d2) * (a * d2.powf(b) + 1.0));
                let delta = [pos[j][0] - pos[k][0], pos[j][1] - pos[k][1]];
                for (d, delta) in delta.into_iter().enumerate() {
                    let g = (coeff * delta).clamp(-CLIP, CLIP);
                    pos[j][d] += g * alpha;
                }
            }
            self.next_negative[i] += negatives as f64 * self.per_negative[i];
        }
    }
}

fn dist2(p: [f64; 2], q: [f64; 2]) -> f64 {
    (p[0] - q[0]).powi(2) + (p[1] - q[1]).powi(2)
}
