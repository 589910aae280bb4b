//! Neighbour search in a product-quantized space: asymmetric distance tables (the query stays
//! in f32, every row is scored by one table lookup per subquantizer), then the best few
//! hundred candidates are re-ranked by the cosine with their reconstructed vectors.
use super::knn::{Exclude, Hit};
use super::topk::{merge_hits, rank, TopK};
use crate::space::{PqMatrix, Space};
use rayon::prelude::*;

/// Candidates re-ranked by their reconstructed vectors (at least; more when k is larger).
/// `EMBX_PQ_RERANK=N` replaces it for a process, to measure recall against depth.
pub const RERANK: usize = 300;

/// The re-rank depth asked for: `EMBX_PQ_RERANK` when it is set to a number, else `asked`.
fn rerank_depth(asked: usize) -> usize {
    static DEPTH: std::sync::OnceLock<Option<usize>> = std::sync::OnceLock::new();
    let set = DEPTH.get_or_init(|| {
        std::env::var("EMBX_PQ_RERANK")
            .ok()
            .and_then(|v| v.trim().parse().ok())
    });
    match set {
        Some(d) if asked == RERANK => *d,
        _ => asked,
    }
}
/// Rows per parallel block of the table scan.
const BLOCK_ROWS: usize = 32 * 1024;

/// The `k` best of the first `n` rows of a quantized `space` for the unit `query`: the
/// `rerank` (at least `k`) best by their table scores, re-scored by the cosine with their
/// reconstructions. With `rerank >= n` this is exact for the reconstructed vectors.
pub(crate) fn top_k(
    space: &Space,
    pq: &PqMatrix,
    query: &[f32],
    n: usize,
    k: usize,
    ex: &Exclude,
    rerank: usize,
) -> Vec<Hit> {
    if k == 0 || n == 0 || space.dim() == 0 {
        return Vec::new();
    }
    let tables = pq.tables(&pq.project(query));
    let want = rerank_depth(rerank).max(k).min(n);
    let m = pq.subquantizers();
    let codes = pq.codes(n);
    let scan = |(b, block): (usize, &[u8])| {
        let mut sel = TopK::new(want);
        let base = b * BLOCK_ROWS;
        for (i, row) in block.chunks_exact(m).enumerate() {
            let s = adc(&tables, row);
            if sel.wants(s) {
                let index = (base + i) as u32;
                if !ex.contains(index) && !pq.is_zero_row(index) {
                    sel.push(index, s);
                }
            }
        }
        sel.into_hits()
    };
    let candidates = if n >= 2 * BLOCK_ROWS && rayon::current_num_threads() > 1 {
        let all = codes
            .par_chunks(BLOCK_ROWS * m)
            .enumerate()
            .map(scan)
            .reduce(Vec::new, |mut a, b| {
                a.extend(b);
                a
            });
        merge_hits(all, want)
    } else {
        scan((0, codes))
    };
    rescore(pq, query, &candidates, k)
}

/// The table score of one row: Σ_j tables[j][code_j], with four accumulators.
#[inline]
fn adc(tables: &[[f32; 256]], codes: &[u8]) -> f32 {
    let mut acc = [0f32; 4];
    let tc = tables.chunks_exact(4);
    let cc = codes.chunks_exact(4);
    let tail: f32 = tc
        .remainder()
        .iter()
        .zip(cc.remainder())
        .map(|(t, &c)| t[usize::from(c)])
        .sum();
    for (t, c) in tc.zip(cc) {
        for j in 0..4 {
            acc[j] += t[j][usize::from(c[j])];
        }
    }
    (acc[0] + acc[1]) + (acc[2] + acc[3]) + tail
}

/// Cosines of `query` with the reconstructions of the candidates, best first, cut to `k`.
fn rescore(pq: &PqMatrix, query: &[f32], candidates: &[Hit], k: usize) -> Vec<Hit> {
    let d = pq.dim();
    let score = |buf: &mut Vec<f32>, h: &Hit| {
        pq.unit_into(h.index as usize, buf);
        let s = super::dot(buf, query);
        (!s.is_nan()).then_some(Hit {
            index: h.index,
            score: s + 0.0,
        })
    };
    let mut hits: Vec<Hit> = if candidates.len() >= 4096 {
        candidates
            .par_iter()
            .map_init(|| vec![0f32; d], score)
            .flatten()
            .collect()
    } else {
        let mut buf = vec![0f32; d];
        candidates
            .iter()
            .filter_map(|h| score(&mut buf, h))
            .collect()
    };
    hits.sort_unstable_by(rank);
    hits.truncate(k);
    hits
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::test_util::random_space;
    use crate::query::top_k_exact;
    use crate::space::{ByteSource, PqParts};
    use std::sync::Arc;

    /// A "quantized" space whose codebooks hold every row exactly: 1 subquantizer, one
    /// centroid per row (≤ 256 rows), so the answers equal the exact f32 ones.
    fn exact_pq(s: &Space) -> PqMatrix {
        let n = s.len();
        let codebooks = (0..n).flat_map(|i| s.unit(i).to_vec()).collect();
        let codes: Vec<u8> = (0..n).map(|i| i as u8).collect();
        PqMatrix::new(PqParts {
            rows: n,
            dim: s.dim(),
            subquantizers: 1,
            centroids: n,
            codebooks,
            projection: None,
            codes: Arc::new(codes) as Arc<dyn ByteSource>,
            offset: 0,
            zero_rows: Vec::new(),
        })
        .unwrap()
    }

    #[test]
    fn lossless_codebooks_give_the_exact_answer() {
        let s = random_space(200, 6, 3);
        let pq = exact_pq(&s);
        for q in [0usize, 17, 199] {
            let query = s.unit(q).to_vec();
            let ex = Exclude::new(&[3]);
            let got = top_k(&s, &pq, &query, 200, 7, &ex, 10);
            let want = top_k_exact(&s, &query, 7, &[3], None);
            assert_eq!(got.len(), 7);
            for (g, w) in got.iter().zip(&want) {
                assert_eq!(g.index, w.index);
                assert!((g.score - w.score).abs() < 1e-5);
            }
            assert!(top_k(&s, &pq, &query, 50, 5, &ex, 5)
                .iter()
                .all(|h| h.index < 50));
        }
    }

    #[test]
    fn adc_sums_the_tables() {
        let mut t = vec![[0f32; 256]; 5];
        for (j, tab) in t.iter_mut().enumerate() {
            tab[j] = j as f32 + 1.0;
        }
        assert_eq!(adc(&t, &[0, 1, 2, 3, 4]), 15.0);
        assert_eq!(adc(&t, &[1, 1, 2, 3, 0]), 9.0);
    }
}
