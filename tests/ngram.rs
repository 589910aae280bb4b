//! `embx ngram` through the real binary: a Kneser-Ney model of a small text, the ARPA file
//! it writes, read back, and the held-out check.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test code: a failed unwrap is a failed test"
)]
mod support;
use predicates::prelude::*;
use std::path::Path;
use support::embx;

#[test]
fn ngram_predicts_samples_scores_and_writes_arpa() {
    let dir = tempfile::tempdir().unwrap();
    let text = "the cat sat\nthe cat ran\nthe dog sat\n".repeat(20);
    let c = support::write(dir.path(), "c.txt", text);
    let held = support::write(dir.path(), "h.txt", "the cat sat\n\nthe zebra sat\n");
    let arpa = dir.path().join("m.arpa");
    let run = |args: &[&str]| {
        let out = embx().arg("ngram").arg(&c).args(args).output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    let next = run(&["--order", "2", "--next", "the", "-k", "2"]);
    let lines: Vec<&str> = next.lines().collect();
    assert_eq!(lines[0], "next word after \"the\"");
    assert!(
        lines[1].contains("cat") && lines[2].contains("dog"),
        "{next}"
    );
    // Fewer words than a trigram model reads are a sentence's first; an unknown word starts no
    // n-gram, and stderr names it.
    let first = run(&["--order", "3", "--next", "the", "-k", "1"]);
    assert!(first.starts_with("next word after \"the\", as a sentence's first words"));
    let out = embx()
        .arg("ngram")
        .arg(&c)
        .args(["--order", "2", "--next", "Zebra", "-k", "1"])
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(
        said.starts_with("next word after an unknown word"),
        "{said}"
    );
    let warned = String::from_utf8_lossy(&out.stderr);
    assert!(
        warned.contains("not in the vocabulary") && warned.contains("Zebra"),
        "{warned}"
    );
    // After "sat" the sentence ends.
    let end = run(&["--order", "2", "--next", "the cat sat", "-k", "1"]);
    assert!(end.contains("</s> (end of sentence)"), "{end}");
    // 20 words drawn: a sentence ends where the model ends it, and the next one begins.
    let g = run(&["--order", "2", "--generate", "20", "--seed", "5"]);
    assert!(
        g.starts_with("(sentence start) | the ") && g.contains(" </s> "),
        "{g}"
    );
    let drawn = g.lines().next().unwrap().split(" | ").nth(1).unwrap();
    let drawn: Vec<&str> = drawn.split(' ').filter(|w| *w != "…").collect();
    assert_eq!(drawn.len(), 20, "{g}");
    // After </s> the context is a sentence's start again: the likeliest first word is "the"
    // (read after </s> as a context, the 1-grams would give "sat" or "</s>").
    let g = run(&["--order", "2", "--generate", "8", "-k", "1"]);
    assert!(
        g.starts_with("(sentence start) | the cat sat </s> the cat sat </s>"),
        "{g}"
    );
    // Held-out scores count the sentence ends; the unknown word is not predicted.
    let h = run(&["--order", "2", "--held-out", held.to_str().unwrap()]);
    assert!(
        h.contains("8 predictions, 3 sentence ends among them (words outside the vocabulary, not predicted: 1)"),
        "{h}"
    );
    assert!(h.contains("perplexity"), "{h}");
    // The ARPA file: its header counts the n-grams (5 words, </s>, <unk> and <s>).
    run(&["--order", "2", "-o", arpa.to_str().unwrap()]);
    let written = std::fs::read_to_string(&arpa).unwrap();
    assert!(
        written.starts_with("\\data\\\nngram 1=8\nngram 2="),
        "{written}"
    );
    assert!(written.contains("\t<s> the") && written.trim_end().ends_with("\\end\\"));
    // A corpus that is not there: an error naming it, and no output.
    embx()
        .args(["ngram", "nope.txt", "-o"])
        .arg(dir.path().join("x.arpa"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("nope.txt"));
    assert!(!dir.path().join("x.arpa").exists());
}

/// `embx ngram MODEL.arpa`: the ARPA file it wrote, read back, answers as the text's model
/// did; counting options are refused, and a broken file names its line.
#[test]
fn ngram_reads_an_arpa_file_back() {
    let dir = tempfile::tempdir().unwrap();
    let text = "the cat sat\nthe cat ran\nthe dog sat\n".repeat(20);
    let c = support::write(dir.path(), "c.txt", text);
    let held = support::write(dir.path(), "h.txt", "the cat sat\n\nthe zebra sat\n");
    let arpa = dir.path().join("m.arpa");
    let ask = |model: &std::path::Path, args: &[&str]| {
        let out = embx().arg("ngram").arg(model).args(args).output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr).to_string();
        assert!(out.status.success(), "{err}");
        (String::from_utf8(out.stdout).unwrap(), err)
    };
    ask(&c, &["--order", "3", "-o", arpa.to_str().unwrap()]);
    let (from_arpa, said) = ask(&arpa, &["--next", "the cat"]);
    assert!(
        said.contains("ARPA back-off 3-gram model") && said.contains("5 words besides"),
        "{said}"
    );
    let (from_text, _) = ask(&c, &["--order", "3", "--next", "the cat"]);
    assert_eq!(from_arpa, from_text);
    // A sentence mark written in the context starts the sentence there.
    assert_eq!(ask(&arpa, &["--next", "<s> the cat"]).0, from_text);
    assert_eq!(ask(&arpa, &["--next", "dog sat </s> the cat"]).0, from_text);
    // Gzip-compressed, as ARPA files are often kept.
    let gz = dir.path().join("m.arpa.gz");
    let mut z = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    std::io::Write::write_all(&mut z, &std::fs::read(&arpa).unwrap()).unwrap();
    std::fs::write(&gz, z.finish().unwrap()).unwrap();
    assert_eq!(ask(&gz, &["--next", "the cat"]).0, from_text);
    let h = held.to_str().unwrap();
    let perplexity = |out: &str| {
        let line = out.lines().find(|l| l.starts_with("perplexity")).unwrap();
        line.split_whitespace().nth(1).unwrap().to_string()
    };
    let (a, _) = ask(&arpa, &["--held-out", h]);
    let (t, _) = ask(&c, &["--order", "3", "--held-out", h]);
    assert_eq!(perplexity(&a), perplexity(&t), "{a}\n{t}");
    assert!(a.contains("not predicted: 1"), "{a}");
    let (g, _) = ask(&arpa, &["--generate", "20", "--seed", "5"]);
    assert!(g.contains(" </s> "), "{g}");
    // --json: one object, the same answers as the text.
    let (j, _) = ask(&arpa, &["--next", "the cat", "--held-out", h, "--json"]);
    let j: serde_json::Value = serde_json::from_str(&j).unwrap();
    assert_eq!(j["model"]["source"], "arpa");
    assert_eq!(j["model"]["order"], 3);
    assert_eq!(j["model"]["words"], 5);
    assert_eq!(j["next"]["words"][0]["word"], "sat", "{j}");
    assert_eq!(j["next"]["sentence_start"], false); // "the cat" fills the 3-gram's context
    assert_eq!(j["held_out"]["unknown"], 1);
    let p = j["held_out"]["perplexity"].as_f64().unwrap();
    assert_eq!(format!("{p:.2}"), perplexity(&a));
    // An ARPA file among texts is not counted as text.
    embx()
        .arg("ngram")
        .arg(&c)
        .arg(&arpa)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("is an ARPA model, not text"));
    embx()
        .arg("ngram")
        .arg(&arpa)
        .args(["--order", "2"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--order is for counting a text"));
    let broken = support::write(
        dir.path(),
        "b.arpa",
        "\\data\\\nngram 1=3\n\n\\1-grams:\n-1\t<s>\n",
    );
    embx()
        .arg("ngram")
        .arg(&broken)
        .args(["--next", "the"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "b.arpa:5: the file ends inside \\1-grams:",
        ));
}

/// A file named as ARPA is read as ARPA, and refused with the reason, not counted as text.
#[test]
fn ngram_refuses_a_text_named_as_arpa() {
    let dir = tempfile::tempdir().unwrap();
    let text_named_arpa = support::write(dir.path(), "t.arpa", "the cat sat\n");
    embx()
        .arg("ngram")
        .arg(&text_named_arpa)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("not an ARPA file"));
}

/// A run that diverges (too large a learning rate) is refused, not saved with NaN rows.

#[test]
fn ngram_warns_when_the_held_out_text_is_in_the_corpus() {
    let dir = tempfile::tempdir().unwrap();
    let text = "the cat sat on the mat today\nthe dog ran to the park at noon\n".repeat(20);
    let c = support::write(dir.path(), "c.txt", text);
    let inside = support::write(dir.path(), "in.txt", "the cat sat on the mat today\n");
    let outside = support::write(dir.path(), "out.txt", "the dog sat on the mat at noon\n");
    let run = |held: &Path| {
        let out = embx()
            .arg("ngram")
            .arg(&c)
            .args(["--order", "3", "--json", "--held-out"])
            .arg(held)
            .output()
            .unwrap();
        assert!(out.status.success());
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        v["held_out"]["sentences_in_corpus"]["found"]
            .as_u64()
            .unwrap()
    };
    assert_eq!(run(&inside), 1);
    assert_eq!(run(&outside), 0);
    let out = embx()
        .arg("ngram")
        .arg(&c)
        .args(["--order", "3", "--held-out"])
        .arg(&inside)
        .output()
        .unwrap();
    let warned = String::from_utf8_lossy(&out.stderr);
    assert!(
        warned.contains("1 of the 1 held-out sentences of 5 words or more are in the corpus"),
        "{warned}"
    );
}

#[test]
fn an_arpa_file_is_not_held_out_text() {
    let dir = tempfile::tempdir().unwrap();
    let c = support::write(dir.path(), "c.txt", "the cat sat\nthe dog ran\n".repeat(10));
    let arpa = dir.path().join("m.arpa");
    embx()
        .arg("ngram")
        .arg(&c)
        .args(["-q", "-o"])
        .arg(&arpa)
        .assert()
        .success();
    // Refused for a text or a model alike, before any counting.
    for model in [&c, &arpa] {
        embx()
            .arg("ngram")
            .arg(model)
            .arg("--held-out")
            .arg(&arpa)
            .assert()
            .code(2)
            .stderr(predicates::str::contains("not text to score"));
    }
}
