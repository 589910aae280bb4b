//! `embx convert IN OUT [--to FORMAT]`.
use super::load;
use super::progress::{with_bar, Unit};
use super::InputArgs;
use crate::error::{Error, Result};
use crate::format::Format;
use crate::io::{self, SaveOptions};
use std::path::Path;

pub fn run(input: &InputArgs, output: &Path, to: Option<Format>, quiet: bool) -> Result<()> {
    let format = match to {
        Some(f) => f,
        None => from_extension(output)?,
    };
    if !format.writable() {
        return Err(Error::Invalid(format!(
            "embx cannot write {}; choose one of fifu, word2vec, word2vec-text, glove, fasttext-vec, fasttext-bin",
            format.describe()
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
    }
    Ok(())
}

fn from_extension(path: &Path) -> Result<Format> {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    match ext.as_str() {
        "fifu" => Ok(Format::Fifu),
        "bin" => Ok(Format::Word2VecBinary),
        "vec" => Ok(Format::FastTextVec),
        _ => Err(Error::Invalid(format!(
            "cannot tell the output format from {:?}; add --to fifu|word2vec|word2vec-text|glove|fasttext-vec|fasttext-bin",
            path.display().to_string()
        ))),
    }
}
