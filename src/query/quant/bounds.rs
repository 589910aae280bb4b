//! Running bounds of pass 1: the k largest lower bounds of a block and the threshold shared
//! between blocks.
use std::cmp::{Ordering, Reverse};
use std::collections::BinaryHeap;
use std::sync::atomic::{AtomicU32, Ordering as AtomicOrdering};

/// An f32 ordered by `total_cmp`.
#[derive(Clone, Copy, PartialEq)]
pub(crate) struct Total(pub(crate) f32);

impl Eq for Total {}

impl PartialOrd for Total {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Total {
    fn cmp(&self, other: &Self) -> Ordering {
        self.0.total_cmp(&other.0)
    }
}

/// The `k` largest lower bounds seen; `threshold` is the k-th (−∞ until there are k).
pub(crate) struct Lower {
    k: usize,
    pub(crate) heap: BinaryHeap<Reverse<Total>>,
    pub(crate) threshold: f32,
}

impl Lower {
    pub(crate) fn new(k: usize) -> Self {
        Lower {
            k,
            heap: BinaryHeap::with_capacity(k.min(4096) + 1),
            threshold: f32::NEG_INFINITY,
        }
    }

    /// Offers a lower bound; −∞ and NaN (no bound) are ignored.
    pub(crate) fn offer(&mut self, lb: f32) {
        if lb == f32::NEG_INFINITY || lb.is_nan() {
            return;
        }
        if self.heap.len() < self.k {
            self.heap.push(Reverse(Total(lb)));
        } else if lb > self.threshold {
            if let Some(mut min) = self.heap.peek_mut() {
                *min = Reverse(Total(lb));
            }
        } else {
            return;
        }
        if self.heap.len() == self.k {
            if let Some(min) = self.heap.peek() {
                self.threshold = min.0 .0;
            }
        }
    }
}

/// A threshold shared by the blocks of a scan: the largest block threshold seen so far, which
/// never exceeds the final `L`.
pub(crate) struct Shared(pub(crate) AtomicU32);

impl Shared {
    pub(crate) fn get(&self) -> f32 {
        f32::from_bits(self.0.load(AtomicOrdering::Relaxed))
    }

    pub(crate) fn raise(&self, t: f32) {
        let mut cur = self.0.load(AtomicOrdering::Relaxed);
        while t > f32::from_bits(cur) {
            match self.0.compare_exchange_weak(
                cur,
                t.to_bits(),
                AtomicOrdering::Relaxed,
                AtomicOrdering::Relaxed,
            ) {
                Ok(_) => break,
                Err(now) => cur = now,
            }
        }
    }
}

/// What pass 1 keeps of a block: its k largest lower bounds and the rows whose upper bound
/// reached the threshold in force when they were scanned.
pub(crate) struct Pass1 {
    pub(crate) lower: Vec<f32>,
    pub(crate) candidates: Vec<(u32, f32)>,
}

/// Runs pass 1 (`run`, given a block's number and tiles) over the blocks of `block_bytes`
/// of `tiles`, in parallel when asked and rayon has more than one thread, then keeps the rows
/// whose upper bound reaches `L`, the k-th largest lower bound over all blocks. `None` when
/// fewer than k rows were bounded or more than `max` survive (the exact scan is then cheaper).
pub(crate) fn survivors<F>(
    tiles: &[i8],
    block_bytes: usize,
    parallel: bool,
    (k, max): (usize, usize),
    run: F,
) -> Option<Vec<u32>>
where
    F: Fn((usize, &[i8])) -> Pass1 + Sync,
{
    let passes: Vec<Pass1> = if parallel && rayon::current_num_threads() > 1 {
        use rayon::prelude::*;
        let chunks = tiles.par_chunks(block_bytes);
        chunks.enumerate().map(&run).collect()
    } else {
        tiles.chunks(block_bytes).enumerate().map(&run).collect()
    };
    let mut lower: Vec<f32> = passes
        .iter()
        .flat_map(|p| p.lower.iter().copied())
        .collect();
    if k == 0 || lower.len() < k {
        return None;
    }
    lower.select_nth_unstable_by(k - 1, |a, b| b.total_cmp(a));
    let l = lower[k - 1];
    let rows: Vec<u32> = passes
        .iter()
        .flat_map(|p| p.candidates.iter())
        .filter(|c| c.1 >= l)
        .map(|c| c.0)
        .collect();
    (rows.len() <= max).then_some(rows)
}
