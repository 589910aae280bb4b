use super::*;
use crate::query::knn::top_k_exact;
use crate::query::test_util::{random_space, space_with_matrix, XorShift};
use std::sync::OnceLock;

/// One shared 120k × 16 random space (building it once keeps the tests fast).
fn big() -> &'static Space {
    static S: OnceLock<Space> = OnceLock::new();
    S.get_or_init(|| random_space(120_000, 16, 21))
}

fn unit(v: Vec<f32>) -> Vec<f32> {
    let n = v.iter().map(|x| x * x).sum::<f32>().sqrt();
    v.into_iter().map(|x| x / n).collect()
}

/// The pre-filtered search, asserting that it did not fall back to the exact scan.
fn filtered(s: &Space, q: &[f32], k: usize, exclude: &[u32], limit: Option<usize>) -> Vec<Hit> {
    let ex = Exclude::new(exclude);
    let n = limit.map_or(s.len(), |l| l.min(s.len()));
    top_k(s, q, n, k, &ex, true).expect("the pre-filter applies")
}

#[test]
fn bound_holds_for_every_row() {
    let s = big();
    let quant = s.quantized();
    let mut r = XorShift::new(9);
    for t in 0..4 {
        // Unit queries, a long one and a short one.
        let len = [1.0, 1.0, 37.5, 0.003][t];
        let q: Vec<f32> = unit((0..16).map(|_| r.f32()).collect())
            .into_iter()
            .map(|x| x * len)
            .collect();
        let pq = quant.prepare(&q).unwrap();
        for (ti, tile) in quant.codes.chunks_exact(quant.tile_bytes()).enumerate() {
            let dots = kernel::tile_dots_portable(tile, &pq.bytes, quant.groups);
            #[cfg(target_arch = "x86_64")]
            if is_x86_feature_detected!("avx2") && is_x86_feature_detected!("fma") {
                // SAFETY: the features were just detected.
                let d = unsafe { kernel::avx2::tile_dots(tile, &pq.codes, &pq.abs, quant.groups) };
                assert_eq!(d, dots);
            }
            assert_eq!(every_kernel(tile, &pq, quant.groups), dots);
            for (l, &dot) in dots.iter().enumerate() {
                let row = ti * TILE + l;
                if row >= s.len() {
                    break;
                }
                let a = (quant.scale[row] * pq.scale) * dot as f32;
                let b = quant.err[row] * pq.alpha + pq.konst;
                let exact = crate::query::dot(s.unit(row), &q);
                assert!(
                    a - b <= exact && exact <= a + b,
                    "row {row}: exact {exact}, approx {a} ± {b}"
                );
                // The bound is useful, not just true.
                assert!(b < 0.1 * len, "row {row}: bound {b}");
            }
        }
    }
}

#[test]
fn equals_exact_top_k_for_random_queries() {
    let s = big();
    let mut r = XorShift::new(4);
    for i in 0..30 {
        let k = [1, 10, 100][i % 3];
        let q: Vec<f32> = if i % 2 == 0 {
            s.unit(r.below(s.len())).to_vec()
        } else {
            (0..16).map(|_| r.f32()).collect()
        };
        let exclude: Vec<u32> = (0..i % 5).map(|_| r.below(s.len()) as u32).collect();
        let limit = [None, Some(60_000), Some(119_999), Some(1_000_000)][i % 4];
        let want = top_k_exact(s, &q, k, &exclude, limit);
        assert_eq!(filtered(s, &q, k, &exclude, limit), want, "query {i}");
        assert_eq!(crate::query::top_k(s, &q, k, &exclude, limit), want);
        assert_eq!(want.len(), k);
    }
}

#[test]
fn excluding_the_best_rows_still_matches() {
    let s = big();
    let q = s.unit(77).to_vec();
    let best: Vec<u32> = top_k_exact(s, &q, 50, &[], None)
        .iter()
        .map(|h| h.index)
        .collect();
    for k in [1, 10, 100] {
        assert_eq!(
            filtered(s, &q, k, &best, None),
            top_k_exact(s, &q, k, &best, None)
        );
    }
}

#[test]
fn batch_equals_exact() {
    let s = big();
    let queries: Vec<Vec<f32>> = (0..4).map(|i| s.unit(i * 1000).to_vec()).collect();
    let excludes: Vec<Vec<u32>> = (0..4).map(|i| vec![i * 1000]).collect();
    let batch = crate::query::top_k_batch(s, &queries, 10, &excludes, None);
    for (i, hits) in batch.iter().enumerate() {
        assert_eq!(hits, &top_k_exact(s, &queries[i], 10, &excludes[i], None));
    }
}

/// A 100k × dim space of `clusters` random centres, each row a centre plus noise of size
/// `noise` (0: exact duplicates), some rows NaN.
fn clustered(dim: usize, clusters: usize, noise: f32, seed: u64) -> Space {
    let rows = 100_000;
    let mut r = XorShift::new(seed);
    let centres: Vec<Vec<f32>> = (0..clusters)
        .map(|_| unit((0..dim).map(|_| r.f32()).collect()))
        .collect();
    let mut data = Vec::with_capacity(rows * dim);
    for i in 0..rows {
        let c = &centres[r.below(clusters)];
        let v = unit(c.iter().map(|x| x + noise * r.f32()).collect());
        if i % 9973 == 5 {
            data.extend((0..dim).map(|j| if j == 3 { f32::NAN } else { 0.1 }));
        } else {
            data.extend(v);
        }
    }
    let words: Vec<String> = (0..rows).map(|i| format!("w{i}")).collect();
    let words: Vec<&str> = words.iter().map(String::as_str).collect();
    space_with_matrix(&words, dim, data)
}

#[test]
fn near_ties_and_duplicates_match_exactly() {
    for (noise, seed) in [(0.0, 1), (1e-4, 2), (0.02, 3)] {
        let s = clustered(50, 5000, noise, seed);
        let mut r = XorShift::new(seed);
        for i in 0..6 {
            let k = [1, 10, 100][i % 3];
            let q = s.unit(r.below(s.len())).to_vec();
            let exclude = [r.below(s.len()) as u32];
            let want = top_k_exact(&s, &q, k, &exclude, None);
            let got = crate::query::top_k(&s, &q, k, &exclude, None);
            assert_eq!(got, want, "noise {noise}, query {i}");
            assert!(got.iter().all(|h| !h.score.is_nan() && h.index % 9973 != 5));
        }
    }
}

#[test]
fn non_finite_rows_and_queries() {
    let rows = 100_000;
    let dim = 8;
    let mut r = XorShift::new(12);
    let mut data: Vec<f32> = Vec::with_capacity(rows * dim);
    for i in 0..rows {
        let v = unit((0..dim).map(|_| r.f32()).collect());
        data.extend(v.iter().enumerate().map(|(j, x)| match (i % 1000, j) {
            (1, 0) => f32::NAN,
            (2, 1) => f32::INFINITY,
            (3, _) => 1e30, // too large to bound: always a candidate
            (4, _) => 0.0,
            _ => *x,
        }));
    }
    let words: Vec<String> = (0..rows).map(|i| format!("w{i}")).collect();
    let words: Vec<&str> = words.iter().map(String::as_str).collect();
    let s = space_with_matrix(&words, dim, data);
    let mut q = s.unit(10).to_vec();
    // No positive infinity: the query's first component is negative, so ∞ rows score -∞.
    q[1] = -q[1].abs();
    for k in [1, 10, 100] {
        let want = top_k_exact(&s, &q, k, &[], None);
        assert_eq!(filtered(&s, &q, k, &[], None), want);
        assert!(want.iter().all(|h| h.index % 1000 != 1));
    }
    // A query that puts the 1e30 rows on top.
    let ones = vec![1.0f32; dim];
    assert_eq!(
        crate::query::top_k(&s, &ones, 5, &[], None),
        top_k_exact(&s, &ones, 5, &[], None)
    );
    // Queries the pre-filter declines; nothing panics.
    let mut bad = q.clone();
    bad[2] = f32::NAN;
    assert!(top_k(&s, &bad, s.len(), 5, &Exclude::new(&[]), true).is_none());
    assert!(crate::query::top_k(&s, &bad, 10, &[], None).is_empty());
    let zero = vec![0.0f32; dim];
    assert_eq!(
        crate::query::top_k(&s, &zero, 3, &[], None),
        top_k_exact(&s, &zero, 3, &[], None)
    );
}

#[test]
fn small_spaces_and_large_k_use_the_exact_scan() {
    let s = random_space(5000, 8, 1);
    let q = s.unit(0).to_vec();
    assert!(top_k(&s, &q, s.len(), 10, &Exclude::new(&[]), true).is_none());
    let b = big();
    let q = b.unit(0).to_vec();
    assert!(top_k(b, &q, b.len(), 5000, &Exclude::new(&[]), true).is_none());
    assert!(top_k(b, &q, 10_000, 10, &Exclude::new(&[]), true).is_none());
}

#[test]
fn quantized_copy_size() {
    let s = big();
    let quant = s.quantized();
    assert_eq!(quant.codes.len(), 120_000 / TILE * 4 * GROUP_BYTES);
    assert!(s.memory_bytes() > quant.heap_bytes());
    let n = candidates(s, s.unit(5), 10).unwrap();
    assert!((10..2000).contains(&n), "{n} candidates");
}

/// The dots of every kernel variant this processor runs, checked equal to each other; the
/// portable one's result.
fn every_kernel(tile: &[i8], q: &crate::space::quant::Query, groups: usize) -> [i32; TILE] {
    let want = kernel::tile_dots_portable(tile, &q.bytes, groups);
    #[cfg(target_arch = "x86_64")]
    {
        if is_x86_feature_detected!("avx2") && is_x86_feature_detected!("fma") {
            // SAFETY: the features were just detected.
            let d = unsafe { kernel::avx2::tile_dots(tile, &q.codes, &q.abs, groups) };
            assert_eq!(d, want, "avx2");
        }
        if is_x86_feature_detected!("avx512f") && is_x86_feature_detected!("avx512bw") {
            // SAFETY: the features were just detected.
            let d = unsafe { kernel::avx512::tile_dots(tile, &q.codes, &q.abs, groups) };
            assert_eq!(d, want, "avx512bw");
            if is_x86_feature_detected!("avx512vnni") {
                // SAFETY: likewise.
                let d = unsafe { kernel::avx512::tile_dots_vnni(tile, &q.codes, q.sum, groups) };
                assert_eq!(d, want, "avx512 vnni");
            }
        }
    }
    want
}

#[test]
fn every_kernel_agrees_on_extreme_codes() {
    use crate::space::quant::{GROUP, GROUP_BYTES};
    let mut r = XorShift::new(21);
    for groups in [1usize, 3, 13, 75] {
        let tile: Vec<i8> = (0..groups * GROUP_BYTES)
            .map(|i| match i % 5 {
                0 => 127,
                1 => -127,
                2 => 0,
                _ => (r.below(255) as i32 - 127) as i8,
            })
            .collect();
        for pattern in 0..3 {
            let bytes: Vec<i8> = (0..groups * GROUP)
                .map(|i| match pattern {
                    0 => 127,
                    1 => -127,
                    _ => [127i8, -127, 0, 5][i % 4],
                })
                .collect();
            let word =
                |c: &[i8]| i32::from_le_bytes([c[0] as u8, c[1] as u8, c[2] as u8, c[3] as u8]);
            let abs: Vec<i8> = bytes.iter().map(|b| b.abs()).collect();
            let q = crate::space::quant::Query {
                codes: bytes.chunks_exact(GROUP).map(word).collect(),
                abs: abs.chunks_exact(GROUP).map(word).collect(),
                sum: bytes.iter().map(|&b| i32::from(b)).sum(),
                bytes: bytes.clone(),
                scale: 1.0,
                alpha: 0.0,
                konst: 0.0,
            };
            let got = every_kernel(&tile, &q, groups);
            for (lane, &d) in got.iter().enumerate() {
                let want: i32 = (0..groups)
                    .flat_map(|g| (0..GROUP).map(move |i| (g, i)))
                    .map(|(g, i)| {
                        i32::from(tile[g * GROUP_BYTES + lane * GROUP + i])
                            * i32::from(bytes[g * GROUP + i])
                    })
                    .sum();
                assert_eq!(d, want, "groups {groups} pattern {pattern} lane {lane}");
            }
        }
    }
}
