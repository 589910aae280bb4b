//! `embx train --segment zh|auto` and `--model nnlm` through the real binary.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test code: a failed unwrap is a failed test"
)]
#![cfg(feature = "zh")]

mod notes;
mod predict;

use assert_cmd::Command;
use predicates::prelude::*;
use std::path::{Path, PathBuf};

fn embx() -> Command {
    Command::cargo_bin("embx").unwrap()
}

/// Chinese lines without spaces, built from a few words, plus Latin tokens.
fn chinese(dir: &Path) -> PathBuf {
    let lines = [
        "用户可以打开文件和目录",
        "打开网络连接需要用户权限",
        "在目录中创建新的文件",
        "网络管理员管理用户和网络",
        "使用 apt-get 安装软件包",
    ];
    let text: String = (0..200)
        .map(|i| format!("{}\n", lines[i % lines.len()]))
        .collect();
    let p = dir.join("zh.txt");
    std::fs::write(&p, text).unwrap();
    p
}

fn words_of(vec_file: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(vec_file).unwrap();
    text.lines()
        .skip(1)
        .filter_map(|l| l.split(' ').next().map(str::to_string))
        .collect()
}

fn train(corpus: &Path, out: &Path, extra: &[&str]) -> assert_cmd::assert::Assert {
    embx()
        .arg("train")
        .arg(corpus)
        .arg("-o")
        .arg(out)
        .args([
            "--dim",
            "8",
            "--epochs",
            "1",
            "--min-count",
            "1",
            "--threads",
            "1",
        ])
        .args(["--progress", "none"])
        .args(extra)
        .assert()
}

#[test]
fn segment_zh_and_auto_give_words_not_lines() {
    let dir = tempfile::tempdir().unwrap();
    let c = chinese(dir.path());
    // auto is the default: Chinese text is cut without being asked.
    for mode in ["zh", "auto", "default"] {
        let out = dir.path().join(format!("{mode}.vec"));
        let asked: &[&str] = if mode == "default" {
            &[]
        } else {
            &["--segment", mode]
        };
        train(&c, &out, asked).success();
        let words = words_of(&out);
        for w in ["用户", "打开", "文件", "目录", "网络", "apt-get"] {
            assert!(
                words.iter().any(|x| x == w),
                "{mode}: {w} missing from {words:?}"
            );
        }
        // Words, not lines: no Chinese token is longer than five characters here.
        let has_han = |w: &String| w.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
        assert!(
            !words.iter().any(|w| has_han(w) && w.chars().count() > 5),
            "{words:?}"
        );
    }
    // The metadata says what was done, and that auto chose it.
    let out = dir.path().join("auto.fifu");
    train(&c, &out, &[]).success();
    let info = embx().arg("info").arg(&out).output().unwrap();
    let info = String::from_utf8_lossy(&info.stdout);
    assert!(info.contains("segment = \"zh\""), "{info}");
    assert!(info.contains("segment_asked = \"auto\""), "{info}");
    // Without segmentation a line is one word.
    let out = dir.path().join("off.vec");
    train(&c, &out, &["--segment", "off"]).success();
    assert!(words_of(&out).iter().any(|w| w == "用户可以打开文件和目录"));
}

#[test]
fn chinese_on_standard_input_is_found_and_cut() {
    let dir = tempfile::tempdir().unwrap();
    let c = chinese(dir.path());
    let (file, piped) = (dir.path().join("file.vec"), dir.path().join("piped.vec"));
    train(&c, &file, &[]).success();
    // `--segment auto` looks at the start of standard input, then reads all of it.
    embx()
        .current_dir(dir.path())
        .args([
            "train",
            "-",
            "-o",
            "piped.vec",
            "--dim",
            "8",
            "--epochs",
            "1",
        ])
        .args(["--threads", "1", "--min-count", "1", "--progress", "none"])
        .write_stdin(std::fs::read(&c).unwrap())
        .assert()
        .success()
        .stderr(predicates::str::contains("Chinese text found"));
    assert_eq!(words_of(&piped), words_of(&file));
}

#[test]
fn user_dictionary_and_its_errors() {
    let dir = tempfile::tempdir().unwrap();
    let c = chinese(dir.path());
    let dict = dir.path().join("dict.txt");
    // jieba alone cuts 用户权限 into 用户 + 权限.
    let out = dir.path().join("plain.vec");
    train(&c, &out, &["--segment", "zh"]).success();
    assert!(!words_of(&out).iter().any(|w| w == "用户权限"));
    std::fs::write(&dict, "用户权限 100 n\n").unwrap();
    let out = dir.path().join("u.vec");
    train(
        &c,
        &out,
        &["--segment", "zh", "--user-dict", dict.to_str().unwrap()],
    )
    .success();
    assert!(words_of(&out).iter().any(|w| w == "用户权限"));
    std::fs::write(&dict, "用户权限 many\n").unwrap();
    train(
        &c,
        &out,
        &["--segment", "zh", "--user-dict", dict.to_str().unwrap()],
    )
    .code(2)
    .stderr(predicate::str::contains("dict.txt:1"));
}

#[test]
fn nnlm_trains_and_records_its_shape() {
    let dir = tempfile::tempdir().unwrap();
    let c = chinese(dir.path());
    let out = dir.path().join("nnlm.fifu");
    train(
        &c,
        &out,
        &[
            "--segment",
            "zh",
            "--model",
            "nnlm",
            "--order",
            "3",
            "--hidden",
            "8",
        ],
    )
    .success()
    .stderr(predicate::str::contains("trained"));
    embx().arg("info").arg(&out).assert().success().stdout(
        predicate::str::contains("nnlm")
            .and(predicate::str::contains("hidden"))
            .and(predicate::str::contains("embx train (NNLM)")),
    );
    // word2vec's output layers and subwords are refused, not ignored and recorded.
    for flag in [
        &["--loss", "hs"][..],
        &["--subwords"],
        &["--shared-negatives"],
        &["--window", "3"],
    ] {
        let args = [&["--model", "nnlm"][..], flag].concat();
        train(&c, &dir.path().join("x.vec"), &args)
            .code(2)
            .stderr(predicate::str::contains(flag[0]).and(predicate::str::contains("nnlm")));
    }
    // The NNLM's shape without the NNLM is a mistake, not silently ignored.
    train(&c, &dir.path().join("x.vec"), &["--order", "3"])
        .code(2)
        .stderr(predicate::str::contains("--model nnlm"));
    train(
        &c,
        &dir.path().join("x.vec"),
        &["--model", "nnlm", "--order", "1"],
    )
    .code(2);
}

/// `embx ngram --user-dict` keeps the dictionary's words whole in the counted text, in the
/// context asked about, and when asking an ARPA file written from it.
#[test]
fn ngram_user_dictionary_cuts_text_and_context_alike() {
    let dir = tempfile::tempdir().unwrap();
    let c = chinese(dir.path());
    let dict = dir.path().join("dict.txt");
    std::fs::write(&dict, "用户权限 100 n\n").unwrap();
    let arpa = dir.path().join("zh.arpa");
    let ask = |model: &Path, extra: &[&str]| -> serde_json::Value {
        let out = embx()
            .arg("ngram")
            .arg(model)
            .args(["--next", "需要用户权限", "--json"])
            .args(extra)
            .output()
            .unwrap();
        assert!(out.status.success(), "{out:?}");
        serde_json::from_slice(&out.stdout).unwrap()
    };
    let plain = ask(&c, &[]);
    assert_eq!(
        plain["context"],
        serde_json::json!(["需要", "用户", "权限"])
    );
    let d = dict.to_str().unwrap();
    let with = ask(&c, &["--user-dict", d, "-o", arpa.to_str().unwrap()]);
    assert_eq!(with["context"], serde_json::json!(["需要", "用户权限"]));
    assert_eq!(with["unknown"], serde_json::json!([]));
    assert_eq!(with["next"]["words"][0]["word"], "</s>", "{with}");
    // The ARPA file knows the word; its contexts are cut with the same dictionary.
    let from_arpa = ask(&arpa, &["--user-dict", d]);
    assert_eq!(from_arpa["context"], with["context"]);
    assert_eq!(from_arpa["next"]["words"][0]["word"], "</s>");
    // A missing dictionary is an error, not silently ignored.
    embx()
        .arg("ngram")
        .arg(&c)
        .args(["--user-dict", "no-such-dict.txt"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no-such-dict.txt"));
}
