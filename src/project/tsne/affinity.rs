//! t-SNE's input similarities: for each point a Gaussian over its nearest neighbours whose
//! width gives the wanted perplexity (binary search on the precision, as scikit-learn's
//! `_binary_search_perplexity`), then symmetrised, P = (P + Pᵀ) / sum, as a sparse matrix.
use crate::project::rows::Knn;
use rayon::prelude::*;

/// A symmetric sparse matrix in compressed rows.
#[derive(Debug, Clone, PartialEq)]
pub struct Sparse {
    /// `start[i]..start[i + 1]` indexes row i's entries.
    pub start: Vec<usize>,
    /// Column of each entry.
    pub col: Vec<u32>,
    /// Value of each entry.
    pub val: Vec<f64>,
}

const STEPS: usize = 100;
const TOLERANCE: f64 = 1e-5;

/// The conditional probabilities of one row's neighbours at distances `dist`.
fn conditional(dist: &[f32], perplexity: f64, out: &mut [f64]) {
    let want = perplexity.ln();
    let (mut beta, mut lo, mut hi) = (1.0f64, f64::NEG_INFINITY, f64::INFINITY);
    for _ in 0..STEPS {
        let mut sum = 0.0;
        for (p, &d) in out.iter_mut().zip(dist) {
            *p = (-(d as f64) * beta).exp();
            sum += *p;
        }
        if sum == 0.0 {
            sum = 1e-8;
        }
        let mut weighted = 0.0;
        for (p, &d) in out.iter_mut().zip(dist) {
            *p /= sum;
            weighted += d as f64 * *p;
        }
        let entropy = sum.ln() + beta * weighted;
        let diff = entropy - want;
        if diff.abs() <= TOLERANCE {
            break;
        }
        if diff > 0.0 {
            lo = beta;
            beta = if hi == f64::INFINITY {
                beta * 2.0
            } else {
                (beta + hi) / 2.0
            };
        } else {
            hi = beta;
            beta = if lo == f64::NEG_INFINITY {
                beta / 2.0
            } else {
                (beta + lo) / 2.0
            };
        }
    }
}

/// The joint probabilities P of t-SNE from each point's neighbours.
pub fn joint(knn: &Knn, perplexity: f64) -> Sparse {
    let k = knn.k;
    let n = knn.index.len().checked_div(k).unwrap_or(0);
    let mut cond = vec![0.0f64; n * k];
    if k > 0 {
        cond.par_chunks_mut(k)
            .enumerate()
            .for_each(|(i, out)| conditional(knn.dist_of(i), perplexity, out));
    }
    // P + Pᵀ: each entry (i, j) also lands at (j, i).
    let mut rows: Vec<Vec<(u32, f64)>> = vec![Vec::with_capacity(2 * k); n];
    for i in 0..n {
        for (&j, &p) in knn.of(i).iter().zip(&cond[i * k..(i + 1) * k]) {
            rows[i].push((j, p));
            rows[j as usize].push((i as u32, p));
        }
    }
    let mut out = Sparse {
        start: Vec::with_capacity(n + 1),
        col: Vec::new(),
        val: Vec::new(),
    };
    out.start.push(0);
    for mut row in rows {
        row.sort_by_key(|e| e.0);
        let mut last = u32::MAX;
        for (j, p) in row {
            if j == last {
                if let Some(v) = out.val.last_mut() {
                    *v += p;
                }
            } else {
                out.col.push(j);
                out.val.push(p);
                last = j;
            }
        }
        out.start.push(out.col.len());
    }
    let total: f64 = out.val.iter().sum();
    let total = total.max(f64::EPSILON);
    out.val.iter_mut().for_each(|v| *v /= total);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_row_reaches_the_perplexity() {
        let dist: Vec<f32> = (1..=90).map(|i| i as f32 * 0.01).collect();
        let mut p = vec![0.0; 90];
        conditional(&dist, 30.0, &mut p);
        let entropy: f64 = -p
            .iter()
            .filter(|&&x| x > 0.0)
            .map(|x| x * x.ln())
            .sum::<f64>();
        assert!((entropy.exp() - 30.0).abs() < 0.01, "{}", entropy.exp());
        assert!((p.iter().sum::<f64>() - 1.0).abs() < 1e-9);
    }

    #[test]
    fn joint_is_symmetric_and_sums_to_one() {
        let knn = Knn {
            k: 2,
            index: vec![1, 2, 0, 2, 1, 0],
            dist: vec![0.1, 0.5, 0.1, 0.2, 0.2, 0.5],
        };
        let p = joint(&knn, 1.5);
        let get = |i: usize, j: u32| {
            (p.start[i]..p.start[i + 1])
                .find(|&e| p.col[e] == j)
                .map(|e| p.val[e])
        };
        for i in 0..3 {
            for j in 0..3u32 {
                assert_eq!(get(i, j), get(j as usize, i as u32));
            }
        }
        assert!((p.val.iter().sum::<f64>() - 1.0).abs() < 1e-12);
        assert!(get(0, 0).is_none());
    }
}
