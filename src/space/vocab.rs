//! A compact vocabulary: all words in one string, an offset table and a hash index.
//!
//! 400,000 words as 400,000 separate `String`s cost an allocation each and a slow hash map;
//! here a word is a range of one buffer and the index stores only row numbers.
use hashbrown::{DefaultHashBuilder, HashTable};
use std::hash::BuildHasher;

/// Words in row order, with a lookup from word to row.
#[derive(Clone, Default)]
pub struct Vocab {
    text: String,
    /// `ends[i]` is the end of word `i` in `text`; word `i` starts at `ends[i - 1]` (or 0).
    ends: Vec<usize>,
    table: HashTable<u32>,
    hasher: DefaultHashBuilder,
}

impl std::fmt::Debug for Vocab {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Vocab").field("len", &self.len()).finish()
    }
}

impl Vocab {
    /// An empty vocabulary.
    pub fn new() -> Self {
        Self::default()
    }

    /// An empty vocabulary with room for `words` words of `bytes` bytes in total.
    pub fn with_capacity(words: usize, bytes: usize) -> Self {
        Vocab {
            text: String::with_capacity(bytes),
            ends: Vec::with_capacity(words),
            table: HashTable::with_capacity(words),
            hasher: DefaultHashBuilder::default(),
        }
    }

    /// Appends `word`. Returns its new row, or `Err(row)` of the earlier occurrence when the
    /// word is already present (the vocabulary is unchanged then).
    pub fn push(&mut self, word: &str) -> Result<u32, u32> {
        let hash = self.hasher.hash_one(word);
        let (text, ends) = (&self.text, &self.ends);
        if let Some(&row) = self
            .table
            .find(hash, |&r| word_at(text, ends, r as usize) == word)
        {
            return Err(row);
        }
        let row = self.ends.len() as u32;
        self.text.push_str(word);
        self.ends.push(self.text.len());
        let (text, ends, hasher) = (&self.text, &self.ends, &self.hasher);
        self.table.insert_unique(hash, row, |&r| {
            hasher.hash_one(word_at(text, ends, r as usize))
        });
        Ok(row)
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

    /// The row of `word`, if present.
    pub fn index(&self, word: &str) -> Option<u32> {
        let hash = self.hasher.hash_one(word);
        self.table
            .find(hash, |&r| self.word(r as usize) == word)
            .copied()
    }

    /// The words in row order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = &str> + '_ {
        (0..self.len()).map(move |i| self.word(i))
    }

    /// Bytes held by this vocabulary (text, offsets and index).
    pub fn memory_bytes(&self) -> usize {
        self.text.capacity()
            + self.ends.capacity() * std::mem::size_of::<usize>()
            + self.table.capacity() * (std::mem::size_of::<u32>() + 1)
    }
}

fn word_at<'a>(text: &'a str, ends: &[usize], row: usize) -> &'a str {
    let start = if row == 0 { 0 } else { ends[row - 1] };
    &text[start..ends[row]]
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
}
