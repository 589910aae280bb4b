//! Reading and writing vector files.
//!
//! [`load`] sniffs the format from the file's content (or takes [`LoadOptions::format`]),
//! reads it into a [`Space`] and returns the warnings it collected. [`save`] writes a space in
//! any writable format through a temporary file that is renamed into place, so an interrupted
//! write never leaves a half file behind.
//!
//! Readers never panic on bad input: every problem becomes an [`Error::Format`] naming the
//! file and the line or byte offset, or a [`Warning`] when the file can still be used.
mod atomic;
mod fasttext;
mod fasttext_write;
mod fifu;
mod input;
mod sniff;
mod text;
mod word2vec;
mod write;

pub use atomic::atomic_write;
pub use fasttext_write::FastTextExtras;
pub(crate) use fifu::FinalfusionSubwords;
pub use input::Input;
pub use sniff::sniff;

use crate::error::{Error, Result, Warning};
use crate::format::Format;
use crate::jobs::Progress;
use crate::space::Space;
use std::path::Path;
use std::sync::Arc;

/// Whether to memory-map finalfusion files.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum MmapMode {
    /// Map files of 256 MiB or more, read smaller ones.
    #[default]
    Auto,
    Always,
    Never,
}

/// Files at least this large are mapped under [`MmapMode::Auto`].
pub const AUTO_MMAP_BYTES: u64 = 256 << 20;

/// How to read a file.
#[derive(Debug, Clone, Default)]
pub struct LoadOptions {
    /// The format; `None` sniffs it from the content.
    pub format: Option<Format>,
    pub mmap: MmapMode,
    /// Progress in bytes, and cancellation.
    pub progress: Option<Arc<Progress>>,
}

/// A space and the warnings collected while reading it.
#[derive(Debug)]
pub struct Loaded {
    pub space: Space,
    pub warnings: Vec<Warning>,
}

/// Reads the vector file at `path`.
pub fn load(path: &Path, opts: &LoadOptions) -> Result<Loaded> {
    load_input(Input::open(path)?, opts)
}

/// Reads a vector file from bytes in memory, exactly as [`load`] reads a file with the same
/// content (fuzzing and tests go through here). `name` stands in for the path in messages.
/// An empty `bytes` is the same error as an empty file.
pub fn load_bytes(name: &str, bytes: Vec<u8>, opts: &LoadOptions) -> Result<Loaded> {
    let path = Path::new(name);
    if bytes.is_empty() {
        return Err(Error::format(
            path,
            crate::error::Location::File,
            "the file is empty",
        ));
    }
    load_input(Input::from_vec(path, bytes), opts)
}

fn load_input(input: Input, opts: &LoadOptions) -> Result<Loaded> {
    let path = input.path().to_path_buf();
    let path = path.as_path();
    let format = match opts.format {
        Some(f) => f,
        None => sniff::sniff_bytes(path, input.bytes())?,
    };
    let progress = opts.progress.as_deref();
    if let Some(p) = progress {
        p.set_total(input.bytes().len() as u64);
    }
    let mut warnings = Vec::new();
    let space = match format {
        Format::Fifu => fifu::read(&input, opts.mmap, progress, &mut warnings)?,
        Format::Word2VecBinary => word2vec::read(&input, progress, &mut warnings)?,
        Format::Word2VecText | Format::FastTextVec => {
            text::read(&input, format, true, progress, &mut warnings)?
        }
        Format::Glove => text::read(&input, format, false, progress, &mut warnings)?,
        Format::FastTextBin => fasttext::read(&input, progress, &mut warnings)?,
    };
    Ok(Loaded { space, warnings })
}

/// Reads a finalfusion file from bytes that live for the whole program (the bundled demo).
/// `name` stands in for the path in messages.
pub fn load_static(name: &str, bytes: &'static [u8]) -> Result<Loaded> {
    let input = Input::from_static(Path::new(name), bytes);
    let mut warnings = Vec::new();
    let space = fifu::read(&input, MmapMode::Always, None, &mut warnings)?;
    Ok(Loaded { space, warnings })
}

/// How to write a file.
#[derive(Debug, Clone)]
pub struct SaveOptions {
    pub format: Format,
    /// Progress in rows, and cancellation.
    pub progress: Option<Arc<Progress>>,
}

/// Writes `space` to `path` in `opts.format`, atomically.
pub fn save(space: &Space, path: &Path, opts: &SaveOptions) -> Result<()> {
    let progress = opts.progress.as_deref();
    if let Some(p) = progress {
        p.set_total(space.len() as u64);
    }
    match opts.format {
        Format::Fifu => atomic_write(path, |w| fifu::write(space, w, path, progress)),
        Format::Word2VecBinary => {
            atomic_write(path, |w| write::word2vec_binary(space, w, path, progress))
        }
        Format::Word2VecText | Format::FastTextVec => {
            atomic_write(path, |w| write::text(space, w, path, true, progress))
        }
        Format::Glove => atomic_write(path, |w| write::text(space, w, path, false, progress)),
        Format::FastTextBin => save_fasttext_bin(space, path, &FastTextExtras::default()),
    }
}

/// Writes `space` as a fastText .bin model (its fastText subwords, if any, and `extras`: the
/// training settings and output weights fastText keeps), atomically.
pub fn save_fasttext_bin(space: &Space, path: &Path, extras: &FastTextExtras<'_>) -> Result<()> {
    atomic_write(path, |w| fasttext_write::write(space, extras, w, path))
}
