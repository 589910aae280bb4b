//! 2-D projections of a few vectors for plotting: PCA with axes that stay put between fits.
//!
//! [`fit`] centres the rows and finds the two principal axes with linfa-reduction's PCA (a
//! truncated SVD); for fewer than three rows, or when the SVD cannot converge on degenerate
//! input, it falls back to an exact eigen-decomposition of the small Gram matrix. Signs of
//! principal axes are arbitrary, so a plot would mirror itself at random when a word is added:
//! given the previous [`Basis`], each new axis is flipped to point the same way as the old one.
//!
//! [`svg`] writes a plot as a self-contained SVG file; [`png`] (feature `png`) draws the same
//! plot as a PNG picture; both place labels with [`labels`], so that no two overlap and none
//! covers another word's point.
mod gram;
pub mod labels;
#[cfg(feature = "png")]
pub mod png;
pub mod svg;

pub mod axes;
pub mod kmeans;
pub mod layout;
pub mod points;
pub mod quality;
pub(crate) mod rng;
pub mod rows;
pub mod stream;
#[cfg(test)]
mod testdata;
pub mod tsne;
pub mod umap;

use crate::error::{Error, Result};
use linfa::traits::Fit;
use linfa::DatasetBase;
use linfa_reduction::Pca;
use ndarray::Array2;

/// The two principal axes, unit vectors in the space's dimension (or all zeros when the data
/// has no spread along that axis), and the centre of the rows they were fitted to.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Basis {
    /// The first and second principal axes.
    pub axes: [Vec<f32>; 2],
    /// The mean of the fitted rows (empty for a basis built by hand: the origin).
    pub centre: Vec<f32>,
}

impl Basis {
    /// The point of `v` on the fitted plane (relative to the centre), or `None` when `v`
    /// has another dimension than the axes.
    pub fn project(&self, v: &[f32]) -> Option<[f32; 2]> {
        let centred = !self.centre.is_empty();
        if (centred && self.centre.len() != v.len()) || self.axes.iter().any(|a| a.len() != v.len())
        {
            return None;
        }
        let at = |axis: &[f32]| -> f32 {
            v.iter()
                .enumerate()
                .zip(axis)
                .map(|((j, x), a)| (x - if centred { self.centre[j] } else { 0.0 }) * a)
                .sum()
        };
        Some([at(&self.axes[0]), at(&self.axes[1])])
    }
}

/// Rows projected to 2-D.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Projection {
    /// One point per input row, in input order (coordinates along the two axes).
    pub points: Vec<[f32; 2]>,
    /// The share of the rows' total variance along each axis (0..=1; 0 without spread).
    pub explained: [f64; 2],
    /// The axes (and centre) the points were projected on.
    pub basis: Basis,
}

impl Projection {
    /// The axes' titles: `PC1 (38.2 %)` and `PC2 (…)`, with the share of the variance.
    pub fn axis_titles(&self) -> [String; 2] {
        [0, 1].map(|k| format!("PC{} ({:.1} %)", k + 1, self.explained[k] * 100.0))
    }
}

/// Below this total variance the rows count as identical.
const FLAT: f64 = 1e-12;

/// Projects `vectors` (rows of one dimension) on their two principal axes. `previous` keeps
/// the orientation of an earlier fit: each new axis is flipped to have a non-negative dot
/// product with the old one of the same rank.
pub fn fit(vectors: &[&[f32]], previous: Option<&Basis>) -> Result<Projection> {
    let n = vectors.len();
    let Some(dim) = vectors.first().map(|v| v.len()) else {
        return Ok(Projection::default());
    };
    if vectors.iter().any(|v| v.len() != dim) {
        return Err(Error::Invalid(
            "PCA needs vectors of one dimension".to_string(),
        ));
    }
    if vectors.iter().any(|v| v.iter().any(|x| !x.is_finite())) {
        return Err(Error::Invalid("PCA of a vector that is not finite".into()));
    }
    let centred = centre(vectors, dim);
    let total: f64 = centred.iter().map(|x| x * x).sum();
    let mut axes = if total <= FLAT {
        [vec![0.0; dim], vec![0.0; dim]]
    } else {
        principal_axes(&centred, total)
    };
    if let Some(prev) = previous {
        align(&mut axes, prev);
    }
    let mut points = vec![[0.0f32; 2]; n];
    let mut spread = [0.0f64; 2];
    for (i, p) in points.iter_mut().enumerate() {
        let row = centred.row(i);
        for (k, axis) in axes.iter().enumerate() {
            let c: f64 = row.iter().zip(axis).map(|(x, a)| x * a).sum();
            p[k] = c as f32;
            spread[k] += c * c;
        }
    }
    let explained = if total <= FLAT {
        [0.0; 2]
    } else {
        spread.map(|s| (s / total).clamp(0.0, 1.0))
    };
    let centre = (0..dim)
        .map(|j| (vectors.iter().map(|v| v[j] as f64).sum::<f64>() / n as f64) as f32)
        .collect();
    let basis = Basis {
        axes: axes.map(|a| a.into_iter().map(|x| x as f32).collect()),
        centre,
    };
    Ok(Projection {
        points,
        explained,
        basis,
    })
}

fn centre(vectors: &[&[f32]], dim: usize) -> Array2<f64> {
    let n = vectors.len();
    let mut m = Array2::<f64>::zeros((n, dim));
    for (i, v) in vectors.iter().enumerate() {
        for (j, &x) in v.iter().enumerate() {
            m[[i, j]] = x as f64;
        }
    }
    // `None` only for zero rows, which have nothing to centre.
    if let Some(mean) = m.mean_axis(ndarray::Axis(0)) {
        m -= &mean;
    }
    m
}

/// Below this many rows or dimensions the exact method is used: linfa's truncated SVD
/// (LOBPCG) needs a search space several times the two wanted axes, and on tiny problems it
/// stops early with poor axes.
const SVD_MIN: usize = 10;

/// The two leading axes of centred rows: linfa's PCA where it applies, else the Gram matrix.
fn principal_axes(centred: &Array2<f64>, total: f64) -> [Vec<f64>; 2] {
    let (n, dim) = centred.dim();
    if n >= SVD_MIN && dim >= SVD_MIN {
        if let Some(axes) = linfa_axes(centred, total) {
            return axes;
        }
    }
    gram::axes(centred, total)
}

/// Spread of the centred rows along `axis` (sum of squared coordinates).
fn spread(centred: &Array2<f64>, axis: &[f64]) -> f64 {
    centred
        .rows()
        .into_iter()
        .map(|r| r.iter().zip(axis).map(|(x, a)| x * a).sum::<f64>().powi(2))
        .sum()
}

/// linfa's axes, when they pass a check: unit length, orthogonal, and eigenvectors of the
/// scatter matrix XᵀX (small residual) — LOBPCG returns what it has when it runs out of
/// iterations.
fn linfa_axes(centred: &Array2<f64>, total: f64) -> Option<[Vec<f64>; 2]> {
    let dataset = DatasetBase::from(centred.clone());
    let pca = Pca::params(2).fit(&dataset).ok()?;
    let c = pca.components();
    if c.nrows() != 2 || c.iter().any(|x| !x.is_finite()) {
        return None;
    }
    let mut axes = [c.row(0).to_vec(), c.row(1).to_vec()];
    let dot: f64 = axes[0].iter().zip(&axes[1]).map(|(a, b)| a * b).sum();
    if dot.abs() > 1e-6 {
        return None;
    }
    for axis in &mut axes {
        let v = ndarray::ArrayView1::from(axis.as_slice());
        if (v.dot(&v) - 1.0).abs() > 1e-6 {
            return None;
        }
        let w = centred.t().dot(&centred.dot(&v));
        let lambda = v.dot(&w);
        let residual = (&w - &(&v * lambda)).mapv(|x| x * x).sum().sqrt();
        if residual > total * 1e-6 {
            return None;
        }
        // The SVD clamps tiny singular values instead of dropping the axis: an axis without
        // spread (rank-1 data) becomes zero, as in the exact method.
        if spread(centred, axis) <= total * 1e-9 {
            axis.iter_mut().for_each(|x| *x = 0.0);
        }
    }
    Some(axes)
}

/// Flips each axis to point the way the previous one of the same rank did.
fn align(axes: &mut [Vec<f64>; 2], previous: &Basis) {
    for (axis, prev) in axes.iter_mut().zip(&previous.axes) {
        if prev.len() != axis.len() {
            continue;
        }
        let dot: f64 = axis.iter().zip(prev).map(|(a, &b)| a * b as f64).sum();
        if dot < 0.0 {
            axis.iter_mut().for_each(|x| *x = -*x);
        }
    }
}

#[cfg(test)]
mod tests;
