//! Spelling suggestions for words that are not in the vocabulary.
use super::spelling::CloseTo;
use crate::space::Space;
use rayon::prelude::*;

/// Up to `n` words of the vocabulary spelled like `word`, best first.
///
/// Words equal to `word` apart from letter case come first; then words within an edit
/// distance (optimal string alignment: insertions, deletions, substitutions and adjacent
/// transpositions, counted in characters and ignoring case) of 2, or of 1 when `word` has at
/// most 4 characters (a word of one character gets only its case variants). Ties go to the
/// more frequent word (the lower row). `word` itself is
/// never suggested. The vocabulary is scanned in parallel.
pub fn suggest(space: &Space, word: &str, n: usize) -> Vec<String> {
    let vocab = space.vocab();
    closest(vocab.len(), |row| vocab.word(row), word, n)
}

/// As [`suggest`], over a list of words in the order of frequency (a language model's).
pub fn suggest_among(words: &[String], word: &str, n: usize) -> Vec<String> {
    closest(words.len(), |row| words[row].as_str(), word, n)
}

/// Up to `n` of the `len` words that `word_at` gives, spelled like `word` (see [`suggest`]).
fn closest<'a>(
    len: usize,
    word_at: impl Fn(usize) -> &'a str + Sync,
    word: &str,
    n: usize,
) -> Vec<String> {
    if n == 0 || word.is_empty() {
        return Vec::new();
    }
    let close = CloseTo::new(word, true);
    let single = word.chars().count() == 1;
    let mut found: Vec<(usize, u32)> = (0..len)
        .into_par_iter()
        .with_min_len(4096)
        .filter_map(|row| {
            let w = word_at(row);
            // Distance 0 is a case-insensitive match: it sorts first. A one-character word
            // is one edit from every other (punctuation, the commonest): only its case counts.
            let d = close
                .distance(w)
                .filter(|&d| w != word && (d == 0 || !single))?;
            Some((d, row as u32))
        })
        .collect();
    found.sort_unstable();
    found
        .into_iter()
        .take(n)
        .map(|(_, row)| word_at(row as usize).to_string())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::test_util::{random_space, space_with_matrix};

    fn vocab_space(words: &[&str]) -> Space {
        space_with_matrix(words, 1, vec![1.0; words.len()])
    }

    #[test]
    fn close_spellings_by_distance_then_frequency() {
        let s = vocab_space(&[
            "the", "house", "horse", "houses", "mouse", "hose", "House", "louse", "hous",
        ]);
        assert_eq!(suggest(&s, "hous", 10), ["house", "House"]);
        assert_eq!(suggest(&s, "HOUSE", 3), ["house", "House", "horse"]);
        assert_eq!(suggest(&s, "housse", 2), ["house", "houses"]);
        assert_eq!(suggest(&s, "hosue", 1), ["house"]);
        assert!(suggest(&s, "zzzzzz", 3).is_empty());
        assert!(suggest(&s, "house", 0).is_empty());
        assert!(suggest(&s, "", 3).is_empty());
    }

    #[test]
    fn short_words_allow_one_edit() {
        let s = vocab_space(&["cat", "cart", "act", "dog", "at", "c"]);
        assert_eq!(suggest(&s, "cta", 5), ["cat"]);
        assert_eq!(suggest(&s, "ct", 5), ["cat", "act", "at", "c"]);
        assert!(!suggest(&s, "dgo", 5).contains(&"cat".to_string()));
        assert_eq!(suggest(&s, "dgo", 5), ["dog"]);
    }

    #[test]
    fn works_with_cjk() {
        let s = vocab_space(&["北京", "北京市", "东京", "上海"]);
        assert_eq!(suggest(&s, "北亰", 5), ["北京"]);
        assert_eq!(suggest(&s, "北京", 5), ["北京市", "东京"]);
    }

    #[test]
    fn large_vocabularies_are_scanned_in_parallel() {
        let s = random_space(60_000, 1, 1);
        assert_eq!(suggest(&s, "w12345", 3), ["w1234", "w1235", "w1245"]);
    }
}
