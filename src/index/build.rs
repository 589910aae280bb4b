//! Building an HNSW graph over the unit rows of a space, in parallel: rows are inserted
//! concurrently (each row's link lists sit behind their own lock), as in hnswlib.
use super::search::{beam, greedy, score, Beam, Links, Scored, Visited};
use crate::error::{Error, Result};
use crate::jobs::{Progress, ProgressExt};
use crate::query::dot_fast;
use crate::space::Space;
use rayon::prelude::*;
use std::cell::RefCell;
use std::sync::{Mutex, MutexGuard};

/// Settings of an index build.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Params {
    /// Links per row on the upper layers (twice as many on layer 0).
    pub m: usize,
    /// Beam width while building; wider is slower and gives a better graph.
    pub ef_construction: usize,
    /// Seed of the random layer assignment.
    pub seed: u64,
}

impl Default for Params {
    fn default() -> Self {
        Params {
            m: 16,
            ef_construction: super::DEFAULT_EF_CONSTRUCTION,
            seed: 1,
        }
    }
}

/// Highest layer a row can get.
const MAX_LAYER: usize = 15;

/// A finished graph, flat: what the file stores.
pub(crate) struct Graph {
    pub(crate) m: usize,
    pub(crate) m0: usize,
    pub(crate) ef_construction: usize,
    pub(crate) entry: u32,
    pub(crate) top: usize,
    /// `rows × m0` links, `u32::MAX` where unused.
    pub(crate) layer0: Vec<u32>,
    /// Rows on layer 1 and above: (row, its layers' links, `m` each, `u32::MAX` where unused).
    pub(crate) upper: Vec<(u32, Vec<u32>)>,
}

/// The graph while rows are being inserted.
struct Building {
    m: usize,
    m0: usize,
    ef: usize,
    levels: Vec<u8>,
    layer0: Vec<Mutex<Vec<u32>>>,
    /// Per row: its lists on layers 1..=level.
    upper: Vec<Vec<Mutex<Vec<u32>>>>,
    entry: u32,
    top: usize,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panic while a list was held leaves a valid list; keep going.
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

impl Links for Building {
    fn neighbours(&self, row: u32, layer: usize, out: &mut Vec<u32>) {
        let list = if layer == 0 {
            &self.layer0[row as usize]
        } else {
            &self.upper[row as usize][layer - 1]
        };
        out.extend_from_slice(&lock(list));
    }
}

/// Visit marks of one thread's searches: a mark per row, a new generation per search.
#[derive(Default)]
struct Stamps {
    marks: Vec<u32>,
    generation: u32,
}

impl Stamps {
    fn next(&mut self, rows: usize) {
        if self.marks.len() != rows || self.generation == u32::MAX {
            self.marks = vec![0; rows];
            self.generation = 0;
        }
        self.generation += 1;
    }
}

impl Visited for Stamps {
    fn first(&mut self, row: u32) -> bool {
        let m = &mut self.marks[row as usize];
        let first = *m != self.generation;
        *m = self.generation;
        first
    }
}

thread_local! {
    static STAMPS: RefCell<Stamps> = RefCell::new(Stamps::default());
}

/// The layer of every row: `⌊−ln(U)/ln(m)⌋`, seeded.
fn levels(rows: usize, m: usize, seed: u64) -> Vec<u8> {
    let ml = 1.0 / (m.max(2) as f64).ln();
    let mut state = seed ^ 0x9E37_79B9_7F4A_7C15;
    (0..rows)
        .map(|_| {
            // splitmix64
            state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = state;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            z ^= z >> 31;
            let u = ((z >> 11) as f64 + 0.5) / (1u64 << 53) as f64;
            ((-u.ln() * ml).floor() as usize).min(MAX_LAYER) as u8
        })
        .collect()
}

/// The heuristic of the HNSW paper: take candidates best first, keeping one only when it is
/// closer to the base than to every row kept so far (which spreads the links out).
fn select(space: &Space, sorted: &[Scored], m: usize) -> Vec<u32> {
    let mut out: Vec<u32> = Vec::with_capacity(m);
    for c in sorted {
        if out.len() >= m {
            break;
        }
        let v = space.unit(c.row as usize);
        if out
            .iter()
            .all(|&r| dot_fast(v, space.unit(r as usize)) < c.score)
        {
            out.push(c.row);
        }
    }
    out
}

/// Cuts `list` (the links of `from`) to `cap` with the heuristic, when it is longer.
fn prune(space: &Space, from: u32, list: &mut Vec<u32>, cap: usize) {
    if list.len() <= cap {
        return;
    }
    let base = space.unit(from as usize);
    let mut cands: Vec<Scored> = list
        .iter()
        .map(|&row| Scored {
            score: score(space, base, row),
            row,
        })
        .collect();
    cands.sort_unstable_by(|a, b| b.cmp(a));
    *list = select(space, &cands, cap);
}

impl Building {
    fn list(&self, row: u32, layer: usize) -> &Mutex<Vec<u32>> {
        if layer == 0 {
            &self.layer0[row as usize]
        } else {
            &self.upper[row as usize][layer - 1]
        }
    }

    /// Adds a link `from → to` on `layer`, pruning `from`'s list when it is full.
    fn connect(&self, space: &Space, from: u32, to: u32, layer: usize) {
        let cap = if layer == 0 { self.m0 } else { self.m };
        let mut list = lock(self.list(from, layer));
        if list.contains(&to) {
            return;
        }
        list.push(to);
        prune(space, from, &mut list, cap);
    }

    fn insert(&self, space: &Space, row: u32, stamps: &mut Stamps) {
        let level = usize::from(self.levels[row as usize]);
        let query = space.unit(row as usize);
        let mut buf = Vec::new();
        let mut ep = Scored {
            score: score(space, query, self.entry),
            row: self.entry,
        };
        for layer in (level + 1..=self.top).rev() {
            ep = greedy(self, space, query, ep, layer, &mut buf);
        }
        let mut entry = vec![ep];
        for layer in (0..=level.min(self.top)).rev() {
            stamps.next(self.levels.len());
            stamps.first(row);
            let b = Beam {
                space,
                query,
                ef: self.ef,
                layer,
            };
            let mut found = beam(self, &b, &entry, stamps, &mut buf);
            found.sort_unstable_by(|a, b| b.cmp(a));
            let chosen = select(space, &found, self.m);
            {
                let cap = if layer == 0 { self.m0 } else { self.m };
                let mut own = lock(self.list(row, layer));
                let add: Vec<u32> = chosen
                    .iter()
                    .copied()
                    .filter(|c| !own.contains(c))
                    .collect();
                own.extend(add);
                prune(space, row, &mut own, cap);
            }
            for &c in &chosen {
                self.connect(space, c, row, layer);
            }
            if !found.is_empty() {
                entry = found;
            }
        }
    }
}

/// Builds the graph over all rows of `space`. Progress counts inserted rows; cancelling it
/// stops the build with [`Error::Interrupted`].
pub(crate) fn build(space: &Space, params: &Params, progress: Option<&Progress>) -> Result<Graph> {
    let rows = space.len();
    if rows == 0 || rows > u32::MAX as usize - 1 || params.m < 2 {
        return Err(Error::Invalid(format!(
            "cannot index {rows} rows with M = {}",
            params.m
        )));
    }
    // The graph reads every row many times in random order: rows read in place from a file
    // (`Matrix::in_file`) are decoded once, all together, rather than one by one.
    space.matrix().as_slice();
    let levels = levels(rows, params.m, params.seed);
    let entry = (0..rows)
        .max_by_key(|&r| (levels[r], std::cmp::Reverse(r)))
        .unwrap_or(0);
    let top = usize::from(levels[entry]);
    let g = Building {
        m: params.m,
        m0: params.m * 2,
        ef: params.ef_construction.max(params.m),
        layer0: (0..rows).map(|_| Mutex::new(Vec::new())).collect(),
        upper: levels
            .iter()
            .map(|&l| (0..l).map(|_| Mutex::new(Vec::new())).collect())
            .collect(),
        levels,
        entry: entry as u32,
        top,
    };
    progress.set_total(rows as u64);
    progress.add(1);
    (0..rows as u32)
        .into_par_iter()
        .with_min_len(64)
        .filter(|&r| r as usize != entry)
        .try_for_each(|r| {
            progress.check()?;
            STAMPS.with(|s| g.insert(space, r, &mut s.borrow_mut()));
            progress.add(1);
            Ok::<(), Error>(())
        })
        .map_err(|_| Error::Interrupted)?;
    Ok(flatten(g))
}

fn flatten(g: Building) -> Graph {
    let (m, m0) = (g.m, g.m0);
    let mut layer0 = vec![u32::MAX; g.layer0.len() * m0];
    for (row, list) in g.layer0.into_iter().enumerate() {
        let list = list
            .into_inner()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let n = list.len().min(m0);
        layer0[row * m0..row * m0 + n].copy_from_slice(&list[..n]);
    }
    let mut upper = Vec::new();
    for (row, layers) in g.upper.into_iter().enumerate() {
        if layers.is_empty() {
            continue;
        }
        let mut links = vec![u32::MAX; layers.len() * m];
        for (l, list) in layers.into_iter().enumerate() {
            let list = list
                .into_inner()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            let n = list.len().min(m);
            links[l * m..l * m + n].copy_from_slice(&list[..n]);
        }
        upper.push((row as u32, links));
    }
    Graph {
        m,
        m0,
        ef_construction: g.ef,
        entry: g.entry,
        top: g.top,
        layer0,
        upper,
    }
}
