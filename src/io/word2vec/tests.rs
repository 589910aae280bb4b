//! Tests of the word2vec binary reader, copied and read in place.
use super::*;
use crate::space::Storage;
use std::path::Path;

fn file(header: &str, rows: &[(&[u8], &[f32])], newline: bool) -> Vec<u8> {
    let mut b = header.as_bytes().to_vec();
    for (w, v) in rows {
        b.extend_from_slice(w);
        b.push(b' ');
        v.iter().for_each(|x| b.extend_from_slice(&x.to_le_bytes()));
        if newline {
            b.push(b'\n');
        }
    }
    b
}

/// Reads `bytes` copied into memory and in place: both ways must give the same space (to
/// the bit), the same warnings and the same error.
fn load(bytes: Vec<u8>) -> Result<(Space, Vec<Warning>)> {
    let input = Input::from_vec(Path::new("v.bin"), bytes);
    let (mut w, mut w2) = (Vec::new(), Vec::new());
    let copied = read(&input, MmapMode::Never, None, &mut w);
    let in_place = read(&input, MmapMode::Always, None, &mut w2);
    match (&copied, &in_place) {
        (Ok(a), Ok(b)) => {
            assert!(a.vocab().iter().eq(b.vocab().iter()));
            let bits = |s: &Space| {
                s.matrix()
                    .as_slice()
                    .iter()
                    .map(|v| v.to_bits())
                    .collect::<Vec<_>>()
            };
            assert_eq!(bits(a), bits(b));
            assert_eq!(a.norms(), b.norms());
            assert_eq!(b.source().storage, Storage::Mmap);
            assert_eq!(format!("{w:?}"), format!("{w2:?}"));
        }
        (Err(a), Err(b)) => assert_eq!(a.to_string(), b.to_string()),
        _ => panic!("one way read the file, the other did not"),
    }
    Ok((copied?, w))
}

#[test]
fn reads_with_and_without_newlines() {
    let rows: [(&[u8], &[f32]); 3] = [
        (b"the", &[3.0, 4.0]),
        ("北京".as_bytes(), &[0.5, -0.25]),
        (b"a\tb", &[1e-30, 7.0]),
    ];
    for newline in [true, false] {
        let (s, w) = load(file("3 2\n", &rows, newline)).unwrap();
        assert_eq!(
            s.vocab().iter().collect::<Vec<_>>(),
            ["the", "北京", "a\tb"]
        );
        assert_eq!(s.vector(0), vec![3.0, 4.0]);
        assert_eq!(s.norms()[1], (0.5f32 * 0.5 + 0.0625).sqrt());
        assert_eq!(w.len(), 1, "{w:?}");
        assert!(w[0].message.starts_with("1 words contain control"), "{w:?}");
        assert_eq!(w[0].location, Location::Offset(31 + 2 * newline as u64));
    }
}

#[test]
fn duplicates_nan_and_bad_utf8_warn() {
    let rows: [(&[u8], &[f32]); 4] = [
        (b"a", &[1.0]),
        (b"a", &[2.0]),
        (b"n\xff", &[f32::NAN]),
        (b"b", &[f32::INFINITY]),
    ];
    let (s, w) = load(file("4 1\n", &rows, true)).unwrap();
    assert_eq!(s.len(), 3);
    assert_eq!(s.vector(0), vec![1.0]);
    assert_eq!(s.word(1), "n\u{fffd}");
    assert_eq!(s.norms()[1..], [0.0, 0.0]);
    let text: Vec<String> = w.iter().map(|w| w.to_string()).collect();
    assert_eq!(text.len(), 3, "{text:?}");
    assert!(text[0].starts_with("v.bin: byte offset 18: 1 words are not valid UTF-8"));
    assert!(text[1].contains("2 rows hold NaN or infinite values (set to zero)"));
    assert!(text[2].contains("byte offset 11: 1 duplicate words skipped"));
    assert!(text[2].contains("\"a\""));
}

#[test]
fn mapped_file_in_several_blocks_reads_the_same() {
    use std::io::Write;
    let n = 2 * BATCH + 77;
    let words: Vec<String> = (0..n).map(|i| format!("w{}", i % (n - 5))).collect();
    let values: Vec<[f32; 3]> = (0..n).map(|i| [i as f32, 1.0, -0.5]).collect();
    let rows: Vec<(&[u8], &[f32])> = words
        .iter()
        .zip(&values)
        .map(|(w, v)| (w.as_bytes(), &v[..]))
        .collect();
    let bytes = file(&format!("{n} 3\n"), &rows, true);
    let mut tmp = tempfile::NamedTempFile::new().unwrap();
    tmp.write_all(&bytes).unwrap();
    tmp.flush().unwrap();
    let input = Input::open(tmp.path()).unwrap();
    let mut w = Vec::new();
    let s = read(&input, MmapMode::Auto, None, &mut w).unwrap();
    assert_eq!(input.bytes(), &bytes[..]);
    let (want, want_w) = load(bytes).unwrap();
    assert_eq!(s.len(), n - 5);
    assert!(s.vocab().iter().eq(want.vocab().iter()));
    assert_eq!(s.matrix().as_slice(), want.matrix().as_slice());
    assert_eq!(s.norms(), want.norms());
    assert_eq!(s.vector(n - 6), vec![(n - 6) as f32, 1.0, -0.5]);
    assert_eq!(w.len(), 1);
    assert_eq!(w[0].message, want_w[0].message);
    assert!(w[0].message.starts_with("5 duplicate words"), "{w:?}");
}

#[test]
fn truncated_and_lying_headers() {
    let rows: [(&[u8], &[f32]); 2] = [(b"the", &[1.0, 2.0]), (b"of", &[3.0, 4.0])];
    let mut b = file("2 2\n", &rows, true);
    b.truncate(b.len() - 4);
    let e = load(b).unwrap_err().to_string();
    assert_eq!(
        e,
        "v.bin: byte offset 20: row 2 (word \"of\") is truncated: needs 8 bytes, 5 left"
    );
    let b = file("3 2\n", &rows, true);
    let e = load(b).unwrap_err().to_string();
    assert!(e.contains("cannot fit"), "{e}");
    let mut b = file("3 2\n", &rows, true);
    b.extend_from_slice(b"\n\n\n\n\n\n\n\n\n\n");
    let e = load(b).unwrap_err().to_string();
    assert_eq!(e, "v.bin: byte offset 39: header says 3 rows, file has 2");
    let e = load(file("1 2\n", &rows, true)).unwrap_err().to_string();
    assert_eq!(
        e,
        "v.bin: byte offset 17: header says 1 rows, but data continues after them"
    );
    let e = load(b"1000000000000 300\nthe ".to_vec()).unwrap_err();
    assert!(e.to_string().contains("cannot fit"), "{e}");
    let e = load(b"99999999999999999999 9\n".to_vec()).unwrap_err();
    assert!(e.to_string().contains("expected a header line"), "{e}");
    for h in ["0 2\n", "2 0\nab", "x 2\n", "2\n"] {
        assert!(load(h.as_bytes().to_vec()).is_err(), "{h}");
    }
}
