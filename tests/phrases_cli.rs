//! `embx phrases`: sentence vectors and their cosine matrix, through the real binary.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test code: a failed unwrap is a failed test"
)]
mod support;
use predicates::prelude::*;
use std::path::Path;
use support::embx;

/// A GloVe text space (frequency order): "the" first, then x, y, z on the axes.
fn space(dir: &Path) -> std::path::PathBuf {
    let p = dir.join("s.txt");
    std::fs::write(&p, "the 1 1 1\nof 1 1 0.9\nx 1 0 0\ny 0 1 0\nz 0 0 1\n").unwrap();
    p
}

fn matrix(json: &serde_json::Value) -> Vec<Vec<Option<f64>>> {
    serde_json::from_value(json["matrix"].clone()).unwrap()
}

fn run_json(file: &Path, extra: &[&str]) -> serde_json::Value {
    let out = embx()
        .arg("phrases")
        .arg(file)
        .args(["the x", "the y", "nothing here", "--json"])
        .args(extra)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn mean_and_sif_matrices() {
    let dir = tempfile::tempdir().unwrap();
    let file = space(dir.path());
    let mean = run_json(&file, &["--weighting", "mean"]);
    assert_eq!(mean["weighting"], "mean");
    let m = matrix(&mean);
    // (the + x) and (the + y), unit vectors: the = (1,1,1)/√3.
    let t = 1.0 / 3f64.sqrt();
    let a = [1.0 + t, t, t];
    let b = [t, 1.0 + t, t];
    let dot: f64 = a.iter().zip(&b).map(|(p, q)| p * q).sum();
    let norm: f64 = a.iter().map(|p| p * p).sum::<f64>().sqrt();
    let want = dot / (norm * norm);
    assert!((m[0][1].unwrap() - want).abs() < 1e-5, "{m:?} vs {want}");
    assert_eq!(m[2][0], None, "a sentence of unknown words has no vector");
    assert_eq!(mean["sentences"][2]["unknown"][0], "nothing");
    let sif = run_json(&file, &[]);
    assert_eq!(sif["weighting"], "sif", "SIF is the default");
    assert_eq!(sif["probability"], "zipf");
    // Weights a / (a + p), p = 1 / (rank · H_5): "the" is rank 1, x rank 3, y rank 4.
    let h = 1.0 + 0.5 + 1.0 / 3.0 + 0.25 + 0.2;
    let weight = |rank: f64| 1e-3 / (1e-3 + 1.0 / (rank * h));
    let (wt, wx, wy) = (weight(1.0), weight(3.0), weight(4.0));
    let a = [wt * t + wx, wt * t, wt * t];
    let b = [wt * t, wt * t + wy, wt * t];
    let dot: f64 = a.iter().zip(&b).map(|(p, q)| p * q).sum();
    let na: f64 = a.iter().map(|p| p * p).sum::<f64>().sqrt();
    let nb: f64 = b.iter().map(|p| p * p).sum::<f64>().sqrt();
    let s = matrix(&sif);
    assert!((s[0][1].unwrap() - dot / (na * nb)).abs() < 1e-5, "{s:?}");
    assert!(s[0][1].unwrap() < m[0][1].unwrap() - 0.1, "{s:?} vs {m:?}");
    let w = sif["sentences"][0]["tokens"][0]["weight"].as_f64().unwrap();
    assert!((w - wt).abs() < 1e-6, "{w}");
    // Dropping stopwords: the same as leaving "the" out.
    let dropped = run_json(&file, &["--weighting", "mean", "--drop-stopwords"]);
    assert!(matrix(&dropped)[0][1].unwrap().abs() < 1e-6);
}

#[test]
fn table_says_how_vectors_were_made() {
    let dir = tempfile::tempdir().unwrap();
    let file = space(dir.path());
    embx()
        .arg("phrases")
        .arg(&file)
        .args(["the x", "y z", "x y z", "--remove-pc"])
        .assert()
        .success()
        .stdout(
            predicate::str::contains("weighting: SIF, a = 0.001, p(w) from the frequency rank")
                .and(predicate::str::contains(
                    "first principal component removed",
                ))
                .and(predicate::str::contains("1  the x")),
        );
}

#[test]
fn bad_arguments_and_files_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let file = space(dir.path());
    embx()
        .arg("phrases")
        .arg(&file)
        .args(["the x", "--weighting", "tfidf"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("tfidf"));
    embx()
        .arg("phrases")
        .arg(&file)
        .args(["the x", "--sif-a", "0"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--sif-a"));
    embx()
        .arg("phrases")
        .arg(dir.path().join("missing.txt"))
        .arg("the x")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("missing.txt"));
}
