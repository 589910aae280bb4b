//! finalfusion (.fifu) reading and writing.
//!
//! Files with a plain vocabulary and matrix (the common case, and what embx writes) are read
//! by hand straight from the mapped bytes, and can share the matrix with the map. Files with
//! subword vocabularies or quantized matrices are checked for consistency by hand first and
//! then read with the finalfusion crate.
mod bytes;
mod check;
mod encode;
mod fast;
mod ff;
pub(crate) mod kmeans;
mod opq;
mod pq;
mod quantize;
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

pub(super) use bytes::chunk_table;
pub(crate) use ff::{guarded, space_from_finalfusion, FinalfusionSubwords};
pub use quantize::{
    default_subquantizers, quantize, train_quantizer, training_steps, write_quantized,
    QuantizeOptions, QuantizeReport, TrainedQuantizer,
};

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
    let quantized = if pq::applies(&chunks) {
        pq::read(input, &chunks, progress, warnings)?
    } else {
        None
    };
    let space = if let Some(space) = quantized {
        space
    } else if plain {
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

/// The metadata key under which embx keeps the vocabulary's counts (finalfusion has no chunk
/// for them): an array of integers in vocabulary order, at the top level of the TOML.
pub(crate) const COUNTS_KEY: &str = "vocab_counts";

/// Splits the counts that embx stored in the metadata off it: returns the metadata without
/// them (`None` if nothing else was there) and the counts, if they are a list of `rows`
/// non-negative integers. Anything else is left in the metadata untouched.
pub(crate) fn take_counts(meta: Option<String>, rows: usize) -> (Option<String>, Option<Vec<u64>>) {
    let Some(text) = meta else {
        return (None, None);
    };
    if !text.contains(COUNTS_KEY) {
        return (Some(text), None);
    }
    let Ok(mut table) = text.parse::<toml::Table>() else {
        return (Some(text), None);
    };
    let counts = match table.get(COUNTS_KEY) {
        Some(toml::Value::Array(a)) if a.len() == rows => a
            .iter()
            .map(|v| v.as_integer().and_then(|i| u64::try_from(i).ok()))
            .collect::<Option<Vec<u64>>>(),
        _ => None,
    };
    if counts.is_none() {
        return (Some(text), None);
    }
    table.remove(COUNTS_KEY);
    let rest = if table.is_empty() {
        None
    } else {
        toml::to_string(&table).ok()
    };
    (rest, counts)
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::{load, save, LoadOptions, SaveOptions};
    use crate::space::{Matrix, SourceInfo, Space, SpaceParts, Storage, Vocab};
    use crate::Format;

    #[test]
    fn counts_travel_in_the_metadata() {
        let mut vocab = Vocab::new();
        for w in ["b", "a", "日本"] {
            vocab.push(w).unwrap();
        }
        let space = Space::new(SpaceParts {
            vocab,
            matrix: Matrix::from_vec(3, 2, vec![1.0, 0.0, 0.0, 1.0, 0.6, 0.8]),
            norms: vec![1.0, 2.0, 3.0],
            counts: Some(vec![30, 20, 10]),
            subwords: None,
            source: SourceInfo {
                path: "x".into(),
                format: Format::Fifu,
                storage: Storage::Array,
                metadata: Some("note = \"kept\"\n".into()),
                file_bytes: 0,
            },
        });
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("c.fifu");
        let opts = SaveOptions {
            format: Format::Fifu,
            progress: None,
        };
        save(&space, &p, &opts).unwrap();
        for mmap in [MmapMode::Never, MmapMode::Always] {
            let back = load(
                &p,
                &LoadOptions {
                    mmap,
                    ..LoadOptions::default()
                },
            )
            .unwrap()
            .space;
            assert_eq!(back.counts(), Some(&[30u64, 20, 10][..]));
            assert_eq!(back.source().metadata.as_deref(), Some("note = \"kept\"\n"));
        }
        // fastText's .bin keeps a count per word in its dictionary: read back too.
        let bin = dir.path().join("c.bin");
        let opts = SaveOptions {
            format: Format::FastTextBin,
            progress: None,
        };
        save(&space, &bin, &opts).unwrap();
        let back = load(&bin, &LoadOptions::default()).unwrap().space;
        assert_eq!(back.counts(), Some(&[30u64, 20, 10][..]));
        // Wrong length or type: left in the metadata, no counts.
        let (m, c) = take_counts(Some("vocab_counts = [1, 2]\n".into()), 3);
        assert_eq!((m.as_deref(), c), (Some("vocab_counts = [1, 2]\n"), None));
        let (m, c) = take_counts(Some("vocab_counts = [1, -2]\n".into()), 2);
        assert!(m.is_some() && c.is_none());
        let (m, c) = take_counts(Some("vocab_counts = [4, 5]\n".into()), 2);
        assert_eq!((m, c), (None, Some(vec![4, 5])));
    }
}
