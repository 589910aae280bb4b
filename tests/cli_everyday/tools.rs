//! Files and other commands: convert, checked outputs, --format, gensim, completions, man, eval.
use super::support::embx;
use super::{space, stdout};
use predicates::prelude::*;
use serde_json::Value;
use std::path::Path;

#[test]
fn convert_chooses_like_train_and_projector_round_trip() {
    let d = tempfile::tempdir().unwrap();
    let v = space(d.path());
    let txt = d.path().join("out.txt");
    embx().arg("convert").arg(&v).arg(&txt).assert().success();
    assert!(std::fs::read_to_string(&txt).unwrap().starts_with("6 3\n"));
    let tsv = d.path().join("vectors.tsv");
    embx().arg("convert").arg(&v).arg(&tsv).assert().success();
    assert!(d.path().join("metadata.tsv").exists());
    let out = stdout(embx().arg("info").arg(&tsv).arg("--json"));
    let j: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(j["format"], "projector", "{out}");
    let out = stdout(embx().args(["info", "demo", "--json"]));
    assert!(out.contains("\"fifu\""), "{out}");
}

#[test]
fn outputs_are_checked_before_the_work() {
    let d = tempfile::tempdir().unwrap();
    let v = space(d.path());
    // An extension that names no format, or one embx cannot write: refused, nothing written.
    for (name, says) in [
        ("out.xyz", ".xyz names no format"),
        ("out.npy", "cannot write"),
    ] {
        let out = d.path().join(name);
        embx()
            .arg("convert")
            .arg(&v)
            .arg(&out)
            .assert()
            .code(2)
            .stderr(predicate::str::contains(says));
        assert!(!out.exists());
    }
    embx()
        .arg("convert")
        .arg(&v)
        .arg(d.path().join("out.xyz"))
        .args(["--to", "glove"])
        .assert()
        .success();
    // A missing folder is named before training starts (the corpus is not even read: it
    // does not exist either, and that is not what is reported).
    let out = d.path().join("no/such/dir/x.fifu");
    embx()
        .arg("train")
        .arg(d.path().join("missing-corpus.txt"))
        .arg("-o")
        .arg(&out)
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("the folder").and(predicate::str::contains("does not exist")),
        )
        .stderr(predicate::str::contains("embx-tmp").not());
}

#[test]
fn format_flag_lists_values_and_refuses_plain_fasttext() {
    let out = stdout(embx().args(["info", "--help"]));
    for name in ["fasttext-bin", "gensim", "projector", "npy", "spark"] {
        assert!(out.contains(name), "{name}: {out}");
    }
    embx()
        .args(["info", "demo", "--format", "fasttext"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("ambiguous"));
}

#[test]
fn gensim_save_through_the_binary() {
    let kv = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/gensim/ft.model");
    let out = stdout(
        embx()
            .arg("similar")
            .arg(&kv)
            .args(["cats", "-k", "3", "--json"]),
    );
    let j: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(j["terms"][0]["subword"], true);
    let out = stdout(embx().arg("info").arg(&kv).arg("--json"));
    assert!(out.contains("\"gensim\""), "{out}");
}

#[test]
fn completions_and_man_page() {
    for shell in ["bash", "zsh", "fish"] {
        let out = stdout(embx().args(["completions", shell]));
        assert!(out.contains("doesnt-match"), "{shell}");
    }
    let out = stdout(embx().arg("man"));
    assert!(
        out.starts_with(".ie") || out.contains(".TH embx"),
        "{}",
        &out[..200]
    );
}

#[test]
fn eval_names_the_bundled_sets_and_says_when_nothing_was_scored() {
    embx()
        .args(["eval", "demo", "--analogies", "googel"])
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("not a bundled set").and(predicate::str::contains("google")),
        );
    embx()
        .args(["eval", "demo", "--analogies", "google", "--restrict", "0"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--restrict 0"));
    embx()
        .args([
            "eval",
            "demo",
            "--analogies",
            "google",
            "--pairs",
            "wordsim353",
        ])
        .args(["--restrict", "10", "--oov-subwords"])
        .assert()
        .success()
        .stderr(predicate::str::contains("every question was skipped"))
        .stderr(predicate::str::contains("no pair has both words"))
        .stderr(predicate::str::contains(
            "--oov-subwords changes nothing here",
        ));
}
