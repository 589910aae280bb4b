//! `embx train --loss hs`, `--subwords`, `--format fasttext-bin` and `convert --to
//! fasttext-bin` through the real binary.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test code: a failed unwrap is a failed test"
)]
mod support;
use predicates::prelude::*;
use std::path::{Path, PathBuf};
use support::embx;

/// Two topics ("a0".."a9" and "b0".."b9") that never share a sentence.
fn corpus(dir: &Path) -> PathBuf {
    let mut state = 7u64;
    let mut text = String::new();
    for s in 0..600 {
        let topic = if s % 2 == 0 { 'a' } else { 'b' };
        let words: Vec<String> = (0..10)
            .map(|_| {
                state = state.wrapping_mul(25_214_903_917).wrapping_add(11);
                format!("{topic}{}", (state >> 20) % 10)
            })
            .collect();
        text.push_str(&words.join(" "));
        text.push('\n');
    }
    let p = dir.join("corpus.txt");
    std::fs::write(&p, text).unwrap();
    p
}

fn train(c: &Path, out: &Path, extra: &[&str]) {
    embx()
        .arg("train")
        .arg(c)
        .arg("-o")
        .arg(out)
        .args(["--dim", "8", "--epochs", "2", "--min-count", "2"])
        .args(["--threads", "1", "--progress", "none"])
        .args(extra)
        .assert()
        .success();
}

fn metadata(path: &Path) -> String {
    let info = embx()
        .arg("info")
        .arg(path)
        .arg("--json")
        .assert()
        .success();
    let v: serde_json::Value = serde_json::from_slice(&info.get_output().stdout).unwrap();
    v["metadata"].as_str().unwrap_or_default().to_string()
}

#[test]
fn hierarchical_softmax_and_subwords_are_in_the_metadata() {
    let dir = tempfile::tempdir().unwrap();
    let c = corpus(dir.path());
    let hs = dir.path().join("hs.fifu");
    train(&c, &hs, &["--loss", "hs", "--model", "cbow"]);
    let m = metadata(&hs);
    assert!(m.contains("loss = \"hs\""), "{m}");
    assert!(m.contains("negative = 0"), "{m}");
    let sub = dir.path().join("sub.fifu");
    train(
        &c,
        &sub,
        &[
            "--subwords",
            "--minn",
            "2",
            "--maxn",
            "4",
            "--buckets",
            "300",
        ],
    );
    let m = metadata(&sub);
    assert!(m.contains("buckets = 300") && m.contains("minn = 2"), "{m}");
    // Converting it to a format without n-grams says what is lost.
    embx()
        .arg("convert")
        .arg(&sub)
        .arg(dir.path().join("sub.vec"))
        .assert()
        .success()
        .stderr(
            predicates::str::contains("n-gram rows").and(predicates::str::contains("left out")),
        );
    // The counts are kept (in the metadata, split off when read), the same as without
    // subwords on the same corpus.
    assert!(!m.contains("vocab_counts"), "{m}");
    let plain = dir.path().join("plain.fifu");
    train(&c, &plain, &[]);
    let opts = embx::io::LoadOptions::default();
    let counts = |p: &Path| {
        let l = embx::io::load(p, &opts).unwrap();
        let s = &l.space;
        let words: Vec<String> = s.vocab().iter().map(str::to_string).collect();
        (words, s.counts().map(<[u64]>::to_vec))
    };
    let (sub_words, sub_counts) = counts(&sub);
    let (plain_words, plain_counts) = counts(&plain);
    assert_eq!(sub_words, plain_words);
    assert!(sub_counts.is_some());
    assert_eq!(sub_counts, plain_counts);
    // An unseen word gets a vector from its n-grams.
    embx()
        .args(["similar"])
        .arg(&sub)
        .arg("a77")
        .assert()
        .success();
}

#[test]
fn fasttext_bin_from_train_and_from_convert() {
    let dir = tempfile::tempdir().unwrap();
    let c = corpus(dir.path());
    let bin = dir.path().join("m.bin");
    train(
        &c,
        &bin,
        &["--subwords", "--buckets", "100", "--format", "fasttext-bin"],
    );
    let bytes = std::fs::read(&bin).unwrap();
    assert_eq!(&bytes[..4], &793_712_314u32.to_le_bytes());
    embx()
        .arg("info")
        .arg(&bin)
        .assert()
        .success()
        .stdout(predicate::str::contains("fastText"));
    let fifu = dir.path().join("m.fifu");
    train(&c, &fifu, &["--subwords", "--buckets", "100"]);
    let conv = dir.path().join("c.bin");
    embx()
        .arg("convert")
        .arg(&fifu)
        .arg(&conv)
        .args(["--to", "fasttext-bin", "-q"])
        .assert()
        .success();
    // The same run written two ways: the same header and vocabulary, the same size.
    let a = std::fs::read(&conv).unwrap();
    assert_eq!(a.len(), bytes.len());
    // A subword space of another kind, or bad options, are clear errors.
    embx()
        .arg("train")
        .arg(&c)
        .arg("-o")
        .arg(dir.path().join("x.fifu"))
        .args(["--subwords", "--minn", "5", "--maxn", "3"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("minn"));
    assert!(!dir.path().join("x.fifu").exists());
}

/// `embx eval --pairs SET --oov-subwords` scores a pair whose word the vocabulary lacks from
/// the word's n-grams, with the cosine `embx similarity` gives; without the flag (gensim's
/// rule) the pair is out of vocabulary.
#[test]
fn eval_scores_oov_pairs_from_subwords() {
    let dir = tempfile::tempdir().unwrap();
    let c = corpus(dir.path());
    let sub = dir.path().join("sub.fifu");
    let args = [
        "--subwords",
        "--minn",
        "2",
        "--maxn",
        "3",
        "--buckets",
        "500",
    ];
    train(&c, &sub, &args);
    // "a1x" and "b2y" never occur in the corpus; their n-grams ("a1", "1x", "<a1", ...) do.
    let pairs = support::write(
        dir.path(),
        "pairs.tsv",
        "a1\ta2\t8\na1\ta1x\t9\nb2y\ta3\t1\nb1\tb3\t7\na4\tb4\t2\n",
    );
    let run = |extra: &[&str]| -> serde_json::Value {
        let out = embx()
            .arg("eval")
            .arg(&sub)
            .arg("--pairs")
            .arg(&pairs)
            .arg("--json")
            .args(extra)
            .assert()
            .success();
        let v: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
        v["pairs"][0]["report"].clone()
    };
    let plain = run(&[]);
    assert_eq!(
        (plain["used"].as_u64(), plain["oov"].as_u64()),
        (Some(3), Some(2))
    );
    assert_eq!(plain["from_subwords"].as_u64(), Some(0));
    let oov = run(&["--oov-subwords"]);
    assert_eq!(
        (oov["used"].as_u64(), oov["oov"].as_u64()),
        (Some(5), Some(0)),
        "{oov}"
    );
    assert_eq!(oov["from_subwords"].as_u64(), Some(2));
    // The pairs are scored with the cosines `embx similarity` computes from the same n-grams.
    let cos = |a: &str, b: &str| -> f64 {
        let out = embx()
            .args(["similarity"])
            .arg(&sub)
            .args([a, b, "--json"])
            .assert()
            .success();
        let v: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
        assert_eq!(
            v["a"]["subword"].as_bool().unwrap() || v["b"]["subword"].as_bool().unwrap(),
            a.len() == 3 || b.len() == 3
        );
        v["cosine"].as_f64().unwrap()
    };
    let gold = [8.0, 9.0, 1.0, 7.0, 2.0];
    let model = [
        cos("a1", "a2"),
        cos("a1", "a1x"),
        cos("b2y", "a3"),
        cos("b1", "b3"),
        cos("a4", "b4"),
    ];
    // Spearman over the five pairs, computed here from ranks (no ties among the gold scores).
    let rank = |xs: &[f64]| -> Vec<f64> {
        xs.iter()
            .map(|x| xs.iter().filter(|y| *y < x).count() as f64)
            .collect()
    };
    let (rg, rm) = (rank(&gold), rank(&model));
    let d2: f64 = rg.iter().zip(&rm).map(|(a, b)| (a - b) * (a - b)).sum();
    let rho = 1.0 - 6.0 * d2 / (5.0 * 24.0);
    assert!(
        (oov["spearman"].as_f64().unwrap() - rho).abs() < 1e-9,
        "{oov} vs {rho} from {model:?}"
    );
}

#[test]
fn buckets_that_dwarf_the_vocabulary_get_a_note() {
    let dir = tempfile::tempdir().unwrap();
    let c = corpus(dir.path());
    let run = |buckets: &str| {
        let out = embx()
            .arg("train")
            .arg(&c)
            .arg("-o")
            .arg(dir.path().join("sub.fifu"))
            .args(["--dim", "8", "--epochs", "1", "--min-count", "2"])
            .args(["--threads", "1", "--progress", "none", "--subwords"])
            .args(["--buckets", buckets])
            .output()
            .unwrap();
        assert!(out.status.success());
        String::from_utf8_lossy(&out.stderr).into_owned()
    };
    let many = run("50000");
    assert!(
        many.contains("n-gram buckets take") && many.contains("--buckets 16384"),
        "{many}"
    );
    assert!(!run("100").contains("buckets take"));
}
