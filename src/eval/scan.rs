//! Many queries against many rows at once: blocked matrix products (matrixmultiply's sgemm)
//! over tiles that fit the cache, each tile folded into per-query bounded top-k lists.
//!
//! Evaluation asks tens of thousands of questions of the same matrix; a query at a time would
//! stream the whole matrix from memory per question, while a tile of rows here is reused by a
//! whole block of questions.
use rayon::prelude::*;

/// Questions per block (each block is one rayon task).
const QUESTION_BLOCK: usize = 64;
/// Rows per tile: a 64 × 1024 f32 score tile is 256 KiB.
const ROW_TILE: usize = 1024;

/// How a question's score for a row is formed from the cosines with its term vectors.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scoring {
    /// One term: the dot product with it.
    Dot,
    /// Three terms (a, b, c): 3CosMul as gensim's most_similar_cosmul,
    /// `p(b) · p(c) / (p(a) + 1e-6)` with `p(x) = (1 + cos) / 2`.
    CosMul,
}

impl Scoring {
    fn terms(self) -> usize {
        match self {
            Scoring::Dot => 1,
            Scoring::CosMul => 3,
        }
    }
}

/// A batch of questions for [`top_k_many`].
#[derive(Debug, Clone, Copy)]
pub struct Batch<'a> {
    /// Each question's term vectors one after another (1 or 3 per question, see [`Scoring`]).
    pub terms: &'a [f32],
    pub scoring: Scoring,
    /// Rows that must not appear in each question's answer.
    pub exclude: &'a [[u32; 3]],
    pub k: usize,
    /// Only scores strictly above this are kept.
    pub floor: f32,
}

/// The `k` best `(row, score)` of each question of `batch` over the first `rows` rows of
/// `matrix` (row-major, `dim` wide), best first, ties to the lower row.
pub fn top_k_many(matrix: &[f32], dim: usize, rows: usize, batch: &Batch) -> Vec<Vec<(u32, f32)>> {
    let Batch {
        terms,
        scoring,
        exclude,
        k,
        floor,
    } = *batch;
    let t = scoring.terms();
    let n_q = exclude.len();
    assert_eq!(
        terms.len(),
        n_q * t * dim,
        "terms do not match the questions"
    );
    let rows = rows.min(matrix.len() / dim.max(1));
    let blocks: Vec<usize> = (0..n_q).step_by(QUESTION_BLOCK).collect();
    blocks
        .into_par_iter()
        .flat_map_iter(|q0| {
            let q1 = (q0 + QUESTION_BLOCK).min(n_q);
            let a = &terms[q0 * t * dim..q1 * t * dim];
            scan_block(matrix, dim, rows, a, scoring, &exclude[q0..q1], k, floor)
        })
        .collect()
}

#[allow(clippy::too_many_arguments)]
fn scan_block(
    matrix: &[f32],
    dim: usize,
    rows: usize,
    a: &[f32],
    scoring: Scoring,
    exclude: &[[u32; 3]],
    k: usize,
    floor: f32,
) -> Vec<Vec<(u32, f32)>> {
    let t = scoring.terms();
    let m = exclude.len() * t;
    let mut tops: Vec<TopK> = exclude.iter().map(|_| TopK::new(k, floor)).collect();
    let mut tile = vec![0f32; m * ROW_TILE];
    let mut scores = vec![0f32; ROW_TILE];
    for r0 in (0..rows).step_by(ROW_TILE) {
        let n = (rows - r0).min(ROW_TILE);
        let b = &matrix[r0 * dim..(r0 + n) * dim];
        // SAFETY: a is m × dim (row-major), b is read as dim × n with row stride 1 and
        // column stride dim (the transpose of n rows), c is m × n with row stride n; all
        // slices are at least that long and do not overlap.
        unsafe {
            matrixmultiply::sgemm(
                m,
                dim,
                n,
                1.0,
                a.as_ptr(),
                dim as isize,
                1,
                b.as_ptr(),
                1,
                dim as isize,
                0.0,
                tile.as_mut_ptr(),
                n as isize,
                1,
            );
        }
        for (q, top) in tops.iter_mut().enumerate() {
            let s: &[f32] = match scoring {
                Scoring::Dot => &tile[q * n..(q + 1) * n],
                Scoring::CosMul => {
                    let base = q * 3 * n;
                    let (ca, rest) = tile[base..base + 3 * n].split_at(n);
                    let (cb, cc) = rest.split_at(n);
                    for j in 0..n {
                        let (pa, pb, pc) = (
                            (1.0 + ca[j]) / 2.0,
                            (1.0 + cb[j]) / 2.0,
                            (1.0 + cc[j]) / 2.0,
                        );
                        scores[j] = pb * pc / (pa + 1e-6);
                    }
                    &scores[..n]
                }
            };
            top.offer_all(s, r0 as u32, &exclude[q]);
        }
    }
    tops.into_iter().map(TopK::into_sorted).collect()
}

/// A bounded list of the best scores seen, best first.
struct TopK {
    k: usize,
    items: Vec<(u32, f32)>,
    floor: f32,
}

impl TopK {
    fn new(k: usize, floor: f32) -> Self {
        TopK {
            k,
            items: Vec::with_capacity(k + 1),
            floor,
        }
    }

    /// The score a new row must beat.
    fn threshold(&self) -> f32 {
        if self.items.len() < self.k {
            self.floor
        } else {
            self.items[self.k - 1].1
        }
    }

    /// Offers rows `base..base + scores.len()`; most chunks are rejected by one vector max.
    fn offer_all(&mut self, scores: &[f32], base: u32, exclude: &[u32; 3]) {
        if self.k == 0 {
            return;
        }
        let mut thr = self.threshold();
        for (c, chunk) in scores.chunks(16).enumerate() {
            let max = chunk
                .iter()
                .fold(f32::NEG_INFINITY, |m, &x| if x > m { x } else { m });
            if max <= thr {
                continue;
            }
            for (j, &s) in chunk.iter().enumerate() {
                let row = base + (c * 16 + j) as u32;
                if s > thr && !exclude.contains(&row) {
                    self.insert(row, s);
                    thr = self.threshold();
                }
            }
        }
    }

    fn insert(&mut self, row: u32, score: f32) {
        // Strictly greater moves ahead: among equal scores the earlier row stays first.
        let pos = self.items.partition_point(|&(_, s)| s >= score);
        self.items.insert(pos, (row, score));
        self.items.truncate(self.k);
    }

    fn into_sorted(self) -> Vec<(u32, f32)> {
        self.items
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rng(seed: &mut u64) -> f32 {
        *seed ^= *seed << 13;
        *seed ^= *seed >> 7;
        *seed ^= *seed << 17;
        (*seed >> 40) as f32 / (1u64 << 24) as f32 - 0.5
    }

    fn brute(
        m: &[f32],
        dim: usize,
        rows: usize,
        q: &[f32],
        ex: &[u32; 3],
        k: usize,
        floor: f32,
    ) -> Vec<(u32, f32)> {
        let mut all: Vec<(u32, f32)> = (0..rows)
            .filter(|r| !ex.contains(&(*r as u32)))
            .map(|r| {
                (
                    r as u32,
                    m[r * dim..(r + 1) * dim]
                        .iter()
                        .zip(q)
                        .map(|(a, b)| a * b)
                        .sum::<f32>(),
                )
            })
            .filter(|&(_, s)| s > floor)
            .collect();
        all.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        all.truncate(k);
        all
    }

    #[test]
    fn tiles_match_brute_force() {
        let (dim, rows, nq) = (13, 3000, 70);
        let mut seed = 0x9e3779b97f4a7c15;
        let m: Vec<f32> = (0..rows * dim).map(|_| rng(&mut seed)).collect();
        let q: Vec<f32> = (0..nq * dim).map(|_| rng(&mut seed)).collect();
        let ex: Vec<[u32; 3]> = (0..nq as u32).map(|i| [i, i * 7 % 3000, 2999]).collect();
        let got = top_k_many(
            &m,
            dim,
            2500,
            &Batch {
                terms: &q,
                scoring: Scoring::Dot,
                exclude: &ex,
                k: 5,
                floor: f32::NEG_INFINITY,
            },
        );
        for i in 0..nq {
            let want = brute(
                &m,
                dim,
                2500,
                &q[i * dim..(i + 1) * dim],
                &ex[i],
                5,
                f32::NEG_INFINITY,
            );
            let g: Vec<u32> = got[i].iter().map(|x| x.0).collect();
            let w: Vec<u32> = want.iter().map(|x| x.0).collect();
            assert_eq!(g, w, "question {i}");
            for (a, b) in got[i].iter().zip(&want) {
                assert!((a.1 - b.1).abs() < 1e-5);
            }
        }
        let floored = top_k_many(
            &m,
            dim,
            2500,
            &Batch {
                terms: &q,
                scoring: Scoring::Dot,
                exclude: &ex,
                k: 3,
                floor: 10.0,
            },
        );
        assert!(floored.iter().all(Vec::is_empty));
    }

    #[test]
    fn cosmul_matches_formula() {
        let dim = 4;
        let m = [
            1.0, 0.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.6, 0.8, 0.0, 0.0, 0.0, 0.0, 1.0, 0.0f32,
        ];
        let terms = [
            1.0, 0.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 1.0, 0.0f32,
        ];
        let batch = Batch {
            terms: &terms,
            scoring: Scoring::CosMul,
            exclude: &[[9, 9, 9]],
            k: 4,
            floor: f32::NEG_INFINITY,
        };
        let got = top_k_many(&m, dim, 4, &batch);
        let p = |c: f32| (1.0 + c) / 2.0;
        let want = |ca: f32, cb: f32, cc: f32| p(cb) * p(cc) / (p(ca) + 1e-6);
        let scores = [
            want(1.0, 0.0, 0.0),
            want(0.0, 1.0, 0.0),
            want(0.6, 0.8, 0.0),
            want(0.0, 0.0, 1.0),
        ];
        for (row, s) in &got[0] {
            assert!((scores[*row as usize] - s).abs() < 1e-6);
        }
        assert_eq!(got[0][0].0, 1);
    }

    #[test]
    fn nan_scores_are_never_kept() {
        let m = [f32::NAN, 0.0, 1.0, 0.0];
        let batch = Batch {
            terms: &[1.0, 0.0],
            scoring: Scoring::Dot,
            exclude: &[[9, 9, 9]],
            k: 2,
            floor: f32::NEG_INFINITY,
        };
        let got = top_k_many(&m, 2, 2, &batch);
        assert_eq!(got[0], vec![(1, 1.0)]);
    }
}
