use super::*;

fn close(a: f64, b: f64, eps: f64) -> bool {
    (a - b).abs() < eps
}

fn rows<const D: usize>(data: &[[f32; D]]) -> Vec<&[f32]> {
    data.iter().map(|r| r.as_slice()).collect()
}

const D: usize = 12;

/// Unit vectors u (along dimensions 0 and 1) and w (along 2, 3 and 4), orthogonal.
fn directions() -> ([f32; D], [f32; D]) {
    let s = std::f32::consts::FRAC_1_SQRT_2;
    let t = 1.0 / 3f32.sqrt();
    let mut u = [0.0; D];
    let mut w = [0.0; D];
    (u[0], u[1]) = (s, s);
    (w[2], w[3], w[4]) = (t, -t, t);
    (u, w)
}

/// Twelve points a·u + b·w + centre with a in ±{1,2,3} and b in ±1 (uncorrelated): variance
/// sums 56 along u and 12 along w.
fn known() -> Vec<[f32; D]> {
    let (u, w) = directions();
    let mut out = Vec::new();
    for a in [-3.0f32, -2.0, -1.0, 1.0, 2.0, 3.0] {
        for b in [-1.0f32, 1.0] {
            let mut p = [0.5f32; D];
            for j in 0..D {
                p[j] += a * u[j] + b * w[j];
            }
            out.push(p);
        }
    }
    out
}

fn dot(a: &[f32], b: &[f32]) -> f64 {
    a.iter().zip(b).map(|(x, y)| (x * y) as f64).sum()
}

#[test]
fn known_data_recovers_the_axes_and_variance_ratios() {
    let data = known();
    let (u, w) = directions();
    // linfa's SVD handles this size (no fallback).
    let centred = centre(&rows(&data), D);
    let total: f64 = centred.iter().map(|x| x * x).sum();
    assert!(linfa_axes(&centred, total).is_some());
    let p = fit(&rows(&data), None).unwrap();
    assert!(close(dot(&p.basis.axes[0], &u).abs(), 1.0, 1e-5));
    assert!(close(dot(&p.basis.axes[1], &w).abs(), 1.0, 1e-5));
    assert!(
        close(p.explained[0], 56.0 / 68.0, 1e-6),
        "{:?}",
        p.explained
    );
    assert!(close(p.explained[1], 12.0 / 68.0, 1e-6));
    assert_eq!(p.points.len(), 12);
    // Coordinates are ±a and ±b.
    assert!(close(p.points[0][0].abs() as f64, 3.0, 1e-4));
    assert!(close(p.points[0][1].abs() as f64, 1.0, 1e-4));
    // The exact method agrees.
    let exact = gram::axes(&centred, total);
    let e0: Vec<f32> = exact[0].iter().map(|&x| x as f32).collect();
    assert!(close(dot(&e0, &u).abs(), 1.0, 1e-6));
}

#[test]
fn uncorrelated_data_gives_exact_ratios() {
    // Variance 8 along x, 2 along y, 0 along z: ratios 0.8 and 0.2.
    let data = [
        [2.0f32, 0.0, 0.0],
        [-2.0, 0.0, 0.0],
        [0.0, 1.0, 0.0],
        [0.0, -1.0, 0.0],
    ];
    let p = fit(&rows(&data), None).unwrap();
    assert!(close(p.explained[0], 0.8, 1e-6), "{:?}", p.explained);
    assert!(close(p.explained[1], 0.2, 1e-6));
    assert!(close(p.basis.axes[0][0].abs() as f64, 1.0, 1e-5));
    assert!(close(p.basis.axes[1][1].abs() as f64, 1.0, 1e-5));
}

#[test]
fn adding_a_point_keeps_the_orientation() {
    let mut data = known();
    let first = fit(&rows(&data), None).unwrap();
    // Whatever sign the SVD picks, the aligned fit points the same way as the previous one.
    let mut extra = [0.5f32; D];
    (extra[0], extra[3]) = (1.7, -0.2);
    data.push(extra);
    let second = fit(&rows(&data), Some(&first.basis)).unwrap();
    for k in 0..2 {
        let dot: f32 = first.basis.axes[k]
            .iter()
            .zip(&second.basis.axes[k])
            .map(|(a, b)| a * b)
            .sum();
        assert!(dot > 0.9, "axis {k} flipped: {dot}");
    }
    // And aligning with a mirrored basis mirrors the fit.
    let mirrored = Basis {
        axes: first
            .basis
            .axes
            .clone()
            .map(|a| a.iter().map(|x| -x).collect()),
        ..Default::default()
    };
    let third = fit(&rows(&data), Some(&mirrored)).unwrap();
    for (s, t) in second.points.iter().zip(&third.points) {
        assert!(close(s[0] as f64, -t[0] as f64, 1e-5));
        assert!(close(s[1] as f64, -t[1] as f64, 1e-5));
    }
}

#[test]
fn degenerate_inputs() {
    assert!(fit(&[], None).unwrap().points.is_empty());
    // One point: the origin.
    let one = fit(&[&[1.0f32, 2.0][..]], None).unwrap();
    assert_eq!(one.points, vec![[0.0, 0.0]]);
    assert_eq!(one.explained, [0.0, 0.0]);
    // Two points: on the first axis, symmetric, all variance explained.
    let two = fit(&[&[1.0f32, 0.0][..], &[0.0, 1.0][..]], None).unwrap();
    assert!(close(
        two.points[0][0] as f64,
        -two.points[1][0] as f64,
        1e-6
    ));
    assert!(close(two.points[0][0].abs() as f64, 0.5f64.sqrt(), 1e-6));
    assert_eq!([two.points[0][1], two.points[1][1]], [0.0, 0.0]);
    assert!(close(two.explained[0], 1.0, 1e-9) && two.explained[1] == 0.0);
    // Identical points: zeros.
    let same = [[0.5f32, 0.5, 0.0]; 4];
    let p = fit(&rows(&same), None).unwrap();
    assert!(p.points.iter().all(|q| *q == [0.0, 0.0]));
    assert_eq!(p.explained, [0.0, 0.0]);
    // Collinear points: one axis, the other zero.
    let line = [
        [0.0f32, 0.0, 0.0],
        [1.0, 1.0, 0.0],
        [2.0, 2.0, 0.0],
        [3.0, 3.0, 0.0],
    ];
    let p = fit(&rows(&line), None).unwrap();
    assert!(close(p.explained[0], 1.0, 1e-6), "{:?}", p.explained);
    assert!(p.points.iter().all(|q| q[1].abs() < 1e-5));
    // One-dimensional vectors.
    let p = fit(&[&[1.0f32][..], &[2.0][..], &[4.0][..]], None).unwrap();
    assert!(close(p.explained[0], 1.0, 1e-9));
    // Errors, not panics.
    assert!(fit(&[&[1.0f32, 2.0][..], &[1.0][..]], None).is_err());
    assert!(fit(&[&[f32::NAN, 2.0][..]], None).is_err());
    // A previous basis of another dimension is ignored.
    let other = Basis {
        axes: [vec![1.0; 7], vec![0.0; 7]],
        ..Default::default()
    };
    assert!(fit(&rows(&line), Some(&other)).is_ok());
}

#[test]
fn the_basis_projects_new_vectors_like_the_fitted_ones() {
    let a = [1.0f32, 0.0, 0.0];
    let b = [0.0f32, 1.0, 0.0];
    let c = [0.0f32, 0.0, 1.0];
    let p = fit(&[&a, &b, &c], None).unwrap();
    assert_eq!(p.basis.centre.len(), 3);
    for (v, at) in [a, b, c].iter().zip(&p.points) {
        let q = p.basis.project(v).unwrap();
        assert!(close(q[0] as f64, at[0] as f64, 1e-5) && close(q[1] as f64, at[1] as f64, 1e-5));
    }
    assert!(p.basis.project(&[1.0, 2.0]).is_none());
}
