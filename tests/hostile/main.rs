//! Hostile inputs, through the real binary: every reader × every kind of damage (truncation,
//! lying headers, wrong value counts, bad numbers, bad UTF-8, duplicate and empty words, a
//! format given wrongly, a corrupt finalfusion chunk) and the file-system cases (empty file,
//! directory, missing or unreadable file). Each bad file must give exit status 2 and one line
//! on stderr naming the file and the position; files that can still be used give a warning
//! naming the file and line. `embx info` runs with its address space limited, so a header
//! claiming 10^12 rows cannot be believed with an allocation.
//!
//! The library-level tests of the same readers are in text_formats.rs and fifu_formats.rs;
//! this file checks what a user sees.
#![cfg(unix)]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test code: a failed unwrap is a failed test"
)]

mod samples;

use embx::io::{load_bytes, LoadOptions};
use embx::Format;
use samples::cli_name;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
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

/// The text formats: GloVe, word2vec text and fastText .vec (which share a header).
#[allow(
    clippy::too_many_lines,
    reason = "a table of cases, one per damage, read top to bottom"
)]
fn text_cases() -> Vec<Case> {
    use Pos::*;
    use Want::*;
    let mut cases = Vec::new();
    for (tag, fmt, header) in [
        ("glove", Format::Glove, false),
        ("w2vt", Format::Word2VecText, true),
        ("vec", Format::FastTextVec, true),
    ] {
        let good = if header {
            samples::word2vec_text()
        } else {
            samples::glove()
        };
        let f = Some(fmt);
        let n = |what: &str| format!("{tag}-{what}.txt");
        // Truncated inside the last row's values: fewer values than the others.
        let cut = good.len() - 9;
        cases.push(case(&n("trunc"), good[..cut].to_vec(), f, Bad(Line, "")));
        cases.push(case(
            &n("short-row"),
            replace(&good, " 0.4000\n", b"\n"),
            f,
            Bad(Line, "values"),
        ));
        cases.push(case(
            &n("long-row"),
            replace(&good, "zebra", b"zebra 1.0"),
            f,
            Bad(Line, "values"),
        ));
        cases.push(case(
            &n("not-a-number"),
            replace(&good, "king 0.2750", b"king 0.27x"),
            f,
            Bad(Line, "not a number"),
        ));
        cases.push(case(
            &n("nan"),
            replace(&good, "king 0.2750", b"king NaN"),
            f,
            Warn(Line, "NaN"),
        ));
        cases.push(case(
            &n("inf"),
            replace(&good, "king 0.2750", b"king inf"),
            f,
            Warn(Line, ""),
        ));
        cases.push(case(
            &n("bad-utf8"),
            replace(&good, "café", b"caf\xe9"),
            f,
            Warn(Line, "UTF-8"),
        ));
        // "北" is e5 8c 97: keep only its first byte.
        cases.push(case(
            &n("cut-utf8"),
            replace(&good, "北京", b"\xe5"),
            f,
            Warn(Line, "UTF-8"),
        ));
        cases.push(case(
            &n("dup"),
            replace(&good, "zebra", b"king"),
            f,
            Warn(Line, "king"),
        ));
        cases.push(case(
            &n("binary-as-text"),
            samples::word2vec_binary(),
            f,
            Bad(Line, ""),
        ));
        if header {
            let body = &good[good.iter().position(|&b| b == b'\n').unwrap() + 1..];
            let with = |h: &str| {
                let mut b = h.as_bytes().to_vec();
                b.extend_from_slice(body);
                b
            };
            cases.push(case(&n("more-rows"), with("9 4\n"), f, Bad(Line, "header")));
            cases.push(case(
                &n("fewer-rows"),
                with("3 4\n"),
                f,
                Bad(Line, "header"),
            ));
            cases.push(case(
                &n("e12-rows"),
                with("1000000000000 4\n"),
                f,
                Bad(Line, "1000000000000"),
            ));
            cases.push(case(&n("more-dims"), with("5 7\n"), f, Bad(Line, "")));
            cases.push(case(&n("fewer-dims"), with("5 3\n"), f, Bad(Line, "")));
            cases.push(case(&n("zero-dims"), with("5 0\n"), f, Bad(Line, "")));
            cases.push(case(&n("negative-dims"), with("5 -4\n"), f, Bad(Line, "")));
            // Sniffed: still read as a header, so the message points at line 1.
            cases.push(case(
                &n("negative-dims-sniffed"),
                with("5 -4\n"),
                None,
                Bad(Line, ":1: expected a header line"),
            ));
            cases.push(case(
                &n("e12-dims"),
                with("5 1000000000000\n"),
                f,
                Bad(Line, ""),
            ));
            cases.push(case(&n("only-header"), b"5 4\n".to_vec(), f, Bad(Line, "")));
            cases.push(case(
                &n("empty-word"),
                replace(&good, "zebra", b""),
                f,
                Bad(Line, ""),
            ));
        } else {
            cases.push(case(
                &n("empty-word"),
                replace(&good, "zebra ", b" "),
                f,
                Bad(Line, ""),
            ));
        }
    }
    cases
}

/// Little-endian helpers for the binary formats.
fn patch(bytes: &[u8], at: usize, v: &[u8]) -> Vec<u8> {
    let mut b = bytes.to_vec();
    b[at..at + v.len()].copy_from_slice(v);
    b
}

#[allow(
    clippy::too_many_lines,
    reason = "a table of cases, one per damage, read top to bottom"
)]
fn binary_cases() -> Vec<Case> {
    use Pos::*;
    use Want::*;
    let mut cases = Vec::new();
    let w2v = samples::word2vec_binary();
    let body = w2v[w2v.iter().position(|&b| b == b'\n').unwrap() + 1..].to_vec();
    let with = |h: &str| {
        let mut b = h.as_bytes().to_vec();
        b.extend_from_slice(&body);
        b
    };
    let f = Some(Format::Word2VecBinary);
    for (what, h) in [
        ("more-rows", "9 4\n"),
        ("e12-rows", "1000000000000 4\n"),
        ("zero-dims", "5 0\n"),
        ("negative-dims", "5 -4\n"),
        ("e12-dims", "5 1000000000000\n"),
        ("more-dims", "5 5\n"),
    ] {
        cases.push(case(&format!("w2v-{what}.bin"), with(h), f, Bad(Any, "")));
    }
    cases.push(case(
        "w2v-text-as-binary.txt",
        samples::word2vec_text(),
        f,
        Bad(Any, ""),
    ));
    cases.push(case(
        "w2v-glove-as-binary.txt",
        samples::glove(),
        f,
        Bad(Any, ""),
    ));
    cases.push(case(
        "w2v-only-header.bin",
        b"5 4\n".to_vec(),
        f,
        Bad(Any, ""),
    ));
    let nan = replace(&w2v, "king ", b"king ");
    let at = nan.windows(5).position(|w| w == b"king ").unwrap() + 5;
    cases.push(case(
        "w2v-nan.bin",
        patch(&nan, at, &f32::NAN.to_le_bytes()),
        f,
        Warn(Any, ""),
    ));
    cases.push(case(
        "w2v-bad-utf8.bin",
        replace(&w2v, "café", b"caf\xe9"),
        f,
        Warn(Any, "UTF-8"),
    ));
    cases.push(case(
        "w2v-dup.bin",
        replace(&w2v, "zebra", b"king"),
        f,
        Warn(Any, "king"),
    ));

    // finalfusion: the header (magic, version, chunk count, ids) and the first chunk.
    let fifu = samples::fifu_plain();
    let f = Some(Format::Fifu);
    let e12 = 1_000_000_000_000u64.to_le_bytes();
    let nchunks = u32::from_le_bytes(fifu[8..12].try_into().unwrap()) as usize;
    let first = 12 + 4 * nchunks;
    for (what, bytes) in [
        ("magic", patch(&fifu, 0, b"FiFx")),
        ("chunk-count", patch(&fifu, 8, &1000u32.to_le_bytes())),
        ("chunk-id", patch(&fifu, first, &99u32.to_le_bytes())),
        ("chunk-len", patch(&fifu, first + 4, &e12)),
        ("chunk-short", patch(&fifu, first + 4, &3u64.to_le_bytes())),
        ("words-e12", patch(&fifu, first + 12, &e12)),
        (
            "word-len",
            patch(&fifu, first + 20, &u32::MAX.to_le_bytes()),
        ),
    ] {
        cases.push(case(&format!("ff-{what}.fifu"), bytes, f, Bad(Offset, "")));
    }
    for (tag, s) in [
        ("sub", samples::fifu_subword()),
        ("pq", samples::fifu_quantized()),
    ] {
        // The last chunk's length claims far more than the file holds.
        let mut b = s.clone();
        b.truncate(b.len() - 3);
        cases.push(case(&format!("ff-{tag}-trunc.fifu"), b, f, Bad(Offset, "")));
    }
    // A text file given as finalfusion, and a finalfusion file given as text.
    cases.push(case(
        "ff-text-as-fifu.txt",
        samples::glove(),
        f,
        Bad(Any, ""),
    ));
    cases.push(case(
        "ff-fifu-as-glove.fifu",
        fifu.clone(),
        Some(Format::Glove),
        Bad(Any, ""),
    ));

    // fastText .bin: magic, version, then the vocabulary size after the 64-byte header.
    let ft = samples::fasttext_bin();
    let f = Some(Format::FastTextBin);
    for (what, bytes) in [
        ("magic", patch(&ft, 0, &7u32.to_le_bytes())),
        ("version", patch(&ft, 4, &99u32.to_le_bytes())),
        ("dims-zero", patch(&ft, 8, &0u32.to_le_bytes())),
        ("vocab-size", patch(&ft, 64, &u32::MAX.to_le_bytes())),
    ] {
        cases.push(case(&format!("ft-{what}.bin"), bytes, f, Bad(Any, "")));
    }
    cases.push(case(
        "ft-text-as-bin.txt",
        samples::word2vec_text(),
        f,
        Bad(Any, ""),
    ));
    cases
}

/// Every reader on truncations at a dozen offsets, through the binary.
fn truncation_cases() -> Vec<Case> {
    let mut cases = Vec::new();
    for s in samples::all() {
        let binary = !matches!(
            s.format,
            Format::Glove | Format::Word2VecText | Format::FastTextVec
        );
        let n = s.bytes.len();
        // word2vec binary files need not end with a newline.
        let last = if s.format == Format::Word2VecBinary {
            n - 2
        } else {
            n - 1
        };
        let mut cuts: Vec<usize> = (1..12).map(|i| n * i / 12).collect();
        cuts.extend([1, 3, last]);
        cuts.sort_unstable();
        cuts.dedup();
        for cut in cuts {
            // A text file cut exactly after a line (or inside a number) can be a valid file.
            let bytes = s.bytes[..cut].to_vec();
            if !binary && load_bytes("x", bytes.clone(), &opts(s.format)).is_ok() {
                continue;
            }
            let pos = if binary { Pos::Any } else { Pos::Line };
            let name = format!("cut{cut}-{}", s.name);
            cases.push(case(&name, bytes, Some(s.format), Want::Bad(pos, "")));
        }
    }
    cases
}

fn opts(f: Format) -> LoadOptions {
    LoadOptions {
        format: Some(f),
        ..LoadOptions::default()
    }
}

#[test]
fn text_formats_reject_or_warn() {
    run_matrix(text_cases());
}

#[test]
fn binary_formats_reject_or_warn() {
    run_matrix(binary_cases());
}

#[test]
fn truncated_files_are_rejected_with_a_position() {
    run_matrix(truncation_cases());
}

/// Every prefix of every sample, in the library (fast): never a panic, and an error for every
/// strict prefix of a binary file, always naming the file with a position.
#[test]
fn every_prefix_is_handled() {
    for s in samples::all() {
        let binary = !matches!(
            s.format,
            Format::Glove | Format::Word2VecText | Format::FastTextVec
        );
        for cut in 0..s.bytes.len() {
            for format in [Some(s.format), None] {
                let o = LoadOptions {
                    format,
                    ..LoadOptions::default()
                };
                let r = load_bytes(s.name, s.bytes[..cut].to_vec(), &o);
                match r {
                    Ok(_) => assert!(
                        !binary
                            || format.is_none()
                            || (s.format == Format::Word2VecBinary && cut == s.bytes.len() - 1),
                        "{} cut at {cut} of {} was read",
                        s.name,
                        s.bytes.len()
                    ),
                    Err(e) => {
                        assert!(e.is_bad_input(), "{}@{cut}: {e}", s.name);
                        let text = e.to_string();
                        assert!(text.starts_with(s.name), "{}@{cut}: {text}", s.name);
                        assert!(!text.contains('\n'), "{}@{cut}: {text}", s.name);
                    }
                }
            }
        }
    }
}

fn run_info(path: &Path) -> Output {
    info(path, None).0
}

#[test]
fn file_system_cases() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let empty = d.join("empty.vec");
    std::fs::write(&empty, b"").unwrap();
    let missing = d.join("missing.vec");
    let sub = d.join("folder.vec");
    std::fs::create_dir(&sub).unwrap();
    let mut failures = Vec::new();
    for (path, text) in [
        (&empty, "empty"),
        (&missing, "No such file"),
        (&sub, "directory"),
    ] {
        let name = path.file_name().unwrap().to_str().unwrap();
        let out = run_info(path);
        failures.extend(judge(
            name,
            Want::Bad(Pos::File, text),
            &out,
            Duration::ZERO,
        ));
    }
    // SAFETY: geteuid has no preconditions.
    if unsafe { libc::geteuid() } == 0 {
        eprintln!("note: running as root, which reads any file: unreadable-file case skipped");
    } else {
        use std::os::unix::fs::PermissionsExt;
        let secret = d.join("secret.vec");
        std::fs::write(&secret, samples::word2vec_text()).unwrap();
        std::fs::set_permissions(&secret, std::fs::Permissions::from_mode(0o000)).unwrap();
        let out = run_info(&secret);
        failures.extend(judge(
            "secret.vec",
            Want::Bad(Pos::File, "Permission denied"),
            &out,
            Duration::ZERO,
        ));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// `embx train` on bad corpus files: clear errors for what cannot be read, no output file.
#[test]
fn training_corpus_files() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let out = d.join("out.fifu");
    let train = |corpus: &[&PathBuf]| {
        let mut cmd = Command::new(assert_cmd::cargo::cargo_bin("embx"));
        cmd.args([
            "train",
            "-q",
            "--min-count",
            "1",
            "--dim",
            "4",
            "--epochs",
            "1",
        ]);
        cmd.args(["--threads", "1", "-o"]).arg(&out);
        cmd.args(corpus.iter().map(|p| p.as_os_str()));
        cmd.output().unwrap()
    };
    let empty = d.join("empty.txt");
    std::fs::write(&empty, b"").unwrap();
    let folder = d.join("folder");
    std::fs::create_dir(&folder).unwrap();
    let missing = d.join("missing.txt");
    let mut failures = Vec::new();
    for (p, text) in [
        (&empty, "no words"),
        (&folder, "directory"),
        (&missing, "No such file"),
    ] {
        let name = p.file_name().unwrap().to_str().unwrap();
        let o = train(&[p]);
        failures.extend(judge(name, Want::Bad(Pos::File, text), &o, Duration::ZERO));
        if out.exists() {
            failures.push(format!("{name}: an output file was written"));
        }
    }
    // Invalid UTF-8 in a corpus is not fatal.
    let latin1 = d.join("latin1.txt");
    std::fs::write(
        &latin1,
        b"the caf\xe9 is open\nthe king is here\n".repeat(20),
    )
    .unwrap();
    let o = train(&[&latin1]);
    if o.status.code() != Some(0) {
        failures.push(format!(
            "latin1.txt: exit {:?}: {}",
            o.status.code(),
            String::from_utf8_lossy(&o.stderr)
        ));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// A fastText model with its output matrix reads whole; cut inside that matrix, it is an
/// error saying so (the word vectors before it are intact, but the file is not).
#[test]
fn a_fasttext_bin_cut_inside_its_output_matrix_is_refused() {
    let mut ft = samples::fasttext_bin();
    ft.push(0); // the output is not quantized
    let words = samples::WORDS.len();
    ft.extend((words as u64).to_le_bytes());
    ft.extend((samples::DIM as u64).to_le_bytes());
    for i in 0..words * samples::DIM {
        ft.extend((i as f32 * 0.01).to_le_bytes());
    }
    let whole = load_bytes("m.bin", ft.clone(), &opts(Format::FastTextBin));
    assert_eq!(whole.unwrap().space.len(), words);
    let cut = ft[..ft.len() - 6].to_vec();
    let e = load_bytes("m.bin", cut, &opts(Format::FastTextBin)).unwrap_err();
    let e = e.to_string();
    assert!(
        e.contains("output matrix") && e.contains("cut short"),
        "{e}"
    );
}
