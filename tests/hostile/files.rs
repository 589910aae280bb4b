//! File-system cases for `embx info` and bad corpus files for `embx train`.
use super::{info, judge, samples, Pos, Want};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::Duration;

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
