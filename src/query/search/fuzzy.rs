//! Fuzzy search that forgives typos: words holding the query's characters in order, ranked by
//! `nucleo-matcher` (the matcher of helix and television), merged with the close spellings
//! of the query (the edit-distance test of the "did you mean" suggestions).
//!
//! A close spelling `d` edits away scores what the query scores against itself, less
//! [`PER_EDIT`] per edit. With nucleo's scale (16 a character, gaps cost 3 then 1, word
//! starts and runs earn bonuses) one edit then ranks below the words that start with the
//! query but above matches scattered through a word: `kingg` finds `king` before
//! `kingsgate`, and `hous` still lists `house` before `hour`. Frequency counts too, as the
//! rank of the row (files list frequent words first): [`PER_DECADE`] for each power of ten,
//! so a word a thousand times as frequent makes up for one edit (`whatt` finds `what`
//! before `whatta`).
use super::blocks::{in_blocks, stop};
use super::{Found, MAX_HITS};
use crate::jobs::Progress;
use crate::query::spelling::{ascii_word_mask, mask_of, CloseTo};
use crate::space::Space;
use nucleo_matcher::pattern::{Atom, AtomKind, CaseMatching, Normalization};
use nucleo_matcher::{Config, Matcher, Utf32Str};

/// Score a close spelling loses per edit, below the query's score against itself.
pub const PER_EDIT: f32 = 8.0;
/// Score a word gains for being ten times as frequent (by rank).
pub const PER_DECADE: f32 = 3.0;

type Scored = (f32, u32);

/// The frequency part of the score: [`PER_DECADE`] per power of ten of the rank, from the
/// millionth row up.
fn prior(row: usize) -> f32 {
    PER_DECADE * (6.0 - ((row + 1) as f32).log10()).max(0.0)
}

fn config() -> Config {
    let mut c = Config::DEFAULT;
    // Words, not paths: a match at the start of the word is worth more.
    c.prefer_prefix = true;
    c
}

/// The query's characters, for the quick in-order test, when the query is ASCII.
struct Needle {
    bytes: Option<Vec<u8>>,
    /// The set of the query's (folded) characters, as [`ascii_word_mask`] makes it.
    mask: u64,
    fold: bool,
}

impl Needle {
    fn new(query: &str, fold: bool) -> Needle {
        let bytes = query.is_ascii().then(|| {
            let b = query.as_bytes();
            if fold {
                b.to_ascii_lowercase()
            } else {
                b.to_vec()
            }
        });
        let mask = bytes.as_deref().map_or(0, mask_of_bytes);
        Needle { bytes, mask, fold }
    }

    /// [`may_match`](Self::may_match) for an ASCII word whose character set is `mask`: a
    /// word that lacks one of the query's characters is ruled out without a look at the
    /// order.
    fn may_match_ascii(&self, word: &str, mask: u64) -> bool {
        self.bytes.is_none() || (self.mask & !mask == 0 && self.may_match(word))
    }

    /// False when `word` cannot be a fuzzy match (an ASCII word without the query's
    /// characters in order); true when it may be.
    fn may_match(&self, word: &str) -> bool {
        let Some(needle) = &self.bytes else {
            return true;
        };
        if !word.is_ascii() {
            return true;
        }
        let mut rest = word.as_bytes().iter();
        if self.fold {
            needle
                .iter()
                .all(|&c| rest.any(|&w| w.to_ascii_lowercase() == c))
        } else {
            needle.iter().all(|&c| rest.any(|&w| w == c))
        }
    }
}

fn mask_of_bytes(b: &[u8]) -> u64 {
    std::str::from_utf8(b).map_or(0, mask_of)
}

/// Fuzzy matches and close spellings of `query`, best first, then by row.
pub(super) fn fuzzy(space: &Space, query: &str, fold: bool, progress: &Progress) -> Option<Found> {
    let case = if fold {
        CaseMatching::Ignore
    } else {
        CaseMatching::Respect
    };
    let atom = Atom::new(query, case, Normalization::Smart, AtomKind::Fuzzy, false);
    let mut buf = Vec::new();
    let best = atom
        .score(Utf32Str::new(query, &mut buf), &mut Matcher::new(config()))
        .map_or(0.0, f32::from);
    let close = CloseTo::new(query, fold);
    let needle = Needle::new(query, fold);
    let parts = in_blocks(space.len(), progress, |rows| {
        let mut matcher = Matcher::new(config());
        let mut buf = Vec::new();
        let mut scored: Vec<Scored> = Vec::new();
        for row in rows {
            if stop(row, progress) {
                return None;
            }
            let word = space.word(row);
            // One pass over an ASCII word rules out most words for both tests.
            let (may, distance) = match ascii_word_mask(word.as_bytes(), fold) {
                Some(mask) => (
                    needle.may_match_ascii(word, mask),
                    close.distance_ascii(word, mask),
                ),
                None => (needle.may_match(word), close.distance(word)),
            };
            let fuzzy = may
                .then(|| atom.score(Utf32Str::new(word, &mut buf), &mut matcher))
                .flatten()
                .map(f32::from);
            let typo = distance.map(|d| best - PER_EDIT * d as f32);
            let score = match (fuzzy, typo) {
                (Some(a), Some(b)) => a.max(b),
                (a, b) => match a.or(b) {
                    Some(s) => s,
                    None => continue,
                },
            };
            scored.push((score + prior(row), row as u32));
        }
        let total = scored.len();
        keep_best(&mut scored);
        Some((total, scored))
    })?;
    let total = parts.iter().map(|p| p.0).sum();
    let mut scored: Vec<Scored> = parts.into_iter().flat_map(|p| p.1).collect();
    keep_best(&mut scored);
    Some(Found {
        hits: scored.into_iter().map(|(_, row)| row).collect(),
        total,
        closest: false,
    })
}

/// Keeps the [`MAX_HITS`] best, sorted: higher score first, then the lower (more frequent) row.
fn keep_best(scored: &mut Vec<Scored>) {
    let order = |a: &Scored, b: &Scored| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1));
    if scored.len() > MAX_HITS {
        scored.select_nth_unstable_by(MAX_HITS - 1, order);
        scored.truncate(MAX_HITS);
    }
    scored.sort_unstable_by(order);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_quick_test_agrees_with_the_matcher() {
        let words = [
            "king", "KinG", "walking", "kg", "gk", "k-i-n-g", "kïng", "北京",
        ];
        for (query, fold) in [("kng", true), ("Kng", false), ("k", true), ("北", true)] {
            let case = if fold {
                CaseMatching::Ignore
            } else {
                CaseMatching::Respect
            };
            let atom = Atom::new(query, case, Normalization::Smart, AtomKind::Fuzzy, false);
            let needle = Needle::new(query, fold);
            let mut m = Matcher::new(config());
            let mut buf = Vec::new();
            for w in words {
                let matched = atom.score(Utf32Str::new(w, &mut buf), &mut m).is_some();
                // The quick test never rules out a match.
                assert!(needle.may_match(w) || !matched, "{query} {w}");
                if w.is_ascii() && query.is_ascii() {
                    assert_eq!(needle.may_match(w), matched, "{query} {w}");
                    let mask = ascii_word_mask(w.as_bytes(), fold).unwrap();
                    assert_eq!(needle.may_match_ascii(w, mask), matched, "{query} {w}");
                }
            }
        }
    }

    #[test]
    fn frequency_weighs_a_little() {
        assert_eq!(prior(0), 6.0 * PER_DECADE);
        assert!((prior(99) - 4.0 * PER_DECADE).abs() < 1e-4);
        assert_eq!(prior(5_000_000), 0.0);
        // A thousand times as frequent: a little more than one edit.
        assert!(prior(9) - prior(9999) > PER_EDIT);
        assert!(prior(9) - prior(999) < PER_EDIT);
    }

    #[test]
    fn keeps_the_best_in_order() {
        let mut v: Vec<Scored> = (0..3000).map(|i| ((i % 7) as f32, i as u32)).collect();
        keep_best(&mut v);
        assert_eq!(v.len(), MAX_HITS);
        assert_eq!(v[0], (6.0, 6));
        assert_eq!(v[1], (6.0, 13));
        assert!(v.windows(2).all(|w| w[0].0 > w[1].0 || w[0].1 < w[1].1));
    }
}
