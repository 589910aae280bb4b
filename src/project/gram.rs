//! The exact fallback: principal axes from the eigenvectors of the n×n Gram matrix of the
//! centred rows (cyclic Jacobi rotations), for few rows or degenerate data.
use ndarray::Array2;

/// The two leading axes of `centred` (unit vectors, or zeros where there is no spread).
pub(super) fn axes(centred: &Array2<f64>, total: f64) -> [Vec<f64>; 2] {
    let (n, dim) = centred.dim();
    let gram = centred.dot(&centred.t());
    let (values, vectors) = jacobi(gram);
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| values[b].total_cmp(&values[a]));
    let mut out = [vec![0.0; dim], vec![0.0; dim]];
    for (k, axis) in out.iter_mut().enumerate() {
        let Some(&i) = order.get(k) else { break };
        let lambda = values[i];
        if lambda <= total * 1e-9 {
            continue;
        }
        // v = Xᵀu / √λ is a unit eigenvector of XᵀX when u is one of XXᵀ.
        let u = vectors.column(i);
        let v = centred.t().dot(&u) / lambda.sqrt();
        let norm = v.dot(&v).sqrt();
        if norm > 0.0 && norm.is_finite() {
            *axis = v.iter().map(|x| x / norm).collect();
        }
    }
    out
}

/// Eigenvalues and eigenvectors (columns) of the symmetric matrix `a`.
fn jacobi(mut a: Array2<f64>) -> (Vec<f64>, Array2<f64>) {
    let n = a.nrows();
    let mut v = Array2::<f64>::eye(n);
    for _sweep in 0..64 {
        let off: f64 = (0..n)
            .flat_map(|i| (0..n).filter(move |&j| j != i).map(move |j| (i, j)))
            .map(|(i, j)| a[[i, j]] * a[[i, j]])
            .sum();
        let scale: f64 = a.iter().map(|x| x * x).sum();
        if off <= scale * 1e-24 || off == 0.0 {
            break;
        }
        for p in 0..n {
            for q in p + 1..n {
                let apq = a[[p, q]];
                if apq == 0.0 {
                    continue;
                }
                let theta = (a[[q, q]] - a[[p, p]]) / (2.0 * apq);
                let t = theta.signum() / (theta.abs() + (theta * theta + 1.0).sqrt());
                let c = 1.0 / (t * t + 1.0).sqrt();
                let s = t * c;
                for k in 0..n {
                    let (akp, akq) = (a[[k, p]], a[[k, q]]);
                    a[[k, p]] = c * akp - s * akq;
                    a[[k, q]] = s * akp + c * akq;
                }
                for k in 0..n {
                    let (apk, aqk) = (a[[p, k]], a[[q, k]]);
                    a[[p, k]] = c * apk - s * aqk;
                    a[[q, k]] = s * apk + c * aqk;
                }
                for k in 0..n {
                    let (vkp, vkq) = (v[[k, p]], v[[k, q]]);
                    v[[k, p]] = c * vkp - s * vkq;
                    v[[k, q]] = s * vkp + c * vkq;
                }
            }
        }
    }
    ((0..n).map(|i| a[[i, i]]).collect(), v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jacobi_diagonalises_a_symmetric_matrix() {
        let m = ndarray::arr2(&[[2.0, 1.0, 0.0], [1.0, 2.0, 0.0], [0.0, 0.0, 5.0]]);
        let (mut values, v) = jacobi(m.clone());
        // A v = v Λ
        let av = m.dot(&v);
        for (j, &l) in values.iter().enumerate() {
            for i in 0..3 {
                assert!((av[[i, j]] - l * v[[i, j]]).abs() < 1e-9);
            }
        }
        values.sort_by(f64::total_cmp);
        let want = [1.0, 3.0, 5.0];
        for (a, b) in values.iter().zip(want) {
            assert!((a - b).abs() < 1e-9, "{values:?}");
        }
    }
}
