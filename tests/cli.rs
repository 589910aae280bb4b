//! The command line, run as a user would: through the real binary.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test code: a failed unwrap is a failed test"
)]
mod support;
use assert_cmd::Command;
use predicates::prelude::*;
use std::io::Read;
use std::path::Path;
use std::process::Stdio;

fn embx() -> Command {
    Command::cargo_bin("embx").unwrap()
}

use support::write;

/// A small GloVe text file with CJK words and a known geometry.
fn cjk_space(dir: &Path) -> std::path::PathBuf {
    write(
        dir,
        "cjk.txt",
        "巴黎 1.0 0.0 1.0\n法国 1.0 0.0 0.0\n北京 0.0 1.0 1.0\n中国 0.0 1.0 0.0\nparis 0.9 0.1 1.0\n",
    )
}

#[test]
fn similar_on_the_demo_space() {
    embx()
        .args(["similar", "demo", "king", "-k", "5"])
        .assert()
        .success()
        .stdout(predicate::str::contains("prince").and(predicate::str::contains("queen")));
}

#[test]
fn analogy_on_the_demo_space_finds_queen() {
    let out = embx()
        .args([
            "analogy", "demo", "man", "king", "woman", "-k", "3", "--json",
        ])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(v["results"][0]["word"], "queen");
    assert_eq!(v["results"].as_array().unwrap().len(), 3);
    let excluded: Vec<_> = v["excluded"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w.as_str().unwrap())
        .collect();
    for w in ["man", "king", "woman"] {
        assert!(excluded.contains(&w));
    }
}

#[test]
fn expression_query_and_syntax_errors() {
    embx()
        .args(["query", "demo", "king - man + woman", "-k", "1"])
        .assert()
        .success()
        .stdout(predicate::str::contains("queen"));
    embx()
        .args(["query", "demo", "king + * man"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("column"));
}

#[test]
fn unknown_word_exits_1_with_suggestions() {
    embx()
        .args(["similar", "demo", "kingg"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("unknown word").and(predicate::str::contains("king")));
}

#[test]
fn info_describes_the_demo() {
    let out = embx()
        .args(["info", "demo", "--json"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(v["words"], 50000);
    assert_eq!(v["dims"], 50);
    assert_eq!(v["format"], "fifu");
    assert!(v["metadata"].as_str().unwrap().contains("GloVe"));
    embx()
        .args(["info", "demo"])
        .assert()
        .success()
        .stdout(predicate::str::contains("dimensions").and(predicate::str::contains("50000")));
}

#[test]
fn cjk_words_align_in_tables() {
    let dir = tempfile::tempdir().unwrap();
    let f = cjk_space(dir.path());
    let out = embx()
        .args(["similar", f.to_str().unwrap(), "巴黎", "-k", "4"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).unwrap();
    let rows: Vec<&str> = text.lines().skip(1).collect();
    let col = |l: &str| {
        let idx = l.rfind(' ').unwrap();
        unicode_width::UnicodeWidthStr::width(&l[..idx])
    };
    assert!(rows.len() >= 4, "{text}");
    let first = col(rows[1]);
    for r in &rows[1..] {
        assert_eq!(col(r), first, "misaligned:\n{text}");
    }
    embx()
        .args([
            "analogy",
            f.to_str().unwrap(),
            "巴黎",
            "法国",
            "北京",
            "-k",
            "1",
        ])
        .assert()
        .success()
        .stdout(predicate::str::contains("中国"));
}

#[test]
fn convert_round_trip_through_every_writable_format() {
    let dir = tempfile::tempdir().unwrap();
    let src = cjk_space(dir.path());
    let mut prev = src.clone();
    for (name, to) in [
        ("a.fifu", "fifu"),
        ("b.bin", "word2vec"),
        ("c.txt", "word2vec-text"),
        ("d.vec", "fasttext-vec"),
        ("e.glove", "glove"),
    ] {
        let out = dir.path().join(name);
        embx()
            .args([
                "convert",
                prev.to_str().unwrap(),
                out.to_str().unwrap(),
                "--to",
                to,
                "-q",
            ])
            .assert()
            .success();
        let info = embx()
            .args(["info", out.to_str().unwrap(), "--json"])
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        let v: serde_json::Value = serde_json::from_slice(&info).unwrap();
        assert_eq!(v["words"], 5, "{name}");
        assert_eq!(v["dims"], 3, "{name}");
        prev = out;
    }
    let back = std::fs::read_to_string(&prev).unwrap();
    let first: Vec<&str> = back.lines().next().unwrap().split(' ').collect();
    assert_eq!(first[0], "巴黎");
    let vals: Vec<f32> = first[1..].iter().map(|s| s.parse().unwrap()).collect();
    for (a, b) in vals.iter().zip([1.0f32, 0.0, 1.0]) {
        assert!((a - b).abs() < 1e-5, "{vals:?}");
    }
}

#[test]
fn convert_chooses_the_output_format_as_train_does() {
    // From the extension (.txt → word2vec text; none → finalfusion), as `train -o` does;
    // an extension that names no format is refused (tests/cli_everyday/).
    let dir = tempfile::tempdir().unwrap();
    let src = cjk_space(dir.path());
    let out = dir.path().join("x.txt");
    embx()
        .args(["convert", src.to_str().unwrap(), out.to_str().unwrap()])
        .assert()
        .success();
    assert!(std::fs::read_to_string(&out).unwrap().starts_with("5 3\n"));
    let out = dir.path().join("x");
    embx()
        .args(["convert", src.to_str().unwrap(), out.to_str().unwrap()])
        .assert()
        .success();
    assert!(std::fs::read(&out).unwrap().starts_with(b"FiFu"));
}

#[test]
fn bad_input_exits_2_naming_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let f = write(dir.path(), "bad.txt", "a 1 2 3\nb 1 2\nc 1 2 3\n");
    embx()
        .args(["info", f.to_str().unwrap()])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("bad.txt:2"));
    let empty = write(dir.path(), "empty.txt", "");
    embx()
        .args(["info", empty.to_str().unwrap()])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("empty.txt").and(predicate::str::contains("empty")));
    embx()
        .args(["info", dir.path().join("missing.vec").to_str().unwrap()])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("missing.vec"));
    embx()
        .args(["info", dir.path().to_str().unwrap()])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("directory"));
}

#[test]
fn warnings_name_the_file_and_quiet_hides_them() {
    let dir = tempfile::tempdir().unwrap();
    let f = write(dir.path(), "dup.txt", "a 1 0\nb 0 1\na 1 1\n");
    embx()
        .args(["info", f.to_str().unwrap()])
        .assert()
        .success()
        .stderr(predicate::str::contains("warning: ").and(predicate::str::contains("dup.txt:3")));
    embx()
        .args(["info", "-q", f.to_str().unwrap()])
        .assert()
        .success()
        .stderr(predicate::str::is_empty());
}

#[test]
fn a_closed_pipe_ends_quietly() {
    let bin = assert_cmd::cargo::cargo_bin("embx");
    let mut child = std::process::Command::new(bin)
        .args(["similar", "demo", "king", "-k", "40000"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let mut first = [0u8; 16];
    stdout.read_exact(&mut first).unwrap();
    drop(stdout);
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{:?}", out.status);
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Ctrl-C during a long convert: exit 130 and no output or temporary file left behind.
///
/// Deterministic: the test waits for a temporary file, freezes the convert with SIGSTOP, and
/// sends SIGINT only when the frozen process has written less than half of the output (so it
/// is provably before the end of the write). An attempt that finds the write already done is
/// retried, and the test fails if no attempt lands before it. Two moments are caught:
/// - the first temporary file seen, often `check_target`'s empty probe, made before the long
///   work starts, where the signal handler itself removes the files and exits (a file made but
///   not yet listed was once left behind there);
/// - a temporary file holding data, in the middle of the write, where the write's progress
///   check sees the interrupt and the write cleans up after itself.
#[cfg(unix)]
#[test]
fn interrupted_convert_leaves_no_partial_file() {
    let dir = tempfile::tempdir().unwrap();
    let (rows, dim) = (150_000usize, 50usize);
    let mut bin = format!("{rows} {dim}\n").into_bytes();
    for r in 0..rows {
        bin.extend_from_slice(format!("w{r} ").as_bytes());
        for d in 0..dim {
            bin.extend_from_slice(&(((r * 31 + d * 7) % 97) as f32 / 97.0 - 0.5).to_le_bytes());
        }
        bin.push(b'\n');
    }
    let input = dir.path().join("in.bin");
    std::fs::write(&input, bin).unwrap();
    // Every value is written with at least 2 bytes ("0." or "-0." and digits, a separator).
    let smallest_output = (rows * dim * 2) as u64;
    for with_data in [false, true] {
        let caught = (0..5).any(|attempt| {
            let caught = interrupt_mid_write(dir.path(), &input, smallest_output / 2, with_data);
            if !caught {
                eprintln!("note: attempt {attempt}: the write was too far along to interrupt");
            }
            caught
        });
        assert!(
            caught,
            "no attempt caught the convert before the end of its write"
        );
    }
}

/// One convert, interrupted before the end of its write if possible, once a temporary file
/// (holding data, if `with_data`) is seen. Returns false when the write was found too far
/// along (nothing asserted then).
#[cfg(unix)]
fn interrupt_mid_write(dir: &Path, input: &Path, most: u64, with_data: bool) -> bool {
    let out = dir.join("out.txt");
    let child = std::process::Command::new(assert_cmd::cargo::cargo_bin("embx"))
        .args(["convert", "-q"])
        .arg(input)
        .arg(&out)
        .args(["--to", "glove"])
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let pid = child.id() as libc::pid_t;
    let others = || -> Vec<(String, u64)> {
        std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap())
            .filter(|e| e.file_name() != "in.bin")
            .map(|e| {
                let len = e.metadata().map_or(0, |m| m.len());
                (e.file_name().to_string_lossy().into_owned(), len)
            })
            .collect()
    };
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    // A file with data in it: `check_target`'s empty probe comes and goes before the write.
    let seen = |files: &[(String, u64)]| files.iter().any(|(_, len)| *len > 0 || !with_data);
    while !seen(&others()) && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_micros(200));
    }
    // SAFETY: kill(2) on the pid of our own child, which has not been waited for yet.
    assert_eq!(unsafe { libc::kill(pid, libc::SIGSTOP) }, 0);
    let frozen = others();
    let mid_write = matches!(frozen.as_slice(), [(name, len)] if name != "out.txt" && *len < most);
    let signal = if mid_write {
        libc::SIGINT
    } else {
        libc::SIGKILL
    };
    // SAFETY: as above; SIGINT is delivered when the process continues.
    unsafe {
        assert_eq!(libc::kill(pid, signal), 0);
        assert_eq!(libc::kill(pid, libc::SIGCONT), 0);
    }
    let result = child.wait_with_output().unwrap();
    let left: Vec<String> = others().into_iter().map(|(n, _)| n).collect();
    if !mid_write {
        for name in left {
            let _ = std::fs::remove_file(dir.join(name));
        }
        return false;
    }
    assert_eq!(
        result.status.code(),
        Some(130),
        "frozen at {frozen:?}: {}",
        String::from_utf8_lossy(&result.stderr)
    );
    assert!(left.is_empty(), "left behind: {left:?}");
    true
}
