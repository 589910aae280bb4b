use super::read::Builder;
use super::*;

#[test]
fn vocabulary_order_min_count_and_max_vocab() {
    let c = Corpus::from_text("b a c a\n\n d b a e\nc c\n", ReadOptions::default());
    assert_eq!(c.stats().sentences, 3);
    assert_eq!(c.stats().tokens, 10);
    assert_eq!(c.stats().distinct, 5);
    let v = c.vocabulary(1, None);
    // a:3, c:3 (c first seen after a), b:2, d:1, e:1.
    assert_eq!(v.words, ["a", "c", "b", "d", "e"]);
    assert_eq!(v.counts, [3, 3, 2, 1, 1]);
    let v = c.vocabulary(2, None);
    assert_eq!(v.words, ["a", "c", "b"]);
    let (ids, ends) = c.encode(&v);
    assert_eq!(ids, [2, 0, 1, 0, 2, 0, 1, 1]);
    assert_eq!(ends, [4, 6, 8]);
    let v = c.vocabulary(1, Some(2));
    assert_eq!(v.words, ["a", "c"]);
    assert_eq!(v.total(), 6);
}

#[test]
fn gzip_corpora_are_decompressed() {
    use std::io::Write;
    let gz = |text: &str| {
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        e.write_all(text.as_bytes()).unwrap();
        e.finish().unwrap()
    };
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("c.txt.gz");
    // Two members, as `cat a.gz b.gz` makes.
    let mut bytes = gz("a b a\nc a\n");
    bytes.extend(gz("b\n"));
    std::fs::write(&p, &bytes).unwrap();
    let c = Corpus::read(std::slice::from_ref(&p), ReadOptions::default(), None).unwrap();
    assert_eq!(c.stats().tokens, 6);
    assert_eq!(c.stats().sentences, 3);
    assert_eq!(c.vocabulary(1, None).words, ["a", "b", "c"]);
    // Truncated: a format error naming the file and an offset, not a panic.
    let cut = dir.path().join("cut.gz");
    let big: String = (0..20_000).map(|i| format!("w{i} ")).collect();
    let whole = gz(&big);
    std::fs::write(&cut, &whole[..whole.len() / 2]).unwrap();
    let e = Corpus::read(&[cut], ReadOptions::default(), None).unwrap_err();
    let msg = e.to_string();
    assert!(msg.contains("cut.gz") && msg.contains("gzip"), "{msg}");
    assert!(matches!(e, Error::Format { .. }), "{e:?}");
}

/// A file with NUL bytes (a vector file, a model, UTF-16 text) is refused, naming the file
/// and the byte, rather than counted as words.
#[test]
fn binary_files_are_not_read_as_text() {
    let dir = tempfile::tempdir().unwrap();
    let bin = dir.path().join("vectors.bin");
    std::fs::write(&bin, b"2 3\nking \x00\x00\x80?\x00\x00\x00@").unwrap();
    let e = Corpus::read(&[bin], ReadOptions::default(), None).unwrap_err();
    let msg = e.to_string();
    assert!(
        msg.contains("vectors.bin") && msg.contains("not text"),
        "{msg}"
    );
    let utf16 = dir.path().join("u16.txt");
    std::fs::write(&utf16, b"\xff\xfeh\x00i\x00\n\x00").unwrap();
    let e = Corpus::read(&[utf16], ReadOptions::default(), None).unwrap_err();
    assert!(e.to_string().contains("UTF-16"), "{e}");
}

#[test]
fn vocabulary_after_a_base() {
    let c = Corpus::from_text("b a c a\n\n d b a e\nc c\n", ReadOptions::default());
    let v = c.vocabulary(2, None); // a:3, c:3, b:2
    let base = ["x", "b", "y"];
    let (m, corpus_counts, n_base) = v.after_base(base.iter().copied(), Some(&[7, 1, 2]));
    assert_eq!(n_base, 3);
    assert_eq!(m.words, ["x", "b", "y", "a", "c"]);
    assert_eq!(m.counts, [7, 3, 2, 3, 3]);
    assert_eq!(corpus_counts, [0, 2, 0, 3, 3]);
    let (ids, ends) = c.encode(&m);
    // "b a c a" / "d b a e" / "c c" with d, e dropped.
    assert_eq!(ids, [1, 3, 4, 3, 1, 3, 4, 4]);
    assert_eq!(ends, [4, 6, 8]);
    let (m, _, _) = v.after_base(base.iter().copied(), None);
    assert_eq!(m.counts, [0, 2, 0, 3, 3]);
}

#[test]
fn lowercase_and_invalid_utf8() {
    let c = Corpus::from_text(
        "The the THE Ünd ünd",
        ReadOptions {
            lowercase: true,
            threads: 1,
        },
    );
    let v = c.vocabulary(1, None);
    assert_eq!(v.words, ["the", "ünd"]);
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("c.txt");
    std::fs::write(&p, b"ab\xffcd x\n\xfe y x\n").unwrap();
    let c = Corpus::read(&[p], ReadOptions::default(), None).unwrap();
    assert_eq!(c.stats().invalid_utf8, 2);
    let v = c.vocabulary(1, None);
    assert_eq!(v.words, ["x", "ab\u{fffd}cd", "\u{fffd}", "y"]);
}

#[test]
fn counting_on_several_threads_gives_the_same_corpus() {
    // Words with repeats across batch and piece boundaries, empty lines, invalid UTF-8,
    // mixed case and a last line without its newline.
    let mut text = Vec::new();
    let mut x = 12345u32;
    for line in 0..400 {
        for _ in 0..(line % 9) {
            x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
            let w =
                ["the", "The", "a", "Ünd", "ünd", "cat", "x\u{3000}y", "é"][(x >> 16) as usize % 8];
            text.extend_from_slice(format!("{w}{} ", (x >> 20) % 7).as_bytes());
        }
        if line % 37 == 0 {
            text.extend_from_slice(b"bad\xff\xfeword ");
        }
        text.extend_from_slice(if line % 5 == 0 { b"\r\n" } else { b"\n" });
    }
    text.extend_from_slice(b"last line");
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("c.txt");
    std::fs::write(&p, &text).unwrap();
    for lowercase in [false, true] {
        let one = Corpus::read(
            std::slice::from_ref(&p),
            ReadOptions {
                lowercase,
                threads: 1,
            },
            None,
        )
        .unwrap();
        // 11 lines with two invalid bytes each.
        assert_eq!(one.stats().invalid_utf8, 22);
        let blank = (0..400).filter(|l| l % 9 == 0 && l % 37 != 0).count();
        assert_eq!(one.stats().blank_lines, blank as u64);
        assert!(one.stats().distinct > 20, "{:?}", one.stats());
        for threads in 2..=5 {
            for batch in [1, 64, 1000, 1 << 20] {
                let opts = ReadOptions { lowercase, threads };
                let mut b = Builder::new(opts, None).with_batch_bytes(batch);
                b.read_file(&p, None).unwrap();
                b.flush_batch();
                b.stats.files.push(p.clone());
                let many = b.finish();
                let what = format!("{threads} threads, batches of {batch} bytes");
                assert_eq!(many.words, one.words, "{what}");
                assert_eq!(many.counts, one.counts, "{what}");
                assert_eq!(many.tokens, one.tokens, "{what}");
                assert_eq!(many.ends, one.ends, "{what}");
                assert_eq!(many.stats, one.stats, "{what}");
            }
        }
        // And through the public reader, with the default batch size.
        let many = Corpus::read(
            std::slice::from_ref(&p),
            ReadOptions {
                lowercase,
                threads: 3,
            },
            None,
        )
        .unwrap();
        assert_eq!(
            (many.words, many.tokens),
            (one.words.clone(), one.tokens.clone())
        );
    }
}
