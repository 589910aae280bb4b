//! What the command line says when a query probably meant something else, through the real
//! binary: an expression typed without spaces (`king-man`), a rare word one typo from a
//! frequent one (`quen`), options of other tools (`--vector-size`, `-n`), FILE and words
//! swapped, and the messages of `train` and `layout`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test code: a failed unwrap is a failed test"
)]
mod support;
use predicates::prelude::*;
use serde_json::Value;
use std::path::{Path, PathBuf};
use support::{embx, write};

/// Rows of the vectors file of [`big`], after the filler words `w0`, `w1`, ….
const ROWS: usize = 60_000;

/// A GloVe file of [`ROWS`] words (past the 50,000 rows within which no word is rare):
/// `king`, `man`, `woman`, `queen`, `well-known` near the top, `quen` at row 55,000.
fn big(dir: &Path) -> PathBuf {
    let mut text = String::with_capacity(ROWS * 24);
    for i in 0..ROWS {
        let word = match i {
            1 => "king".to_string(),
            2 => "man".to_string(),
            3 => "woman".to_string(),
            4 => "well-known".to_string(),
            100 => "queen".to_string(),
            55_000 => "quen".to_string(),
            _ => format!("w{i}"),
        };
        let (x, y) = ((i % 97) as f32 + 1.0, (i % 89) as f32 - 40.0);
        text.push_str(&format!("{word} {x} {y} 1\n"));
    }
    write(dir, "big.txt", text)
}

fn stderr_of(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn an_expression_without_spaces_says_where_they_go() {
    let d = tempfile::tempdir().unwrap();
    let v = big(d.path());
    let hint = "to subtract, put spaces around the sign: king - man";
    embx()
        .arg("query")
        .arg(&v)
        .arg("king-man+woman")
        .assert()
        .code(1)
        .stderr(predicate::str::contains(hint))
        .stderr(predicate::str::contains("unknown word \"king-man\""));
    let out = embx()
        .arg("query")
        .arg(&v)
        .args(["king-man+woman", "--json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let j: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(j["kind"], "unknown_word");
    assert_eq!(j["word"], "king-man");
    assert!(j["suggestions"].is_array(), "{j}");
    let message = j["error"].as_str().unwrap();
    assert!(
        message.starts_with("unknown word \"king-man\""),
        "{message}"
    );
    assert!(message.ends_with(&format!("; {hint}")), "{message}");
    // A hyphenated word of the vocabulary is a word; one with an unknown piece gets no hint.
    embx()
        .arg("query")
        .arg(&v)
        .args(["well-known + king", "-k", "1"])
        .assert()
        .success();
    embx()
        .arg("query")
        .arg(&v)
        .arg("king-zzz")
        .assert()
        .code(1)
        .stderr(predicate::str::contains("put spaces").not());
}

#[test]
fn a_rare_word_one_typo_from_a_frequent_one_gets_a_note() {
    let d = tempfile::tempdir().unwrap();
    let v = big(d.path());
    let note = "note: \"quen\" is word 55,001 of 60,000 (rare); did you mean \"queen\" (word 101)?";
    for args in [
        &["similar", "quen", "-k", "2"][..],
        &["analogy", "man", "quen", "woman", "-k", "2"],
        &["query", "quen - man", "-k", "2"],
    ] {
        let out = embx()
            .arg(args[0])
            .arg(&v)
            .args(&args[1..])
            .output()
            .unwrap();
        assert!(out.status.success(), "{args:?}: {}", stderr_of(&out));
        assert!(
            stderr_of(&out).contains(note),
            "{args:?}: {}",
            stderr_of(&out)
        );
        // The answer is still given.
        assert!(String::from_utf8_lossy(&out.stdout).contains("#  word"));
    }
    // Quiet: no note; JSON: no note on stderr, the rare word in the answer.
    let out = embx()
        .arg("-q")
        .arg("similar")
        .arg(&v)
        .arg("quen")
        .output()
        .unwrap();
    assert!(out.status.success() && !stderr_of(&out).contains("rare"));
    let out = embx()
        .arg("similar")
        .arg(&v)
        .args(["quen", "--json"])
        .output()
        .unwrap();
    assert!(out.status.success() && !stderr_of(&out).contains("rare"));
    let j: Value = serde_json::from_slice(&out.stdout).unwrap();
    let rare = &j["rare_words"][0];
    assert_eq!(rare["word"], "quen");
    assert_eq!(
        (rare["rank"].as_u64(), rare["of"].as_u64()),
        (Some(55_001), Some(60_000))
    );
    assert_eq!(rare["suggestion"], "queen");
    assert_eq!(rare["suggestion_rank"], 101);
    // A frequent word: no note, and an empty list.
    let out = embx()
        .arg("similar")
        .arg(&v)
        .args(["queen", "--json"])
        .output()
        .unwrap();
    let j: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(j["rare_words"], serde_json::json!([]));
    embx()
        .arg("similar")
        .arg(&v)
        .arg("queen")
        .assert()
        .success()
        .stderr(predicate::str::contains("rare").not());
}

#[test]
fn options_of_other_tools_and_of_head_get_embx_spelling() {
    let d = tempfile::tempdir().unwrap();
    let v = write(d.path(), "v.txt", "king 1 0\nqueen 0.9 0.1\nman 0 1\n");
    embx()
        .args(["train", "corpus.txt", "-o", "x.fifu", "--vector-size", "50"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "tip: --vector-size is gensim's option --vector_size; embx's is --dim",
        ))
        .stderr(predicate::str::contains("-- --vector-size").not());
    // embx's own option, in a command without it, is not called another tool's.
    embx()
        .arg("similar")
        .arg(&v)
        .args(["king", "--min-count", "3"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("embx's is").not());
    // word2vec's `-window 5` would be `-w indow`, and `-output` `-o utput`: caught first.
    embx()
        .current_dir(d.path())
        .args(["train", "corpus.txt", "-window", "5", "-output", "x.fifu"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "tip: embx's options take two dashes: --window",
        ));
    assert!(!d.path().join("utput").exists());
}

#[test]
fn misspellings_of_k_get_a_tip_naming_it() {
    let d = tempfile::tempdir().unwrap();
    let v = write(d.path(), "v.txt", "king 1 0\nqueen 0.9 0.1\nman 0 1\n");
    for k in ["-n", "--k", "--top", "--topk"] {
        embx()
            .arg("similar")
            .arg(&v)
            .args(["king", k, "2"])
            .assert()
            .code(2)
            .stderr(predicate::str::contains(
                "tip: the number of results is -k (or --topn)",
            ))
            .stderr(predicate::str::contains(format!("-- {k}")).not());
    }
}

#[test]
fn a_vectors_file_given_after_the_words_is_said_to_come_first() {
    let d = tempfile::tempdir().unwrap();
    let v = write(d.path(), "v.txt", "king 1 0\nqueen 0.9 0.1\nman 0 1\n");
    let shown = v.display().to_string();
    embx()
        .arg("similar")
        .arg("king")
        .arg(&v)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(format!(
            "king: no such file; the vectors file comes first: embx similar {shown} king"
        )));
    // A missing file with no word that is a file is the usual error.
    embx()
        .args(["similar", "nofile.txt", "king"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "nofile.txt: No such file or directory",
        ));
}

#[test]
fn train_counts_with_thousands_separators() {
    let d = tempfile::tempdir().unwrap();
    let text = "a b c d e f g h i j\n".repeat(150);
    let corpus = write(d.path(), "c.txt", text);
    embx()
        .arg("train")
        .arg(&corpus)
        .arg("-o")
        .arg(d.path().join("x.fifu"))
        .args([
            "--dim",
            "4",
            "--epochs",
            "1",
            "--min-count",
            "1",
            "--threads",
            "1",
        ])
        .assert()
        .success()
        .stderr(predicate::str::contains("(1,500 corpus tokens"));
}

#[test]
fn a_missing_corpus_is_a_missing_file() {
    let d = tempfile::tempdir().unwrap();
    embx()
        .current_dir(d.path())
        .args(["train", "nocorpus.txt", "-o", "x.fifu"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "nocorpus.txt: No such file or directory (os error 2)",
        ))
        .stderr(predicate::str::contains("language").not());
}

#[test]
fn layout_suggests_spellings_for_the_words_it_leaves_out() {
    let d = tempfile::tempdir().unwrap();
    let v = write(
        d.path(),
        "v.txt",
        "king 1 0 0\nqueen 0.9 0.1 0\nman 0 1 0\nwoman 0.1 0.9 0\n",
    );
    let out = d.path().join("a.tsv");
    embx()
        .arg("layout")
        .arg(&v)
        .args([
            "--words", "king", "queen", "man", "kingg", "xqzzyv", "--method", "pca", "-o",
        ])
        .arg(&out)
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "warning: \"kingg\" is not in the vocabulary; left out (did you mean: king?)",
        ))
        .stderr(predicate::str::contains(
            "warning: \"xqzzyv\" is not in the vocabulary; left out\n",
        ));
}

/// `query` takes the explorer's analogy line too, also full-width and without spaces as a
/// Chinese input method types it (it was cut into words and averaged), and a broken one is a
/// syntax error whose caret sits under the character even after wide ones.
#[test]
fn query_answers_an_analogy_line() {
    let d = tempfile::tempdir().unwrap();
    let rows = [
        ("打开", "1 0 0.1"),
        ("关闭", "0 1 0.1"),
        ("启用", "1 0 0.9"),
        ("禁用", "0 1 0.9"),
        ("其他", "0.5 0.5 0.5"),
    ];
    let text: String = rows.iter().map(|(w, v)| format!("{w} {v}\n")).collect();
    let f = write(d.path(), "zh.txt", text);
    let run = |args: &[&str]| embx().args(args).output().unwrap();
    let fs = f.to_str().unwrap();
    let by_line = run(&["query", fs, "打开：关闭：：启用：？", "--json"]);
    let by_words = run(&["analogy", fs, "打开", "关闭", "启用", "--json"]);
    assert!(by_line.status.success(), "{}", stderr_of(&by_line));
    let (a, b): (Value, Value) = (
        serde_json::from_slice(&by_line.stdout).unwrap(),
        serde_json::from_slice(&by_words.stdout).unwrap(),
    );
    assert_eq!(a["results"], b["results"]);
    assert_eq!(a["results"][0]["word"], "禁用", "{a}");
    let bad = run(&["query", fs, "打开 : 关闭 :: 启用 : x"]);
    assert_eq!(bad.status.code(), Some(2));
    let err = stderr_of(&bad);
    assert!(err.contains("expected \"?\" as the fourth term"), "{err}");
    // The caret under `x`: 6 wide characters and 10 narrow ones before it, indented by 2.
    let caret = err.lines().last().unwrap();
    assert_eq!(caret, format!("{}^", " ".repeat(2 + 6 * 2 + 10)), "{err}");
}

#[test]
fn convert_says_that_format_is_the_input_s_and_to_the_output_s() {
    let d = tempfile::tempdir().unwrap();
    embx()
        .current_dir(d.path())
        .args(["convert", "demo", "d.fifu", "-q"])
        .assert()
        .success();
    embx()
        .current_dir(d.path())
        .args(["convert", "d.fifu", "out.bin", "--format", "word2vec"])
        .assert()
        .failure()
        .stderr(predicate::str::contains(
            "--format names the input's format, --to the output's",
        ))
        .stderr(predicate::str::contains("\"FiFu\" and then binary data"));
    assert!(!d.path().join("out.bin").exists());
}
