//! Telling formats apart by their content.
use crate::error::{Error, Result};
use crate::format::Format;
use std::path::Path;

/// The format of the file at `path`, judged from its first bytes.
pub fn sniff(path: &Path) -> Result<Format> {
    let input = super::Input::open(path)?;
    sniff_bytes(path, input.bytes())
}

pub(super) fn sniff_bytes(path: &Path, bytes: &[u8]) -> Result<Format> {
    let _ = bytes;
    Err(Error::Invalid(format!(
        "{}: sniffing is not implemented yet",
        path.display()
    )))
}
