//! word2vec binary files: a `rows dims` header line, then per row the word, a space, `dims`
//! little-endian f32 and (usually) a newline.
use super::huge::Prefault;
use super::text::checks::{self, shown, LocKind, Rows};
use super::{Input, MmapMode};
use crate::error::{Location, Result, Warning};
use crate::format::Format;
use crate::jobs::{Progress, ProgressExt};
use crate::space::{l2_norm_le, normalize_row, Space};
use rayon::prelude::*;

/// Rows in a block of the pipeline (and between progress updates).
const BATCH: usize = 16384;
/// Rows [`Block::find`] looks ahead to fetch a row's first bytes before it gets there.
const AHEAD: usize = 8;

/// Reads a word2vec binary file. Under `mmap` (by default for files of 256 MiB or more) the
/// rows stay in the mapped file ([`crate::space::Matrix::in_file`]); otherwise they are
/// copied into memory at unit length.
pub(super) fn read(
    input: &Input,
    mmap: MmapMode,
    progress: Option<&Progress>,
    warnings: &mut Vec<Warning>,
) -> Result<Space> {
    let bytes = input.bytes();
    // Each row needs at least a one-byte word, a space and the values.
    let (rows, dim, pos) = checks::read_header(input, 0, |d| d.checked_mul(4)?.checked_add(2))?;
    let rows = rows as usize; // fits: checked against the file size
    progress.add(pos as u64);
    let header = (rows, dim, pos);
    let (out, values) = if mmap.maps(bytes.len() as u64) {
        in_place(input, header, progress)?
    } else {
        copied(input, header, progress)?
    };
    let parts = vec![(0, out)];
    checks::assemble(
        input,
        Format::Word2VecBinary,
        dim,
        LocKind::Offset,
        parts,
        values,
        warnings,
    )
}

/// Reads the words, and the rows into memory at unit length.
fn copied(
    input: &Input,
    (rows, dim, pos): (usize, usize, usize),
    progress: Option<&Progress>,
) -> Result<(Rows, checks::Values)> {
    // The values go straight into the final matrix (zero pages until written); each row is
    // converted, checked and normalised in one parallel pass, block by block ([`pipeline`]).
    // A block's bytes are released once its words are recorded, so only a few blocks of the
    // file are resident besides the matrix.
    let mut values = vec![0.0f32; rows * dim];
    let mut norms = vec![0.0f32; rows];
    // Each block's part of the matrix is faulted in (in huge pages while they come fast,
    // else in small pages asked for in bulk) one block ahead, beside the conversion of the
    // block before, by whichever core is free.
    let mut huge = Prefault::for_matrix(values.len() * 4);
    huge.prepare(&mut values[..(BATCH * dim).min(rows * dim)]);
    let out = pipeline(input, (rows, dim, pos), progress, true, |block| {
        let after = block.first + block.words.len();
        let (vals, ahead) = values[block.first * dim..].split_at_mut((after - block.first) * dim);
        let ahead_len = (BATCH * dim).min(ahead.len());
        let nrms = &mut norms[block.first..after];
        rayon::join(
            || block.convert(input.bytes(), dim * 4, vals, nrms),
            || huge.prepare(&mut ahead[..ahead_len]),
        );
    })?;
    let data = values;
    Ok((out, checks::Values::Unit { data, norms }))
}

/// Reads the words and the norms of the rows, leaving the values in the file.
fn in_place(
    input: &Input,
    (rows, dim, pos): (usize, usize, usize),
    progress: Option<&Progress>,
) -> Result<(Rows, checks::Values)> {
    let mut norms = vec![0.0f32; rows];
    let mut starts = Vec::with_capacity(rows);
    let out = pipeline(input, (rows, dim, pos), progress, false, |block| {
        let after = block.first + block.words.len();
        starts.extend(block.words.iter().map(|w| w.end + 1));
        block.measure(input.bytes(), dim * 4, &mut norms[block.first..after]);
    })?;
    Ok((out, checks::Values::InFile { starts, norms }))
}

/// Reads the `rows` rows of `dim` values from byte `pos` in blocks, pipelined: while `work`
/// handles one block on the cores, the reading thread records the words of the block before
/// (letting its bytes go when `release`) and finds the rows of the block after (the
/// sequential parts, which would otherwise leave a core idle). Returns the words.
fn pipeline(
    input: &Input,
    (rows, dim, pos): (usize, usize, usize),
    progress: Option<&Progress>,
    release: bool,
    mut work: impl FnMut(&mut Block) + Send,
) -> Result<Rows> {
    let row_bytes = dim * 4;
    let mut out = Rows::with_capacity(rows);
    let mut next = Some(Block::find(input, 0, rows, row_bytes, pos)?);
    let mut prev: Option<Block> = None;
    let mut end = pos;
    while let Some(mut block) = next.take() {
        progress.check()?;
        end = block.end;
        let after = block.first + block.words.len();
        let ((), found) = rayon::join(
            || work(&mut block),
            || {
                if let Some(done) = prev.take() {
                    done.record(input, &mut out, progress, release);
                }
                (after < rows)
                    .then(|| Block::find(input, after, rows, row_bytes, end))
                    .transpose()
            },
        );
        next = found?;
        prev = Some(block);
    }
    if let Some(done) = prev {
        done.record(input, &mut out, progress, release);
    }
    nothing_after(input, rows, end)?;
    progress.add((input.bytes().len() - end) as u64);
    Ok(out)
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
                *flag = decode(&bytes[word.end + 1..][..row_bytes], dst);
                *norm = normalize_row(dst);
            });
    }

    /// What [`Block::convert`] finds and gives as norms, without keeping the values (in one
    /// pass over each row, where it is).
    fn measure(&mut self, bytes: &[u8], row_bytes: usize, norms: &mut [f32]) {
        self.flags.clear();
        self.flags.resize(self.words.len(), 0);
        norms
            .par_iter_mut()
            .zip(&self.words)
            .zip(&mut self.flags)
            .for_each(|((norm, word), flag)| {
                match l2_norm_le(&bytes[word.end + 1..][..row_bytes]) {
                    Some(n) => *norm = n,
                    None => (*norm, *flag) = (0.0, checks::NON_FINITE),
                }
            });
    }

    /// Records the block's words (after [`Block::convert`] or [`Block::measure`]) and, when
    /// `release`, lets its bytes go.
    fn record(self, input: &Input, out: &mut Rows, progress: Option<&Progress>, release: bool) {
        let mut at = 0;
        for (word, &flag) in self.words.iter().zip(&self.flags) {
            let len = word.len();
            out.push_checked(&self.text[at..at + len], word.start as u64, flag);
            at += len;
        }
        if release {
            input.release(self.start..self.end);
        }
        progress.add((self.end - self.start) as u64);
    }
}

/// Decodes the little-endian f32 of `src` into `dst`, zeroing the row when it holds NaN or
/// infinity; returns the row's flag.
fn decode(src: &[u8], dst: &mut [f32]) -> u8 {
    for (d, b) in dst.iter_mut().zip(src.chunks_exact(4)) {
        *d = f32::from_le_bytes([b[0], b[1], b[2], b[3]]);
    }
    checks::zero_non_finite(dst)
}

#[cfg(test)]
mod tests;
