//! Tests of the pieces of the update: random numbers, sub-sampling, noise, window, gradient.
use super::*;

#[test]
fn lcg_is_word2vecs() {
    let mut r = Lcg::new(1);
    assert_eq!(r.next_u64(), 25_214_903_928);
    assert_eq!(
        r.next_u64(),
        25_214_903_928u64.wrapping_mul(25_214_903_917) + 11
    );
}

#[test]
fn keep_probability_matches_the_formula() {
    let (total, sample) = (1_000_000u64, 1e-3);
    for count in [1u64, 100, 1000, 5000, 20_000, 300_000] {
        let f = count as f64;
        let st = sample * total as f64;
        let want = (((f / st).sqrt() + 1.0) * st / f).min(1.0);
        let got = f64::from(keep_probability(count, total, sample));
        assert!((got - want).abs() < 1e-6, "{count}: {got} vs {want}");
    }
    // A word making up 10% of the corpus is kept (sqrt(100) + 1) / 100 = 11% of the time.
    assert!((keep_probability(100_000, total, sample) - 0.11).abs() < 1e-6);
    assert_eq!(keep_probability(5, total, 0.0), 1.0);
    // And the worker's rule keeps that fraction of draws.
    let p = keep_probability(300_000, total, sample);
    let mut rng = Lcg::new(7);
    let n = 200_000;
    let kept = (0..n)
        .filter(|_| p >= (rng.next_u64() & 0xFFFF) as f32 / 65536.0)
        .count();
    assert!((kept as f64 / n as f64 - f64::from(p)).abs() < 0.005);
}

#[test]
fn noise_follows_unigram_to_the_three_quarters() {
    let counts = [1000u64, 500, 100, 20, 7, 1, 1, 300];
    let noise = Noise::new(&counts, 0.75);
    let mut rng = Lcg::for_thread(3, 0);
    let n = 400_000;
    let mut seen = vec![0u64; counts.len()];
    for _ in 0..n {
        seen[noise.sample(&mut rng) as usize] += 1;
    }
    let z: f64 = counts.iter().map(|&c| (c as f64).powf(0.75)).sum();
    for (i, &c) in counts.iter().enumerate() {
        let want = (c as f64).powf(0.75) / z;
        let got = seen[i] as f64 / n as f64;
        assert!(
            (got - want).abs() < 0.004 + 0.03 * want,
            "word {i}: {got} vs {want}"
        );
    }
}

#[test]
fn windows_are_uniform_in_one_to_window() {
    let mut rng = Lcg::for_thread(11, 2);
    let window = 5;
    let mut seen = [0u32; 6];
    let n = 60_000;
    for _ in 0..n {
        let r = context(50, 100, window, &mut rng);
        let reach = 50 - r.start;
        assert_eq!(r.end - 50 - 1, reach);
        seen[reach] += 1;
    }
    assert_eq!(seen[0], 0);
    for &k in &seen[1..] {
        let f = f64::from(k) / f64::from(n);
        assert!((f - 0.2).abs() < 0.01, "{seen:?}");
    }
    // Cut at the sentence's ends.
    let r = context(0, 3, 5, &mut rng);
    assert_eq!(r.start, 0);
    assert!(r.end <= 3);
}

fn loss(h: &[f32], outs: &[Vec<f32>]) -> f64 {
    let sig = |x: f64| 1.0 / (1.0 + (-x).exp());
    outs.iter()
        .enumerate()
        .map(|(i, o)| {
            let f: f64 = h.iter().zip(o).map(|(a, b)| f64::from(a * b)).sum();
            if i == 0 {
                -sig(f).ln()
            } else {
                -sig(-f).ln()
            }
        })
        .sum()
}

#[test]
fn gradient_matches_finite_differences() {
    let dim = 7;
    let mut rng = Lcg::new(42);
    let mut r = || ((rng.next_u64() >> 16) % 2001) as f32 / 1000.0 - 1.0;
    let h: Vec<f32> = (0..dim).map(|_| r()).collect();
    let outs: Vec<Vec<f32>> = (0..4).map(|_| (0..dim).map(|_| r()).collect()).collect();
    let alpha = 1e-3f32;
    // The step's own loss equals the formula.
    let mut grad = vec![0.0; dim];
    let mut new_outs = outs.clone();
    let mut total = 0.0f64;
    for (i, o) in new_outs.iter_mut().enumerate() {
        let label = if i == 0 { 1.0 } else { 0.0 };
        total += f64::from(target_step(&h, o, label, alpha, &mut grad, true));
    }
    assert!((total - loss(&h, &outs)).abs() < 1e-5);
    // grad_h = −alpha ∂L/∂h (all targets see the same h, as in word2vec).
    let eps = 1e-3f32;
    for k in 0..dim {
        let (mut hp, mut hm) = (h.clone(), h.clone());
        hp[k] += eps;
        hm[k] -= eps;
        let d = (loss(&hp, &outs) - loss(&hm, &outs)) / (2.0 * f64::from(eps));
        let want = -f64::from(alpha) * d;
        assert!((f64::from(grad[k]) - want).abs() < 1e-6, "h[{k}]");
    }
    // Output rows move by −alpha ∂L/∂o.
    for (j, o) in outs.iter().enumerate() {
        for k in 0..dim {
            let (mut op, mut om) = (outs.clone(), outs.clone());
            op[j][k] += eps;
            om[j][k] -= eps;
            let d = (loss(&h, &op) - loss(&h, &om)) / (2.0 * f64::from(eps));
            let moved = f64::from(new_outs[j][k] - o[k]);
            assert!((moved + f64::from(alpha) * d).abs() < 1e-6, "o{j}[{k}]");
        }
    }
}
