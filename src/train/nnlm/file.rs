//! The NNLM's whole model on disk: `OUT.nnlm.safetensors` beside the vectors file `OUT`
//! (`zh.fifu` → `zh.fifu.nnlm.safetensors`, so that `zh.txt` has another).
//!
//! The vectors file holds only the word vectors (the paper's `C`); predicting the next word
//! needs the padding vector, the hidden layer and the output layer too, and the counts that
//! give the noise distribution. They are written in the safetensors layout, so that numpy or
//! torch can read them (`safetensors.numpy.load_file`):
//!
//! | tensor | dtype | shape |
//! | --- | --- | --- |
//! | `C` | F32 | vocabulary × dim (word vectors, not normalised) |
//! | `pad` | F32 | dim (the vector of a position before the sentence's start) |
//! | `H` | F32 | hidden × ((order − 1)·dim + 1), the last column the hidden bias |
//! | `U` | F32 | vocabulary × (hidden + 1), the last column the output bias |
//! | `counts` | U64 | vocabulary (corpus counts) |
//!
//! The string metadata holds `format = "embx-nnlm"`, `version`, `order`, `dim`, `hidden`,
//! `lowercase`, `segment` (`zh` or `off`), `words` (the vocabulary, one a line, in row order)
//! and `training` (the run's metadata TOML).
use super::model::LanguageModel;
use super::{Dims, NnlmWeights};
use crate::error::{Error, Location, Result};
use crate::space::Space;
use safetensors::tensor::{Dtype, SafeTensors, TensorView};
use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};

/// The value of the `format` metadata key.
const FORMAT: &str = "embx-nnlm";
/// The layout version written.
const VERSION: &str = "1";
/// The suffix added to a vectors file's name.
pub const SUFFIX: &str = ".nnlm.safetensors";

/// Where the model of the vectors file `vectors` lives: `zh.fifu` → `zh.fifu.nnlm.safetensors`.
/// A path that already ends in `.safetensors` is the model itself.
pub fn model_path(vectors: &Path) -> PathBuf {
    if vectors.extension().is_some_and(|e| e == "safetensors") {
        return vectors.to_path_buf();
    }
    let mut name = vectors.as_os_str().to_os_string();
    name.push(SUFFIX);
    PathBuf::from(name)
}

/// The model beside the vectors file `vectors` (`None` when there is none), checked to belong
/// to `space`, the vectors read from it: the same words in the same order, and the same
/// vectors (up to their length) on a sample of rows, since a model of the same corpus from
/// another run has the same words but not these vectors.
pub fn load_beside(vectors: &Path, space: &Space) -> Result<Option<LanguageModel>> {
    let path = model_path(vectors);
    if path == vectors || !path.is_file() {
        return Ok(None);
    }
    let model = load(&path)?;
    let same = space.len() == model.words().len()
        && (0..space.len()).all(|i| space.word(i) == model.words()[i])
        && same_vectors(&model, space);
    if !same {
        return Err(Error::Invalid(format!(
            "{} does not belong to {}: its words or its vectors differ ({} words in the \
             model, {} in the file). It was left by another run; give the model file itself \
             to use it anyway",
            path.display(),
            vectors.display(),
            crate::text::thousands(model.words().len()),
            crate::text::thousands(space.len())
        )));
    }
    Ok(Some(model))
}

/// True when the model's word vectors point where the space's do, on four rows.
fn same_vectors(model: &LanguageModel, space: &Space) -> bool {
    let d = model.weights.dims.dim;
    if space.dim() != d || space.is_empty() {
        return false;
    }
    let v = space.len();
    [0, v / 3, v / 2, v - 1].iter().all(|&r| {
        let c = &model.weights.emb[r * d..(r + 1) * d];
        let norm = c.iter().map(|x| x * x).sum::<f32>().sqrt();
        let cos: f32 = c.iter().zip(space.unit(r)).map(|(a, b)| a * b).sum();
        norm > 0.0 && cos / norm > 0.999
    })
}

/// Removes the model beside `vectors` when there is one, because the vectors it belonged to
/// are being replaced by others. Returns its path when it was removed. Only a file this
/// module wrote is removed.
pub fn remove_stale(vectors: &Path) -> Result<Option<PathBuf>> {
    let path = model_path(vectors);
    if path == vectors || !path.is_file() {
        return Ok(None);
    }
    let data = std::fs::read(&path).map_err(|e| Error::io(&path, e))?;
    let ours = SafeTensors::read_metadata(&data).is_ok_and(|(_, h)| {
        h.metadata()
            .as_ref()
            .and_then(|m| m.get("format"))
            .is_some_and(|f| f == FORMAT)
    });
    if !ours {
        return Ok(None);
    }
    std::fs::remove_file(&path).map_err(|e| Error::io(&path, e))?;
    Ok(Some(path))
}

fn f32_bytes(v: &[f32]) -> Vec<u8> {
    v.iter().flat_map(|x| x.to_le_bytes()).collect()
}

fn u64_bytes(v: &[u64]) -> Vec<u8> {
    v.iter().flat_map(|x| x.to_le_bytes()).collect()
}

/// Writes `model` to `path` (atomically).
pub fn save(model: &LanguageModel, path: &Path) -> Result<()> {
    let w = &model.weights;
    let d = w.dims;
    let v = model.words().len();
    let bytes = [
        ("C", Dtype::F32, vec![v, d.dim], f32_bytes(&w.emb)),
        ("pad", Dtype::F32, vec![d.dim], f32_bytes(&w.pad)),
        (
            "H",
            Dtype::F32,
            vec![d.hidden, d.x_len()],
            f32_bytes(&w.hidden),
        ),
        ("U", Dtype::F32, vec![v, d.h_len()], f32_bytes(&w.out)),
        ("counts", Dtype::U64, vec![v], u64_bytes(model.counts())),
    ];
    let mut views = Vec::new();
    for (name, dtype, shape, data) in &bytes {
        let view = TensorView::new(*dtype, shape.clone(), data).map_err(|e| {
            Error::Invalid(format!("the NNLM's {name} does not fit its shape: {e}"))
        })?;
        views.push((*name, view));
    }
    let meta: HashMap<String, String> = [
        ("format", FORMAT.to_string()),
        ("version", VERSION.to_string()),
        ("order", (d.ctx + 1).to_string()),
        ("dim", d.dim.to_string()),
        ("hidden", d.hidden.to_string()),
        ("lowercase", model.lowercase.to_string()),
        (
            "segment",
            if model.segment { "zh" } else { "off" }.to_string(),
        ),
        ("words", model.words().join("\n")),
        ("training", model.training.clone().unwrap_or_default()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    let data = safetensors::serialize(views, &Some(meta))
        .map_err(|e| Error::Invalid(format!("{}: {e}", path.display())))?;
    crate::io::atomic_write(path, |out| {
        out.write_all(&data).map_err(|e| Error::io(path, e))
    })
}

/// Reads a model written by [`save`].
pub fn load(path: &Path) -> Result<LanguageModel> {
    let data = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    let bad = |message: String| Error::format(path, Location::File, message);
    let st = SafeTensors::deserialize(&data)
        .map_err(|e| bad(format!("not a safetensors file ({e:?})")))?;
    let (_, header) =
        SafeTensors::read_metadata(&data).map_err(|e| bad(format!("bad header ({e:?})")))?;
    let meta = header.metadata().clone().unwrap_or_default();
    let get = |key: &str| {
        meta.get(key).ok_or_else(|| {
            bad(format!(
                "no {key:?} in the metadata: not an NNLM written by embx"
            ))
        })
    };
    if get("format")? != FORMAT {
        return Err(bad(format!("its format is not {FORMAT:?}")));
    }
    if get("version")? != VERSION {
        return Err(bad(format!(
            "layout version {} (this embx reads {VERSION})",
            get("version")?
        )));
    }
    let number = |key: &str| {
        get(key)?
            .parse::<usize>()
            .ok()
            .filter(|&n| n > 0)
            .ok_or_else(|| bad(format!("{key} is not a positive whole number")))
    };
    let order = number("order")?;
    let dims = Dims {
        ctx: order.saturating_sub(1).max(1),
        dim: number("dim")?,
        hidden: number("hidden")?,
    };
    let words: Vec<String> = get("words")?.split('\n').map(str::to_string).collect();
    let v = words.len();
    let f32s = |name: &str, shape: &[usize]| -> Result<Vec<f32>> {
        let bytes = tensor(&st, name, Dtype::F32, shape).map_err(&bad)?;
        Ok(bytes
            .chunks_exact(4)
            .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
            .collect())
    };
    let weights = NnlmWeights {
        dims,
        emb: f32s("C", &[v, dims.dim])?,
        pad: f32s("pad", &[dims.dim])?,
        hidden: f32s("H", &[dims.hidden, dims.x_len()])?,
        out: f32s("U", &[v, dims.h_len()])?,
    };
    let counts = tensor(&st, "counts", Dtype::U64, &[v])
        .map_err(&bad)?
        .chunks_exact(8)
        .map(|c| u64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]))
        .collect();
    let training = meta.get("training").filter(|t| !t.is_empty()).cloned();
    let mut model =
        LanguageModel::new(weights, words, counts, training).map_err(|e| bad(e.to_string()))?;
    model.lowercase = get("lowercase")? == "true";
    model.segment = get("segment")? == "zh";
    model.home = path.parent().map(Path::to_path_buf);
    Ok(model)
}

/// The bytes of tensor `name`, checked to be of `dtype` and `shape`.
fn tensor<'a>(
    st: &SafeTensors<'a>,
    name: &str,
    dtype: Dtype,
    shape: &[usize],
) -> std::result::Result<&'a [u8], String> {
    let t = st
        .tensor(name)
        .map_err(|_| format!("no tensor {name:?}: not an NNLM written by embx"))?;
    if t.dtype() != dtype || t.shape() != shape {
        return Err(format!(
            "tensor {name:?} is {:?} {:?}; the metadata asks for {dtype:?} {shape:?}",
            t.dtype(),
            t.shape()
        ));
    }
    Ok(t.data())
}
