//! The vectors a layout works on (unit length, so cosine = dot product) and their exact
//! nearest neighbours by cosine, found by blocked matrix products.
use crate::error::{Error, Result};
use crate::space::Space;
use rayon::prelude::*;

/// Unit-length rows of one dimension, row-major.
#[derive(Debug, Clone, PartialEq)]
pub struct Rows {
    dim: usize,
    data: Vec<f32>,
}

impl Rows {
    /// The unit vectors of `rows` of `space`, in that order.
    pub fn from_space(space: &Space, rows: &[u32]) -> Result<Self> {
        let n = space.len();
        let mut data = Vec::with_capacity(rows.len() * space.dim());
        for &r in rows {
            if r as usize >= n {
                return Err(Error::Invalid(format!("row {r} is outside the space")));
            }
            data.extend_from_slice(space.unit(r as usize));
        }
        Self::new(space.dim(), data)
    }

    /// Rows from raw vectors, scaled to unit length (zero vectors stay zero).
    pub fn from_vectors(vectors: &[&[f32]]) -> Result<Self> {
        let dim = vectors.first().map_or(0, |v| v.len());
        if vectors.iter().any(|v| v.len() != dim) {
            return Err(Error::Invalid(
                "a layout needs vectors of one dimension".into(),
            ));
        }
        let mut data = Vec::with_capacity(vectors.len() * dim);
        for v in vectors {
            let norm = crate::space::l2_norm(v);
            let s = if norm > 0.0 { 1.0 / norm } else { 0.0 };
            data.extend(v.iter().map(|x| x * s));
        }
        Self::new(dim, data)
    }

    fn new(dim: usize, data: Vec<f32>) -> Result<Self> {
        if data.iter().any(|x| !x.is_finite()) {
            return Err(Error::Invalid(
                "a layout of a vector that is not finite".into(),
            ));
        }
        Ok(Rows { dim, data })
    }

    /// Number of rows.
    pub fn len(&self) -> usize {
        self.data.len().checked_div(self.dim).unwrap_or(0)
    }

    /// True without rows.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Dimension of the rows.
    pub fn dim(&self) -> usize {
        self.dim
    }

    /// All rows, one after the other.
    pub fn as_slice(&self) -> &[f32] {
        &self.data
    }

    /// Row `i`.
    pub fn row(&self, i: usize) -> &[f32] {
        &self.data[i * self.dim..(i + 1) * self.dim]
    }

    /// The rows as slices (for PCA).
    pub fn slices(&self) -> Vec<&[f32]> {
        (0..self.len()).map(|i| self.row(i)).collect()
    }
}

/// The `k` nearest neighbours of every row, self excluded: `index[i*k..][..k]` sorted by
/// ascending distance (ties by row), with their distances.
#[derive(Debug, Clone, PartialEq)]
pub struct Knn {
    /// Neighbours per row.
    pub k: usize,
    /// Row numbers, `k` per row.
    pub index: Vec<u32>,
    /// Distances, `k` per row.
    pub dist: Vec<f32>,
}

impl Knn {
    /// The neighbours of row `i`.
    pub fn of(&self, i: usize) -> &[u32] {
        &self.index[i * self.k..(i + 1) * self.k]
    }

    /// The distances to the neighbours of row `i`.
    pub fn dist_of(&self, i: usize) -> &[f32] {
        &self.dist[i * self.k..(i + 1) * self.k]
    }

    /// The same graph cut to the first `k` neighbours of each row.
    pub fn truncate(&self, k: usize) -> Knn {
        let k = k.min(self.k);
        let n = self.index.len().checked_div(self.k).unwrap_or(0);
        let mut out = Knn {
            k,
            index: Vec::with_capacity(n * k),
            dist: Vec::with_capacity(n * k),
        };
        for i in 0..n {
            out.index.extend_from_slice(&self.of(i)[..k]);
            out.dist.extend_from_slice(&self.dist_of(i)[..k]);
        }
        out
    }
}

/// Keeps the `k` smallest (distance, row) pairs seen, sorted.
pub(crate) struct TopK {
    k: usize,
    items: Vec<(f32, u32)>,
}

impl TopK {
    pub(crate) fn new(k: usize) -> Self {
        TopK {
            k,
            items: Vec::with_capacity(k + 1),
        }
    }

    #[inline]
    pub(crate) fn push(&mut self, d: f32, j: u32) {
        if self.items.len() == self.k {
            match self.items.last() {
                Some(&last) if (d, j) < last => {}
                _ => return,
            }
        }
        let at = self.items.partition_point(|&e| e < (d, j));
        self.items.insert(at, (d, j));
        self.items.truncate(self.k);
    }

    pub(crate) fn items(&self) -> &[(f32, u32)] {
        &self.items
    }
}

const BLOCK: usize = 64;

/// Exact `k` nearest neighbours of every row by cosine distance (1 − cos), in parallel over
/// blocks of rows; `k` is capped at `len − 1`.
pub fn cosine_knn(rows: &Rows, k: usize) -> Knn {
    let n = rows.len();
    let k = k.min(n.saturating_sub(1));
    let dim = rows.dim();
    let blocks: Vec<Vec<TopK>> = (0..n.div_ceil(BLOCK))
        .into_par_iter()
        .map(|b| {
            let start = b * BLOCK;
            let m = BLOCK.min(n - start);
            let mut scores = vec![0.0f32; m * n];
            gemm_abt(
                &rows.data[start * dim..(start + m) * dim],
                &rows.data,
                m,
                n,
                dim,
                &mut scores,
            );
            (0..m)
                .map(|r| {
                    let mut top = TopK::new(k);
                    for (j, &s) in scores[r * n..(r + 1) * n].iter().enumerate() {
                        if j != start + r {
                            top.push(1.0 - s, j as u32);
                        }
                    }
                    top
                })
                .collect()
        })
        .collect();
    let mut out = Knn {
        k,
        index: Vec::with_capacity(n * k),
        dist: Vec::with_capacity(n * k),
    };
    for top in blocks.iter().flatten() {
        out.index.extend(top.items().iter().map(|e| e.1));
        out.dist.extend(top.items().iter().map(|e| e.0));
    }
    out
}

/// `c = a · bᵀ` for row-major `a` (m × dim) and `b` (n × dim).
fn gemm_abt(a: &[f32], b: &[f32], m: usize, n: usize, dim: usize, c: &mut [f32]) {
    assert!(a.len() >= m * dim && b.len() >= n * dim && c.len() >= m * n);
    if m == 0 || n == 0 {
        return;
    }
    // SAFETY: the assertion above proves that every index sgemm touches is inside the three
    // slices: a is m×dim with strides (dim, 1), bᵀ is dim×n read with strides (1, dim) from
    // an n×dim buffer, and c is m×n with strides (n, 1); c does not alias a or b (it is a
    // unique borrow).
    unsafe {
        matrixmultiply::sgemm(
            m,
            dim,
            n,
            1.0,
            a.as_ptr(),
            dim as isize,
            1,
            b.as_ptr(),
            1,
            dim as isize,
            0.0,
            c.as_mut_ptr(),
            n as isize,
            1,
        );
    }
}

/// Exact `k` nearest neighbours of every 2-D point by Euclidean distance, self excluded.
pub fn plane_knn(points: &[[f32; 2]], k: usize) -> Knn {
    let n = points.len();
    let k = k.min(n.saturating_sub(1));
    let tops: Vec<TopK> = (0..n)
        .into_par_iter()
        .map(|i| {
            let mut top = TopK::new(k);
            let [x, y] = points[i];
            for (j, p) in points.iter().enumerate() {
                if j != i {
                    let (dx, dy) = (p[0] - x, p[1] - y);
                    top.push(dx * dx + dy * dy, j as u32);
                }
            }
            top
        })
        .collect();
    let mut out = Knn {
        k,
        index: Vec::with_capacity(n * k),
        dist: Vec::with_capacity(n * k),
    };
    for top in &tops {
        out.index.extend(top.items().iter().map(|e| e.1));
        out.dist.extend(top.items().iter().map(|e| e.0.sqrt()));
    }
    out
}
