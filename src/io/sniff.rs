//! Telling formats apart by their content.
use super::text::checks::{bom_len, first_line, parse_header, shown, trim_end};
use super::text::line::{parse_line, trailing_numbers, Parsed};
use crate::error::{Error, Location, Result};
use crate::format::Format;
use std::path::Path;

/// The first 4 bytes of a fastText `.bin` model (little-endian i32).
const FASTTEXT_MAGIC: i32 = 793712314;
/// Longest first line considered as GloVe text.
const MAX_LINE: usize = 1 << 20;

/// The format of the file at `path`, judged from its first bytes.
pub fn sniff(path: &Path) -> Result<Format> {
    let input = super::Input::open_head(path, super::HEAD_BYTES)?;
    sniff_bytes(path, input.bytes())
}

pub(super) fn sniff_bytes(path: &Path, bytes: &[u8]) -> Result<Format> {
    let error = |message: String| Error::format(path, Location::File, message);
    if bytes.is_empty() {
        return Err(error("the file is empty".into()));
    }
    if bytes.starts_with(b"FiFu") {
        return Ok(Format::Fifu);
    }
    if let Some(magic) = bytes.get(..4) {
        if i32::from_le_bytes([magic[0], magic[1], magic[2], magic[3]]) == FASTTEXT_MAGIC {
            return Ok(Format::FastTextBin);
        }
    }
    if super::gensim::is_pickle(bytes) {
        return Ok(Format::Gensim);
    }
    if bytes.starts_with(b"\x93NUMPY") {
        return Ok(Format::Npy);
    }
    if super::fasttext::looks_old(bytes) {
        return Ok(Format::FastTextBin);
    }
    if let Some(what) = safetensors(bytes) {
        return Err(error(what));
    }
    let bytes = &bytes[bom_len(bytes)..];
    let (line, len) = first_line(bytes);
    if let Some((_, dims)) = parse_header(line) {
        return Ok(after_header(&bytes[len..], dims));
    }
    if lying_header(line) {
        // Sniffed as a header, so the reader says what is wrong with line 1 rather than
        // taking `2 -4` for a GloVe row of the word "2" and failing on line 2.
        return Ok(Format::Word2VecText);
    }
    if line.len() <= MAX_LINE && super::projector::looks_like_tsv(line) {
        return Ok(Format::Projector);
    }
    if line.len() <= MAX_LINE && !line.contains(&0) {
        let (fields, numbers) = trailing_numbers(line);
        if fields >= 2 && numbers >= 1 {
            return Ok(Format::Glove);
        }
    }
    if trim_end(bytes).iter().all(u8::is_ascii_whitespace) {
        return Err(error("not a vector file: it holds only whitespace".into()));
    }
    if crate::train::ngram::backoff::starts_like_arpa(&bytes[..bytes.len().min(4096)]) {
        return Err(error(format!(
            "an ARPA N-gram language model, not word vectors: `embx ngram {}` asks it",
            path.display()
        )));
    }
    let start = &line[..line.len().min(60)];
    Err(error(format!(
        "not a vector file: the first line is neither a `rows dims` header nor \
         `word value value …` (it starts with {})",
        shown(start)
    )))
}

/// What a safetensors file is, when `bytes` start like one (a little-endian u64 header
/// length, then the header's JSON): embx's NNLM model, or tensors it does not read as vectors.
fn safetensors(bytes: &[u8]) -> Option<String> {
    let len = u64::from_le_bytes(bytes.get(..8)?.try_into().ok()?);
    let header = bytes.get(8..)?;
    if !header.starts_with(b"{\"") || !(2..=(1 << 30)).contains(&len) {
        return None;
    }
    let head = &header[..header.len().min(len as usize)];
    Some(if head.windows(9).any(|w| w == b"embx-nnlm") {
        "this is an NNLM's language model (hidden and output layers): `embx predict` reads \
         it, and its word vectors are in the file beside it (the same name without \
         .nnlm.safetensors)"
            .into()
    } else {
        "a safetensors file of tensors, not a word-vector format embx reads".into()
    })
}

/// True for a first line of two integers of which one is negative (`300000 -50`): a header
/// with a bad number rather than a one-dimensional GloVe row.
fn lying_header(line: &[u8]) -> bool {
    let fields: Vec<&[u8]> = trim_end(line)
        .split(|&b| b == b' ' || b == b'\t')
        .filter(|f| !f.is_empty())
        .collect();
    let integer = |f: &[u8]| {
        let digits = f.strip_prefix(b"-").unwrap_or(f);
        !digits.is_empty() && digits.iter().all(u8::is_ascii_digit)
    };
    fields.len() == 2 && fields.iter().all(|f| integer(f)) && fields.iter().any(|f| f[0] == b'-')
}

/// Decides between word2vec text and binary from the first row after the header.
fn after_header(rest: &[u8], dims: u64) -> Format {
    let dim = usize::try_from(dims).unwrap_or(usize::MAX);
    let mut values = Vec::new();
    let mut pos = 0;
    // A few blank lines may follow the header in text files.
    for _ in 0..8 {
        if pos >= rest.len() {
            return Format::Word2VecText;
        }
        let (line, len) = first_line(&rest[pos..]);
        if line.len() > MAX_LINE {
            break;
        }
        match parse_line(line, dim, &mut values) {
            Ok(Parsed::Blank) => pos += len,
            // fastText writes a space after the last value.
            Ok(Parsed::Row { .. }) if trim_cr(line).ends_with(b" ") => return Format::FastTextVec,
            Ok(Parsed::Row { .. }) => return Format::Word2VecText,
            Err(_) => break,
        }
    }
    // Not a well-formed text row: binary unless the bytes after the word read as text (then
    // the text reader reports what is wrong with the row).
    let row = &rest[pos..];
    let Some(space) = memchr::memchr(b' ', row) else {
        return Format::Word2VecText;
    };
    let values = &row[space + 1..];
    let window = &values[..values.len().min(dim.saturating_mul(4)).min(256)];
    if looks_binary(window) {
        Format::Word2VecBinary
    } else {
        Format::Word2VecText
    }
}

fn trim_cr(line: &[u8]) -> &[u8] {
    line.strip_suffix(b"\r").unwrap_or(line)
}

/// True when `bytes` hold control bytes other than tab and line ends, or invalid UTF-8
/// (a sequence cut off at the end does not count).
fn looks_binary(bytes: &[u8]) -> bool {
    let control = bytes
        .iter()
        .any(|&b| (b < 0x20 && !matches!(b, b'\t' | b'\r' | b'\n')) || b == 0x7f);
    control || std::str::from_utf8(bytes).is_err_and(|e| e.error_len().is_some())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sniff(bytes: &[u8]) -> Result<Format> {
        sniff_bytes(Path::new("v.txt"), bytes)
    }

    #[test]
    fn safetensors_files_are_named_not_dumped() {
        let file = |json: &str| {
            let mut b = (json.len() as u64).to_le_bytes().to_vec();
            b.extend_from_slice(json.as_bytes());
            b.extend_from_slice(&[0, 0, 128, 63]);
            b
        };
        let nnlm = file(r#"{"__metadata__":{"words":"a\nb","format":"embx-nnlm"}}"#);
        let e = sniff(&nnlm).unwrap_err().to_string();
        assert!(
            e.contains("NNLM's language model") && e.contains("embx predict"),
            "{e}"
        );
        let other = file(r#"{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}"#);
        let e = sniff(&other).unwrap_err().to_string();
        assert!(e.contains("a safetensors file"), "{e}");
    }

    #[test]
    fn arpa_models_are_named_with_the_command_that_reads_them() {
        let arpa = b"\n\\data\\\nngram 1=3\n\n\\1-grams:\n-1.0\t<s>\n";
        let e = sniff(arpa).unwrap_err().to_string();
        assert!(
            e.contains("an ARPA N-gram language model") && e.contains("embx ngram"),
            "{e}"
        );
    }

    fn w2v_binary(words: &[&str], dim: usize) -> Vec<u8> {
        let mut b = format!("{} {dim}\n", words.len()).into_bytes();
        for (i, w) in words.iter().enumerate() {
            b.extend_from_slice(w.as_bytes());
            b.push(b' ');
            for j in 0..dim {
                b.extend_from_slice(&((i * dim + j) as f32 * 0.37 - 1.1).to_le_bytes());
            }
            b.push(b'\n');
        }
        b
    }

    #[test]
    fn each_format() {
        assert_eq!(sniff(b"FiFu\x01\x00").unwrap(), Format::Fifu);
        let ft = [FASTTEXT_MAGIC.to_le_bytes().as_slice(), b"\x0c\0\0\0"].concat();
        assert_eq!(sniff(&ft).unwrap(), Format::FastTextBin);
        assert_eq!(sniff(b"the 0.1 0.2\nof 1 2\n").unwrap(), Format::Glove);
        assert_eq!(sniff(b"\xEF\xBB\xBFthe 0.1 0.2").unwrap(), Format::Glove);
        assert_eq!(sniff(b"at home 0.1 0.2\n").unwrap(), Format::Glove);
        assert_eq!(sniff(b"2 2\nthe 0.1 0.2\n").unwrap(), Format::Word2VecText);
        assert_eq!(
            sniff(b"2 2 \r\n\nthe 0.1 0.2\r\n").unwrap(),
            Format::Word2VecText
        );
        assert_eq!(sniff(b"2 2\nthe 0.1 0.2 \n").unwrap(), Format::FastTextVec);
        assert_eq!(sniff(b"2 2\n").unwrap(), Format::Word2VecText);
        // Headers with a negative number are still headers (the reader rejects them).
        assert_eq!(sniff(b"2 -4\nthe 1 2 3 4\n").unwrap(), Format::Word2VecText);
        assert_eq!(sniff(b"-2 4\nthe 1 2 3 4\n").unwrap(), Format::Word2VecText);
        assert_eq!(sniff(b"the -4\nof 2\n").unwrap(), Format::Glove);
        // A broken text row is still text, so the reader can say what is wrong.
        assert_eq!(sniff(b"2 3\nthe 0.1 0.2\n").unwrap(), Format::Word2VecText);
        for dim in [1, 2, 3, 50, 300] {
            let b = w2v_binary(&["the", "北京"], dim);
            assert_eq!(sniff(&b).unwrap(), Format::Word2VecBinary, "dim {dim}");
        }
        let mut zeros = b"1 4\nzero ".to_vec();
        zeros.extend_from_slice(&[0; 16]);
        assert_eq!(sniff(&zeros).unwrap(), Format::Word2VecBinary);
    }

    #[test]
    fn not_vector_files() {
        let e = sniff(b"hello world\n").unwrap_err().to_string();
        assert!(e.starts_with("v.txt: not a vector file"), "{e}");
        assert!(e.contains("\"hello world\""), "{e}");
        assert!(sniff(b"").is_err());
        assert!(sniff(b" \n\n\t")
            .unwrap_err()
            .to_string()
            .contains("whitespace"));
        assert!(sniff(b"12").is_err());
        assert!(sniff(b"\x00\x01\x02 3").is_err());
    }

    #[test]
    fn never_panics() {
        let mut seed = 7u64;
        let mut next = || {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) as u8
        };
        let alphabet = b"0123456789 .\n\r\t-eab\x00\xff";
        for len in 0..200 {
            for _ in 0..20 {
                let b: Vec<u8> = (0..len)
                    .map(|_| alphabet[next() as usize % alphabet.len()])
                    .collect();
                let _ = sniff(&b);
            }
        }
        for prefix in [
            &b"3 2\n"[..],
            b"1 100000000000000000000\n",
            b"18446744073709551615 9\n",
        ] {
            for cut in 0..prefix.len() {
                let _ = sniff(&prefix[..cut]);
            }
            let _ = sniff(&[prefix, b"w \x01\x02"].concat());
        }
    }
}
