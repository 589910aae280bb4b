//! Nothing lost: `embx convert` killed with SIGKILL in the middle of writing over an existing
//! file leaves that file byte for byte as it was, and at most a hidden, clearly named
//! temporary (`.NAME.embx-tmp-XXXXXX`, removed by a later write once stale); a write that fails
//! (file too large, as on a full disk; a folder that cannot be written) exits 2 with a message
//! naming the file and leaves the old file and no temporary.
#![cfg(unix)]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test code: a failed unwrap is a failed test"
)]

use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant, SystemTime};

fn embx() -> Command {
    Command::new(assert_cmd::cargo::cargo_bin("embx"))
}

/// A GloVe text file of `rows` × `dim` (values from a small table, so it is quick to make).
fn big_glove(path: &Path, rows: usize, dim: usize) {
    let values: Vec<String> = (0..97)
        .map(|i| format!(" {:.4}", i as f32 / 97.0 - 0.5))
        .collect();
    let mut text = String::with_capacity(rows * (dim * 7 + 8));
    for r in 0..rows {
        text.push_str(&format!("w{r}"));
        for d in 0..dim {
            text.push_str(&values[(r * 31 + d * 7) % 97]);
        }
        text.push('\n');
    }
    std::fs::write(path, text).unwrap();
}

fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

fn convert(input: &Path, out: &Path) -> Command {
    let mut c = embx();
    c.args(["convert", "-q"])
        .arg(input)
        .arg(out)
        .args(["--to", "word2vec-text"]);
    c
}

fn temporaries(dir: &Path) -> Vec<PathBuf> {
    names(dir)
        .into_iter()
        .filter(|n| n.starts_with(".old.txt.embx-tmp-"))
        .map(|n| dir.join(n))
        .collect()
}

/// Waits until the temporary file exists and has grown past `bytes`; false if the child ended.
fn wait_for_temporary(dir: &Path, child: &mut Child, bytes: u64) -> bool {
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(30) {
        if child.try_wait().unwrap().is_some() {
            return false;
        }
        if temporaries(dir)
            .iter()
            .any(|t| std::fs::metadata(t).is_ok_and(|m| m.len() > bytes))
        {
            return true;
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    false
}

#[test]
fn sigkill_during_convert_keeps_the_old_file() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let input = d.join("in.txt");
    big_glove(&input, 300_000, 50);
    let out = d.join("old.txt");
    let old = b"2 2\nold 1 0\nfile 0 1\n".to_vec();
    let mut killed = 0;
    // Kill at different points of the write: as soon as the temporary has data, and later.
    for (attempt, bytes) in [1u64, 4 << 20, 16 << 20].into_iter().enumerate() {
        std::fs::write(&out, &old).unwrap();
        let mut child = convert(&input, &out).stderr(Stdio::null()).spawn().unwrap();
        let caught = wait_for_temporary(d, &mut child, bytes);
        child.kill().unwrap(); // SIGKILL
        let status = child.wait().unwrap();
        if !caught {
            eprintln!("note: attempt {attempt}: convert ended before the kill ({status:?})");
            continue;
        }
        killed += 1;
        assert_eq!(
            std::fs::read(&out).unwrap(),
            old,
            "attempt {attempt}: the old output file changed"
        );
        // What is left besides the input and the old file: only hidden temporaries.
        let left: Vec<String> = names(d)
            .into_iter()
            .filter(|n| n != "in.txt" && n != "old.txt")
            .collect();
        assert!(
            left.iter().all(|n| n.starts_with(".old.txt.embx-tmp-")),
            "attempt {attempt}: left behind: {left:?}"
        );
    }
    assert!(
        killed >= 2,
        "only {killed} of 3 kills landed during the write"
    );
    // Age the leftovers: the next successful write removes them.
    let stale = temporaries(d);
    assert!(!stale.is_empty());
    for t in &stale {
        let f = std::fs::File::options().write(true).open(t).unwrap();
        f.set_modified(SystemTime::now() - Duration::from_secs(7200))
            .unwrap();
    }
    let small = d.join("small.txt");
    std::fs::write(&small, "a 1 0\nb 0 1\n").unwrap();
    let o = convert(&small, &out).output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(std::fs::read_to_string(&out).unwrap().lines().count(), 3);
    assert_eq!(temporaries(d), Vec::<PathBuf>::new());
}

fn assert_failed_cleanly(o: &Output, name: &str, dir: &Path, before: &[String]) {
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains(name), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(names(dir), before, "files changed");
}

/// A write that fails half way (the output exceeds RLIMIT_FSIZE, which is what a full disk
/// looks like to the writer: a failing write) exits 2 and leaves the old file.
#[test]
fn failing_write_exits_2_and_keeps_the_old_file() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let input = d.join("in.txt");
    big_glove(&input, 20_000, 50);
    let out = d.join("old.txt");
    std::fs::write(&out, "1 1\nold 1\n").unwrap();
    let before = names(d);
    let mut cmd = convert(&input, &out);
    // SAFETY: between fork and exec only async-signal-safe calls (signal, setrlimit).
    unsafe {
        cmd.pre_exec(|| {
            // Without SIG_IGN the kernel would kill the process with SIGXFSZ.
            libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
            let lim = libc::rlimit {
                rlim_cur: 2 << 20,
                rlim_max: 2 << 20,
            };
            libc::setrlimit(libc::RLIMIT_FSIZE, &lim);
            Ok(())
        });
    }
    let o = cmd.output().unwrap();
    assert_failed_cleanly(&o, "old.txt", d, &before);
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "1 1\nold 1\n");
}

/// An output folder that cannot be written: a read-only folder for ordinary users; root
/// writes anywhere, so for root a folder in /proc (which refuses new files) stands in.
#[test]
fn unwritable_folder_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let input = d.join("in.txt");
    std::fs::write(&input, "a 1 0\nb 0 1\n").unwrap();
    // SAFETY: geteuid has no preconditions.
    let out = if unsafe { libc::geteuid() } == 0 {
        PathBuf::from("/proc/self/embx-out.txt")
    } else {
        use std::os::unix::fs::PermissionsExt;
        let ro = d.join("ro");
        std::fs::create_dir(&ro).unwrap();
        std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o555)).unwrap();
        ro.join("embx-out.txt")
    };
    let before = names(d);
    let o = convert(&input, &out).output().unwrap();
    assert_failed_cleanly(&o, "embx-out.txt", d, &before);
    assert!(!out.exists());
}
