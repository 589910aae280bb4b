//! UMAP (McInnes, Healy & Melville 2018) on embx's exact k-NN graph (cosine distance): the
//! fuzzy graph and the output kernel of umap-learn, its epoch schedule (500 epochs up to
//! 10,000 points, 200 beyond; edges sampled in proportion to their weight; 5 negative
//! samples per positive one; learning rate decaying linearly from 1), started from the PCA
//! layout scaled to [0, 10] (umap-learn's `init="pca"`; its default is a spectral layout).
//!
//! The optimisation runs on one thread in a fixed order, so a seed gives one layout.
mod curve;
mod graph;
mod sgd;

use super::rng::Rng;
use super::rows::{cosine_knn, Rows};
use super::stream::Stream;
use crate::error::{Error, Result};
pub use curve::find_ab;
pub use graph::{fuzzy_graph, Edge};

/// Where the points start.
#[derive(Debug, Clone, PartialEq)]
pub enum UmapInit {
    /// The first two principal components scaled to [0, 10].
    Pca,
    /// Uniform in [−10, 10]², from the seed.
    Random,
    /// Given positions (the current layout, to restart after a change).
    Given(Vec<[f32; 2]>),
}

/// The parameters of a UMAP run.
#[derive(Debug, Clone, PartialEq)]
pub struct UmapParams {
    /// Size of the local neighbourhood, the point itself included (umap-learn's default 15).
    pub n_neighbors: usize,
    /// How tightly points may pack (umap-learn's default 0.1).
    pub min_dist: f64,
    /// Scale of the embedded points (1).
    pub spread: f64,
    /// Epochs; `None` for 500 up to 10,000 points and 200 beyond.
    pub epochs: Option<usize>,
    /// Negative samples per positive sample (5).
    pub negative_sample_rate: usize,
    /// Starting learning rate (1).
    pub learning_rate: f64,
    /// Starting positions.
    pub init: UmapInit,
    /// Seed of the negative sampling and random starts.
    pub seed: u64,
}

impl Default for UmapParams {
    fn default() -> Self {
        UmapParams {
            n_neighbors: 15,
            min_dist: 0.1,
            spread: 1.0,
            epochs: None,
            negative_sample_rate: 5,
            learning_rate: 1.0,
            init: UmapInit::Pca,
            seed: 1,
        }
    }
}

impl UmapParams {
    fn check(&self, n: usize) -> Result<()> {
        let bad = |m: &str| Err(Error::Invalid(format!("UMAP: {m}")));
        if self.n_neighbors < 2 {
            return bad("n_neighbors must be 2 or more");
        }
        if !(self.min_dist.is_finite()
            && self.min_dist >= 0.0
            && self.spread > 0.0
            && self.min_dist <= self.spread)
        {
            return bad("min_dist must be between 0 and the spread");
        }
        if !(self.learning_rate.is_finite() && self.learning_rate > 0.0) {
            return bad("the learning rate must be positive");
        }
        if let UmapInit::Given(p) = &self.init {
            if p.len() != n || p.iter().flatten().any(|x| !x.is_finite()) {
                return bad("the starting layout must have one finite point per word");
            }
        }
        Ok(())
    }
}

/// Lays out `rows` in 2-D with UMAP, streaming frames; returns the final layout.
pub fn umap(rows: &Rows, params: &UmapParams, stream: &mut Stream<'_>) -> Result<Vec<[f32; 2]>> {
    let n = rows.len();
    if n < 3 {
        return Ok(super::layout::small_layout(n));
    }
    params.check(n)?;
    let knn = cosine_knn(rows, params.n_neighbors - 1);
    stream.control.check()?;
    let edges = graph::fuzzy_graph(&knn);
    let epochs = params.epochs.unwrap_or(if n <= 10_000 { 500 } else { 200 });
    let mut rng = Rng::new(params.seed);
    let mut pos = initial(rows, params, &mut rng)?;
    stream.report(0, epochs, &pos, true);
    let (a, b) = curve::find_ab(params.spread, params.min_dist);
    let mut opt = sgd::Sgd::new(&edges, epochs, params, (a, b));
    for epoch in 0..epochs {
        stream.control.checkpoint()?;
        opt.epoch(&mut pos, epoch, &mut rng);
        stream.report(epoch + 1, epochs, &pos, epoch + 1 == epochs);
    }
    Ok(pos.iter().map(|q| [q[0] as f32, q[1] as f32]).collect())
}

fn initial(rows: &Rows, params: &UmapParams, rng: &mut Rng) -> Result<Vec<[f64; 2]>> {
    let n = rows.len();
    let raw: Vec<[f64; 2]> = match &params.init {
        UmapInit::Given(p) => return Ok(p.iter().map(|q| [q[0] as f64, q[1] as f64]).collect()),
        UmapInit::Random => (0..n)
            .map(|_| [rng.unit() * 20.0 - 10.0, rng.unit() * 20.0 - 10.0])
            .collect(),
        UmapInit::Pca => {
            let fit = super::fit(&rows.slices(), None)?;
            fit.points
                .iter()
                .map(|p| {
                    [
                        p[0] as f64 + rng.normal() * 1e-4,
                        p[1] as f64 + rng.normal() * 1e-4,
                    ]
                })
                .collect()
        }
    };
    // Each coordinate scaled to [0, 10], as umap-learn does before optimising.
    let mut out = raw;
    for d in 0..2 {
        let lo = out.iter().map(|p| p[d]).fold(f64::INFINITY, f64::min);
        let hi = out.iter().map(|p| p[d]).fold(f64::NEG_INFINITY, f64::max);
        let s = if hi > lo { 10.0 / (hi - lo) } else { 0.0 };
        out.iter_mut().for_each(|p| p[d] = (p[d] - lo) * s);
    }
    Ok(out)
}
