//! The everyday commands (similarity, doesnt-match, rank, similar/vectors from stdin), the
//! new formats through the binary, and the consistency fixes of issue 17.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test code: a failed unwrap is a failed test"
)]
#[path = "../support/mod.rs"]
mod support;

mod queries;
mod tools;

use assert_cmd::Command;
use std::path::{Path, PathBuf};

fn space(dir: &Path) -> PathBuf {
    let p = dir.join("v.txt");
    std::fs::write(
        &p,
        "cat 1 0 0\ndog 0.9 0.1 0\nlion 0.8 0.3 0.1\ncar 0 0 1\nnew 0 1 0\nyork 0 1 1\n",
    )
    .unwrap();
    p
}

fn stdout(cmd: &mut Command) -> String {
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}
