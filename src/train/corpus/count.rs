//! Counting the tokens of a corpus, on one thread or on several.
//!
//! A [`Counter`] gives every distinct token an id in order of first occurrence and keeps the
//! text as those ids. With several threads the reader collects whole lines into a batch, the
//! batch is cut at line ends into one piece per thread, each thread counts its piece with a
//! counter of its own, and the pieces are merged in order into the corpus' counter. Merging a
//! piece maps its ids to the corpus' ids in order of the piece's first occurrences, so the
//! result (ids, counts, tokens, sentence ends) is the same, bit for bit, as counting the whole
//! text on one thread.
use hashbrown::HashMap;

/// Distinct tokens in order of first occurrence, their counts, and the text as their ids.
#[derive(Debug, Default)]
pub(super) struct Counter {
    index: HashMap<String, u32>,
    /// Distinct tokens in order of first occurrence.
    pub(super) words: Vec<String>,
    /// Occurrences of each of `words`.
    pub(super) counts: Vec<u64>,
    /// Every token as its index in `words`.
    pub(super) tokens: Vec<u32>,
    /// End (in `tokens`) of every line that has a token.
    pub(super) ends: Vec<usize>,
    /// Invalid UTF-8 sequences replaced by U+FFFD.
    pub(super) invalid_utf8: u64,
    lowercase: bool,
}

impl Counter {
    pub(super) fn new(lowercase: bool) -> Self {
        Counter {
            lowercase,
            ..Counter::default()
        }
    }

    /// Counts one line given as bytes (with or without its `\n`), decoding invalid UTF-8
    /// lossily.
    pub(super) fn bytes_line(&mut self, bytes: &[u8]) {
        match std::str::from_utf8(bytes) {
            Ok(s) => self.line(s),
            Err(_) => {
                let mut s = String::with_capacity(bytes.len() + 8);
                for chunk in bytes.utf8_chunks() {
                    s.push_str(chunk.valid());
                    if !chunk.invalid().is_empty() {
                        s.push(char::REPLACEMENT_CHARACTER);
                        self.invalid_utf8 += 1;
                    }
                }
                self.line(&s);
            }
        }
    }

    /// Counts one line of text: its whitespace-separated tokens form one sentence.
    pub(super) fn line(&mut self, line: &str) {
        let before = self.tokens.len();
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
                    let id = self.words.len() as u32;
                    self.index.insert(tok.to_owned(), id);
                    self.words.push(tok.to_owned());
                    self.counts.push(0);
                    id
                }
            };
            self.counts[id as usize] += 1;
            self.tokens.push(id);
        }
        if self.tokens.len() > before {
            self.ends.push(self.tokens.len());
        }
    }

    /// Counts the lines of `bytes` (separated by `\n`).
    fn lines(&mut self, bytes: &[u8]) {
        for line in bytes.split(|&b| b == b'\n') {
            self.bytes_line(line);
        }
    }

    /// Appends `piece`, the counts of the text that follows this counter's text.
    pub(super) fn merge(&mut self, piece: Counter) {
        let mut to_mine = Vec::with_capacity(piece.words.len());
        for (word, n) in piece.words.into_iter().zip(piece.counts) {
            let id = match self.index.get(word.as_str()) {
                Some(&id) => id,
                None => {
                    let id = self.words.len() as u32;
                    self.words.push(word.clone());
                    self.index.insert(word, id);
                    self.counts.push(0);
                    id
                }
            };
            self.counts[id as usize] += n;
            to_mine.push(id);
        }
        let base = self.tokens.len();
        self.tokens
            .extend(piece.tokens.iter().map(|&t| to_mine[t as usize]));
        self.ends.extend(piece.ends.iter().map(|&e| base + e));
        self.invalid_utf8 += piece.invalid_utf8;
    }
}

/// Counts `bytes` (whole lines) on up to `threads` threads and merges the pieces, in order,
/// into `into`.
pub(super) fn count_batch(into: &mut Counter, bytes: &[u8], threads: usize) {
    let parts = crate::train::segment::pieces(bytes, threads);
    if parts.len() <= 1 {
        into.lines(bytes);
        return;
    }
    let lowercase = into.lowercase;
    let count = |part: &[u8]| {
        let mut c = Counter::new(lowercase);
        c.lines(part);
        c
    };
    let rest: Vec<Counter> = std::thread::scope(|scope| {
        let handles: Vec<_> = parts[1..]
            .iter()
            .map(|&p| scope.spawn(move || count(p)))
            .collect();
        // The first piece is counted on this thread, straight into the corpus' counter.
        into.lines(parts[0]);
        handles
            .into_iter()
            .zip(&parts[1..])
            // A counting thread cannot panic short of running out of memory; if it did, its
            // piece is counted again here so that the panic surfaces on the reader's thread.
            .map(|(h, &p)| h.join().unwrap_or_else(|_| count(p)))
            .collect()
    });
    for piece in rest {
        into.merge(piece);
    }
}
