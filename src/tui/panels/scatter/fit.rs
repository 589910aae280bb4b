//! A layout as the scatter shows it: the words, where they are, why they are there, the
//! arrows, the axis titles, and what the worker learnt about it (the kept-neighbours figure,
//! the original neighbours, the clusters).
use crate::project::quality::{kept_for_point, Kept};
use crate::project::rows::Knn;
use crate::project::Basis;
use std::sync::Arc;

/// Why a word is in the plot.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A word of the point set (a selected word when the set is the selection).
    Selected,
    /// One of the four words of the analogy, or a word that defines a custom axis.
    Analogy,
    /// A neighbour of a selected word, or a word of a larger set (drawn plainer).
    Neighbour,
}

/// One placed word.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    pub row: u32,
    pub at: [f32; 2],
    pub kind: Kind,
}

/// A layout: finished, or the latest frame of one under way.
#[derive(Debug, Clone, Default)]
pub struct Fit {
    pub(super) items: Vec<Item>,
    /// Arrows between items (indices): a→b and c→answer.
    pub(super) arrows: Vec<(usize, usize)>,
    pub(super) titles: [String; 2],
    /// The PCA basis, kept so the next fit of the selection keeps its orientation.
    pub(super) basis: Option<Basis>,
    /// The method's name and its progress ("t-SNE 340/1000").
    pub(super) method: String,
    pub(super) iteration: usize,
    pub(super) iterations: usize,
    /// The kept-neighbours figure of this (or a recent) frame.
    pub(super) kept: Option<Kept>,
    /// Each word's 10 nearest neighbours in the original space (item indices).
    pub(super) original: Option<Arc<Knn>>,
    /// The k-means cluster of each item, over the original vectors.
    pub(super) clusters: Option<Arc<Vec<u32>>>,
    /// Words of the set that are not in the vocabulary.
    pub(super) missing: Vec<String>,
    /// How many of the items are the set's (the first ones); the others are the analogy's or
    /// the axes' words, or the selection's neighbours.
    pub(super) from_set: usize,
}

impl Fit {
    /// The placed words.
    pub fn items(&self) -> &[Item] {
        &self.items
    }

    /// Arrows between items (indices).
    pub fn arrows(&self) -> &[(usize, usize)] {
        &self.arrows
    }

    /// Axis titles such as `PC1 (38.2 %)` or `man → woman`.
    pub fn axis_titles(&self) -> [String; 2] {
        self.titles.clone()
    }

    /// The PCA basis (PCA layouts only).
    pub fn basis(&self) -> Option<&Basis> {
        self.basis.as_ref()
    }

    /// The kept-neighbours figure, once known.
    pub fn kept(&self) -> Option<&Kept> {
        self.kept.as_ref()
    }

    /// The cluster of each item, once known.
    pub fn clusters(&self) -> Option<&[u32]> {
        self.clusters.as_deref().map(Vec::as_slice)
    }

    /// Iterations done and planned (0 and 0 for one-shot methods).
    pub fn progress(&self) -> (usize, usize) {
        (self.iteration, self.iterations)
    }

    /// The method's name.
    pub fn method(&self) -> &str {
        &self.method
    }

    /// The index of `row` among the items.
    pub fn index_of(&self, row: u32) -> Option<usize> {
        self.items.iter().position(|it| it.row == row)
    }

    /// How many of item `i`'s original neighbours are among its nearest here, and of how
    /// many: the focused word's honesty figure.
    pub fn kept_at(&self, i: usize) -> Option<(usize, usize)> {
        let original = self.original.as_ref()?;
        if i >= self.items.len() || original.index.len() != self.items.len() * original.k {
            return None;
        }
        let points: Vec<[f32; 2]> = self.items.iter().map(|it| it.at).collect();
        let own = original.of(i);
        Some((kept_for_point(own, &points, i), own.len()))
    }

    /// The smallest box around the points: x0, x1, y0, y1 (zeros without points).
    pub fn bounds(&self) -> [f64; 4] {
        let mut b = [f64::MAX, f64::MIN, f64::MAX, f64::MIN];
        for it in &self.items {
            let [x, y] = it.at.map(f64::from);
            b = [b[0].min(x), b[1].max(x), b[2].min(y), b[3].max(y)];
        }
        if self.items.is_empty() {
            [0.0; 4]
        } else {
            b
        }
    }

    /// The item nearest to item `from` in the direction `(dx, dy)` (y up), within about 60°
    /// of it; nearer in the direction and closer to its line wins.
    pub fn step(&self, from: usize, dx: f64, dy: f64) -> Option<usize> {
        let [x, y] = self.items.get(from)?.at.map(f64::from);
        let len = (dx * dx + dy * dy).sqrt();
        if len == 0.0 {
            return None;
        }
        let (ux, uy) = (dx / len, dy / len);
        let mut best: Option<(f64, usize)> = None;
        for (j, it) in self.items.iter().enumerate() {
            let (vx, vy) = (f64::from(it.at[0]) - x, f64::from(it.at[1]) - y);
            let along = vx * ux + vy * uy;
            let across = (vx * uy - vy * ux).abs();
            if j == from || along <= 0.0 || across > along * 1.8 {
                continue;
            }
            let score = along + 2.0 * across;
            if best.is_none_or(|(s, _)| score < s) {
                best = Some((score, j));
            }
        }
        best.map(|(_, j)| j)
    }

    /// The item nearest to the plane point `p`.
    pub fn nearest(&self, p: [f64; 2]) -> Option<usize> {
        let d =
            |it: &Item| (f64::from(it.at[0]) - p[0]).powi(2) + (f64::from(it.at[1]) - p[1]).powi(2);
        (0..self.items.len()).min_by(|&a, &b| d(&self.items[a]).total_cmp(&d(&self.items[b])))
    }
}

/// A fit of `points`, every one a selected word (for the panel's tests).
#[cfg(test)]
pub(super) fn test_fit(points: &[[f32; 2]]) -> Fit {
    Fit {
        items: points
            .iter()
            .enumerate()
            .map(|(i, &at)| Item {
                row: i as u32,
                at,
                kind: Kind::Selected,
            })
            .collect(),
        from_set: points.len(),
        ..Fit::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use super::test_fit as fit;

    #[test]
    fn the_cursor_steps_to_the_nearest_point_in_a_direction() {
        //    3
        // 1  0  2      4 (far right)
        //    5 (below, slightly right)
        let f = fit(&[
            [0.0, 0.0],
            [-1.0, 0.0],
            [1.0, 0.1],
            [0.0, 1.0],
            [5.0, 0.0],
            [0.2, -1.0],
        ]);
        assert_eq!(f.step(0, 1.0, 0.0), Some(2));
        assert_eq!(f.step(0, -1.0, 0.0), Some(1));
        assert_eq!(f.step(0, 0.0, 1.0), Some(3));
        assert_eq!(f.step(0, 0.0, -1.0), Some(5));
        assert_eq!(f.step(2, 1.0, 0.0), Some(4));
        assert_eq!(f.step(4, 1.0, 0.0), None, "nothing further right");
        assert_eq!(f.step(9, 1.0, 0.0), None);
        assert_eq!(f.nearest([4.0, 0.5]), Some(4));
        assert_eq!(f.bounds(), [-1.0, 5.0, -1.0, 1.0]);
        assert_eq!(Fit::default().nearest([0.0, 0.0]), None);
    }
}
