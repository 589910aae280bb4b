//! Exact nearest-neighbour search: a vectorisable dot product, a bounded top-k selection and
//! a parallel scan over row blocks.
use super::quant;
use super::topk::{merge_hits, rank, TopK};
use crate::space::Space;
use rayon::prelude::*;
use serde::Serialize;

/// One result row: the row of the word and its score (cosine for unit queries).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Hit {
    /// The row of the word in the space.
    pub index: u32,
    /// The score: cosine similarity when the query is a unit vector.
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
    let n = a.len().min(b.len());
    let (a, b) = (&a[..n], &b[..n]);
    let ca = a.chunks_exact(8);
    let cb = b.chunks_exact(8);
    let tail: f32 = ca
        .remainder()
        .iter()
        .zip(cb.remainder())
        .map(|(x, y)| x * y)
        .sum();
    let mut acc = [0.0f32; 8];
    for (x, y) in ca.zip(cb) {
        for j in 0..8 {
            acc[j] += x[j] * y[j];
        }
    }
    ((acc[0] + acc[4]) + (acc[1] + acc[5])) + ((acc[2] + acc[6]) + (acc[3] + acc[7])) + tail
}

/// [`dot`] through the AVX2/FMA kernel when the processor has it (detected at run time; the
/// portable [`dot`] otherwise), for callers that score rows one at a time (the index's graph
/// walks).
#[inline]
pub fn dot_fast(a: &[f32], b: &[f32]) -> f32 {
    #[cfg(target_arch = "x86_64")]
    if is_x86_feature_detected!("avx2") && is_x86_feature_detected!("fma") {
        // SAFETY: the processor supports the features the kernel is compiled for.
        return unsafe { avx2::dot(a, b) };
    }
    dot(a, b)
}

/// The dot product used by scans: with `SIMD` (only inside functions compiled for AVX2 and
/// FMA, see [`scan_block`]) the explicit AVX2 kernel, else [`dot`].
#[inline(always)]
pub(crate) fn dot_impl<const SIMD: bool>(a: &[f32], b: &[f32]) -> f32 {
    #[cfg(target_arch = "x86_64")]
    if SIMD {
        // SAFETY: `SIMD` is true only in code reached through `scan_block_avx2`, which runs
        // after the processor was found to support AVX2 and FMA.
        return unsafe { avx2::dot(a, b) };
    }
    dot(a, b)
}

#[cfg(target_arch = "x86_64")]
mod avx2 {
    use std::arch::x86_64::*;

    /// Dot product with 256-bit fused multiply-adds (two accumulators).
    ///
    /// # Safety
    /// The processor must support AVX2 and FMA.
    #[target_feature(enable = "avx2,fma")]
    #[inline]
    pub(super) unsafe fn dot(a: &[f32], b: &[f32]) -> f32 {
        let n = a.len().min(b.len());
        let (pa, pb) = (a.as_ptr(), b.as_ptr());
        let mut acc0 = _mm256_setzero_ps();
        let mut acc1 = _mm256_setzero_ps();
        let mut i = 0;
        // SAFETY (all loads): `i + 8 <= n` or `i < n` keeps every read inside both slices.
        while i + 16 <= n {
            acc0 = _mm256_fmadd_ps(_mm256_loadu_ps(pa.add(i)), _mm256_loadu_ps(pb.add(i)), acc0);
            acc1 = _mm256_fmadd_ps(
                _mm256_loadu_ps(pa.add(i + 8)),
                _mm256_loadu_ps(pb.add(i + 8)),
                acc1,
            );
            i += 16;
        }
        if i + 8 <= n {
            acc0 = _mm256_fmadd_ps(_mm256_loadu_ps(pa.add(i)), _mm256_loadu_ps(pb.add(i)), acc0);
            i += 8;
        }
        let mut r = hsum(_mm256_add_ps(acc0, acc1));
        while i < n {
            r = (*pa.add(i)).mul_add(*pb.add(i), r);
            i += 1;
        }
        r
    }

    /// The sum of the lanes of `v`.
    #[target_feature(enable = "avx2,fma")]
    #[inline]
    unsafe fn hsum(v: __m256) -> f32 {
        let x = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps::<1>(v));
        let x = _mm_add_ps(x, _mm_movehl_ps(x, x));
        _mm_cvtss_f32(_mm_add_ss(x, _mm_movehdup_ps(x)))
    }
}

/// Scores one row; implemented by the query kinds. `SIMD` selects the AVX2 kernel.
pub(crate) trait Scorer: Sync {
    fn score<const SIMD: bool>(&self, row: &[f32]) -> f32;
}

/// Dot product with a query vector.
pub(crate) struct DotScorer<'a>(pub &'a [f32]);

impl Scorer for DotScorer<'_> {
    #[inline(always)]
    fn score<const SIMD: bool>(&self, row: &[f32]) -> f32 {
        dot_impl::<SIMD>(row, self.0)
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
    pub(crate) fn contains(&self, row: u32) -> bool {
        match self {
            Exclude::Linear(v) => v.contains(&row),
            Exclude::Sorted(v) => v.binary_search(&row).is_ok(),
        }
    }
}

/// Scans the `dim`-wide rows of `data` (whose first row is row `base`) and offers them to
/// `sel`. Uses AVX2 and FMA when the processor has them.
pub(crate) fn scan_block<S: Scorer>(
    data: &[f32],
    dim: usize,
    base: usize,
    sel: &mut TopK,
    ex: &Exclude,
    scorer: &S,
) {
    #[cfg(target_arch = "x86_64")]
    if is_x86_feature_detected!("avx2") && is_x86_feature_detected!("fma") {
        // SAFETY: the processor supports the features the function is compiled for.
        return unsafe { scan_block_avx2(data, dim, base, sel, ex, scorer) };
    }
    scan_block_dims::<S, false>(data, dim, base, sel, ex, scorer)
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
unsafe fn scan_block_avx2<S: Scorer>(
    data: &[f32],
    dim: usize,
    base: usize,
    sel: &mut TopK,
    ex: &Exclude,
    scorer: &S,
) {
    scan_block_dims::<S, true>(data, dim, base, sel, ex, scorer)
}

/// Specialises the scan for common dimensions, so that the dot product is fully unrolled and
/// the query can stay in registers.
#[inline(always)]
fn scan_block_dims<S: Scorer, const SIMD: bool>(
    data: &[f32],
    dim: usize,
    base: usize,
    sel: &mut TopK,
    ex: &Exclude,
    scorer: &S,
) {
    match dim {
        50 => scan_rows::<S, SIMD>(data, 50, base, sel, ex, scorer),
        100 => scan_rows::<S, SIMD>(data, 100, base, sel, ex, scorer),
        200 => scan_rows::<S, SIMD>(data, 200, base, sel, ex, scorer),
        300 => scan_rows::<S, SIMD>(data, 300, base, sel, ex, scorer),
        _ => scan_rows::<S, SIMD>(data, dim, base, sel, ex, scorer),
    }
}

#[inline(always)]
fn scan_rows<S: Scorer, const SIMD: bool>(
    data: &[f32],
    dim: usize,
    base: usize,
    sel: &mut TopK,
    ex: &Exclude,
    scorer: &S,
) {
    let mut offer = |i: usize, s: f32| {
        if sel.wants(s) {
            let index = (base + i) as u32;
            if !ex.contains(index) {
                sel.push(index, s);
            }
        }
    };
    for (i, row) in data.chunks_exact(dim).enumerate() {
        offer(i, scorer.score::<SIMD>(row));
    }
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
        let mut sel = TopK::new(k);
        scan_block(data, dim, 0, &mut sel, ex, scorer);
        return sel.into_hits();
    }
    let all: Vec<Hit> = data
        .par_chunks(BLOCK_ROWS * dim)
        .enumerate()
        .map(|(b, block)| {
            let mut sel = TopK::new(k);
            scan_block(block, dim, b * BLOCK_ROWS, &mut sel, ex, scorer);
            sel.into_hits()
        })
        .reduce(Vec::new, |mut a, b| {
            a.extend(b);
            a
        });
    merge_hits(all, k)
}

pub(crate) fn scan_len(space: &Space, limit: Option<usize>) -> usize {
    limit.map_or(space.len(), |l| l.min(space.len()))
}

/// Exact scores of `rows` (in any order, no duplicates) with `query`, computed with the same
/// kernel as the exact scan, ranked best first (ties: lower row first; NaN scores dropped) and
/// cut to `k`.
pub(crate) fn exact_hits(space: &Space, query: &[f32], rows: &[u32], k: usize) -> Vec<Hit> {
    #[cfg(target_arch = "x86_64")]
    if is_x86_feature_detected!("avx2") && is_x86_feature_detected!("fma") {
        // SAFETY: the processor supports the features the function is compiled for.
        return unsafe { exact_hits_avx2(space, query, rows, k) };
    }
    exact_hits_impl::<false>(space, query, rows, k)
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
unsafe fn exact_hits_avx2(space: &Space, query: &[f32], rows: &[u32], k: usize) -> Vec<Hit> {
    exact_hits_impl::<true>(space, query, rows, k)
}

#[inline(always)]
fn exact_hits_impl<const SIMD: bool>(
    space: &Space,
    query: &[f32],
    rows: &[u32],
    k: usize,
) -> Vec<Hit> {
    let scorer = DotScorer(query);
    let mut hits: Vec<Hit> = rows
        .iter()
        .filter_map(|&index| {
            let score = scorer.score::<SIMD>(space.unit(index as usize));
            (!score.is_nan()).then_some(Hit {
                index,
                // As in `TopK::push`: -0.0 becomes 0.0.
                score: score + 0.0,
            })
        })
        .collect();
    hits.sort_unstable_by(rank);
    hits.truncate(k);
    hits
}

/// The `k` rows whose unit vectors have the highest dot product with `query`, best first
/// (ties: lower row first). `query` need not be unit length; normalise it for cosines.
///
/// `limit` restricts the search to the first `limit` rows (the most frequent words in
/// frequency-sorted files, like gensim's `restrict_vocab`). Rows in `exclude` and rows whose
/// score is NaN are never returned. Large spaces are scanned in parallel.
///
/// When an approximate index is attached to the space ([`Space::attach_index`]) and the search
/// covers the whole vocabulary, the index proposes the candidates and they are scored exactly:
/// the answer is then approximate (measured recall@10 ≥ 0.99 at the default settings).
///
/// A product-quantized space ([`crate::space::Storage::Quantized`]) is searched with
/// asymmetric distance tables over its codes, and the best few hundred candidates are
/// re-ranked by the cosine with their reconstructed vectors.
///
/// Spaces with at least 100,000 rows are searched through an exact int8 pre-filter (built on
/// the first query and kept with the space): the result is identical to [`top_k_exact`] —
/// same rows, order and scores — but the scan reads a quarter of the bytes.
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
    let n = scan_len(space, limit);
    if let Some(pq) = space.matrix().pq() {
        return super::quant_pq::top_k(space, pq, query, n, k, &ex, super::quant_pq::RERANK);
    }
    if let Some(hits) = indexed(space, query, n, k, exclude) {
        return hits;
    }
    quant::top_k(space, query, n, k, &ex, true)
        .unwrap_or_else(|| select(space, n, k, &ex, true, &DotScorer(query)))
}

/// The answer through the space's approximate neighbour index, when one is attached and the
/// search covers the whole vocabulary: the index's candidates, scored exactly.
pub(crate) fn indexed(
    space: &Space,
    query: &[f32],
    n: usize,
    k: usize,
    exclude: &[u32],
) -> Option<Vec<Hit>> {
    let index = space.neighbour_index()?;
    if n < space.len() || k == 0 {
        return None;
    }
    let mut rows = index.candidates(space, query, k + exclude.len());
    rows.retain(|r| !exclude.contains(r));
    Some(exact_hits(space, query, &rows, k))
}

/// [`top_k`] by scoring every row in f32, without the int8 pre-filter (for tests and
/// benchmarks). In a product-quantized space every row's reconstruction is scored.
///
/// Panics when `query.len() != space.dim()`.
pub fn top_k_exact(
    space: &Space,
    query: &[f32],
    k: usize,
    exclude: &[u32],
    limit: Option<usize>,
) -> Vec<Hit> {
    assert_eq!(query.len(), space.dim(), "query has the wrong dimension");
    let ex = Exclude::new(exclude);
    if let Some(pq) = space.matrix().pq() {
        let n = scan_len(space, limit);
        return super::quant_pq::top_k(space, pq, query, n, k, &ex, n);
    }
    select(
        space,
        scan_len(space, limit),
        k,
        &ex,
        true,
        &DotScorer(query),
    )
}

#[cfg(test)]
mod tests;
