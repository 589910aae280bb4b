//! k-means over the original unit vectors (k-means++ seeding, then Lloyd's iterations), for
//! colouring a layout by cluster.
use super::rng::Rng;
use super::rows::Rows;
use crate::error::{Error, Result};
use rayon::prelude::*;

/// Cluster of each row (0..k) and the centres.
#[derive(Debug, Clone, PartialEq)]
pub struct Clusters {
    /// The cluster of each row.
    pub labels: Vec<u32>,
    /// The centres, `k` rows of the space's dimension.
    pub centres: Vec<Vec<f32>>,
}

/// k-means of `rows` into `k` clusters (fewer when there are fewer distinct rows), seeded.
pub fn kmeans(rows: &Rows, k: usize, iterations: usize, seed: u64) -> Result<Clusters> {
    let n = rows.len();
    if k == 0 {
        return Err(Error::Invalid("k-means needs at least one cluster".into()));
    }
    if n == 0 {
        return Ok(Clusters {
            labels: Vec::new(),
            centres: Vec::new(),
        });
    }
    let mut centres = seed_centres(rows, k.min(n), seed);
    let mut labels = vec![0u32; n];
    for _ in 0..iterations.max(1) {
        let next: Vec<u32> = (0..n)
            .into_par_iter()
            .map(|i| nearest(rows.row(i), &centres).0)
            .collect();
        let changed = next != labels;
        labels = next;
        centres = means(rows, &labels, &centres);
        if !changed {
            break;
        }
    }
    Ok(Clusters { labels, centres })
}

fn dist2(a: &[f32], b: &[f32]) -> f64 {
    a.iter().zip(b).map(|(x, y)| ((x - y) as f64).powi(2)).sum()
}

fn nearest(row: &[f32], centres: &[Vec<f32>]) -> (u32, f64) {
    let mut best = (0u32, f64::INFINITY);
    for (c, centre) in centres.iter().enumerate() {
        let d = dist2(row, centre);
        if d < best.1 {
            best = (c as u32, d);
        }
    }
    best
}

/// k-means++: each next centre drawn with probability proportional to the squared distance
/// to the nearest centre so far.
fn seed_centres(rows: &Rows, k: usize, seed: u64) -> Vec<Vec<f32>> {
    let n = rows.len();
    let mut rng = Rng::new(seed);
    let mut centres = vec![rows.row(rng.below(n)).to_vec()];
    let mut d: Vec<f64> = (0..n).map(|i| dist2(rows.row(i), &centres[0])).collect();
    while centres.len() < k {
        let total: f64 = d.iter().sum();
        if total <= 0.0 {
            break;
        }
        let mut target = rng.unit() * total;
        let mut pick = n - 1;
        for (i, &di) in d.iter().enumerate() {
            if target < di {
                pick = i;
                break;
            }
            target -= di;
        }
        let c = rows.row(pick).to_vec();
        for (i, di) in d.iter_mut().enumerate() {
            *di = di.min(dist2(rows.row(i), &c));
        }
        centres.push(c);
    }
    centres
}

/// The mean of each cluster (an empty cluster keeps its old centre).
fn means(rows: &Rows, labels: &[u32], old: &[Vec<f32>]) -> Vec<Vec<f32>> {
    let dim = rows.dim();
    let mut sums = vec![vec![0.0f64; dim]; old.len()];
    let mut counts = vec![0usize; old.len()];
    for (i, &l) in labels.iter().enumerate() {
        counts[l as usize] += 1;
        sums[l as usize]
            .iter_mut()
            .zip(rows.row(i))
            .for_each(|(s, &x)| *s += x as f64);
    }
    sums.iter()
        .zip(&counts)
        .zip(old)
        .map(|((s, &c), o)| {
            if c == 0 {
                o.clone()
            } else {
                s.iter().map(|v| (v / c as f64) as f32).collect()
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::project::testdata::clustered;

    #[test]
    fn finds_generated_clusters() {
        let (rows, truth) = clustered(5, 40, 20, 3);
        let c = kmeans(&rows, 5, 50, 9).unwrap();
        // Every true cluster maps to one found cluster, and the mapping is one-to-one.
        let mut map = std::collections::HashMap::new();
        for (l, t) in c.labels.iter().zip(&truth) {
            assert_eq!(*map.entry(*t).or_insert(*l), *l);
        }
        let found: std::collections::HashSet<_> = map.values().collect();
        assert_eq!(found.len(), 5);
        assert_eq!(kmeans(&rows, 5, 50, 9).unwrap(), c, "seeded runs agree");
    }
}
