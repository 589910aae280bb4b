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
pub(crate) mod fifu;
mod gensim;
mod huge;
mod input;
pub mod npy;
mod projector;
mod sniff;
#[cfg(feature = "spark")]
mod spark;
mod text;
mod word2vec;
mod write;

pub(crate) use atomic::write_le;
pub use atomic::{atomic_write, check_target, exit_removing_temporaries};
pub(crate) use fasttext_write::input_rows as subword_input_rows;
pub use fasttext_write::FastTextExtras;
pub(crate) use fifu::FinalfusionSubwords;
pub(crate) use fifu::COUNTS_KEY as FIFU_COUNTS_KEY;
pub use fifu::{
    default_subquantizers, quantize, train_quantizer, training_steps, write_quantized,
    QuantizeOptions, QuantizeReport, TrainedQuantizer,
};
pub use input::Input;
pub use projector::metadata_path;
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
    /// Map files of any size (when the stored rows can be used as they are).
    Always,
    /// Always read the matrix into memory.
    Never,
}

/// Files at least this large are mapped under [`MmapMode::Auto`].
pub const AUTO_MMAP_BYTES: u64 = 256 << 20;

impl MmapMode {
    /// Whether a file of `bytes` bytes is mapped (its vectors read where they are).
    pub fn maps(self, bytes: u64) -> bool {
        match self {
            MmapMode::Always => true,
            MmapMode::Never => false,
            MmapMode::Auto => bytes >= AUTO_MMAP_BYTES,
        }
    }
}

/// How much of a gzip file [`check`] and [`sniff`] unpack: enough for any header and first
/// line they look at.
const HEAD_BYTES: usize = 8 << 20;

/// How to read a file.
#[derive(Debug, Clone, Default)]
pub struct LoadOptions {
    /// The format; `None` sniffs it from the content.
    pub format: Option<Format>,
    /// Whether to memory-map finalfusion and word2vec binary files (and read the vectors
    /// where they are).
    pub mmap: MmapMode,
    /// Progress in bytes, and cancellation.
    pub progress: Option<Arc<Progress>>,
}

/// A space and the warnings collected while reading it.
#[derive(Debug)]
pub struct Loaded {
    /// The vectors and their words.
    pub space: Space,
    /// Problems that did not stop the file from being read, in the order found.
    pub warnings: Vec<Warning>,
}

/// Reads the vector file at `path` (or the Spark model directory). Formats that keep the
/// words in another file (Projector TSV, `.npy`) find it beside `path`.
pub fn load(path: &Path, opts: &LoadOptions) -> Result<Loaded> {
    load_with_words(path, None, opts)
}

/// As [`load`], with the word list of a Projector `vectors.tsv` or a `.npy` matrix given
/// (`--words FILE`) instead of looked for beside it.
pub fn load_with_words(path: &Path, words: Option<&Path>, opts: &LoadOptions) -> Result<Loaded> {
    if path.is_dir() || opts.format == Some(Format::Spark) {
        return load_dir(path, opts);
    }
    let input = Input::open_with_progress(path, opts.progress.as_deref())?;
    load_input(input, words, opts)
}

#[cfg(feature = "spark")]
fn load_dir(path: &Path, opts: &LoadOptions) -> Result<Loaded> {
    let mut warnings = Vec::new();
    let space = spark::read(path, opts.progress.as_deref(), &mut warnings)?;
    Ok(Loaded { space, warnings })
}

#[cfg(not(feature = "spark"))]
fn load_dir(path: &Path, _opts: &LoadOptions) -> Result<Loaded> {
    Err(Error::format(
        path,
        crate::error::Location::File,
        "a directory, not a vector file (a Spark MLlib model is a directory, but this embx was built without the `spark` feature)",
    ))
}

/// Checks, without reading the vectors, that `path` opens as a vector file: it exists, is a
/// readable non-empty file, its format is recognised (or `format` is given) and its header or
/// first row is well formed (for headers: rows and dimensions that the file's size can hold;
/// for finalfusion: the chunk table).
/// Returns the format. Cheap: the file is mapped and only its start is looked at, so a caller
/// can refuse a bad file at once and leave the full [`load`] to a background thread.
pub fn check(path: &Path, format: Option<Format>) -> Result<Format> {
    if path.is_dir() || format == Some(Format::Spark) {
        // A Spark model is a directory: its parquet files are read by the load itself.
        return Ok(Format::Spark);
    }
    let input = Input::open_head(path, HEAD_BYTES)?;
    let format = match format {
        Some(f) => f,
        None => sniff::sniff_bytes(path, input.bytes())?,
    };
    if input.gzip() == Some(input::Gzip::Head) {
        // Only the start of a big gzip file was unpacked: the load checks the rest.
        return Ok(format);
    }
    let start = text::checks::bom_len(input.bytes());
    match format {
        Format::Fifu => {
            fifu::chunk_table(&input)?;
        }
        Format::Word2VecBinary => {
            text::checks::read_header(&input, 0, |d| d.checked_mul(4)?.checked_add(2))?;
        }
        Format::Word2VecText | Format::FastTextVec => {
            text::checks::read_header(&input, start, |d| d.checked_mul(2))?;
        }
        Format::Glove => {
            text::glove_dim(&input, start)?;
        }
        // The magic number was checked by sniffing; the rest of the header runs into the
        // vocabulary (millions of words), which the load checks.
        Format::FastTextBin => {}
        // Pickles, side files and word lists are only understood by reading them: the load
        // (on the worker) checks them.
        Format::Gensim | Format::Projector | Format::Npy | Format::Spark => {}
    }
    Ok(format)
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
    load_input(Input::from_vec(path, bytes), None, opts)
}

fn load_input(input: Input, words: Option<&Path>, opts: &LoadOptions) -> Result<Loaded> {
    let path = input.path().to_path_buf();
    let path = path.as_path();
    let format = match opts.format {
        Some(f) => f,
        None => sniff::sniff_bytes(path, input.bytes())?,
    };
    let progress = opts.progress.as_deref();
    if let Some(p) = progress {
        // (A gzip file's decompression counted compressed bytes: reading starts again at 0.)
        p.set_total(input.bytes().len() as u64);
        p.set_done(0);
    }
    let mut warnings = Vec::new();
    let space = read_as(&input, format, words, opts, &mut warnings);
    let space = match (space, opts.format) {
        // A format given by hand that the file does not have: say which it looks like.
        (
            Err(Error::Format {
                path,
                location,
                message,
            }),
            Some(asked),
        ) => {
            let hint = match sniff::sniff_bytes(&path, input.bytes()) {
                Ok(found) if found != asked && !same_reader(found, asked) => format!(
                    " (it looks like {}: leave out --format, or give --format {})",
                    found.describe(),
                    found.name()
                ),
                _ => String::new(),
            };
            let message = message + &hint;
            return Err(Error::Format {
                path,
                location,
                message,
            });
        }
        (space, _) => space?,
    };
    Ok(Loaded { space, warnings })
}

/// Word2vec text and fastText `.vec` are one format to the reader.
fn same_reader(a: Format, b: Format) -> bool {
    let text = |f| matches!(f, Format::Word2VecText | Format::FastTextVec);
    text(a) && text(b)
}

/// Reads `input` as `format`.
fn read_as(
    input: &Input,
    format: Format,
    words: Option<&Path>,
    opts: &LoadOptions,
    warnings: &mut Vec<crate::error::Warning>,
) -> Result<Space> {
    let progress = opts.progress.as_deref();
    let space = match format {
        Format::Fifu => fifu::read(input, opts.mmap, progress, warnings)?,
        Format::Word2VecBinary => word2vec::read(input, opts.mmap, progress, warnings)?,
        Format::Word2VecText | Format::FastTextVec => {
            text::read(input, format, true, progress, warnings)?
        }
        Format::Glove => text::read(input, format, false, progress, warnings)?,
        Format::FastTextBin => fasttext::read(input, progress, warnings)?,
        Format::Gensim => gensim::read(input, warnings)?,
        Format::Projector => projector::read(input, words, progress, warnings)?,
        Format::Npy => read_npy(input, words)?,
        Format::Spark => {
            let loaded = load_dir(input.path(), opts)?;
            warnings.extend(loaded.warnings);
            loaded.space
        }
    };
    Ok(space)
}

fn read_npy(input: &Input, words: Option<&Path>) -> Result<Space> {
    let a = npy::parse(input.path(), input.bytes())?;
    if a.shape.len() != 2 || matches!(a.dtype, npy::Dtype::Int(_) | npy::Dtype::UInt(_)) {
        return Err(input.error(
            crate::error::Location::File,
            format!(
                "expected a 2-D float matrix, found shape {:?} of {:?}",
                a.shape, a.dtype
            ),
        ));
    }
    let (rows, dim) = (a.shape[0], a.shape[1]);
    let mut data = a.to_f32();
    let vocab = projector::read_words(&projector::find_words(input.path(), words)?, rows)?;
    for row in data.chunks_mut(dim.max(1)) {
        if row.iter().any(|v| !v.is_finite()) {
            row.iter_mut().for_each(|v| *v = 0.0);
        }
    }
    let source = crate::space::SourceInfo {
        path: input.path().to_path_buf(),
        format: Format::Npy,
        storage: crate::space::Storage::Array,
        metadata: None,
        file_bytes: input.bytes().len() as u64,
    };
    Ok(Space::from_raw(vocab, dim, data, source))
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
    /// The format to write; formats embx cannot write are an [`Error::Invalid`].
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
        Format::Word2VecText | Format::FastTextVec | Format::Glove => {
            atomic_write(path, |w| write::text(space, w, path, opts.format, progress))
        }
        Format::Projector => projector::write(space, path, progress),
        Format::FastTextBin => {
            let extras = FastTextExtras::from_metadata(space.source().metadata.as_deref());
            save_fasttext_bin(space, path, &extras)
        }
        Format::Gensim | Format::Npy | Format::Spark => Err(Error::Invalid(format!(
            "embx cannot write {}; choose one of {}",
            opts.format.describe(),
            Format::writable_names()
        ))),
    }
}

/// Writes `space` as a fastText .bin model (its fastText subwords, if any, and `extras`: the
/// training settings and output weights fastText keeps), atomically.
pub fn save_fasttext_bin(space: &Space, path: &Path, extras: &FastTextExtras<'_>) -> Result<()> {
    atomic_write(path, |w| fasttext_write::write(space, extras, w, path))
}
