//! Counting the tokens of a corpus, on one thread or on several.
//!
//! A [`Counter`] gives every distinct token an id in order of first occurrence and keeps the
//! text as those ids. With several threads the reader collects whole lines into a batch, the
//! batch is cut at line ends into one piece per thread, each thread counts its piece with a
//! counter of its own, and the pieces are merged in order into the corpus' counter. Merging a
//! piece maps its ids to the corpus' ids in order of the piece's first occurrences, so the
//! result (ids, counts, tokens, sentence ends) is the same, bit for bit, as counting the whole
//! text on one thread.
//!
//! A piece's counter borrows its tokens from the batch (`Counter<'batch>`) instead of copying
//! each distinct token into new strings, and the reader's thread counts its own piece that way
//! too, rather than straight into the corpus' table of every word so far, which does not stay in
//! the cache. Each word's text is kept once (the table holds ids and finds them by hash), and a
//! piece's hashes are reused when it is merged. The reader's thread is what the others wait
//! for; on the bench corpus, reading before training took 0.53–0.58 s with two threads and
//! 0.55–0.65 s with one, and now 0.34–0.37 s and 0.46–0.49 s.
use hashbrown::{DefaultHashBuilder, HashTable};
use std::borrow::Cow;
use std::hash::BuildHasher;

/// Distinct tokens in order of first occurrence, their counts, and the text as their ids. The
/// corpus' counter owns its tokens (`Counter<'static>`); a piece's borrows them from the batch.
#[derive(Debug, Default)]
pub(super) struct Counter<'a> {
    /// The ids of `words`, found by their hashes (each word's text is kept once, in `words`).
    index: HashTable<u32>,
    /// The hasher, shared with the pieces so that merging reuses their hashes.
    hasher: DefaultHashBuilder,
    /// Distinct tokens in order of first occurrence.
    words: Vec<Cow<'a, str>>,
    /// The hash of each of `words`.
    hashes: Vec<u64>,
    /// Occurrences of each of `words`.
    pub(super) counts: Vec<u64>,
    /// Every token as its index in `words`.
    pub(super) tokens: Vec<u32>,
    /// End (in `tokens`) of every line that has a token.
    pub(super) ends: Vec<usize>,
    /// Invalid UTF-8 sequences replaced by U+FFFD.
    pub(super) invalid_utf8: u64,
    /// Lines of nothing but ASCII whitespace.
    pub(super) blank_lines: u64,
    lowercase: bool,
}

impl Counter<'static> {
    pub(super) fn new(lowercase: bool) -> Self {
        Counter {
            lowercase,
            ..Counter::default()
        }
    }

    /// Counts one line given as bytes (without its `\n`), decoding invalid UTF-8 lossily.
    fn bytes_line(&mut self, bytes: &[u8]) {
        if blank(bytes) {
            self.blank_lines += 1;
            return;
        }
        let text = decode(bytes, &mut self.invalid_utf8);
        self.line(&text);
    }

    /// Counts one line of text: its whitespace-separated tokens form one sentence.
    pub(super) fn line(&mut self, line: &str) {
        self.count_line(line, |t| Cow::Owned(t.into_owned()));
    }

    /// Takes the distinct tokens, in order of first occurrence.
    pub(super) fn take_words(&mut self) -> Vec<String> {
        self.index = HashTable::new();
        self.hashes = Vec::new();
        std::mem::take(&mut self.words)
            .into_iter()
            .map(Cow::into_owned)
            .collect()
    }

    /// Appends `piece`, the counts of the text that follows this counter's text.
    fn merge(&mut self, piece: Counter<'_>) {
        let mut to_mine = Vec::with_capacity(piece.words.len());
        let hashed = piece.words.into_iter().zip(piece.hashes);
        for ((word, hash), n) in hashed.zip(piece.counts) {
            let id = match self.find(hash, &word) {
                Some(id) => id,
                None => self.insert(hash, Cow::Owned(word.into_owned())),
            };
            self.counts[id as usize] += n;
            to_mine.push(id);
        }
        let base = self.tokens.len();
        self.tokens
            .extend(piece.tokens.iter().map(|&t| to_mine[t as usize]));
        self.ends.extend(piece.ends.iter().map(|&e| base + e));
        self.invalid_utf8 += piece.invalid_utf8;
        self.blank_lines += piece.blank_lines;
    }
}

impl<'a> Counter<'a> {
    /// Counts the lines of `bytes` (separated by `\n`), borrowing its tokens.
    fn piece(bytes: &'a [u8], lowercase: bool, hasher: DefaultHashBuilder) -> Counter<'a> {
        let mut c = Counter {
            lowercase,
            hasher,
            ..Counter::default()
        };
        for line in lines(bytes) {
            if blank(line) {
                c.blank_lines += 1;
                continue;
            }
            match decode(line, &mut c.invalid_utf8) {
                Cow::Borrowed(s) => c.count_line(s, |t| t),
                Cow::Owned(s) => c.count_line(&s, |t| Cow::Owned(t.into_owned())),
            }
        }
        c
    }

    /// The id of `word`, whose hash is `hash`, if it has one.
    #[inline]
    fn find(&self, hash: u64, word: &str) -> Option<u32> {
        let words = &self.words;
        self.index
            .find(hash, |&id| words[id as usize] == word)
            .copied()
    }

    /// A new word's id.
    fn insert(&mut self, hash: u64, word: Cow<'a, str>) -> u32 {
        let id = self.words.len() as u32;
        self.words.push(word);
        self.hashes.push(hash);
        let hashes = &self.hashes;
        self.index.insert_unique(hash, id, |&i| hashes[i as usize]);
        self.counts.push(0);
        id
    }

    /// Counts one line as a sentence; `keep` turns a new token into text this counter keeps.
    fn count_line<'l>(&mut self, line: &'l str, keep: impl Fn(Cow<'l, str>) -> Cow<'a, str>) {
        let before = self.tokens.len();
        for tok in line.split_whitespace() {
            let tok = if self.lowercase && tok.chars().any(char::is_uppercase) {
                Cow::Owned(tok.to_lowercase())
            } else {
                Cow::Borrowed(tok)
            };
            let hash = self.hasher.hash_one(tok.as_ref());
            let id = match self.find(hash, &tok) {
                Some(id) => id,
                None => self.insert(hash, keep(tok)),
            };
            self.counts[id as usize] += 1;
            self.tokens.push(id);
        }
        if self.tokens.len() > before {
            self.ends.push(self.tokens.len());
        }
    }
}

/// The lines of `bytes` (whole lines, each ending in `\n`), without their `\n`.
pub(super) fn lines(bytes: &[u8]) -> impl Iterator<Item = &[u8]> {
    let body = bytes.strip_suffix(b"\n").unwrap_or(bytes);
    (!bytes.is_empty())
        .then(|| body.split(|&b| b == b'\n'))
        .into_iter()
        .flatten()
}

/// Whether a line is blank: nothing but ASCII whitespace (it has no token).
pub(super) fn blank(line: &[u8]) -> bool {
    line.iter().all(u8::is_ascii_whitespace)
}

/// `bytes` as text: borrowed when it is valid UTF-8, else with each invalid sequence replaced
/// by U+FFFD and counted in `invalid`.
fn decode<'a>(bytes: &'a [u8], invalid: &mut u64) -> Cow<'a, str> {
    if let Ok(s) = std::str::from_utf8(bytes) {
        return Cow::Borrowed(s);
    }
    let mut s = String::with_capacity(bytes.len() + 8);
    for chunk in bytes.utf8_chunks() {
        s.push_str(chunk.valid());
        if !chunk.invalid().is_empty() {
            s.push(char::REPLACEMENT_CHARACTER);
            *invalid += 1;
        }
    }
    Cow::Owned(s)
}

/// Counts `bytes` (whole lines, each ending in `\n`) on up to `threads` threads and merges the pieces, in order,
/// into `into`.
pub(super) fn count_batch(into: &mut Counter<'static>, bytes: &[u8], threads: usize) {
    let parts = crate::train::segment::pieces(bytes, threads);
    if parts.len() <= 1 {
        for line in lines(bytes) {
            into.bytes_line(line);
        }
        return;
    }
    let lowercase = into.lowercase;
    let hasher = into.hasher;
    let count = |part| Counter::piece(part, lowercase, hasher);
    let pieces: Vec<Counter<'_>> = std::thread::scope(|scope| {
        let handles: Vec<_> = parts[1..]
            .iter()
            .map(|&p| scope.spawn(move || count(p)))
            .collect();
        std::iter::once(Ok(count(parts[0])))
            .chain(handles.into_iter().map(|h| h.join()))
            .zip(&parts)
            // A counting thread cannot panic short of running out of memory; if it did, its
            // piece is counted again here so that the panic surfaces on the reader's thread.
            .map(|(c, &p)| c.unwrap_or_else(|_| count(p)))
            .collect()
    });
    for piece in pieces {
        into.merge(piece);
    }
}
