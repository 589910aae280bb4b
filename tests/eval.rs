//! Evaluation counting rules on a small generated space whose answers are known by
//! construction: gensim's case folding (the first variant wins, upper-case variants of the
//! question words are passed over), restriction to the first N words, word2vec's top-1 rule
//! and finalfusion's case-sensitive counting.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test code: a failed unwrap is a failed test"
)]
use embx::eval::{
    evaluate_analogies, evaluate_pairs, AnalogyOptions, AnalogySet, PairOptions, PairSet, Preset,
    Status,
};
use embx::io::{load, LoadOptions};
use embx::query::Method;
use embx::Space;
use std::path::Path;

const S: f32 = std::f32::consts::FRAC_1_SQRT_2;

/// Axes: 0 male, 1 female, 2 royal, 3 capital, 4 France, 5 Italy, 6 unused, 7 junk.
fn space(dir: &Path) -> Space {
    let e = |axes: &[(usize, f32)]| {
        let mut v = [0f32; 8];
        for &(i, x) in axes {
            v[i] = x;
        }
        v
    };
    // "King" sits exactly on unit(king) − unit(man) + unit(woman).
    let king_variant = e(&[(0, S - 1.0), (1, 1.0), (2, S)]);
    let rows: Vec<(&str, [f32; 8])> = vec![
        ("king", e(&[(0, 1.0), (2, 1.0)])),
        ("queen", e(&[(1, 1.0), (2, 1.0)])),
        ("man", e(&[(0, 1.0)])),
        ("woman", e(&[(1, 1.0)])),
        ("King", king_variant),
        ("france", e(&[(4, 1.0)])),
        ("Paris", e(&[(4, 1.0), (3, 1.0)])),
        ("paris", e(&[(7, 1.0)])),
        ("italy", e(&[(5, 1.0)])),
        ("rome", e(&[(5, 1.0), (3, 1.0)])),
        ("rare", e(&[(7, 1.0)])),
    ];
    let text: String = rows
        .iter()
        .map(|(w, v)| {
            format!(
                "{w} {}\n",
                v.iter()
                    .map(|x| x.to_string())
                    .collect::<Vec<_>>()
                    .join(" ")
            )
        })
        .collect();
    let p = dir.join("space.txt");
    std::fs::write(&p, text).unwrap();
    load(&p, &LoadOptions::default()).unwrap().space
}

fn questions() -> AnalogySet {
    let text = ": capital-common-countries\nfrance paris italy rome\n\
                : family\nman king woman queen\nMAN KING WOMAN QUEEN\nman king woman princess\nMAN king woman queen\n\
                : gram1-test\nman rare woman queen\n";
    AnalogySet::parse(Path::new("q.txt"), text.as_bytes(), &mut Vec::new()).unwrap()
}

fn counts(space: &Space, preset: Preset, restrict: Option<usize>) -> Vec<(usize, usize, usize)> {
    let opts = AnalogyOptions {
        preset,
        restrict,
        method: Method::Add,
        progress: None,
    };
    let r = evaluate_analogies(space, &questions(), &opts).unwrap();
    let mut v: Vec<_> = r
        .sections
        .iter()
        .map(|s| (s.score.correct, s.score.evaluated, s.skipped))
        .collect();
    v.push((r.total.correct, r.total.evaluated, r.skipped));
    assert_eq!(
        r.semantic.evaluated + r.syntactic.evaluated,
        r.total.evaluated
    );
    v
}

#[test]
fn gensim_rules() {
    let dir = tempfile::tempdir().unwrap();
    let s = space(dir.path());
    // PARIS resolves to "Paris" (row 6, the first variant), so the capital question is right;
    // "King" is passed over as a variant of the question word KING; princess is unknown;
    // "rare" is outside the first 10 words.
    assert_eq!(
        counts(&s, Preset::Gensim, Some(10)),
        vec![(1, 1, 0), (3, 3, 1), (0, 0, 1), (4, 4, 2)]
    );
    // Without the restriction the gram1 question is evaluated and wrong ("King" wins).
    assert_eq!(
        counts(&s, Preset::Gensim, None),
        vec![(1, 1, 0), (3, 3, 1), (0, 1, 0), (4, 5, 1)]
    );
}

#[test]
fn word2vec_rules() {
    let dir = tempfile::tempdir().unwrap();
    let s = space(dir.path());
    // Top 1 only: "King" is the answer to both family questions, and it is wrong.
    assert_eq!(
        counts(&s, Preset::Word2Vec, Some(10)),
        vec![(1, 1, 0), (0, 3, 1), (0, 0, 1), (1, 4, 2)]
    );
}

#[test]
fn finalfusion_rules() {
    let dir = tempfile::tempdir().unwrap();
    let s = space(dir.path());
    // Case-sensitive: "paris" is the junk row, so "rare" wins; questions whose answer is
    // unknown ("QUEEN", "princess") are skipped, the rest are counted, and an unknown
    // question word ("MAN") makes the answer wrong.
    assert_eq!(
        counts(&s, Preset::Finalfusion, None),
        vec![(0, 1, 0), (0, 2, 2), (0, 1, 0), (0, 4, 2)]
    );
    let opts = AnalogyOptions {
        preset: Preset::Finalfusion,
        restrict: None,
        method: Method::Add,
        progress: None,
    };
    let r = evaluate_analogies(&s, &questions(), &opts).unwrap();
    assert_eq!(r.outcomes[0].predicted.as_deref(), Some("rare"));
    assert_eq!(r.outcomes[3].status, Status::Skipped);
    assert_eq!(r.outcomes[4].status, Status::Incorrect);
    assert_eq!(r.outcomes[4].predicted, None);
}

#[test]
fn cosmul_answers_by_the_cosmul_score() {
    let dir = tempfile::tempdir().unwrap();
    let s = space(dir.path());
    let opts = AnalogyOptions {
        preset: Preset::Gensim,
        restrict: Some(10),
        method: Method::Mul,
        progress: None,
    };
    let r = evaluate_analogies(&s, &questions(), &opts).unwrap();
    // Compute the expected answer of the first question directly from the definition.
    let unit = |w: &str| s.unit(s.index(w).unwrap() as usize).to_vec();
    let (a, b, c) = (unit("france"), unit("Paris"), unit("italy"));
    let cos = |x: &[f32], y: &[f32]| x.iter().zip(y).map(|(p, q)| p * q).sum::<f32>();
    let p = |x: f32| (1.0 + x) / 2.0;
    let best = (0..10)
        .filter(|&r| ![5, 6, 8].contains(&r))
        .max_by(|&i, &j| {
            let sc = |r: usize| {
                p(cos(s.unit(r), &b)) * p(cos(s.unit(r), &c)) / (p(cos(s.unit(r), &a)) + 1e-6)
            };
            sc(i).total_cmp(&sc(j))
        })
        .unwrap();
    assert_eq!(r.outcomes[0].predicted.as_deref(), Some(s.word(best)));
}

#[test]
fn pair_correlations_like_gensim() {
    let dir = tempfile::tempdir().unwrap();
    let s = space(dir.path());
    let text = "# test\nking\tqueen\t8\nKING\tman\t6\nman\twoman\t5\nfrance\titaly\t1\nking\tprincess\t9\n";
    let set = PairSet::parse(Path::new("p.tsv"), text.as_bytes(), &mut Vec::new()).unwrap();
    let r = evaluate_pairs(&s, &set, &PairOptions::default()).unwrap();
    assert_eq!((r.used, r.oov), (4, 1));
    assert!((r.oov_ratio - 20.0).abs() < 1e-9);
    // cosines 0.5, 0.7071, 0, 0 against gold 8, 6, 5, 1: scipy.stats.spearmanr gives
    // 0.7378647873726218 and scipy.stats.pearsonr 0.6969453655911146.
    assert!(
        (r.spearman - 0.7378647873726218).abs() < 1e-9,
        "{}",
        r.spearman
    );
    assert!(
        (r.pearson - 0.6969453655911146).abs() < 1e-6,
        "{}",
        r.pearson
    );
}
