//! Hostile inputs, through the real binary: every reader × every kind of damage (truncation,
//! lying headers, wrong value counts, bad numbers, bad UTF-8, duplicate and empty words, a
//! format given wrongly, a corrupt finalfusion chunk) and the file-system cases (empty file,
//! directory, missing or unreadable file). Each bad file must give exit status 2 and one line
//! on stderr naming the file and the position; files that can still be used give a warning
//! naming the file and line. `embx info` runs with its address space limited, so a header
//! claiming 10^12 rows cannot be believed with an allocation.
//!
//! The library-level tests of the same readers are in text_formats.rs and fifu_formats/;
//! these check what a user sees.
#![cfg(unix)]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test code: a failed unwrap is a failed test"
)]

#[path = "../samples/mod.rs"]
mod samples;

mod binary;
mod files;
mod text;
mod truncation;

use embx::Format;
use samples::cli_name;
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Command, Output};
use std::time::{Duration, Instant};

/// The address-space limit of `embx info` in these tests: more than the binary, its threads
/// and the bundled demo need, far less than a believed 10^12-row header.
const AS_LIMIT: u64 = 2 << 30;

/// Where in the file the message must point.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Pos {
    /// `FILE:LINE:` (text formats).
    Line,
    /// `FILE: byte offset N:` (binary formats).
    Offset,
    /// Either of the two.
    Any,
    /// The file as a whole (empty file, directory).
    File,
}

/// What `embx info` must do with a file.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Want {
    /// Exit 2 with one line naming the file, the position and containing the text.
    Bad(Pos, &'static str),
    /// Exit 0 with a warning naming the file and a position, containing the text.
    Warn(Pos, &'static str),
}

struct Case {
    name: String,
    bytes: Vec<u8>,
    format: Option<Format>,
    want: Want,
}

fn case(name: &str, bytes: Vec<u8>, format: Option<Format>, want: Want) -> Case {
    Case {
        name: name.to_string(),
        bytes,
        format,
        want,
    }
}

/// Runs `embx info FILE [--format F]` with the address space limited.
fn info(path: &Path, format: Option<Format>) -> (Output, Duration) {
    let mut cmd = Command::new(assert_cmd::cargo::cargo_bin("embx"));
    cmd.arg("info").arg(path);
    if let Some(f) = format {
        cmd.args(["--format", cli_name(f)]);
    }
    // Bounded address space needs bounded reservations: glibc reserves 64 MiB of address
    // space per malloc arena (up to 8 per core) and rayon a stack per core.
    cmd.env("MALLOC_ARENA_MAX", "2")
        .env("RAYON_NUM_THREADS", "2");
    limit_address_space(&mut cmd);
    let start = Instant::now();
    let out = cmd.output().expect("run embx");
    (out, start.elapsed())
}

fn limit_address_space(cmd: &mut Command) {
    // SAFETY: between fork and exec the closure only calls setrlimit, which is
    // async-signal-safe, on a struct on its own stack.
    unsafe {
        cmd.pre_exec(|| {
            let lim = libc::rlimit {
                rlim_cur: AS_LIMIT,
                rlim_max: AS_LIMIT,
            };
            libc::setrlimit(libc::RLIMIT_AS, &lim);
            Ok(())
        });
    }
}

fn has_pos(text: &str, name: &str, pos: Pos) -> bool {
    let line = text.split(&format!("{name}:")).skip(1).any(|rest| {
        rest.split(':')
            .next()
            .is_some_and(|n| n.parse::<u64>().is_ok())
    });
    let offset = text.contains(&format!("{name}: byte offset "));
    match pos {
        Pos::Line => line,
        Pos::Offset => offset,
        Pos::Any => line || offset,
        Pos::File => text.contains(name),
    }
}

/// Checks one outcome; returns a description of what is wrong, if anything.
fn judge(name: &str, want: Want, out: &Output, took: Duration) -> Option<String> {
    let stderr = String::from_utf8_lossy(&out.stderr);
    let code = out.status.code();
    let mut wrong = Vec::new();
    if stderr.contains("panicked") || stderr.contains("RUST_BACKTRACE") {
        wrong.push("panicked".to_string());
    }
    // A guard against hangs and runaway work, not a speed goal: generous for loaded CI machines.
    if took > Duration::from_secs(60) {
        wrong.push(format!("took {took:?}"));
    }
    match want {
        Want::Bad(pos, text) => {
            if code != Some(2) {
                wrong.push(format!("exit {code:?}, not 2"));
            }
            let lines: Vec<&str> = stderr.lines().collect();
            if lines.len() != 1 || !lines[0].starts_with("embx: ") {
                wrong.push("not one line starting with 'embx: '".into());
            }
            if !has_pos(&stderr, name, pos) {
                wrong.push(format!("does not name the file and the {pos:?}"));
            }
            if !stderr.contains(text) {
                wrong.push(format!("does not say {text:?}"));
            }
            if !out.stdout.is_empty() {
                wrong.push("printed to stdout".into());
            }
        }
        Want::Warn(pos, text) => {
            if code != Some(0) {
                wrong.push(format!("exit {code:?}, not 0"));
            }
            if !stderr
                .lines()
                .any(|l| has_pos(l, name, pos) && l.contains(text))
            {
                wrong.push(format!(
                    "no warning naming the file, the {pos:?} and {text:?}"
                ));
            }
        }
    }
    (!wrong.is_empty()).then(|| format!("{name}: {}\n  stderr: {stderr}", wrong.join("; ")))
}

/// Runs every case; fails with all the failures at once.
fn run_matrix(cases: Vec<Case>) {
    let dir = tempfile::tempdir().unwrap();
    let mut failures = Vec::new();
    let n = cases.len();
    for c in cases {
        let path = dir.path().join(&c.name);
        std::fs::write(&path, &c.bytes).unwrap();
        let (out, took) = info(&path, c.format);
        failures.extend(judge(&c.name, c.want, &out, took));
    }
    assert!(
        failures.is_empty(),
        "{} of {n} cases failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

fn replace(bytes: &[u8], from: &str, to: &[u8]) -> Vec<u8> {
    let at = bytes
        .windows(from.len())
        .position(|w| w == from.as_bytes())
        .unwrap_or_else(|| panic!("{from:?} not in the sample"));
    let mut b = bytes[..at].to_vec();
    b.extend_from_slice(to);
    b.extend_from_slice(&bytes[at + from.len()..]);
    b
}
