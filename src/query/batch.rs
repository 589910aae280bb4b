//! The batch neighbour API: the top k of many query vectors at once.
//!
//! Two strategies, chosen per call, both with the results of [`top_k`](super::top_k):
//!
//! - few queries on a space whose int8 copy does not exist (e.g. the watch words of a live
//!   training snapshot, a space that lives for a second): ONE pass over the matrix, row block
//!   by row block, every query scored against a block while it sits in cache. Nothing is
//!   built, and the rows are read once however many queries there are;
//! - many queries, or a space whose int8 copy exists already: every query through the exact
//!   int8 pre-filter, in parallel over the queries;
//! - a space with an attached approximate index (whole-vocabulary searches): every query
//!   through the index, as [`top_k`](super::top_k) does.
use super::knn::{scan_block, scan_len, DotScorer, Exclude, Hit};
use super::quant;
use super::topk::TopK;
use crate::space::Space;
use rayon::prelude::*;

/// From this many queries on, a batch builds the int8 copy (when the pre-filter applies).
const PREFILTER_MIN_QUERIES: usize = 32;
/// Rows per parallel task of the one-pass scan.
const CHUNK_ROWS: usize = 16 * 1024;
/// Rows scored by every query before moving on (about 300 KB at 300 dimensions, so the block
/// stays in the core's L2 cache while all queries read it).
const SUB_ROWS: usize = 256;

/// [`top_k`](super::top_k) for many queries at once: the `k` best rows for each of `queries`,
/// best first. `excludes` is either empty (nothing excluded) or holds one list per query;
/// `limit` restricts every search to the first `limit` rows.
///
/// The answers are those of [`top_k`](super::top_k) for each query alone (same rows, order
/// and scores). Few queries on a space without an int8 copy take one pass over the matrix for
/// all of them (nothing is built); many queries use the int8 pre-filter.
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
    for q in queries {
        assert_eq!(q.len(), space.dim(), "query has the wrong dimension");
    }
    let n = scan_len(space, limit);
    let ex: Vec<Exclude> = (0..queries.len())
        .map(|i| Exclude::new(excludes.get(i).map_or(&[][..], |v| v)))
        .collect();
    let pq = space.matrix().pq().is_some();
    if pq || (space.neighbour_index().is_some() && n == space.len()) {
        // Through the attached index or the quantized codes, as `top_k` does.
        return queries
            .par_iter()
            .enumerate()
            .map(|(i, q)| {
                let e = excludes.get(i).map_or(&[][..], Vec::as_slice);
                super::top_k(space, q, k, e, limit)
            })
            .collect();
    }
    let prefilter = !space.matrix().is_patched()
        && quant::applies(space, n, k)
        && (space.quantized_if_built().is_some()
            || space.reduced_if_built().is_some()
            || queries.len() >= PREFILTER_MIN_QUERIES);
    if !prefilter && space.dim() > 0 && k > 0 {
        return one_pass(space, queries, n, k, &ex);
    }
    if prefilter {
        super::knn::kept::read_before_building(space, n);
    }
    let reduced = super::knn::reduced::enabled() && super::knn::reduced::applies(space, n, k);
    if prefilter && !(reduced && space.reduced().is_some()) {
        // Built once here rather than by every worker that finds it missing.
        space.quantized();
    }
    queries
        .par_iter()
        .zip(&ex)
        .map(|(q, ex)| super::knn::prefiltered(space, q, n, k, ex, false))
        .collect()
}

/// The exact top k of every query over the first `n` rows in one pass over the matrix,
/// parallel over chunks of rows.
fn one_pass(
    space: &Space,
    queries: &[Vec<f32>],
    n: usize,
    k: usize,
    ex: &[Exclude],
) -> Vec<Vec<Hit>> {
    let dim = space.dim();
    let matrix = space.matrix();
    let fresh = || -> Vec<TopK> { queries.iter().map(|_| TopK::new(k)).collect() };
    let run = |c: usize| {
        let mut tops = fresh();
        let end = ((c + 1) * CHUNK_ROWS).min(n);
        for sub in (c * CHUNK_ROWS..end).step_by(SUB_ROWS) {
            // Runs of consecutive rows (several in a patched live view), each scored for every
            // query while it is in cache.
            matrix.for_runs(sub, (sub + SUB_ROWS).min(end), |first, data| {
                for ((q, ex), top) in queries.iter().zip(ex).zip(tops.iter_mut()) {
                    scan_block(data, dim, first, top, ex, &DotScorer(q));
                }
            });
        }
        tops
    };
    let merge = |mut a: Vec<TopK>, b: Vec<TopK>| {
        a.iter_mut().zip(b).for_each(|(x, y)| x.merge(y));
        a
    };
    let tops = if n >= 2 * CHUNK_ROWS && rayon::current_num_threads() > 1 {
        (0..n.div_ceil(CHUNK_ROWS))
            .into_par_iter()
            .map(run)
            .reduce(fresh, merge)
    } else {
        (0..n.div_ceil(CHUNK_ROWS)).map(run).fold(fresh(), merge)
    };
    tops.into_iter().map(TopK::into_hits).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::test_util::{random_space, XorShift};
    use crate::query::{top_k, top_k_exact};

    fn queries(s: &Space, n: usize, seed: u64) -> Vec<Vec<f32>> {
        let mut r = XorShift::new(seed);
        (0..n)
            .map(|_| {
                let row = r.below(s.len());
                s.unit(row).iter().map(|x| x + 0.1 * r.f32()).collect()
            })
            .collect()
    }

    #[test]
    fn both_strategies_equal_single_queries() {
        let s = random_space(110_000, 12, 5);
        for (nq, k, limit) in [(3, 7, None), (5, 1, Some(70_000)), (40, 10, None)] {
            let qs = queries(&s, nq, nq as u64);
            let ex: Vec<Vec<u32>> = (0..nq as u32).map(|i| vec![i, i * 7 + 1]).collect();
            let batch = top_k_batch(&s, &qs, k, &ex, limit);
            for ((q, e), got) in qs.iter().zip(&ex).zip(&batch) {
                assert_eq!(got, &top_k_exact(&s, q, k, e, limit));
                assert_eq!(got, &top_k(&s, q, k, e, limit));
            }
        }
    }

    #[test]
    fn few_queries_build_nothing() {
        let s = random_space(110_000, 8, 6);
        let qs = queries(&s, 4, 1);
        let got = top_k_batch(&s, &qs, 5, &[], None);
        assert!(s.quantized_if_built().is_none());
        assert_eq!(got[0], top_k_exact(&s, &qs[0], 5, &[], None));
        assert_eq!(top_k_batch(&s, &qs, 0, &[], None), vec![Vec::new(); 4]);
    }
}
