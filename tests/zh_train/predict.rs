//! `embx predict` on a trained NNLM: next words, generation, held-out checks, the N-gram model.
use super::{chinese, embx, train};
use predicates::prelude::*;
use std::path::{Path, PathBuf};

/// Trains an NNLM on the Chinese lines to `m.fifu`; returns the corpus and the vectors.
fn trained_nnlm(dir: &Path) -> (PathBuf, PathBuf) {
    let c = chinese(dir);
    let out = dir.join("m.fifu");
    // Trained where the corpus is, on its relative name (as the metadata then names it):
    // `predict --ngram` run from elsewhere finds it beside the vectors.
    embx()
        .current_dir(dir)
        .arg("train")
        .arg(c.file_name().unwrap())
        .arg("-o")
        .arg(&out)
        .args([
            "--model", "nnlm", "--order", "3", "--hidden", "16", "--dim", "16",
        ])
        .args([
            "--epochs",
            "10",
            "--min-count",
            "1",
            "--threads",
            "1",
            "--sample",
            "0",
        ])
        .args(["--progress", "none"])
        .assert()
        .success()
        .stderr(predicate::str::contains("m.fifu.nnlm.safetensors"));
    assert!(dir.join("m.fifu.nnlm.safetensors").exists());
    (c, out)
}

/// `embx predict OUT ARGS…` (which must succeed), its stdout read as JSON.
fn predict_json(out: &Path, args: &[&str]) -> serde_json::Value {
    let o = embx().arg("predict").arg(out).args(args).output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    serde_json::from_slice(&o.stdout).unwrap()
}

#[test]
fn predict_gives_the_next_word_of_a_trained_nnlm() {
    let dir = tempfile::tempdir().unwrap();
    let (c, out) = trained_nnlm(dir.path());
    // The context is cut into words as the corpus was (auto-detected Chinese).
    let json = |args: &[&str]| predict_json(&out, args);
    let v = json(&["用户可以打开", "-k", "3", "--json"]);
    assert_eq!(v["context"], serde_json::json!(["用户", "可以", "打开"]));
    assert_eq!(v["next"][0]["word"], "文件", "{v}");
    let g = json(&[
        "在目录中",
        "--generate",
        "2",
        "-k",
        "1",
        "--ngram",
        "--json",
    ]);
    assert_eq!(
        g["ngram"]["generated"],
        serde_json::json!(["创建", "新"]),
        "{g}"
    );
    let p: f64 = v["next"][0]["probability"].as_f64().unwrap();
    assert!(p > 0.3 && p <= 1.0, "{v}");
    // The held-out check beats the unigram model on text like the corpus.
    let h = json(&["--held-out", c.to_str().unwrap(), "--json"]);
    let (ppl, uni) = (
        h["perplexity"].as_f64().unwrap(),
        h["unigram_perplexity"].as_f64().unwrap(),
    );
    assert!(ppl < uni / 2.0, "{h}");
    embx()
        .arg("predict")
        .arg(&out)
        .args(["在目录中", "--generate", "2", "-k", "1"])
        .assert()
        .success()
        .stdout(predicate::str::starts_with("在 目录 中 | 创建 新"));
    embx()
        .arg("predict")
        .arg(&out)
        .args(["在目录中", "--generate", "0"])
        .assert()
        .code(2);
    // No word of the context known: an unknown word (exit 1, as `similar` gives), not an
    // answer for a sentence's start.
    embx()
        .arg("predict")
        .arg(&out)
        .arg("xyz")
        .assert()
        .code(1)
        .stdout("")
        .stderr(predicate::str::contains("unknown word \"xyz\""));
}

#[test]
fn predict_puts_a_kneser_ney_model_beside_the_nnlm() {
    let dir = tempfile::tempdir().unwrap();
    let (c, out) = trained_nnlm(dir.path());
    let json = |args: &[&str]| predict_json(&out, args);
    // Beside the NNLM's held-out check, a Kneser-Ney N-gram model's, counted in the corpus
    // the metadata names, cut into words as training cut it.
    let n = json(&["--held-out", c.to_str().unwrap(), "--ngram", "--json"]);
    assert_eq!(n["ngram"]["order"], 3, "{n}");
    let (kn, uni) = (
        n["ngram"]["perplexity"].as_f64().unwrap(),
        n["unigram_perplexity"].as_f64().unwrap(),
    );
    assert!(kn > 1.0 && kn < uni / 2.0, "{n}");
    // The held-out text is the corpus itself here, and that is found out.
    let seen = &n["ngram"]["held_out_sentences_in_corpus"];
    assert!(
        seen["found"].as_u64() > Some(0) && seen["found"] == seen["of"],
        "{n}"
    );
    // And its next words beside the NNLM's.
    let v = json(&["用户可以打开", "-k", "3", "--ngram", "--json"]);
    assert_eq!(v["ngram"]["next"][0]["word"], "文件", "{v}");
    assert_eq!(v["next"][0]["word"], "文件", "{v}");
    // `--ngram` before the context takes no value: the words are the context.
    assert_eq!(json(&["--ngram", "用户可以打开", "-k", "3", "--json"]), v);
    embx()
        .arg("predict")
        .arg(&out)
        .args(["用户可以打开", "-k", "2", "--ngram"])
        .assert()
        .success()
        .stdout(
            predicate::str::contains("NNLM").and(predicate::str::contains("Kneser-Ney 3-gram")),
        );
    let moved = dir.path().join("moved.txt");
    std::fs::rename(&c, &moved).unwrap();
    embx()
        .arg("predict")
        .arg(&out)
        .args(["--held-out", moved.to_str().unwrap(), "--ngram"])
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("is not there")
                .and(predicate::str::contains("--ngram=CORPUS")),
        );
    embx()
        .arg("predict")
        .arg(&out)
        .args(["--held-out", moved.to_str().unwrap()])
        .arg(format!("--ngram={}", moved.display()))
        .args(["--ngram-order", "2"])
        .assert()
        .success()
        .stdout(
            predicate::str::contains("Kneser-Ney 2-gram")
                .and(predicate::str::contains("perplexity")),
        );
}

#[test]
fn predict_says_what_it_read() {
    let dir = tempfile::tempdir().unwrap();
    let (_, out) = trained_nnlm(dir.path());
    // One answer a line of stdin, an empty line being a sentence's start.
    let o = embx()
        .arg("predict")
        .arg(&out)
        .args(["-", "--json", "-k", "1"])
        .write_stdin("用户\n\n打开\n")
        .output()
        .unwrap();
    let lines: Vec<&str> = std::str::from_utf8(&o.stdout).unwrap().lines().collect();
    assert_eq!(lines.len(), 3, "{lines:?}");
    assert!(lines[1].contains(r#""context":[]"#), "{lines:?}");
    // `info` names the model beside the vectors.
    let info = embx().arg("info").arg(&out).output().unwrap();
    let info = String::from_utf8_lossy(&info.stdout);
    assert!(info.contains("language model  ") && info.contains("m.fifu.nnlm.safetensors"));
    // Fewer words than the order reads are a sentence's start, and the heading says so.
    embx()
        .arg("predict")
        .arg(&out)
        .arg("打开")
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "\"打开\", as a sentence's first words",
        ));
    // Bytes that are not text are refused, naming the file; invalid UTF-8 without NUL bytes
    // is read lossily, and then none of its words is the model's.
    let bin = dir.path().join("bin.dat");
    for (bytes, said) in [
        (
            &[0xffu8, 0xfe, 0x00, 0x81, b'\n', 0xc3][..],
            "bin.dat: byte offset 2: a NUL byte",
        ),
        (
            &[0xff, 0xfe, 0x81, b'\n', 0xc3],
            "no word of it is in the model's vocabulary",
        ),
    ] {
        std::fs::write(&bin, bytes).unwrap();
        embx()
            .arg("predict")
            .arg(&out)
            .arg("用户")
            .arg(format!("--ngram={}", bin.display()))
            .assert()
            .code(2)
            .stderr(predicate::str::contains(said));
    }
    let mixed = dir.path().join("mixed.txt");
    let mut bytes = "用户 可以 zz yy xx ww vv\n".as_bytes().to_vec();
    bytes.extend_from_slice(&[0xff, b'\n']);
    std::fs::write(&mixed, bytes).unwrap();
    embx()
        .arg("predict")
        .arg(&out)
        .arg("用户")
        .arg(format!("--ngram={}", mixed.display()))
        .assert()
        .success()
        .stderr(
            predicate::str::contains("invalid UTF-8")
                .and(predicate::str::contains("of the words of"))
                .and(predicate::str::contains("was counted in")),
        );
}

#[test]
fn predict_refuses_models_that_do_not_belong() {
    let dir = tempfile::tempdir().unwrap();
    let (c, out) = trained_nnlm(dir.path());
    // Vectors without a language model: the reason, not a crash.
    let sg = dir.path().join("sg.fifu");
    train(&c, &sg, &[]).success();
    embx()
        .arg("predict")
        .arg(&sg)
        .arg("用户")
        .assert()
        .failure()
        .stderr(
            predicate::str::contains("sg.fifu.nnlm.safetensors is missing")
                .and(predicate::str::contains("--model nnlm")),
        );
    // A corpus given by mistake is named as no vector file.
    embx()
        .arg("predict")
        .arg(&c)
        .arg("用户")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("not a vector file"));
    // A model left beside other vectors is refused, not trusted.
    let model = dir.path().join("m.fifu.nnlm.safetensors");
    std::fs::copy(&model, dir.path().join("sg.fifu.nnlm.safetensors")).unwrap();
    embx()
        .arg("predict")
        .arg(&sg)
        .arg("用户")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("does not belong to"));
    // Training other vectors over the NNLM's takes its stale model away.
    train(&c, &out, &[])
        .success()
        .stderr(predicate::str::contains("removed"));
    assert!(!model.exists());
    // A misspelt vectors file is not found, even when a model of that stem exists.
    embx()
        .arg("predict")
        .arg(dir.path().join("sg.fifo"))
        .arg("用户")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("No such file"));
}

/// An NNLM trained with `--user-dict` cuts contexts with the same dictionary (the metadata
/// names it), and says so when the dictionary is gone.
#[test]
fn predict_cuts_contexts_with_the_training_user_dictionary() {
    let dir = tempfile::tempdir().unwrap();
    let c = chinese(dir.path());
    let dict = dir.path().join("dict.txt");
    std::fs::write(&dict, "用户权限 100 n\n").unwrap();
    let out = dir.path().join("u.fifu");
    // Trained where the dictionary is, on its relative name (as the metadata then names it).
    embx()
        .current_dir(dir.path())
        .arg("train")
        .arg(&c)
        .arg("-o")
        .arg(&out)
        .args([
            "--model", "nnlm", "--order", "3", "--hidden", "8", "--dim", "8",
        ])
        .args(["--epochs", "1", "--min-count", "1", "--threads", "1"])
        .args(["--user-dict", "dict.txt", "--progress", "none"])
        .assert()
        .success();
    embx()
        .args(["info", "--json"])
        .arg(&out)
        .assert()
        .success()
        .stdout(predicate::str::contains("user_dict"));
    // Asked from elsewhere, the dictionary is found beside the model.
    let v = predict_json(&out, &["需要用户权限", "--json"]);
    assert_eq!(v["context"], serde_json::json!(["需要", "用户权限"]));
    let moved = dir.path().join("moved.txt");
    std::fs::rename(&dict, &moved).unwrap();
    let o = embx()
        .arg("predict")
        .arg(&out)
        .arg("需要用户权限")
        .output()
        .unwrap();
    assert!(o.status.success());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("not there now"), "{err}");
    let v = predict_json(&out, &["需要用户权限", "--json"]);
    assert_eq!(v["context"], serde_json::json!(["需要", "用户", "权限"]));
    // --user-dict gives it by hand.
    let m = moved.to_str().unwrap();
    let v = predict_json(&out, &["需要用户权限", "--json", "--user-dict", m]);
    assert_eq!(v["context"], serde_json::json!(["需要", "用户权限"]));
}
