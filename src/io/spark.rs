//! Spark MLlib `Word2VecModel` directories, as `model.write().save(path)` (spark.ml) and
//! `model.save(sc, path)` (spark.mllib) leave them: `metadata/part-*` (one JSON line naming
//! the class and the vector size) and `data/*.parquet`. Since Spark 2.2 the data are rows of
//! (`word`, `vector`); before, one row of (`wordIndex` map, `wordVectors` flat array).
use crate::error::{Error, Location, Result, Warning};
use crate::format::Format;
use crate::jobs::{Progress, ProgressExt};
use crate::space::{SourceInfo, Space, Storage, Vocab};
use parquet::file::reader::{FileReader, SerializedFileReader};
use parquet::record::{Field, Row};
use std::fs::File;
use std::path::{Path, PathBuf};

/// Reads the model directory `dir`.
pub(super) fn read(
    dir: &Path,
    progress: Option<&Progress>,
    warnings: &mut Vec<Warning>,
) -> Result<Space> {
    let err = |m: String| Error::format(dir, Location::File, m);
    let meta = metadata(dir)?;
    let class = meta["class"].as_str().unwrap_or("").to_owned();
    if !class.ends_with("Word2VecModel") {
        return Err(err(format!(
            "a Spark model directory, but of {class:?}, not a Word2VecModel"
        )));
    }
    let files = part_files(&dir.join("data"), "parquet")?;
    if files.is_empty() {
        return Err(err("data/ holds no .parquet files".into()));
    }
    let mut rows = Rows::default();
    for file in &files {
        progress.check()?;
        read_file(file, &mut rows)?;
    }
    let dim = match rows.flat {
        Some(_) => vector_size(&meta).unwrap_or(0),
        None => rows.dim.unwrap_or(0),
    };
    let (words, data) = match rows.flat.take() {
        Some((index, flat)) => from_index(dir, index, flat, dim)?,
        None => (
            std::mem::take(&mut rows.words),
            std::mem::take(&mut rows.data),
        ),
    };
    let mut vocab = Vocab::with_capacity(words.len(), words.iter().map(String::len).sum());
    for w in &words {
        if vocab.push(w).is_err() {
            return Err(err(format!("the word {w:?} appears twice")));
        }
    }
    if let Some(want) = vector_size(&meta) {
        if want != dim && !words.is_empty() {
            warnings.push(Warning::new(
                dir,
                Location::File,
                format!("metadata says vectorSize {want} but the vectors have {dim} values"),
            ));
        }
    }
    let source = SourceInfo {
        path: dir.to_path_buf(),
        format: Format::Spark,
        storage: Storage::Array,
        metadata: Some(format!("class = {class:?}\n")),
        file_bytes: files
            .iter()
            .filter_map(|f| f.metadata().ok())
            .map(|m| m.len())
            .sum(),
    };
    Ok(Space::from_raw(vocab, dim, data, source))
}

/// The model's metadata: the first line of `metadata/part-*`.
fn metadata(dir: &Path) -> Result<serde_json::Value> {
    let mdir = dir.join("metadata");
    let files = part_files(&mdir, "")?;
    let Some(first) = files.first() else {
        return Err(Error::format(
            dir,
            Location::File,
            "not a Spark model directory: no metadata/part-* file",
        ));
    };
    let text = std::fs::read_to_string(first).map_err(|e| Error::io(first, e))?;
    let line = text.lines().next().unwrap_or("");
    serde_json::from_str(line).map_err(|e| {
        Error::format(
            first,
            Location::Line(1),
            format!("not Spark metadata JSON: {e}"),
        )
    })
}

fn vector_size(meta: &serde_json::Value) -> Option<usize> {
    let v = meta["paramMap"]["vectorSize"]
        .as_u64()
        .or_else(|| meta["vectorSize"].as_u64())?;
    usize::try_from(v).ok()
}

/// `part-*` files of `dir` (ending with `ext` when given), sorted; hidden and `_SUCCESS`
/// files are left out.
fn part_files(dir: &Path, ext: &str) -> Result<Vec<PathBuf>> {
    let entries = std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))?;
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            let name = p.file_name().map(|n| n.to_string_lossy().into_owned());
            name.is_some_and(|n| n.starts_with("part-") && n.ends_with(ext) && !n.ends_with(".crc"))
        })
        .collect();
    files.sort();
    Ok(files)
}

/// What the parquet files held.
#[derive(Default)]
struct Rows {
    words: Vec<String>,
    data: Vec<f32>,
    dim: Option<usize>,
    /// The pre-2.2 layout: (word, index) pairs and the flat vectors.
    flat: Option<(Vec<(String, usize)>, Vec<f32>)>,
}

fn read_file(path: &Path, rows: &mut Rows) -> Result<()> {
    let bad = |m: String| Error::format(path, Location::File, m);
    let file = File::open(path).map_err(|e| Error::io(path, e))?;
    let reader = SerializedFileReader::new(file)
        .map_err(|e| bad(format!("not a readable parquet file: {e}")))?;
    let iter = reader
        .get_row_iter(None)
        .map_err(|e| bad(format!("cannot read its rows: {e}")))?;
    for (i, row) in iter.enumerate() {
        let row = row.map_err(|e| bad(format!("row {i}: {e}")))?;
        add_row(&row, rows).map_err(|m| bad(format!("row {i}: {m}")))?;
    }
    Ok(())
}

fn add_row(row: &Row, rows: &mut Rows) -> std::result::Result<(), String> {
    let field = |name: &str| {
        row.get_column_iter()
            .find(|(n, _)| n.as_str() == name)
            .map(|(_, f)| f)
    };
    if let (Some(Field::Str(word)), Some(vector)) = (field("word"), field("vector")) {
        let start = rows.data.len();
        floats(vector, &mut rows.data)?;
        let n = rows.data.len() - start;
        match rows.dim {
            None => rows.dim = Some(n),
            Some(d) if d != n => {
                return Err(format!("{word:?} has {n} values where others have {d}"))
            }
            _ => {}
        }
        rows.words.push(word.clone());
        return Ok(());
    }
    if let (Some(Field::MapInternal(index)), Some(vectors)) =
        (field("wordIndex"), field("wordVectors"))
    {
        let mut pairs = Vec::with_capacity(index.entries().len());
        for (k, v) in index.entries() {
            match (k, v) {
                (Field::Str(w), Field::Int(i)) if *i >= 0 => pairs.push((w.clone(), *i as usize)),
                _ => return Err(format!("wordIndex holds {k} → {v}, not word → index")),
            }
        }
        let mut flat = Vec::new();
        floats(vectors, &mut flat)?;
        rows.flat = Some((pairs, flat));
        return Ok(());
    }
    let names: Vec<&String> = row.get_column_iter().map(|(n, _)| n).collect();
    Err(format!(
        "expected columns (word, vector) or (wordIndex, wordVectors), found {names:?}"
    ))
}

fn floats(field: &Field, out: &mut Vec<f32>) -> std::result::Result<(), String> {
    let Field::ListInternal(list) = field else {
        return Err(format!("a vector is {field}, not a list of numbers"));
    };
    for v in list.elements() {
        match v {
            Field::Float(x) => out.push(*x),
            Field::Double(x) => out.push(*x as f32),
            other => return Err(format!("a vector holds {other}, not a number")),
        }
    }
    Ok(())
}

/// The pre-2.2 layout: words ordered by their index into the flat vector array.
fn from_index(
    dir: &Path,
    mut index: Vec<(String, usize)>,
    flat: Vec<f32>,
    dim: usize,
) -> Result<(Vec<String>, Vec<f32>)> {
    index.sort_by_key(|&(_, i)| i);
    let n = index.len();
    let dim = if dim == 0 && n > 0 {
        flat.len() / n
    } else {
        dim
    };
    let ok = index.iter().enumerate().all(|(k, &(_, i))| k == i);
    if !ok || n.checked_mul(dim) != Some(flat.len()) {
        return Err(Error::format(
            dir,
            Location::File,
            format!(
                "wordIndex ({n} words) and wordVectors ({} values) do not fit {dim} dimensions",
                flat.len()
            ),
        ));
    }
    Ok((index.into_iter().map(|(w, _)| w).collect(), flat))
}
