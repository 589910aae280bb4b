//! The hand-written reader for files with a simple vocabulary and an f32 matrix.
use super::bytes::{chunk_name, Chunk, Reader, METADATA, NDARRAY, NDNORMS, SIMPLE_VOCAB, TYPE_F32};
use super::words::{read_words, WordList};
use crate::error::{Location, Result, Warning};
use crate::format::Format;
use crate::io::{Input, MmapMode};
use crate::jobs::{Progress, ProgressExt};
use crate::space::{normalize_rows, Matrix, SourceInfo, Space, SpaceParts, Storage};
use rayon::prelude::*;

/// The chunks a plain file may hold, each at most once.
struct Plain {
    vocab: Chunk,
    array: Chunk,
    norms: Option<Chunk>,
    meta: Option<Chunk>,
}

fn plain_chunks(input: &Input, chunks: &[Chunk]) -> Result<Plain> {
    let (mut vocab_c, mut array_c, mut norms_c, mut meta_c) = (None, None, None, None);
    for c in chunks {
        let slot = match c.id {
            SIMPLE_VOCAB => &mut vocab_c,
            NDARRAY => &mut array_c,
            NDNORMS => &mut norms_c,
            METADATA => &mut meta_c,
            _ => unreachable!("only plain chunks reach the fast reader"),
        };
        if slot.is_some() {
            return Err(input.error(
                Location::Offset(c.start as u64),
                format!("a second {} chunk", chunk_name(c.id)),
            ));
        }
        *slot = Some(*c);
    }
    Ok(Plain {
        vocab: vocab_c
            .ok_or_else(|| input.error(Location::File, "the file has no vocabulary chunk"))?,
        array: array_c
            .ok_or_else(|| input.error(Location::File, "the file has no embedding matrix chunk"))?,
        norms: norms_c,
        meta: meta_c,
    })
}

/// The stored norms, checked against the number of rows.
fn stored_norms(input: &Input, c: Option<Chunk>, rows: usize) -> Result<Option<Vec<f32>>> {
    let Some(c) = c else {
        return Ok(None);
    };
    let (off, len) = read_norms(input, &c)?;
    if len != rows {
        return Err(input.error(
            Location::Offset(c.body as u64),
            format!("the norms chunk has {len} norms but the matrix has {rows} rows"),
        ));
    }
    Ok(Some(f32s(&input.bytes()[off..off + len * 4])))
}

pub(super) fn vocabulary(
    input: &Input,
    vocab_c: &Chunk,
    progress: Option<&Progress>,
) -> Result<(WordList, Vec<Warning>)> {
    let mut warnings = Vec::new();
    let mut r = Reader::new(input, vocab_c.body, vocab_c.end);
    let count = r.u64("the vocabulary length")?;
    let words = read_words(
        input,
        &mut r,
        count,
        "the vocabulary chunk",
        progress,
        &mut warnings,
    )?;
    Ok((words, warnings))
}

pub(super) fn read(
    input: &Input,
    chunks: &[Chunk],
    mmap: MmapMode,
    progress: Option<&Progress>,
    warnings: &mut Vec<Warning>,
) -> Result<Space> {
    let plain = plain_chunks(input, chunks)?;
    let metadata = plain
        .meta
        .map(|c| super::metadata_text(input, &c, warnings));
    let m = read_array(input, &plain.array)?;
    let norms = stored_norms(input, plain.norms, m.rows)?;
    let file_bytes = input.bytes().len() as u64;
    let want_map = input.is_embedded() || mmap.maps(file_bytes);
    // Zero-copy when the rows in the file are already unit length (norms are stored) and no
    // word is dropped as a duplicate. The mapped rows are not read here (opening touches no
    // matrix page): a row holding NaN or ±∞ scores NaN, which every neighbour search drops.
    let shared = match &norms {
        Some(ns) if want_map && ns.iter().all(|n| good_norm(*n)) => {
            Matrix::from_shared(input.source().clone(), m.offset, m.rows, m.cols)
        }
        _ => None,
    };
    let (words, vocab_warnings) = vocabulary(input, &plain.vocab, progress)?;
    warnings.extend(vocab_warnings);
    progress.check()?;
    if m.rows != words.file_rows {
        return Err(input.error(
            Location::Offset(plain.array.body as u64),
            format!(
                "the matrix has {} rows but the vocabulary has {} words",
                m.rows, words.file_rows
            ),
        ));
    }
    let (metadata, counts) = super::take_counts(metadata, m.rows);
    let source = |storage| SourceInfo {
        path: input.path().to_path_buf(),
        format: Format::Fifu,
        storage,
        metadata: metadata.clone(),
        file_bytes,
    };
    if let (Some(matrix), true) = (shared, words.duplicates.is_empty()) {
        let storage = if input.is_embedded() {
            Storage::Embedded
        } else {
            Storage::Mmap
        };
        return Ok(Space::new(SpaceParts {
            vocab: words.vocab,
            matrix,
            norms: norms.unwrap_or_default(),
            counts,
            subwords: None,
            source: source(storage),
        }));
    }
    let kept = words.kept_rows();
    let copied = copy_rows(input, &m, &words, &kept, norms, progress, warnings)?;
    let src = |i: usize| if kept.is_empty() { i } else { kept[i] };
    Ok(Space::new(SpaceParts {
        matrix: Matrix::from_vec(words.vocab.len(), m.cols, copied.data),
        norms: copied.norms,
        counts: counts.map(|c| (0..words.vocab.len()).map(|i| c[src(i)]).collect()),
        vocab: words.vocab,
        subwords: None,
        source: source(Storage::Array),
    }))
}

/// Rows copied out of the file, with their norms.
struct Copied {
    data: Vec<f32>,
    norms: Vec<f32>,
}

/// Copies the rows of the kept words (in blocks, handing the mapped pages of each copied
/// block back, so peak memory stays near the size of the matrix rather than matrix + file),
/// zeroes rows with NaN/Inf values, and normalises when the file has no norms.
fn copy_rows(
    input: &Input,
    m: &ArrayInfo,
    words: &WordList,
    kept: &[usize],
    norms: Option<Vec<f32>>,
    progress: Option<&Progress>,
    warnings: &mut Vec<Warning>,
) -> Result<Copied> {
    let cols = m.cols;
    let src = |i: usize| if kept.is_empty() { i } else { kept[i] };
    let n = words.vocab.len();
    let bytes = input.bytes();
    let mut data = vec![0f32; n * cols];
    if cols > 0 {
        const BLOCK: usize = 16 * 1024;
        for (b, block) in data.chunks_mut(BLOCK * cols).enumerate() {
            let first = b * BLOCK;
            let count = block.len() / cols;
            block
                .par_chunks_mut(cols)
                .enumerate()
                .with_min_len(1024)
                .for_each(|(j, row)| {
                    let at = m.offset + src(first + j) * cols * 4;
                    copy_f32s(&bytes[at..at + cols * 4], row);
                });
            let lo = m.offset + src(first) * cols * 4;
            let hi = m.offset + (src(first + count - 1) + 1) * cols * 4;
            input.release(lo..hi);
            progress.check()?;
        }
    }
    progress.check()?;
    let mut norms: Option<Vec<f32>> = norms.map(|all| (0..n).map(|i| all[src(i)]).collect());
    let bad = zero_bad_rows(&mut data, cols, norms.as_deref());
    if let Some(ns) = norms.as_mut() {
        for &i in &bad {
            ns[i] = 0.0;
        }
    }
    if let Some(&first) = bad.first() {
        warnings.push(input.warning(
            Location::Offset((m.offset + src(first) * cols * 4) as u64),
            format!(
                "{} row(s) with NaN or infinite values were set to zero (first: {:?})",
                bad.len(),
                words.vocab.word(first)
            ),
        ));
    }
    let norms = match norms {
        Some(ns) => ns,
        None if cols == 0 => vec![0.0; n],
        None => normalize_rows(&mut data, cols),
    };
    Ok(Copied { data, norms })
}

/// Sets rows with NaN/Inf values (or a broken norm) to zero; returns their indices.
fn zero_bad_rows(data: &mut [f32], cols: usize, norms: Option<&[f32]>) -> Vec<usize> {
    if cols == 0 {
        return Vec::new();
    }
    data.par_chunks_mut(cols)
        .enumerate()
        .with_min_len(1024)
        .filter_map(|(i, row)| {
            let norm_ok = norms.is_none_or(|ns| good_norm(ns[i]));
            if all_finite(row) && norm_ok {
                None
            } else {
                row.iter_mut().for_each(|v| *v = 0.0);
                Some(i)
            }
        })
        .collect()
}

/// Position and shape of an f32 matrix in the file.
pub(super) struct ArrayInfo {
    pub rows: usize,
    pub cols: usize,
    /// Byte offset of the first value.
    pub offset: usize,
}

/// Parses an NdArray chunk and checks that its values fit in the chunk.
pub(super) fn read_array(input: &Input, c: &Chunk) -> Result<ArrayInfo> {
    let mut r = Reader::new(input, c.body, c.end);
    let rows = r.u64("the number of matrix rows")?;
    let cols = r.u32("the number of matrix columns")?;
    let ty = r.u32("the matrix type id")?;
    if ty != TYPE_F32 {
        r.pos -= 4;
        return Err(r.error(format!(
            "the matrix has type id {ty}; only f32 (type id {TYPE_F32}) is supported"
        )));
    }
    r.skip_padding()?;
    if cols == 0 && rows > 0 {
        return Err(r.error("the matrix has 0 columns"));
    }
    let offset = r.pos;
    let need = rows
        .checked_mul(u64::from(cols))
        .and_then(|v| v.checked_mul(4))
        .filter(|&b| b <= r.remaining() as u64);
    if need.is_none() {
        return Err(r.error(format!(
            "the matrix claims {rows} × {cols} values but only {} bytes remain",
            r.remaining()
        )));
    }
    Ok(ArrayInfo {
        rows: rows as usize,
        cols: cols as usize,
        offset,
    })
}

/// Parses an NdNorms chunk: the offset and number of its values.
pub(super) fn read_norms(input: &Input, c: &Chunk) -> Result<(usize, usize)> {
    let mut r = Reader::new(input, c.body, c.end);
    let len = r.u64("the number of norms")?;
    let ty = r.u32("the norms type id")?;
    if ty != TYPE_F32 {
        r.pos -= 4;
        return Err(r.error(format!(
            "the norms have type id {ty}; only f32 (type id {TYPE_F32}) is supported"
        )));
    }
    r.skip_padding()?;
    r.check_count(len, 4, "the norms chunk")?;
    Ok((r.pos, len as usize))
}

/// Little-endian f32 values of `bytes`.
pub(super) fn f32s(bytes: &[u8]) -> Vec<f32> {
    let mut out = vec![0f32; bytes.len() / 4];
    copy_f32s(bytes, &mut out);
    out
}

fn copy_f32s(bytes: &[u8], out: &mut [f32]) {
    for (d, b) in out.iter_mut().zip(bytes.chunks_exact(4)) {
        *d = f32::from_le_bytes([b[0], b[1], b[2], b[3]]);
    }
}

/// True when no value is NaN or infinite (branch-free, so it vectorises).
pub(super) fn all_finite(v: &[f32]) -> bool {
    !v.iter().fold(false, |acc, x| {
        acc | (x.to_bits() & 0x7f80_0000 == 0x7f80_0000)
    })
}

pub(super) fn good_norm(n: f32) -> bool {
    n.is_finite() && n >= 0.0
}
