//! What `embx train` and `embx ngram` say about Chinese text and a user dictionary: before
//! the long work rather than after it, and the dictionary's words that get no vector.
use super::{chinese, embx};
use predicates::prelude::*;
use std::path::Path;

/// `embx train CORPUS -o OUT` with small settings and `extra` (which give the min-count and
/// the progress display).
fn train(corpus: &Path, out: &Path, extra: &[&str]) -> assert_cmd::assert::Assert {
    embx()
        .arg("train")
        .arg(corpus)
        .arg("-o")
        .arg(out)
        .args(["--dim", "8", "--epochs", "1", "--threads", "1"])
        .args(extra)
        .assert()
}

/// Where `needle` starts in `haystack` (the test fails when it is not there).
fn at(haystack: &str, needle: &str) -> usize {
    haystack
        .find(needle)
        .unwrap_or_else(|| panic!("{needle:?} not in {haystack}"))
}

#[test]
fn chinese_and_the_dictionary_are_said_before_training() {
    let dir = tempfile::tempdir().unwrap();
    let c = chinese(dir.path());
    let dict = dir.path().join("dict.txt");
    // Each of the first two is a word of 40 lines once jieba knows it; the third is nowhere.
    std::fs::write(&dict, "用户权限 100 n\n# a comment\n网络管理员\n云计算 5\n").unwrap();
    let d = dict.to_str().unwrap();
    let out = dir.path().join("o.vec");
    let a = train(
        &c,
        &out,
        &["--user-dict", d, "--min-count", "50", "--progress", "none"],
    );
    let a = a.success();
    let err = String::from_utf8_lossy(&a.get_output().stderr).to_string();
    let found = at(
        &err,
        "note: Chinese text found, so it is cut into words with jieba",
    );
    let rare = at(
        &err,
        "note: 2 of the 3 user-dictionary words occur in the corpus fewer than --min-count 50 \
         times and get no vector: 用户权限 (40), 网络管理员 (40); 1 more never occurs: 云计算",
    );
    assert!(found < rare && rare < at(&err, "trained "), "{err}");
    // Often enough, but beyond the most frequent words --max-vocab keeps.
    let a = train(&c, &out, &["--user-dict", d, "--max-vocab", "3"]).success();
    let err = String::from_utf8_lossy(&a.get_output().stderr).to_string();
    at(
        &err,
        "note: 2 of the 3 user-dictionary words are beyond the --max-vocab 3 most frequent words \
         and get no vector: 用户权限 (40), 网络管理员 (40); 1 more never occurs: 云计算",
    );
    // With JSON progress the notes come before the progress objects.
    let a = train(&c, &out, &["--user-dict", d, "--progress", "json"]).success();
    // (--min-count is 5 here: the two words of 40 lines keep their vectors.)
    let err = String::from_utf8_lossy(&a.get_output().stderr).to_string();
    let note = at(
        &err,
        "note: 1 of the 3 user-dictionary words never occurs in the corpus",
    );
    assert!(note < at(&err, "{\""), "{err}");
    assert!(!err.contains("get no vector"), "{err}");
    // Every word kept: nothing to say about the dictionary.
    std::fs::write(&dict, "用户权限 100 n\n").unwrap();
    train(&c, &out, &["--user-dict", d])
        .success()
        .stderr(predicate::str::contains("user-dictionary").not());
    // -q silences the notes.
    train(&c, &out, &["--user-dict", d, "--min-count", "50", "-q"])
        .success()
        .stderr(predicate::str::is_empty());
}

#[test]
fn ngram_names_the_dictionary_words_it_leaves_out() {
    let dir = tempfile::tempdir().unwrap();
    let c = chinese(dir.path());
    let dict = dir.path().join("dict.txt");
    std::fs::write(&dict, "用户权限 100 n\n云计算\n区块链\n").unwrap();
    let out = embx()
        .arg("ngram")
        .arg(&c)
        .args(["--user-dict", dict.to_str().unwrap(), "--min-count", "41"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let err = String::from_utf8_lossy(&out.stderr);
    let found = at(&err, "note: Chinese text found");
    let rare = at(
        &err,
        "note: 1 of the 3 user-dictionary words occurs in the corpus fewer than --min-count 41 \
         times and is left out (<unk>): 用户权限 (40); 2 more never occur: 云计算, 区块链",
    );
    assert!(found < rare && rare < at(&err, "Kneser-Ney"), "{err}");
}
