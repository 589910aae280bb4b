use super::*;
use crate::query::test_util::{random_space, space, space_with_matrix, XorShift};
use crate::query::top_k_batch;
use crate::query::topk::rank;

fn naive(space: &Space, q: &[f32], k: usize, exclude: &[u32], limit: usize) -> Vec<Hit> {
    let mut v: Vec<Hit> = (0..limit.min(space.len()))
        .map(|i| Hit {
            index: i as u32,
            score: space
                .unit(i)
                .iter()
                .zip(q)
                .map(|(a, b)| f64::from(*a) * f64::from(*b))
                .sum::<f64>() as f32,
        })
        .filter(|h| !h.score.is_nan() && !exclude.contains(&h.index))
        .collect();
    v.sort_by(rank);
    v.truncate(k);
    v
}

#[test]
fn dot_matches_naive_for_many_lengths() {
    let mut r = XorShift::new(7);
    for n in 0..40 {
        let a: Vec<f32> = (0..n).map(|_| r.f32()).collect();
        let b: Vec<f32> = (0..n).map(|_| r.f32()).collect();
        let want: f64 = a.iter().zip(&b).map(|(x, y)| f64::from(x * y)).sum();
        assert!((f64::from(dot(&a, &b)) - want).abs() < 1e-5, "n = {n}");
        #[cfg(target_arch = "x86_64")]
        if is_x86_feature_detected!("avx2") && is_x86_feature_detected!("fma") {
            // SAFETY: the features were just detected.
            let d = unsafe { simd::avx2::dot(&a, &b) };
            assert!((f64::from(d) - want).abs() < 1e-5, "avx2, n = {n}");
        }
    }
}

#[test]
fn ranks_excludes_and_limits() {
    let s = space(&[
        ("a", &[1.0, 0.0]),
        ("b", &[0.0, 1.0]),
        ("c", &[1.0, 1.0]),
        ("d", &[-1.0, 0.0]),
    ]);
    let q = [1.0, 0.0];
    let hits = top_k(&s, &q, 10, &[], None);
    let idx: Vec<u32> = hits.iter().map(|h| h.index).collect();
    assert_eq!(idx, [0, 2, 1, 3]);
    assert!((hits[1].score - std::f32::consts::FRAC_1_SQRT_2).abs() < 1e-6);
    assert_eq!(top_k(&s, &q, 2, &[0], None)[0].index, 2);
    assert_eq!(top_k(&s, &q, 2, &[0, 2], None)[0].index, 1);
    let limited = top_k(&s, &q, 10, &[], Some(2));
    assert_eq!(limited.iter().map(|h| h.index).collect::<Vec<_>>(), [0, 1]);
    assert!(top_k(&s, &q, 0, &[], None).is_empty());
    assert!(top_k(&s, &q, 3, &[], Some(0)).is_empty());
    assert_eq!(top_k(&s, &q, 1000, &[], None).len(), 4);
    // Unnormalised queries scale the scores.
    assert!((top_k(&s, &[2.0, 0.0], 1, &[], None)[0].score - 2.0).abs() < 1e-6);
}

#[test]
fn ties_prefer_lower_rows() {
    let s = space(&[
        ("x", &[0.0, 1.0]),
        ("a", &[1.0, 0.0]),
        ("b", &[2.0, 0.0]),
        ("c", &[3.0, 0.0]),
        ("y", &[0.0, -1.0]),
    ]);
    let hits = top_k(&s, &[1.0, 0.0], 2, &[], None);
    assert_eq!(hits.iter().map(|h| h.index).collect::<Vec<_>>(), [1, 2]);
    // Zero scores: -0.0 and 0.0 are ties too.
    let hits = top_k(&s, &[0.0, 0.0], 5, &[], None);
    assert_eq!(
        hits.iter().map(|h| h.index).collect::<Vec<_>>(),
        [0, 1, 2, 3, 4]
    );
}

#[test]
fn nan_rows_are_skipped() {
    let s = space_with_matrix(
        &["a", "nan", "b", "c"],
        2,
        vec![1.0, 0.0, f32::NAN, 0.5, 0.6, 0.8, 0.0, 1.0],
    );
    for k in 1..6 {
        let hits = top_k(&s, &[1.0, 0.0], k, &[], None);
        assert!(hits.iter().all(|h| h.index != 1 && !h.score.is_nan()));
        assert_eq!(hits.len(), k.min(3));
        assert_eq!(hits[0].index, 0);
    }
    // A NaN query gives nothing, and never panics.
    assert!(top_k(&s, &[f32::NAN, 0.0], 3, &[], None).is_empty());
}

#[test]
fn many_exclusions_use_the_sorted_set() {
    let s = random_space(500, 8, 3);
    let q = s.unit(10).to_vec();
    let exclude: Vec<u32> = (0..100).rev().collect();
    let hits = top_k(&s, &q, 20, &exclude, None);
    let idx = |v: &[Hit]| v.iter().map(|h| h.index).collect::<Vec<_>>();
    assert_eq!(idx(&hits), idx(&naive(&s, &q, 20, &exclude, 500)));
    assert!(hits.iter().all(|h| h.index >= 100));
}

#[test]
fn parallel_scan_equals_sequential() {
    let s = random_space(120_000, 16, 11);
    let mut r = XorShift::new(5);
    for t in 0..3 {
        let q: Vec<f32> = (0..16).map(|_| r.f32()).collect();
        let exclude = [3u32, 70_000, 119_999];
        let k = [1, 10, 500][t];
        let par = top_k(&s, &q, k, &exclude, None);
        let ex = Exclude::new(&exclude);
        let seq = select(&s, s.len(), k, &ex, false, &DotScorer(&q));
        assert_eq!(par, seq);
        assert_eq!(par.len(), k);
        let lim = top_k(&s, &q, k, &exclude, Some(60_000));
        assert!(lim.iter().all(|h| h.index < 60_000));
        assert_eq!(lim, select(&s, 60_000, k, &ex, false, &DotScorer(&q)));
    }
}

#[test]
fn matches_naive_ranking() {
    let s = random_space(3000, 13, 2);
    let q = s.unit(5).to_vec();
    let got = top_k(&s, &q, 25, &[5], None);
    let want = naive(&s, &q, 25, &[5], 3000);
    let gi: Vec<u32> = got.iter().map(|h| h.index).collect();
    let wi: Vec<u32> = want.iter().map(|h| h.index).collect();
    assert_eq!(gi, wi);
}

#[test]
fn batch_equals_single_queries() {
    let s = random_space(2000, 10, 4);
    let queries: Vec<Vec<f32>> = (0..6).map(|i| s.unit(i).to_vec()).collect();
    let excludes: Vec<Vec<u32>> = (0..6).map(|i| vec![i as u32]).collect();
    let batch = top_k_batch(&s, &queries, 5, &excludes, Some(1500));
    for (i, hits) in batch.iter().enumerate() {
        assert_eq!(hits, &top_k(&s, &queries[i], 5, &excludes[i], Some(1500)));
    }
    let batch = top_k_batch(&s, &queries, 3, &[], None);
    assert_eq!(batch[2][0].index, 2);
}

#[test]
fn zero_dimensional_space() {
    let s = space_with_matrix(&["a", "b", "c"], 0, vec![]);
    let hits = top_k(&s, &[], 2, &[0], None);
    assert_eq!(hits.iter().map(|h| h.index).collect::<Vec<_>>(), [1, 2]);
}

/// A patched matrix (a live view of training) is scanned in place, sequentially and in
/// parallel blocks, alone and in batches: the answers are those of the same rows in one slice.
#[test]
fn patched_spaces_answer_as_their_copies() {
    use crate::space::{Matrix, SpaceParts, Vocab};
    let base = random_space(120_000, 8, 21);
    let rows = 120_010;
    let mut r = XorShift::new(4);
    let mut changed: Vec<u32> = (0..3000).map(|_| r.below(120_000) as u32).collect();
    changed.extend([0, 1, 2, 16_383, 16_384, 119_999]);
    changed.extend(120_000..rows as u32);
    changed.sort_unstable();
    changed.dedup();
    let values: Vec<f32> = (0..changed.len() * 8).map(|_| r.f32()).collect();
    let matrix = Matrix::patched(base.matrix().clone(), rows, changed.into(), values).unwrap();
    let mut vocab = Vocab::with_capacity(rows, rows * 8);
    for i in 0..rows {
        vocab.push(&format!("w{i}")).unwrap();
    }
    let parts = |matrix| SpaceParts {
        vocab: vocab.clone(),
        matrix,
        norms: vec![1.0; rows],
        counts: None,
        subwords: None,
        source: base.source().clone(),
    };
    let copy = Space::new(parts(Matrix::from_vec(rows, 8, matrix.as_slice().to_vec())));
    let view = Space::new(parts(matrix));
    let queries: Vec<Vec<f32>> = (0..6).map(|_| (0..8).map(|_| r.f32()).collect()).collect();
    for q in &queries {
        for (k, limit) in [(10, None), (1, Some(16_385)), (50, Some(30_000))] {
            let want = top_k_exact(&copy, q, k, &[5], limit);
            assert_eq!(top_k(&view, q, k, &[5], limit), want);
            assert_eq!(top_k(&view, q, k, &[5], limit), want, "second query");
            let ex = Exclude::new(&[5]);
            let n = scan_len(&view, limit);
            assert_eq!(select(&view, n, k, &ex, false, &DotScorer(q)), want);
        }
    }
    assert_eq!(
        top_k_batch(&view, &queries, 7, &[], None),
        top_k_batch(&copy, &queries, 7, &[], None)
    );
    assert!(
        view.quantized_if_built().is_none(),
        "no int8 copy of a view"
    );
}

/// Rows read in place from a file (unaligned, at their original length) are scanned in
/// decoded blocks, alone, in parallel and in batches, and through the int8 copy from the
/// second query on: the answers are those of the same rows normalised into memory, and the
/// rows themselves are equal to the bit.
#[test]
fn rows_in_a_file_answer_as_their_copies() {
    use crate::space::{l2_norm, ByteSource, Matrix, SpaceParts, Vocab};
    use std::sync::Arc;
    let (rows, dim) = (100_003, 37);
    let mut r = XorShift::new(8);
    let data: Vec<f32> = (0..rows * dim).map(|_| r.f32() * 3.0).collect();
    let (mut bytes, mut starts, mut norms) = (b"header\n".to_vec(), Vec::new(), Vec::new());
    let mut vocab = Vocab::with_capacity(rows, rows * 8);
    for (i, row) in data.chunks_exact(dim).enumerate() {
        let word = format!("w{i}");
        vocab.push(&word).unwrap();
        bytes.extend_from_slice(word.as_bytes());
        bytes.push(b' ');
        starts.push(bytes.len());
        row.iter()
            .for_each(|v| bytes.extend_from_slice(&v.to_le_bytes()));
        norms.push(l2_norm(row));
    }
    let source: Arc<dyn ByteSource> = Arc::new(bytes);
    let copy = Space::from_raw(
        vocab.clone(),
        dim,
        data,
        random_space(1, 1, 1).source().clone(),
    );
    let matrix =
        Matrix::in_file(source.clone(), starts.clone(), norms.clone().into(), dim).unwrap();
    assert!(Matrix::in_file(source, starts, norms[1..].into(), dim).is_none());
    let file = Space::new(SpaceParts {
        vocab,
        matrix,
        norms,
        counts: None,
        subwords: None,
        source: copy.source().clone(),
    });
    assert_eq!(file.norms(), copy.norms());
    for i in [0, 1, 4096, rows - 1] {
        assert_eq!(file.unit(i), copy.unit(i));
        let mut buf = Vec::new();
        assert_eq!(
            file.matrix().block(i, i + 3, &mut buf),
            &copy.matrix().as_slice()[i * dim..(i + 3).min(rows) * dim]
        );
    }
    let queries: Vec<Vec<f32>> = (0..5)
        .map(|_| (0..dim).map(|_| r.f32()).collect())
        .collect();
    for q in &queries {
        for (k, limit) in [(10, None), (1, Some(16_385)), (40, Some(30_000))] {
            let want = top_k_exact(&copy, q, k, &[5], limit);
            assert_eq!(top_k(&file, q, k, &[5], limit), want);
            let ex = Exclude::new(&[5]);
            let n = scan_len(&file, limit);
            assert_eq!(select(&file, n, k, &ex, false, &DotScorer(q)), want);
        }
    }
    assert!(
        file.quantized_if_built().is_some(),
        "repeated scans build the int8 copy"
    );
    assert_eq!(
        top_k_batch(&file, &queries, 7, &[], None),
        top_k_batch(&copy, &queries, 7, &[], None)
    );
    // Reading every row one by one decodes the whole matrix once enough were read.
    assert!(file.matrix().heap_bytes() < rows * dim);
    assert!((0..rows).all(|i| file.unit(i) == copy.unit(i)));
    assert!(file.matrix().heap_bytes() > rows * dim * 4);
    assert_eq!(file.matrix().as_slice(), copy.matrix().as_slice());
}
