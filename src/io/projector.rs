//! The TensorFlow Embedding Projector's files: `vectors.tsv` (one vector a line, values
//! separated by tabs, no words) and `metadata.tsv` (the labels: one a line; with several
//! columns the first line names them and the first column is the label). Also the word list
//! that goes with a NumPy `.npy` matrix.
use super::atomic::{atomic_write, put};
use super::Input;
use crate::error::{Error, Location, Result, Warning};
use crate::format::Format;
use crate::jobs::{Progress, ProgressExt};
use crate::space::{SourceInfo, Space, Storage, Vocab};
use std::path::{Path, PathBuf};

/// The labels file written beside `vectors`: `vectors.tsv` → `metadata.tsv`,
/// `glove_vectors.tsv` → `glove_metadata.tsv`, `x.tsv` → `x_metadata.tsv`.
pub fn metadata_path(vectors: &Path) -> PathBuf {
    let stem = vectors
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let name = match stem.strip_suffix("vectors") {
        Some(head) => format!("{head}metadata.tsv"),
        None => format!("{stem}_metadata.tsv"),
    };
    vectors.with_file_name(name)
}

/// True when the first line is tab-separated numbers only (a `vectors.tsv`).
pub(super) fn looks_like_tsv(line: &[u8]) -> bool {
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    !line.is_empty()
        && line.contains(&b'\t')
        && line
            .split(|&b| b == b'\t')
            .all(|f| fast_float2::parse::<f32, _>(f).is_ok())
}

/// The word list for the matrix at `data`: `words` if given, else the first of the usual
/// names beside it that exists.
pub(super) fn find_words(data: &Path, words: Option<&Path>) -> Result<PathBuf> {
    if let Some(w) = words {
        return Ok(w.to_path_buf());
    }
    let mut candidates = vec![metadata_path(data), data.with_file_name("metadata.tsv")];
    for ext in ["words", "vocab", "txt", "tsv"] {
        candidates.push(data.with_extension(ext));
    }
    for name in ["words.txt", "vocab.txt"] {
        candidates.push(data.with_file_name(name));
    }
    candidates
        .into_iter()
        .find(|c| c != data && c.is_file())
        .ok_or_else(|| {
            Error::format(
                data,
                Location::File,
                format!(
                    "no word list found beside it (tried {} and metadata.tsv, or the same name \
                     ending .words, .vocab or .txt); give one with --words FILE",
                    metadata_path(data).display()
                ),
            )
        })
}

/// Reads a word list: one word a line, or a Projector metadata file with a header line and
/// the label in the first column.
pub(super) fn read_words(path: &Path, rows: usize) -> Result<Vocab> {
    let input = Input::open(path)?;
    let text = std::str::from_utf8(input.bytes()).map_err(|e| {
        input.error(
            Location::Offset(e.valid_up_to() as u64),
            "the word list is not valid UTF-8",
        )
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut lines: Vec<&str> = text.lines().collect();
    let columns = lines.first().map_or(1, |l| l.split('\t').count());
    let header = usize::from(columns > 1);
    if columns > 1 {
        lines.remove(0);
    }
    while lines.len() > rows && lines.last().is_some_and(|l| l.is_empty()) {
        lines.pop();
    }
    if lines.len() != rows {
        return Err(input.error(
            Location::File,
            format!(
                "the word list has {} words but the matrix has {rows} rows",
                lines.len()
            ),
        ));
    }
    let mut vocab = Vocab::with_capacity(rows, text.len());
    for (i, line) in lines.iter().enumerate() {
        let word = line.split('\t').next().unwrap_or("");
        if vocab.push(word).is_err() {
            return Err(input.error(
                Location::Line((i + 1 + header) as u64),
                format!("the word {word:?} is listed twice"),
            ));
        }
    }
    Ok(vocab)
}

/// Reads `vectors.tsv` with its labels.
pub(super) fn read(
    input: &Input,
    words: Option<&Path>,
    progress: Option<&Progress>,
    warnings: &mut Vec<Warning>,
) -> Result<Space> {
    let (rows, dim, data) = parse_values(input, progress, warnings)?;
    let vocab = read_words(&find_words(input.path(), words)?, rows)?;
    let source = SourceInfo {
        path: input.path().to_path_buf(),
        format: Format::Projector,
        storage: Storage::Array,
        metadata: None,
        file_bytes: input.bytes().len() as u64,
    };
    Ok(Space::from_raw(vocab, dim, data, source))
}

fn parse_values(
    input: &Input,
    progress: Option<&Progress>,
    warnings: &mut Vec<Warning>,
) -> Result<(usize, usize, Vec<f32>)> {
    let bytes = input.bytes();
    let mut data = Vec::new();
    let (mut rows, mut dim, mut bad) = (0usize, 0usize, 0usize);
    for (i, line) in bytes.split(|&b| b == b'\n').enumerate() {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        if line.is_empty() {
            continue;
        }
        if i % 65536 == 65535 {
            progress.check()?;
        }
        let start = data.len();
        for field in line.split(|&b| b == b'\t') {
            let v: f32 = fast_float2::parse(field).map_err(|_| {
                input.error(
                    Location::Line(i as u64 + 1),
                    format!(
                        "{:?} is not a number",
                        String::from_utf8_lossy(&field[..field.len().min(40)])
                    ),
                )
            })?;
            data.push(v);
        }
        let n = data.len() - start;
        if rows == 0 {
            dim = n;
        } else if n != dim {
            return Err(input.error(
                Location::Line(i as u64 + 1),
                format!("{n} values where the first line has {dim}"),
            ));
        }
        if data[start..].iter().any(|v| !v.is_finite()) {
            data[start..].iter_mut().for_each(|v| *v = 0.0);
            bad += 1;
        }
        rows += 1;
    }
    if rows == 0 {
        return Err(input.error(Location::File, "no vectors in the file"));
    }
    if bad > 0 {
        warnings.push(input.warning(
            Location::File,
            format!("{bad} row(s) with NaN or infinite values were set to zero"),
        ));
    }
    Ok((rows, dim, data))
}

/// Writes `vectors.tsv` at `path` and the labels next to it ([`metadata_path`]), each
/// atomically. A word with a tab or a line break cannot be a label: nothing is written.
pub(super) fn write(space: &Space, path: &Path, progress: Option<&Progress>) -> Result<()> {
    if let Some(w) = space
        .vocab()
        .iter()
        .find(|w| w.contains(['\t', '\n', '\r']))
    {
        return Err(Error::Invalid(format!(
            "the word {w:?} holds a tab or line break, which a Projector metadata.tsv cannot"
        )));
    }
    let meta = metadata_path(path);
    // A label that reads as a header would be taken for one only with several columns; one
    // column has no header.
    let mut labels = String::new();
    for w in space.vocab().iter() {
        labels.push_str(w);
        labels.push('\n');
    }
    atomic_write(path, |w| {
        let mut line = String::new();
        for row in 0..space.len() {
            if row % 4096 == 0 {
                progress.check()?;
            }
            line.clear();
            let norm = space.norms()[row];
            for (j, &u) in space.unit(row).iter().enumerate() {
                if j > 0 {
                    line.push('\t');
                }
                line.push_str(&(u * norm).to_string());
            }
            line.push('\n');
            put(w, line.as_bytes(), path)?;
            progress.add(1);
        }
        Ok(())
    })?;
    atomic_write(&meta, |w| put(w, labels.as_bytes(), &meta))
}
