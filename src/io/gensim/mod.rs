//! gensim's own saves (`KeyedVectors.save`, `Word2Vec.save`, `FastText.save`): a pickle
//! with the large arrays in `.npy` files beside it (`NAME.vectors.npy`,
//! `NAME.wv.vectors.npy`, `NAME.wv.vectors_ngrams.npy`, …) and the small ones inside it.
//!
//! The pickle is read as data by [`pickle`]: no code runs and no class is constructed. The
//! reader then looks for the parts of gensim 4's `KeyedVectors` it needs by name:
//! `index_to_key`, `vectors` and the `count` expando, and for `FastTextKeyedVectors`
//! `vectors_vocab`, `vectors_ngrams`, `min_n`, `max_n` and `bucket`, whose word vectors it
//! computes as gensim does (the word's row averaged with its n-gram rows).
mod arrays;
mod fasttext;
pub(crate) mod pickle;

use super::Input;
use crate::error::{Location, Result, Warning};
use crate::format::Format;
use crate::space::{normalize_rows, Matrix, SourceInfo, Space, SpaceParts, Storage, Vocab};
use arrays::Arrays;
use pickle::{Id, Pickle, Value};
use std::path::{Path, PathBuf};

/// The first bytes of a pickle of protocol 2 or later (`PROTO n`).
pub(super) fn is_pickle(bytes: &[u8]) -> bool {
    matches!(bytes, [0x80, 2..=5, ..])
}

/// The object that holds the vectors and the name prefix of its side files.
pub(super) struct Found {
    pub state: Id,
    pub prefix: PathBuf,
    pub class: String,
}

pub(super) fn read(input: &Input, warnings: &mut Vec<Warning>) -> Result<Space> {
    let p = pickle::parse(input.bytes()).map_err(|e| {
        input.error(
            Location::Offset(e.offset as u64),
            format!("cannot read the gensim pickle: {}", e.message),
        )
    })?;
    let found = find_vectors(input, &p)?;
    let arrays = Arrays {
        input,
        p: &p,
        state: found.state,
        prefix: &found.prefix,
    };
    let words = words(input, &p, found.state)?;
    let counts = arrays.counts(words.len(), warnings)?;
    let fast = p.item(found.state, "vectors_ngrams").is_some()
        || arrays.listed("vectors_ngrams")
        || found.class.ends_with("FastTextKeyedVectors");
    let (vocab, dim, mut data, subwords) = if fast {
        fasttext::vectors(&arrays, &words)?
    } else {
        let (vocab, dim, data) = plain_vectors(&arrays, &words)?;
        (vocab, dim, data, None)
    };
    zero_bad_rows(input, &mut data, dim, warnings);
    let norms = normalize_rows(&mut data, dim.max(1));
    Ok(Space::new(SpaceParts {
        matrix: Matrix::from_vec(vocab.len(), dim, data),
        vocab,
        norms,
        counts,
        subwords,
        source: SourceInfo {
            path: input.path().to_path_buf(),
            format: Format::Gensim,
            storage: Storage::Array,
            metadata: Some(format!("class = {:?}\n", found.class)),
            file_bytes: input.bytes().len() as u64,
        },
    }))
}

/// Finds the KeyedVectors: the pickled object itself, or its `wv` attribute (Word2Vec,
/// FastText, Doc2Vec).
fn find_vectors(input: &Input, p: &Pickle) -> Result<Found> {
    let root_class = p.class_of(p.root).unwrap_or_else(|| "a plain value".into());
    let Some(state) = p
        .state(p.root)
        .filter(|&s| matches!(p.get(s), Value::Dict(_)))
    else {
        return Err(not_gensim(input, &root_class));
    };
    if let Some(found) = keyed_vectors(input, p, p.root, state, input.path().to_path_buf())? {
        return Ok(found);
    }
    if let Some(wv) = p.item(state, "wv") {
        if let Some(wv_state) = p.state(wv) {
            let prefix = PathBuf::from(format!("{}.wv", input.path().display()));
            if let Some(found) = keyed_vectors(input, p, wv, wv_state, prefix)? {
                return Ok(found);
            }
        }
    }
    Err(not_gensim(input, &root_class))
}

fn keyed_vectors(
    input: &Input,
    p: &Pickle,
    obj: Id,
    state: Id,
    prefix: PathBuf,
) -> Result<Option<Found>> {
    let class = p.class_of(obj).unwrap_or_default();
    if p.item(state, "index_to_key").is_some() {
        return Ok(Some(Found {
            state,
            prefix,
            class,
        }));
    }
    if ["index2word", "index2entity", "vocab"]
        .iter()
        .any(|k| p.item(state, k).is_some())
    {
        return Err(input.error(
            Location::File,
            format!(
                "this is a save of gensim 3.x or older ({class}), which embx does not read; \
                 load it with gensim 4 and save it again, or write it with \
                 save_word2vec_format(..., binary=True)"
            ),
        ));
    }
    Ok(None)
}

fn not_gensim(input: &Input, class: &str) -> crate::Error {
    input.error(
        Location::File,
        format!(
            "a Python pickle, but not a gensim KeyedVectors, Word2Vec or FastText save \
             (it holds {class})"
        ),
    )
}

/// `index_to_key`, checked to be distinct strings.
fn words(input: &Input, p: &Pickle, state: Id) -> Result<Vec<String>> {
    let err = |m: String| input.error(Location::File, m);
    let list = p
        .item(state, "index_to_key")
        .and_then(|l| p.items(l))
        .ok_or_else(|| err("index_to_key is not a list".into()))?;
    let mut words = Vec::with_capacity(list.len());
    for (i, &id) in list.iter().enumerate() {
        match p.get(id) {
            Value::Str(s) => words.push(s.clone()),
            Value::Int(n) => words.push(n.to_string()),
            other => return Err(err(format!("index_to_key[{i}] is {other:?}, not a string"))),
        }
    }
    Ok(words)
}

fn vocab_of(input: &Input, words: &[String]) -> Result<Vocab> {
    let mut vocab = Vocab::with_capacity(words.len(), words.iter().map(String::len).sum());
    for (i, w) in words.iter().enumerate() {
        if vocab.push(w).is_err() {
            return Err(input.error(
                Location::File,
                format!("index_to_key[{i}] repeats the word {w:?}"),
            ));
        }
    }
    Ok(vocab)
}

fn plain_vectors(arrays: &Arrays, words: &[String]) -> Result<(Vocab, usize, Vec<f32>)> {
    let (shape, data) = arrays.matrix("vectors", words.len())?;
    let vocab = vocab_of(arrays.input, words)?;
    Ok((vocab, shape.1, data))
}

fn zero_bad_rows(input: &Input, data: &mut [f32], dim: usize, warnings: &mut Vec<Warning>) {
    if dim == 0 {
        return;
    }
    let mut bad = 0;
    for row in data.chunks_mut(dim) {
        if row.iter().any(|v| !v.is_finite()) {
            row.iter_mut().for_each(|v| *v = 0.0);
            bad += 1;
        }
    }
    if bad > 0 {
        warnings.push(input.warning(
            Location::File,
            format!("{bad} row(s) with NaN or infinite values were set to zero"),
        ));
    }
}

/// The side file gensim writes for attribute `name` of the object saved under `prefix`.
pub(super) fn side_file(prefix: &Path, name: &str) -> PathBuf {
    PathBuf::from(format!("{}.{name}.npy", prefix.display()))
}
