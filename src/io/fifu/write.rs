//! Writing a space as a finalfusion file (simple vocabulary, f32 matrix of unit rows, norms
//! and metadata), byte for byte in finalfusion's own chunk layout.
use super::bytes::{padding, MAGIC, METADATA, NDARRAY, NDNORMS, SIMPLE_VOCAB, TYPE_F32};
use crate::error::{Error, Result};
use crate::io::atomic::put;
use crate::jobs::{Progress, ProgressExt};
use crate::space::Space;
use std::io::Write;
use std::path::Path;

/// Counts the bytes written, since the padding depends on the absolute offset.
pub(super) struct Out<'a, W: Write> {
    pub w: &'a mut W,
    pub path: &'a Path,
    pub pos: u64,
}

impl<W: Write> Out<'_, W> {
    pub fn put(&mut self, b: &[u8]) -> Result<()> {
        put(self.w, b, self.path)?;
        self.pos += b.len() as u64;
        Ok(())
    }
    pub fn u32(&mut self, v: u32) -> Result<()> {
        self.put(&v.to_le_bytes())
    }
    pub fn u64(&mut self, v: u64) -> Result<()> {
        self.put(&v.to_le_bytes())
    }
}

pub(super) fn write<W: Write>(
    space: &Space,
    w: &mut W,
    path: &Path,
    progress: Option<&Progress>,
) -> Result<()> {
    let rows = space.len();
    let dim = u32::try_from(space.dim()).map_err(|_| too_big(path, "the dimension"))?;
    let mut o = Out { w, path, pos: 0 };
    head(&mut o, space, NDARRAY)?;
    progress.check()?;

    o.u32(NDARRAY)?;
    let pad = padding(o.pos);
    let data_len = rows as u64 * u64::from(dim) * 4;
    o.u64(8 + 4 + 4 + pad + data_len)?;
    o.u64(rows as u64)?;
    o.u32(dim)?;
    o.u32(TYPE_F32)?;
    o.put(&[0u8; 4][..pad as usize])?;
    let block_rows = 4096;
    let mut buf = Vec::with_capacity(block_rows * space.dim() * 4);
    let matrix = space.matrix().as_slice();
    for block in matrix.chunks((block_rows * space.dim()).max(1)) {
        buf.clear();
        for v in block {
            buf.extend_from_slice(&v.to_le_bytes());
        }
        o.put(&buf)?;
        progress.check()?;
        progress.add((block.len() / space.dim().max(1)) as u64);
    }
    norms(&mut o, space)
}

fn too_big(path: &Path, what: &str) -> Error {
    Error::Invalid(format!(
        "{}: {what} is too large for finalfusion",
        path.display()
    ))
}

/// The header (listing metadata, vocabulary, `storage` and norms chunks), the metadata and
/// the vocabulary chunk.
pub(super) fn head<W: Write>(o: &mut Out<'_, W>, space: &Space, storage: u32) -> Result<()> {
    let metadata = metadata_text(space)?;
    let metadata = metadata.as_deref();
    let rows = space.len();
    let mut ids = Vec::with_capacity(4);
    if metadata.is_some() {
        ids.push(METADATA);
    }
    ids.extend([SIMPLE_VOCAB, storage, NDNORMS]);
    o.put(MAGIC)?;
    o.u32(0)?;
    o.u32(ids.len() as u32)?;
    for id in &ids {
        o.u32(*id)?;
    }

    if let Some(m) = metadata {
        o.u32(METADATA)?;
        o.u64(m.len() as u64)?;
        o.put(m.as_bytes())?;
    }

    o.u32(SIMPLE_VOCAB)?;
    let words_len: u64 = space.vocab().iter().map(|w| 4 + w.len() as u64).sum();
    o.u64(8 + words_len)?;
    o.u64(rows as u64)?;
    for word in space.vocab().iter() {
        let len = u32::try_from(word.len()).map_err(|_| too_big(o.path, "a word"))?;
        o.u32(len)?;
        o.put(word.as_bytes())?;
    }
    Ok(())
}

/// The norms chunk.
pub(super) fn norms<W: Write>(o: &mut Out<'_, W>, space: &Space) -> Result<()> {
    let rows = space.len();
    o.u32(NDNORMS)?;
    let pad = padding(o.pos);
    o.u64(8 + 4 + pad + rows as u64 * 4)?;
    o.u64(rows as u64)?;
    o.u32(TYPE_F32)?;
    o.put(&[0u8; 4][..pad as usize])?;
    let mut buf = Vec::with_capacity(rows * 4);
    for n in space.norms() {
        buf.extend_from_slice(&n.to_le_bytes());
    }
    o.put(&buf)?;
    Ok(())
}

/// The metadata to write: the file's own when it is TOML (finalfusion refuses other metadata,
/// which is left out), plus the counts, for which finalfusion has no chunk (see
/// `fifu::COUNTS_KEY`).
fn metadata_text(space: &Space) -> Result<Option<String>> {
    let own = space.source().metadata.as_deref();
    let table = own.and_then(|m| m.parse::<toml::Table>().ok());
    let Some(counts) = space.counts() else {
        return Ok(table.and(own.map(str::to_owned)));
    };
    let mut t = table.unwrap_or_default();
    let counts = counts
        .iter()
        .map(|&c| toml::Value::Integer(i64::try_from(c).unwrap_or(i64::MAX)))
        .collect();
    t.insert(super::COUNTS_KEY.into(), toml::Value::Array(counts));
    toml::to_string(&t)
        .map(Some)
        .map_err(|e| Error::Invalid(format!("cannot write the metadata: {e}")))
}
