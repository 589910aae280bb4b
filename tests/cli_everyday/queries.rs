//! The query commands: similarity, doesnt-match, rank, analogy, similar, vectors; JSON errors.
use super::support::embx;
use super::{space, stdout};
use predicates::prelude::*;
use serde_json::Value;

#[test]
fn similarity_doesnt_match_and_rank() {
    let d = tempfile::tempdir().unwrap();
    let v = space(d.path());
    let out = stdout(embx().arg("similarity").arg(&v).args(["cat", "car"]));
    assert_eq!(out.lines().next(), Some("0.0000"));
    let out = stdout(
        embx()
            .arg("similarity")
            .arg(&v)
            .args(["new york", "york", "--json"]),
    );
    let j: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(j["a"]["averaged_from"], serde_json::json!(["new", "york"]));
    let out = stdout(embx().arg("similarity").arg(&v).args(["new york", "york"]));
    assert!(out.contains("averaged from new, york"), "{out}");
    let out = stdout(
        embx()
            .arg("doesnt-match")
            .arg(&v)
            .args(["cat", "dog", "lion", "car", "zebra"]),
    );
    assert_eq!(out.lines().next(), Some("car"));
    assert!(out.contains("left out: zebra"), "{out}");
    let out = stdout(embx().arg("rank").arg(&v).args(["cat", "lion", "--json"]));
    let j: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(j["rank"], 2);
    embx()
        .arg("similarity")
        .arg(&v)
        .args(["cat", "zebra"])
        .assert()
        .code(1);
}

#[test]
fn similar_and_vectors_read_stdin_line_by_line() {
    let d = tempfile::tempdir().unwrap();
    let v = space(d.path());
    let out = stdout(
        embx()
            .arg("similar")
            .arg(&v)
            .args(["-", "-k", "2", "--json"])
            .write_stdin("cat\nzebra\n\nnew york\n"),
    );
    let lines: Vec<Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 3, "{out}");
    assert_eq!(lines[0]["results"][0]["word"], "dog");
    assert!(lines[1]["error"].as_str().unwrap().contains("zebra"));
    // The same fields as a failed command's JSON, with the line.
    assert_eq!(lines[1]["kind"], "unknown_word");
    assert_eq!(lines[1]["word"], "zebra");
    assert_eq!(lines[2]["query"], "new york");
    let out = stdout(
        embx()
            .arg("vectors")
            .arg(&v)
            .arg("-")
            .write_stdin("dog\nzebra\ncar\n"),
    );
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines, ["dog 0.9 0.1 0", "car 0 0 1"]);
    let out = stdout(embx().arg("vectors").arg(&v).args(["cat", "--json"]));
    let j: Value = serde_json::from_str(out.trim()).unwrap();
    assert_eq!(j["vector"], serde_json::json!([1.0, 0.0, 0.0]));
}

#[test]
fn k_limits() {
    let d = tempfile::tempdir().unwrap();
    let v = space(d.path());
    embx()
        .arg("similar")
        .arg(&v)
        .args(["cat", "-k", "0"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("at least 1"));
    embx()
        .arg("similar")
        .arg(&v)
        .args(["cat", "-k", "1000000"])
        .assert()
        .success()
        .stderr(predicate::str::contains("showing at most 6"));
}

#[test]
fn analogy_mul_names_its_score() {
    embx()
        .args([
            "analogy", "demo", "man", "king", "woman", "--method", "mul", "-k", "2",
        ])
        .assert()
        .success()
        .stdout(predicate::str::contains("3CosMul").and(predicate::str::contains("cosine").not()));
}

#[test]
fn vectors_prints_every_known_word_and_a_query_may_start_with_a_minus() {
    let d = tempfile::tempdir().unwrap();
    let v = space(d.path());
    let out = embx()
        .arg("vectors")
        .arg(&v)
        .args(["cat", "nope", "dog"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("nope"))
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).unwrap();
    let words: Vec<&str> = text.lines().map(|l| l.split(' ').next().unwrap()).collect();
    assert_eq!(words, ["cat", "dog"]);
    let out = stdout(
        embx()
            .arg("query")
            .arg(&v)
            .args(["-cat", "-k", "1", "--json"]),
    );
    assert!(out.contains("\"car\""), "{out}");
    // gensim's name for -k, and a negative -k reaching embx's own check.
    let out = stdout(
        embx()
            .arg("similar")
            .arg(&v)
            .args(["cat", "--topn", "1", "--json"]),
    );
    let j: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(j["results"].as_array().map(Vec::len), Some(1), "{out}");
    embx()
        .arg("similar")
        .arg(&v)
        .args(["cat", "-k", "-3"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("'-3'").and(predicate::str::contains("not a count")));
}

#[test]
fn similar_reads_a_phrase_as_its_words_mean_on_the_line_and_on_stdin() {
    let d = tempfile::tempdir().unwrap();
    let v = space(d.path());
    let phrase = stdout(embx().arg("similar").arg(&v).args(["new york", "--json"]));
    let words = stdout(
        embx()
            .arg("similar")
            .arg(&v)
            .args(["new", "york", "--json"]),
    );
    let phrase: Value = serde_json::from_str(&phrase).unwrap();
    let words: Value = serde_json::from_str(&words).unwrap();
    assert_eq!(phrase["results"], words["results"]);
    assert_eq!(phrase["excluded"], serde_json::json!(["new", "york"]));
    let phrases = &phrase["averaged_phrases"][0];
    assert_eq!(phrases["averaged_from"], serde_json::json!(["new", "york"]));
    let out = stdout(embx().arg("similar").arg(&v).arg("new york"));
    assert!(out.contains("averaged from new, york"), "{out}");
    // On stdin, double quotes keep a phrase together; the phrase and `cat` weigh the same.
    let out = stdout(
        embx()
            .arg("similar")
            .arg(&v)
            .args(["-", "--json"])
            .write_stdin("\"new york\" cat\n"),
    );
    let j: Value = serde_json::from_str(out.trim()).unwrap();
    let terms: Vec<&str> = j["terms"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["word"].as_str().unwrap())
        .collect();
    assert_eq!(terms, ["new york", "cat"]);
}

#[test]
fn json_commands_give_their_errors_as_json_too() {
    let dir = tempfile::tempdir().unwrap();
    let v = space(dir.path());
    let cases: [(&[&str], i32, &str); 4] = [
        (&["similar", "<v>", "kat", "--json"], 1, "unknown_word"),
        (&["query", "<v>", "cat - (", "--json"], 2, "syntax"),
        (
            &["similarity", "<v>", "cat", "zebra", "--json"],
            1,
            "unknown_word",
        ),
        (&["info", "<missing>", "--json"], 2, "io"),
    ];
    for (args, code, kind) in cases {
        let args: Vec<String> = args
            .iter()
            .map(|a| match *a {
                "<v>" => v.display().to_string(),
                "<missing>" => dir.path().join("nope.bin").display().to_string(),
                a => a.to_string(),
            })
            .collect();
        let out = embx().args(&args).output().unwrap();
        assert_eq!(out.status.code(), Some(code), "{args:?}");
        let json: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(json["kind"], kind, "{args:?}: {json}");
        assert!(json["error"].as_str().unwrap().len() > 5);
        // People still read stderr.
        assert!(String::from_utf8_lossy(&out.stderr).contains("embx: "));
    }
    // An unknown word carries the word and the suggestions.
    let out = embx()
        .args(["similar"])
        .arg(&v)
        .args(["kat", "--json"])
        .output()
        .unwrap();
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["word"], "kat");
    assert!(
        json["suggestions"]
            .as_array()
            .unwrap()
            .contains(&"cat".into()),
        "{json}"
    );
    // Without --json stdout stays empty.
    let out = embx()
        .args(["similar"])
        .arg(&v)
        .arg("kat")
        .output()
        .unwrap();
    assert!(out.stdout.is_empty());
}
