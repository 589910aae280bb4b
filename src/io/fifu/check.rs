//! The consistency check run before a file is handed to finalfusion: chunk order, and every
//! count and size against the bytes present, so that finalfusion neither allocates from a
//! lying count nor panics on inconsistent data.
use super::bytes::{
    chunk_name, Chunk, Reader, BUCKET_SUBWORD_VOCAB, EXPLICIT_SUBWORD_VOCAB,
    FASTTEXT_SUBWORD_VOCAB, FLORET_SUBWORD_VOCAB, METADATA, NDARRAY, NDNORMS, QUANTIZED_ARRAY,
    SIMPLE_VOCAB, TYPE_F32, TYPE_U8,
};
use super::fast::{read_array, read_norms};
use super::ff::Checked;
use super::words::read_words;
use crate::error::{Error, Location, Result};
use crate::io::Input;
use crate::jobs::Progress;
use std::collections::HashSet;

/// Checks the chunk order and that every size in the file agrees with the bytes present, so
/// that finalfusion neither allocates from a lying count nor panics.
pub(super) fn check(
    input: &Input,
    chunks: &[Chunk],
    progress: Option<&Progress>,
) -> Result<Checked> {
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
        unique_words(input, r, count, progress, &mut scratch)
    };
    match c.id {
        SIMPLE_VOCAB => {
            let count = r.u64("the vocabulary length")?;
            let n = words(&mut r, count)?;
            Ok((n, n as u64, None))
        }
        BUCKET_SUBWORD_VOCAB | FASTTEXT_SUBWORD_VOCAB => {
            let count = r.u64("the vocabulary length")?;
            let (rows, desc) = bucket_header(&mut r, c.id)?;
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
            let distinct = explicit_ngrams(&mut r, ngrams)?;
            let desc =
                format!("finalfusion explicit subwords, n-grams {min}–{max}, {ngrams} n-grams");
            Ok((n, (n + distinct) as u64, Some(desc)))
        }
        FLORET_SUBWORD_VOCAB => {
            let (buckets, desc) = floret_header(&mut r)?;
            Ok((0, buckets, Some(desc)))
        }
        _ => Err(CheckError::Order),
    }
}

/// Reads `count` words, which finalfusion requires to be distinct; returns how many.
fn unique_words(
    input: &Input,
    r: &mut Reader<'_>,
    count: u64,
    progress: Option<&Progress>,
    scratch: &mut Vec<crate::error::Warning>,
) -> Result<usize> {
    let list = read_words(input, r, count, "the vocabulary chunk", progress, scratch)?;
    if !list.duplicates.is_empty() {
        return Err(r.error(format!(
            "the vocabulary has {} duplicate word(s); finalfusion cannot read it",
            list.duplicates.len()
        )));
    }
    Ok(list.file_rows)
}

fn ngram_range(r: &Reader<'_>, min: u32, max: u32) -> Result<()> {
    if min == 0 || min > max {
        return Err(r.error(format!("invalid n-gram lengths {min}–{max}")));
    }
    Ok(())
}

/// The n-gram lengths and buckets of a bucket or fastText subword vocabulary: the number of
/// subword rows and a description.
fn bucket_header(r: &mut Reader<'_>, id: u32) -> Result<(u64, String)> {
    let min = r.u32("the minimum n-gram length")?;
    let max = r.u32("the maximum n-gram length")?;
    let buckets = r.u32("the number of buckets")?;
    ngram_range(r, min, max)?;
    if id == BUCKET_SUBWORD_VOCAB {
        if buckets > 40 {
            return Err(r.error(format!("2^{buckets} buckets is too many")));
        }
        let desc = format!("finalfusion bucket subwords, n-grams {min}–{max}, 2^{buckets} buckets");
        return Ok((1u64 << buckets, desc));
    }
    if buckets == 0 || buckets > i32::MAX as u32 {
        return Err(r.error(format!("invalid number of buckets {buckets}")));
    }
    let desc = format!("fastText subwords, n-grams {min}–{max}, {buckets} buckets");
    Ok((u64::from(buckets), desc))
}

/// Checks the n-gram list of an explicit subword vocabulary; returns the number of distinct
/// n-gram rows.
fn explicit_ngrams(r: &mut Reader<'_>, ngrams: u64) -> Result<usize> {
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
            return Err(r.error("duplicate n-gram"));
        }
        indices.insert(idx);
    }
    Ok(indices.len())
}

/// Checks a floret vocabulary header: the number of buckets and a description.
fn floret_header(r: &mut Reader<'_>) -> Result<(u64, String)> {
    let min = r.u32("the minimum n-gram length")?;
    let max = r.u32("the maximum n-gram length")?;
    let buckets = r.u64("the number of buckets")?;
    let hashes = r.u32("the number of hashes")?;
    ngram_range(r, min, max)?;
    if buckets == 0 || !(1..=4).contains(&hashes) {
        return Err(r.error(format!(
            "invalid floret hashing: {buckets} buckets, {hashes} hashes"
        )));
    }
    r.u32("the hash seed")?;
    for what in ["begin-of-word marker", "end-of-word marker"] {
        let len = r.u32(what)?;
        r.take(u64::from(len), what)?;
    }
    let desc = format!("floret subwords, n-grams {min}–{max}, {buckets} buckets");
    Ok((buckets, desc))
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
