//! Reading a training corpus into memory as word ids, and building the vocabulary.
//!
//! A corpus is one or more UTF-8 text files (gzip-compressed files are recognised by their
//! magic bytes and decompressed on the fly). Tokens are separated by whitespace and every line
//! is a sentence. Invalid UTF-8 is decoded lossily (each bad sequence becomes U+FFFD) and
//! counted. The corpus is read once: every distinct token gets a provisional id in order of
//! first occurrence, and the text is kept as those ids (4 bytes a token).
//!
//! With [`ReadOptions::threads`] above one, batches of lines are counted on that many threads
//! and merged in order: the corpus is the same whatever the number of threads.
use super::segment::Segmenter;
use crate::error::{Error, Location, Result};
use crate::jobs::Progress;
use hashbrown::HashMap;
use read::Builder;
use std::path::PathBuf;

mod count;
mod read;
pub(crate) mod stdin;

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
    /// Whether Chinese was cut into words (`--segment zh`, or `auto` that found Chinese).
    pub segmented: bool,
    /// Lines with no token (KenLM counts each as a sentence, `<s> </s>`; training skips them).
    pub blank_lines: u64,
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
    /// Threads counting the tokens (0 and 1: one). The result does not depend on it.
    pub threads: usize,
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
            b.stats.files.push(path.clone());
        }
        if b.is_empty() {
            if let Some(first) = paths.first() {
                let names: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
                return Err(Error::Format {
                    path: first.clone(),
                    location: Location::File,
                    message: if paths.len() == 1 {
                        "it has no words (empty or only whitespace)".into()
                    } else {
                        format!("no words in any of the corpus files ({})", names.join(", "))
                    },
                });
            }
        }
        Ok(b.finish())
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
        b.stats.bytes = text.len() as u64;
        b.finish()
    }

    /// Statistics of the corpus as read.
    pub fn stats(&self) -> &CorpusStats {
        &self.stats
    }

    /// How often each of `words` occurs in the corpus as a token (0 for a word it lacks), in
    /// the order of `words`. One pass over the corpus's distinct words.
    pub fn counts_of(&self, words: &[&str]) -> Vec<u64> {
        let mut at: HashMap<&str, Vec<usize>> = HashMap::with_capacity(words.len());
        for (i, w) in words.iter().enumerate() {
            at.entry(*w).or_default().push(i);
        }
        let mut out = vec![0; words.len()];
        for (w, &c) in self.words.iter().zip(&self.counts) {
            for &i in at.get(w.as_str()).into_iter().flatten() {
                out[i] = c;
            }
        }
        out
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
        self.encode_map(&vocab.map)
    }

    /// The sentences as the rows `id` gives each word, as [`Corpus::encode`] returns them:
    /// words without a row dropped, empty sentences left out.
    pub fn encode_by(&self, id: impl Fn(&str) -> Option<u32>) -> (Vec<u32>, Vec<usize>) {
        let map: Vec<u32> = self
            .words
            .iter()
            .map(|w| id(w).unwrap_or(u32::MAX))
            .collect();
        self.encode_map(&map)
    }

    /// The sentences with the row `id` gives each word, `None` for a word without one (kept
    /// in its place); empty lines are left out.
    pub fn sentences_by(&self, id: impl Fn(&str) -> Option<u32>) -> Vec<Vec<Option<u32>>> {
        let map: Vec<Option<u32>> = self.words.iter().map(|w| id(w)).collect();
        let mut out = Vec::with_capacity(self.ends.len());
        let mut start = 0;
        for &end in &self.ends {
            if end > start {
                out.push(
                    self.tokens[start..end]
                        .iter()
                        .map(|&t| map[t as usize])
                        .collect(),
                );
            }
            start = end;
        }
        out
    }

    fn encode_map(&self, map: &[u32]) -> (Vec<u32>, Vec<usize>) {
        let mut ids = Vec::with_capacity(self.tokens.len());
        let mut ends = Vec::with_capacity(self.ends.len());
        let mut start = 0;
        for &end in &self.ends {
            ids.extend(
                self.tokens[start..end]
                    .iter()
                    .map(|&t| map[t as usize])
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

#[cfg(test)]
mod tests;
