//! Exact nearest-neighbour search: a vectorisable dot product, a bounded top-k selection and
//! a parallel scan over row blocks.
use super::quant;
use super::topk::{merge_hits, TopK};
use crate::space::Space;
use rayon::prelude::*;
use serde::Serialize;

mod dot;
pub(crate) mod kept;
mod prepare;
pub(crate) mod reduced;
mod rescore;
pub(crate) mod simd;
pub(crate) use dot::dot_impl;
pub use dot::{dot, dot_fast};
pub use kept::{kept_file, Kept};
pub use prepare::{begin_prepare, needs_prepare, prepare_exact, Prepared, PREPARE_MIN_ROWS};
pub use reduced::prefilter_survivors;
pub(crate) use rescore::exact_hits;

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

/// Scores one row; implemented by the query kinds. `K` is the kernel level (see [`simd`]).
pub(crate) trait Scorer: Sync {
    fn score<const K: u8>(&self, row: &[f32]) -> f32;
}

/// Dot product with a query vector.
pub(crate) struct DotScorer<'a>(pub &'a [f32]);

impl Scorer for DotScorer<'_> {
    #[inline(always)]
    fn score<const K: u8>(&self, row: &[f32]) -> f32 {
        dot_impl::<K>(row, self.0)
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
/// `sel`. Uses AVX-512 or AVX2 and FMA when the processor has them.
pub(crate) fn scan_block<S: Scorer>(
    data: &[f32],
    dim: usize,
    base: usize,
    sel: &mut TopK,
    ex: &Exclude,
    scorer: &S,
) {
    #[cfg(target_arch = "x86_64")]
    {
        let level = simd::level();
        if level == simd::AVX512 {
            // SAFETY: the processor supports the features the function is compiled for.
            return unsafe { scan_block_avx512(data, dim, base, sel, ex, scorer) };
        }
        if level == simd::AVX2 {
            // SAFETY: as above.
            return unsafe { scan_block_avx2(data, dim, base, sel, ex, scorer) };
        }
    }
    scan_block_dims::<S, { simd::PORTABLE }>(data, dim, base, sel, ex, scorer)
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f,avx2,fma")]
unsafe fn scan_block_avx512<S: Scorer>(
    data: &[f32],
    dim: usize,
    base: usize,
    sel: &mut TopK,
    ex: &Exclude,
    scorer: &S,
) {
    scan_block_dims::<S, { simd::AVX512 }>(data, dim, base, sel, ex, scorer)
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
    scan_block_dims::<S, { simd::AVX2 }>(data, dim, base, sel, ex, scorer)
}

/// Specialises the scan for common dimensions, so that the dot product is fully unrolled and
/// the query can stay in registers.
#[inline(always)]
fn scan_block_dims<S: Scorer, const K: u8>(
    data: &[f32],
    dim: usize,
    base: usize,
    sel: &mut TopK,
    ex: &Exclude,
    scorer: &S,
) {
    match dim {
        50 => scan_rows::<S, K>(data, 50, base, sel, ex, scorer),
        100 => scan_rows::<S, K>(data, 100, base, sel, ex, scorer),
        200 => scan_rows::<S, K>(data, 200, base, sel, ex, scorer),
        300 => scan_rows::<S, K>(data, 300, base, sel, ex, scorer),
        _ => scan_rows::<S, K>(data, dim, base, sel, ex, scorer),
    }
}

#[inline(always)]
fn scan_rows<S: Scorer, const K: u8>(
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
        offer(i, scorer.score::<K>(row));
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
        let s = scorer.score::<{ simd::PORTABLE }>(&[]);
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
    // Runs of consecutive rows: the whole matrix, or (a patched live view) the base's rows
    // between the replaced ones and the replaced rows, read where they are, or blocks of rows
    // read in place from a file, decoded one at a time.
    let matrix = space.matrix();
    let scan = |from: usize, to: usize| {
        let mut sel = TopK::new(k);
        matrix.for_runs(from, to, |first, data| {
            scan_block(data, dim, first, &mut sel, ex, scorer);
        });
        sel.into_hits()
    };
    if !parallel || n < PAR_MIN_ROWS || rayon::current_num_threads() < 2 {
        return scan(0, n);
    }
    let all: Vec<Hit> = (0..n.div_ceil(BLOCK_ROWS))
        .into_par_iter()
        .map(|b| scan(b * BLOCK_ROWS, ((b + 1) * BLOCK_ROWS).min(n)))
        .reduce(Vec::new, |mut a, b| {
            a.extend(b);
            a
        });
    merge_hits(all, k)
}

pub(crate) fn scan_len(space: &Space, limit: Option<usize>) -> usize {
    limit.map_or(space.len(), |l| l.min(space.len()))
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
/// Spaces with at least 100,000 rows are searched through an exact pre-filter (built on the
/// second query and kept with the space): the result is identical to [`top_k_exact`] — same
/// rows, order and scores. Spaces of 128 dimensions or more whose rows concentrate on a few
/// principal directions scan int8 codes of those directions (a sixth of the bytes on 300
/// dimensions); others an int8 copy of the whole rows (a quarter of the bytes).
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
    let ready = space.reduced_if_built().is_some() || space.quantized_if_built().is_some();
    if space.matrix().is_patched()
        || (!ready && (space.preparing() || (!space.reduced_tried() && !space.repeated_scan())))
    {
        // The first query scans in f32: a single query does not pay for a copy; nor do the
        // queries asked while a worker builds it (`prepare_exact`). A patched live view (a
        // second of training) is always scanned in place.
        return select(space, n, k, &ex, true, &DotScorer(query));
    }
    if !ready {
        kept::read_before_building(space, n);
    }
    prefiltered(space, query, n, k, &ex, true)
}

/// The exact top k through the reduced copy when the space suits it, else through the int8
/// copy, else by the f32 scan (see [`top_k`]).
pub(crate) fn prefiltered(
    space: &Space,
    query: &[f32],
    n: usize,
    k: usize,
    ex: &Exclude,
    parallel: bool,
) -> Vec<Hit> {
    if reduced::enabled() && reduced::applies(space, n, k) {
        if let Some(red) = space.reduced() {
            if let Some(hits) = reduced::top_k(space, red, query, n, k, ex, parallel) {
                return hits;
            }
        }
    }
    quant::top_k(space, query, n, k, ex, parallel)
        .unwrap_or_else(|| select(space, n, k, ex, parallel, &DotScorer(query)))
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
