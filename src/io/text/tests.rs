use super::*;
use std::path::Path;

fn load_chunked(text: &[u8], header: bool, chunk: usize) -> Result<(Space, Vec<Warning>)> {
    let input = Input::from_vec(Path::new("v.txt"), text.to_vec());
    let format = if header {
        Format::Word2VecText
    } else {
        Format::Glove
    };
    let mut warnings = Vec::new();
    let space = read_chunked(&input, format, header, None, &mut warnings, chunk)?;
    Ok((space, warnings))
}

fn glove(text: &str) -> Result<(Space, Vec<Warning>)> {
    load_chunked(text.as_bytes(), false, 1 << 20)
}

fn w2v(text: &str) -> Result<(Space, Vec<Warning>)> {
    load_chunked(text.as_bytes(), true, 1 << 20)
}

fn words(s: &Space) -> Vec<&str> {
    s.vocab().iter().collect()
}

fn err(r: Result<(Space, Vec<Warning>)>) -> String {
    r.unwrap_err().to_string()
}

fn warned(r: Result<(Space, Vec<Warning>)>) -> Vec<String> {
    r.unwrap().1.iter().map(|w| w.to_string()).collect()
}

#[test]
fn line_ends_blank_lines_and_trailing_spaces() {
    for text in [
        "the 3 4\nof 0 1\n",
        "the 3 4\nof 0 1",
        "the 3 4 \r\nof 0 1 \r\n",
        "\n\nthe 3 4\n\n  \nof\t0\t1\n\n",
        "\u{feff}the 3 4\nof 0 1",
    ] {
        let (s, w) = glove(text).unwrap();
        assert_eq!(words(&s), ["the", "of"], "{text:?}");
        assert_eq!(
            (s.dim(), s.vector(0), s.norms()[1]),
            (2, vec![3.0, 4.0], 1.0)
        );
        assert!(w.is_empty(), "{w:?}");
    }
    let (s, _) = w2v("2 2\nthe 3 4\nof 0 1\n").unwrap();
    assert_eq!(
        (words(&s), s.source().format),
        (vec!["the", "of"], Format::Word2VecText)
    );
}

#[test]
fn unicode_words_stay_whole() {
    let (s, w) = glove("北京 1 0\n巴黎 0 1\na\u{a0}b 1 1\nx\u{3000}y 2 2\n").unwrap();
    assert_eq!(words(&s), ["北京", "巴黎", "a\u{a0}b", "x\u{3000}y"]);
    assert_eq!(w.len(), 1);
    assert_eq!(
        w[0].to_string(),
        "v.txt:3: 1 words contain control characters or non-breaking spaces, \
         first at line 3: \"a\\u{a0}b\""
    );
    let w = warned(load_chunked(
        b"ok 1\nbad\xff\xfe 2\nc\x01 3\n",
        false,
        1 << 20,
    ));
    assert_eq!(w.len(), 2, "{w:?}");
    assert!(w[0].starts_with("v.txt:3: 1 words contain control characters"));
    assert!(w[1].starts_with("v.txt:2: 1 words are not valid UTF-8 (decoded with U+FFFD)"));
}

#[test]
fn words_with_spaces_warn_once() {
    let r = glove("the 1 2\nat home 3 4\n. . . 5 6\nof 7 8\n");
    let (s, w) = r.unwrap();
    assert_eq!(words(&s), ["the", "at home", ". . .", "of"]);
    assert_eq!(s.vector(2), vec![5.0, 6.0]);
    assert_eq!(w.len(), 1);
    assert_eq!(
        w[0].to_string(),
        "v.txt:2: 2 words contain spaces (read as one word), first at line 2: \"at home\""
    );
    // A first line with a spaced word does not change the dimension.
    let (s, _) = glove("at home 3 4\nthe 1 2\n").unwrap();
    assert_eq!((s.dim(), words(&s)), (2, vec!["at home", "the"]));
}

#[test]
fn wrong_counts_and_bad_numbers() {
    let e = err(glove("the 1 2 3\nof 1 2 3\nand 1 2\n"));
    assert_eq!(e, "v.txt:3: expected 3 values, found 2");
    let e = err(glove("the 1 2 3\nof 1 2 3 4\n"));
    assert_eq!(e, "v.txt:2: expected 3 values, found 4");
    let e = err(w2v("2 3\nthe 1 2 3\nof 1 2 x3\n"));
    assert_eq!(e, "v.txt:3: \"x3\" is not a number");
    let e = err(glove("the 1 2\nof 1 \u{7}\n"));
    assert_eq!(e, "v.txt:2: \"\\u{7}\" is not a number");
    let e = err(glove("the 1 2\nof\n"));
    assert_eq!(e, "v.txt:2: expected 2 values, found 0");
    // Binary data is said as such, after its printable start, not escaped byte by byte.
    let e = err(w2v("FiFu\0\0\0\0\u{4}\0\0\0 1 2\n"));
    assert!(e.ends_with("found \"FiFu\" and then binary data"), "{e}");
    let e = err(w2v("\0\u{1}\u{2}\n"));
    assert!(e.ends_with("found binary data"), "{e}");
    let e = err(glove("just words here\n"));
    assert_eq!(
        e,
        "v.txt:1: expected `word value value …`, found \"just words here\""
    );
    let e = err(glove("3 2\nthe 1 2\n"));
    assert!(
        e.starts_with("v.txt:1: the first line is a `rows dims` header"),
        "{e}"
    );
}

#[test]
fn non_finite_rows_become_zero() {
    let (s, w) = glove("a 1 2\nb nan 1\nc 1 inf\nd -Infinity 0\n").unwrap();
    assert_eq!(s.norms(), [5f32.sqrt(), 0.0, 0.0, 0.0]);
    assert_eq!(s.vector(1), vec![0.0, 0.0]);
    assert_eq!(w.len(), 1);
    assert_eq!(
        w[0].to_string(),
        "v.txt:2: 3 rows hold NaN or infinite values (set to zero), first at line 2: \"b\""
    );
}

#[test]
fn duplicates_keep_the_first() {
    let (s, w) = w2v("4 1\na 1\nb 2\na 3\nb 4\n").unwrap();
    assert_eq!(words(&s), ["a", "b"]);
    assert_eq!(s.vector(0), vec![1.0]);
    assert_eq!(s.vector(1), vec![2.0]);
    assert_eq!(w.len(), 1);
    assert_eq!(
        w[0].to_string(),
        "v.txt:4: 2 duplicate words skipped (the first occurrence is kept), \
         first at line 4: \"a\""
    );
}

#[test]
fn headers_are_checked() {
    let e = err(w2v("3 2\na 1 2\nb 1 2\n"));
    assert_eq!(e, "v.txt:1: header says 3 rows, file has 2");
    let e = err(w2v("1 2\na 1 2\nb 1 2\n"));
    assert_eq!(e, "v.txt:1: header says 1 rows, file has 2");
    let e = err(w2v("2 0\na\nb\n"));
    assert_eq!(e, "v.txt:1: header says the vectors have 0 dimensions");
    let e = err(w2v("0 2\na 1 2\n"));
    assert_eq!(
        e,
        "v.txt:1: header says 0 rows, but the file has data after it"
    );
    let e = err(w2v("0 2\n\n"));
    assert_eq!(e, "v.txt:1: no vectors in file (header says 0 rows)");
    let e = err(w2v("-1 2\na 1 2\n"));
    assert!(e.starts_with("v.txt:1: expected a header line"), "{e}");
    let e = err(w2v("2 2 2\na 1 2\n"));
    assert!(e.starts_with("v.txt:1: expected a header line"), "{e}");
    let start = std::time::Instant::now();
    let e = err(w2v("1000000000000 300\na 1 2\n"));
    assert!(
        e.contains("header says 1000000000000 rows of 300 dimensions"),
        "{e}"
    );
    let e = err(w2v("18446744073709551615 18446744073709551615\na 1 2\n"));
    assert!(e.contains("cannot fit"), "{e}");
    assert!(start.elapsed().as_secs() < 1);
}

#[test]
fn empty_inputs() {
    for text in ["", " ", "\n\n \r\n\t\n"] {
        assert_eq!(err(glove(text)), "v.txt: no vectors in file", "{text:?}");
    }
    assert!(err(w2v("\n")).contains("expected a header line"));
}

#[test]
fn cancelled_read_is_interrupted() {
    let input = Input::from_vec(Path::new("v.txt"), b"a 1\nb 2\n".to_vec());
    let progress = Progress::new();
    progress.cancel();
    let r = read(
        &input,
        Format::Glove,
        false,
        Some(&progress),
        &mut Vec::new(),
    );
    assert!(matches!(r, Err(Error::Interrupted)));
}

/// A generated GloVe file with the odd cases spread over it.
fn big_file(rows: usize, dim: usize) -> String {
    let mut text = String::new();
    for r in 0..rows {
        let word = match r % 997 {
            5 => format!("w {r}x"),
            7 => "dup".to_string(),
            11 => format!("北京{r}"),
            _ => format!("w{r}"),
        };
        text.push_str(&word);
        for d in 0..dim {
            let v = ((r * 31 + d * 7) % 1000) as f32 / 997.0 - 0.5;
            text.push_str(&format!(" {v}"));
        }
        text.push_str(if r % 13 == 0 { " \r\n" } else { "\n" });
        if r % 101 == 0 {
            text.push('\n');
        }
    }
    text
}

#[test]
fn chunk_sizes_give_the_same_space() {
    let text = big_file(5000, 8);
    let (want, want_w) = load_chunked(text.as_bytes(), false, 1 << 30).unwrap();
    assert_eq!(want.len(), 5000 - 5, "{want_w:?}");
    assert_eq!(want_w.len(), 2);
    for chunk in [1, 7, 100, 4096, 65536] {
        let (s, w) = load_chunked(text.as_bytes(), false, chunk).unwrap();
        assert_eq!(w, want_w, "chunk {chunk}");
        assert!(s.vocab().iter().eq(want.vocab().iter()), "chunk {chunk}");
        assert_eq!(s.norms(), want.norms());
        assert_eq!(s.matrix().as_slice(), want.matrix().as_slice());
    }
    // Errors name the same line whatever the chunking, and the first bad line wins.
    let mut lines: Vec<&str> = text.split('\n').collect();
    lines[3001] = "broken 1 2";
    lines[4500] = "broken 1 x";
    let bad = lines.join("\n");
    for chunk in [1, 100, 4096, 1 << 30] {
        let e = load_chunked(bad.as_bytes(), false, chunk)
            .unwrap_err()
            .to_string();
        assert_eq!(e, "v.txt:3002: expected 8 values, found 2", "chunk {chunk}");
    }
}

#[test]
fn mapped_file_with_released_chunks_reads_the_same() {
    use std::io::Write;
    let text = big_file(20000, 8);
    let mut file = tempfile::NamedTempFile::new().unwrap();
    file.write_all(text.as_bytes()).unwrap();
    file.flush().unwrap();
    let (want, want_w) = load_chunked(text.as_bytes(), false, 1 << 30).unwrap();
    for chunk in [100_000, 1 << 30] {
        let input = Input::open(file.path()).unwrap();
        let mut w = Vec::new();
        let s = read_chunked(&input, Format::Glove, false, None, &mut w, chunk).unwrap();
        assert_eq!(input.bytes(), text.as_bytes());
        assert!(s.vocab().iter().eq(want.vocab().iter()), "chunk {chunk}");
        assert_eq!(s.matrix().as_slice(), want.matrix().as_slice());
        let name = |w: &[Warning]| w.iter().map(|w| w.message.clone()).collect::<Vec<_>>();
        assert_eq!(name(&w), name(&want_w));
    }
}
