use super::*;

fn rng(seed: &mut u64) -> f32 {
    *seed ^= *seed << 13;
    *seed ^= *seed >> 7;
    *seed ^= *seed << 17;
    (*seed >> 40) as f32 / (1u64 << 24) as f32 - 0.5
}

fn dot(a: &[f32], b: &[f32]) -> f32 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// Every row scored directly, sorted, the best k kept.
#[allow(clippy::too_many_arguments)]
fn brute(
    m: &[f32],
    dim: usize,
    rows: usize,
    v: &[f32],
    q: [u32; 3],
    ex: &[u32; 3],
    scoring: Scoring,
    k: usize,
) -> Vec<(u32, f32)> {
    let t = |i: u32| &v[i as usize * dim..(i as usize + 1) * dim];
    let mut all: Vec<(u32, f32)> = (0..rows)
        .filter(|r| !ex.contains(&(*r as u32)))
        .map(|r| {
            let x = &m[r * dim..(r + 1) * dim];
            let (a, b, c) = (dot(x, t(q[0])), dot(x, t(q[1])), dot(x, t(q[2])));
            let s = match scoring {
                Scoring::Add => (b - a) + c,
                Scoring::Mul => ((1.0 + b) / 2.0) * ((1.0 + c) / 2.0) / ((1.0 + a) / 2.0 + 1e-6),
            };
            (r as u32, s)
        })
        .collect();
    all.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    all.truncate(k);
    all
}

#[test]
fn tiles_match_brute_force() {
    let (dim, rows, n_t, n_q) = (13, 3000, 40, 70);
    let mut seed = 0x9e3779b97f4a7c15;
    let m: Vec<f32> = (0..rows * dim).map(|_| rng(&mut seed)).collect();
    let v: Vec<f32> = (0..n_t * dim).map(|_| rng(&mut seed)).collect();
    let terms: Vec<[u32; 3]> = (0..n_q as u32)
        .map(|i| [i % 40, (i * 7) % 40, (i * 13 + 1) % 40])
        .collect();
    let ex: Vec<[u32; 3]> = (0..n_q as u32).map(|i| [i, i * 7 % 3000, 2999]).collect();
    for scoring in [Scoring::Add, Scoring::Mul] {
        let batch = Batch {
            vectors: &v,
            terms: &terms,
            exclude: &ex,
            scoring,
            k: 5,
            floor: f32::NEG_INFINITY,
        };
        let got = top_k_many(&m, dim, 2500, &batch, None).unwrap();
        for i in 0..n_q {
            let want = brute(&m, dim, 2500, &v, terms[i], &ex[i], scoring, 5);
            let g: Vec<u32> = got[i].iter().map(|x| x.0).collect();
            let w: Vec<u32> = want.iter().map(|x| x.0).collect();
            assert_eq!(g, w, "question {i} {scoring:?}");
            for (a, b) in got[i].iter().zip(&want) {
                assert!(
                    (a.1 - b.1).abs() <= 1e-4 * b.1.abs().max(1.0),
                    "{a:?} {b:?}"
                );
            }
        }
    }
    let batch = Batch {
        vectors: &v,
        terms: &terms,
        exclude: &ex,
        scoring: Scoring::Add,
        k: 3,
        floor: 10.0,
    };
    assert!(top_k_many(&m, dim, 2500, &batch, None)
        .unwrap()
        .iter()
        .all(Vec::is_empty));
}

#[test]
fn ties_go_to_the_lower_row_across_tiles() {
    // Rows 5 and 2000 are identical; row 5 must come first wherever the tiles split.
    let dim = 2;
    let mut m = vec![0.0f32; 3000 * dim];
    m[5 * dim] = 1.0;
    m[2000 * dim] = 1.0;
    let v = [1.0, 0.0, 0.0, 0.0];
    let batch = Batch {
        vectors: &v,
        terms: &[[1, 0, 1]],
        exclude: &[[u32::MAX; 3]],
        scoring: Scoring::Add,
        k: 2,
        floor: f32::NEG_INFINITY,
    };
    let got = top_k_many(&m, dim, 3000, &batch, None).unwrap();
    assert_eq!(got[0], vec![(5, 1.0), (2000, 1.0)]);
}

#[test]
fn nan_scores_are_never_kept() {
    let m = [f32::NAN, 0.0, 1.0, 0.0];
    let v = [0.0, 0.0, 1.0, 0.0];
    let batch = Batch {
        vectors: &v,
        terms: &[[0, 1, 0]],
        exclude: &[[9, 9, 9]],
        scoring: Scoring::Add,
        k: 2,
        floor: f32::NEG_INFINITY,
    };
    assert_eq!(
        top_k_many(&m, 2, 2, &batch, None).unwrap()[0],
        vec![(1, 1.0)]
    );
}

#[test]
fn cancellation_stops_the_scan() {
    let p = Progress::new();
    p.cancel();
    let v = [1.0, 0.0];
    let batch = Batch {
        vectors: &v,
        terms: &[[0, 0, 0]],
        exclude: &[[9, 9, 9]],
        scoring: Scoring::Add,
        k: 1,
        floor: f32::NEG_INFINITY,
    };
    assert!(matches!(
        top_k_many(&[1.0, 0.0], 2, 1, &batch, Some(&p)),
        Err(Error::Interrupted)
    ));
}
