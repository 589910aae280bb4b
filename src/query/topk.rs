//! The one bounded top-k selection of embx: every scan (exact, int8 pre-filter, batch,
//! analogy evaluation, index re-ranking) keeps its best rows through [`TopK`], so all of
//! them rank and break ties the same way.
use super::knn::Hit;
use std::cmp::Ordering;
use std::collections::BinaryHeap;

/// Orders hits best first: higher score, then lower index. NaN never reaches a hit list.
pub(crate) fn rank(a: &Hit, b: &Hit) -> Ordering {
    b.score
        .total_cmp(&a.score)
        .then_with(|| a.index.cmp(&b.index))
}

/// A heap entry; the heap's maximum is the worst of the kept hits.
#[derive(Clone, Copy, PartialEq)]
struct Entry(Hit);

impl Eq for Entry {}

impl PartialOrd for Entry {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Entry {
    fn cmp(&self, other: &Self) -> Ordering {
        rank(&self.0, &other.0)
    }
}

/// Keeps the `k` best hits offered. Rows should be offered in increasing row order within
/// one selection (ties with the k-th best then lose, which keeps the lower row); selections
/// over disjoint row ranges are combined with [`TopK::merge`], which ranks ties by row.
///
/// A row only touches the heap when its score beats the current k-th best
/// ([`TopK::threshold`]); NaN scores are never kept. With a floor, only scores strictly above
/// it are kept.
#[derive(Clone)]
pub(crate) struct TopK {
    k: usize,
    heap: BinaryHeap<Entry>,
    threshold: f32,
    floor: bool,
}

impl TopK {
    /// An empty selection of the `k` best.
    pub(crate) fn new(k: usize) -> Self {
        TopK {
            k,
            heap: BinaryHeap::with_capacity(k.min(4096) + 1),
            threshold: f32::NEG_INFINITY,
            floor: false,
        }
    }

    /// An empty selection of the `k` best scores strictly above `floor`.
    pub(crate) fn with_floor(k: usize, floor: f32) -> Self {
        TopK {
            threshold: floor,
            floor: true,
            ..TopK::new(k)
        }
    }

    /// The number of hits asked for.
    pub(crate) fn k(&self) -> usize {
        self.k
    }

    /// Whether a row with `score` would be kept.
    #[inline(always)]
    pub(crate) fn wants(&self, score: f32) -> bool {
        score > self.threshold || (!self.floor && self.heap.len() < self.k && !score.is_nan())
    }

    /// Keeps row `index` with `score` if it is among the best so far.
    #[cfg(test)]
    pub(crate) fn offer(&mut self, index: u32, score: f32) {
        if self.wants(score) {
            self.push(index, score);
        }
    }

    /// Keeps row `index` with `score`; the caller checked [`TopK::wants`].
    pub(crate) fn push(&mut self, index: u32, score: f32) {
        if self.k == 0 {
            return;
        }
        // `+ 0.0` turns -0.0 into 0.0 so that total_cmp agrees with `>` on ties.
        let hit = Hit {
            index,
            score: score + 0.0,
        };
        if self.heap.len() < self.k {
            self.heap.push(Entry(hit));
        } else if let Some(mut worst) = self.heap.peek_mut() {
            *worst = Entry(hit);
        }
        if self.heap.len() == self.k {
            if let Some(worst) = self.heap.peek() {
                self.threshold = worst.0.score;
            }
        }
    }

    /// Offers rows `base..base + scores.len()`, skipping those `skip` names; a block with no
    /// score above the current threshold costs one vectorised pass.
    #[inline]
    pub(crate) fn offer_block(&mut self, scores: &[f32], base: u32, skip: impl Fn(u32) -> bool) {
        let thr = self.threshold;
        let full = self.floor || self.heap.len() >= self.k;
        if full && !scores.iter().fold(false, |acc, &x| acc | (x > thr)) {
            return;
        }
        for (j, &s) in scores.iter().enumerate() {
            let row = base + j as u32;
            if self.wants(s) && !skip(row) {
                self.push(row, s);
            }
        }
    }

    /// Adds the hits of a selection over other rows.
    pub(crate) fn merge(&mut self, other: TopK) {
        let mut hits = other.into_hits();
        hits.sort_unstable_by_key(|h| h.index);
        for h in hits {
            let worst = self.heap.peek().map(|e| e.0);
            if self.heap.len() < self.k {
                self.push(h.index, h.score);
            } else if let Some(w) = worst {
                if rank(&h, &w) == Ordering::Less {
                    self.push(h.index, h.score);
                }
            }
        }
    }

    /// The kept hits, best first (ties: lower row first).
    pub(crate) fn into_hits(self) -> Vec<Hit> {
        let mut v: Vec<Hit> = self.heap.into_iter().map(|e| e.0).collect();
        v.sort_unstable_by(rank);
        v
    }
}

/// Merges per-block best lists into the `k` best overall, best first.
pub(crate) fn merge_hits(mut all: Vec<Hit>, k: usize) -> Vec<Hit> {
    all.sort_unstable_by(rank);
    all.truncate(k);
    all
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scores(t: TopK) -> Vec<(u32, f32)> {
        t.into_hits().iter().map(|h| (h.index, h.score)).collect()
    }

    #[test]
    fn keeps_the_best_with_ties_to_the_lower_row() {
        let mut t = TopK::new(3);
        for (i, s) in [0.5, 0.9, f32::NAN, 0.9, 0.1, 0.7, 0.9]
            .into_iter()
            .enumerate()
        {
            t.offer(i as u32, s);
        }
        assert_eq!(scores(t), vec![(1, 0.9), (3, 0.9), (6, 0.9)]);
    }

    #[test]
    fn floor_and_blocks_and_merge_agree_with_a_sort() {
        let vals: Vec<f32> = (0..200u32)
            .map(|i| ((i * 37 % 101) as f32 / 50.0) - 1.0)
            .collect();
        let mut whole = TopK::with_floor(7, -0.5);
        whole.offer_block(&vals, 0, |r| r == 5);
        let mut a = TopK::with_floor(7, -0.5);
        a.offer_block(&vals[..90], 0, |r| r == 5);
        let mut b = TopK::with_floor(7, -0.5);
        b.offer_block(&vals[90..], 90, |_| false);
        b.merge(a);
        let mut want: Vec<(u32, f32)> = vals
            .iter()
            .enumerate()
            .filter(|&(i, &s)| i != 5 && s > -0.5)
            .map(|(i, &s)| (i as u32, s))
            .collect();
        want.sort_by(|x, y| y.1.total_cmp(&x.1).then(x.0.cmp(&y.0)));
        want.truncate(7);
        assert_eq!(scores(whole), want);
        assert_eq!(scores(b), want);
        assert!(TopK::with_floor(3, 2.0).into_hits().is_empty());
    }
}
