use super::*;
use crate::query::similarity_matrix;
use crate::query::test_util::{source, space, XorShift};
use crate::space::SpaceParts;

fn with_counts(s: &Space, counts: Vec<u64>) -> Space {
    Space::new(SpaceParts {
        vocab: s.vocab().clone(),
        matrix: s.matrix().clone(),
        norms: s.norms().to_vec(),
        counts: Some(counts),
        subwords: None,
        source: source(),
    })
}

const DIM: usize = 16;
const FREQUENT: &[&str] = &["the", "i", "like", "a", "of"];
const FELINE: &[&str] = &["cat", "kitten", "chases", "hunts", "mouse", "rodents"];
const FOOD: &[&str] = &["ham", "sandwiches"];
const SENTENCES: [&str; 3] = [
    "the cat chases the mouse",
    "the kitten hunts rodents",
    "i like ham sandwiches",
];

/// A generated space shaped like real ones: frequent function words share one direction
/// (which every sentence picks up through them), content words sit near their topic, and
/// 2,000 filler words push the content words down the frequency ranking.
fn fixture(seed: u64) -> Space {
    let mut r = XorShift::new(seed);
    let mut noise = |scale: f32| -> Vec<f32> { (0..DIM).map(|_| r.f32() * scale).collect() };
    let axis = |i: usize| -> Vec<f32> { (0..DIM).map(|j| f32::from(i == j)).collect() };
    let plus = |a: &[f32], b: &[f32]| -> Vec<f32> { a.iter().zip(b).map(|(x, y)| x + y).collect() };
    let (common, feline, food) = (axis(0), axis(1), axis(2));
    let mut rows: Vec<(String, Vec<f32>)> = Vec::new();
    for w in FREQUENT {
        rows.push((w.to_string(), plus(&common, &noise(0.3))));
    }
    for i in 0..1000 {
        rows.push((format!("f{i}"), noise(1.0)));
    }
    for w in FELINE {
        rows.push((w.to_string(), plus(&feline, &noise(0.6))));
    }
    for w in FOOD {
        rows.push((w.to_string(), plus(&food, &noise(0.6))));
    }
    for i in 1000..2000 {
        rows.push((format!("f{i}"), noise(1.0)));
    }
    let refs: Vec<(&str, &[f32])> = rows
        .iter()
        .map(|(w, v)| (w.as_str(), v.as_slice()))
        .collect();
    space(&refs)
}

/// cos(cat sentence, kitten sentence) − cos(cat sentence, ham sentence).
fn margin(space: &Space, options: &Options) -> f32 {
    let w = weighted_phrases(space, &SENTENCES, options);
    let m = similarity_matrix(&w.phrases);
    m[0][1].unwrap() - m[0][2].unwrap()
}

fn sif() -> Options {
    Options {
        weighting: Weighting::Sif,
        ..Options::default()
    }
}

#[test]
fn mean_is_the_plain_phrase_vector() {
    let s = fixture(1);
    let w = weighted_phrases(&s, &SENTENCES, &Options::default());
    for (p, text) in w.phrases.iter().zip(SENTENCES) {
        let plain = phrase(&s, text).vector.unwrap();
        let v = p.vector.as_ref().unwrap();
        assert!(
            v.iter().zip(&plain).all(|(a, b)| (a - b).abs() < 1e-5),
            "{text}"
        );
    }
    assert_eq!(w.probability, None);
    assert!(!w.pc_removed);
    assert!(w.weights.iter().flatten().all(|&x| x == 1.0));
}

#[test]
fn sif_separates_cat_kitten_from_cat_ham_more_than_the_mean() {
    for seed in 1..=5 {
        let s = fixture(seed);
        let mean = margin(&s, &Options::default());
        let zipf = margin(&s, &sif());
        assert!(zipf > mean + 0.1, "seed {seed}: sif {zipf} vs mean {mean}");
        // With counts (Zipf-like, but from the file): the same story.
        let counts: Vec<u64> = (0..s.len()).map(|r| 10_000_000 / (r as u64 + 1)).collect();
        let counted = with_counts(&s, counts);
        let w = weighted_phrases(&counted, &SENTENCES, &sif());
        assert_eq!(w.probability, Some(Probability::Counts));
        assert!(margin(&counted, &sif()) > mean + 0.1, "seed {seed}");
    }
}

#[test]
fn sif_weights_from_counts_and_from_rank() {
    let s = space(&[("x", &[1.0, 0.0]), ("y", &[0.0, 1.0]), ("z", &[1.0, 1.0])]);
    let w = weighted_phrases(&s, &["x y z nope"], &sif());
    assert_eq!(w.probability, Some(Probability::Zipf));
    let h = 1.0 + 0.5 + 1.0 / 3.0;
    let expect = |rank: f64| (DEFAULT_A / (DEFAULT_A + 1.0 / (rank * h))) as f32;
    let got = &w.weights[0];
    assert_eq!(got.len(), 4);
    for (i, r) in [1.0, 2.0, 3.0].iter().enumerate() {
        assert!((got[i] - expect(*r)).abs() < 1e-7, "{got:?}");
    }
    assert_eq!(got[3], 0.0, "an unknown word weighs nothing");
    let c = with_counts(&s, vec![0, 3, 997]);
    let w = weighted_phrases(&c, &["x y z"], &sif());
    let want = [1.0, 1e-3 / (1e-3 + 0.003), 1e-3 / (1e-3 + 0.997)];
    for (g, e) in w.weights[0].iter().zip(want) {
        assert!((f64::from(*g) - e).abs() < 1e-6, "{:?}", w.weights[0]);
    }
    // The vector is the weighted average, normalised.
    let v = w.phrases[0].vector.as_ref().unwrap();
    let z = std::f64::consts::FRAC_1_SQRT_2;
    let sum = [want[0] + want[2] * z, want[1] + want[2] * z];
    let n = (sum[0] * sum[0] + sum[1] * sum[1]).sqrt();
    assert!((f64::from(v[0]) - sum[0] / n).abs() < 1e-6, "{v:?}");
    assert!((f64::from(v[1]) - sum[1] / n).abs() < 1e-6, "{v:?}");
}

#[test]
fn harmonic_numbers() {
    assert_eq!(harmonic(0), 0.0);
    assert_eq!(harmonic(1), 1.0);
    assert!((harmonic(4) - 25.0 / 12.0).abs() < 1e-15);
    // The exact sum and the expansion meet at the switch.
    let exact: f64 = (1..=1_000_001u32).rev().map(|k| 1.0 / f64::from(k)).sum();
    assert!((harmonic(1_000_001) - exact).abs() < 1e-12);
}

#[test]
fn stopwords_weigh_nothing() {
    let s = fixture(2);
    let opts = Options {
        drop_stopwords: true,
        ..Options::default()
    };
    let w = weighted_phrases(&s, &["The cat, of the mouse", "cat mouse"], &opts);
    assert_eq!(w.weights[0], [0.0, 1.0, 0.0, 0.0, 1.0]);
    assert_eq!(w.phrases[0].vector, w.phrases[1].vector);
    let only = weighted_phrases(&s, &["the of a"], &opts);
    assert_eq!(only.phrases[0].vector, None);
}

#[test]
fn first_principal_component() {
    let (a, b) = (vec![3.0, 0.0, 0.0], vec![0.0, 1.0, 0.0]);
    let u = first_singular_vector(&[&a, &b]).unwrap();
    assert!(
        (u[0].abs() - 1.0).abs() < 1e-12 && u[1].abs() < 1e-12,
        "{u:?}"
    );
    // A diagonal direction shared by every row.
    let rows = [
        vec![2.0, 2.1, 0.1],
        vec![2.0, 1.9, -0.1],
        vec![1.0, 1.0, 0.0],
    ];
    let refs: Vec<&Vec<f64>> = rows.iter().collect();
    let u = first_singular_vector(&refs).unwrap();
    let h = std::f64::consts::FRAC_1_SQRT_2;
    assert!(
        (u[0].abs() - h).abs() < 1e-3 && (u[1].abs() - h).abs() < 1e-3,
        "{u:?}"
    );
    // Removing it leaves vectors orthogonal to it.
    let s = fixture(3);
    let opts = Options {
        remove_pc: true,
        ..sif()
    };
    let w = weighted_phrases(&s, &SENTENCES, &opts);
    assert!(w.pc_removed);
    let freq = Frequencies::of(&s);
    let sums: Vec<Option<Vec<f64>>> = SENTENCES
        .iter()
        .map(|t| {
            let p = phrase(&s, t);
            weighted_average(&s, &p, &token_weights(&p, &freq, &sif()))
        })
        .collect();
    let present: Vec<&Vec<f64>> = sums.iter().flatten().collect();
    let u = first_singular_vector(&present).unwrap();
    for p in &w.phrases {
        let v = p.vector.as_ref().unwrap();
        let along: f64 = v.iter().zip(&u).map(|(a, b)| f64::from(*a) * b).sum();
        assert!(along.abs() < 1e-4, "{along}");
    }
}

#[test]
fn weighting_names() {
    assert_eq!("SIF".parse::<Weighting>().unwrap(), Weighting::Sif);
    assert_eq!("mean".parse::<Weighting>().unwrap(), Weighting::Mean);
    assert!("tfidf".parse::<Weighting>().is_err());
    assert_eq!(Weighting::Sif.to_string(), "sif");
}
