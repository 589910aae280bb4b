//! A compact vocabulary: all words in one string, an offset table and a hash index.
//!
//! 400,000 words as 400,000 separate `String`s cost an allocation each and a slow hash map;
//! here a word is a range of one buffer and the index stores only row numbers.
//!
//! Big vocabularies read from files can be built *lazily* ([`Vocab::lazy_with_capacity`],
//! [`Vocab::push_unchecked`]): no hash index at open (building one for 2 million words
//! takes half a second); the first few lookups scan the words (a few milliseconds), and the
//! index is built on the [`LINEAR_LOOKUPS`]-th lookup or by [`Vocab::build_index`].
use hashbrown::{DefaultHashBuilder, HashTable};
use std::hash::BuildHasher;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::OnceLock;

/// Vocabularies of at least this many words read from files are lazy: their hash index is
/// built on demand.
pub const LAZY_MIN_WORDS: usize = 1_000_000;

/// Lookups answered by a linear scan before a lazy vocabulary builds its hash index.
pub const LINEAR_LOOKUPS: u32 = 8;

/// Words in row order, with a lookup from word to row.
#[derive(Default)]
pub struct Vocab {
    text: String,
    /// `ends[i]` is the end of word `i` in `text`; word `i` starts at `ends[i - 1]` (or 0).
    ends: Vec<usize>,
    /// The hash index; empty until built in a lazy vocabulary.
    table: OnceLock<HashTable<u32>>,
    /// Lookups so far without the index (lazy vocabularies).
    scans: AtomicU32,
    hasher: DefaultHashBuilder,
}

impl Clone for Vocab {
    fn clone(&self) -> Self {
        Vocab {
            text: self.text.clone(),
            ends: self.ends.clone(),
            table: self.table.clone(),
            scans: AtomicU32::new(self.scans.load(Ordering::Relaxed)),
            hasher: self.hasher,
        }
    }
}

impl std::fmt::Debug for Vocab {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Vocab").field("len", &self.len()).finish()
    }
}

impl Vocab {
    /// An empty vocabulary.
    pub fn new() -> Self {
        Self::with_capacity(0, 0)
    }

    /// An empty vocabulary with room for `words` words of `bytes` bytes in total.
    pub fn with_capacity(words: usize, bytes: usize) -> Self {
        let v = Self::lazy_with_capacity(words, bytes);
        let _ = v.table.set(HashTable::with_capacity(words));
        v
    }

    /// An empty lazy vocabulary: filled with [`Vocab::push_unchecked`], its hash index is
    /// built on demand (see the module docs).
    pub fn lazy_with_capacity(words: usize, bytes: usize) -> Self {
        Vocab {
            text: String::with_capacity(bytes),
            ends: Vec::with_capacity(words),
            table: OnceLock::new(),
            scans: AtomicU32::new(0),
            hasher: DefaultHashBuilder::default(),
        }
    }

    /// A lazy vocabulary (see [`Vocab::lazy_with_capacity`]) of the words
    /// `text[ends[i - 1]..ends[i]]`, or `None` when the ends do not ascend within `text` or one
    /// falls inside a character.
    pub fn lazy_from_parts(text: String, ends: Vec<usize>) -> Option<Self> {
        let mut last = 0;
        for &e in &ends {
            if e < last || !text.is_char_boundary(e) {
                return None;
            }
            last = e;
        }
        Some(Vocab {
            text,
            ends,
            table: OnceLock::new(),
            scans: AtomicU32::new(0),
            hasher: DefaultHashBuilder::default(),
        })
    }

    /// Appends `word`. Returns its new row, or `Err(row)` of the earlier occurrence when the
    /// word is already present (the vocabulary is unchanged then).
    pub fn push(&mut self, word: &str) -> Result<u32, u32> {
        if self.table.get().is_none() && !self.ends.is_empty() {
            // A lazy vocabulary: build the index now (pushing checks duplicates).
            self.build_index();
        }
        let hash = self.hasher.hash_one(word);
        let (text, ends, hasher) = (&self.text, &self.ends, &self.hasher);
        let table = self.table.get_or_init(HashTable::new);
        if let Some(&row) = table.find(hash, |&r| word_at(text, ends, r as usize) == word) {
            return Err(row);
        }
        let row = self.ends.len() as u32;
        self.text.push_str(word);
        self.ends.push(self.text.len());
        let (text, ends) = (&self.text, &self.ends);
        if let Some(table) = self.table.get_mut() {
            table.insert_unique(hash, row, |&r| {
                hasher.hash_one(word_at(text, ends, r as usize))
            });
        }
        Ok(row)
    }

    /// Appends `word` to a lazy vocabulary without looking for an earlier occurrence (a
    /// repeated word keeps its row, but lookups find the first). In a vocabulary with an
    /// index this is [`Vocab::push`], ignoring duplicates.
    pub fn push_unchecked(&mut self, word: &str) {
        if self.table.get().is_some() {
            let _ = self.push(word);
            return;
        }
        self.text.push_str(word);
        self.ends.push(self.text.len());
    }

    /// Builds the hash index of a lazy vocabulary now (the first of repeated words wins).
    pub fn build_index(&self) {
        self.table.get_or_init(|| {
            let mut table = HashTable::with_capacity(self.len());
            let (text, ends, hasher) = (&self.text, &self.ends, &self.hasher);
            for row in 0..self.len() {
                let word = word_at(text, ends, row);
                let hash = hasher.hash_one(word);
                if table
                    .find(hash, |&r| word_at(text, ends, r as usize) == word)
                    .is_none()
                {
                    table.insert_unique(hash, row as u32, |&r| {
                        hasher.hash_one(word_at(text, ends, r as usize))
                    });
                }
            }
            table
        });
    }

    /// True when the hash index exists (always, except in a lazy vocabulary before it is
    /// needed).
    pub fn has_index(&self) -> bool {
        self.table.get().is_some()
    }

    /// Number of words.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// True when there are no words.
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// The word in row `row`. Panics when `row >= len()`.
    pub fn word(&self, row: usize) -> &str {
        word_at(&self.text, &self.ends, row)
    }

    /// The row of `word`, if present (the first row, if it repeats).
    pub fn index(&self, word: &str) -> Option<u32> {
        if self.table.get().is_none() {
            if self.scans.fetch_add(1, Ordering::Relaxed) < LINEAR_LOOKUPS {
                return self.scan(word);
            }
            self.build_index();
        }
        let hash = self.hasher.hash_one(word);
        self.table
            .get()?
            .find(hash, |&r| self.word(r as usize) == word)
            .copied()
    }

    /// The first row holding `word`, by comparing every word (no index needed).
    fn scan(&self, word: &str) -> Option<u32> {
        let (text, want) = (self.text.as_bytes(), word.as_bytes());
        let mut start = 0;
        for (row, &end) in self.ends.iter().enumerate() {
            if end - start == want.len() && &text[start..end] == want {
                return Some(row as u32);
            }
            start = end;
        }
        None
    }

    /// The words in row order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = &str> + '_ {
        (0..self.len()).map(move |i| self.word(i))
    }

    /// Bytes held by this vocabulary (text, offsets and index).
    pub fn memory_bytes(&self) -> usize {
        self.text.capacity()
            + self.ends.capacity() * std::mem::size_of::<usize>()
            + self.table.get().map_or(0, HashTable::capacity) * (std::mem::size_of::<u32>() + 1)
    }
}

fn word_at<'a>(text: &'a str, ends: &[usize], row: usize) -> &'a str {
    let start = if row == 0 { 0 } else { ends[row - 1] };
    &text[start..ends[row]]
}

/// The rows of `words` that repeat an earlier row's word, in ascending order: the rows a
/// reader drops, keeping each word's first row. Found in parallel (the words are hashed,
/// the hashes sorted, and only words of equal hashes compared), so that checking 2 million
/// words for repeats does not hold up opening a file as a hash table filled one word at a
/// time did.
pub(crate) fn repeated_rows(words: &[&str]) -> Vec<usize> {
    use rayon::prelude::*;
    let hasher = DefaultHashBuilder::default();
    let mut keyed: Vec<(u64, usize)> = words
        .par_iter()
        .enumerate()
        .map(|(row, w)| (hasher.hash_one(w), row))
        .collect();
    keyed.par_sort_unstable();
    // Within a run of equal hashes the rows ascend: a row repeats when an earlier row of its
    // run has the same word (runs longer than one are rare: repeats and hash collisions).
    let mut repeated: Vec<usize> = keyed
        .par_chunk_by(|a, b| a.0 == b.0)
        .flat_map_iter(|run| {
            run.iter()
                .enumerate()
                .filter(|&(j, &(_, row))| run[..j].iter().any(|&(_, e)| words[e] == words[row]))
                .map(|(_, &(_, row))| row)
                .collect::<Vec<_>>()
        })
        .collect();
    repeated.par_sort_unstable();
    repeated
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn push_lookup_and_duplicates() {
        let mut v = Vocab::new();
        assert_eq!(v.push("king"), Ok(0));
        assert_eq!(v.push("queen"), Ok(1));
        assert_eq!(v.push("北京"), Ok(2));
        assert_eq!(v.push("king"), Err(0));
        assert_eq!(v.push(""), Ok(3));
        assert_eq!(v.len(), 4);
        assert_eq!(v.index("北京"), Some(2));
        assert_eq!(v.index("kin"), None);
        assert_eq!(v.index(""), Some(3));
        assert_eq!(v.word(1), "queen");
        assert_eq!(v.iter().collect::<Vec<_>>(), ["king", "queen", "北京", ""]);
    }

    #[test]
    fn lazy_vocabularies_scan_then_index_and_keep_the_first_repeat() {
        let mut v = Vocab::lazy_with_capacity(5, 20);
        for w in ["king", "queen", "北京", "king", ""] {
            v.push_unchecked(w);
        }
        assert_eq!(v.len(), 5);
        assert!(!v.has_index());
        let ask = |v: &Vocab| {
            (
                v.index("king"),
                v.index("北京"),
                v.index(""),
                v.index("kin"),
            )
        };
        let want = (Some(0), Some(2), Some(4), None);
        for _ in 0..LINEAR_LOOKUPS {
            assert_eq!(ask(&v), want);
        }
        assert!(v.has_index(), "built after {LINEAR_LOOKUPS} scans");
        assert_eq!(ask(&v), want);
        // Pushing onto a lazy vocabulary builds the index and checks duplicates again.
        let mut w = Vocab::lazy_with_capacity(2, 8);
        w.push_unchecked("a");
        assert_eq!(w.push("a"), Err(0));
        assert_eq!(w.push("b"), Ok(1));
        assert_eq!(w.clone().index("b"), Some(1));
    }

    #[test]
    fn repeated_rows_keep_the_first() {
        let words = ["a", "b", "a", "c", "b", "a", "d"];
        assert_eq!(repeated_rows(&words), [2, 4, 5]);
        assert!(repeated_rows(&[]).is_empty());
        let many: Vec<String> = (0..5000).map(|i| format!("w{}", i % 1234)).collect();
        let refs: Vec<&str> = many.iter().map(String::as_str).collect();
        let want: Vec<usize> = (1234..5000).collect();
        assert_eq!(repeated_rows(&refs), want);
    }
}
