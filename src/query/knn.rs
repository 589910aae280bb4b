//! Exact nearest-neighbour search: a vectorisable dot product, a bounded top-k selection and
//! a parallel scan over row blocks.
use crate::space::Space;
use rayon::prelude::*;
use serde::Serialize;
use std::cmp::Ordering;
use std::collections::BinaryHeap;

/// One result row: the row of the word and its score (cosine for unit queries).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Hit {
    pub index: u32,
    pub score: f32,
}

/// Spaces with at least this many (scanned) rows are searched in parallel.
pub(crate) const PAR_MIN_ROWS: usize = 50_000;
/// Rows per parallel block.
const BLOCK_ROWS: usize = 16 * 1024;
/// Exclusion lists longer than this are sorted and binary-searched.
const LINEAR_EXCLUDE_MAX: usize = 32;

/// Dot product of two slices (the shorter length is used), written with eight independent
/// accumulators so that the compiler turns it into SIMD code.
#[inline]
pub fn dot(a: &[f32], b: &[f32]) -> f32 {
    dot_impl::<false>(a, b)
}

/// `acc + x · y`, fused when `FMA` (only inside functions compiled with the `fma` feature;
/// elsewhere `mul_add` would be a slow library call).
#[inline(always)]
fn madd<const FMA: bool>(acc: f32, x: f32, y: f32) -> f32 {
    if FMA {
        x.mul_add(y, acc)
    } else {
        acc + x * y
    }
}

#[inline(always)]
pub(crate) fn dot_impl<const FMA: bool>(a: &[f32], b: &[f32]) -> f32 {
    let n = a.len().min(b.len());
    let (a, b) = (&a[..n], &b[..n]);
    let ca = a.chunks_exact(8);
    let cb = b.chunks_exact(8);
    let mut tail = 0.0f32;
    for (x, y) in ca.remainder().iter().zip(cb.remainder()) {
        tail = madd::<FMA>(tail, *x, *y);
    }
    let mut acc = [0.0f32; 8];
    for (x, y) in ca.zip(cb) {
        for j in 0..8 {
            acc[j] = madd::<FMA>(acc[j], x[j], y[j]);
        }
    }
    ((acc[0] + acc[4]) + (acc[1] + acc[5])) + ((acc[2] + acc[6]) + (acc[3] + acc[7])) + tail
}

/// Scores one row; implemented by the query kinds. `FMA` selects fused multiply-adds.
pub(crate) trait Scorer: Sync {
    fn score<const FMA: bool>(&self, row: &[f32]) -> f32;
}

/// Dot product with a query vector.
pub(crate) struct DotScorer<'a>(pub &'a [f32]);

impl Scorer for DotScorer<'_> {
    #[inline(always)]
    fn score<const FMA: bool>(&self, row: &[f32]) -> f32 {
        dot_impl::<FMA>(row, self.0)
    }
}

/// Orders hits best first: higher score, then lower index. NaN never reaches a hit list.
pub(crate) fn rank(a: &Hit, b: &Hit) -> Ordering {
    b.score
        .total_cmp(&a.score)
        .then_with(|| a.index.cmp(&b.index))
}

/// A heap entry; the heap's maximum is the worst of the kept hits.
#[derive(Clone, Copy, PartialEq)]
struct Entry(Hit);

impl Eq for Entry {}

impl PartialOrd for Entry {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Entry {
    fn cmp(&self, other: &Self) -> Ordering {
        rank(&self.0, &other.0)
    }
}

/// Keeps the `k` best hits of a scan in increasing row order. A row only touches the heap
/// when its score beats the current k-th best (`threshold`).
struct Selector {
    k: usize,
    heap: BinaryHeap<Entry>,
    threshold: f32,
}

impl Selector {
    fn new(k: usize) -> Self {
        Selector {
            k,
            heap: BinaryHeap::with_capacity(k.min(4096) + 1),
            threshold: f32::NEG_INFINITY,
        }
    }

    /// Whether a row with `score` would be kept. Ties with the k-th best lose, which is right
    /// because rows are offered in increasing index order.
    #[inline(always)]
    fn wants(&self, score: f32) -> bool {
        score > self.threshold || (self.heap.len() < self.k && !score.is_nan())
    }

    fn push(&mut self, index: u32, score: f32) {
        // `+ 0.0` turns -0.0 into 0.0 so that total_cmp agrees with `>` on ties.
        let hit = Hit {
            index,
            score: score + 0.0,
        };
        if self.heap.len() < self.k {
            self.heap.push(Entry(hit));
        } else if let Some(mut worst) = self.heap.peek_mut() {
            *worst = Entry(hit);
        }
        if self.heap.len() == self.k {
            if let Some(worst) = self.heap.peek() {
                self.threshold = worst.0.score;
            }
        }
    }

    fn into_hits(self) -> Vec<Hit> {
        let mut v: Vec<Hit> = self.heap.into_iter().map(|e| e.0).collect();
        v.sort_unstable_by(rank);
        v
    }
}

/// Rows a scan must skip.
pub(crate) enum Exclude<'a> {
    Linear(&'a [u32]),
    Sorted(Vec<u32>),
}

impl<'a> Exclude<'a> {
    pub(crate) fn new(rows: &'a [u32]) -> Self {
        if rows.len() <= LINEAR_EXCLUDE_MAX {
            Exclude::Linear(rows)
        } else {
            let mut v = rows.to_vec();
            v.sort_unstable();
            v.dedup();
            Exclude::Sorted(v)
        }
    }

    #[inline]
    fn contains(&self, row: u32) -> bool {
        match self {
            Exclude::Linear(v) => v.contains(&row),
            Exclude::Sorted(v) => v.binary_search(&row).is_ok(),
        }
    }
}

/// Scans the `dim`-wide rows of `data` (whose first row is row `base`) and keeps the `k` best.
/// Uses AVX2 and FMA when the processor has them.
fn scan_block<S: Scorer>(
    data: &[f32],
    dim: usize,
    base: usize,
    k: usize,
    ex: &Exclude,
    scorer: &S,
) -> Selector {
    #[cfg(target_arch = "x86_64")]
    if is_x86_feature_detected!("avx2") && is_x86_feature_detected!("fma") {
        // SAFETY: the processor supports the features the function is compiled for.
        return unsafe { scan_block_avx2(data, dim, base, k, ex, scorer) };
    }
    scan_block_dims::<S, false>(data, dim, base, k, ex, scorer)
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
unsafe fn scan_block_avx2<S: Scorer>(
    data: &[f32],
    dim: usize,
    base: usize,
    k: usize,
    ex: &Exclude,
    scorer: &S,
) -> Selector {
    scan_block_dims::<S, true>(data, dim, base, k, ex, scorer)
}

/// Specialises the scan for common dimensions, so that the dot product is fully unrolled and
/// the query can stay in registers.
#[inline(always)]
fn scan_block_dims<S: Scorer, const FMA: bool>(
    data: &[f32],
    dim: usize,
    base: usize,
    k: usize,
    ex: &Exclude,
    scorer: &S,
) -> Selector {
    match dim {
        50 => scan_rows::<S, FMA>(data, 50, base, k, ex, scorer),
        100 => scan_rows::<S, FMA>(data, 100, base, k, ex, scorer),
        200 => scan_rows::<S, FMA>(data, 200, base, k, ex, scorer),
        300 => scan_rows::<S, FMA>(data, 300, base, k, ex, scorer),
        _ => scan_rows::<S, FMA>(data, dim, base, k, ex, scorer),
    }
}

#[inline(always)]
fn scan_rows<S: Scorer, const FMA: bool>(
    data: &[f32],
    dim: usize,
    base: usize,
    k: usize,
    ex: &Exclude,
    scorer: &S,
) -> Selector {
    let mut sel = Selector::new(k);
    for (i, row) in data.chunks_exact(dim).enumerate() {
        let s = scorer.score::<FMA>(row);
        if sel.wants(s) {
            let index = (base + i) as u32;
            if !ex.contains(index) {
                sel.push(index, s);
            }
        }
    }
    sel
}

/// The `k` best of the first `n` rows of `space` under `score`, best first. Runs in parallel
/// over row blocks when `n` is large and `parallel` is set.
pub(crate) fn select<S: Scorer>(
    space: &Space,
    n: usize,
    k: usize,
    ex: &Exclude,
    parallel: bool,
    scorer: &S,
) -> Vec<Hit> {
    if k == 0 || n == 0 {
        return Vec::new();
    }
    let dim = space.dim();
    if dim == 0 {
        // Every score is that of the empty row.
        let s = scorer.score::<false>(&[]);
        if s.is_nan() {
            return Vec::new();
        }
        return (0..n as u32)
            .filter(|&i| !ex.contains(i))
            .take(k)
            .map(|index| Hit {
                index,
                score: s + 0.0,
            })
            .collect();
    }
    let data = &space.matrix().as_slice()[..n * dim];
    if !parallel || n < PAR_MIN_ROWS || rayon::current_num_threads() < 2 {
        return scan_block(data, dim, 0, k, ex, scorer).into_hits();
    }
    let mut all: Vec<Hit> = data
        .par_chunks(BLOCK_ROWS * dim)
        .enumerate()
        .map(|(b, block)| scan_block(block, dim, b * BLOCK_ROWS, k, ex, scorer).into_hits())
        .reduce(Vec::new, |mut a, b| {
            a.extend(b);
            a
        });
    all.sort_unstable_by(rank);
    all.truncate(k);
    all
}

fn scan_len(space: &Space, limit: Option<usize>) -> usize {
    limit.map_or(space.len(), |l| l.min(space.len()))
}

/// The `k` rows whose unit vectors have the highest dot product with `query`, best first
/// (ties: lower row first). `query` need not be unit length; normalise it for cosines.
///
/// `limit` restricts the search to the first `limit` rows (the most frequent words in
/// frequency-sorted files, like gensim's `restrict_vocab`). Rows in `exclude` and rows whose
/// score is NaN are never returned. Large spaces are scanned in parallel.
///
/// Panics when `query.len() != space.dim()`.
pub fn top_k(
    space: &Space,
    query: &[f32],
    k: usize,
    exclude: &[u32],
    limit: Option<usize>,
) -> Vec<Hit> {
    assert_eq!(query.len(), space.dim(), "query has the wrong dimension");
    let ex = Exclude::new(exclude);
    select(
        space,
        scan_len(space, limit),
        k,
        &ex,
        true,
        &DotScorer(query),
    )
}

/// [`top_k`] for many queries at once, in parallel over the queries. `excludes` is either
/// empty (nothing excluded) or holds one list per query.
///
/// Panics when a query has the wrong dimension or `excludes` has the wrong length.
pub fn top_k_batch(
    space: &Space,
    queries: &[Vec<f32>],
    k: usize,
    excludes: &[Vec<u32>],
    limit: Option<usize>,
) -> Vec<Vec<Hit>> {
    assert!(
        excludes.is_empty() || excludes.len() == queries.len(),
        "one exclusion list per query expected"
    );
    let n = scan_len(space, limit);
    queries
        .par_iter()
        .enumerate()
        .map(|(i, q)| {
            assert_eq!(q.len(), space.dim(), "query has the wrong dimension");
            let ex = Exclude::new(excludes.get(i).map_or(&[][..], |v| v));
            select(space, n, k, &ex, false, &DotScorer(q))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::test_util::{random_space, space, space_with_matrix, XorShift};

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
}

/// Rough timings; run with
/// `cargo test --release --lib query::knn::timing -- --ignored --nocapture`.
#[cfg(test)]
mod timing {
    use super::*;
    use crate::query::test_util::{random_space, XorShift};
    use std::time::Instant;

    fn median_ms(mut f: impl FnMut()) -> f64 {
        let mut t: Vec<f64> = (0..41)
            .map(|_| {
                let s = Instant::now();
                f();
                s.elapsed().as_secs_f64() * 1e3
            })
            .collect();
        t.sort_by(f64::total_cmp);
        eprint!("(min {:.3}) ", t[0]);
        t[t.len() / 2]
    }

    #[test]
    #[ignore]
    fn timing_400k() {
        for dim in [50, 300] {
            let rows = if dim == 50 { 400_000 } else { 100_000 };
            let s = random_space(rows, dim, 1);
            let mut r = XorShift::new(3);
            let q: Vec<f32> = (0..dim).map(|_| r.f32()).collect();
            let par = median_ms(|| {
                std::hint::black_box(top_k(&s, &q, 10, &[1, 2], None));
            });
            let ex = Exclude::new(&[1, 2]);
            let seq = median_ms(|| {
                std::hint::black_box(select(&s, s.len(), 10, &ex, false, &DotScorer(&q)));
            });
            let mul = median_ms(|| {
                std::hint::black_box(
                    crate::query::analogy(
                        &s,
                        "w1",
                        "w2",
                        "w3",
                        10,
                        crate::query::Method::Mul,
                        false,
                    )
                    .unwrap(),
                );
            });
            let sug = median_ms(|| {
                std::hint::black_box(crate::query::suggest(&s, "w123456", 3));
            });
            eprintln!(
                "{rows} × {dim}: top-10 {par:.3} ms parallel, {seq:.3} ms sequential; \
                 3CosMul {mul:.3} ms; suggest {sug:.3} ms"
            );
        }
    }
}
