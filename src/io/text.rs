//! Text formats: word2vec text / fastText .vec (with a header line) and GloVe (without).
//!
//! The mapped bytes are cut into chunks at line ends and the chunks are parsed in parallel;
//! each chunk counts its lines so that messages can name 1-based file lines.
pub(super) mod checks;
pub(super) mod line;
#[cfg(test)]
mod tests;

use super::Input;
use crate::error::{Error, Location, Result, Warning};
use crate::format::Format;
use crate::jobs::{Progress, ProgressExt};
use crate::space::Space;
use checks::{LocKind, Rows, SPACES};
use line::Parsed;
use rayon::prelude::*;
use std::sync::atomic::{AtomicBool, Ordering};

/// Largest chunk handed to one task.
const MAX_CHUNK: usize = 4 << 20;
/// Smallest chunk worth a task.
const MIN_CHUNK: usize = 64 << 10;
/// Chunks per thread parsed before their values are moved into the matrix.
const WAVE_PER_THREAD: usize = 2;

pub(super) fn read(
    input: &Input,
    format: Format,
    header: bool,
    progress: Option<&Progress>,
    warnings: &mut Vec<Warning>,
) -> Result<Space> {
    let len = input.bytes().len();
    let tasks = 4 * rayon::current_num_threads().max(1);
    let chunk = (len / tasks + 1).clamp(MIN_CHUNK, MAX_CHUNK);
    read_chunked(input, format, header, progress, warnings, chunk)
}

/// [`read`] with a chosen chunk size in bytes (tests force many small chunks).
fn read_chunked(
    input: &Input,
    format: Format,
    header: bool,
    progress: Option<&Progress>,
    warnings: &mut Vec<Warning>,
    chunk_bytes: usize,
) -> Result<Space> {
    let bytes = input.bytes();
    let start = checks::bom_len(bytes);
    let (dim, body, expected) = if header {
        let (rows, dim, body) = checks::read_header(input, start, |d| d.checked_mul(2))?;
        (dim, body, Some(rows))
    } else {
        (glove_dim(input, start)?, start, None)
    };
    progress.add(body as u64);
    // Lines before the body: the header line, if any.
    let lines_before = bytes[..body].iter().filter(|&&b| b == b'\n').count() as u64;
    let ranges = split(bytes, body, chunk_bytes.max(1));
    // The chunks are parsed in waves of a few per thread. After each wave their values are
    // appended to the matrix and freed, and the parsed bytes are released, so memory holds
    // the matrix, one wave and the (small) word lists rather than every chunk's values plus
    // the matrix.
    let wave = WAVE_PER_THREAD * rayon::current_num_threads().max(1);
    let mut values: Vec<f32> = Vec::new();
    if let Some(rows) = expected {
        // The header fits the file (checked), so this is at most a few times its size, and
        // untouched capacity costs no memory; a lying header is an error below anyway.
        values.reserve_exact(rows as usize * dim);
    }
    let mut parts = Vec::with_capacity(ranges.len());
    let mut newlines = lines_before;
    let stop = AtomicBool::new(false);
    for (w, group) in ranges.chunks(wave).enumerate() {
        let results = parse_wave(input, group, dim, progress, &stop)?;
        if w == 0 && expected.is_none() {
            values.reserve_exact(estimate_values(&results, group, bytes.len() - body));
        }
        let mut wave_values = Vec::with_capacity(group.len());
        for (result, range) in results.into_iter().zip(group) {
            let chunk = match result {
                Ok(c) => c,
                // Stopped because another chunk failed: parse it now, it may hold an earlier
                // error.
                Err(Fail::Stopped) => parse_chunk(&bytes[range.clone()], dim, None, None)
                    .map_err(|f| f.into_error(input, newlines))?,
                Err(f) => return Err(f.into_error(input, newlines)),
            };
            wave_values.push(chunk.values);
            parts.push((newlines + 1, chunk.rows));
            newlines += chunk.newlines;
        }
        append(&mut values, wave_values);
    }
    if let Some(rows) = expected {
        let found: usize = parts.iter().map(|(_, r)| r.len()).sum();
        if found as u64 != rows {
            return Err(input.error(
                Location::Line(1),
                format!("header says {rows} rows, file has {found}"),
            ));
        }
    }
    checks::assemble(
        input,
        format,
        dim,
        LocKind::Line,
        parts,
        checks::Values::Raw(values),
        warnings,
    )
}

/// Parses a wave of chunks in parallel, releasing each chunk's bytes once parsed. The first
/// chunk to fail makes the others stop early ([`Fail::Stopped`]); an interruption is the
/// whole read's error.
fn parse_wave(
    input: &Input,
    group: &[std::ops::Range<usize>],
    dim: usize,
    progress: Option<&Progress>,
    stop: &AtomicBool,
) -> Result<Vec<std::result::Result<Chunk, Fail>>> {
    let bytes = input.bytes();
    let results: Vec<_> = group
        .par_iter()
        .map(|r| {
            let out = parse_chunk(&bytes[r.clone()], dim, progress, Some(stop));
            if out.is_err() {
                stop.store(true, Ordering::Relaxed);
            }
            input.release(r.clone());
            out
        })
        .collect();
    if results.iter().any(|r| matches!(r, Err(Fail::Interrupted))) {
        return Err(Error::Interrupted);
    }
    Ok(results)
}

/// Values copied by one task of [`append`].
const COPY_BLOCK: usize = 256 << 10;

/// Appends the `parts` to `values` in order, copying in parallel (the copy also faults in the
/// new pages of `values`), and frees them.
fn append(values: &mut Vec<f32>, parts: Vec<Vec<f32>>) {
    let add: usize = parts.iter().map(Vec::len).sum();
    values.reserve(add);
    let mut rest = &mut values.spare_capacity_mut()[..add];
    let mut jobs = Vec::with_capacity(parts.len());
    for part in &parts {
        let (dst, tail) = rest.split_at_mut(part.len());
        rest = tail;
        jobs.extend(dst.chunks_mut(COPY_BLOCK).zip(part.chunks(COPY_BLOCK)));
    }
    jobs.into_par_iter().for_each(|(dst, src)| {
        for (d, &s) in dst.iter_mut().zip(src) {
            d.write(s);
        }
    });
    // SAFETY: the jobs wrote all `add` values after the old length: the destinations split
    // the first `add` spare slots into pieces exactly as long as the parts.
    unsafe { values.set_len(values.len() + add) };
}

/// The number of values to reserve for a file without a header, from the first wave: its
/// values per byte over the `body` bytes of the file, plus a margin. Growing past it later
/// is still correct, only slower.
fn estimate_values(
    first: &[Result<Chunk, Fail>],
    ranges: &[std::ops::Range<usize>],
    body: usize,
) -> usize {
    let (mut bytes, mut values) = (0, 0);
    for (result, range) in first.iter().zip(ranges) {
        if let Ok(chunk) = result {
            bytes += range.len();
            values += chunk.values.len();
        }
    }
    if bytes == 0 {
        return 0;
    }
    let per_byte = values as f64 / bytes as f64;
    (per_byte * body as f64 * 1.05) as usize + values / 16
}

/// The dimension of a GloVe file: the number of values on its first non-blank line.
pub(super) fn glove_dim(input: &Input, start: usize) -> Result<usize> {
    let bytes = input.bytes();
    let mut pos = start;
    let mut line_no = 1;
    while pos < bytes.len() {
        let (line, len) = checks::first_line(&bytes[pos..]);
        let (fields, numbers) = line::trailing_numbers(line);
        if fields > 0 {
            let loc = Location::Line(line_no);
            if checks::parse_header(line).is_some() {
                return Err(input.error(
                    loc,
                    "the first line is a `rows dims` header, as word2vec and fastText .vec \
                     files have, not GloVe",
                ));
            }
            if numbers == 0 {
                return Err(input.error(
                    loc,
                    format!(
                        "expected `word value value …`, found {}",
                        checks::shown(checks::trim_end(line))
                    ),
                ));
            }
            return Ok(numbers.min(fields - 1));
        }
        pos += len;
        line_no += 1;
    }
    Err(input.error(Location::File, "no vectors in file"))
}

/// Cuts `bytes[start..]` into ranges of about `size` bytes that end just after a `\n`.
fn split(bytes: &[u8], start: usize, size: usize) -> Vec<std::ops::Range<usize>> {
    let mut ranges = Vec::new();
    let mut pos = start;
    while pos < bytes.len() {
        let want = pos.saturating_add(size).min(bytes.len());
        let end = match memchr::memchr(b'\n', &bytes[want - 1..]) {
            Some(i) => want + i,
            None => bytes.len(),
        };
        ranges.push(pos..end);
        pos = end;
    }
    ranges
}

/// The rows of one chunk, their values and the number of `\n` in it.
struct Chunk {
    rows: Rows,
    values: Vec<f32>,
    newlines: u64,
}

/// Why a chunk was not parsed.
enum Fail {
    /// A bad line, at a 0-based line within the chunk.
    Format {
        line: u64,
        message: String,
    },
    Interrupted,
    /// Another chunk failed first.
    Stopped,
}

impl Fail {
    /// The error, given the number of lines before the chunk.
    fn into_error(self, input: &Input, lines_before: u64) -> Error {
        match self {
            Fail::Format { line, message } => {
                input.error(Location::Line(lines_before + line + 1), message)
            }
            Fail::Interrupted | Fail::Stopped => Error::Interrupted,
        }
    }
}

fn parse_chunk(
    data: &[u8],
    dim: usize,
    progress: Option<&Progress>,
    stop: Option<&AtomicBool>,
) -> Result<Chunk, Fail> {
    let stopped = || stop.is_some_and(|s| s.load(Ordering::Relaxed));
    if stopped() {
        return Err(Fail::Stopped);
    }
    progress.check().map_err(|_| Fail::Interrupted)?;
    let guess = data.len() / (dim * 8 + 8) + 1;
    let mut rows = Rows::with_capacity(guess);
    let mut values = Vec::with_capacity(guess * dim);
    let mut pos = 0;
    let mut line_no = 0;
    while pos < data.len() {
        let (line, next, ended) = match memchr::memchr(b'\n', &data[pos..]) {
            Some(i) => (&data[pos..pos + i], pos + i + 1, true),
            None => (&data[pos..], data.len(), false),
        };
        match line::parse_line(line, dim, &mut values) {
            Ok(Parsed::Blank) => {}
            Ok(Parsed::Row { word, spaced }) => {
                let row = values.len() - dim;
                let flags = if spaced { SPACES } else { 0 };
                rows.push(&word, line_no, &mut values[row..], flags)
            }
            Err(message) => {
                return Err(Fail::Format {
                    line: line_no,
                    message,
                })
            }
        }
        line_no += u64::from(ended);
        pos = next;
        if line_no % 16384 == 0 && stopped() {
            return Err(Fail::Stopped);
        }
    }
    progress.add(data.len() as u64);
    Ok(Chunk {
        rows,
        values,
        newlines: line_no,
    })
}
