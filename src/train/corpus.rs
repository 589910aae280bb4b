//! Reading a training corpus into memory as word ids, and building the vocabulary.
//!
//! A corpus is one or more UTF-8 text files (gzip-compressed files are recognised by their
//! magic bytes and decompressed on the fly). Tokens are separated by whitespace and every line
//! is a sentence. Invalid UTF-8 is decoded lossily (each bad sequence becomes U+FFFD) and
//! counted. The corpus is read once: every distinct token gets a provisional id in order of
//! first occurrence, and the text is kept as those ids (4 bytes a token).
use super::segment::{segment_batch, Segmenter};
use crate::error::{Error, Location, Result};
use crate::jobs::Progress;
use hashbrown::HashMap;
use std::cell::Cell;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::rc::Rc;

/// Statistics of a corpus as read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CorpusStats {
    /// The files read, in order (empty for in-memory text).
    pub files: Vec<PathBuf>,
    /// Tokens in the files (before the vocabulary's min-count).
    pub tokens: u64,
    /// Lines with at least one token.
    pub sentences: u64,
    /// Distinct tokens.
    pub distinct: u64,
    /// Invalid UTF-8 sequences replaced by U+FFFD.
    pub invalid_utf8: u64,
    /// Bytes of text read.
    pub bytes: u64,
}

/// A corpus read into memory: every token as the id of its distinct word (ids in order of
/// first occurrence), and the sentence boundaries.
#[derive(Debug, Clone, Default)]
pub struct Corpus {
    /// Distinct words in order of first occurrence.
    words: Vec<String>,
    /// Occurrences of each word of `words`.
    counts: Vec<u64>,
    /// All tokens as indices into `words`.
    tokens: Vec<u32>,
    /// `ends[i]` is the end of sentence `i` in `tokens`.
    ends: Vec<usize>,
    stats: CorpusStats,
}

/// How to read a corpus.
#[derive(Debug, Clone, Copy, Default)]
pub struct ReadOptions {
    /// Lowercase every token.
    pub lowercase: bool,
}

const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];

impl Corpus {
    /// Reads the files in order. `progress`, if given, counts bytes read (of the files as
    /// stored) and can cancel the read.
    pub fn read(
        paths: &[PathBuf],
        opts: ReadOptions,
        progress: Option<&Progress>,
    ) -> Result<Corpus> {
        Corpus::read_segmented(paths, opts, None, progress)
    }

    /// Reads the files as [`Corpus::read`] does, cutting Chinese text into words with
    /// `segment` = (segmenter, threads) on that many threads while reading.
    pub fn read_segmented(
        paths: &[PathBuf],
        opts: ReadOptions,
        segment: Option<(&Segmenter, usize)>,
        progress: Option<&Progress>,
    ) -> Result<Corpus> {
        let mut b = Builder::new(opts, segment);
        if let Some(p) = progress {
            let total = paths
                .iter()
                .filter_map(|p| std::fs::metadata(p).ok())
                .map(|m| m.len())
                .sum();
            p.set_total(total);
        }
        for path in paths {
            b.read_file(path, progress)?;
            b.flush_batch();
            b.corpus.stats.files.push(path.clone());
        }
        b.corpus.stats.distinct = b.corpus.words.len() as u64;
        if b.corpus.stats.tokens == 0 {
            if let Some(first) = paths.first() {
                let names: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
                return Err(Error::Format {
                    path: first.clone(),
                    location: Location::File,
                    message: if paths.len() == 1 {
                        "the corpus has no words (empty or only whitespace)".into()
                    } else {
                        format!("no words in any of the corpus files ({})", names.join(", "))
                    },
                });
            }
        }
        Ok(b.corpus)
    }

    /// A corpus from in-memory text (one sentence a line), as if read from a file.
    pub fn from_text(text: &str, opts: ReadOptions) -> Corpus {
        Corpus::from_text_segmented(text, opts, None)
    }

    /// A corpus from in-memory text, Chinese cut into words as [`Corpus::read_segmented`] does.
    pub fn from_text_segmented(
        text: &str,
        opts: ReadOptions,
        segment: Option<(&Segmenter, usize)>,
    ) -> Corpus {
        let mut b = Builder::new(opts, segment);
        for line in text.lines() {
            b.take_line(line.as_bytes());
        }
        b.flush_batch();
        b.corpus.stats.bytes = text.len() as u64;
        b.corpus.stats.distinct = b.corpus.words.len() as u64;
        b.corpus
    }

    /// Statistics of the corpus as read.
    pub fn stats(&self) -> &CorpusStats {
        &self.stats
    }

    /// Builds the vocabulary: words seen at least `min_count` times, by count descending
    /// (ties in order of first occurrence), at most `max_vocab` of them.
    pub fn vocabulary(&self, min_count: u64, max_vocab: Option<usize>) -> TrainVocab {
        let mut order: Vec<u32> = (0..self.words.len() as u32)
            .filter(|&i| self.counts[i as usize] >= min_count.max(1))
            .collect();
        // Stable: equal counts keep the order of first occurrence.
        order.sort_by(|&a, &b| self.counts[b as usize].cmp(&self.counts[a as usize]));
        if let Some(m) = max_vocab {
            order.truncate(m);
        }
        let mut map = vec![u32::MAX; self.words.len()];
        for (new, &old) in order.iter().enumerate() {
            map[old as usize] = new as u32;
        }
        TrainVocab {
            words: order
                .iter()
                .map(|&i| self.words[i as usize].clone())
                .collect(),
            counts: order.iter().map(|&i| self.counts[i as usize]).collect(),
            map,
        }
    }

    /// The sentences as vocabulary ids, words outside the vocabulary dropped; empty sentences
    /// are left out. Returns the ids and the sentence ends.
    pub fn encode(&self, vocab: &TrainVocab) -> (Vec<u32>, Vec<usize>) {
        let mut ids = Vec::with_capacity(self.tokens.len());
        let mut ends = Vec::with_capacity(self.ends.len());
        let mut start = 0;
        for &end in &self.ends {
            ids.extend(
                self.tokens[start..end]
                    .iter()
                    .map(|&t| vocab.map[t as usize])
                    .filter(|&t| t != u32::MAX),
            );
            if ends.last().copied().unwrap_or(0) != ids.len() {
                ends.push(ids.len());
            }
            start = end;
        }
        (ids, ends)
    }
}

/// The training vocabulary: words by count descending, and the map from a corpus' provisional
/// ids to rows.
#[derive(Debug, Clone)]
pub struct TrainVocab {
    /// The words, one per row, most frequent first.
    pub words: Vec<String>,
    /// Corpus count of each word, parallel to `words`.
    pub counts: Vec<u64>,
    map: Vec<u32>,
}

impl TrainVocab {
    /// Number of words.
    pub fn len(&self) -> usize {
        self.words.len()
    }

    /// Whether the vocabulary has no words.
    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }

    /// Sum of the counts of the vocabulary's words.
    pub fn total(&self) -> u64 {
        self.counts.iter().sum()
    }

    /// The vocabulary for continuing to train an existing space: the `base` words first, in
    /// their order, then this vocabulary's words that `base` lacks, in this order. Counts are
    /// added (`base_counts` or 0, plus the corpus'). Also returns, per row, the corpus count
    /// alone (0 for base words the corpus lacks) and whether the row is a base word.
    pub fn after_base<'a>(
        &self,
        base: impl ExactSizeIterator<Item = &'a str>,
        base_counts: Option<&[u64]>,
    ) -> (TrainVocab, Vec<u64>, usize) {
        let mine: HashMap<&str, usize> = self
            .words
            .iter()
            .enumerate()
            .map(|(i, w)| (w.as_str(), i))
            .collect();
        let n_base = base.len();
        let mut words = Vec::with_capacity(n_base + self.len());
        let mut counts = Vec::with_capacity(n_base + self.len());
        let mut corpus_counts = Vec::with_capacity(n_base + self.len());
        // Row of each of this vocabulary's words in the result.
        let mut row_of = vec![u32::MAX; self.len()];
        for (i, w) in base.enumerate() {
            let mine = mine.get(w).copied();
            let c = mine.map_or(0, |r| self.counts[r]);
            if let Some(r) = mine {
                row_of[r] = i as u32;
            }
            words.push(w.to_owned());
            counts.push(base_counts.and_then(|b| b.get(i)).copied().unwrap_or(0) + c);
            corpus_counts.push(c);
        }
        for (r, w) in self.words.iter().enumerate() {
            if row_of[r] == u32::MAX {
                row_of[r] = words.len() as u32;
                words.push(w.clone());
                counts.push(self.counts[r]);
                corpus_counts.push(self.counts[r]);
            }
        }
        let map = self
            .map
            .iter()
            .map(|&r| if r == u32::MAX { r } else { row_of[r as usize] })
            .collect();
        (TrainVocab { words, counts, map }, corpus_counts, n_base)
    }
}

struct Builder<'s> {
    corpus: Corpus,
    index: HashMap<String, u32>,
    lowercase: bool,
    /// With segmentation: the segmenter, its threads, and the lines waiting to be cut.
    segment: Option<(&'s Segmenter, usize)>,
    batch: Vec<u8>,
}

/// Bytes of lines a segmenting reader collects per thread before cutting them.
const BATCH_PER_THREAD: usize = 1 << 20;

impl<'s> Builder<'s> {
    fn new(opts: ReadOptions, segment: Option<(&'s Segmenter, usize)>) -> Self {
        Builder {
            corpus: Corpus::default(),
            index: HashMap::new(),
            lowercase: opts.lowercase,
            segment,
            batch: Vec::new(),
        }
    }

    /// Takes one line of the file (with or without its `\n`): at once, or into the batch
    /// of lines to segment.
    fn take_line(&mut self, bytes: &[u8]) {
        let Some((_, threads)) = self.segment else {
            self.bytes_line(bytes);
            return;
        };
        self.batch.extend_from_slice(bytes);
        if !bytes.ends_with(b"\n") {
            self.batch.push(b'\n');
        }
        if self.batch.len() >= BATCH_PER_THREAD * threads.max(1) {
            self.flush_batch();
        }
    }

    /// Segments the lines collected so far and adds their words.
    fn flush_batch(&mut self) {
        let Some((seg, threads)) = self.segment else {
            return;
        };
        if self.batch.is_empty() {
            return;
        }
        let batch = std::mem::take(&mut self.batch);
        for piece in segment_batch(seg, &batch, threads) {
            self.corpus.stats.invalid_utf8 += piece.invalid_utf8;
            for line in piece.text.lines() {
                self.line(line);
            }
        }
        self.batch = batch;
        self.batch.clear();
    }

    fn read_file(&mut self, path: &Path, progress: Option<&Progress>) -> Result<()> {
        let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
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
        let mut buf = Vec::new();
        let mut lines = 0u64;
        loop {
            buf.clear();
            let n = reader.read_until(b'\n', &mut buf).map_err(|e| {
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
            if n == 0 {
                break;
            }
            self.corpus.stats.bytes += n as u64;
            self.take_line(&buf);
            lines += 1;
            if lines.is_multiple_of(4096) {
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

    fn bytes_line(&mut self, bytes: &[u8]) {
        match std::str::from_utf8(bytes) {
            Ok(s) => self.line(s),
            Err(_) => {
                let mut s = String::with_capacity(bytes.len() + 8);
                for chunk in bytes.utf8_chunks() {
                    s.push_str(chunk.valid());
                    if !chunk.invalid().is_empty() {
                        s.push(char::REPLACEMENT_CHARACTER);
                        self.corpus.stats.invalid_utf8 += 1;
                    }
                }
                self.line(&s);
            }
        }
    }

    fn line(&mut self, line: &str) {
        let before = self.corpus.tokens.len();
        for tok in line.split_whitespace() {
            let lower;
            let tok = if self.lowercase && tok.chars().any(char::is_uppercase) {
                lower = tok.to_lowercase();
                lower.as_str()
            } else {
                tok
            };
            let id = match self.index.get(tok) {
                Some(&id) => id,
                None => {
                    let id = self.corpus.words.len() as u32;
                    self.index.insert(tok.to_owned(), id);
                    self.corpus.words.push(tok.to_owned());
                    self.corpus.counts.push(0);
                    id
                }
            };
            self.corpus.counts[id as usize] += 1;
            self.corpus.tokens.push(id);
        }
        let after = self.corpus.tokens.len();
        if after > before {
            self.corpus.ends.push(after);
            self.corpus.stats.sentences += 1;
            self.corpus.stats.tokens += (after - before) as u64;
        }
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vocabulary_order_min_count_and_max_vocab() {
        let c = Corpus::from_text("b a c a\n\n d b a e\nc c\n", ReadOptions::default());
        assert_eq!(c.stats().sentences, 3);
        assert_eq!(c.stats().tokens, 10);
        assert_eq!(c.stats().distinct, 5);
        let v = c.vocabulary(1, None);
        // a:3, c:3 (c first seen after a), b:2, d:1, e:1.
        assert_eq!(v.words, ["a", "c", "b", "d", "e"]);
        assert_eq!(v.counts, [3, 3, 2, 1, 1]);
        let v = c.vocabulary(2, None);
        assert_eq!(v.words, ["a", "c", "b"]);
        let (ids, ends) = c.encode(&v);
        assert_eq!(ids, [2, 0, 1, 0, 2, 0, 1, 1]);
        assert_eq!(ends, [4, 6, 8]);
        let v = c.vocabulary(1, Some(2));
        assert_eq!(v.words, ["a", "c"]);
        assert_eq!(v.total(), 6);
    }

    #[test]
    fn gzip_corpora_are_decompressed() {
        use std::io::Write;
        let gz = |text: &str| {
            let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
            e.write_all(text.as_bytes()).unwrap();
            e.finish().unwrap()
        };
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("c.txt.gz");
        // Two members, as `cat a.gz b.gz` makes.
        let mut bytes = gz("a b a\nc a\n");
        bytes.extend(gz("b\n"));
        std::fs::write(&p, &bytes).unwrap();
        let c = Corpus::read(std::slice::from_ref(&p), ReadOptions::default(), None).unwrap();
        assert_eq!(c.stats().tokens, 6);
        assert_eq!(c.stats().sentences, 3);
        assert_eq!(c.vocabulary(1, None).words, ["a", "b", "c"]);
        // Truncated: a format error naming the file and an offset, not a panic.
        let cut = dir.path().join("cut.gz");
        let big: String = (0..20_000).map(|i| format!("w{i} ")).collect();
        let whole = gz(&big);
        std::fs::write(&cut, &whole[..whole.len() / 2]).unwrap();
        let e = Corpus::read(&[cut], ReadOptions::default(), None).unwrap_err();
        let msg = e.to_string();
        assert!(msg.contains("cut.gz") && msg.contains("gzip"), "{msg}");
        assert!(matches!(e, Error::Format { .. }), "{e:?}");
    }

    #[test]
    fn vocabulary_after_a_base() {
        let c = Corpus::from_text("b a c a\n\n d b a e\nc c\n", ReadOptions::default());
        let v = c.vocabulary(2, None); // a:3, c:3, b:2
        let base = ["x", "b", "y"];
        let (m, corpus_counts, n_base) = v.after_base(base.iter().copied(), Some(&[7, 1, 2]));
        assert_eq!(n_base, 3);
        assert_eq!(m.words, ["x", "b", "y", "a", "c"]);
        assert_eq!(m.counts, [7, 3, 2, 3, 3]);
        assert_eq!(corpus_counts, [0, 2, 0, 3, 3]);
        let (ids, ends) = c.encode(&m);
        // "b a c a" / "d b a e" / "c c" with d, e dropped.
        assert_eq!(ids, [1, 3, 4, 3, 1, 3, 4, 4]);
        assert_eq!(ends, [4, 6, 8]);
        let (m, _, _) = v.after_base(base.iter().copied(), None);
        assert_eq!(m.counts, [0, 2, 0, 3, 3]);
    }

    #[test]
    fn lowercase_and_invalid_utf8() {
        let c = Corpus::from_text("The the THE Ünd ünd", ReadOptions { lowercase: true });
        let v = c.vocabulary(1, None);
        assert_eq!(v.words, ["the", "ünd"]);
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("c.txt");
        std::fs::write(&p, b"ab\xffcd x\n\xfe y x\n").unwrap();
        let c = Corpus::read(&[p], ReadOptions::default(), None).unwrap();
        assert_eq!(c.stats().invalid_utf8, 2);
        let v = c.vocabulary(1, None);
        assert_eq!(v.words, ["x", "ab\u{fffd}cd", "\u{fffd}", "y"]);
    }
}
