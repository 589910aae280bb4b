//! Long commands stop on SIGTERM: `embx quantize` during the codebook training (exit 130, no
//! output file), and `embx train --progress json`, whose last object says it was interrupted.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test code: a failed unwrap is a failed test"
)]
#![cfg(unix)]
use std::process::Stdio;
use std::time::{Duration, Instant};

/// Sends SIGTERM to `child` after `after`, and waits for it (at most 30 s after the signal).
fn terminate(child: std::process::Child, after: Duration) -> std::process::Output {
    std::thread::sleep(after);
    let sent = Instant::now();
    let pid = child.id() as libc::pid_t;
    // SAFETY: kill(2) on the pid of our own child, which has not been waited for yet.
    let sent_ok = unsafe { libc::kill(pid, libc::SIGTERM) };
    assert_eq!(sent_ok, 0);
    let result = child.wait_with_output().unwrap();
    assert!(
        sent.elapsed() < Duration::from_secs(30),
        "{:?}",
        sent.elapsed()
    );
    result
}

#[test]
fn sigterm_during_training_leaves_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.txt");
    // 3000 words × 32 dimensions of pseudo-random values (word2vec text).
    let mut state = 12345u64;
    let mut text = String::from("3000 32\n");
    for w in 0..3000 {
        text.push_str(&format!("w{w}"));
        for _ in 0..32 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            text.push_str(&format!(
                " {:.4}",
                (state >> 40) as f32 / (1u64 << 24) as f32 - 0.5
            ));
        }
        text.push('\n');
    }
    std::fs::write(&input, text).unwrap();
    let out = dir.path().join("out.fifu");
    // A million k-means iterations: minutes of training unless the signal stops it.
    let child = std::process::Command::new(assert_cmd::cargo::cargo_bin("embx"))
        .args(["quantize", "-q"])
        .arg(&input)
        .arg(&out)
        .args([
            "--subquantizers",
            "16",
            "--iterations",
            "1000000",
            "--sample",
            "3000",
        ])
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let result = terminate(child, Duration::from_millis(1500));
    assert_eq!(
        result.status.code(),
        Some(130),
        "{}",
        String::from_utf8_lossy(&result.stderr)
    );
    let left: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .filter(|n| n != "in.txt")
        .collect();
    assert!(left.is_empty(), "left behind: {left:?}");
}

#[test]
fn an_interrupted_training_says_so_in_its_last_json_object() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus.txt");
    let mut state = 7u64;
    let mut text = String::new();
    for _ in 0..2000 {
        for _ in 0..50 {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1);
            text.push_str(&format!("w{} ", (state >> 33) % 500));
        }
        text.push('\n');
    }
    std::fs::write(&corpus, text).unwrap();
    let out = dir.path().join("out.fifu");
    // Thousands of epochs: minutes of training unless the signal stops it.
    let child = std::process::Command::new(assert_cmd::cargo::cargo_bin("embx"))
        .arg("train")
        .arg(&corpus)
        .arg("-o")
        .arg(&out)
        .args(["--epochs", "5000", "--dim", "20", "--progress", "json"])
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let result = terminate(child, Duration::from_millis(2500));
    let stderr = String::from_utf8_lossy(&result.stderr);
    assert_eq!(result.status.code(), Some(130), "{stderr}");
    let last = stderr
        .lines()
        .rfind(|l| l.starts_with('{'))
        .unwrap_or_else(|| panic!("no JSON progress: {stderr}"));
    let last: serde_json::Value = serde_json::from_str(last).unwrap();
    assert_eq!(last["phase"], "interrupted", "{stderr}");
    // No object before it says the run was done (a script may stop reading at that one).
    assert!(!stderr.contains(r#""phase":"done""#), "{stderr}");
    assert!(last["fraction"].as_f64().unwrap() < 1.0, "{stderr}");
    assert!(!out.exists());
}
