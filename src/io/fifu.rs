//! finalfusion (.fifu) reading and writing.
use super::Input;
use super::MmapMode;
use crate::error::{Error, Result, Warning};
use crate::jobs::Progress;
use crate::space::Space;
use std::fs::File;
use std::io::BufWriter;
use std::path::Path;

pub(super) fn read(
    input: &Input,
    mmap: MmapMode,
    progress: Option<&Progress>,
    warnings: &mut Vec<Warning>,
) -> Result<Space> {
    let _ = (mmap, progress, warnings);
    Err(Error::Invalid(format!(
        "{}: fifu reading is not implemented yet",
        input.path().display()
    )))
}

pub(super) fn write(
    space: &Space,
    w: &mut BufWriter<File>,
    path: &Path,
    progress: Option<&Progress>,
) -> Result<()> {
    let _ = (space, w, progress);
    Err(Error::Invalid(format!(
        "{}: fifu writing is not implemented yet",
        path.display()
    )))
}
