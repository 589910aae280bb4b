//! word2vec binary files: a `rows dims` header line, then per row the word, a space, `dims`
//! little-endian f32 and (usually) a newline.
use super::huge::Prefault;
use super::text::checks::{self, shown, LocKind, Rows};
use super::Input;
use crate::error::{Location, Result, Warning};
use crate::format::Format;
use crate::jobs::{Progress, ProgressExt};
use crate::space::{normalize_row, Space};
use rayon::prelude::*;

/// Rows in a block of the pipeline (and between progress updates).
const BATCH: usize = 16384;
/// Rows [`Block::find`] looks ahead to fetch a row's first bytes before it gets there.
const AHEAD: usize = 8;

pub(super) fn read(
    input: &Input,
    progress: Option<&Progress>,
    warnings: &mut Vec<Warning>,
) -> Result<Space> {
    let bytes = input.bytes();
    // Each row needs at least a one-byte word, a space and the values.
    let (rows, dim, pos) = checks::read_header(input, 0, |d| d.checked_mul(4)?.checked_add(2))?;
    let rows = rows as usize; // fits: checked against the file size
    progress.add(pos as u64);
    let row_bytes = dim * 4;
    // The values go straight into the final matrix (zero pages until written); each row is
    // converted, checked and normalised in one parallel pass. The file is read in blocks,
    // pipelined: while the cores convert one block, the reading thread also records the
    // words of the block before and finds the rows of the block after (the sequential parts,
    // which would otherwise leave a core idle). A block's bytes are released once its words
    // are recorded, so only a few blocks of the file are resident besides the matrix.
    let mut values = vec![0.0f32; rows * dim];
    let mut norms = vec![0.0f32; rows];
    let mut out = Rows::with_capacity(rows);
    let mut next = Some(Block::find(input, 0, rows, row_bytes, pos)?);
    let mut prev: Option<Block> = None;
    let mut end = pos;
    // Each block's part of the matrix is faulted in (in huge pages while they come fast,
    // else in small pages asked for in bulk) one block ahead, beside the conversion of the
    // block before and the bookkeeping, by whichever core is free.
    let mut huge = Prefault::for_matrix(values.len() * 4);
    huge.prepare(&mut values[..(BATCH * dim).min(rows * dim)]);
    while let Some(mut block) = next.take() {
        progress.check()?;
        end = block.end;
        let after = block.first + block.words.len();
        let (vals, ahead) = values[block.first * dim..].split_at_mut((after - block.first) * dim);
        let ahead_len = (BATCH * dim).min(ahead.len());
        let ahead = &mut ahead[..ahead_len];
        let nrms = &mut norms[block.first..after];
        let ((), found) = rayon::join(
            || block.convert(bytes, row_bytes, vals, nrms),
            || {
                let ((), found) = rayon::join(
                    || huge.prepare(ahead),
                    || {
                        if let Some(done) = prev.take() {
                            done.record(input, &mut out, progress);
                        }
                        (after < rows)
                            .then(|| Block::find(input, after, rows, row_bytes, end))
                            .transpose()
                    },
                );
                found
            },
        );
        next = found?;
        prev = Some(block);
    }
    if let Some(done) = prev {
        done.record(input, &mut out, progress);
    }
    nothing_after(input, rows, end)?;
    progress.add((bytes.len() - end) as u64);
    let values = checks::Values::Unit {
        data: values,
        norms,
    };
    checks::assemble(
        input,
        Format::Word2VecBinary,
        dim,
        LocKind::Offset,
        vec![(0, out)],
        values,
        warnings,
    )
}

/// Refuses data after the last of the header's `rows` rows, which end at byte `end`
/// (whitespace may follow).
fn nothing_after(input: &Input, rows: usize, end: usize) -> Result<()> {
    let tail = &input.bytes()[end..];
    match tail.iter().position(|b| !b.is_ascii_whitespace()) {
        Some(extra) => Err(input.error(
            Location::Offset((end + extra) as u64),
            format!("header says {rows} rows, but data continues after them"),
        )),
        None => Ok(()),
    }
}

/// Up to [`BATCH`] consecutive rows: their first row, their bytes in the file, each word's
/// byte range and what the check of each row's values found.
struct Block {
    first: usize,
    start: usize,
    end: usize,
    words: Vec<std::ops::Range<usize>>,
    /// The words' bytes, one after another (copied while [`Block::find`] has them in cache,
    /// so that [`Block::record`] does not read the file's scattered rows a second time).
    text: Vec<u8>,
    flags: Vec<u8>,
}

impl Block {
    /// Finds the word and value bytes of the rows from `first` (at most [`BATCH`] of them),
    /// starting at `pos` (sequential, cheap: the values are skipped).
    fn find(
        input: &Input,
        first: usize,
        rows: usize,
        row_bytes: usize,
        pos: usize,
    ) -> Result<Self> {
        let bytes = input.bytes();
        let last = rows.min(first + BATCH);
        let mut block = Block {
            first,
            start: pos,
            end: pos,
            words: Vec::with_capacity(last - first),
            text: Vec::with_capacity((last - first) * 16),
            flags: Vec::new(),
        };
        let mut pos = pos;
        for row in first..last {
            while pos < bytes.len() && matches!(bytes[pos], b'\n' | b'\r' | b' ') {
                pos += 1;
            }
            let at = pos as u64;
            let rest = &bytes[pos..];
            let Some(space) = memchr::memchr(b' ', rest) else {
                let message = if rest.is_empty() {
                    format!("header says {rows} rows, file has {row}")
                } else {
                    format!(
                        "row {} is truncated: no space after its word {}",
                        row + 1,
                        shown(rest)
                    )
                };
                return Err(input.error(Location::Offset(at), message));
            };
            let left = rest.len() - space - 1;
            if left < row_bytes {
                return Err(input.error(
                    Location::Offset(at + space as u64 + 1),
                    format!(
                        "row {} (word {}) is truncated: needs {row_bytes} bytes, {left} left",
                        row + 1,
                        shown(&rest[..space]),
                    ),
                ));
            }
            block.words.push(pos..pos + space);
            block.text.extend_from_slice(&rest[..space]);
            pos += space + 1 + row_bytes;
            // The row a few ahead starts about here: its first bytes are fetched meanwhile.
            let ahead = pos + AHEAD * (row_bytes + 2 + block.text.len() / block.words.len());
            if let Some(line) = bytes.get(ahead.saturating_sub(64)..ahead + 64) {
                crate::space::prefetch(line);
            }
        }
        block.end = pos;
        Ok(block)
    }

    /// Decodes the block's values into `values` in parallel: each row is converted, zeroed
    /// when it holds NaN or infinity (noted in its flag) and scaled to unit length (its norm
    /// into `norms`).
    fn convert(&mut self, bytes: &[u8], row_bytes: usize, values: &mut [f32], norms: &mut [f32]) {
        self.flags.clear();
        self.flags.resize(self.words.len(), 0);
        values
            .par_chunks_mut(row_bytes / 4)
            .zip(norms)
            .zip(&self.words)
            .zip(&mut self.flags)
            .for_each(|(((dst, norm), word), flag)| {
                let src = &bytes[word.end + 1..word.end + 1 + row_bytes];
                for (d, b) in dst.iter_mut().zip(src.chunks_exact(4)) {
                    *d = f32::from_le_bytes([b[0], b[1], b[2], b[3]]);
                }
                *flag = checks::zero_non_finite(dst);
                *norm = normalize_row(dst);
            });
    }

    /// Records the block's words (after [`Block::convert`]) and releases its bytes.
    fn record(self, input: &Input, out: &mut Rows, progress: Option<&Progress>) {
        let mut at = 0;
        for (word, &flag) in self.words.iter().zip(&self.flags) {
            let len = word.len();
            out.push_checked(&self.text[at..at + len], word.start as u64, flag);
            at += len;
        }
        input.release(self.start..self.end);
        progress.add((self.end - self.start) as u64);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
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

    fn load(bytes: Vec<u8>) -> Result<(Space, Vec<Warning>)> {
        let input = Input::from_vec(Path::new("v.bin"), bytes);
        let mut w = Vec::new();
        let s = read(&input, None, &mut w)?;
        Ok((s, w))
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
        let s = read(&input, None, &mut w).unwrap();
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
}
