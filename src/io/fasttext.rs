//! fastText .bin models (with subword n-grams for unknown words).
//!
//! The header, vocabulary and matrix sizes are checked by hand first, so that a truncated or
//! inconsistent file gives a clean error with a byte offset; the model is then read with the
//! finalfusion crate, which computes the vectors of known words as fastText does (the word's
//! row averaged with its n-gram rows) and builds vectors for unknown words from n-grams.
mod check;

use super::fifu::{guarded, space_from_finalfusion};
use super::Input;
use crate::error::{Location, Result, Warning};
use crate::format::Format;
use crate::jobs::Progress;
use crate::space::{SourceInfo, Space, Storage, Vocab};
pub(super) use check::looks_old;
use check::{check, modern_bytes, Header};
use finalfusion::compat::fasttext::ReadFastText;
use finalfusion::prelude::*;
use std::io::Cursor;

const MAGIC: u32 = 793_712_314;
const VERSION: u32 = 12;

pub(super) fn read(
    input: &Input,
    progress: Option<&Progress>,
    warnings: &mut Vec<Warning>,
) -> Result<Space> {
    let h = check(input)?;
    let lossy = h.invalid_utf8.is_some();
    if let Some(at) = h.invalid_utf8 {
        warnings.push(input.warning(
            Location::Offset(at as u64),
            "some words are not valid UTF-8; the bad bytes were replaced by U+FFFD",
        ));
    }
    let source = |metadata| SourceInfo {
        path: input.path().to_path_buf(),
        format: Format::FastTextBin,
        storage: Storage::Array,
        metadata,
        file_bytes: input.bytes().len() as u64,
    };
    if h.max_n == 0 {
        return Ok(without_subwords(input, &h, source(None), warnings));
    }
    let bytes = input.bytes();
    let modern;
    let model = if h.old {
        modern = modern_bytes(bytes, &h);
        modern.as_slice()
    } else {
        bytes
    };
    let embeddings = guarded(input, || {
        let mut cur = Cursor::new(model);
        if lossy {
            Embeddings::read_fasttext_lossy(&mut cur)
        } else {
            Embeddings::read_fasttext(&mut cur)
        }
    })?;
    let metadata = embeddings.metadata().map(|m| m.to_string());
    let embeddings: Embeddings<VocabWrap, StorageWrap> = embeddings.into();
    let describe = format!(
        "fastText{} n-grams {}–{}, {} buckets",
        if h.old { " (before 0.2)" } else { "" },
        h.min_n,
        h.max_n,
        h.buckets
    );
    let space = space_from_finalfusion(
        input,
        embeddings,
        Some(describe),
        Some(word_counts(input.bytes(), h.words_at, h.words).1),
        source(metadata),
        progress,
        warnings,
    )?;
    if let Some(p) = progress {
        p.set_done(bytes.len() as u64);
    }
    Ok(space)
}

/// A model trained without subwords (maxn 0): the word rows are the vectors.
fn without_subwords(
    input: &Input,
    h: &Header,
    source: SourceInfo,
    warnings: &mut Vec<Warning>,
) -> Space {
    let bytes = &input.bytes()[h.matrix..h.matrix + h.words * h.dims * 4];
    let mut data: Vec<f32> = bytes
        .chunks_exact(4)
        .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
        .collect();
    let mut vocab = Vocab::with_capacity(h.words, 0);
    let (words, counts) = word_counts(input.bytes(), h.words_at, h.words);
    for w in &words {
        let _ = vocab.push(w);
    }
    let mut bad = 0;
    for row in data.chunks_mut(h.dims) {
        if row.iter().any(|v| !v.is_finite()) {
            row.iter_mut().for_each(|v| *v = 0.0);
            bad += 1;
        }
    }
    if bad > 0 {
        warnings.push(input.warning(
            Location::Offset(h.matrix as u64),
            format!("{bad} row(s) with NaN or infinite values were set to zero"),
        ));
    }
    let norms = crate::space::normalize_rows(&mut data, h.dims);
    Space::new(crate::space::SpaceParts {
        matrix: crate::space::Matrix::from_vec(vocab.len(), h.dims, data),
        vocab,
        norms,
        counts: Some(counts),
        subwords: None,
        source,
    })
}

/// The words and their counts, from the vocabulary at `words_at` (already checked): each
/// entry is the word, a zero byte, its count (i64) and its type (one byte).
fn word_counts(all: &[u8], words_at: usize, words: usize) -> (Vec<String>, Vec<u64>) {
    let (mut names, mut counts) = (Vec::with_capacity(words), Vec::with_capacity(words));
    let mut pos = words_at;
    for _ in 0..words {
        let len = memchr::memchr(0, &all[pos..]).unwrap_or(0);
        names.push(String::from_utf8_lossy(&all[pos..pos + len]).into_owned());
        let at = pos + len + 1;
        let count = all
            .get(at..at + 8)
            .and_then(|b| <[u8; 8]>::try_from(b).ok())
            .map_or(0, i64::from_le_bytes);
        counts.push(u64::try_from(count).unwrap_or(0));
        pos = at + 9;
    }
    (names, counts)
}
