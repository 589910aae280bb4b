//! What a query probably meant: an expression typed without spaces around its signs
//! (`king-man`, read as one word), and a rare word one typo away from a common one (`quen`,
//! word 344,228 of GloVe's 400,000, for `queen`, word 2,061).
use super::spelling::CloseTo;
use super::Term;
use crate::space::Space;
use crate::text::thousands;
use rayon::prelude::*;
use serde::Serialize;
use std::fmt;

/// When `word` has no vector but the pieces between its `-` and `+` signs all have one
/// (`king-man`, or a quoted `"king+man"`), the advice to put spaces around the signs, with
/// the expression it names: `to subtract, put spaces around the sign: king - man`. `None`
/// for a word the space knows (`well-known` stays a word) and for anything else.
pub fn sign_hint(space: &Space, word: &str) -> Option<String> {
    let signs: Vec<char> = word.chars().filter(|&c| c == '-' || c == '+').collect();
    if signs.is_empty() || space.lookup(word).is_some() {
        return None;
    }
    let pieces: Vec<&str> = word.split(['-', '+']).collect();
    if pieces
        .iter()
        .any(|p| p.is_empty() || space.lookup(p).is_none())
    {
        return None;
    }
    let mut spaced = pieces[0].to_string();
    for (sign, piece) in signs.iter().zip(&pieces[1..]) {
        spaced.push_str(&format!(" {sign} {piece}"));
    }
    let verb = match (signs.contains(&'+'), signs.contains(&'-')) {
        (true, true) => "to add and subtract",
        (true, false) => "to add",
        _ => "to subtract",
    };
    let around = if signs.len() == 1 { "sign" } else { "signs" };
    Some(format!("{verb}, put spaces around the {around}: {spaced}"))
}

/// A word is never rare within the first `COMMON_ROWS` rows, nor within the first half of
/// the vocabulary: a small vocabulary (a few thousand words of a small corpus) is all
/// common words, and in a large one the tail past both is where typos, names and debris of
/// the corpus sit (GloVe 6B past row 200,000: `quen`, `kingg`, `teh`).
pub const COMMON_ROWS: usize = 50_000;

/// A suggestion must come this many times earlier in the vocabulary than the rare word.
///
/// The rows of the usual formats go by frequency, and by Zipf's law a word's frequency is
/// about inversely proportional to its rank. Someone who typed `x` meant it with odds in
/// proportion to its frequency, and meant `w` but slipped with odds in proportion to the
/// frequency of `w` times the chance of that one slip, taken as 1 in 100: the slip is the
/// likelier story when `w` is 100 times as frequent. Measured on GloVe 6B's words past row
/// 200,000, this notes 5 % of them (`tof`, `of`; `zollars`, `dollars`; `afrikan`,
/// `african`); a ratio of 10 would note 21 %, mostly names (`burle`, `burke`).
pub const RANK_RATIO: usize = 100;

/// A query word that is rare while a far more frequent word is one edit away.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RareWord {
    /// The word as the vocabulary has it.
    pub word: String,
    /// Its 1-based rank: its row + 1.
    pub rank: usize,
    /// The number of words of the vocabulary.
    pub of: usize,
    /// The frequent word one edit away (or differing in letter case only).
    pub suggestion: String,
    /// The suggestion's 1-based rank.
    pub suggestion_rank: usize,
}

impl fmt::Display for RareWord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:?} is word {} of {} (rare); did you mean {:?} (word {})?",
            self.word,
            thousands(self.rank),
            thousands(self.of),
            self.suggestion,
            thousands(self.suggestion_rank)
        )
    }
}

/// The word of row `row` when it is rare (past [`COMMON_ROWS`] and the first half of the
/// vocabulary) and a word of at most a hundredth of its rank ([`RANK_RATIO`]) is one edit
/// away, letter case aside; case variants come first, then the most frequent. Words shorter
/// than 3 characters (one edit from too many) and words without a letter (numbers) are left
/// alone. Only the rows above the cut-off are scanned: 4,000 of GloVe's 400,000 at most
/// (under a millisecond).
pub fn rare_word(space: &Space, row: u32) -> Option<RareWord> {
    let row = row as usize;
    let of = space.len();
    if row >= of || row < COMMON_ROWS.max(of / 2) {
        return None;
    }
    let word = space.word(row);
    if word.chars().count() < 3 || !word.chars().any(char::is_alphabetic) {
        return None;
    }
    let close = CloseTo::new(word, true);
    let vocab = space.vocab();
    let (_, best) = (0..(row + 1) / RANK_RATIO)
        .into_par_iter()
        .with_min_len(4096)
        .filter_map(|r| {
            let d = close.distance(vocab.word(r)).filter(|&d| d <= 1)?;
            Some((d, r))
        })
        .min()?;
    Some(RareWord {
        word: word.to_string(),
        rank: row + 1,
        of,
        suggestion: vocab.word(best).to_string(),
        suggestion_rank: best + 1,
    })
}

/// [`rare_word`] of each distinct vocabulary word among `terms` (words built from subwords
/// and averaged phrases have no row, and are not looked at).
pub fn rare_words(space: &Space, terms: &[Term]) -> Vec<RareWord> {
    let mut rows: Vec<u32> = Vec::new();
    for row in terms.iter().filter_map(|t| t.index) {
        if !rows.contains(&row) {
            rows.push(row);
        }
    }
    rows.into_iter()
        .filter_map(|r| rare_word(space, r))
        .collect()
}

#[cfg(test)]
mod tests;
