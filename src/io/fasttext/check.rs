//! The hand check of a fastText model's header, vocabulary and matrix sizes (today's files
//! and those of fastText before 0.2), so that bad files give an error with a byte offset.
use super::{MAGIC, VERSION};
use crate::error::{Location, Result};
use crate::io::Input;
use crate::space::Vocab;

/// A little-endian cursor whose reads fail with the offset.
struct Cur<'a> {
    input: &'a Input,
    b: &'a [u8],
    pos: usize,
}

impl<'a> Cur<'a> {
    fn error(&self, at: usize, msg: impl Into<String>) -> crate::Error {
        self.input.error(Location::Offset(at as u64), msg)
    }
    fn take(&mut self, n: usize, what: &str) -> Result<&'a [u8]> {
        let rest = self.b.len() - self.pos;
        if n > rest {
            return Err(self.error(
                self.pos,
                format!("truncated: {what} needs {n} bytes but only {rest} remain"),
            ));
        }
        let s = &self.b[self.pos..self.pos + n];
        self.pos += n;
        Ok(s)
    }
    fn u32(&mut self, what: &str) -> Result<u32> {
        let s = self.take(4, what)?;
        Ok(u32::from_le_bytes([s[0], s[1], s[2], s[3]]))
    }
    fn u64(&mut self, what: &str) -> Result<u64> {
        let s = self.take(8, what)?;
        let mut a = [0u8; 8];
        a.copy_from_slice(s);
        Ok(u64::from_le_bytes(a))
    }
}

/// What the hand check learned.
pub(super) struct Header {
    /// A file of fastText before 0.2: no magic, no version, no pruned-vocabulary size and no
    /// quantization flag.
    pub old: bool,
    pub dims: usize,
    pub words: usize,
    pub min_n: u32,
    pub max_n: u32,
    pub buckets: u32,
    pub invalid_utf8: Option<usize>,
    /// Offset of the first word.
    pub words_at: usize,
    /// Offset of the matrix's `rows cols` header.
    pub matrix_at: usize,
    /// Offset of the input matrix values.
    pub matrix: usize,
}

/// The model settings that matter here.
struct Args {
    dims: u32,
    buckets: u32,
    min_n: u32,
    max_n: u32,
}

/// Whether `bytes` start like a fastText model from before 0.2 (no magic number): twelve
/// small integer settings with a loss and a model type of 1 to 3, then a sampling threshold
/// between 0 and 1. Text never looks like this (it would need zero bytes).
pub(crate) fn looks_old(bytes: &[u8]) -> bool {
    let Some(head) = bytes.get(..56) else {
        return false;
    };
    let int = |i: usize| {
        i32::from_le_bytes([
            head[4 * i],
            head[4 * i + 1],
            head[4 * i + 2],
            head[4 * i + 3],
        ])
    };
    let mut t = [0u8; 8];
    t.copy_from_slice(&head[48..56]);
    let t = f64::from_le_bytes(t);
    (1..=100_000).contains(&int(0))
        && (1..=10_000).contains(&int(1))
        && (1..=1_000_000).contains(&int(2))
        && (0..=1_000_000_000).contains(&int(3))
        && (0..=10_000).contains(&int(4))
        && (1..=100).contains(&int(5))
        && (1..=3).contains(&int(6))
        && (1..=3).contains(&int(7))
        && int(8) >= 0
        && (0..=100).contains(&int(9))
        && (0..=100).contains(&int(10))
        && int(11) >= 0
        && t > 0.0
        && t <= 1.0
}

pub(super) fn check(input: &Input) -> Result<Header> {
    let mut c = Cur {
        input,
        b: input.bytes(),
        pos: 0,
    };
    let old = looks_old(c.b);
    if !old {
        check_magic(&mut c)?;
    }
    let args = check_args(&mut c)?;
    let (words, words_at, invalid_utf8) = check_vocab(&mut c, old)?;
    if !old {
        let q_at = c.pos;
        if c.take(1, "the quantization flag")?[0] != 0 {
            return Err(c.error(q_at, "quantized fastText models (.ftz) are not supported"));
        }
    }
    let matrix_at = c.pos;
    let input_bytes = check_matrix(&mut c, &args, words)?;
    let matrix = c.pos;
    check_output(&mut c, &args, old, input_bytes)?;
    Ok(Header {
        old,
        dims: args.dims as usize,
        words,
        min_n: args.min_n,
        max_n: args.max_n,
        buckets: args.buckets,
        invalid_utf8,
        words_at,
        matrix_at,
        matrix,
    })
}

fn check_magic(c: &mut Cur) -> Result<()> {
    let magic = c.u32("the magic number")?;
    if magic != MAGIC {
        return Err(c.error(
            0,
            format!(
                "not a fastText model: expected magic {MAGIC}, found {magic} (nor the \
                 settings a model of fastText before 0.2 starts with)"
            ),
        ));
    }
    let version = c.u32("the version")?;
    if version > VERSION {
        return Err(c.error(
            4,
            format!("unsupported fastText version {version} (embx reads up to {VERSION})"),
        ));
    }
    Ok(())
}

fn check_args(c: &mut Cur) -> Result<Args> {
    let mut args = [0u32; 12];
    let names = [
        "dimensions",
        "window size",
        "epochs",
        "minimum count",
        "negatives",
        "word n-grams",
        "loss",
        "model",
        "buckets",
        "minimum n-gram length",
        "maximum n-gram length",
        "learning rate update rate",
    ];
    let args_at = c.pos;
    for (a, name) in args.iter_mut().zip(names) {
        *a = c.u32(name)?;
    }
    c.take(8, "the sampling threshold")?;
    let [dims, _, _, _, _, _, loss, model, buckets, min_n, max_n, _] = args;
    if !(1..=3).contains(&loss) {
        return Err(c.error(args_at + 24, format!("unsupported loss {loss}")));
    }
    if model == 3 {
        return Err(c.error(
            args_at + 28,
            "fastText supervised (classification) models are not supported yet, only skipgram and cbow models",
        ));
    }
    if !(1..=2).contains(&model) {
        return Err(c.error(args_at + 28, format!("unknown model type {model}")));
    }
    if dims == 0 {
        return Err(c.error(args_at, "the model has 0 dimensions"));
    }
    if max_n > 0 && (min_n == 0 || min_n > max_n || buckets == 0) {
        return Err(c.error(
            args_at + 32,
            format!("invalid subword settings: n-grams {min_n}–{max_n}, {buckets} buckets"),
        ));
    }
    if buckets > i32::MAX as u32 {
        return Err(c.error(args_at + 32, format!("{buckets} buckets is too many")));
    }
    Ok(Args {
        dims,
        buckets,
        min_n,
        max_n,
    })
}

/// Checks the vocabulary; returns its size, the offset of its first word and the offset of
/// the first word that is not UTF-8.
fn check_vocab(c: &mut Cur, old: bool) -> Result<(usize, usize, Option<usize>)> {
    let vocab_at = c.pos;
    let size = c.u32("the vocabulary size")? as usize;
    c.u32("the number of words")?;
    let labels = c.u32("the number of labels")?;
    if labels > 0 {
        return Err(c.error(
            vocab_at + 8,
            "supervised models with labels are not supported",
        ));
    }
    c.u64("the number of tokens")?;
    if !old {
        let prune_at = c.pos;
        let prune = c.u64("the pruned vocabulary size")? as i64;
        if prune >= 0 {
            return Err(c.error(
                prune_at,
                "pruned (quantized) vocabularies are not supported",
            ));
        }
    }
    // Every entry needs at least 10 bytes: a terminator, a count and a type.
    let rest = c.b.len() - c.pos;
    if !fits(size.checked_mul(10).map(|v| v as u64), rest) {
        return Err(c.error(
            vocab_at,
            format!("the vocabulary claims {size} words but only {rest} bytes remain"),
        ));
    }
    let words_at = c.pos;
    let invalid_utf8 = check_words(c, size)?;
    Ok((size, words_at, invalid_utf8))
}

fn check_words(c: &mut Cur, size: usize) -> Result<Option<usize>> {
    let rest = c.b.len() - c.pos;
    let mut vocab = Vocab::with_capacity(size, rest.min(size * 16));
    let mut invalid_utf8 = None;
    for _ in 0..size {
        let at = c.pos;
        let Some(len) = memchr::memchr(0, &c.b[c.pos..]) else {
            return Err(c.error(at, "truncated: a word has no terminating zero byte"));
        };
        let raw = c.take(len + 1, "a word")?;
        let word = String::from_utf8_lossy(&raw[..len]);
        if matches!(word, std::borrow::Cow::Owned(_)) && invalid_utf8.is_none() {
            invalid_utf8 = Some(at);
        }
        if vocab.push(&word).is_err() {
            return Err(c.error(
                at,
                format!("duplicate word {word:?}; finalfusion cannot read this model"),
            ));
        }
        c.u64("a word count")?;
        let ty_at = c.pos;
        let ty = c.take(1, "an entry type")?[0];
        if ty != 0 {
            return Err(c.error(ty_at, "the vocabulary holds labels, not only words"));
        }
    }
    Ok(invalid_utf8)
}

/// Checks the input matrix's shape and that its values are there; gives their length in bytes.
fn check_matrix(c: &mut Cur, args: &Args, size: usize) -> Result<usize> {
    let m_at = c.pos;
    let rows = c.u64("the number of matrix rows")?;
    let cols = c.u64("the number of matrix columns")?;
    let (dims, buckets) = (args.dims, args.buckets);
    let want_rows = size as u64 + u64::from(buckets);
    if rows != want_rows || cols != u64::from(dims) {
        return Err(c.error(
            m_at,
            format!(
                "the matrix is {rows} × {cols} but the model needs {want_rows} × {dims} \
                 ({size} words + {buckets} buckets)"
            ),
        ));
    }
    let rest = c.b.len() - c.pos;
    if !fits(cols.checked_mul(4).and_then(|c| rows.checked_mul(c)), rest) {
        return Err(c.error(
            m_at,
            format!("the matrix claims {rows} × {cols} values but only {rest} bytes remain"),
        ));
    }
    Ok((rows * cols * 4) as usize)
}

/// The output matrix after the input one (`input_bytes` long, checked), when the file
/// has one: fastText writes it, finalfusion's writer stops before it. What is there must be
/// whole, so that a file cut inside it is an error rather than read as complete.
fn check_output(c: &mut Cur, args: &Args, old: bool, input_bytes: usize) -> Result<()> {
    c.pos += input_bytes;
    if c.pos == c.b.len() {
        return Ok(());
    }
    if !old && c.take(1, "the output matrix's quantization flag")?[0] != 0 {
        // A quantized output (.ftz) has its own layout; the input was checked already.
        return Ok(());
    }
    let at = c.pos;
    let rows = c.u64("the number of output matrix rows")?;
    let cols = c.u64("the number of output matrix columns")?;
    let rest = c.b.len() - c.pos;
    if cols != u64::from(args.dims) {
        let m = format!(
            "the output matrix is {rows} × {cols}, not of {} columns",
            args.dims
        );
        return Err(c.error(at, m));
    }
    if !fits(cols.checked_mul(4).and_then(|c| rows.checked_mul(c)), rest) {
        let m = format!(
            "the output matrix claims {rows} × {cols} values but only {rest} bytes remain: \
             the file is cut short"
        );
        return Err(c.error(at, m));
    }
    Ok(())
}

/// The bytes of an old model in today's layout (magic, version 12, no pruned vocabulary,
/// not quantized), for finalfusion's reader. Copies the file.
pub(super) fn modern_bytes(bytes: &[u8], h: &Header) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len() + 17);
    out.extend_from_slice(&MAGIC.to_le_bytes());
    out.extend_from_slice(&VERSION.to_le_bytes());
    out.extend_from_slice(&bytes[..h.words_at]);
    out.extend_from_slice(&(-1i64).to_le_bytes());
    out.extend_from_slice(&bytes[h.words_at..h.matrix_at]);
    out.push(0);
    out.extend_from_slice(&bytes[h.matrix_at..]);
    out
}

/// True when `n` is known and at most `limit`.
fn fits(n: Option<u64>, limit: usize) -> bool {
    matches!(n, Some(n) if n <= limit as u64)
}
