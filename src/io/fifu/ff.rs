//! Files with subword vocabularies or quantized matrices, read with the finalfusion crate
//! after a hand-written consistency check (finalfusion trusts the sizes it reads and panics
//! on some inconsistent files).
use super::bytes::{Chunk, METADATA, QUANTIZED_ARRAY};
use super::fast::{all_finite, good_norm};
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

    /// The finalfusion embeddings (for the fastText .bin writer).
    pub(crate) fn embeddings(&self) -> &Embeddings<VocabWrap, StorageWrap> {
        &self.embeddings
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
    /// The vector fastText gives a word: for one outside the vocabulary the mean of its
    /// n-gram rows, as stored (finalfusion's `embedding` would scale it to unit length).
    fn embed(&self, word: &str) -> Option<Vec<f32>> {
        catch_unwind(AssertUnwindSafe(|| {
            let rows = match self.embeddings.vocab().idx(word)? {
                finalfusion::vocab::WordIndex::Subword(indices) => indices.len().max(1),
                finalfusion::vocab::WordIndex::Word(_) => 1,
            };
            let e = self.embeddings.embedding_with_norm(word)?;
            let scale = e.norm / rows as f32;
            Some(e.embedding.iter().map(|x| x * scale).collect())
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

    /// The whole storage (finalfusion keeps the known words' rows before the buckets').
    fn bytes(&self) -> (usize, usize) {
        use reductive::pq::QuantizeVector;
        let storage = self.embeddings.storage();
        let (rows, dims) = storage.shape();
        match storage {
            StorageWrap::NdArray(_) => (rows * dims * 4, 0),
            StorageWrap::MmapArray(_) => (0, rows * dims * 4),
            StorageWrap::QuantizedArray(q) => (rows * q.quantizer().quantized_len(), 0),
            StorageWrap::MmapQuantizedArray(q) => (0, rows * q.quantizer().quantized_len()),
        }
    }
}

/// What the consistency check learned about the file.
pub(super) struct Checked {
    /// Known words.
    pub words: usize,
    /// Subword description, for subword vocabularies.
    pub subwords: Option<String>,
}

pub(super) fn read(
    input: &Input,
    chunks: &[Chunk],
    progress: Option<&Progress>,
    warnings: &mut Vec<Warning>,
) -> Result<Space> {
    let checked = super::check::check(input, chunks, progress)?;
    progress.check()?;
    let metadata = chunks
        .iter()
        .find(|c| c.id == METADATA)
        .map(|c| super::metadata_text(input, c, warnings));
    // embx keeps the counts in the metadata (also of subword files it trains).
    let (metadata, counts) = super::take_counts(metadata, checked.words);
    let quantized = chunks.iter().any(|c| c.id == QUANTIZED_ARRAY);

    let bytes = input.bytes();
    let embeddings = guarded(input, || {
        Embeddings::<VocabWrap, StorageWrap>::read_embeddings(&mut Cursor::new(bytes))
    })?;
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
    space_from_finalfusion(
        input, embeddings, subwords, counts, source, progress, warnings,
    )
}

/// Builds a space from the known words of finalfusion embeddings. `subwords` (a description)
/// keeps the embeddings as the space's subword model.
pub(crate) fn space_from_finalfusion(
    input: &Input,
    embeddings: Embeddings<VocabWrap, StorageWrap>,
    subwords: Option<String>,
    counts: Option<Vec<u64>>,
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
    if let Some(stored) = embeddings.norms().filter(|s| s.len() == n) {
        take_stored_norms(&mut norms, stored.iter().copied(), &mut data, dim, &mut bad);
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
        counts,
        subwords,
        source,
    }))
}

/// The file's own norms replace the computed ones of nonzero rows; a row whose stored norm is
/// unusable is zeroed and noted in `bad`.
fn take_stored_norms(
    norms: &mut [f32],
    stored: impl IntoIterator<Item = f32>,
    data: &mut [f32],
    dim: usize,
    bad: &mut Vec<usize>,
) {
    for (i, (mine, theirs)) in norms.iter_mut().zip(stored).enumerate() {
        if *mine == 0.0 {
            continue;
        }
        if good_norm(theirs) {
            *mine = theirs;
        } else {
            *mine = 0.0;
            data[i * dim..(i + 1) * dim].fill(0.0);
            bad.push(i);
        }
    }
}

/// Runs a finalfusion reader, turning its errors, and a panic on inconsistent data, into a
/// format error about `input`.
pub(crate) fn guarded<T>(
    input: &Input,
    read: impl FnOnce() -> std::result::Result<T, finalfusion::error::Error>,
) -> Result<T> {
    match catch_unwind(AssertUnwindSafe(read)) {
        Ok(Ok(e)) => Ok(e),
        Ok(Err(e)) => Err(input.error(Location::File, format!("finalfusion cannot read it: {e}"))),
        Err(_) => Err(input.error(
            Location::File,
            "finalfusion cannot read it (it gave up on inconsistent data)",
        )),
    }
}
