//! The hand-written reader for quantized files with a simple vocabulary: the codes stay in
//! the (mapped) file and are searched as they are; no f32 matrix is built at open.
use super::bytes::{
    Chunk, Reader, METADATA, NDNORMS, QUANTIZED_ARRAY, SIMPLE_VOCAB, TYPE_F32, TYPE_U8,
};
use super::fast::{f32s, good_norm, vocabulary};
use crate::error::{Location, Result, Warning};
use crate::format::Format;
use crate::io::Input;
use crate::jobs::{Progress, ProgressExt};
use crate::space::{Matrix, PqMatrix, PqParts, SourceInfo, Space, SpaceParts, Storage};
use rayon::prelude::*;

/// True when the file holds a simple vocabulary and a quantized matrix (plus optional
/// metadata and norms), each once: the files `embx quantize` and finalfusion's
/// `ff-quantize` write.
pub(super) fn applies(chunks: &[Chunk]) -> bool {
    let count = |id| chunks.iter().filter(|c| c.id == id).count();
    count(SIMPLE_VOCAB) == 1
        && count(QUANTIZED_ARRAY) == 1
        && count(METADATA) <= 1
        && count(NDNORMS) <= 1
        && chunks.len() == 2 + count(METADATA) + count(NDNORMS)
}

/// The header of a quantized-array chunk and where its parts start.
struct Layout {
    projection: bool,
    norms: bool,
    subquantizers: usize,
    dim: usize,
    centroids: usize,
    rows: usize,
    /// Offset of the first f32 after the padding.
    data: usize,
}

fn layout(input: &Input, c: &Chunk) -> Result<Layout> {
    let mut r = Reader::new(input, c.body, c.end);
    let projection = r.u32("the projection flag")? != 0;
    let norms = r.u32("the norms flag")? != 0;
    let subquantizers = r.u32("the number of subquantizers")? as usize;
    let dim = r.u32("the reconstructed length")? as usize;
    let centroids = r.u32("the number of centroids")? as usize;
    let rows = usize::try_from(r.u64("the number of rows")?)
        .map_err(|_| r.error("the number of rows does not fit this machine"))?;
    for (want, what) in [(TYPE_U8, "code"), (TYPE_F32, "reconstruction")] {
        let ty = r.u32("a type id")?;
        if ty != want {
            r.pos -= 4;
            return Err(r.error(format!("the {what} type id is {ty}, expected {want}")));
        }
    }
    r.skip_padding()?;
    if subquantizers == 0 || !dim.is_multiple_of(subquantizers) || centroids == 0 || centroids > 256
    {
        return Err(input.error(
            Location::Offset(c.body as u64),
            format!("{subquantizers} subquantizers of {centroids} centroids for {dim} dimensions do not make a quantizer"),
        ));
    }
    let floats = usize::from(projection) * dim * dim + centroids * dim + usize::from(norms) * rows;
    let need = (floats as u64)
        .checked_mul(4)
        .and_then(|b| b.checked_add(rows as u64 * subquantizers as u64));
    if need.is_none_or(|n| n > r.remaining() as u64) {
        return Err(r.error(format!(
            "the quantized matrix claims {rows} rows of {subquantizers} codes but only {} bytes remain",
            r.remaining()
        )));
    }
    Ok(Layout {
        projection,
        norms,
        subquantizers,
        dim,
        centroids,
        rows,
        data: r.pos,
    })
}

pub(super) fn read(
    input: &Input,
    chunks: &[Chunk],
    progress: Option<&Progress>,
    warnings: &mut Vec<Warning>,
) -> Result<Option<Space>> {
    let find = |id| chunks.iter().find(|c| c.id == id).copied();
    let (Some(vocab_c), Some(q_c)) = (find(SIMPLE_VOCAB), find(QUANTIZED_ARRAY)) else {
        return Ok(None);
    };
    let l = layout(input, &q_c)?;
    let (words, vocab_warnings) = vocabulary(input, &vocab_c, progress)?;
    if !words.duplicates.is_empty() {
        // Rows would have to be dropped: the finalfusion path copies what it keeps.
        return Ok(None);
    }
    warnings.extend(vocab_warnings);
    progress.check()?;
    if l.rows != words.file_rows {
        return Err(input.error(
            Location::Offset(q_c.body as u64),
            format!(
                "the quantized matrix has {} rows but the vocabulary has {} words",
                l.rows, words.file_rows
            ),
        ));
    }
    let bytes = input.bytes();
    let mut at = l.data;
    let mut floats = |count: usize| {
        let v = f32s(&bytes[at..at + count * 4]);
        at += count * 4;
        v
    };
    let projection = l.projection.then(|| floats(l.dim * l.dim));
    let codebooks = floats(l.centroids * l.dim);
    let stored = l.norms.then(|| floats(l.rows));
    let zero_rows = stored.as_ref().map_or_else(Vec::new, |ns| {
        ns.iter()
            .enumerate()
            .filter(|(_, n)| !good_norm(**n) || **n == 0.0)
            .map(|(i, _)| i as u32)
            .collect()
    });
    check_codes(
        input,
        &bytes[at..at + l.rows * l.subquantizers],
        at,
        l.centroids,
    )?;
    let pq = PqMatrix::new(PqParts {
        rows: l.rows,
        dim: l.dim,
        subquantizers: l.subquantizers,
        centroids: l.centroids,
        codebooks,
        projection,
        codes: input.source().clone(),
        offset: at,
        zero_rows,
    })
    .map_err(|m| input.error(Location::Offset(q_c.body as u64), m))?;
    let norms = row_norms(stored, &pq);
    let metadata = find(METADATA).map(|c| super::metadata_text(input, &c, warnings));
    let (metadata, counts) = super::take_counts(metadata, l.rows);
    Ok(Some(Space::new(SpaceParts {
        vocab: words.vocab,
        matrix: Matrix::from_pq(pq),
        norms,
        counts,
        subwords: None,
        source: SourceInfo {
            path: input.path().to_path_buf(),
            format: Format::Fifu,
            storage: Storage::Quantized,
            metadata,
            file_bytes: bytes.len() as u64,
        },
    })))
}

/// Refuses a code that names a centroid the codebooks lack (with 256 centroids every byte is
/// one); `at` is the offset of the first code in the file.
fn check_codes(input: &Input, codes: &[u8], at: usize, centroids: usize) -> Result<()> {
    if centroids >= 256 {
        return Ok(());
    }
    match codes.iter().position(|&b| usize::from(b) >= centroids) {
        None => Ok(()),
        Some(bad) => Err(input.error(
            Location::Offset((at + bad) as u64),
            format!(
                "code {} refers to a missing centroid (the codebooks have {centroids})",
                codes[bad]
            ),
        )),
    }
}

/// The original norm of each row. finalfusion's vector for a row is its reconstruction times
/// the stored norm, and a reconstruction is only close to unit length: the norm is the product.
fn row_norms(stored: Option<Vec<f32>>, pq: &PqMatrix) -> Vec<f32> {
    let lengths = reconstruction_norms(pq);
    match stored {
        Some(ns) => ns
            .into_iter()
            .zip(lengths)
            .map(|(n, r)| if good_norm(n) { n * r } else { 0.0 })
            .collect(),
        None => lengths,
    }
}

/// The lengths of the reconstructions (one decoding pass over the codes, no matrix kept).
fn reconstruction_norms(pq: &PqMatrix) -> Vec<f32> {
    let d = pq.dim();
    (0..pq.rows())
        .into_par_iter()
        .with_min_len(1024)
        .map_init(
            || vec![0f32; d],
            |buf, i| {
                pq.decode_into(i, buf);
                let n = crate::space::l2_norm(buf);
                if good_norm(n) {
                    n
                } else {
                    0.0
                }
            },
        )
        .collect()
}
