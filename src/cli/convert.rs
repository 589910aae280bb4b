//! `embx convert IN OUT [--to FORMAT]`.
use super::load;
use super::progress::{with_bar, Unit};
use super::InputArgs;
use crate::error::{Error, Result};
use crate::format::Format;
use crate::io::{self, SaveOptions};
use std::path::Path;

pub fn run(input: &InputArgs, output: &Path, to: Option<Format>, quiet: bool) -> Result<()> {
    // As `train -o` chooses: from the extension, else fifu.
    let format = to.unwrap_or_else(|| Format::for_output(output));
    if !format.writable() {
        return Err(Error::Invalid(format!(
            "embx cannot write {}; choose one of {}",
            format.describe(),
            Format::writable_names()
        )));
    }
    let space = load::open(input, quiet)?;
    let label = format!("writing {}", output.display());
    with_bar(&label, Unit::Rows, quiet, |progress| {
        io::save(
            &space,
            output,
            &SaveOptions {
                format,
                progress: Some(progress),
            },
        )
    })?;
    if !quiet {
        eprintln!(
            "wrote {} ({}, {} words × {})",
            output.display(),
            format.describe(),
            space.len(),
            space.dim()
        );
        if format == Format::Projector {
            eprintln!(
                "wrote {} (the labels); load both with the Embedding Projector's \"Load\" button",
                io::metadata_path(output).display()
            );
        }
    }
    Ok(())
}
