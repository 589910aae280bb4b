//! Reading corpus files line by line into a [`Counter`]: plain or gzip-compressed text,
//! Chinese cut into words on the way in, and several threads counting batches of lines.
use super::count::{self, count_batch, Counter};
use super::{Corpus, CorpusStats, ReadOptions, GZIP_MAGIC};
use crate::error::{Error, Location, Result};
use crate::jobs::Progress;
use crate::train::segment::{segment_batch, Segmenter};
use std::cell::Cell;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::rc::Rc;

/// Bytes of lines collected per thread before they are segmented or counted together.
const BATCH_PER_THREAD: usize = 1 << 20;

/// Builds a corpus from lines.
pub(super) struct Builder<'s> {
    counter: Counter<'static>,
    pub(super) stats: CorpusStats,
    /// With segmentation: the segmenter and its threads.
    segment: Option<(&'s Segmenter, usize)>,
    /// Threads counting batches of lines (without segmentation).
    threads: usize,
    /// The lines waiting to be segmented or counted.
    batch: Vec<u8>,
    batch_bytes: usize,
}

impl<'s> Builder<'s> {
    pub(super) fn new(opts: ReadOptions, segment: Option<(&'s Segmenter, usize)>) -> Self {
        Builder {
            counter: Counter::new(opts.lowercase),
            stats: CorpusStats::default(),
            segment,
            threads: opts.threads.max(1),
            batch: Vec::new(),
            batch_bytes: BATCH_PER_THREAD,
        }
    }

    /// Collects `bytes` of lines per thread before counting them (tests use small batches).
    #[cfg(test)]
    pub(super) fn with_batch_bytes(mut self, bytes: usize) -> Self {
        self.batch_bytes = bytes.max(1);
        self
    }

    /// Takes one line (with or without its `\n`) into the batch.
    pub(super) fn take_line(&mut self, bytes: &[u8]) {
        self.batch.extend_from_slice(bytes);
        if !bytes.ends_with(b"\n") {
            self.batch.push(b'\n');
        }
        if self.batch.len() >= self.batch_bytes * self.threads() {
            self.flush_batch();
        }
    }

    /// The threads a batch is cut for.
    fn threads(&self) -> usize {
        match self.segment {
            Some((_, t)) => t.max(1),
            None => self.threads,
        }
    }

    /// Segments or counts the lines collected so far (a last line without `\n` included).
    pub(super) fn flush_batch(&mut self) {
        if !self.batch.is_empty() && !self.batch.ends_with(b"\n") {
            self.batch.push(b'\n');
        }
        let batch = std::mem::take(&mut self.batch);
        self.count(&batch);
        self.batch = batch;
        self.batch.clear();
    }

    /// Segments or counts the whole lines of the batch, keeping a last partial line in it.
    fn flush_whole_lines(&mut self) {
        let Some(end) = memchr::memrchr(b'\n', &self.batch) else {
            return; // one line longer than the batch: it goes on collecting
        };
        let batch = std::mem::take(&mut self.batch);
        self.count(&batch[..=end]);
        self.batch = batch;
        self.batch.drain(..=end);
    }

    /// Segments or counts `bytes`, whole lines each ending in `\n`.
    fn count(&mut self, bytes: &[u8]) {
        if bytes.is_empty() {
            return;
        }
        match self.segment {
            Some((seg, threads)) => {
                self.counter.blank_lines +=
                    count::lines(bytes).filter(|l| count::blank(l)).count() as u64;
                for piece in segment_batch(seg, bytes, threads) {
                    self.counter.invalid_utf8 += piece.invalid_utf8;
                    for line in piece.text.lines() {
                        self.counter.line(line);
                    }
                }
            }
            None => count_batch(&mut self.counter, bytes, self.threads),
        }
    }

    /// The corpus read so far (after [`Builder::flush_batch`]).
    pub(super) fn finish(self) -> Corpus {
        let mut c = self.counter;
        let stats = CorpusStats {
            tokens: c.tokens.len() as u64,
            sentences: c.ends.len() as u64,
            distinct: c.counts.len() as u64,
            invalid_utf8: c.invalid_utf8,
            blank_lines: c.blank_lines,
            segmented: self.segment.is_some(),
            ..self.stats
        };
        Corpus {
            words: c.take_words(),
            counts: c.counts,
            tokens: c.tokens,
            ends: c.ends,
            stats,
        }
    }

    /// Whether no token has been read yet.
    pub(super) fn is_empty(&self) -> bool {
        self.counter.tokens.is_empty()
    }

    /// Reads the lines of one file (plain or gzip), counting bytes into `progress`.
    pub(super) fn read_file(&mut self, path: &Path, progress: Option<&Progress>) -> Result<()> {
        let file: Box<dyn Read> = if super::stdin::is_stdin(path) {
            Box::new(super::stdin::reader())
        } else {
            Box::new(std::fs::File::open(path).map_err(|e| Error::io(path, e))?)
        };
        let counted = Rc::new(Cell::new(0u64));
        let mut raw = BufReader::with_capacity(
            1 << 16,
            Counting {
                inner: file,
                n: counted.clone(),
            },
        );
        let base = progress.map_or(0, |p| p.snapshot().done);
        let head = raw.fill_buf().map_err(|e| Error::io(path, e))?;
        let gzip = head.starts_with(&GZIP_MAGIC);
        let mut reader: Box<dyn BufRead> = if gzip { gz_reader(raw) } else { Box::new(raw) };
        if let Ok(head) = reader.fill_buf() {
            not_text(path, head)?;
        }
        let threads = self.threads();
        loop {
            let block = reader.fill_buf().map_err(|e| {
                if gzip {
                    Error::Format {
                        path: path.to_path_buf(),
                        location: Location::Offset(counted.get()),
                        message: format!("corrupt or truncated gzip data: {e}"),
                    }
                } else {
                    Error::io(path, e)
                }
            })?;
            if block.is_empty() {
                break;
            }
            let n = block.len();
            self.batch.extend_from_slice(block);
            reader.consume(n);
            self.stats.bytes += n as u64;
            if self.batch.len() >= self.batch_bytes * threads {
                self.flush_whole_lines();
                if let Some(p) = progress {
                    p.check()?;
                    p.set_done(base + counted.get());
                }
            }
        }
        if let Some(p) = progress {
            p.set_done(base + counted.get());
        }
        Ok(())
    }
}

/// Refuses a corpus file whose first bytes (`head`, decompressed) are not text: text has no
/// NUL byte, while vector files, models and UTF-16 text are full of them. Training on such a
/// file would learn a vocabulary of binary fragments.
fn not_text(path: &Path, head: &[u8]) -> Result<()> {
    let Some(at) = head.iter().position(|&b| b == 0) else {
        return Ok(());
    };
    let utf16 = head.starts_with(&[0xff, 0xfe]) || head.starts_with(&[0xfe, 0xff]);
    let what = match utf16 {
        true => {
            "UTF-16 text, which embx does not read: convert it to UTF-8 first (iconv -f \
                 UTF-16 -t UTF-8)"
        }
        false => {
            "it is not text (a vector file or a model?): a corpus is plain or gzip-compressed \
                  UTF-8 text"
        }
    };
    Err(Error::Format {
        path: path.to_path_buf(),
        location: Location::Offset(at as u64),
        message: format!("a NUL byte: {what}"),
    })
}

/// Counts the bytes read from the file as stored.
struct Counting<R> {
    inner: R,
    n: Rc<Cell<u64>>,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.n.set(self.n.get() + n as u64);
        Ok(n)
    }
}

/// Decompresses a gzip stream (all its members, as `zcat` does).
fn gz_reader<R: BufRead + 'static>(raw: R) -> Box<dyn BufRead> {
    Box::new(BufReader::with_capacity(
        1 << 16,
        flate2::bufread::MultiGzDecoder::new(raw),
    ))
}
