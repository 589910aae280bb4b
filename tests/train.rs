//! `embx train` through the real binary, on a small generated corpus.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test code: a failed unwrap is a failed test"
)]
mod support;
use predicates::prelude::*;
use std::path::{Path, PathBuf};
use support::embx;

/// Two topics ("a0".."a9" and "b0".."b9") that never share a sentence, plus a rare word.
fn corpus(dir: &Path) -> PathBuf {
    let mut state = 7u64;
    let mut text = String::new();
    for s in 0..2000 {
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
    text.push_str("rare\n");
    let p = dir.join("corpus.txt");
    std::fs::write(&p, text).unwrap();
    p
}

#[test]
fn trains_writes_and_info_shows_the_metadata() {
    let dir = tempfile::tempdir().unwrap();
    let c = corpus(dir.path());
    let out = dir.path().join("out.fifu");
    embx()
        .arg("train")
        .arg(&c)
        .arg("-o")
        .arg(&out)
        .args(["--dim", "10", "--epochs", "2", "--min-count", "2"])
        .args(["--threads", "1", "--seed", "3", "--progress", "json"])
        .assert()
        .success()
        .stderr(predicate::str::contains("trained 20 words × 10"))
        // --progress json ends with the totals: phase done, the whole run.
        .stderr(predicate::str::contains("\"phase\":\"done\""));
    let info = embx()
        .arg("info")
        .arg(&out)
        .arg("--json")
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let info: serde_json::Value = serde_json::from_slice(&info).unwrap();
    let text = serde_json::to_string(&info).unwrap();
    assert_eq!(info["words"].as_u64(), Some(20), "{text}");
    // The counts travel in the file (in the metadata, where finalfusion keeps free-form data)
    // and come back as counts, not as metadata.
    assert_eq!(info["counts"].as_bool(), Some(true), "{text}");
    assert!(!info["metadata"].as_str().unwrap().contains("vocab_counts"));
    let meta: toml::Table = info["metadata"].as_str().unwrap().parse().unwrap();
    assert_eq!(meta["training"]["dim"].as_integer(), Some(10));
    assert_eq!(meta["training"]["epochs"].as_integer(), Some(2));
    assert_eq!(meta["training"]["min_count"].as_integer(), Some(2));
    assert_eq!(meta["training"]["model"].as_str(), Some("skipgram"));
    assert_eq!(meta["corpus"]["tokens"].as_integer(), Some(20_001));
    assert_eq!(meta["corpus"]["sentences"].as_integer(), Some(2001));
    // The same, as JSON, for scripts.
    let table = &info["metadata_table"];
    assert_eq!(table["training"]["dim"], 10, "{text}");
    assert_eq!(table["corpus"]["tokens"], 20_001, "{text}");
    assert_eq!(meta["corpus"]["vocabulary"].as_integer(), Some(20));
    assert_eq!(meta["result"]["completed"].as_bool(), Some(true));

    // The vocabulary: the twenty topic words, not the rare one.
    let out_txt = dir.path().join("out.txt");
    embx()
        .args(["convert"])
        .arg(&out)
        .arg(&out_txt)
        .args(["--to", "glove", "-q"])
        .assert()
        .success();
    let text = std::fs::read_to_string(&out_txt).unwrap();
    let mut words: Vec<&str> = text.lines().map(|l| l.split(' ').next().unwrap()).collect();
    words.sort();
    let mut want: Vec<String> = ["a", "b"]
        .iter()
        .flat_map(|t| (0..10).map(move |i| format!("{t}{i}")))
        .collect();
    want.sort();
    assert_eq!(words, want);
}

#[test]
fn gzip_corpus_and_counts_survive_conversion_to_fifu() {
    use std::io::Write;
    let dir = tempfile::tempdir().unwrap();
    let c = corpus(dir.path());
    let gz = dir.path().join("corpus.txt.gz");
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(&std::fs::read(&c).unwrap()).unwrap();
    std::fs::write(&gz, e.finish().unwrap()).unwrap();
    let (a, b) = (dir.path().join("a.fifu"), dir.path().join("b.fifu"));
    for (input, out) in [(&c, &a), (&gz, &b)] {
        embx()
            .arg("train")
            .arg(input)
            .arg("-o")
            .arg(out)
            .args(["--dim", "8", "--epochs", "1", "--threads", "1", "-q"])
            .assert()
            .success();
    }
    // Same corpus, same seed, one thread: the same vectors whether compressed or not.
    let vectors = |p: &Path| {
        let t = dir.path().join("v.txt");
        embx()
            .arg("convert")
            .arg(p)
            .arg(&t)
            .args(["--to", "glove", "-q"])
            .assert()
            .success();
        std::fs::read_to_string(&t).unwrap()
    };
    assert_eq!(vectors(&a), vectors(&b));
    // fifu → fifu keeps the counts.
    let copy = dir.path().join("copy.fifu");
    embx()
        .arg("convert")
        .arg(&a)
        .arg(&copy)
        .arg("-q")
        .assert()
        .success();
    let info = embx()
        .arg("info")
        .arg(&copy)
        .arg("--json")
        .output()
        .unwrap();
    let info: serde_json::Value = serde_json::from_slice(&info.stdout).unwrap();
    assert_eq!(info["counts"].as_bool(), Some(true));
}

#[test]
fn bad_arguments_are_errors() {
    let dir = tempfile::tempdir().unwrap();
    let c = corpus(dir.path());
    embx()
        .arg("train")
        .arg(&c)
        .arg("-o")
        .arg(dir.path().join("x.fifu"))
        .args(["--min-count", "100000"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("min-count"));
    embx()
        .arg("train")
        .arg(dir.path().join("missing.txt"))
        .arg("-o")
        .arg(dir.path().join("x.fifu"))
        .assert()
        .code(2);
    // A subword setting without --subwords would do nothing.
    embx()
        .arg("train")
        .arg(&c)
        .arg("-o")
        .arg(dir.path().join("x.fifu"))
        .args(["--minn", "2"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--minn shapes the subwords"));
    assert!(!dir.path().join("x.fifu").exists());
}

#[test]
fn subwords_into_a_bin_make_a_fasttext_model_and_bad_values_reach_their_checks() {
    let dir = tempfile::tempdir().unwrap();
    let c = corpus(dir.path());
    let train = |out: &Path| {
        let mut cmd = embx();
        cmd.arg("train").arg(&c).arg("-o").arg(out);
        cmd.args([
            "--dim",
            "8",
            "--epochs",
            "1",
            "--min-count",
            "2",
            "--threads",
            "1",
        ]);
        cmd.args(["--subwords", "--buckets", "1000", "--progress", "none"]);
        cmd
    };
    // `.bin` with --subwords: fastText's binary, whose n-grams give unseen words a vector.
    let bin = dir.path().join("model.bin");
    train(&bin).assert().success();
    let info = embx().arg("info").arg(&bin).arg("--json").output().unwrap();
    let info = String::from_utf8(info.stdout).unwrap();
    assert!(info.contains("fasttext-bin"), "{info}");
    embx()
        .arg("vectors")
        .arg(&bin)
        .arg("a3x")
        .assert()
        .success();
    // `.vec` keeps the word vectors only, and says so.
    let vec = dir.path().join("model.vec");
    train(&vec)
        .assert()
        .success()
        .stderr(predicate::str::contains("keeps the word vectors only"));
    // A negative value reaches embx's own check, not clap's "use -- -1".
    embx()
        .arg("train")
        .arg(&c)
        .arg("-o")
        .arg(dir.path().join("x.fifu"))
        .args(["--sample", "-1"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "sub-sampling threshold must be 0 or more",
        ));
}

/// `embx ngram`: an N-gram model of a text on its own (a bigram model here: after "the" come
/// "cat" twice and "dog" once).
#[test]
fn a_diverged_run_is_refused_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let c = corpus(dir.path());
    let out = dir.path().join("out.fifu");
    embx()
        .arg("train")
        .arg(&c)
        .arg("-o")
        .arg(&out)
        .args(["--dim", "10", "--epochs", "2", "--min-count", "2"])
        .args(["--threads", "1", "--alpha", "1000", "--progress", "none"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("training diverged"))
        .stderr(predicate::str::contains("--alpha was 1000"));
    assert!(!out.exists());
}

#[test]
fn train_from_continues_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let c = corpus(dir.path());
    let base = dir.path().join("base.fifu");
    let train = |args: &[&str]| {
        embx()
            .arg("train")
            .arg(&c)
            .args(["--epochs", "1", "--min-count", "2", "--threads", "1", "-q"])
            .args(args)
            .output()
            .unwrap()
    };
    assert!(train(&["--dim", "12", "-o", base.to_str().unwrap()])
        .status
        .success());
    // More words in the corpus that continues it: they join the base's.
    let more = support::write(dir.path(), "more.txt", "new1 new2 a1 b1\n".repeat(5));
    let next = dir.path().join("next.fifu");
    embx()
        .args([
            "train",
            more.to_str().unwrap(),
            "--from",
            base.to_str().unwrap(),
        ])
        .args([
            "--min-count",
            "2",
            "--epochs",
            "1",
            "-o",
            next.to_str().unwrap(),
        ])
        .assert()
        .success()
        .stderr(predicate::str::contains("trained 22 words × 12"))
        .stderr(predicate::str::contains("was trained with").not());
    // Settings other than the base's are named, with the options that keep them.
    let cbow = dir.path().join("cbow.fifu");
    let out = embx()
        .arg("train")
        .arg(&c)
        .args(["--epochs", "1", "--min-count", "2", "--progress", "none"])
        .args(["--model", "cbow", "--window", "3", "--from"])
        .args([base.to_str().unwrap(), "-o", cbow.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(out.status.success());
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(
        said.contains("was trained with --model skipgram --window 5 --alpha 0.025; this run uses --model cbow --window 3 --alpha 0.05"),
        "{said}"
    );
    let info = embx().arg("info").arg(&next).output().unwrap();
    let info = String::from_utf8_lossy(&info.stdout);
    assert!(info.contains("continued_from = "), "{info}");
    // Its dimension is the base's: another one is refused, before any training.
    let out = train(&[
        "--dim",
        "30",
        "--from",
        base.to_str().unwrap(),
        "-o",
        "x.fifu",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(
        said.contains("--dim 30 differs from the 12 dimensions"),
        "{said}"
    );
}

#[test]
fn a_user_dictionary_is_for_cutting_chinese() {
    let dir = tempfile::tempdir().unwrap();
    let c = corpus(dir.path());
    let dict = support::write(dir.path(), "dict.txt", "云计算 5 n\n");
    let out = dir.path().join("o.fifu");
    let train = |extra: &[&str]| {
        embx()
            .arg("train")
            .arg(&c)
            .args(["--epochs", "1", "--min-count", "2", "--progress", "none"])
            .arg("-o")
            .arg(&out)
            .args(extra)
            .assert()
    };
    let d = dict.to_str().unwrap();
    // --segment off cuts nothing: the dictionary is refused before the corpus is read.
    train(&["--segment", "off", "--user-dict", d])
        .code(2)
        .stderr(predicate::str::contains("--segment off does not use"));
    assert!(!out.exists());
    // English text under --segment auto: trained, and the unused dictionary is named.
    train(&["--user-dict", d])
        .success()
        .stderr(predicate::str::contains("--user-dict was not used"));
    // A dictionary that is not there is an error even when no Chinese needs it.
    let missing = dir.path().join("nope.txt");
    train(&["--user-dict", missing.to_str().unwrap()])
        .code(2)
        .stderr(predicate::str::contains("nope.txt"));
}
