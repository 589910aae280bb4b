//! The exact search's copy, kept between runs. Building the pre-filter copy of a big space
//! ([`super::prepare_exact`]) takes a second or more (0.8–1.8 s for 2M × 300 on 2 cores);
//! mapping it back takes milliseconds. After building it, the explorer keeps it in the user's
//! cache folder (`$XDG_CACHE_HOME/embx`, else `~/.cache/embx`), named by a hash of the vector
//! file's absolute path, with the file's [`Identity`]; the next opening maps it instead of
//! building it. A copy made from other vectors (the file changed since) is not used, and the next
//! keeping replaces it.
//!
//! ```text
//! 0   magic "EMBXCPY1"               8 bytes
//! 8   version u32 (1), kind u32 (1 = int8 rows, 2 = reduced)
//! 16  identity: file length u64, modification time (ns) u64, fingerprint u64
//! 40  rows u64, dim u64, width u64 (the reduced copy's p; 0 for int8 rows)
//! 64  four f32: int8 rows: M, then 1 when the reduced copy was found not to suit;
//!     reduced: the maxima of ‖y‖, ‖Px‖ and ‖x‖, then 0
//! 80  sections, each its byte length (u64), zeros up to the next multiple of 64 bytes, then
//!     its bytes, little-endian:
//!     int8 rows: codes, scales, errors
//!     reduced: projection (p × dim f32), codes, scales, errors `e`, residuals `r`
//! ```
//! The file is read through a memory map: the sections are aligned so that the codes and the
//! per-row terms are used where they lie in the map, and the copy is ready as soon as the
//! map is made. (Version 1 had no alignment; such a file is stale and is made again.) The
//! per-tile maxima and the projection are computed or copied when read.
use super::reduced;
use crate::error::{Error, Location, Result};
use crate::index::{cache_file, u32_at, u64_at, Identity};
use crate::io::{atomic_write, write_le};
use crate::space::quant::{Quantized, GROUP, GROUP_BYTES, TILE};
use crate::space::reduced::{Basis, Reduced};
use crate::space::store::{Plain, Store};
use crate::space::ByteSource;
use crate::space::Space;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

const MAGIC: &[u8; 8] = b"EMBXCPY1";
const VERSION: u32 = 2;
/// Sections start at multiples of this many bytes.
const ALIGN: usize = 64;
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
            let basis = basis.as_slice().unwrap_or_default();
            let mut at = section(w, HEADER, basis, f32::to_le_bytes).map_err(io)?;
            at = section(w, at, &r.codes, i8::to_le_bytes).map_err(io)?;
            for v in [&r.scale, &r.err, &r.res] {
                at = section(w, at, v, f32::to_le_bytes).map_err(io)?;
            }
            Ok(())
        })?;
    } else if let Some(q) = space.quantized_if_built() {
        let unsuited = if space.reduced_tried() { 1.0 } else { 0.0 };
        atomic_write(path, |w| {
            w.write_all(&head(INT8, 0, [q.max_norm, unsuited, 0.0, 0.0]))
                .map_err(io)?;
            let at = section(w, HEADER, &q.codes, i8::to_le_bytes).map_err(io)?;
            let at = section(w, at, &q.scale, f32::to_le_bytes).map_err(io)?;
            section(w, at, &q.err, f32::to_le_bytes).map_err(io)?;
            Ok(())
        })?;
    } else {
        return Ok(false);
    }
    Ok(true)
}

/// Writes one section at byte `at` of the file: its byte length, zeros up to the next
/// multiple of [`ALIGN`], then its items little-endian. Returns where the next one starts.
fn section<T: Copy, const N: usize>(
    w: &mut impl Write,
    at: usize,
    items: &[T],
    to_le: fn(T) -> [u8; N],
) -> std::io::Result<usize> {
    w.write_all(&((items.len() * N) as u64).to_le_bytes())?;
    let start = (at + 8).next_multiple_of(ALIGN);
    w.write_all(&[0; ALIGN][..start - at - 8])?;
    write_le(w, items, to_le)?;
    Ok(start + items.len() * N)
}

/// The header's fields.
struct Header {
    version: u32,
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
    let size =
        |at: usize| usize::try_from(u64_at(at)).map_err(|_| bad(at as u64, "too big".into()));
    Ok(Header {
        version: u32_at(8),
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

/// Takes sections in order from the mapped file, checking each one's length against the
/// space's shape.
struct Sections<'a> {
    path: &'a Path,
    map: Arc<dyn ByteSource>,
    at: usize,
}

impl Sections<'_> {
    fn error(&self, at: usize, msg: String) -> Error {
        Error::format(self.path, Location::Offset(at as u64), msg)
    }

    /// The next section, which must hold `want` values of `T`.
    fn next<T: Plain>(&mut self, want: usize, what: &str) -> Result<Store<T>> {
        let bytes = want * std::mem::size_of::<T>();
        let len = self
            .map
            .bytes()
            .get(self.at..self.at + 8)
            .map(|b| u64_at(b, 0))
            .ok_or_else(|| self.error(self.at, format!("{what}: the file is truncated")))?;
        if len != bytes as u64 {
            let msg = format!("{what}: {len} bytes, expected {bytes}");
            return Err(self.error(self.at, msg));
        }
        let start = (self.at + 8).next_multiple_of(ALIGN);
        let store = Store::from_le(&self.map, start, want)
            .ok_or_else(|| self.error(start, format!("{what}: the file is truncated")))?;
        self.at = start + bytes;
        Ok(store)
    }
}

/// Reads the copy kept in `path` for `space` (whose file has `identity`).
pub(crate) fn read_from(space: &Space, path: &Path, identity: Identity) -> Result<Kept> {
    let file = match std::fs::File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Kept::Missing),
        Err(e) => return Err(Error::io(path, e)),
    };
    // SAFETY: the map is read-only; the file is written only by atomic renames, so the
    // mapped inode does not change under us.
    let map = unsafe { memmap2::Mmap::map(&file) }.map_err(|e| Error::io(path, e))?;
    let Some(head) = map.get(..HEADER) else {
        let msg = "the header is cut short".to_string();
        return Err(Error::format(path, Location::Offset(0), msg));
    };
    let h = parse_header(path, head)?;
    let mut s = Sections {
        path,
        map: Arc::new(map),
        at: HEADER,
    };
    let (rows, dim) = (space.len(), space.dim());
    if h.version != VERSION {
        let why = format!("made by another embx (version {} of the file)", h.version);
        return Ok(Kept::Stale(why));
    }
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
            let codes = s.next(tiles * dim.div_ceil(GROUP) * GROUP_BYTES, "codes")?;
            let scale = s.next(tiles * TILE, "scales")?;
            let err = s.next(tiles * TILE, "errors")?;
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
            let basis = s.next::<f32>(p * dim, "projection")?.to_vec();
            let basis = ndarray::Array2::from_shape_vec((p, dim), basis)
                .map_err(|e| Error::format(path, Location::Offset(HEADER as u64), e.to_string()))?;
            let codes = s.next(tiles * p / GROUP * GROUP_BYTES, "codes")?;
            let terms = [
                s.next(tiles * TILE, "scales")?,
                s.next(tiles * TILE, "errors")?,
                s.next(tiles * TILE, "residuals")?,
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
