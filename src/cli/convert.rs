//! `embx convert IN OUT [--to FORMAT]`.
use super::load;
use super::progress::{with_bar, Unit};
use super::InputArgs;
use crate::error::Result;
use crate::format::Format;
use crate::io::{self, SaveOptions};
use std::path::Path;

pub fn run(input: &InputArgs, output: &Path, to: Option<Format>, quiet: bool) -> Result<()> {
    let format = Format::for_output(output, to)?;
    io::check_target(output)?;
    if let Some(warning) = Format::misnamed(output, format).filter(|_| !quiet) {
        eprintln!("{warning}");
    }
    let space = load::open(input, quiet).map_err(|e| match e {
        // `convert IN OUT --format word2vec` meant for the output.
        crate::Error::Format {
            path,
            location,
            message,
        } if input.format.is_some() => crate::Error::Format {
            path,
            location,
            message: format!("{message}; --format names the input's format, --to the output's"),
        },
        e => e,
    })?;
    if space.subwords().is_some() && !format.keeps_subwords() && !quiet {
        eprintln!(
            "warning: {} keeps the word vectors only; the n-gram rows that give unknown words a vector are left out (.fifu or --to fasttext-bin keep them)",
            format.describe()
        );
    }
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
            crate::text::thousands(space.len()),
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
