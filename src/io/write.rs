//! Writers for word2vec binary and the text formats.
use crate::error::{Error, Result};
use crate::jobs::Progress;
use crate::space::Space;
use std::fs::File;
use std::io::BufWriter;
use std::path::Path;

pub(super) fn word2vec_binary(
    space: &Space,
    w: &mut BufWriter<File>,
    path: &Path,
    progress: Option<&Progress>,
) -> Result<()> {
    let _ = (space, w, progress);
    Err(Error::Invalid(format!(
        "{}: not implemented yet",
        path.display()
    )))
}

pub(super) fn text(
    space: &Space,
    w: &mut BufWriter<File>,
    path: &Path,
    header: bool,
    progress: Option<&Progress>,
) -> Result<()> {
    let _ = (space, w, header, progress);
    Err(Error::Invalid(format!(
        "{}: not implemented yet",
        path.display()
    )))
}
