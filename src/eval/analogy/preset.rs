//! The presets' rules for the vocabulary: how many rows, and how words are case-folded.
use crate::space::Space;
use serde::Serialize;
use std::collections::HashMap;

/// Whose counting rules to follow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Preset {
    /// gensim `KeyedVectors.evaluate_word_analogies`: first 300,000 words, case-insensitive by
    /// upper-casing (the most frequent variant wins), questions with a word outside the first
    /// N skipped, answer = best of the top 5 that is not a question word.
    Gensim,
    /// word2vec `compute-accuracy`: first 30,000 words, ASCII upper-casing, answer = top 1
    /// with a positive score, compared as upper-cased strings.
    Word2Vec,
    /// finalfusion-utils `compute-accuracy`: all words, case-sensitive, skipped only when the
    /// expected answer is unknown; unknown question words (without subwords) count as wrong.
    Finalfusion,
}

impl std::str::FromStr for Preset {
    type Err = String;
    fn from_str(s: &str) -> std::result::Result<Self, String> {
        match s.to_ascii_lowercase().as_str() {
            "gensim" => Ok(Preset::Gensim),
            "word2vec" | "w2v" => Ok(Preset::Word2Vec),
            "finalfusion" | "fifu" => Ok(Preset::Finalfusion),
            _ => Err(format!(
                "unknown preset {s:?} (expected gensim, word2vec or finalfusion)"
            )),
        }
    }
}

impl Preset {
    /// The name used on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Preset::Gensim => "gensim",
            Preset::Word2Vec => "word2vec",
            Preset::Finalfusion => "finalfusion",
        }
    }

    /// Rows searched when no restriction is given.
    pub fn default_restrict(self) -> Option<usize> {
        match self {
            Preset::Gensim => Some(300_000),
            Preset::Word2Vec => Some(30_000),
            Preset::Finalfusion => None,
        }
    }
}

/// Case folding of a preset.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Fold {
    /// Unicode upper case (Python's `str.upper`).
    Upper,
    /// ASCII upper case (C's `toupper` in the C locale).
    AsciiUpper,
    None,
}

pub(super) fn folding(p: Preset) -> Fold {
    match p {
        Preset::Gensim => Fold::Upper,
        Preset::Word2Vec => Fold::AsciiUpper,
        Preset::Finalfusion => Fold::None,
    }
}

impl Fold {
    pub(super) fn apply(self, w: &str) -> String {
        match self {
            Fold::Upper => w.to_uppercase(),
            Fold::AsciiUpper => w.to_ascii_uppercase(),
            Fold::None => w.to_string(),
        }
    }
}

/// Word → row over the first `rows` rows after case folding; the first (most frequent)
/// variant of a folded word wins.
pub(super) struct FoldedIndex<'a> {
    space: &'a Space,
    rows: usize,
    fold: Fold,
    map: HashMap<String, u32>,
}

impl<'a> FoldedIndex<'a> {
    pub(super) fn new(space: &'a Space, rows: usize, fold: Fold) -> Self {
        let mut map = HashMap::new();
        if fold != Fold::None {
            map.reserve(rows);
            for r in 0..rows {
                map.entry(fold.apply(space.word(r))).or_insert(r as u32);
            }
        }
        FoldedIndex {
            space,
            rows,
            fold,
            map,
        }
    }

    pub(super) fn get(&self, w: &str) -> Option<u32> {
        match self.fold {
            Fold::None => self.space.index(w).filter(|&r| (r as usize) < self.rows),
            f => self.map.get(&f.apply(w)).copied(),
        }
    }
}
