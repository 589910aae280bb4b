//! UMAP's output kernel 1 / (1 + a d^(2b)), fitted (least squares, Levenberg–Marquardt) to
//! the curve that is 1 below `min_dist` and exp(−(d − min_dist) / spread) beyond, on 300
//! points in [0, 3 · spread] — umap-learn's `find_ab_params`.

/// (a, b) for `spread` and `min_dist`.
pub fn find_ab(spread: f64, min_dist: f64) -> (f64, f64) {
    let xs: Vec<f64> = (0..300).map(|i| 3.0 * spread * i as f64 / 299.0).collect();
    let ys: Vec<f64> = xs
        .iter()
        .map(|&x| {
            if x < min_dist {
                1.0
            } else {
                (-(x - min_dist) / spread).exp()
            }
        })
        .collect();
    let cost = |a: f64, b: f64| -> f64 {
        xs.iter()
            .zip(&ys)
            .map(|(&x, &y)| (model(x, a, b) - y).powi(2))
            .sum()
    };
    let (mut a, mut b, mut lambda) = (1.0f64, 1.0f64, 1e-3f64);
    let mut current = cost(a, b);
    for _ in 0..500 {
        // Normal equations JᵀJ δ = −Jᵀr with damping on the diagonal.
        let (mut jaa, mut jab, mut jbb, mut ga, mut gb) = (0.0, 0.0, 0.0, 0.0, 0.0);
        for (&x, &y) in xs.iter().zip(&ys) {
            let r = model(x, a, b) - y;
            let (da, db) = derivatives(x, a, b);
            jaa += da * da;
            jab += da * db;
            jbb += db * db;
            ga += da * r;
            gb += db * r;
        }
        let (maa, mbb) = (jaa * (1.0 + lambda), jbb * (1.0 + lambda));
        let det = maa * mbb - jab * jab;
        if det.abs() < 1e-300 {
            break;
        }
        let step_a = -(mbb * ga - jab * gb) / det;
        let step_b = -(maa * gb - jab * ga) / det;
        let next = cost(a + step_a, b + step_b);
        if next < current {
            let done = current - next < 1e-15 * current.max(1e-300);
            (a, b, current) = (a + step_a, b + step_b, next);
            lambda /= 10.0;
            if done {
                break;
            }
        } else {
            lambda *= 10.0;
            if lambda > 1e12 {
                break;
            }
        }
    }
    (a, b)
}

fn model(x: f64, a: f64, b: f64) -> f64 {
    1.0 / (1.0 + a * x.powf(2.0 * b))
}

/// ∂model/∂a and ∂model/∂b at x.
fn derivatives(x: f64, a: f64, b: f64) -> (f64, f64) {
    if x <= 0.0 {
        return (0.0, 0.0);
    }
    let p = x.powf(2.0 * b);
    let s = 1.0 / (1.0 + a * p).powi(2);
    (-p * s, -a * p * 2.0 * x.ln() * s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_umap_learn_defaults() {
        // umap-learn: find_ab_params(1.0, 0.1) = (1.5769434, 0.8950609).
        let (a, b) = find_ab(1.0, 0.1);
        assert!(
            (a - 1.577).abs() < 0.01 && (b - 0.895).abs() < 0.005,
            "{a} {b}"
        );
        // Smaller min_dist, tighter clumps: a grows, b falls.
        let (a2, b2) = find_ab(1.0, 0.001);
        assert!(a2 > a && b2 < b, "{a2} {b2}");
    }
}
