//! The exact search's copy, kept between runs. Building the pre-filter copy of a big space
//! ([`super::prepare_exact`]) takes seconds (2.2 s for 2M × 300 on 2 cores); reading it back
//! takes a fraction of that. After building it, the explorer keeps it in the user's cache
//! folder (`$XDG_CACHE_HOME/embx`, else `~/.cache/embx`), named by a hash of the vector file's
//! absolute path, with the file's [`Identity`]; the next opening reads it instead of building
//! it. A copy made from other vectors (the file changed since) is not used, and the next
//! keeping replaces it.
//!
//! ```text
//! 0   magic "EMBXCPY1"               8 bytes
//! 8   version u32 (1), kind u32 (1 = int8 rows, 2 = reduced)
//! 16  identity: file length u64, modification time (ns) u64, fingerprint u64
//! 40  rows u64, dim u64, width u64 (the reduced copy's p; 0 for int8 rows)
//! 64  four f32: int8 rows: M, then 1 when the reduced copy was found not to suit;
//!     reduced: the maxima of ‖y‖, ‖Px‖ and ‖x‖, then 0
//! 80  sections, each its byte length (u64) then its bytes, little-endian:
//!     int8 rows: codes, scales, errors
//!     reduced: projection (p × dim f32), codes, scales, errors `e`, residuals `r`
//! ```
//! The per-tile maxima are recomputed when read.
use super::reduced;
use crate::error::{Error, Location, Result};
use crate::index::{cache_file, u32_at, u64_at, Identity};
use crate::io::{atomic_write, write_le};
use crate::space::quant::{Quantized, GROUP, GROUP_BYTES, TILE};
use crate::space::reduced::{Basis, Reduced};
use crate::space::Space;
use std::io::{BufReader, Read, Write};
use std::path::{Path, PathBuf};

const MAGIC: &[u8; 8] = b"EMBXCPY1";
const VERSION: u32 = 1;
const HEADER: usize = 80;
const INT8: u32 = 1;
const REDUCED: u32 = 2;

/// What looking for a kept copy found.
#[derive(Debug, PartialEq, Eq)]
pub enum Kept {
    /// None kept (or no cache folder, or the space was not read from a file).
    Missing,
    /// A copy made from other vectors, or for another pre-filter; why.
    Stale(String),
    /// The copy was read from this file and set on the space.
    Read(PathBuf),
}

/// Where the copy of `space`'s file is kept; `None` without a cache folder.
pub fn path_for(space: &Space) -> Option<PathBuf> {
    cache_file(&space.source().path, "embx-exact")
}

/// The copy kept for `space`'s file and its size in bytes, when there is one (it may have
/// been made from other vectors: it is checked when read).
pub fn kept_file(space: &Space) -> Option<(PathBuf, u64)> {
    let path = path_for(space)?;
    let len = std::fs::metadata(&path).ok()?.len();
    Some((path, len))
}

/// Reads the kept copy of `space` and sets it on the space when it was made from these
/// vectors. A kept file that cannot be read is an error naming it.
pub fn read(space: &Space) -> Result<Kept> {
    match (path_for(space), Identity::of(space)) {
        (Some(path), Ok(identity)) => read_from(space, &path, identity),
        _ => Ok(Kept::Missing),
    }
}

/// Before a whole-vocabulary search of the first `n` rows builds the pre-filter's copy of a
/// big space: reads the copy kept by an earlier opening instead, when there is one. A kept
/// copy that cannot be read is left alone: the copy is then built as usual.
pub(crate) fn read_before_building(space: &Space, n: usize) {
    let built = space.reduced_if_built().is_some() || space.quantized_if_built().is_some();
    if !built && n == space.len() && n >= super::PREPARE_MIN_ROWS {
        // Errors are the explorer's to report (`prepare_exact`); here the copy is built.
        let _ = read(space);
    }
}

/// Writes the copy that `space` built (if any) to the cache folder, atomically. Returns the
/// file, or `None` when there was nothing to keep or no place for it.
pub fn keep(space: &Space) -> Result<Option<PathBuf>> {
    let (Some(path), Ok(identity)) = (path_for(space), Identity::of(space)) else {
        return Ok(None);
    };
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    }
    Ok(keep_at(space, &path, identity)?.then_some(path))
}

/// Writes the built copy of `space` to `path`; false when none is built.
pub(crate) fn keep_at(space: &Space, path: &Path, identity: Identity) -> Result<bool> {
    let (rows, dim) = (space.len(), space.dim());
    let head = |kind: u32, width: usize, consts: [f32; 4]| {
        let mut h = Vec::with_capacity(HEADER);
        h.extend_from_slice(MAGIC);
        h.extend_from_slice(&VERSION.to_le_bytes());
        h.extend_from_slice(&kind.to_le_bytes());
        for v in [identity.file_len, identity.mtime_ns, identity.fingerprint] {
            h.extend_from_slice(&v.to_le_bytes());
        }
        for v in [rows, dim, width] {
            h.extend_from_slice(&(v as u64).to_le_bytes());
        }
        consts
            .iter()
            .for_each(|c| h.extend_from_slice(&c.to_le_bytes()));
        h
    };
    let io = |e| Error::io(path, e);
    if let Some(r) = space.reduced_if_built() {
        let consts = [r.max_y, r.max_px, r.max_x, 0.0];
        atomic_write(path, |w| {
            w.write_all(&head(REDUCED, r.basis.dims(), consts))
                .map_err(io)?;
            let basis = r.basis.matrix().as_standard_layout();
            section(w, basis.as_slice().unwrap_or_default(), f32::to_le_bytes).map_err(io)?;
            section(w, &r.codes, i8::to_le_bytes).map_err(io)?;
            for v in [&r.scale, &r.err, &r.res] {
                section(w, v, f32::to_le_bytes).map_err(io)?;
            }
            Ok(())
        })?;
    } else if let Some(q) = space.quantized_if_built() {
        let unsuited = if space.reduced_tried() { 1.0 } else { 0.0 };
        atomic_write(path, |w| {
            w.write_all(&head(INT8, 0, [q.max_norm, unsuited, 0.0, 0.0]))
                .map_err(io)?;
            section(w, &q.codes, i8::to_le_bytes).map_err(io)?;
            section(w, &q.scale, f32::to_le_bytes).map_err(io)?;
            section(w, &q.err, f32::to_le_bytes).map_err(io)
        })?;
    } else {
        return Ok(false);
    }
    Ok(true)
}

/// Writes one section: its byte length, then its items little-endian.
fn section<T: Copy, const N: usize>(
    w: &mut impl Write,
    items: &[T],
    to_le: fn(T) -> [u8; N],
) -> std::io::Result<()> {
    w.write_all(&((items.len() * N) as u64).to_le_bytes())?;
    write_le(w, items, to_le)
}

/// The header's fields.
struct Header {
    kind: u32,
    identity: Identity,
    rows: usize,
    dim: usize,
    width: usize,
    consts: [f32; 4],
}

fn parse_header(path: &Path, h: &[u8]) -> Result<Header> {
    let (u32_at, u64_at) = (|at| u32_at(h, at), |at| u64_at(h, at));
    let bad = |at: u64, msg: String| Error::format(path, Location::Offset(at), msg);
    if &h[..8] != MAGIC {
        return Err(bad(0, "not a kept search copy of embx (bad magic)".into()));
    }
    if u32_at(8) != VERSION {
        return Err(bad(8, format!("version {}, expected {VERSION}", u32_at(8))));
    }
    let size =
        |at: usize| usize::try_from(u64_at(at)).map_err(|_| bad(at as u64, "too big".into()));
    Ok(Header {
        kind: u32_at(12),
        identity: Identity {
            file_len: u64_at(16),
            mtime_ns: u64_at(24),
            fingerprint: u64_at(32),
        },
        rows: size(40)?,
        dim: size(48)?,
        width: size(56)?,
        consts: [64, 68, 72, 76].map(|at| f32::from_bits(u32_at(at))),
    })
}

/// Reads sections in order, checking each one's length against the space's shape.
struct Sections<'a> {
    path: &'a Path,
    r: BufReader<std::fs::File>,
    at: u64,
}

impl Sections<'_> {
    fn read_exact(&mut self, buf: &mut [u8], what: &str) -> Result<()> {
        self.r.read_exact(buf).map_err(|e| {
            let msg = format!("{what}: {e} (the file is truncated?)");
            Error::format(self.path, Location::Offset(self.at), msg)
        })?;
        self.at += buf.len() as u64;
        Ok(())
    }

    fn bytes(&mut self, want: usize, what: &str) -> Result<Vec<u8>> {
        let mut len = [0u8; 8];
        self.read_exact(&mut len, what)?;
        let len = u64::from_le_bytes(len);
        if len != want as u64 {
            let msg = format!("{what}: {len} bytes, expected {want}");
            return Err(Error::format(self.path, Location::Offset(self.at - 8), msg));
        }
        let mut out = vec![0u8; want];
        self.read_exact(&mut out, what)?;
        Ok(out)
    }

    fn codes(&mut self, want: usize) -> Result<Vec<i8>> {
        // u8 → i8 has the same size and alignment: collected in place.
        Ok(self
            .bytes(want, "codes")?
            .into_iter()
            .map(|b| b as i8)
            .collect())
    }

    fn f32s(&mut self, want: usize, what: &str) -> Result<Vec<f32>> {
        let b = self.bytes(want * 4, what)?;
        Ok(b.chunks_exact(4)
            .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
            .collect())
    }
}

/// Reads the copy kept in `path` for `space` (whose file has `identity`).
pub(crate) fn read_from(space: &Space, path: &Path, identity: Identity) -> Result<Kept> {
    let file = match std::fs::File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Kept::Missing),
        Err(e) => return Err(Error::io(path, e)),
    };
    let mut s = Sections {
        path,
        r: BufReader::with_capacity(1 << 20, file),
        at: 0,
    };
    let mut h = [0u8; HEADER];
    s.read_exact(&mut h, "header")?;
    let h = parse_header(path, &h)?;
    let (rows, dim) = (space.len(), space.dim());
    if h.identity != identity {
        return Ok(Kept::Stale("the vector file changed since".into()));
    }
    if (h.rows, h.dim) != (rows, dim) {
        let why = format!(
            "made for {} × {}, the space is {rows} × {dim}",
            h.rows, h.dim
        );
        return Ok(Kept::Stale(why));
    }
    let wants_reduced = reduced::enabled() && reduced::applies(space, rows, 10);
    let tiles = rows.div_ceil(TILE);
    match h.kind {
        INT8 if wants_reduced && h.consts[1] != 1.0 => Ok(Kept::Stale(
            "made with the int8 pre-filter only (EMBX_PREFILTER=int8)".into(),
        )),
        REDUCED if !wants_reduced => Ok(Kept::Stale("made for the reduced pre-filter".into())),
        INT8 => {
            let codes = s.codes(tiles * dim.div_ceil(GROUP) * GROUP_BYTES)?;
            let scale = s.f32s(tiles * TILE, "scales")?;
            let err = s.f32s(tiles * TILE, "errors")?;
            let q = Quantized::from_parts((rows, dim), codes, scale, err, h.consts[0]);
            if wants_reduced {
                space.set_reduced(None);
            }
            space.set_quantized(q);
            Ok(Kept::Read(path.to_path_buf()))
        }
        REDUCED => {
            let p = h.width;
            if p == 0 || p % GROUP != 0 || p > dim {
                let msg = format!("projection width {p} for dimension {dim}");
                return Err(Error::format(path, Location::Offset(56), msg));
            }
            let basis = s.f32s(p * dim, "projection")?;
            let basis = ndarray::Array2::from_shape_vec((p, dim), basis)
                .map_err(|e| Error::format(path, Location::Offset(HEADER as u64), e.to_string()))?;
            let codes = s.codes(tiles * p / GROUP * GROUP_BYTES)?;
            let terms = [
                s.f32s(tiles * TILE, "scales")?,
                s.f32s(tiles * TILE, "errors")?,
                s.f32s(tiles * TILE, "residuals")?,
            ];
            let maxima = [h.consts[0], h.consts[1], h.consts[2]];
            let r = Reduced::from_parts(rows, Basis::new(basis), codes, terms, maxima);
            space.set_reduced(Some(r));
            Ok(Kept::Read(path.to_path_buf()))
        }
        k => Err(Error::format(
            path,
            Location::Offset(12),
            format!("unknown kind {k}"),
        )),
    }
}

#[cfg(test)]
mod tests;
