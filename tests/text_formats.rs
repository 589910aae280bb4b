//! Reading and writing word2vec (text and binary), GloVe and fastText .vec files through the
//! public `load` / `save` API.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test code: a failed unwrap is a failed test"
)]
mod support;
use embx::io::{load, save, sniff, LoadOptions, SaveOptions};
use embx::jobs::Progress;
use embx::{Error, Format, Space};
use std::path::Path;

use support::write;

fn open(p: &Path) -> embx::Result<embx::io::Loaded> {
    load(p, &LoadOptions::default())
}

fn save_as(space: &Space, p: &Path, format: Format) {
    let opts = SaveOptions {
        format,
        progress: None,
    };
    save(space, p, &opts).unwrap();
}

/// A small GloVe file with CJK words, U+00A0 and awkward values.
fn sample() -> String {
    let mut text = String::new();
    let words = ["the", "北京", "巴黎", "a\u{a0}b", "Ünïcode", "x"];
    for (i, w) in words.iter().enumerate() {
        text.push_str(w);
        for d in 0..5 {
            let v = match (i, d) {
                (0, 0) => 1e-30,
                (0, 1) => -3.4028235e38 / 4.0,
                (1, _) => 0.1 * d as f32,
                _ => ((i * 7 + d * 3) as f32).sin() * 2.5,
            };
            text.push_str(&format!(" {v}"));
        }
        text.push('\n');
    }
    text
}

fn same_space(a: &Space, b: &Space, tolerance: f32) {
    assert!(a.vocab().iter().eq(b.vocab().iter()), "vocabularies differ");
    assert_eq!(a.dim(), b.dim());
    for i in 0..a.len() {
        for (x, y) in a.vector(i).iter().zip(b.vector(i)) {
            let scale = x.abs().max(y.abs()).max(f32::MIN_POSITIVE);
            assert!((x - y).abs() / scale <= tolerance, "row {i}: {x} vs {y}");
        }
    }
}

#[test]
fn round_trips_keep_words_and_vectors() {
    let dir = tempfile::tempdir().unwrap();
    let glove = write(dir.path(), "v.glove.txt", sample().as_bytes());
    let loaded = open(&glove).unwrap();
    assert_eq!(loaded.space.source().format, Format::Glove);
    assert_eq!(loaded.warnings.len(), 1, "{:?}", loaded.warnings);
    assert!(loaded.warnings[0].message.contains("non-breaking"));
    let original = loaded.space;
    assert_eq!(original.word(1), "北京");
    assert_eq!(original.index("a\u{a0}b"), Some(3));

    let formats = [
        (Format::Word2VecText, "v.w2v.txt"),
        (Format::Word2VecBinary, "v.bin"),
        (Format::FastTextVec, "v.vec"),
        (Format::Glove, "v2.txt"),
    ];
    let mut current = original.clone();
    for (format, name) in formats.into_iter().chain(formats) {
        let p = dir.path().join(name);
        save_as(&current, &p, format);
        let back = open(&p).unwrap();
        // Each reads back as the format written (a .vec by fastText's trailing spaces).
        assert_eq!(sniff(&p).unwrap(), format, "{name}");
        assert_eq!(back.space.source().format, format);
        same_space(&original, &back.space, 1e-6);
        current = back.space;
    }
}

#[test]
fn binary_keeps_original_values() {
    let dir = tempfile::tempdir().unwrap();
    let glove = write(dir.path(), "v.txt", sample().as_bytes());
    let original = open(&glove).unwrap().space;
    let p = dir.path().join("v.bin");
    save_as(&original, &p, Format::Word2VecBinary);
    let back = open(&p).unwrap().space;
    same_space(&original, &back, 1e-6);
    // Values in the file are unit × norm of the original, so the unit vectors agree closely.
    for i in 0..original.len() {
        for (x, y) in original.unit(i).iter().zip(back.unit(i)) {
            assert!((x - y).abs() < 1e-6);
        }
    }
}

#[test]
fn errors_name_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let cases: [(&str, &[u8], &str); 8] = [
        (
            "short.txt",
            b"a 1 2 3\nb 1 2\n",
            "short.txt:2: expected 3 values, found 2",
        ),
        (
            "long.txt",
            b"a 1 2\nb 1 2\nc 1 2 3\n",
            "long.txt:3: expected 2 values, found 3",
        ),
        (
            "bad.txt",
            b"2 2\na 1 2\nb 1 2x\n",
            "bad.txt:3: \"2x\" is not a number",
        ),
        (
            "rows.vec",
            b"3 2\na 1 2\nb 1 2\n",
            "rows.vec:1: header says 3 rows, file has 2",
        ),
        ("empty.vec", b"0 300\n", "empty.vec:1: no vectors in file"),
        (
            "huge.vec",
            b"1000000000000 300\na 1\n",
            "huge.vec:1: header says 1000000000000",
        ),
        (
            "text.md",
            b"# Title\n\nSome words.\n",
            "text.md: not a vector file",
        ),
        ("blank.txt", b"\n\n  \n", "blank.txt: not a vector file"),
    ];
    for (name, bytes, want) in cases {
        let p = write(dir.path(), name, bytes);
        let e = open(&p).unwrap_err();
        assert!(e.is_bad_input());
        let e = e.to_string();
        let shown = e.replace(&format!("{}/", dir.path().display()), "");
        assert!(shown.starts_with(want), "{name}: {shown}");
    }
    let p = write(dir.path(), "zero.txt", b"");
    assert!(open(&p).unwrap_err().to_string().contains("empty"));
}

#[test]
fn warnings_name_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let text = "a 1 2\nat home 1 1\nb nan 1\na 3 4\nc\u{1} 1 0\n";
    let p = write(dir.path(), "odd.txt", text.as_bytes());
    let loaded = open(&p).unwrap();
    let w: Vec<String> = loaded
        .warnings
        .iter()
        .map(|w| {
            w.to_string()
                .replace(&format!("{}/", dir.path().display()), "")
        })
        .collect();
    assert_eq!(w.len(), 4, "{w:?}");
    assert!(w[0].starts_with("odd.txt:2: 1 words contain spaces"));
    assert!(w[1].starts_with("odd.txt:5: 1 words contain control characters"));
    assert!(w[2].starts_with("odd.txt:3: 1 rows hold NaN or infinite values"));
    assert!(w[3].starts_with("odd.txt:4: 1 duplicate words skipped"));
    assert_eq!(loaded.space.len(), 4);
    assert_eq!(loaded.space.vector(0), vec![1.0, 2.0]);
}

#[test]
fn unwritable_words_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(dir.path(), "sp.txt", b"the 1 2\nat home 3 4\n");
    let space = open(&p).unwrap().space;
    let out = dir.path().join("out.vec");
    let opts = SaveOptions {
        format: Format::FastTextVec,
        progress: None,
    };
    let e = save(&space, &out, &opts).unwrap_err();
    assert!(matches!(e, Error::Invalid(_)));
    assert!(e.to_string().contains("\"at home\" (row 2)"), "{e}");
    assert!(!out.exists());
}

#[test]
fn progress_reaches_the_file_size_and_cancels() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(dir.path(), "v.txt", sample().as_bytes());
    let progress = Progress::new();
    let opts = LoadOptions {
        progress: Some(progress.clone()),
        ..Default::default()
    };
    load(&p, &opts).unwrap();
    let snap = progress.snapshot();
    assert_eq!(
        (snap.done, snap.total),
        (sample().len() as u64, sample().len() as u64)
    );
    progress.cancel();
    assert!(matches!(load(&p, &opts), Err(Error::Interrupted)));
}

/// A format given by hand that the file does not have: the error says which it looks like.
#[test]
fn a_wrong_format_by_hand_names_the_one_the_file_has() {
    let dir = tempfile::tempdir().unwrap();
    let glove = write(dir.path(), "v.txt", sample());
    let space = open(&glove).unwrap().space;
    let bin = dir.path().join("v.bin");
    save_as(&space, &bin, Format::Word2VecBinary);
    for (path, asked, hint) in [
        (&glove, Format::Word2VecText, "it looks like GloVe"),
        (&bin, Format::Glove, "it looks like word2vec binary"),
    ] {
        let opts = LoadOptions {
            format: Some(asked),
            ..LoadOptions::default()
        };
        let e = load(path, &opts).unwrap_err().to_string();
        assert!(e.contains(hint), "{e}");
        assert!(e.contains("leave out --format"), "{e}");
    }
}
