//! Files with subword vocabularies or quantized matrices, read with the finalfusion crate
//! after a hand-written consistency check (finalfusion trusts the sizes it reads and panics
//! on some inconsistent files).
use super::bytes::{
    chunk_name, Chunk, Reader, BUCKET_SUBWORD_VOCAB, EXPLICIT_SUBWORD_VOCAB,
    FASTTEXT_SUBWORD_VOCAB, FLORET_SUBWORD_VOCAB, METADATA, NDARRAY, NDNORMS, QUANTIZED_ARRAY,
    SIMPLE_VOCAB, TYPE_F32, TYPE_U8,
};
use super::fast::{all_finite, good_norm, read_array, read_norms};
use super::words::read_words;
use crate::error::{Error, Location, Result, Warning};
use crate::format::Format;
use crate::io::Input;
use crate::jobs::{Progress, ProgressExt};
use crate::space::{
    normalize_rows, Matrix, SourceInfo, Space, SpaceParts, Storage, SubwordProvider, Vocab,
};
use finalfusion::io::WriteEmbeddings;
use finalfusion::prelude::*;
use finalfusion::storage::Storage as _;
use finalfusion::vocab::Vocab as _;
use std::any::Any;
use std::collections::HashSet;
use std::io::{Cursor, Seek, Write};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;
use std::sync::Arc;

/// A finalfusion subword model that builds vectors for unknown words.
pub(crate) struct FinalfusionSubwords {
    embeddings: Embeddings<VocabWrap, StorageWrap>,
    description: String,
}

impl FinalfusionSubwords {
    pub(crate) fn new(embeddings: Embeddings<VocabWrap, StorageWrap>, description: String) -> Self {
        FinalfusionSubwords {
            embeddings,
            description,
        }
    }

    /// True when `space` has exactly the known words of this model, in order, so that the
    /// model can be written in its place.
    pub(crate) fn matches(&self, space: &Space) -> bool {
        let words = self.embeddings.vocab().words();
        words.len() == space.len() && words.iter().zip(space.vocab().iter()).all(|(a, b)| a == b)
    }

    /// Writes the model with finalfusion (keeping its subword vocabulary and storage).
    pub(crate) fn write<W: Write + Seek>(&self, w: &mut W, path: &Path) -> Result<()> {
        self.embeddings.write_embeddings(w).map_err(|e| {
            Error::io(
                path,
                std::io::Error::other(format!("finalfusion could not write the file: {e}")),
            )
        })
    }
}

impl SubwordProvider for FinalfusionSubwords {
    fn embed(&self, word: &str) -> Option<Vec<f32>> {
        catch_unwind(AssertUnwindSafe(|| {
            self.embeddings
                .embedding(word)
                .map(|v| v.iter().copied().collect())
        }))
        .ok()
        .flatten()
    }

    fn describe(&self) -> String {
        self.description.clone()
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// What the consistency check learned about the file.
struct Checked {
    /// Known words.
    words: usize,
    /// Subword description, for subword vocabularies.
    subwords: Option<String>,
}

pub(super) fn read(
    input: &Input,
    chunks: &[Chunk],
    progress: Option<&Progress>,
    warnings: &mut Vec<Warning>,
) -> Result<Space> {
    let checked = check(input, chunks, progress)?;
    progress.check()?;
    let metadata = chunks
        .iter()
        .find(|c| c.id == METADATA)
        .map(|c| super::metadata_text(input, c, warnings));
    let quantized = chunks.iter().any(|c| c.id == QUANTIZED_ARRAY);

    let bytes = input.bytes();
    let read = catch_unwind(AssertUnwindSafe(|| {
        Embeddings::<VocabWrap, StorageWrap>::read_embeddings(&mut Cursor::new(bytes))
    }));
    let embeddings = match read {
        Ok(Ok(e)) => e,
        Ok(Err(e)) => {
            return Err(input.error(Location::File, format!("finalfusion cannot read it: {e}")))
        }
        Err(_) => {
            return Err(input.error(
                Location::File,
                "finalfusion cannot read it (it gave up on inconsistent data)",
            ))
        }
    };
    if embeddings.vocab().words_len() != checked.words {
        return Err(input.error(Location::File, "finalfusion read a different vocabulary"));
    }
    let storage = if quantized {
        Storage::Quantized
    } else {
        Storage::Array
    };
    let source = SourceInfo {
        path: input.path().to_path_buf(),
        format: Format::Fifu,
        storage,
        metadata,
        file_bytes: bytes.len() as u64,
    };
    let subwords = checked.subwords;
    space_from_finalfusion(input, embeddings, subwords, source, progress, warnings)
}

/// Builds a space from the known words of finalfusion embeddings. `subwords` (a description)
/// keeps the embeddings as the space's subword model.
pub(crate) fn space_from_finalfusion(
    input: &Input,
    embeddings: Embeddings<VocabWrap, StorageWrap>,
    subwords: Option<String>,
    source: SourceInfo,
    progress: Option<&Progress>,
    warnings: &mut Vec<Warning>,
) -> Result<Space> {
    let words = embeddings.vocab().words();
    let n = words.len();
    let dim = embeddings.dims();
    let mut vocab = Vocab::with_capacity(n, words.iter().map(String::len).sum());
    for w in words {
        if vocab.push(w).is_err() {
            return Err(input.error(Location::File, format!("duplicate word {w:?}")));
        }
    }
    let mut data = vec![0f32; n * dim];
    let storage = embeddings.storage();
    for (i, row) in data.chunks_mut(dim.max(1)).enumerate().take(n) {
        if i % 65536 == 65535 {
            progress.check()?;
        }
        for (d, v) in row.iter_mut().zip(storage.embedding(i).iter()) {
            *d = *v;
        }
    }
    let mut bad = Vec::new();
    if dim > 0 {
        for (i, row) in data.chunks_mut(dim).enumerate() {
            if !all_finite(row) {
                row.iter_mut().for_each(|v| *v = 0.0);
                bad.push(i);
            }
        }
    }
    let mut norms = if dim > 0 {
        normalize_rows(&mut data, dim)
    } else {
        vec![0.0; n]
    };
    if let Some(stored) = embeddings.norms() {
        if stored.len() == n {
            for (i, (mine, &theirs)) in norms.iter_mut().zip(stored.iter()).enumerate() {
                if *mine == 0.0 {
                    continue;
                }
                if good_norm(theirs) {
                    *mine = theirs;
                } else {
                    *mine = 0.0;
                    data[i * dim..(i + 1) * dim]
                        .iter_mut()
                        .for_each(|v| *v = 0.0);
                    bad.push(i);
                }
            }
        }
    }
    if let Some(&first) = bad.first() {
        warnings.push(input.warning(
            Location::File,
            format!(
                "{} row(s) with NaN or infinite values were set to zero (first: {:?})",
                bad.len(),
                vocab.word(first)
            ),
        ));
    }
    let subwords: Option<Arc<dyn SubwordProvider>> = subwords
        .map(|d| Arc::new(FinalfusionSubwords::new(embeddings, d)) as Arc<dyn SubwordProvider>);
    Ok(Space::new(SpaceParts {
        vocab,
        matrix: Matrix::from_vec(n, dim, data),
        norms,
        counts: None,
        subwords,
        source,
    }))
}

/// Checks the chunk order and that every size in the file agrees with the bytes present, so
/// that finalfusion neither allocates from a lying count nor panics.
fn check(input: &Input, chunks: &[Chunk], progress: Option<&Progress>) -> Result<Checked> {
    let order_error = |c: &Chunk, expected: &str| {
        input.error(
            Location::Offset(c.start as u64),
            format!(
                "expected {expected} chunk here, found a {} chunk (finalfusion needs the order \
                 metadata, vocabulary, matrix, norms)",
                chunk_name(c.id)
            ),
        )
    };
    let mut it = chunks.iter().peekable();
    if it.peek().is_some_and(|c| c.id == METADATA) {
        it.next();
    }
    let vocab_c = it
        .next()
        .ok_or_else(|| input.error(Location::File, "the file has no vocabulary chunk"))?;
    let (words, rows_expected, subwords) =
        check_vocab(input, vocab_c, progress).map_err(|e| match e {
            CheckError::Order => order_error(vocab_c, "a vocabulary"),
            CheckError::Other(e) => e,
        })?;
    let storage_c = it
        .next()
        .ok_or_else(|| input.error(Location::File, "the file has no matrix chunk"))?;
    let rows = match storage_c.id {
        NDARRAY => read_array(input, storage_c)?.rows as u64,
        QUANTIZED_ARRAY => check_quantized(input, storage_c)?,
        _ => return Err(order_error(storage_c, "a matrix")),
    };
    if rows != rows_expected {
        return Err(input.error(
            Location::Offset(storage_c.body as u64),
            format!(
                "the matrix has {rows} rows but the vocabulary needs {rows_expected} \
                 ({words} words and {} subword rows)",
                rows_expected - words as u64
            ),
        ));
    }
    if let Some(c) = it.next() {
        if c.id != NDNORMS {
            return Err(order_error(c, "a norms"));
        }
        let (_, len) = read_norms(input, c)?;
        if len != words {
            return Err(input.error(
                Location::Offset(c.body as u64),
                format!("the norms chunk has {len} norms but the vocabulary has {words} words"),
            ));
        }
    }
    if let Some(c) = it.next() {
        return Err(input.error(
            Location::Offset(c.start as u64),
            format!("unexpected {} chunk after the norms", chunk_name(c.id)),
        ));
    }
    Ok(Checked { words, subwords })
}

enum CheckError {
    Order,
    Other(Error),
}

impl From<Error> for CheckError {
    fn from(e: Error) -> Self {
        CheckError::Other(e)
    }
}

/// Checks a vocabulary chunk: (known words, matrix rows it needs, subword description).
fn check_vocab(
    input: &Input,
    c: &Chunk,
    progress: Option<&Progress>,
) -> std::result::Result<(usize, u64, Option<String>), CheckError> {
    let mut r = Reader::new(input, c.body, c.end);
    let mut scratch = Vec::new();
    let mut words = |r: &mut Reader<'_>, count: u64| -> Result<usize> {
        let list = read_words(
            input,
            r,
            count,
            "the vocabulary chunk",
            progress,
            &mut scratch,
        )?;
        if !list.duplicates.is_empty() {
            return Err(r.error(format!(
                "the vocabulary has {} duplicate word(s); finalfusion cannot read it",
                list.duplicates.len()
            )));
        }
        Ok(list.file_rows)
    };
    let ngram_range = |r: &Reader<'_>, min: u32, max: u32| -> Result<()> {
        if min == 0 || min > max {
            return Err(r.error(format!("invalid n-gram lengths {min}–{max}")));
        }
        Ok(())
    };
    match c.id {
        SIMPLE_VOCAB => {
            let count = r.u64("the vocabulary length")?;
            let n = words(&mut r, count)?;
            Ok((n, n as u64, None))
        }
        BUCKET_SUBWORD_VOCAB | FASTTEXT_SUBWORD_VOCAB => {
            let count = r.u64("the vocabulary length")?;
            let min = r.u32("the minimum n-gram length")?;
            let max = r.u32("the maximum n-gram length")?;
            let buckets = r.u32("the number of buckets")?;
            ngram_range(&r, min, max)?;
            let (rows, desc) = if c.id == BUCKET_SUBWORD_VOCAB {
                if buckets > 40 {
                    return Err(r.error(format!("2^{buckets} buckets is too many")).into());
                }
                (
                    1u64 << buckets,
                    format!(
                        "finalfusion bucket subwords, n-grams {min}–{max}, 2^{buckets} buckets"
                    ),
                )
            } else {
                if buckets == 0 || buckets > i32::MAX as u32 {
                    return Err(r
                        .error(format!("invalid number of buckets {buckets}"))
                        .into());
                }
                (
                    u64::from(buckets),
                    format!("fastText subwords, n-grams {min}–{max}, {buckets} buckets"),
                )
            };
            let n = words(&mut r, count)?;
            Ok((n, n as u64 + rows, Some(desc)))
        }
        EXPLICIT_SUBWORD_VOCAB => {
            let count = r.u64("the vocabulary length")?;
            let ngrams = r.u64("the number of n-grams")?;
            let min = r.u32("the minimum n-gram length")?;
            let max = r.u32("the maximum n-gram length")?;
            ngram_range(&r, min, max)?;
            let n = words(&mut r, count)?;
            r.check_count(ngrams, 12, "the n-gram list")?;
            let mut seen = HashSet::with_capacity(ngrams as usize);
            let mut indices = HashSet::new();
            for _ in 0..ngrams {
                let at = r.pos;
                let len = r.u32("an n-gram length")?;
                let ngram = r.take(u64::from(len), "an n-gram")?;
                let idx = r.u64("an n-gram index")?;
                if !seen.insert(ngram) {
                    r.pos = at;
                    return Err(r.error("duplicate n-gram").into());
                }
                indices.insert(idx);
            }
            let desc =
                format!("finalfusion explicit subwords, n-grams {min}–{max}, {ngrams} n-grams");
            Ok((n, (n + indices.len()) as u64, Some(desc)))
        }
        FLORET_SUBWORD_VOCAB => {
            let min = r.u32("the minimum n-gram length")?;
            let max = r.u32("the maximum n-gram length")?;
            let buckets = r.u64("the number of buckets")?;
            let hashes = r.u32("the number of hashes")?;
            ngram_range(&r, min, max)?;
            if buckets == 0 || !(1..=4).contains(&hashes) {
                return Err(r
                    .error(format!(
                        "invalid floret hashing: {buckets} buckets, {hashes} hashes"
                    ))
                    .into());
            }
            r.u32("the hash seed")?;
            for what in ["begin-of-word marker", "end-of-word marker"] {
                let len = r.u32(what)?;
                r.take(u64::from(len), what)?;
            }
            let desc = format!("floret subwords, n-grams {min}–{max}, {buckets} buckets");
            Ok((0, buckets, Some(desc)))
        }
        _ => Err(CheckError::Order),
    }
}

/// Checks a quantized matrix chunk and returns its number of rows.
fn check_quantized(input: &Input, c: &Chunk) -> Result<u64> {
    let mut r = Reader::new(input, c.body, c.end);
    let projection = r.u32("the projection flag")? != 0;
    let norms = r.u32("the norms flag")? != 0;
    let qlen = r.u32("the quantized length")?;
    let rlen = r.u32("the reconstructed length")?;
    let centroids = r.u32("the number of centroids")?;
    let rows = r.u64("the number of quantized rows")?;
    if qlen == 0 || rlen == 0 || rlen % qlen != 0 || centroids == 0 || centroids > 256 {
        return Err(r.error(format!(
            "invalid quantizer: {qlen} subquantizers, {rlen} dimensions, {centroids} centroids"
        )));
    }
    for (want, what) in [(TYPE_U8, "quantized"), (TYPE_F32, "reconstructed")] {
        let ty = r.u32("a type id")?;
        if ty != want {
            r.pos -= 4;
            return Err(r.error(format!("{what} type id {ty}, expected {want}")));
        }
    }
    r.skip_padding()?;
    let (q, d, k) = (u64::from(qlen), u64::from(rlen), u64::from(centroids));
    if projection {
        r.take(d * d * 4, "the projection matrix")?;
    }
    r.take(k * d * 4, "the subquantizers")?;
    if norms {
        r.check_count(rows, 4, "the quantized norms")?;
        r.take(rows * 4, "the quantized norms")?;
    }
    r.check_count(rows, q, "the quantized matrix")?;
    let codes = r.take(rows * q, "the quantized matrix")?;
    if let Some(bad) = codes.iter().position(|&b| u32::from(b) >= centroids) {
        r.pos -= codes.len() - bad;
        return Err(r.error(format!("code {} refers to a missing centroid", codes[bad])));
    }
    Ok(rows)
}
