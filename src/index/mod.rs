//! An approximate neighbour index (HNSW, Malkov & Yashunin 2018) for spaces of millions of
//! words: built once in parallel (`embx index FILE`), kept in a file beside the vectors (or in
//! the cache folder when that one is read-only), memory-mapped when opened, and checked
//! against the vectors' identity so that a stale index is never used.
//!
//! Attached to a space ([`attach`]), it makes [`crate::query::top_k`] (and so `similar`,
//! `analogy`, `query` and the explorer) score only the index's candidates, exactly.
mod build;
mod file;
mod measure;
mod search;

pub use build::Params;
pub use measure::{measure, Measured};

use crate::error::{Error, Location, Result};
use crate::jobs::Progress;
use crate::space::{NeighbourIndex, Space};
pub(crate) use file::{u32_at, u64_at};
use file::{Header, HEADER};
use search::Links;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Beam width of a search when none is given: enough for recall@10 ≥ 0.99 on the 2M × 300
/// benchmark file.
pub const DEFAULT_EF: usize = 128;

/// Beam width while building when none is given. On the synthetic 2M × 300 file, 64 built
/// in 6 min 35 s against 10 min 20 s for 100, both with recall@10 1.000 at search widths 64
/// and 128; on GloVe 400k × 50, 31 s against 43 s, recall 1.000 both (faiss's default is 40,
/// hnswlib's examples use 200).
pub const DEFAULT_EF_CONSTRUCTION: usize = 64;

/// What ties an index to the vectors it was built from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Identity {
    /// Length of the vector file in bytes.
    pub file_len: u64,
    /// Its modification time in nanoseconds since the epoch.
    pub mtime_ns: u64,
    /// A hash of the shape, of 256 sampled rows and of their words.
    pub fingerprint: u64,
}

/// FNV-1a over `bytes`, continuing from `h`.
fn fnv(mut h: u64, bytes: &[u8]) -> u64 {
    for &b in bytes {
        h = (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01B3);
    }
    h
}

impl Identity {
    /// The identity of `space` as read from its file.
    pub fn of(space: &Space) -> Result<Identity> {
        let path = &space.source().path;
        let meta = std::fs::metadata(path).map_err(|e| Error::io(path, e))?;
        let mtime_ns = meta
            .modified()
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map_or(0, |d| d.as_nanos() as u64);
        let mut h = fnv(0xCBF2_9CE4_8422_2325, &(space.len() as u64).to_le_bytes());
        h = fnv(h, &(space.dim() as u64).to_le_bytes());
        let n = space.len();
        for i in 0..256.min(n) {
            let row = i * n / 256.min(n);
            h = fnv(h, space.word(row).as_bytes());
            for x in space.unit(row) {
                h = fnv(h, &x.to_bits().to_le_bytes());
            }
        }
        Ok(Identity {
            file_len: meta.len(),
            mtime_ns,
            fingerprint: h,
        })
    }
}

/// Where the index of the vector file `path` lives: beside it (`FILE.embx-hnsw`), or, when
/// that folder cannot be written, in the user's cache folder under a name derived from the
/// file's absolute path.
pub fn paths_for(path: &Path) -> Vec<PathBuf> {
    let mut beside = path.as_os_str().to_owned();
    beside.push(".embx-hnsw");
    let mut out = vec![PathBuf::from(beside)];
    out.extend(cache_file(path, "embx-hnsw"));
    out
}

/// A file of the user's cache folder (`$XDG_CACHE_HOME/embx`, else `~/.cache/embx`) that
/// belongs to the vector file `path`: named by a hash of its absolute path, with the
/// extension `ext`. `None` when there is no cache folder.
pub fn cache_file(path: &Path, ext: &str) -> Option<PathBuf> {
    let cache = std::env::var_os("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))?;
    let abs = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    let key = fnv(0xCBF2_9CE4_8422_2325, abs.as_os_str().as_encoded_bytes());
    Some(cache.join("embx").join(format!("{key:016x}.{ext}")))
}

/// An index opened from its file (memory-mapped).
pub struct Hnsw {
    path: PathBuf,
    map: memmap2::Mmap,
    header: Header,
    /// Upper-layer rows: row → byte offset of its links.
    upper: hashbrown::HashMap<u32, usize>,
    ef: usize,
}

impl std::fmt::Debug for Hnsw {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "Hnsw({}, {} rows)",
            self.path.display(),
            self.header.rows
        )
    }
}

/// The state of a vector file's index.
#[derive(Debug)]
pub enum Status {
    /// No index file.
    Missing,
    /// An index file built from other vectors (the file changed since); the reason.
    Stale(PathBuf, String),
    /// A usable index.
    Ready(Arc<Hnsw>),
}

impl Hnsw {
    /// Opens the index file `path` for `space`; `Ok(None)` with a reason when it was built
    /// from other vectors.
    pub fn open(path: &Path, space: &Space, identity: Identity) -> Result<Result<Hnsw, String>> {
        let f = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
        // SAFETY: the map is read-only; the file is written only by atomic renames, so the
        // mapped inode does not change under us.
        let map = unsafe { memmap2::Mmap::map(&f) }.map_err(|e| Error::io(path, e))?;
        let header = file::header(path, &map)?;
        if header.identity != identity {
            return Ok(Err(
                "the vector file changed since the index was built".into()
            ));
        }
        if header.rows != space.len() || header.dim != space.dim() {
            return Ok(Err(format!(
                "built for {} × {}, the space is {} × {}",
                header.rows,
                header.dim,
                space.len(),
                space.dim()
            )));
        }
        let upper = read_upper(path, &map, &header)?;
        Ok(Ok(Hnsw {
            path: path.to_path_buf(),
            map,
            header,
            upper,
            ef: DEFAULT_EF,
        }))
    }

    /// Sets the beam width of searches (at least k is always used).
    pub fn with_ef(mut self, ef: usize) -> Self {
        self.ef = ef.max(1);
        self
    }

    /// The file the index was read from.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The `want` best rows found for the unit vector `query`, best first.
    pub fn search(&self, space: &Space, query: &[f32], want: usize) -> Vec<u32> {
        let ef = self.ef.max(want);
        let found = search::search(self, space, query, self.header.entry, self.header.top, ef);
        found.into_iter().take(want).map(|s| s.row).collect()
    }
}

fn read_upper(path: &Path, b: &[u8], h: &Header) -> Result<hashbrown::HashMap<u32, usize>> {
    let mut at = HEADER + h.rows * h.m0 * 4;
    let mut upper = hashbrown::HashMap::with_capacity(h.upper);
    for _ in 0..h.upper {
        let bad = |msg: &str| Error::format(path, Location::Offset(at as u64), msg.to_string());
        if at + 8 > b.len() {
            return Err(bad("truncated upper layers"));
        }
        let (row, level) = (u32_at(b, at), u32_at(b, at + 4) as usize);
        let end = level
            .checked_mul(h.m * 4)
            .and_then(|n| n.checked_add(at + 8))
            .filter(|&e| e <= b.len() && level >= 1 && level <= h.top && (row as usize) < h.rows);
        let Some(end) = end else {
            return Err(bad("invalid upper-layer row"));
        };
        upper.insert(row, at + 8);
        at = end;
    }
    Ok(upper)
}

impl Links for Hnsw {
    fn neighbours(&self, row: u32, layer: usize, out: &mut Vec<u32>) {
        let (start, len) = if layer == 0 {
            (HEADER + row as usize * self.header.m0 * 4, self.header.m0)
        } else {
            match self.upper.get(&row) {
                Some(&at) => (at + (layer - 1) * self.header.m * 4, self.header.m),
                None => return,
            }
        };
        let rows = self.header.rows as u32;
        let Some(bytes) = self.map.get(start..start + len * 4) else {
            return;
        };
        for i in 0..len {
            let n = u32_at(bytes, i * 4);
            if n >= rows {
                break;
            }
            out.push(n);
        }
    }
}

impl NeighbourIndex for Hnsw {
    fn candidates(&self, space: &Space, query: &[f32], want: usize) -> Vec<u32> {
        self.search(space, query, want)
    }

    fn describe(&self) -> String {
        format!(
            "HNSW index {} (M {}, ef {})",
            self.path.display(),
            self.header.m,
            self.ef
        )
    }
}

/// Looks for the index of `space`'s file.
pub fn status(space: &Space) -> Result<Status> {
    let identity = Identity::of(space)?;
    let mut stale = None;
    for p in paths_for(&space.source().path) {
        if !p.exists() {
            continue;
        }
        match Hnsw::open(&p, space, identity)? {
            Ok(h) => return Ok(Status::Ready(Arc::new(h))),
            Err(why) => stale = Some(Status::Stale(p, why)),
        }
    }
    Ok(stale.unwrap_or(Status::Missing))
}

/// Attaches the index of `space`'s file when there is a usable one; returns its status.
pub fn attach(space: &Space) -> Result<Status> {
    let st = status(space)?;
    if let Status::Ready(h) = &st {
        space.attach_index(h.clone());
    }
    Ok(st)
}

/// Builds the index of `space` and writes it beside its file (or to the cache folder when
/// that fails). Returns where it was written.
pub fn build_and_save(
    space: &Space,
    params: &Params,
    progress: Option<&Progress>,
) -> Result<PathBuf> {
    let identity = Identity::of(space)?;
    let graph = build::build(space, params, progress)?;
    let mut last = None;
    for p in paths_for(&space.source().path) {
        if let Some(dir) = p.parent() {
            let _ = std::fs::create_dir_all(dir);
        }
        match file::write(&p, &graph, space.dim(), identity) {
            Ok(()) => return Ok(p),
            Err(e) => last = Some(e),
        }
    }
    Err(last.unwrap_or_else(|| Error::Invalid("no place to write the index".into())))
}

#[cfg(test)]
mod tests;
