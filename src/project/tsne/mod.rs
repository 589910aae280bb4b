//! Barnes-Hut t-SNE (van der Maaten 2014) with the optimiser settings of scikit-learn's
//! `TSNE`: input similarities over the 3 × perplexity nearest neighbours by cosine distance
//! (found exactly), PCA initialisation scaled to a standard deviation of 1e-4, early
//! exaggeration 12 for 250 iterations with momentum 0.5 then 0.8, per-coordinate gains, and
//! the learning rate `max(n / 12 / 4, 50)`.
//!
//! It streams its layout through a [`Stream`] every few iterations and obeys its pause and
//! cancel switches. With the same input and parameters two runs give identical layouts,
//! whatever the number of threads (every sum is taken in a fixed order).
mod affinity;
mod tree;

use super::rng::Rng;
use super::rows::{cosine_knn, Rows};
use super::stream::Stream;
use crate::error::{Error, Result};
pub use affinity::Sparse;
use rayon::prelude::*;
use tree::QuadTree;

/// Where the points start.
#[derive(Debug, Clone, PartialEq)]
pub enum Init {
    /// The first two principal components, scaled to a standard deviation of 1e-4.
    Pca,
    /// Small random positions from the seed.
    Random,
    /// Given positions (for example the current layout, to restart after a change).
    Given(Vec<[f32; 2]>),
}

/// The parameters of a t-SNE run.
#[derive(Debug, Clone, PartialEq)]
pub struct TsneParams {
    /// Effective number of neighbours (scikit-learn's default is 30).
    pub perplexity: f64,
    /// Gradient steps in all, early exaggeration included.
    pub iterations: usize,
    /// Step size; `None` for scikit-learn's "auto", `max(n / exaggeration / 4, 50)`.
    pub learning_rate: Option<f64>,
    /// Barnes-Hut accuracy: cells narrower than theta × distance are summarised.
    pub theta: f64,
    /// Factor on P during the first `exaggeration_iterations` steps.
    pub exaggeration: f64,
    /// Steps of early exaggeration (0 when restarting from a settled layout).
    pub exaggeration_iterations: usize,
    /// Starting positions.
    pub init: Init,
    /// Seed for random starting positions.
    pub seed: u64,
}

impl Default for TsneParams {
    fn default() -> Self {
        TsneParams {
            perplexity: 30.0,
            iterations: 1000,
            learning_rate: None,
            theta: 0.5,
            exaggeration: 12.0,
            exaggeration_iterations: 250,
            init: Init::Pca,
            seed: 1,
        }
    }
}

impl TsneParams {
    /// The perplexity `n` points can carry: the one asked for when it is below `n`, else a
    /// third of the other points (a few words laid out with the default of 30 still work).
    pub fn perplexity_for(&self, n: usize) -> f64 {
        if n >= 3 && self.perplexity >= n as f64 {
            ((n - 1) as f64 / 3.0).max(0.5)
        } else {
            self.perplexity
        }
    }

    fn check(&self, n: usize) -> Result<()> {
        let bad = |m: &str| Err(Error::Invalid(format!("t-SNE: {m}")));
        if !(self.perplexity.is_finite() && self.perplexity > 0.0) {
            return bad("the perplexity must be positive");
        }
        if self.perplexity >= n as f64 {
            return bad(&format!(
                "the perplexity ({}) must be below the number of points ({n}); about a third of them ({:.1}) suits so few",
                self.perplexity,
                ((n.max(1) - 1) as f64 / 3.0).max(0.5)
            ));
        }
        if !(self.theta.is_finite() && self.theta >= 0.0) {
            return bad("theta must be 0 or more");
        }
        if self
            .learning_rate
            .is_some_and(|r| !(r.is_finite() && r > 0.0))
        {
            return bad("the learning rate must be positive");
        }
        if let Init::Given(p) = &self.init {
            if p.len() != n || p.iter().flatten().any(|x| !x.is_finite()) {
                return bad("the starting layout must have one finite point per word");
            }
        }
        Ok(())
    }
}

/// Lays out `rows` in 2-D with t-SNE, streaming frames; returns the final layout.
pub fn tsne(rows: &Rows, params: &TsneParams, stream: &mut Stream<'_>) -> Result<Vec<[f32; 2]>> {
    let n = rows.len();
    if n < 3 {
        return Ok(super::layout::small_layout(n));
    }
    params.check(n)?;
    let k = ((3.0 * params.perplexity + 1.0) as usize).min(n - 1);
    let knn = cosine_knn(rows, k);
    stream.control.check()?;
    let p = affinity::joint(&knn, params.perplexity);
    let mut pos = initial(rows, params)?;
    stream.report(0, params.iterations, &pos, true);
    optimise(&p, &mut pos, params, stream)?;
    Ok(pos.iter().map(|q| [q[0] as f32, q[1] as f32]).collect())
}

fn initial(rows: &Rows, params: &TsneParams) -> Result<Vec<[f64; 2]>> {
    let n = rows.len();
    Ok(match &params.init {
        Init::Given(p) => p.iter().map(|q| [q[0] as f64, q[1] as f64]).collect(),
        Init::Random => {
            let mut r = Rng::new(params.seed);
            (0..n)
                .map(|_| [r.normal() * 1e-4, r.normal() * 1e-4])
                .collect()
        }
        Init::Pca => {
            let fit = super::fit(&rows.slices(), None)?;
            let mean = fit.points.iter().map(|p| p[0] as f64).sum::<f64>() / n as f64;
            let var = fit
                .points
                .iter()
                .map(|p| (p[0] as f64 - mean).powi(2))
                .sum::<f64>()
                / n as f64;
            let s = if var > 0.0 { 1e-4 / var.sqrt() } else { 1.0 };
            fit.points
                .iter()
                .map(|p| [p[0] as f64 * s, p[1] as f64 * s])
                .collect()
        }
    })
}

/// The gradient descent of scikit-learn's `_gradient_descent` on the Barnes-Hut gradient.
fn optimise(
    p: &Sparse,
    pos: &mut [[f64; 2]],
    params: &TsneParams,
    stream: &mut Stream<'_>,
) -> Result<()> {
    let n = pos.len();
    let rate = params
        .learning_rate
        .unwrap_or_else(|| (n as f64 / params.exaggeration / 4.0).max(50.0));
    let mut update = vec![[0.0f64; 2]; n];
    let mut gains = vec![[1.0f64; 2]; n];
    for it in 0..params.iterations {
        stream.control.checkpoint()?;
        let early = it < params.exaggeration_iterations;
        let (exaggeration, momentum) = if early {
            (params.exaggeration, 0.5)
        } else {
            (1.0, 0.8)
        };
        let grad = gradient(p, pos, exaggeration, params.theta);
        for i in 0..n {
            for d in 0..2 {
                let g = grad[i][d];
                if update[i][d] * g < 0.0 {
                    gains[i][d] += 0.2;
                } else {
                    gains[i][d] = (gains[i][d] * 0.8).max(0.01);
                }
                update[i][d] = momentum * update[i][d] - rate * gains[i][d] * g;
                pos[i][d] += update[i][d];
            }
        }
        stream.report(it + 1, params.iterations, pos, it + 1 == params.iterations);
    }
    Ok(())
}

/// The gradient of KL(P ‖ Q): 4 (exaggeration · attraction − repulsion / Z).
fn gradient(p: &Sparse, pos: &[[f64; 2]], exaggeration: f64, theta: f64) -> Vec<[f64; 2]> {
    let tree = QuadTree::new(pos);
    let (rep, z) = tree.repulsions(theta);
    let z = z.max(f64::MIN_POSITIVE);
    (0..pos.len())
        .into_par_iter()
        .map(|i| {
            let y = pos[i];
            let mut f = [0.0f64; 2];
            for e in p.start[i]..p.start[i + 1] {
                let q = pos[p.col[e] as usize];
                let (dx, dy) = (y[0] - q[0], y[1] - q[1]);
                let m = p.val[e] / (1.0 + dx * dx + dy * dy);
                f[0] += m * dx;
                f[1] += m * dy;
            }
            [
                4.0 * (exaggeration * f[0] - rep[i][0] / z),
                4.0 * (exaggeration * f[1] - rep[i][1] / z),
            ]
        })
        .collect()
}
