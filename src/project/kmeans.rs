//! k-means over the original unit vectors, for colouring a layout by cluster. It is the
//! k-means of the product quantizer's codebooks (`io::fifu::kmeans`: k-means++ seeding,
//! Lloyd's steps with the encoder's nearest-centroid kernel, an empty cluster re-seeded with
//! the row farthest from its centroid), run until no row changes cluster.
use super::rows::Rows;
use crate::error::{Error, Result};
use crate::io::fifu::kmeans::KMeans;
use rand_chacha::rand_core::SeedableRng;
use rand_chacha::ChaChaRng;

/// Cluster of each row (0..k) and the centres.
#[derive(Debug, Clone, PartialEq)]
pub struct Clusters {
    /// The cluster of each row.
    pub labels: Vec<u32>,
    /// The centres, `k` rows of the space's dimension.
    pub centres: Vec<Vec<f32>>,
}

/// Seedings tried; the clustering with the smallest mean squared distance is kept (Lloyd's
/// steps can settle with two clusters merged and another split, whatever the seeding).
const RESTARTS: u64 = 4;

/// k-means of `rows` into `k` clusters (at most one per row; rows that are all alike share
/// one), seeded: at most `iterations` steps from each of `RESTARTS` seedings.
pub fn kmeans(rows: &Rows, k: usize, iterations: usize, seed: u64) -> Result<Clusters> {
    let (n, dim) = (rows.len(), rows.dim());
    if k == 0 {
        return Err(Error::Invalid("k-means needs at least one cluster".into()));
    }
    if n == 0 || dim == 0 {
        return Ok(Clusters {
            labels: vec![0; n],
            centres: Vec::new(),
        });
    }
    let x = rows.as_slice();
    let mut best: Option<(f64, KMeans)> = None;
    for restart in 0..RESTARTS {
        let mut rng = ChaChaRng::seed_from_u64(seed);
        rng.set_stream(restart);
        let mut km = KMeans::new(x, dim, k.min(n), &mut rng);
        let mut labels: Option<Vec<u32>> = None;
        for _ in 0..iterations.max(1) {
            km.step(x);
            if labels.as_ref() == Some(&km.assign) {
                break;
            }
            labels = Some(km.assign.clone());
        }
        // The labels of the final centres, and how far the rows are from them.
        let spread = km.assign(x);
        if best.as_ref().is_none_or(|(b, _)| spread < *b) {
            best = Some((spread, km));
        }
    }
    let Some((_, km)) = best else {
        return Err(Error::Invalid("k-means found no clustering".into()));
    };
    Ok(Clusters {
        labels: km.assign,
        centres: km
            .centroids
            .chunks_exact(dim)
            .map(<[f32]>::to_vec)
            .collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::project::testdata::clustered;

    #[test]
    fn finds_generated_clusters() {
        let (rows, truth) = clustered(5, 40, 20, 3);
        for seed in 0..20 {
            let c = kmeans(&rows, 5, 50, seed).unwrap();
            // Every true cluster maps to one found cluster, and the mapping is one-to-one.
            let mut map = std::collections::HashMap::new();
            for (l, t) in c.labels.iter().zip(&truth) {
                assert_eq!(*map.entry(*t).or_insert(*l), *l, "seed {seed}");
            }
            let found: std::collections::HashSet<_> = map.values().collect();
            assert_eq!(found.len(), 5, "seed {seed}");
            assert_eq!(c.centres.len(), 5);
        }
        let c = kmeans(&rows, 5, 50, 9).unwrap();
        assert_eq!(kmeans(&rows, 5, 50, 9).unwrap(), c, "seeded runs agree");
    }

    #[test]
    fn alike_rows_share_a_cluster_and_no_rows_give_none() {
        let v = [0.6f32, 0.8];
        let rows = Rows::from_vectors(&[&v[..], &v[..], &v[..]]).unwrap();
        let c = kmeans(&rows, 3, 10, 1).unwrap();
        assert!(c.labels.iter().all(|&l| l == c.labels[0]));
        let none = Rows::from_vectors(&[]).unwrap();
        assert!(kmeans(&none, 3, 10, 1).unwrap().labels.is_empty());
        assert!(kmeans(&rows, 0, 10, 1).is_err());
    }
}
