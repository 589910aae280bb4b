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
