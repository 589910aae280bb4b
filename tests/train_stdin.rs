//! A corpus on standard input (`embx train -`, `embx ngram -`): the same answers as the same
//! text in a file, plain or gzip, and the cases where it cannot be read.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test code: a failed unwrap is a failed test"
)]
mod support;
use predicates::prelude::*;
use std::path::Path;
use support::{embx, write};

/// Sentences of two topics that never meet, 1,500 lines.
fn text() -> String {
    let mut state = 11u64;
    let mut text = String::new();
    for s in 0..1500 {
        let topic = if s % 2 == 0 { 'a' } else { 'b' };
        let words: Vec<String> = (0..8)
            .map(|_| {
                state = state
                    .wrapping_mul(6_364_136_223_846_793_005)
                    .wrapping_add(1);
                format!("{topic}{}", (state >> 33) % 12)
            })
            .collect();
        text.push_str(&words.join(" "));
        text.push('\n');
    }
    text
}

/// The vectors of a trained file, as GloVe text.
fn vectors(dir: &Path, file: &str) -> String {
    embx()
        .current_dir(dir)
        .args(["convert", file, "v.txt", "--to", "glove", "-q"])
        .assert()
        .success();
    std::fs::read_to_string(dir.join("v.txt")).unwrap()
}

fn train(dir: &Path, corpus: &str, out: &str, stdin: Option<Vec<u8>>) {
    let mut cmd = embx();
    cmd.current_dir(dir)
        .args(["train", corpus, "-o", out, "--dim", "8", "--epochs", "1"])
        .args(["--threads", "1", "--seed", "5", "-q"]);
    if let Some(bytes) = stdin {
        cmd.write_stdin(bytes);
    }
    cmd.assert().success();
}

#[test]
fn a_piped_corpus_trains_the_vectors_of_the_same_file() {
    use std::io::Write;
    let d = tempfile::tempdir().unwrap();
    let text = text();
    write(d.path(), "c.txt", &text);
    train(d.path(), "c.txt", "file.fifu", None);
    train(d.path(), "-", "piped.fifu", Some(text.clone().into_bytes()));
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(text.as_bytes()).unwrap();
    train(d.path(), "-", "gz.fifu", Some(gz.finish().unwrap()));
    let want = vectors(d.path(), "file.fifu");
    assert_eq!(want.lines().count(), 24, "{want}");
    assert_eq!(vectors(d.path(), "piped.fifu"), want);
    assert_eq!(vectors(d.path(), "gz.fifu"), want);
    // Standard input between two files: read in its place.
    let (first, rest) = text.split_at(text.len() / 2);
    let cut = first.rfind('\n').unwrap() + 1;
    write(d.path(), "head.txt", &text[..cut]);
    let (middle, tail) = rest.split_at(rest.len() / 2);
    let cut2 = middle.rfind('\n').unwrap() + 1;
    write(d.path(), "tail.txt", format!("{}{tail}", &middle[cut2..]));
    let piped_middle = format!("{}{}", &first[cut..], &middle[..cut2]);
    embx()
        .current_dir(d.path())
        .args(["train", "head.txt", "-", "tail.txt", "-o", "three.fifu"])
        .args([
            "--dim",
            "8",
            "--epochs",
            "1",
            "--threads",
            "1",
            "--seed",
            "5",
            "-q",
        ])
        .write_stdin(piped_middle)
        .assert()
        .success();
    assert_eq!(vectors(d.path(), "three.fifu"), want);
}

#[test]
fn standard_input_named_twice_or_empty_or_for_the_explorer_is_refused() {
    let d = tempfile::tempdir().unwrap();
    embx()
        .current_dir(d.path())
        .args(["train", "-", "-", "-o", "x.fifu"])
        .write_stdin("a b c\n")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("standard input can be read once"));
    embx()
        .current_dir(d.path())
        .args(["train", "-", "-o", "x.fifu"])
        .write_stdin(" \n\n")
        .assert()
        .failure()
        .stderr(predicate::str::contains("no words"));
    #[cfg(feature = "tui")]
    embx()
        .current_dir(d.path())
        .args(["train", "-", "--tui"])
        .write_stdin("a b c\n")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("reads its corpus from files"));
    assert!(!d.path().join("x.fifu").exists());
}

#[test]
fn ngram_reads_standard_input_too() {
    let d = tempfile::tempdir().unwrap();
    let out = embx()
        .current_dir(d.path())
        .args(["ngram", "-", "--order", "2", "--next", "the", "-k", "1"])
        .write_stdin("the cat sat\nthe cat ran\nthe dog sat\n".repeat(20))
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success() && stdout.contains("cat"), "{stdout}");
}
