//! An input file as bytes (memory-mapped), with its path for messages.
use crate::error::{Error, Location, Result};
use crate::space::ByteSource;
use memmap2::Mmap;
use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The bytes of an input file, mapped read-only, and its path for error messages.
pub struct Input {
    path: PathBuf,
    source: Arc<dyn ByteSource>,
    embedded: bool,
}

impl Input {
    /// Opens and maps `path`. Directories, unreadable and empty files are errors.
    pub fn open(path: &Path) -> Result<Self> {
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
        let map = unsafe { Mmap::map(&file) }.map_err(|e| Error::io(path, e))?;
        Ok(Input {
            path: path.to_path_buf(),
            source: Arc::new(map),
            embedded: false,
        })
    }

    /// Wraps bytes that live for the whole program.
    pub fn from_static(path: &Path, bytes: &'static [u8]) -> Self {
        Input {
            path: path.to_path_buf(),
            source: Arc::new(bytes),
            embedded: true,
        }
    }

    /// Wraps bytes already in memory (tests, fuzzing).
    pub fn from_vec(path: &Path, bytes: Vec<u8>) -> Self {
        let leaked: &'static [u8] = Box::leak(bytes.into_boxed_slice());
        Self::from_static(path, leaked)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn bytes(&self) -> &[u8] {
        self.source.bytes()
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
