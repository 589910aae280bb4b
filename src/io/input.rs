//! An input file as bytes (memory-mapped), with its path for messages.
use crate::error::{Error, Location, Result};
use crate::jobs::{Progress, ProgressExt};
use crate::space::ByteSource;
use memmap2::Mmap;
use std::fs::File;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The bytes of an input file, mapped read-only, and its path for error messages.
pub struct Input {
    path: PathBuf,
    source: Arc<dyn ByteSource>,
    embedded: bool,
    /// How much of a gzip file was unpacked; `None` for a file that is not gzip.
    gzip: Option<Gzip>,
}

/// What was decompressed of a gzip file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Gzip {
    /// All of it.
    Whole,
    /// Only its start ([`Input::open_head`]).
    Head,
}

/// How far to decompress a gzip file, and what to report to.
enum Unpack<'a> {
    All(Option<&'a Progress>),
    Head(usize),
}

/// The first two bytes of a gzip stream.
const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];

impl Input {
    /// Opens and maps `path`. Directories, unreadable and empty files are errors. A gzip
    /// file is decompressed into memory.
    pub fn open(path: &Path) -> Result<Self> {
        Self::open_with(path, Unpack::All(None))
    }

    /// As [`Input::open`], reporting a gzip file's decompression to `progress` (in
    /// compressed bytes) and stopping when it is cancelled.
    pub fn open_with_progress(path: &Path, progress: Option<&Progress>) -> Result<Self> {
        Self::open_with(path, Unpack::All(progress))
    }

    /// As [`Input::open`], but a gzip file is decompressed only as far as its first `max`
    /// bytes: enough to tell its format without unpacking gigabytes ([`Input::gzip`] says
    /// so).
    pub fn open_head(path: &Path, max: usize) -> Result<Self> {
        Self::open_with(path, Unpack::Head(max))
    }

    fn open_with(path: &Path, unpack: Unpack<'_>) -> Result<Self> {
        let file = File::open(path).map_err(|e| Error::io(path, e))?;
        let meta = file.metadata().map_err(|e| Error::io(path, e))?;
        if meta.is_dir() {
            return Err(Error::format(
                path,
                Location::File,
                "is a directory, not a vector file",
            ));
        }
        if meta.len() == 0 {
            return Err(Error::format(path, Location::File, "the file is empty"));
        }
        // SAFETY: the map is read-only. Another process truncating the file while it is mapped
        // would make reads fault (SIGBUS); that is the usual caveat of mapping files, shared by
        // finalfusion's and numpy's mmap modes, and the reason --mmap can be turned off.
        let map = Arc::new(unsafe { Mmap::map(&file) }.map_err(|e| Error::io(path, e))?);
        if map.starts_with(&GZIP_MAGIC) {
            return Self::gunzip(path, &map, unpack);
        }
        Ok(Input {
            path: path.to_path_buf(),
            source: map,
            embedded: false,
            gzip: None,
        })
    }

    /// A gzip-compressed file (`vectors.vec.gz`, as fastText ships them), decompressed into
    /// memory (all of it, or its head): the readers then see the file as if it had been
    /// unpacked.
    fn gunzip(path: &Path, compressed: &[u8], unpack: Unpack<'_>) -> Result<Self> {
        use std::io::Read;
        let (progress, max) = match unpack {
            Unpack::All(p) => (p, usize::MAX),
            Unpack::Head(max) => (None, max),
        };
        progress.set_total(compressed.len() as u64);
        let mut bytes = Vec::with_capacity(compressed.len().saturating_mul(3).min(max));
        let mut z = flate2::bufread::MultiGzDecoder::new(std::io::Cursor::new(compressed));
        // A block at a time, straight into `bytes`, so that progress and Ctrl-C are seen.
        while bytes.len() < max {
            let block = (max - bytes.len()).min(1 << 20) as u64;
            match (&mut z).take(block).read_to_end(&mut bytes) {
                Ok(0) => break,
                Ok(_) => {}
                Err(e) => {
                    let at = bytes.len();
                    let m = format!(
                        "the gzip data is cut short or damaged after {at} decompressed bytes ({e})"
                    );
                    return Err(Error::format(path, Location::File, m));
                }
            }
            if let Some(p) = progress {
                p.set_done(z.get_ref().position());
                p.check()?;
            }
        }
        if let Some(p) = progress {
            p.set_done(z.get_ref().position());
        }
        if bytes.is_empty() {
            let m = "the file is empty once decompressed";
            return Err(Error::format(path, Location::File, m));
        }
        let whole = bytes.len() < max;
        bytes.shrink_to_fit();
        Ok(Input {
            path: path.to_path_buf(),
            source: Arc::new(bytes),
            embedded: false,
            gzip: Some(if whole { Gzip::Whole } else { Gzip::Head }),
        })
    }

    /// Whether the content was decompressed from gzip, and how much of it.
    pub fn gzip(&self) -> Option<Gzip> {
        self.gzip
    }

    /// Wraps bytes that live for the whole program.
    pub fn from_static(path: &Path, bytes: &'static [u8]) -> Self {
        Input {
            path: path.to_path_buf(),
            source: Arc::new(bytes),
            embedded: true,
            gzip: None,
        }
    }

    /// Wraps bytes already in memory (tests, fuzzing); they are freed with the last user.
    pub fn from_vec(path: &Path, bytes: Vec<u8>) -> Self {
        Input {
            path: path.to_path_buf(),
            source: Arc::new(bytes),
            embedded: true,
            gzip: None,
        }
    }

    /// The path used in messages (the file's path, or the name given for in-memory bytes).
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The whole content of the input.
    pub fn bytes(&self) -> &[u8] {
        self.source.bytes()
    }

    /// Tells the kernel that the bytes in `range` will not be needed soon, so the pages read
    /// there stop counting towards our resident memory. Readers call it on the parts of the
    /// file they have parsed. Only the 64 KiB blocks that lie wholly inside
    /// `range` are dropped; nothing happens for embedded or in-memory inputs. Reading the range
    /// again afterwards is fine (error messages may do so): it just pages the bytes back in.
    pub fn release(&self, range: Range<usize>) {
        self.source.release(range);
    }

    /// The shared byte source, for zero-copy matrices.
    pub fn source(&self) -> &Arc<dyn ByteSource> {
        &self.source
    }

    /// True when the bytes are compiled into the binary (or given in memory) rather than
    /// mapped from a file.
    pub fn is_embedded(&self) -> bool {
        self.embedded
    }

    /// A format error at `location` of this input.
    pub fn error(&self, location: Location, message: impl Into<String>) -> Error {
        Error::format(&self.path, location, message)
    }

    /// A warning at `location` of this input.
    pub fn warning(&self, location: Location, message: impl Into<String>) -> crate::Warning {
        crate::Warning::new(&self.path, location, message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::space::RELEASE_ALIGN;
    use std::io::Write;

    #[test]
    fn release_keeps_the_bytes() {
        let data: Vec<u8> = (0..5 * RELEASE_ALIGN + 123)
            .map(|i| (i * 7 % 251) as u8)
            .collect();
        let mut file = tempfile::NamedTempFile::new().unwrap();
        file.write_all(&data).unwrap();
        file.flush().unwrap();
        let input = Input::open(file.path()).unwrap();
        assert_eq!(input.bytes(), &data[..]);
        // Unaligned, aligned, empty, reversed and out-of-bounds ranges.
        input.release(100..3 * RELEASE_ALIGN + 5);
        input.release(RELEASE_ALIGN..2 * RELEASE_ALIGN);
        input.release(7..7);
        #[allow(clippy::reversed_empty_ranges)]
        input.release(9..3);
        input.release(0..usize::MAX);
        assert_eq!(input.bytes(), &data[..]);
        input.release(0..data.len());
        assert_eq!(
            &input.bytes()[RELEASE_ALIGN - 1..3 * RELEASE_ALIGN],
            &data[RELEASE_ALIGN - 1..3 * RELEASE_ALIGN]
        );
        assert_eq!(input.bytes(), &data[..]);

        let embedded = Input::from_vec(Path::new("mem"), data.clone());
        embedded.release(0..data.len());
        assert_eq!(embedded.bytes(), &data[..]);
    }

    #[test]
    fn gzip_is_unpacked_whole_with_progress_or_only_its_head() {
        let data: Vec<u8> = (0..3_000_000u32)
            .map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8)
            .collect();
        let mut file = tempfile::NamedTempFile::new().unwrap();
        let mut z = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        z.write_all(&data).unwrap();
        let compressed = z.finish().unwrap();
        file.write_all(&compressed).unwrap();
        file.flush().unwrap();

        let progress = Progress::new();
        let whole = Input::open_with_progress(file.path(), Some(&progress)).unwrap();
        assert_eq!(whole.bytes(), &data[..]);
        assert_eq!(whole.gzip(), Some(Gzip::Whole));
        let s = progress.snapshot();
        assert_eq!(
            (s.done, s.total),
            (compressed.len() as u64, compressed.len() as u64)
        );

        let head = Input::open_head(file.path(), 1000).unwrap();
        assert_eq!(
            (head.bytes(), head.gzip()),
            (&data[..1000], Some(Gzip::Head))
        );
        let all = Input::open_head(file.path(), data.len() + 1).unwrap();
        assert_eq!(all.gzip(), Some(Gzip::Whole));

        let cancelled = Progress::new();
        cancelled.cancel();
        let e = Input::open_with_progress(file.path(), Some(&cancelled));
        assert!(matches!(e, Err(Error::Interrupted)));
    }
}
