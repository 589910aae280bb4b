//! embx's k-means against generated clusters, brute force and reductive.
use super::*;
use crate::query::test_util::XorShift;
use ndarray::Array2;

/// `n` rows of `d` dimensions around `centres` (row `i` belongs to centre `i % len`), with
/// uniform noise of width `noise`.
fn around(centres: &[Vec<f32>], n: usize, noise: f32, seed: u64) -> Array2<f32> {
    let mut r = XorShift::new(seed);
    let d = centres[0].len();
    Array2::from_shape_fn((n, d), |(i, t)| {
        centres[i % centres.len()][t] + 0.5 * noise * r.f32()
    })
}

fn sq(a: &[f32], b: &[f32]) -> f32 {
    a.iter().zip(b).map(|(x, y)| (x - y) * (x - y)).sum()
}

#[test]
fn well_separated_clusters_are_recovered() {
    // 4 clusters on the corners of a square (side 10, noise ±0.5) in every 2-d slice, 16
    // centroids: every cluster holds centroids, and no centroid sits between clusters.
    let corners: Vec<Vec<f32>> = (0..4)
        .map(|c| {
            let (a, b) = ((c & 1) as f32 * 10.0, (c >> 1) as f32 * 10.0);
            vec![a, b, b, a, a + b, a - b]
        })
        .collect();
    let x = around(&corners, 2000, 1.0, 11);
    let books = train_codebooks(x.view(), 3, 4, 10, 7, None).unwrap();
    assert_eq!(books.dim(), (3, 16, 2));
    for j in 0..3 {
        let centres: Vec<Vec<f32>> = corners
            .iter()
            .map(|c| c[2 * j..2 * j + 2].to_vec())
            .collect();
        let mut held = [0usize; 4];
        for c in 0..16 {
            let v = [books[[j, c, 0]], books[[j, c, 1]]];
            let (near, d) = centres
                .iter()
                .enumerate()
                .map(|(i, m)| (i, sq(&v, m)))
                .fold((0, f32::MAX), |a, b| if b.1 < a.1 { b } else { a });
            assert!(
                d < 0.5,
                "slice {j} centroid {c} at {v:?} is between clusters"
            );
            held[near] += 1;
        }
        assert!(held.iter().all(|&h| h > 0), "slice {j}: {held:?}");
    }
}

#[test]
fn every_row_goes_to_its_nearest_centroid() {
    let centres: Vec<Vec<f32>> = (0..7)
        .map(|c| vec![c as f32, (c * c) as f32 * 0.3, 1.0])
        .collect();
    let x = around(&centres, 900, 2.0, 3);
    let slice: Vec<f32> = x.iter().copied().collect();
    let mut rng = ChaChaRng::seed_from_u64(5);
    let mut km = KMeans::new(&slice, 3, 32, &mut rng);
    for _ in 0..4 {
        km.step(&slice);
    }
    let mean = km.assign(&slice);
    let mut total = 0f64;
    for (i, u) in slice.chunks_exact(3).enumerate() {
        let mine = sq(u, &km.centroids[km.assign[i] as usize * 3..][..3]);
        let best = km
            .centroids
            .chunks_exact(3)
            .map(|c| sq(u, c))
            .fold(f32::MAX, f32::min);
        assert!(mine <= best + 1e-4, "row {i}: {mine} vs {best}");
        total += f64::from(mine);
    }
    assert!(
        (mean - total / 900.0).abs() < 1e-3,
        "{mean} vs {}",
        total / 900.0
    );
}

#[test]
fn an_empty_cluster_takes_the_farthest_row() {
    // Rows at 0, 1, 2 and 10 on a line; centroids at 0, 2 and 100 (the last one wins no row).
    let x = [0.0f32, 1.0, 2.0, 10.0];
    let mut rng = ChaChaRng::seed_from_u64(1);
    let mut km = KMeans::new(&x, 1, 3, &mut rng);
    km.centroids = vec![0.0, 2.0, 100.0];
    km.step(&x);
    // 0 → {0} (1 is a tie, the first centroid wins: {0, 1}), 2 → {2, 10}; the empty one
    // takes 10, the row farthest from its centroid (8 from 2).
    assert_eq!(km.centroids, vec![0.5, 6.0, 10.0]);
    // Now 0, 1 and 2 go to 0.5 and 10 to 10: the middle one is empty and takes 2, the row
    // farthest from its centroid (1.5 from 0.5).
    km.step(&x);
    assert_eq!(km.centroids, vec![1.0, 2.0, 10.0]);
}

#[test]
fn the_same_seed_gives_the_same_codebooks_on_any_threads() {
    let centres: Vec<Vec<f32>> = (0..9)
        .map(|c| (0..8).map(|t| ((c * 7 + t * 3) % 11) as f32).collect())
        .collect();
    let x = around(&centres, 1200, 3.0, 8);
    let one = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .unwrap();
    let a = one.install(|| train_codebooks(x.view(), 4, 5, 6, 42, None).unwrap());
    let b = train_codebooks(x.view(), 4, 5, 6, 42, None).unwrap();
    assert_eq!(a, b);
    let c = train_codebooks(x.view(), 4, 5, 6, 43, None).unwrap();
    assert_ne!(a, c);
}

#[test]
fn too_few_rows_and_a_cancel_are_errors() {
    let x = Array2::<f32>::ones((10, 4));
    assert!(train_codebooks(x.view(), 2, 4, 3, 1, None).is_err());
    assert!(train_codebooks(x.view(), 3, 2, 3, 1, None).is_err());
    let p = Progress::new();
    p.cancel();
    let err = train_codebooks(x.view(), 2, 2, 3, 1, Some(&p)).unwrap_err();
    assert!(matches!(err, Error::Interrupted), "{err}");
}

/// Mean squared reconstruction error of `x`'s rows under `pq`.
fn error(pq: &reductive::pq::Pq<f32>, x: &Array2<f32>) -> f64 {
    crate::io::fifu::quantize::mse(pq, x.view())
}

#[test]
fn held_out_error_is_no_worse_than_reductives() {
    use finalfusion::storage::{NdArray, Quantize};
    use reductive::pq::Pq;
    let mut ratios = Vec::new();
    for seed in 0..6u64 {
        // 40 clusters in 16 dimensions with noise; train on 3000 rows, measure on 2000 others.
        let mut r = XorShift::new(seed + 100);
        let centres: Vec<Vec<f32>> = (0..40)
            .map(|_| (0..16).map(|_| r.f32()).collect())
            .collect();
        let all = around(&centres, 5000, 0.8, seed);
        let train = all.slice(ndarray::s![..3000, ..]).to_owned();
        let held = all.slice(ndarray::s![3000.., ..]).to_owned();
        let ours = Pq::new(
            None,
            train_codebooks(train.view(), 4, 6, 10, seed, None).unwrap(),
        );
        let theirs = NdArray::new(train.clone())
            .quantize_using::<Pq<f32>, _>(4, 6, 10, 1, false, ChaChaRng::seed_from_u64(seed))
            .unwrap()
            .quantizer()
            .clone();
        ratios.push(error(&ours, &held) / error(&theirs, &held));
    }
    // The two differ in their starting rows only (embx's k-means++ against reductive's random
    // rows), which on this well-clustered data moves the error by a percent or two either way:
    // measured here, ratios 0.987 to 1.011, mean 1.002 (0.992 to 1.020 with random rows as
    // reductive's). A centroid update or assignment gone wrong costs far more (10 % and up).
    let mean = ratios.iter().sum::<f64>() / ratios.len() as f64;
    let worst = ratios.iter().copied().fold(0.0, f64::max);
    assert!(
        mean <= 1.015 && worst <= 1.04,
        "embx / reductive: {ratios:?}"
    );
}
