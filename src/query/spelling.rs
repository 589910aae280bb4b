//! Close spellings: the one edit-distance test behind the "did you mean" suggestions
//! ([`suggest`](super::suggest)) and the typo-forgiving vocabulary search
//! ([`search`](super::search)).
//!
//! The distance is the optimal string alignment distance (insertions, deletions,
//! substitutions and adjacent transpositions, counted in characters) of `strsim`. A word is
//! close when it is within 1 edit of a word of at most 4 characters, or within 2 edits of a
//! longer one. Two cheap necessary conditions rule out almost every word of a vocabulary
//! before the distance is computed: the character count, and the set of characters (each
//! edit adds or removes at most one kind of character, so two words `d` edits apart differ
//! in at most `2d` kinds).
use std::borrow::Cow;

/// A word whose close spellings are looked for.
#[derive(Debug, Clone)]
pub(crate) struct CloseTo {
    target: String,
    chars: usize,
    max: usize,
    mask: u64,
    fold: bool,
}

/// The bucket of a character in a 64-bit character-set mask.
fn bit(c: char) -> u64 {
    1u64 << (u32::from(c) & 63)
}

/// The set of characters of `word` (ASCII letters case-folded when `fold`), as a mask.
fn ascii_mask(word: &[u8], fold: bool) -> u64 {
    if fold {
        word.iter()
            .fold(0, |m, &c| m | bit(char::from(c.to_ascii_lowercase())))
    } else {
        word.iter().fold(0, |m, &c| m | bit(char::from(c)))
    }
}

/// The character-set mask of `word` when it is ASCII (letters case-folded when `fold`), in
/// one pass; `None` for other words.
pub(crate) fn ascii_word_mask(word: &[u8], fold: bool) -> Option<u64> {
    let (mut mask, mut high) = (0u64, 0u8);
    for &c in word {
        high |= c;
        let c = if fold { c.to_ascii_lowercase() } else { c };
        mask |= 1u64 << (c & 63);
    }
    (high < 0x80).then_some(mask)
}

/// The character-set mask of `word`.
pub(crate) fn mask_of(word: &str) -> u64 {
    word.chars().fold(0, |m, c| m | bit(c))
}

impl CloseTo {
    /// Close spellings of `word`; `fold`: letter case is ignored.
    pub(crate) fn new(word: &str, fold: bool) -> CloseTo {
        let target = if fold {
            word.to_lowercase()
        } else {
            word.to_string()
        };
        let chars = target.chars().count();
        CloseTo {
            mask: mask_of(&target),
            max: if chars <= 4 { 1 } else { 2 },
            chars,
            target,
            fold,
        }
    }

    /// The most edits a close spelling may be away.
    #[cfg(test)]
    pub(crate) fn max(&self) -> usize {
        self.max
    }

    /// Whether a word with the characters of `mask` has too many kinds of characters that
    /// the target lacks, or lacks too many of the target's, to be close.
    fn differs(&self, mask: u64) -> bool {
        (mask ^ self.mask).count_ones() as usize > 2 * self.max
    }

    /// [`distance`](Self::distance) for an ASCII `word` whose [`ascii_word_mask`] is `mask`.
    pub(crate) fn distance_ascii(&self, word: &str, mask: u64) -> Option<usize> {
        let (lo, hi) = (self.chars.saturating_sub(self.max), self.chars + self.max);
        if word.len() < lo || word.len() > hi || self.differs(mask) {
            return None;
        }
        self.distance(word)
    }

    /// The edit distance of `word` when it is at most [`max`](Self::max) (0: the same word, up
    /// to letter case when folding), else `None`.
    pub(crate) fn distance(&self, word: &str) -> Option<usize> {
        let (lo, hi) = (self.chars.saturating_sub(self.max), self.chars + self.max);
        // Byte lengths bound character counts (1 to 4 bytes each): a first filter.
        if word.len() < lo || word.len() > hi * 4 {
            return None;
        }
        let ascii = word.is_ascii();
        if ascii && (word.len() > hi || self.differs(ascii_mask(word.as_bytes(), self.fold))) {
            return None;
        }
        let word = if self.fold && word.chars().any(char::is_uppercase) {
            Cow::Owned(word.to_lowercase())
        } else {
            Cow::Borrowed(word)
        };
        if !ascii && self.differs(mask_of(&word)) {
            return None;
        }
        let count = word.chars().count();
        if count < lo || count > hi {
            return None;
        }
        let d = strsim::osa_distance(&self.target, &word);
        (d <= self.max).then_some(d)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances_within_the_bound() {
        let c = CloseTo::new("kingg", true);
        assert_eq!(c.max(), 2);
        assert_eq!(c.distance("king"), Some(1));
        assert_eq!(c.distance("KINGG"), Some(0));
        assert_eq!(c.distance("kings"), Some(1));
        assert_eq!(c.distance("ikngg"), Some(1));
        assert_eq!(c.distance("kin"), Some(2));
        assert_eq!(c.distance("ki"), None);
        assert_eq!(c.distance("queen"), None);
        assert_eq!(c.distance("kingsgate"), None);
        let short = CloseTo::new("cat", true);
        assert_eq!(short.max(), 1);
        assert_eq!(short.distance("act"), Some(1));
        assert_eq!(short.distance("cart"), Some(1));
        assert_eq!(short.distance("dog"), None);
        let cased = CloseTo::new("King", false);
        assert_eq!(cased.distance("king"), Some(1));
        assert_eq!(cased.distance("Kink"), Some(1));
    }

    #[test]
    fn the_filters_never_drop_a_close_word() {
        // Every word within the bound by strsim is found, over random short strings.
        use crate::query::test_util::XorShift;
        fn word(r: &mut XorShift, alphabet: &[char], most: usize) -> String {
            let n = 1 + r.below(most);
            (0..n).map(|_| alphabet[r.below(alphabet.len())]).collect()
        }
        let mut r = XorShift::new(7);
        let alphabet: Vec<char> = "abcdAB北京é".chars().collect();
        for _ in 0..5000 {
            let a = word(&mut r, &alphabet, 6);
            let b = word(&mut r, &alphabet, 7);
            for fold in [false, true] {
                let c = CloseTo::new(&a, fold);
                let (x, y) = if fold {
                    (a.to_lowercase(), b.to_lowercase())
                } else {
                    (a.clone(), b.clone())
                };
                let d = strsim::osa_distance(&x, &y);
                let want = (d <= c.max()).then_some(d);
                assert_eq!(c.distance(&b), want, "{a:?} {b:?} fold {fold}");
            }
        }
    }

    #[test]
    fn masks_in_one_pass() {
        assert_eq!(ascii_word_mask(b"Ab", true), Some(bit('a') | bit('b')));
        assert_eq!(ascii_word_mask(b"Ab", false), Some(bit('A') | bit('b')));
        assert_eq!(ascii_word_mask("é".as_bytes(), true), None);
        let c = CloseTo::new("kingg", true);
        for w in ["king", "KING", "kingsgate", "queen", "ikngg"] {
            let m = ascii_word_mask(w.as_bytes(), true).unwrap();
            assert_eq!(c.distance_ascii(w, m), c.distance(w), "{w}");
        }
    }

    #[test]
    fn cjk_counts_characters() {
        let c = CloseTo::new("北亰", true);
        assert_eq!(c.distance("北京"), Some(1));
        assert_eq!(c.distance("北京市"), None);
        assert_eq!(CloseTo::new("北京", true).distance("北京市"), Some(1));
    }
}
