//! Row checks shared by the text and word2vec binary readers: the header line, word
//! decoding, and assembling parsed rows into a [`Space`] with warnings for duplicates,
//! NaN/Inf rows, odd characters and invalid UTF-8.
use crate::error::{Location, Result, Warning};
use crate::format::Format;
use crate::io::Input;
use crate::space::{Matrix, SourceInfo, Space, Storage, Vocab, LAZY_MIN_WORDS};
use std::borrow::Cow;

/// The row held NaN or infinite values and was set to zero.
pub(in crate::io) const NON_FINITE: u8 = 1;
/// The word is not valid UTF-8 and was decoded lossily.
pub(in crate::io) const BAD_UTF8: u8 = 2;
/// The word contains control characters or U+00A0.
pub(in crate::io) const ODD_CHARS: u8 = 4;
/// The word was split over several fields and joined with single spaces (text only).
pub(in crate::io) const SPACES: u8 = 8;

/// Whether row locations are 1-based lines or 0-based byte offsets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(in crate::io) enum LocKind {
    Line,
    Offset,
}

impl LocKind {
    pub(in crate::io) fn location(self, n: u64) -> Location {
        match self {
            LocKind::Line => Location::Line(n),
            LocKind::Offset => Location::Offset(n),
        }
    }

    fn describe(self, n: u64) -> String {
        match self {
            LocKind::Line => format!("line {n}"),
            LocKind::Offset => format!("byte offset {n}"),
        }
    }
}

/// What was parsed about the rows of one part of a file: words in one string, locations and
/// flags. The values live apart, in one row-major `Vec<f32>` per reader, so that they can be
/// built in place in the final matrix.
#[derive(Debug, Default)]
pub(in crate::io) struct Rows {
    words: String,
    ends: Vec<usize>,
    /// Location of each row; for text chunks a 0-based line within the chunk.
    locs: Vec<u64>,
    flags: Vec<u8>,
}

impl Rows {
    pub(in crate::io) fn with_capacity(rows: usize) -> Self {
        Rows {
            words: String::with_capacity(rows * 8),
            ends: Vec::with_capacity(rows),
            locs: Vec::with_capacity(rows),
            flags: Vec::with_capacity(rows),
        }
    }

    pub(in crate::io) fn len(&self) -> usize {
        self.ends.len()
    }

    /// Records the next row, whose values are `values`. Decodes the word, zeroes the values
    /// if any is NaN or infinite, and notes what was odd about the row.
    pub(in crate::io) fn push(&mut self, word: &[u8], loc: u64, values: &mut [f32], extra: u8) {
        self.push_checked(word, loc, extra | zero_non_finite(values));
    }

    /// Records the next row whose values were already checked with [`zero_non_finite`]
    /// (its result is in `extra`). Decodes the word and notes what was odd about the row.
    pub(in crate::io) fn push_checked(&mut self, word: &[u8], loc: u64, extra: u8) {
        let (text, mut flags) = decode_word(word);
        flags |= extra;
        self.words.push_str(&text);
        self.ends.push(self.words.len());
        self.locs.push(loc);
        self.flags.push(flags);
    }

    fn word(&self, i: usize) -> &str {
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        &self.words[start..self.ends[i]]
    }
}

/// Zeroes `values` when any of them is NaN or infinite, and says so with [`NON_FINITE`]
/// (else 0).
pub(in crate::io) fn zero_non_finite(values: &mut [f32]) -> u8 {
    if values.iter().all(|v| v.is_finite()) {
        return 0;
    }
    values.iter_mut().for_each(|v| *v = 0.0);
    NON_FINITE
}

/// Decodes a word: valid UTF-8 as is, otherwise lossily; flags odd characters.
pub(in crate::io) fn decode_word(word: &[u8]) -> (Cow<'_, str>, u8) {
    // Common case: printable ASCII without spaces.
    if word.iter().all(|&b| b.wrapping_sub(0x21) < 0x5e) {
        if let Ok(s) = std::str::from_utf8(word) {
            return (Cow::Borrowed(s), 0);
        }
    }
    let (text, mut flags) = match std::str::from_utf8(word) {
        Ok(s) => (Cow::Borrowed(s), 0),
        Err(_) => (String::from_utf8_lossy(word), BAD_UTF8),
    };
    if text.chars().any(|c| c.is_control() || c == '\u{a0}') {
        flags |= ODD_CHARS;
    }
    (text, flags)
}

/// A short, escaped rendering of some bytes for messages; binary data (NUL bytes, or several
/// control characters) is said as such, after its printable start (`"PAR1" and then binary
/// data`), rather than escaped byte by byte.
pub(in crate::io) fn shown(bytes: &[u8]) -> String {
    const MAX: usize = 40;
    let head = &bytes[..bytes.len().min(4 * MAX)];
    let control = |b: &&u8| **b < 0x20 && !b"\t\r\n".contains(*b);
    if head.contains(&0) || head.iter().filter(control).count() >= 4 {
        let start: String = head
            .iter()
            .take_while(|b| b.is_ascii_graphic() || **b == b' ')
            .take(MAX)
            .map(|&b| char::from(b))
            .collect();
        return if start.is_empty() {
            "binary data".into()
        } else {
            format!("\"{start}\" and then binary data")
        };
    }
    let text = String::from_utf8_lossy(head);
    let mut out: String = text.chars().take(MAX).collect();
    let truncated = text.chars().count() > MAX || bytes.len() > 4 * MAX;
    out = format!("\"{}\"", out.escape_debug());
    if truncated {
        out.push('…');
    }
    out
}

/// Parses a `rows dims` header line (trailing spaces, tabs and `\r` allowed).
pub(in crate::io) fn parse_header(line: &[u8]) -> Option<(u64, u64)> {
    let line = trim_end(line);
    let mut fields = line
        .split(|&b| b == b' ' || b == b'\t')
        .filter(|f| !f.is_empty());
    let rows = parse_u64(fields.next()?)?;
    let dims = parse_u64(fields.next()?)?;
    fields.next().is_none().then_some((rows, dims))
}

fn parse_u64(field: &[u8]) -> Option<u64> {
    if field.is_empty() || field.len() > 20 || !field.iter().all(u8::is_ascii_digit) {
        return None;
    }
    std::str::from_utf8(field).ok()?.parse().ok()
}

/// `line` without trailing spaces, tabs and carriage returns.
pub(in crate::io) fn trim_end(line: &[u8]) -> &[u8] {
    let n = line
        .iter()
        .rposition(|&b| !matches!(b, b' ' | b'\t' | b'\r'))
        .map_or(0, |i| i + 1);
    &line[..n]
}

/// The first line of `bytes` (without its `\n`) and the offset just past it.
pub(in crate::io) fn first_line(bytes: &[u8]) -> (&[u8], usize) {
    match memchr::memchr(b'\n', bytes) {
        Some(i) => (&bytes[..i], i + 1),
        None => (bytes, bytes.len()),
    }
}

/// Bytes of a UTF-8 byte order mark at the start of `bytes`, if any.
pub(in crate::io) fn bom_len(bytes: &[u8]) -> usize {
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        3
    } else {
        0
    }
}

/// Reads and checks the `rows dims` header at `start`. `min_row_bytes(dims)` is the fewest
/// bytes a row can take, so a header claiming more than the file can hold is rejected before
/// anything is allocated. Returns rows, dims and the offset of the first row.
pub(in crate::io) fn read_header(
    input: &Input,
    start: usize,
    min_row_bytes: impl Fn(u64) -> Option<u64>,
) -> Result<(u64, usize, usize)> {
    let bytes = input.bytes();
    let (line, len) = first_line(&bytes[start..]);
    let body = start + len;
    let loc = Location::Line(1);
    let Some((rows, dims)) = parse_header(line) else {
        return Err(input.error(
            loc,
            format!(
                "expected a header line `rows dims` (two non-negative integers), found {}",
                shown(line)
            ),
        ));
    };
    let rest = bytes[body..].iter().any(|b| !b.is_ascii_whitespace());
    if dims == 0 {
        return Err(input.error(loc, "header says the vectors have 0 dimensions"));
    }
    if rows == 0 {
        let msg = if rest {
            "header says 0 rows, but the file has data after it"
        } else {
            "no vectors in file (header says 0 rows)"
        };
        return Err(input.error(loc, msg));
    }
    let left = (bytes.len() - body) as u64;
    let fits = min_row_bytes(dims)
        .and_then(|per_row| per_row.checked_mul(rows))
        .is_some_and(|need| need <= left);
    if !fits || usize::try_from(dims).is_err() {
        return Err(input.error(
            loc,
            format!(
                "header says {rows} rows of {dims} dimensions, which cannot fit in the \
                 {left} bytes that follow (truncated file or wrong header)"
            ),
        ));
    }
    Ok((rows, dims as usize, body))
}

mod tally;
use tally::Tallies;

/// The values of all rows, as a reader hands them to [`assemble`].
pub(in crate::io) enum Values {
    /// As read: [`assemble`] normalises them.
    Raw(Vec<f32>),
    /// Already scaled to unit length with [`crate::space::normalize_row`], which gave `norms`.
    Unit { data: Vec<f32>, norms: Vec<f32> },
    /// Left in the input, at their original length, each row at a byte offset in `starts`,
    /// with the norm that [`crate::space::normalize_row`] would give it (0 for a row to be
    /// read as zeros): see [`crate::space::Matrix::in_file`].
    InFile { starts: Vec<usize>, norms: Vec<f32> },
}

/// Builds the space from parsed parts, in order. `parts` pairs each [`Rows`] with the amount
/// added to its row locations; `values` holds the values of all their rows, in the same
/// order. Duplicate words keep their first row; the later rows are dropped from `values` in
/// place.
pub(in crate::io) fn assemble(
    input: &Input,
    format: Format,
    dim: usize,
    kind: LocKind,
    parts: Vec<(u64, Rows)>,
    values: Values,
    warnings: &mut Vec<Warning>,
) -> Result<Space> {
    let mut values = values;
    let rows: usize = parts.iter().map(|(_, r)| r.len()).sum();
    let word_bytes: usize = parts.iter().map(|(_, r)| r.words.len()).sum();
    if rows == 0 {
        return Err(input.error(Location::File, "no vectors in file"));
    }
    debug_assert!(values.fits(rows, dim), "values and rows differ");
    // Rows (over all parts) that repeat an earlier word, in order.
    let dropped = {
        let words: Vec<&str> = parts
            .iter()
            .flat_map(|(_, part)| (0..part.len()).map(|i| part.word(i)))
            .collect();
        crate::space::repeated_rows(&words)
    };
    let mut vocab = Vocab::lazy_with_capacity(rows, word_bytes);
    let mut repeats = dropped.iter().copied().peekable();
    let mut tallies = Tallies::default();
    let mut row = 0;
    for (base, part) in &parts {
        for i in 0..part.len() {
            let (word, flags, loc) = (part.word(i), part.flags[i], base + part.locs[i]);
            tallies.note(flags, loc, word);
            if repeats.next_if_eq(&row).is_some() {
                tallies.repeat(loc, word);
            } else {
                vocab.push_unchecked(word);
            }
            row += 1;
        }
    }
    drop(parts);
    if rows < LAZY_MIN_WORDS {
        // Big vocabularies build their lookup on demand, as `.fifu` ones do.
        vocab.build_index();
    }
    values.drop_rows(dim, &dropped);
    tallies.warn(input, kind, warnings);
    values.into_space(input, vocab, dim, format)
}

impl Values {
    /// Whether the values are those of `rows` rows of `dim`.
    fn fits(&self, rows: usize, dim: usize) -> bool {
        match self {
            Values::Raw(data) => data.len() == rows * dim,
            Values::Unit { data, norms } => data.len() == rows * dim && norms.len() == rows,
            Values::InFile { starts, norms } => starts.len() == rows && norms.len() == rows,
        }
    }

    /// Removes the rows listed in `dropped` (ascending).
    fn drop_rows(&mut self, dim: usize, dropped: &[usize]) {
        match self {
            Values::Raw(data) => drop_rows(data, dim, dropped),
            Values::Unit { data, norms } => {
                drop_rows(data, dim, dropped);
                drop_rows(norms, 1, dropped);
            }
            Values::InFile { starts, norms } => {
                drop_rows(starts, 1, dropped);
                drop_rows(norms, 1, dropped);
            }
        }
    }

    /// The space of `vocab` and these values, read from `input` in `format`.
    fn into_space(self, input: &Input, vocab: Vocab, dim: usize, format: Format) -> Result<Space> {
        let source = |storage| SourceInfo {
            path: input.path().to_path_buf(),
            format,
            storage,
            metadata: None,
            file_bytes: input.bytes().len() as u64,
        };
        Ok(match self {
            Values::Raw(data) => Space::from_raw(vocab, dim, data, source(Storage::Array)),
            Values::Unit { data, norms } => {
                Space::from_unit(vocab, dim, data, norms, source(Storage::Array))
            }
            Values::InFile { starts, norms } => {
                let matrix =
                    Matrix::in_file(input.source().clone(), starts, norms.clone().into(), dim)
                        .ok_or_else(|| {
                            input.error(Location::File, "a row lies outside the file")
                        })?;
                Space::from_matrix(vocab, matrix, norms, source(Storage::Mmap))
            }
        })
    }
}

/// Removes the `dim`-wide rows listed in `dropped` (ascending) from `values`, moving the
/// rows after each one down in place, and gives back the spare capacity.
fn drop_rows<T: Copy>(values: &mut Vec<T>, dim: usize, dropped: &[usize]) {
    let total = values.len() / dim.max(1);
    let mut kept = dropped.first().copied().unwrap_or(total);
    for (k, &row) in dropped.iter().enumerate() {
        let next = dropped.get(k + 1).copied().unwrap_or(total);
        values.copy_within((row + 1) * dim..next * dim, kept * dim);
        kept += next - row - 1;
    }
    values.truncate(kept * dim);
    values.shrink_to_fit();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drop_rows_in_place() {
        let rows = |n: usize| (0..n * 2).map(|v| v as f32).collect::<Vec<_>>();
        let mut v = rows(6);
        drop_rows(&mut v, 2, &[]);
        assert_eq!(v, rows(6));
        drop_rows(&mut v, 2, &[1, 2, 5]);
        assert_eq!(v, [0.0, 1.0, 6.0, 7.0, 8.0, 9.0]);
        let mut v = rows(3);
        drop_rows(&mut v, 2, &[0]);
        assert_eq!(v, [2.0, 3.0, 4.0, 5.0]);
    }
}
