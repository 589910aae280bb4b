//! Measuring an index against the exact answers: recall@k and query times.
use super::Hnsw;
use crate::query::{top_k, Hit};
use crate::space::Space;
use std::time::Instant;

/// Recall and timings of an index over a set of query rows.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Measured {
    /// Queries measured.
    pub queries: usize,
    /// Mean fraction of the exact top k that the index found.
    pub recall: f64,
    /// Median time of one exact search (through the int8 pre-filter), in milliseconds.
    pub exact_median_ms: f64,
    /// Time of the first exact search (it builds the int8 copy), in milliseconds.
    pub exact_first_ms: f64,
    /// Median time of one index search, candidates scored exactly, in milliseconds.
    pub index_median_ms: f64,
}

fn median(mut v: Vec<f64>) -> f64 {
    if v.is_empty() {
        return 0.0;
    }
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// Compares `index` with the exact search on the neighbours of `rows` (each row left out of
/// its own answer), `k` per query.
pub fn measure(space: &Space, index: &Hnsw, rows: &[u32], k: usize) -> Measured {
    let timed = |f: &dyn Fn() -> Vec<Hit>| {
        let t = Instant::now();
        let r = f();
        (r, t.elapsed().as_secs_f64() * 1e3)
    };
    let (mut exact_t, mut index_t) = (Vec::new(), Vec::new());
    let (mut found, mut total) = (0usize, 0usize);
    let mut exact_first_ms = 0.0;
    for (i, &row) in rows.iter().enumerate() {
        let q = space.unit(row as usize);
        let (exact, te) = timed(&|| top_k(space, q, k, &[row], None));
        if i == 0 {
            exact_first_ms = te;
        } else {
            exact_t.push(te);
        }
        let (got, ti) = timed(&|| {
            let mut c = index.search(space, q, k + 1);
            c.retain(|&r| r != row);
            c.truncate(k);
            c.into_iter()
                .map(|index| Hit { index, score: 0.0 })
                .collect()
        });
        index_t.push(ti);
        total += exact.len();
        found += exact
            .iter()
            .filter(|h| got.iter().any(|g| g.index == h.index))
            .count();
    }
    Measured {
        queries: rows.len(),
        recall: if total == 0 {
            1.0
        } else {
            found as f64 / total as f64
        },
        exact_median_ms: median(exact_t),
        exact_first_ms,
        index_median_ms: median(index_t),
    }
}
