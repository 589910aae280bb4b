//! Text formats: word2vec text / fastText .vec (with a header line) and GloVe (without).
use super::Input;
use crate::error::{Error, Result, Warning};
use crate::format::Format;
use crate::jobs::Progress;
use crate::space::Space;

pub(super) fn read(
    input: &Input,
    format: Format,
    header: bool,
    progress: Option<&Progress>,
    warnings: &mut Vec<Warning>,
) -> Result<Space> {
    let _ = (format, header, progress, warnings);
    Err(Error::Invalid(format!(
        "{}: text reading is not implemented yet",
        input.path().display()
    )))
}
