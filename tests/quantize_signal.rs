//! `embx quantize` stops on SIGTERM during the codebook training: exit 130, no output file.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test code: a failed unwrap is a failed test"
)]
#![cfg(unix)]
use std::process::Stdio;
use std::time::{Duration, Instant};

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
    std::thread::sleep(Duration::from_millis(1500));
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
