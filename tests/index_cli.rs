//! `embx index` and the use of the index by the query commands, through the real binary.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test code: a failed unwrap is a failed test"
)]
mod support;
use predicates::prelude::*;
use std::path::{Path, PathBuf};
use support::embx;

/// A GloVe text file of `rows` pseudo-random 8-d vectors named w0, w1, ….
fn random_file(dir: &Path, rows: usize, seed: u64) -> PathBuf {
    let mut state = seed;
    let mut text = String::new();
    for r in 0..rows {
        text.push_str(&format!("w{r}"));
        for _ in 0..8 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            text.push_str(&format!(" {:.5}", (state % 2001) as f64 / 1000.0 - 1.0));
        }
        text.push('\n');
    }
    let p = dir.join("v.txt");
    std::fs::write(&p, text).unwrap();
    p
}

fn stdout_of(args: &[&str]) -> String {
    let out = embx().args(args).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn index_is_built_used_bypassed_and_detected_stale() {
    let dir = tempfile::tempdir().unwrap();
    let f = random_file(dir.path(), 1500, 7);
    let fs = f.to_str().unwrap();
    embx()
        .args(["index", fs, "--ef-construction", "200"])
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "built the HNSW index of 1,500 words",
        ));
    assert!(dir.path().join("v.txt.embx-hnsw").exists());
    let info = stdout_of(&["info", fs]);
    assert!(
        info.contains("index        HNSW, ") && info.contains("v.txt.embx-hnsw"),
        "{info}"
    );
    embx()
        .args(["similar", fs, "w3"])
        .assert()
        .success()
        .stderr(
            predicate::str::contains("used the HNSW index")
                .and(predicate::str::contains("approximate")),
        );
    // 3CosMul scans every word, and a query that fails used nothing: no claim either way.
    embx()
        .args(["analogy", fs, "w1", "w2", "w3", "--method", "mul"])
        .assert()
        .success()
        .stderr(predicate::str::contains("HNSW").not());
    embx()
        .args(["query", fs, "w1 - nosuchword"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("HNSW").not());
    embx()
        .args(["similar", fs, "w3", "--exact"])
        .assert()
        .success()
        .stderr(predicate::str::contains("HNSW").not());
    // A wide search over a small graph finds the exact answer.
    let exact = stdout_of(&["similar", fs, "w3", "--exact", "--json"]);
    let indexed = stdout_of(&["similar", fs, "w3", "--json"]);
    let json = |s: &str| serde_json::from_str::<serde_json::Value>(s).unwrap();
    let (mut exact, mut indexed) = (json(&exact), json(&indexed));
    // The JSON says which way, and whether the answer is approximate.
    assert_eq!(exact["search"], "exact");
    assert_eq!(exact["approximate"], false);
    assert_eq!(indexed["search"], "hnsw");
    assert_eq!(indexed["approximate"], true);
    for v in [&mut exact, &mut indexed] {
        let o = v.as_object_mut().unwrap();
        o.remove("search");
        o.remove("approximate");
    }
    assert_eq!(exact, indexed);
    let words = dir.path().join("words.txt");
    let list: Vec<String> = (0..1500).step_by(37).map(|i| format!("w{i}")).collect();
    std::fs::write(&words, list.join("\n")).unwrap();
    let ws = words.to_str().unwrap();
    let m = stdout_of(&["index", fs, "--measure", ws, "--ef", "1500"]);
    assert!(
        m.starts_with("recall@10 1.000 on 41 words (ef 1500); index "),
        "{m}"
    );
    assert!(m.contains(" ms a query (median), exact scan "), "{m}");
    measured_as_json(fs, ws);
    // Changing the vectors makes the index stale: ignored, with a warning.
    std::thread::sleep(std::time::Duration::from_millis(20));
    random_file(dir.path(), 1500, 8);
    embx()
        .args(["similar", fs, "w3"])
        .assert()
        .success()
        .stderr(predicate::str::contains("ignoring the stale index"));
    let info = stdout_of(&["info", fs]);
    assert!(info.contains("index        stale: "), "{info}");
}

/// `index --measure --json`: one object with the index and the measurement; words the
/// vectors lack are counted, and a file without any is refused before a build.
fn measured_as_json(fs: &str, ws: &str) {
    let words = std::fs::read_to_string(ws).unwrap();
    std::fs::write(ws, format!("{words}\nnot-a-word\n\n")).unwrap();
    let v: serde_json::Value =
        serde_json::from_str(&stdout_of(&["index", fs, "--measure", ws, "--json"])).unwrap();
    assert!(
        v["index"].as_str().unwrap().ends_with("v.txt.embx-hnsw"),
        "{v}"
    );
    assert_eq!(v["words"], 1500);
    // Up to date: measured, not rebuilt.
    assert!(v["built"].is_null(), "{v}");
    let m = &v["measure"];
    assert_eq!(
        (m["words"].as_u64(), m["missing"].as_u64()),
        (Some(41), Some(1))
    );
    assert_eq!(m["ef"], 128);
    assert!(m["recall10"].as_f64().unwrap() > 0.9, "{v}");
    for k in [
        "index_median_ms",
        "exact_median_ms",
        "exact_first_ms",
        "threads",
    ] {
        assert!(m[k].as_f64().is_some(), "{k}: {v}");
    }
    // The person's form says which words were left out.
    embx()
        .args(["index", fs, "--measure", ws])
        .assert()
        .success()
        .stderr(predicate::str::contains("1 of the 42 words of "));
    std::fs::write(ws, "nothing\nhere\n").unwrap();
    embx()
        .args(["index", fs, "--measure", ws])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("none of the 2 words of "));
    std::fs::write(ws, words).unwrap();
}

#[test]
fn a_quantized_file_says_its_cosines_are_approximate() {
    let dir = tempfile::tempdir().unwrap();
    let f = random_file(dir.path(), 600, 11);
    let pq = dir.path().join("pq.fifu");
    embx()
        .arg("quantize")
        .arg(&f)
        .arg(&pq)
        .args(["--subquantizers", "4", "--iterations", "5", "-q"])
        .assert()
        .success();
    embx()
        .arg("similar")
        .arg(&pq)
        .arg("w3")
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "product-quantized codes (4 subquantizers",
        ));
    embx()
        .arg("similar")
        .arg(&pq)
        .args(["w3", "--exact"])
        .assert()
        .success()
        .stderr(predicate::str::contains("--exact cannot scan f32 vectors"));
    embx()
        .arg("info")
        .arg(&pq)
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "4 subquantizers × 256 centroids (8 bits)",
        ));
    // Evaluation says the scores are the quantized space's.
    let pairs = dir.path().join("pairs.tsv");
    std::fs::write(&pairs, "w1\tw2\t5\nw3\tw4\t2\nw5\tw6\t9\n").unwrap();
    let eval = stdout_of(&[
        "eval",
        pq.to_str().unwrap(),
        "--pairs",
        pairs.to_str().unwrap(),
        "--json",
    ]);
    assert!(eval.contains("\"quantized\": true"), "{eval}");
    // Codes are neither quantized again nor indexed, and the vectors are never overwritten.
    let refused = |args: &[&std::path::Path], says: &str| {
        embx()
            .args(args)
            .assert()
            .code(2)
            .stderr(predicate::str::contains(says.to_string()));
    };
    let again = dir.path().join("again.fifu");
    refused(
        &["quantize".as_ref(), &pq, &again],
        "already product-quantized",
    );
    assert!(!again.exists());
    refused(&["index".as_ref(), &pq], "index the f32 file instead");
    let fifu = dir.path().join("v.fifu");
    embx().arg("convert").arg(&f).arg(&fifu).assert().success();
    let before = std::fs::read(&fifu).unwrap();
    refused(
        &["quantize".as_ref(), &fifu, &fifu],
        "the output is the input",
    );
    assert_eq!(std::fs::read(&fifu).unwrap(), before);
}

/// The explorer uses the index beside the file, and `embx open FILE --exact` leaves it aside.
#[cfg(feature = "tui")]
#[test]
fn the_explorer_opens_with_or_without_the_index() {
    use embx::tui::{drive, Action, App, Source};
    let dir = tempfile::tempdir().unwrap();
    let f = random_file(dir.path(), 1500, 5);
    embx().arg("index").arg(&f).arg("-q").assert().success();
    for (exact, indexed) in [(false, true), (true, false)] {
        let mut app = App::new("v.txt", false);
        let options = Default::default();
        let path = f.clone();
        drive(
            &mut app,
            Action::Load(Source::File {
                path,
                options,
                exact,
            }),
        );
        let space = app.space.as_ref().expect("opened");
        assert_eq!(space.neighbour_index().is_some(), indexed, "exact {exact}");
    }
    // The option is there, and only with --exact does the explorer skip the index.
    embx()
        .args(["open", "--help"])
        .assert()
        .success()
        .stdout(predicate::str::contains("--exact"));
}
