//! finalfusion (.fifu) reading and writing.
//!
//! Files with a plain vocabulary and matrix (the common case, and what embx writes) are read
//! by hand straight from the mapped bytes, and can share the matrix with the map. Files with
//! subword vocabularies or quantized matrices are checked for consistency by hand first and
//! then read with the finalfusion crate.
mod bytes;
mod check;
mod fast;
mod ff;
mod words;
mod write;

use super::Input;
use super::MmapMode;
use crate::error::{Location, Result, Warning};
use crate::jobs::Progress;
use crate::space::Space;
use bytes::{METADATA, NDARRAY, NDNORMS, SIMPLE_VOCAB};
use std::fs::File;
use std::io::BufWriter;
use std::path::Path;

pub(crate) use ff::{guarded, space_from_finalfusion, FinalfusionSubwords};

pub(super) fn read(
    input: &Input,
    mmap: MmapMode,
    progress: Option<&Progress>,
    warnings: &mut Vec<Warning>,
) -> Result<Space> {
    let (chunks, end) = bytes::chunk_table(input)?;
    let len = input.bytes().len();
    if end < len {
        warnings.push(input.warning(
            Location::Offset(end as u64),
            format!("{} bytes after the last chunk were ignored", len - end),
        ));
    }
    let plain = chunks
        .iter()
        .all(|c| matches!(c.id, SIMPLE_VOCAB | NDARRAY | METADATA | NDNORMS));
    let space = if plain {
        fast::read(input, &chunks, mmap, progress, warnings)?
    } else {
        ff::read(input, &chunks, progress, warnings)?
    };
    if let Some(p) = progress {
        p.set_done(len as u64);
    }
    Ok(space)
}

pub(super) fn write(
    space: &Space,
    w: &mut BufWriter<File>,
    path: &Path,
    progress: Option<&Progress>,
) -> Result<()> {
    if let Some(sub) = space.subwords() {
        if let Some(ff) = sub.as_any().downcast_ref::<FinalfusionSubwords>() {
            if ff.matches(space) {
                return ff.write(w, path);
            }
        }
    }
    write::write(space, w, path, progress)
}

/// Reads the metadata chunk body as text: invalid UTF-8 is replaced and invalid TOML kept,
/// each with a warning.
fn metadata_text(input: &Input, chunk: &bytes::Chunk, warnings: &mut Vec<Warning>) -> String {
    let raw = &input.bytes()[chunk.body..chunk.end];
    let text = match std::str::from_utf8(raw) {
        Ok(s) => s.to_owned(),
        Err(e) => {
            warnings.push(input.warning(
                Location::Offset((chunk.body + e.valid_up_to()) as u64),
                "the metadata is not valid UTF-8; the bad bytes were replaced by U+FFFD",
            ));
            String::from_utf8_lossy(raw).into_owned()
        }
    };
    if let Err(e) = text.parse::<toml::Table>() {
        warnings.push(input.warning(
            Location::Offset(chunk.body as u64),
            format!(
                "the metadata is not valid TOML ({}); kept as text",
                e.message()
            ),
        ));
    }
    text
}
