//! word2vec binary files.
use super::Input;
use crate::error::{Error, Result, Warning};
use crate::jobs::Progress;
use crate::space::Space;

pub(super) fn read(
    input: &Input,
    progress: Option<&Progress>,
    warnings: &mut Vec<Warning>,
) -> Result<Space> {
    let _ = (progress, warnings);
    Err(Error::Invalid(format!(
        "{}: word2vec binary reading is not implemented yet",
        input.path().display()
    )))
}
