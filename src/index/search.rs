//! Searching an HNSW graph (Malkov & Yashunin 2018): a greedy descent through the upper
//! layers, then a beam search of width `ef` on the layer below. Scores are dot products of
//! unit vectors (cosines), higher is better.
use crate::query::dot_fast;
use crate::space::Space;
use std::cmp::{Ordering, Reverse};
use std::collections::BinaryHeap;

/// A row and its score, ordered by score (then row, so the order is total).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Scored {
    pub(crate) score: f32,
    pub(crate) row: u32,
}

impl Eq for Scored {}

impl PartialOrd for Scored {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Scored {
    fn cmp(&self, other: &Self) -> Ordering {
        self.score
            .total_cmp(&other.score)
            .then_with(|| other.row.cmp(&self.row))
    }
}

/// Read access to a graph's links.
pub(crate) trait Links {
    /// Appends the neighbours of `row` on `layer` to `out`.
    fn neighbours(&self, row: u32, layer: usize, out: &mut Vec<u32>);
}

/// Remembers which rows a search has scored.
pub(crate) trait Visited {
    /// True the first time `row` is seen.
    fn first(&mut self, row: u32) -> bool;
}

impl Visited for hashbrown::HashSet<u32> {
    fn first(&mut self, row: u32) -> bool {
        self.insert(row)
    }
}

/// The score of `row` for `query`. A NaN score (a row holding NaN) ranks last.
#[inline]
pub(crate) fn score(space: &Space, query: &[f32], row: u32) -> f32 {
    let s = dot_fast(query, space.unit(row as usize));
    if s.is_nan() {
        f32::NEG_INFINITY
    } else {
        s
    }
}

/// Prefetches the row of `rows[i]` (when there is one) while an earlier row is scored: a
/// graph's neighbours lie anywhere in memory, and a 300-dimensional row is 19 cache lines
/// that would otherwise each be waited for in turn.
#[inline(always)]
fn prefetch_ahead(space: &Space, rows: &[u32], i: usize) {
    if let Some(&r) = rows.get(i) {
        crate::space::prefetch(space.unit(r as usize));
    }
}

/// Greedy walk on `layer` from `start` to a local maximum.
pub(crate) fn greedy<L: Links>(
    links: &L,
    space: &Space,
    query: &[f32],
    mut best: Scored,
    layer: usize,
    buf: &mut Vec<u32>,
) -> Scored {
    loop {
        buf.clear();
        links.neighbours(best.row, layer, buf);
        let mut moved = false;
        prefetch_ahead(space, buf, 0);
        for (i, &n) in buf.iter().enumerate() {
            prefetch_ahead(space, buf, i + 1);
            let s = Scored {
                score: score(space, query, n),
                row: n,
            };
            if s > best {
                best = s;
                moved = true;
            }
        }
        if !moved {
            return best;
        }
    }
}

/// What a beam search needs besides its graph and scratch space.
pub(crate) struct Beam<'a> {
    pub(crate) space: &'a Space,
    pub(crate) query: &'a [f32],
    pub(crate) ef: usize,
    pub(crate) layer: usize,
}

/// The `ef` best rows found by a beam search on `layer` from `entry`, in no order.
pub(crate) fn beam<L: Links, V: Visited>(
    links: &L,
    b: &Beam,
    entry: &[Scored],
    visited: &mut V,
    buf: &mut Vec<u32>,
) -> Vec<Scored> {
    let (space, query, ef, layer) = (b.space, b.query, b.ef, b.layer);
    let mut todo: BinaryHeap<Scored> = BinaryHeap::with_capacity(ef * 2);
    let mut kept: BinaryHeap<Reverse<Scored>> = BinaryHeap::with_capacity(ef + 1);
    for &e in entry {
        if visited.first(e.row) {
            todo.push(e);
            kept.push(Reverse(e));
        }
    }
    while kept.len() > ef {
        kept.pop();
    }
    while let Some(c) = todo.pop() {
        let worst = kept.peek().map_or(f32::NEG_INFINITY, |w| w.0.score);
        if kept.len() >= ef && c.score < worst {
            break;
        }
        buf.clear();
        links.neighbours(c.row, layer, buf);
        buf.retain(|&n| visited.first(n));
        prefetch_ahead(space, buf, 0);
        for (i, &n) in buf.iter().enumerate() {
            prefetch_ahead(space, buf, i + 1);
            let s = Scored {
                score: score(space, query, n),
                row: n,
            };
            let worst = kept.peek().map_or(f32::NEG_INFINITY, |w| w.0.score);
            if kept.len() < ef || s.score > worst {
                todo.push(s);
                kept.push(Reverse(s));
                if kept.len() > ef {
                    kept.pop();
                }
            }
        }
    }
    kept.into_iter().map(|r| r.0).collect()
}

/// A whole search: descent from `entry` (on `top`) to layer 1, beam of width `ef` on layer 0.
/// Returns the found rows best first.
pub(crate) fn search<L: Links>(
    links: &L,
    space: &Space,
    query: &[f32],
    entry: u32,
    top: usize,
    ef: usize,
) -> Vec<Scored> {
    let mut buf = Vec::new();
    let mut best = Scored {
        score: score(space, query, entry),
        row: entry,
    };
    for layer in (1..=top).rev() {
        best = greedy(links, space, query, best, layer, &mut buf);
    }
    let mut visited = hashbrown::HashSet::with_capacity(ef * 16);
    let b = Beam {
        space,
        query,
        ef,
        layer: 0,
    };
    let mut found = beam(links, &b, &[best], &mut visited, &mut buf);
    found.sort_unstable_by(|a, b| b.cmp(a));
    found
}
