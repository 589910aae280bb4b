//! The hand-written reader for files with a simple vocabulary and an f32 matrix.
use super::bytes::{chunk_name, Chunk, Reader, METADATA, NDARRAY, NDNORMS, SIMPLE_VOCAB, TYPE_F32};
use super::words::{read_words, WordList};
use crate::error::{Location, Result, Warning};
use crate::format::Format;
use crate::io::{Input, MmapMode, AUTO_MMAP_BYTES};
use crate::jobs::{Progress, ProgressExt};
use crate::space::{normalize_rows, Matrix, SourceInfo, Space, SpaceParts, Storage};
use rayon::prelude::*;

pub(super) fn read(
    input: &Input,
    chunks: &[Chunk],
    mmap: MmapMode,
    progress: Option<&Progress>,
    warnings: &mut Vec<Warning>,
) -> Result<Space> {
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
    let vocab_c =
        vocab_c.ok_or_else(|| input.error(Location::File, "the file has no vocabulary chunk"))?;
    let array_c = array_c
        .ok_or_else(|| input.error(Location::File, "the file has no embedding matrix chunk"))?;
    let metadata = meta_c.map(|c| super::metadata_text(input, &c, warnings));

    // The matrix and norms headers first, so that the check of the (mapped) matrix can run
    // on another core while the vocabulary is built.
    let m = read_array(input, &array_c)?;
    let norms = match norms_c {
        Some(c) => {
            let (off, len) = read_norms(input, &c)?;
            if len != m.rows {
                return Err(input.error(
                    Location::Offset(c.body as u64),
                    format!(
                        "the norms chunk has {len} norms but the matrix has {} rows",
                        m.rows
                    ),
                ));
            }
            Some(f32s(&input.bytes()[off..off + len * 4]))
        }
        None => None,
    };

    let file_bytes = input.bytes().len() as u64;
    let want_map = input.is_embedded()
        || mmap == MmapMode::Always
        || (mmap == MmapMode::Auto && file_bytes >= AUTO_MMAP_BYTES);

    // Zero-copy is possible when the rows in the file are already unit length (norms are
    // stored), every value is finite and no word is dropped as a duplicate.
    let shared = || -> Option<Matrix> {
        let norms = norms.as_ref()?;
        if !want_map || !norms.iter().all(|n| good_norm(*n)) {
            return None;
        }
        let matrix = Matrix::from_shared(input.source().clone(), m.offset, m.rows, m.cols)?;
        let clean = matrix.as_slice().par_chunks(1 << 16).all(all_finite);
        clean.then_some(matrix)
    };
    let read_vocab = || -> Result<(WordList, Vec<Warning>)> {
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
    };
    let (words, shared) = rayon::join(read_vocab, shared);
    let (words, vocab_warnings) = words?;
    warnings.extend(vocab_warnings);
    progress.check()?;
    if m.rows != words.file_rows {
        return Err(input.error(
            Location::Offset(array_c.body as u64),
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
            // `shared` is only Some when norms are stored.
            norms: norms.unwrap_or_default(),
            counts,
            subwords: None,
            source: source(storage),
        }));
    }

    // Copy, dropping the rows of duplicate words.
    let cols = m.cols;
    let kept: Vec<usize> = if words.duplicates.is_empty() {
        Vec::new()
    } else {
        let mut d = words.duplicates.iter().peekable();
        (0..m.rows)
            .filter(|r| {
                if d.peek() == Some(&r) {
                    d.next();
                    false
                } else {
                    true
                }
            })
            .collect()
    };
    let src = |i: usize| if kept.is_empty() { i } else { kept[i] };
    let n = words.vocab.len();
    let bytes = input.bytes();
    let mut data = vec![0f32; n * cols];
    if cols > 0 {
        // In blocks, handing the mapped pages of each copied block back (peak memory stays
        // near the size of the matrix rather than matrix + file).
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
    let mut norms: Option<Vec<f32>> =
        norms.map(|all| (0..n).map(|i| all[src(i)]).collect::<Vec<f32>>());

    // Zero rows with NaN/Inf values (or a broken norm).
    let bad: Vec<usize> = if cols == 0 {
        Vec::new()
    } else {
        data.par_chunks_mut(cols)
            .enumerate()
            .with_min_len(1024)
            .filter_map(|(i, row)| {
                let norm_ok = match &norms {
                    Some(ns) => good_norm(ns[i]),
                    None => true,
                };
                if all_finite(row) && norm_ok {
                    None
                } else {
                    row.iter_mut().for_each(|v| *v = 0.0);
                    Some(i)
                }
            })
            .collect()
    };
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
        None => {
            if cols == 0 {
                vec![0.0; n]
            } else {
                normalize_rows(&mut data, cols)
            }
        }
    };
    Ok(Space::new(SpaceParts {
        vocab: words.vocab,
        matrix: Matrix::from_vec(n, cols, data),
        norms,
        counts: counts.map(|c| (0..n).map(|i| c[src(i)]).collect()),
        subwords: None,
        source: source(Storage::Array),
    }))
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
