//! The watch words' neighbours in the live view of a continued run, without a scan of every
//! row at each refresh.
//!
//! Rows outside the corpus never change during the run (see [`Live::view`]). For each watch
//! word the last full scan keeps its query `q0`, the best [`KEPT`] unchanged rows and `τ0`,
//! the best score at `q0` of any other unchanged row. Later, for the query `q` of the moment,
//! an unchanged row `u` not kept scores `q·u = q0·u + (q − q0)·u ≤ τ0 + ‖q − q0‖` (unit rows).
//! So scoring the kept rows and the corpus's rows exactly gives the exact top k whenever its
//! k-th score is above `τ0 + ‖q − q0‖` (plus a margin for the f32 rounding of the scores); a
//! word whose vector moved too far is scanned in full again.
use super::Live;
use crate::query::topk::rank;
use crate::query::{dot_fast, top_k_batch, Hit};
use crate::space::Space;
use std::sync::atomic::Ordering::Relaxed;

/// Unchanged rows kept per watch word.
const KEPT: usize = 2048;
/// Covers the rounding of f32 dot products of unit vectors of up to a few thousand
/// dimensions (`(d + 2)·2^-24` each) and of the distance.
const MARGIN: f64 = 1e-3;

/// What the last full scan of one watch word found.
pub(super) struct Kept {
    q0: Vec<f32>,
    rows: Vec<u32>,
    tau0: f32,
}

impl Live {
    /// The top `k` neighbours (score, row) of each of `rows` in `view`, best first, the row
    /// itself left out: the answers of [`top_k_batch`] on `view` (same rows, order and
    /// scores). `view` must come from [`Live::view`] of this run. In a continued run most
    /// refreshes score only the corpus's rows and a few thousand kept rows per word instead
    /// of scanning every row (see the module's notes).
    pub fn neighbours(&self, view: &Space, rows: &[usize], k: usize) -> Vec<Vec<(f32, usize)>> {
        let changed = match &self.base {
            Some((_, changed)) if view.matrix().is_patched() && k > 0 => changed.clone(),
            _ => return row_neighbours(view, rows, k),
        };
        let Ok(mut kept) = self.watch.lock() else {
            return row_neighbours(view, rows, k);
        };
        let mut out: Vec<Option<Vec<(f32, usize)>>> = rows
            .iter()
            .map(|&r| kept.get(&r).and_then(|e| e.answer(view, r, &changed, k)))
            .collect();
        let missing: Vec<usize> = rows
            .iter()
            .zip(&out)
            .filter(|(_, a)| a.is_none())
            .map(|(&r, _)| r)
            .collect();
        if !missing.is_empty() {
            self.rescans.fetch_add(missing.len(), Relaxed);
            for (r, e) in missing.iter().zip(rescan(view, &missing, &changed)) {
                kept.insert(*r, e);
            }
            // The answer from the fresh scan (at distance 0), or a plain scan when even that
            // cannot decide (a word with thousands of rows as close as its k-th).
            let mut plain = Vec::new();
            for (o, &r) in out.iter_mut().zip(rows) {
                if o.is_none() {
                    *o = kept.get(&r).and_then(|e| e.answer(view, r, &changed, k));
                    if o.is_none() {
                        plain.push(r);
                    }
                }
            }
            let mut scanned = row_neighbours(view, &plain, k).into_iter();
            for o in out.iter_mut().filter(|o| o.is_none()) {
                *o = scanned.next();
            }
        }
        out.into_iter().map(Option::unwrap_or_default).collect()
    }
}

impl Live {
    /// How many full scans [`Live::neighbours`] made so far (one per word and scan).
    pub fn watch_rescans(&self) -> usize {
        self.rescans.load(Relaxed)
    }
}

impl Kept {
    /// The exact top `k` of row `r` if the kept rows and the changed rows decide it.
    fn answer(
        &self,
        view: &Space,
        r: usize,
        changed: &[u32],
        k: usize,
    ) -> Option<Vec<(f32, usize)>> {
        let q = view.unit(r);
        let moved: f64 = q
            .iter()
            .zip(&self.q0)
            .map(|(a, b)| (f64::from(*a) - f64::from(*b)).powi(2))
            .sum::<f64>()
            .sqrt();
        let mut hits: Vec<Hit> = self
            .rows
            .iter()
            .chain(changed)
            .filter(|&&i| i as usize != r)
            .filter_map(|&index| {
                let score = dot_fast(view.unit(index as usize), q);
                (!score.is_nan()).then_some(Hit {
                    index,
                    score: score + 0.0,
                })
            })
            .collect();
        if hits.len() < k && self.tau0 > f32::NEG_INFINITY {
            return None;
        }
        let kth = hits.len().min(k);
        if kth > 0 {
            hits.select_nth_unstable_by(kth - 1, rank);
        }
        hits.truncate(kth);
        hits.sort_unstable_by(rank);
        let bound = f64::from(self.tau0) + moved + MARGIN;
        let decided = hits.len() == k && f64::from(hits[k - 1].score) > bound
            || self.tau0 == f32::NEG_INFINITY;
        decided.then(|| {
            hits.into_iter()
                .map(|h| (h.score, h.index as usize))
                .collect()
        })
    }
}

/// Full scans of the unchanged rows for `rows`: the best [`KEPT`] and the next score.
fn rescan(view: &Space, rows: &[usize], changed: &[u32]) -> Vec<Kept> {
    let queries: Vec<Vec<f32>> = rows.iter().map(|&r| view.unit(r).to_vec()).collect();
    let excludes: Vec<Vec<u32>> = rows
        .iter()
        .map(|&r| {
            let mut e = changed.to_vec();
            e.push(r as u32);
            e
        })
        .collect();
    top_k_batch(view, &queries, KEPT + 1, &excludes, None)
        .into_iter()
        .zip(queries)
        .map(|(mut hits, q0)| {
            // Fewer rows than asked for: no row is left out of the kept ones.
            let tau0 = if hits.len() > KEPT {
                hits.pop().map_or(f32::NEG_INFINITY, |h| h.score)
            } else {
                f32::NEG_INFINITY
            };
            Kept {
                q0,
                rows: hits.into_iter().map(|h| h.index).collect(),
                tau0,
            }
        })
        .collect()
}

/// The top `k` neighbours (cosine, row) of each of `rows`, best first, the row itself left
/// out: the library's batch top-k over every row, one query per row (the plain answer the
/// watch cache must equal).
pub fn row_neighbours(space: &Space, rows: &[usize], k: usize) -> Vec<Vec<(f32, usize)>> {
    let queries: Vec<Vec<f32>> = rows.iter().map(|&r| space.unit(r).to_vec()).collect();
    let excludes: Vec<Vec<u32>> = rows.iter().map(|&r| vec![r as u32]).collect();
    top_k_batch(space, &queries, k, &excludes, None)
        .into_iter()
        .map(|hits| {
            hits.into_iter()
                .map(|h| (h.score, h.index as usize))
                .collect()
        })
        .collect()
}
