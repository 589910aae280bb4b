//! How honest a layout is: the mean fraction of each point's `k` nearest neighbours in the
//! original space (cosine) that are also among its `k` nearest in the layout (Euclidean).
use super::rows::TopK;
use super::rows::{cosine_knn, plane_knn, Knn, Rows};
use crate::error::{Error, Result};
use serde::Serialize;

/// The neighbours a layout keeps.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Kept {
    /// Neighbours compared per point.
    pub k: usize,
    /// For each point, how many of its `k` original neighbours are near it in the layout.
    pub per_point: Vec<u16>,
    /// Mean over points of `per_point / k` (0 without points).
    pub mean: f64,
}

impl Kept {
    /// Whether the figure says anything: among `n` points two sets of `k` neighbours share at
    /// least `2k − (n − 1)`, so below `2k + 1` points the figure is high whatever the layout
    /// does (with `k + 1` points it is always 1).
    pub fn is_informative(&self) -> bool {
        self.k > 0 && self.per_point.len() > 2 * self.k
    }

    /// "3 of its 10 neighbours are near it here" for point `i`.
    pub fn describe(&self, i: usize) -> Option<String> {
        let kept = self.per_point.get(i)?;
        Some(format!(
            "{kept} of its {} neighbours are near it here",
            self.k
        ))
    }
}

/// The kept-neighbours figure of `points` laid out from `rows`.
pub fn kept_neighbours(rows: &Rows, points: &[[f32; 2]], k: usize) -> Result<Kept> {
    kept_with(&cosine_knn(rows, k), points, k)
}

/// [`kept_neighbours`] with the original neighbours already known (at least `k` per row).
pub fn kept_with(original: &Knn, points: &[[f32; 2]], k: usize) -> Result<Kept> {
    let n = points.len();
    let k = k.min(n.saturating_sub(1));
    if original.k < k || original.index.len() != n * original.k {
        return Err(Error::Invalid(format!(
            "kept neighbours: need {k} original neighbours for each of {n} points"
        )));
    }
    let layout = plane_knn(points, k);
    let per_point: Vec<u16> = (0..n)
        .map(|i| overlap(&original.of(i)[..k], layout.of(i)) as u16)
        .collect();
    let mean = if n == 0 || k == 0 {
        0.0
    } else {
        per_point.iter().map(|&c| c as f64 / k as f64).sum::<f64>() / n as f64
    };
    Ok(Kept { k, per_point, mean })
}

/// How many of `original` (one point's original neighbours) are among its `k` nearest in
/// `points` — the per-point figure for one focused point, without the whole computation.
pub fn kept_for_point(original: &[u32], points: &[[f32; 2]], i: usize) -> usize {
    let k = original.len();
    let Some(&[x, y]) = points.get(i) else {
        return 0;
    };
    let mut top = TopK::new(k);
    for (j, p) in points.iter().enumerate() {
        if j != i {
            let (dx, dy) = (p[0] - x, p[1] - y);
            top.push(dx * dx + dy * dy, j as u32);
        }
    }
    let near: Vec<u32> = top.items().iter().map(|e| e.1).collect();
    overlap(original, &near)
}

fn overlap(a: &[u32], b: &[u32]) -> usize {
    a.iter().filter(|x| b.contains(x)).count()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::project::rng::Rng;

    /// Brute force: sort every other point by distance, take the first k of each.
    fn brute(rows: &Rows, points: &[[f32; 2]], k: usize) -> f64 {
        let n = rows.len();
        let mut total = 0.0;
        for i in 0..n {
            let mut orig: Vec<(f64, usize)> = (0..n)
                .filter(|&j| j != i)
                .map(|j| {
                    let c: f64 = rows
                        .row(i)
                        .iter()
                        .zip(rows.row(j))
                        .map(|(a, b)| (a * b) as f64)
                        .sum();
                    (1.0 - c, j)
                })
                .collect();
            orig.sort_by(|a, b| a.partial_cmp(b).unwrap());
            let mut lay: Vec<(f64, usize)> = (0..n)
                .filter(|&j| j != i)
                .map(|j| {
                    let dx = (points[i][0] - points[j][0]) as f64;
                    let dy = (points[i][1] - points[j][1]) as f64;
                    (dx * dx + dy * dy, j)
                })
                .collect();
            lay.sort_by(|a, b| a.partial_cmp(b).unwrap());
            let near: Vec<usize> = lay[..k].iter().map(|e| e.1).collect();
            total += orig[..k].iter().filter(|e| near.contains(&e.1)).count() as f64 / k as f64;
        }
        total / n as f64
    }

    fn random(n: usize, dim: usize, seed: u64) -> (Rows, Vec<[f32; 2]>) {
        let mut r = Rng::new(seed);
        let v: Vec<Vec<f32>> = (0..n)
            .map(|_| (0..dim).map(|_| r.normal() as f32).collect())
            .collect();
        let slices: Vec<&[f32]> = v.iter().map(Vec::as_slice).collect();
        let rows = Rows::from_vectors(&slices).unwrap();
        // The layout: the first two coordinates plus noise, so the figure is in between.
        let points = v
            .iter()
            .map(|x| [x[0] + 0.3 * r.normal() as f32, x[1]])
            .collect();
        (rows, points)
    }

    #[test]
    fn matches_brute_force() {
        for (n, dim, k, seed) in [(200, 3, 10, 1), (150, 8, 5, 2), (12, 4, 10, 3)] {
            let (rows, points) = random(n, dim, seed);
            let kept = kept_neighbours(&rows, &points, k).unwrap();
            let want = brute(&rows, &points, k.min(n - 1));
            assert!((kept.mean - want).abs() < 1e-9, "{} vs {want}", kept.mean);
            assert!(kept.mean > 0.05 && kept.mean < 0.95, "{}", kept.mean);
        }
    }

    #[test]
    fn one_point_agrees_with_the_whole() {
        let (rows, points) = random(100, 3, 7);
        let original = cosine_knn(&rows, 10);
        let kept = kept_with(&original, &points, 10).unwrap();
        for i in [0, 17, 99] {
            assert_eq!(
                kept_for_point(original.of(i), &points, i),
                kept.per_point[i] as usize
            );
        }
        assert!(kept
            .describe(17)
            .unwrap()
            .ends_with("of its 10 neighbours are near it here"));
    }

    #[test]
    fn the_identity_layout_keeps_everything() {
        let mut r = Rng::new(5);
        let pts: Vec<[f32; 2]> = (0..80)
            .map(|_| [r.normal() as f32, r.normal() as f32])
            .collect();
        let v: Vec<Vec<f32>> = pts.iter().map(|p| vec![p[0], p[1], 10.0]).collect();
        let slices: Vec<&[f32]> = v.iter().map(Vec::as_slice).collect();
        let rows = Rows::from_vectors(&slices).unwrap();
        // Cosine on (x, y, 10) is monotone in the planar distance only approximately; use the
        // original neighbours of the plane itself instead.
        let kept = kept_with(&plane_knn(&pts, 10), &pts, 10).unwrap();
        assert_eq!(kept.mean, 1.0);
        assert!(kept_neighbours(&rows, &pts, 10).unwrap().mean > 0.7);
        // A layout with fewer points than rows is refused, not misread.
        assert!(kept_neighbours(&rows, &pts[..50], 10).is_err());
    }
}
