//! The index file: a fixed header, layer 0 as one flat `rows × m0` array of little-endian
//! u32 (memory-mapped, read in place), then the few rows of the upper layers.
//!
//! ```text
//! 0   magic "EMBXHNS1"           8 bytes
//! 8   version u32 (1), m u32, m0 u32, dim u32
//! 24  rows u64
//! 32  entry u32, top u32
//! 40  identity: file length u64, modification time (ns) u64, fingerprint u64
//! 64  upper rows u64, ef_construction u32, reserved u32
//! 80  layer 0: rows × m0 u32 (u32::MAX = no link)
//! …   per upper row: row u32, level u32, level × m u32
//! ```
use super::build::Graph;
use super::Identity;
use crate::error::{Error, Location, Result};
use crate::io::{atomic_write, write_le};
use std::io::Write;
use std::path::Path;

pub(crate) const MAGIC: &[u8; 8] = b"EMBXHNS1";
const VERSION: u32 = 1;
pub(crate) const HEADER: usize = 80;

/// The header fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Header {
    pub(crate) m: usize,
    pub(crate) m0: usize,
    pub(crate) dim: usize,
    pub(crate) rows: usize,
    pub(crate) entry: u32,
    pub(crate) top: usize,
    pub(crate) identity: Identity,
    pub(crate) upper: usize,
    pub(crate) ef_construction: usize,
}

/// Writes `graph` for a space of `dim` dimensions with `identity` to `path`, atomically.
pub(crate) fn write(path: &Path, graph: &Graph, dim: usize, identity: Identity) -> Result<()> {
    atomic_write(path, |w| {
        let io = |e| Error::io(path, e);
        let rows = graph.layer0.len() / graph.m0;
        let mut h = Vec::with_capacity(HEADER);
        h.extend_from_slice(MAGIC);
        for v in [VERSION, graph.m as u32, graph.m0 as u32, dim as u32] {
            h.extend_from_slice(&v.to_le_bytes());
        }
        h.extend_from_slice(&(rows as u64).to_le_bytes());
        h.extend_from_slice(&graph.entry.to_le_bytes());
        h.extend_from_slice(&(graph.top as u32).to_le_bytes());
        for v in [identity.file_len, identity.mtime_ns, identity.fingerprint] {
            h.extend_from_slice(&v.to_le_bytes());
        }
        h.extend_from_slice(&(graph.upper.len() as u64).to_le_bytes());
        h.extend_from_slice(&(graph.ef_construction as u32).to_le_bytes());
        h.extend_from_slice(&0u32.to_le_bytes());
        w.write_all(&h).map_err(io)?;
        write_le(w, &graph.layer0, u32::to_le_bytes).map_err(io)?;
        for (row, links) in &graph.upper {
            let level = (links.len() / graph.m) as u32;
            write_le(w, &[*row, level], u32::to_le_bytes).map_err(io)?;
            write_le(w, links, u32::to_le_bytes).map_err(io)?;
        }
        Ok(())
    })
}

/// A little-endian u32 at byte `at` (the caller checked the length).
#[inline]
pub(crate) fn u32_at(b: &[u8], at: usize) -> u32 {
    u32::from_le_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]])
}

pub(crate) fn u64_at(b: &[u8], at: usize) -> u64 {
    u64::from(u32_at(b, at)) | (u64::from(u32_at(b, at + 4)) << 32)
}

/// Reads and checks the header of `bytes` (the file `path`).
pub(crate) fn header(path: &Path, bytes: &[u8]) -> Result<Header> {
    let bad = |at: usize, msg: String| Error::format(path, Location::Offset(at as u64), msg);
    if bytes.len() < HEADER || &bytes[..8] != MAGIC {
        return Err(bad(0, "not an embx index file (bad magic)".into()));
    }
    let version = u32_at(bytes, 8);
    if version != VERSION {
        return Err(bad(
            8,
            format!("index version {version}, expected {VERSION}"),
        ));
    }
    let h = Header {
        m: u32_at(bytes, 12) as usize,
        m0: u32_at(bytes, 16) as usize,
        dim: u32_at(bytes, 20) as usize,
        rows: usize::try_from(u64_at(bytes, 24)).map_err(|_| bad(24, "too many rows".into()))?,
        entry: u32_at(bytes, 32),
        top: u32_at(bytes, 36) as usize,
        identity: Identity {
            file_len: u64_at(bytes, 40),
            mtime_ns: u64_at(bytes, 48),
            fingerprint: u64_at(bytes, 56),
        },
        upper: usize::try_from(u64_at(bytes, 64)).map_err(|_| bad(64, "too many rows".into()))?,
        ef_construction: u32_at(bytes, 72) as usize,
    };
    if h.m < 2 || h.m0 < h.m || h.m0 > 4096 || h.top > 64 {
        return Err(bad(
            12,
            format!("invalid links per row: M {} / {}", h.m, h.m0),
        ));
    }
    if h.rows == 0 || h.entry as usize >= h.rows || h.rows > u32::MAX as usize {
        return Err(bad(24, format!("entry row {} of {} rows", h.entry, h.rows)));
    }
    let layer0 = h
        .rows
        .checked_mul(h.m0 * 4)
        .and_then(|n| n.checked_add(HEADER));
    match layer0 {
        Some(end) if end <= bytes.len() => Ok(h),
        _ => Err(bad(
            HEADER,
            format!("truncated: {} rows × {} links do not fit", h.rows, h.m0),
        )),
    }
}
