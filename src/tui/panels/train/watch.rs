//! Watch words: a few words whose top neighbours are refreshed from each snapshot of the
//! weights, with the neighbours that entered or left the list marked, and their positions on a
//! PCA plane that is fitted once (and again on demand) so that their trails mean something.
use crate::space::Space;

/// Neighbours listed per watch word.
pub const K: usize = 6;
/// Points kept per trail.
pub const TRAIL: usize = 40;
/// The share of a run from scratch during which the words are still near their random
/// starting positions: until then each snapshot fits the plane again and the trails restart,
/// so that no trail draws a line from a random start across the plot.
pub const WARMUP: f64 = 0.05;
/// How many default watch words.
const DEFAULT_WORDS: usize = 8;

/// One neighbour of a watch word.
#[derive(Debug, Clone, PartialEq)]
pub struct Neighbour {
    pub word: String,
    pub score: f32,
    /// Not in the previous refresh's list.
    pub new: bool,
}

/// A watch word and what the last refreshes showed.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct WatchRow {
    pub word: String,
    /// False when the word is not in the vocabulary being trained.
    pub known: bool,
    pub neighbours: Vec<Neighbour>,
    /// Words that were neighbours in the previous refresh and are not any more.
    pub left: Vec<String>,
    /// Positions on the plane, oldest first (at most [`TRAIL`]).
    pub trail: Vec<[f32; 2]>,
}

/// Frequent words spread over the frequency ranks (20, 40, 80, …), skipping tokens without
/// letters: the very top ranks are function words whose neighbours say little.
pub fn default_words(space: &Space) -> Vec<String> {
    let n = space.len();
    let good = |w: &str| w.chars().filter(|c| c.is_alphabetic()).count() >= 2;
    let mut words: Vec<String> = Vec::new();
    let mut rank = 20usize.min(n / 4);
    while words.len() < DEFAULT_WORDS && rank < n {
        if let Some(r) = (rank..n).find(|&r| {
            let w = space.word(r);
            good(w) && !words.iter().any(|x| x == w)
        }) {
            words.push(space.word(r).to_string());
            rank = (r + 1).max(rank * 2).max(1);
        } else {
            break;
        }
    }
    words
}

/// The neighbours a refresh found for one watch word (`None`: not in the vocabulary), with
/// its point on the plane.
#[derive(Debug, Clone, PartialEq)]
pub struct Found {
    pub word: String,
    pub neighbours: Option<Vec<(String, f32)>>,
    pub at: Option<[f32; 2]>,
}

/// True while a run from scratch (`scratch`) has done less than [`WARMUP`] of its `total`
/// words: its trails wait, and its plane is fitted again at each snapshot.
pub fn warming_up(scratch: bool, done: u64, total: u64) -> bool {
    scratch && total > 0 && (done as f64) < WARMUP * total as f64
}

/// Takes in a refresh: marks new neighbours and those that left, extends the trails.
/// Rows of words no longer watched are dropped; a trail restarts when `refit` is set.
pub fn refresh(rows: &mut Vec<WatchRow>, found: Vec<Found>, refit: bool) {
    let mut next = Vec::with_capacity(found.len());
    for f in found {
        let old = rows
            .iter()
            .position(|r| r.word == f.word)
            .map(|i| rows.swap_remove(i));
        let mut row = old.unwrap_or_else(|| WatchRow {
            word: f.word.clone(),
            ..WatchRow::default()
        });
        let first = row.neighbours.is_empty() && row.left.is_empty();
        row.known = f.neighbours.is_some();
        let list = f.neighbours.unwrap_or_default();
        let was: Vec<String> = row.neighbours.iter().map(|n| n.word.clone()).collect();
        row.left = was
            .iter()
            .filter(|w| !list.iter().any(|(x, _)| x == *w))
            .cloned()
            .collect();
        row.neighbours = list
            .into_iter()
            .map(|(word, score)| Neighbour {
                new: !first && !was.contains(&word),
                word,
                score,
            })
            .collect();
        if refit {
            row.trail.clear();
        }
        if let Some(at) = f.at {
            row.trail.push(at);
            if row.trail.len() > TRAIL {
                row.trail.remove(0);
            }
        }
        next.push(row);
    }
    *rows = next;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(word: &str, list: &[&str], x: f32) -> Found {
        Found {
            word: word.into(),
            neighbours: Some(list.iter().map(|w| (w.to_string(), 0.5)).collect()),
            at: Some([x, 0.0]),
        }
    }

    #[test]
    fn marks_entered_and_left() {
        let mut rows = Vec::new();
        refresh(&mut rows, vec![found("cat", &["dog", "cow"], 0.0)], false);
        assert!(rows[0].neighbours.iter().all(|n| !n.new));
        refresh(&mut rows, vec![found("cat", &["dog", "pig"], 1.0)], false);
        let r = &rows[0];
        assert_eq!(r.left, vec!["cow".to_string()]);
        assert!(!r.neighbours[0].new && r.neighbours[1].new);
        assert_eq!(r.trail, vec![[0.0, 0.0], [1.0, 0.0]]);
        refresh(&mut rows, vec![found("cat", &["dog", "pig"], 2.0)], true);
        assert!(rows[0].left.is_empty() && rows[0].neighbours.iter().all(|n| !n.new));
        assert_eq!(rows[0].trail.len(), 1);
    }

    #[test]
    fn trails_wait_for_the_words_to_leave_their_random_start() {
        assert!(warming_up(true, 0, 1000));
        assert!(warming_up(true, 49, 1000));
        assert!(!warming_up(true, 50, 1000));
        // Continuing trained vectors: no random start to wait for.
        assert!(!warming_up(false, 0, 1000));
        assert!(!warming_up(true, 0, 0));
    }
}
