//! NumPy arrays of a gensim save: inside the pickle (`numpy.core.multiarray._reconstruct`
//! with the raw bytes in its state, or protocol 5's `_frombuffer`) or in a `.npy` side file.
use super::pickle::{Id, Pickle, Value};
use crate::error::{Error, Location, Result, Warning};
use crate::io::npy::{self, ArrayView, Dtype};
use crate::io::Input;
use std::path::Path;

/// The arrays of one gensim object.
pub(super) struct Arrays<'a> {
    pub input: &'a Input,
    pub p: &'a Pickle,
    /// The object's state dictionary.
    pub state: Id,
    /// The path its side files start with.
    pub prefix: &'a Path,
}

impl Arrays<'_> {
    fn error(&self, m: String) -> Error {
        self.input.error(Location::File, m)
    }

    /// True when gensim stored attribute `name` in a side file (`__numpys`).
    pub fn listed(&self, name: &str) -> bool {
        let p = self.p;
        p.item(self.state, "__numpys")
            .and_then(|l| p.items(l))
            .is_some_and(|l| l.iter().any(|&i| p.str(i) == Some(name)))
    }

    /// Runs `f` on array `name`, from the pickle or from its side file; `None` when the
    /// object has no such array.
    pub fn with<T>(
        &self,
        name: &str,
        f: impl FnOnce(&ArrayView, &dyn Fn(String) -> Error) -> Result<T>,
    ) -> Result<Option<T>> {
        if let Some(id) = self.p.item(self.state, name) {
            if !matches!(self.p.get(id), Value::None) {
                let view = self.in_pickle(id, name)?;
                let err = |m: String| self.error(format!("array {name}: {m}"));
                return f(&view, &err).map(Some);
            }
        }
        if !self.listed(name) {
            return Ok(None);
        }
        let path = super::side_file(self.prefix, name);
        if !path.exists() {
            let npz = path.with_extension("npz");
            let why = if npz.exists() {
                format!(
                    "{} is compressed (saved with compress=True); embx reads uncompressed saves",
                    npz.display()
                )
            } else {
                format!("its side file {} is missing", path.display())
            };
            return Err(self.error(format!("array {name} is stored aside, but {why}")));
        }
        let input = Input::open(&path)?;
        let view = npy::parse(&path, input.bytes())?;
        let err = |m: String| Error::format(&path, Location::File, m);
        f(&view, &err).map(Some)
    }

    /// A 2-D float array of `rows` rows (any number of rows when `rows` is `None`), as
    /// `((rows, columns), row-major values)`.
    pub fn matrix_rows(
        &self,
        name: &str,
        rows: Option<usize>,
    ) -> Result<((usize, usize), Vec<f32>)> {
        let got = self.with(name, |a, err| {
            if a.shape.len() != 2 || matches!(a.dtype, Dtype::Int(_) | Dtype::UInt(_)) {
                return Err(err(format!(
                    "expected a 2-D float matrix, found shape {:?} of {:?}",
                    a.shape, a.dtype
                )));
            }
            if rows.is_some_and(|r| r != a.shape[0]) {
                return Err(err(format!(
                    "it has {} rows but the vocabulary has {} words",
                    a.shape[0],
                    rows.unwrap_or(0)
                )));
            }
            Ok(((a.shape[0], a.shape[1]), a.to_f32()))
        })?;
        got.ok_or_else(|| self.error(format!("the save has no array {name}")))
    }

    /// A 2-D float array with one row per word.
    pub fn matrix(&self, name: &str, rows: usize) -> Result<((usize, usize), Vec<f32>)> {
        self.matrix_rows(name, Some(rows))
    }

    /// The word counts (gensim 4 keeps them in the `count` expando), when present and sane.
    pub fn counts(&self, words: usize, warnings: &mut Vec<Warning>) -> Result<Option<Vec<u64>>> {
        let p = self.p;
        let Some(id) = p
            .item(self.state, "expandos")
            .and_then(|e| p.item(e, "count"))
        else {
            return Ok(None);
        };
        let counts = self.in_pickle(id, "count")?.to_counts();
        match counts {
            Some(c) if c.len() == words => Ok(Some(c)),
            _ => {
                warnings.push(self.input.warning(
                    Location::File,
                    "the word counts are not one non-negative integer per word; ignored",
                ));
                Ok(None)
            }
        }
    }

    /// An integer attribute such as `min_n`.
    pub fn int(&self, name: &str) -> Result<i64> {
        self.p
            .item(self.state, name)
            .and_then(|i| self.p.int(i))
            .ok_or_else(|| self.error(format!("the save has no integer {name}")))
    }

    /// The array a pickled `numpy.ndarray` holds.
    fn in_pickle(&self, id: Id, name: &str) -> Result<ArrayView<'_>> {
        let bytes = self.input.bytes();
        let view =
            ndarray(self.p, id, bytes).map_err(|m| self.error(format!("array {name}: {m}")))?;
        view.check()
            .map_err(|m| self.error(format!("array {name}: {m}")))?;
        Ok(view)
    }
}

/// Reads a pickled `numpy.ndarray` (the reduce of `_reconstruct` with its BUILD state, or
/// protocol 5's `_frombuffer(buffer, dtype, shape, order)`).
fn ndarray<'b>(p: &Pickle, id: Id, bytes: &'b [u8]) -> std::result::Result<ArrayView<'b>, String> {
    let class = p.class_of(id).unwrap_or_default();
    let (shape, dtype, fortran, data) = if class.ends_with("multiarray._reconstruct") {
        let state = p
            .state(id)
            .and_then(|s| p.items(s))
            .filter(|s| s.len() == 5)
            .ok_or("an ndarray without its (version, shape, dtype, order, data) state")?;
        let fortran = matches!(p.get(state[3]), Value::Bool(true));
        (state[1], state[2], fortran, state[4])
    } else if class.ends_with("._frombuffer") {
        let args = match p.get(id) {
            Value::Object { args, .. } => p.items(*args),
            _ => None,
        }
        .filter(|a| a.len() == 4)
        .ok_or("_frombuffer without (buffer, dtype, shape, order)")?;
        let fortran = p.str(args[3]) == Some("F");
        (args[2], args[1], fortran, args[0])
    } else {
        return Err(format!("expected a NumPy array, found {class:?}"));
    };
    let shape = p
        .items(shape)
        .and_then(|s| {
            s.iter()
                .map(|&d| p.int(d).and_then(|d| usize::try_from(d).ok()))
                .collect::<Option<Vec<usize>>>()
        })
        .ok_or("the array's shape is not a tuple of sizes")?;
    let (dtype, big_endian) = dtype_of(p, dtype)?;
    let data = match p.get(data) {
        Value::Bytes(r) => &bytes[r.clone()],
        _ => return Err("the array's values are not raw bytes (an object array?)".into()),
    };
    Ok(ArrayView {
        dtype,
        big_endian,
        shape,
        fortran,
        data,
    })
}

/// A pickled `numpy.dtype('f4', False, True)` with its byte order in the BUILD state.
fn dtype_of(p: &Pickle, id: Id) -> std::result::Result<(Dtype, bool), String> {
    let (args, state) = match p.get(id) {
        Value::Object { args, state, .. } => (*args, *state),
        _ => return Err("the array's dtype is not a numpy.dtype".into()),
    };
    let code = p
        .items(args)
        .and_then(|a| a.first())
        .and_then(|&c| p.str(c))
        .ok_or("the dtype has no type code")?;
    let order = state
        .and_then(|s| p.items(s))
        .and_then(|s| s.get(1))
        .and_then(|&o| p.str(o))
        .unwrap_or("|");
    Dtype::parse(&format!("{order}{code}")).ok_or_else(|| {
        format!("unsupported element type {code:?} (embx reads floats and integers)")
    })
}
