//! Answering many analogy questions at once.
//!
//! Every question's score for a row is a function of the row's cosines with at most three
//! term vectors, and an analogy set uses few distinct words (the Google set: 905 for 19,544
//! questions). So the rows are taken a tile at a time, the cosines of the tile with every
//! distinct term come from one matrix product (matrixmultiply's sgemm), and each question
//! then combines three of those score rows — three loads and two adds per row instead of a
//! dot product. Tiles are spread over threads; each thread keeps a bounded top-k per
//! question and the lists are merged at the end.
use crate::error::{Error, Result};
use crate::jobs::{Progress, ProgressExt};
use crate::query::topk::TopK;
use rayon::prelude::*;

/// Rows per tile.
const ROW_TILE: usize = 1024;

/// How a question's score for a row is formed from the cosines with its terms `a, b, c`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scoring {
    /// 3CosAdd: `cos(b) − cos(a) + cos(c)`, i.e. the dot product with `b − a + c`, which
    /// ranks rows as the cosine with the normalised `b − a + c` does.
    Add,
    /// 3CosMul as gensim's most_similar_cosmul: `p(b) · p(c) / (p(a) + 1e-6)` with
    /// `p(x) = (1 + cos) / 2`.
    Mul,
}

/// A batch of analogy questions.
#[derive(Debug, Clone, Copy)]
pub struct Batch<'a> {
    /// Distinct term vectors (unit length), `dim` values each.
    pub vectors: &'a [f32],
    /// Each question's terms `[a, b, c]` as indices into `vectors`.
    pub terms: &'a [[u32; 3]],
    /// Rows that must not appear in each question's answer.
    pub exclude: &'a [[u32; 3]],
    /// How each row's score is formed from the term cosines.
    pub scoring: Scoring,
    /// Answers kept per question.
    pub k: usize,
    /// Only scores strictly above this are kept.
    pub floor: f32,
}

/// The `k` best `(row, score)` of each question over the first `rows` rows of `matrix`
/// (row-major, `dim` wide), best first, ties to the lower row. Progress counts rows.
pub fn top_k_many(
    matrix: &[f32],
    dim: usize,
    rows: usize,
    batch: &Batch,
    progress: Option<&Progress>,
) -> Result<Vec<Vec<(u32, f32)>>> {
    let n_q = batch.terms.len();
    assert_eq!(batch.exclude.len(), n_q, "one exclusion list per question");
    let n_t = batch.vectors.len() / dim.max(1);
    assert!(
        batch.terms.iter().flatten().all(|&t| (t as usize) < n_t),
        "term out of range"
    );
    let rows = rows.min(matrix.len() / dim.max(1));
    let tiles: Vec<usize> = (0..rows).step_by(ROW_TILE).collect();
    // One contiguous run of tiles per thread, so each top-k list warms up once and most
    // blocks are then rejected by the threshold test.
    let per_thread = tiles
        .len()
        .div_ceil(rayon::current_num_threads().max(1))
        .max(1);
    let tops = tiles
        .par_chunks(per_thread)
        .map(|run| {
            let mut tops = vec![TopK::with_floor(batch.k, batch.floor); n_q];
            let mut buf = Vec::new();
            for &r0 in run {
                if progress.check().is_err() {
                    break;
                }
                let n = (rows - r0).min(ROW_TILE);
                let tile = &matrix[r0 * dim..(r0 + n) * dim];
                score_tile(tile, dim, n, r0 as u32, batch, &mut buf, &mut tops);
                progress.add(n as u64);
            }
            tops
        })
        .reduce_with(|mut a, b| {
            a.iter_mut().zip(b).for_each(|(x, y)| x.merge(y));
            a
        })
        .unwrap_or_else(|| vec![TopK::with_floor(batch.k, batch.floor); n_q]);
    progress.check().map_err(|_| Error::Interrupted)?;
    Ok(tops
        .into_iter()
        .map(|t| t.into_hits().iter().map(|h| (h.index, h.score)).collect())
        .collect())
}

/// Scores the `n` rows of `tile` (starting at row `base`) for every question.
fn score_tile(
    tile: &[f32],
    dim: usize,
    n: usize,
    base: u32,
    batch: &Batch,
    cos: &mut Vec<f32>,
    tops: &mut [TopK],
) {
    let n_t = batch.vectors.len() / dim;
    cos.resize(n_t * n, 0.0);
    // cos (n_t × n) = vectors (n_t × dim) · tileᵀ (dim × n).
    // SAFETY: `vectors` holds n_t × dim values (row stride dim), the tile is read as its
    // transpose (row stride 1, column stride dim) over n × dim values, and `cos` holds
    // n_t × n values with row stride n; the buffers do not overlap.
    unsafe {
        matrixmultiply::sgemm(
            n_t,
            dim,
            n,
            1.0,
            batch.vectors.as_ptr(),
            dim as isize,
            1,
            tile.as_ptr(),
            1,
            dim as isize,
            0.0,
            cos.as_mut_ptr(),
            n as isize,
            1,
        );
    }
    let row = |t: u32| &cos[t as usize * n..(t as usize + 1) * n];
    for ((terms, exclude), top) in batch.terms.iter().zip(batch.exclude).zip(tops.iter_mut()) {
        if top.k() == 0 {
            continue;
        }
        let (a, b, c) = (row(terms[0]), row(terms[1]), row(terms[2]));
        let mut block = [0f32; BLOCK];
        for start in (0..n).step_by(BLOCK) {
            let end = (start + BLOCK).min(n);
            let out = &mut block[..end - start];
            let (a, b, c) = (&a[start..end], &b[start..end], &c[start..end]);
            match batch.scoring {
                Scoring::Add => {
                    for (((s, a), b), c) in out.iter_mut().zip(a).zip(b).zip(c) {
                        *s = (b - a) + c;
                    }
                }
                Scoring::Mul => {
                    for (((s, a), b), c) in out.iter_mut().zip(a).zip(b).zip(c) {
                        *s = ((1.0 + b) / 2.0) * ((1.0 + c) / 2.0) / ((1.0 + a) / 2.0 + 1e-6);
                    }
                }
            }
            top.offer_block(out, base + start as u32, |r| exclude.contains(&r));
        }
    }
}

/// Rows scored together before the threshold test (the test vectorises as an OR of
/// comparisons).
const BLOCK: usize = 64;

#[cfg(test)]
mod tests;
