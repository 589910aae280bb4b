//! `io::check`, the quick look `embx open` takes before the screen: it accepts every file the
//! full load accepts, refuses what is plainly not a vector file with the load's own message,
//! and `embx open` reports it on stderr with status 2 before taking the terminal.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test code: a failed unwrap is a failed test"
)]
mod samples;

mod support;
use assert_cmd::Command;
use embx::io::{check, load, LoadOptions};
use predicates::prelude::*;
use support::write;

#[test]
fn every_sample_passes_with_its_format() {
    let dir = tempfile::tempdir().unwrap();
    for s in samples::all() {
        let p = write(dir.path(), s.name, &s.bytes);
        // The same bytes serve as word2vec text and fastText .vec: sniffing decides.
        assert_eq!(
            check(&p, None).unwrap(),
            embx::io::sniff(&p).unwrap(),
            "{}",
            s.name
        );
        assert_eq!(check(&p, Some(s.format)).unwrap(), s.format, "{}", s.name);
    }
}

/// Cut every sample at many lengths: whenever the check refuses, the load refuses too, with
/// the same message (the check never turns away a file the explorer could open).
#[test]
fn check_refuses_only_what_load_refuses() {
    let dir = tempfile::tempdir().unwrap();
    let mut refused = 0;
    for s in samples::all() {
        let step = (s.bytes.len() / 60).max(1);
        for cut in (1..s.bytes.len()).step_by(step) {
            let p = write(dir.path(), s.name, &s.bytes[..cut]);
            if let Err(e) = check(&p, None) {
                refused += 1;
                let loaded = load(&p, &LoadOptions::default());
                let Err(le) = loaded else {
                    panic!("{} cut at {cut}: check says {e}, load accepts it", s.name)
                };
                assert_eq!(e.to_string(), le.to_string(), "{} cut at {cut}", s.name);
            }
        }
    }
    assert!(refused > 20, "only {refused} cut files refused");
}

#[test]
fn plain_mistakes_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let notvec = write(
        dir.path(),
        "notvec.txt",
        b"Dear diary,\ntoday I wrote no vectors.\n",
    );
    let e = check(&notvec, None).unwrap_err().to_string();
    assert!(
        e.contains("notvec.txt") && e.contains("not a vector file"),
        "{e}"
    );
    let empty = write(dir.path(), "empty.vec", b"");
    assert!(check(&empty, None)
        .unwrap_err()
        .to_string()
        .contains("empty"));
    let missing = dir.path().join("missing.bin");
    assert!(check(&missing, None).is_err());
    // A word2vec header that claims more than the file can hold.
    let lying = write(
        dir.path(),
        "lying.bin",
        b"1000000 300\nthe \x00\x00\x80\x3f\n",
    );
    let e = check(&lying, None).unwrap_err().to_string();
    let le = load(&lying, &LoadOptions::default())
        .unwrap_err()
        .to_string();
    assert_eq!(e, le);
}

#[test]
fn embx_open_refuses_a_bad_file_before_the_screen() {
    let dir = tempfile::tempdir().unwrap();
    let notvec = write(
        dir.path(),
        "notvec.txt",
        b"Dear diary,\ntoday I wrote no vectors.\n",
    );
    Command::cargo_bin("embx")
        .unwrap()
        .arg("open")
        .arg(&notvec)
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("not a vector file")
                .and(predicate::str::contains("notvec.txt"))
                .and(predicate::str::contains("terminal").not()),
        );
}

/// Of a phrase, only the words the vocabulary lacks are said to be built from subwords.
#[test]
fn a_phrase_names_only_its_words_built_from_subwords() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(dir.path(), "m.bin", samples::fasttext_bin());
    Command::cargo_bin("embx")
        .unwrap()
        .args(["similar"])
        .arg(&p)
        .arg("king zebraa")
        .assert()
        .success()
        .stdout(predicate::str::contains("averaged from king, zebraa"))
        .stdout(predicate::str::contains("(built from subwords: zebraa)"));
}
