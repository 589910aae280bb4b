//! Fixture builders shared by the integration tests: spaces built in memory and small files
//! written into a test's temporary folder. Each test crate uses the part it needs.
#![allow(dead_code)]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test code: a failed unwrap is a failed test"
)]
use assert_cmd::Command;
use embx::format::Format;
use embx::space::{SourceInfo, Storage, Vocab};
use embx::Space;
use std::path::{Path, PathBuf};

/// A space of `words` (in frequency order) with `data` as its row-major `dim`-wide matrix,
/// as if read from a GloVe file called `name`.
pub fn space_from(name: &str, words: &[&str], dim: usize, data: Vec<f32>) -> Space {
    assert_eq!(words.len() * dim, data.len(), "one row of {dim} per word");
    let mut vocab = Vocab::new();
    for w in words {
        vocab.push(w).unwrap();
    }
    let source = SourceInfo {
        path: name.into(),
        format: Format::Glove,
        storage: Storage::Array,
        metadata: None,
        file_bytes: 0,
    };
    Space::from_raw(vocab, dim, data, source)
}

/// Writes `bytes` to `dir/name` and returns the path.
pub fn write(dir: &Path, name: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

/// The `embx` binary of this build, ready for arguments.
pub fn embx() -> Command {
    Command::cargo_bin("embx").unwrap()
}
