//! A bounds-checked little-endian reader over the bytes of an input, and the chunk table of
//! a finalfusion file.
use crate::error::{Location, Result};
use crate::io::Input;

/// Chunk identifiers of finalfusion 0.18.
pub(crate) const SIMPLE_VOCAB: u32 = 1;
pub(crate) const NDARRAY: u32 = 2;
pub(crate) const BUCKET_SUBWORD_VOCAB: u32 = 3;
pub(crate) const QUANTIZED_ARRAY: u32 = 4;
pub(crate) const METADATA: u32 = 5;
pub(crate) const NDNORMS: u32 = 6;
pub(crate) const FASTTEXT_SUBWORD_VOCAB: u32 = 7;
pub(crate) const EXPLICIT_SUBWORD_VOCAB: u32 = 8;
pub(crate) const FLORET_SUBWORD_VOCAB: u32 = 9;

/// finalfusion's type id of f32 data.
pub(crate) const TYPE_F32: u32 = 10;
/// finalfusion's type id of u8 data.
pub(crate) const TYPE_U8: u32 = 1;

pub(crate) const MAGIC: &[u8; 4] = b"FiFu";

/// The name of a chunk id, for messages.
pub(crate) fn chunk_name(id: u32) -> &'static str {
    match id {
        SIMPLE_VOCAB => "vocabulary",
        NDARRAY => "embedding matrix",
        BUCKET_SUBWORD_VOCAB => "bucket subword vocabulary",
        QUANTIZED_ARRAY => "quantized matrix",
        METADATA => "metadata",
        NDNORMS => "norms",
        FASTTEXT_SUBWORD_VOCAB => "fastText subword vocabulary",
        EXPLICIT_SUBWORD_VOCAB => "explicit subword vocabulary",
        FLORET_SUBWORD_VOCAB => "floret subword vocabulary",
        _ => "unknown",
    }
}

/// finalfusion pads arrays so that they start at a multiple of 4 bytes; it always writes
/// 1 to 4 padding bytes (4 when already aligned).
pub(crate) fn padding(pos: u64) -> u64 {
    4 - pos % 4
}

/// A cursor over `bytes[..end]` whose reads fail cleanly with the offset when the data runs
/// out.
pub(crate) struct Reader<'a> {
    input: &'a Input,
    bytes: &'a [u8],
    pub pos: usize,
    end: usize,
}

impl<'a> Reader<'a> {
    pub fn new(input: &'a Input, pos: usize, end: usize) -> Self {
        let bytes = input.bytes();
        Reader {
            input,
            bytes,
            pos,
            end: end.min(bytes.len()),
        }
    }

    /// Bytes left before the end.
    pub fn remaining(&self) -> usize {
        self.end.saturating_sub(self.pos)
    }

    /// A format error at the current position.
    pub fn error(&self, message: impl Into<String>) -> crate::Error {
        self.input.error(Location::Offset(self.pos as u64), message)
    }

    /// The next `n` bytes; `what` names them in the error when fewer remain.
    pub fn take(&mut self, n: u64, what: &str) -> Result<&'a [u8]> {
        if n > self.remaining() as u64 {
            return Err(self.error(format!(
                "truncated: {what} needs {n} bytes but only {} remain",
                self.remaining()
            )));
        }
        let s = &self.bytes[self.pos..self.pos + n as usize];
        self.pos += n as usize;
        Ok(s)
    }

    pub fn u32(&mut self, what: &str) -> Result<u32> {
        let b = self.take(4, what)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }

    pub fn u64(&mut self, what: &str) -> Result<u64> {
        let b = self.take(8, what)?;
        let mut a = [0u8; 8];
        a.copy_from_slice(b);
        Ok(u64::from_le_bytes(a))
    }

    /// Checks that `count` items of at least `item_bytes` each can fit in what remains.
    pub fn check_count(&self, count: u64, item_bytes: u64, what: &str) -> Result<()> {
        match count.checked_mul(item_bytes) {
            Some(n) if n <= self.remaining() as u64 => Ok(()),
            _ => Err(self.error(format!(
                "{what} claims {count} entries but only {} bytes remain",
                self.remaining()
            ))),
        }
    }

    /// Skips finalfusion's alignment padding.
    pub fn skip_padding(&mut self) -> Result<()> {
        let n = padding(self.pos as u64);
        self.take(n, "padding").map(|_| ())
    }
}

/// One chunk of a finalfusion file.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Chunk {
    pub id: u32,
    /// Offset of the chunk id.
    pub start: usize,
    /// Offset of the body (after id and length).
    pub body: usize,
    /// End of the body.
    pub end: usize,
}

/// Reads the header and walks the chunks, checking every length against the file.
pub(crate) fn chunk_table(input: &Input) -> Result<(Vec<Chunk>, usize)> {
    let len = input.bytes().len();
    let mut r = Reader::new(input, 0, len);
    let magic = r.take(4, "the magic number")?;
    if magic != MAGIC {
        r.pos = 0;
        return Err(r.error(format!(
            "not a finalfusion file: expected magic \"FiFu\", found {:?}",
            String::from_utf8_lossy(magic)
        )));
    }
    let version = r.u32("the format version")?;
    if version != 0 {
        r.pos -= 4;
        return Err(r.error(format!(
            "unsupported finalfusion version {version} (embx reads version 0)"
        )));
    }
    let count = r.u32("the chunk count")?;
    if count == 0 {
        return Err(r.error("the file has no chunks"));
    }
    r.check_count(u64::from(count), 4, "the chunk list")?;
    let mut ids = Vec::with_capacity(count as usize);
    for _ in 0..count {
        let id = r.u32("a chunk id")?;
        if !(1..=9).contains(&id) {
            r.pos -= 4;
            return Err(r.error(format!("unknown chunk id {id}")));
        }
        ids.push(id);
    }
    let mut chunks = Vec::with_capacity(ids.len());
    for (i, &listed) in ids.iter().enumerate() {
        let start = r.pos;
        let id = r.u32("a chunk id")?;
        if id != listed {
            r.pos = start;
            return Err(r.error(format!(
                "chunk {} has id {id} ({}) but the header lists {listed} ({})",
                i + 1,
                chunk_name(id),
                chunk_name(listed)
            )));
        }
        let body_len = r.u64("a chunk length")?;
        if body_len > r.remaining() as u64 {
            r.pos = start;
            return Err(r.error(format!(
                "{} chunk claims {body_len} bytes but only {} remain (the file is truncated?)",
                chunk_name(id),
                len - start - 12
            )));
        }
        let body = r.pos;
        r.pos += body_len as usize;
        chunks.push(Chunk {
            id,
            start,
            body,
            end: r.pos,
        });
    }
    Ok((chunks, r.pos))
}
