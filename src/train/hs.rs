//! Hierarchical softmax: word2vec's Huffman tree and its update.
//!
//! The tree is built from the counts exactly as word2vec's `CreateBinaryTree` does (the two
//! lightest nodes are merged, leaves before inner nodes on ties; the second one taken gets
//! code 1). A word's path runs from the root down: `points` are the inner nodes passed
//! (0 = the root's row is `vocab − 2`), `codes` the branch taken at each. The output matrix
//! has one row per inner node (`vocab − 1` rows are used).
use super::hot::HotRows;
use super::sgns::{axpy, dot, MAX_EXP};
use super::shared::{Rows, SharedMatrix};

/// The Huffman codes and inner-node paths of a vocabulary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Huffman {
    /// All words' codes, one after the other (0 or 1, from the root down).
    codes: Vec<u8>,
    /// All words' inner nodes, in the same layout as `codes`.
    points: Vec<u32>,
    /// Word `w`'s code and path are `starts[w]..starts[w + 1]`.
    starts: Vec<usize>,
}

impl Huffman {
    /// Builds the tree of `counts`, which must be sorted by count descending (the training
    /// vocabulary's order), as word2vec does. One word gets an empty path.
    pub fn new(counts: &[u64]) -> Huffman {
        let n = counts.len();
        if n < 2 {
            return Huffman {
                codes: Vec::new(),
                points: Vec::new(),
                starts: vec![0; n + 1],
            };
        }
        // Nodes 0..n are the leaves (counts descending), n.. the inner nodes in creation order
        // (weights ascending): the two lightest are always at the ends of the two runs.
        let mut weight: Vec<u64> = counts.to_vec();
        weight.resize(2 * n - 1, u64::MAX);
        let mut parent = vec![0usize; 2 * n - 1];
        let mut binary = vec![0u8; 2 * n - 1];
        let (mut leaf, mut inner) = (n as isize - 1, n);
        let mut take = |weight: &[u64]| {
            if leaf >= 0 && weight[leaf as usize] < weight[inner] {
                leaf -= 1;
                (leaf + 1) as usize
            } else {
                inner += 1;
                inner - 1
            }
        };
        for a in 0..n - 1 {
            let min1 = take(&weight);
            let min2 = take(&weight);
            weight[n + a] = weight[min1].saturating_add(weight[min2]);
            parent[min1] = n + a;
            parent[min2] = n + a;
            binary[min2] = 1;
        }
        let root = 2 * n - 2;
        let (mut codes, mut points, mut starts) = (Vec::new(), Vec::new(), vec![0]);
        let (mut code, mut point) = (Vec::new(), Vec::new());
        for w in 0..n {
            code.clear();
            point.clear();
            let mut b = w;
            while b != root {
                code.push(binary[b]);
                b = parent[b];
                point.push((b - n) as u32);
            }
            codes.extend(code.iter().rev());
            points.extend(point.iter().rev());
            starts.push(codes.len());
        }
        Huffman {
            codes,
            points,
            starts,
        }
    }

    /// Word `w`'s codes and inner nodes, from the root down.
    #[inline(always)]
    pub fn path(&self, w: u32) -> (&[u8], &[u32]) {
        let r = self.starts[w as usize]..self.starts[w as usize + 1];
        (&self.codes[r.clone()], &self.points[r])
    }

    /// Words.
    pub fn len(&self) -> usize {
        self.starts.len() - 1
    }

    /// True for an empty vocabulary.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// One hierarchical-softmax step on a local row: `o` is the inner node's output row, `code`
/// the branch. Adds `alpha · ∂(log p)/∂h` to `grad_h` and updates `o`; like word2vec, does
/// nothing when `h·o` is beyond ±`MAX_EXP`. Returns the loss `−log σ((1 − 2·code)·h·o)`
/// (computed exactly, also when clipped) with `with_loss`, else 0.
#[inline(always)]
pub fn node_step(
    h: &[f32],
    o: &mut [f32],
    code: u8,
    alpha: f32,
    grad_h: &mut [f32],
    with_loss: bool,
) -> f32 {
    let f = dot(h, o);
    let e = (-f.abs()).exp();
    if f.abs() < MAX_EXP {
        let sigma = if f >= 0.0 {
            1.0 / (1.0 + e)
        } else {
            e / (1.0 + e)
        };
        let g = (1.0 - f32::from(code) - sigma) * alpha;
        axpy(grad_h, g, o);
        axpy(o, g, h);
    }
    if with_loss {
        let signed = if code == 0 { -f } else { f };
        signed.max(0.0) + e.ln_1p()
    } else {
        0.0
    }
}

/// The hierarchical-softmax updates of hidden vector `h` predicting `word`: fills `grad` with
/// the input side's gradient (times alpha) and updates the inner nodes' rows in place (through
/// the row operations `k`). The same arithmetic as [`node_step`] on a copy of each row, but a
/// node beyond the clip is only read: like word2vec and gensim, nothing is written back and
/// no exponential is taken unless the loss is asked for. Returns the loss with `with_loss`,
/// else 0.
#[inline(always)]
#[allow(
    clippy::too_many_arguments,
    reason = "the hot loop's buffers, kept apart"
)]
pub(crate) fn update<R: Rows>(
    k: R,
    out: &SharedMatrix,
    tree: &Huffman,
    word: u32,
    h: &[f32],
    alpha: f32,
    grad: &mut [f32],
    with_loss: bool,
    mut hot: Option<&mut HotRows>,
) -> f32 {
    grad.fill(0.0);
    let (codes, points) = tree.path(word);
    let mut loss = 0.0;
    // The dot products of (a batch of) the path come before its updates, so that the rows'
    // loads overlap: the nodes are distinct rows and `h` does not change along the path, so
    // each product is the one word2vec's node-by-node loop takes.
    let mut fs = [0.0f32; PATH_BATCH];
    for (codes, points) in codes.chunks(PATH_BATCH).zip(points.chunks(PATH_BATCH)) {
        for (f, &node) in fs.iter_mut().zip(points) {
            *f = match hot.as_deref_mut().and_then(|t| t.get_mut(node as usize)) {
                Some(o) => k.dot_local(o, h),
                None => k.dot(out, node as usize, h),
            };
        }
        for ((&code, &node), &f) in codes.iter().zip(points).zip(&fs) {
            if f.abs() < MAX_EXP {
                let e = (-f.abs()).exp();
                let sigma = if f >= 0.0 {
                    1.0 / (1.0 + e)
                } else {
                    e / (1.0 + e)
                };
                let g = (1.0 - f32::from(code) - sigma) * alpha;
                match hot.as_deref_mut().and_then(|t| t.get_mut(node as usize)) {
                    Some(o) => k.step_local(o, g, h, grad),
                    None => k.step(out, node as usize, g, h, grad),
                }
                if with_loss {
                    let signed = if code == 0 { -f } else { f };
                    loss += signed.max(0.0) + e.ln_1p();
                }
            } else if with_loss {
                let signed = if code == 0 { -f } else { f };
                loss += signed.max(0.0) + (-f.abs()).exp().ln_1p();
            }
        }
    }
    loss
}

/// Nodes of a path whose dot products are taken together.
const PATH_BATCH: usize = 32;

/// Inner nodes nearest the root that each worker keeps its own copy of when several train
/// together ([`HotRows`]; the root is on every path, its children on half of them, …). Two
/// threads of skip-gram on the bench corpus, one epoch, alternating runs with the cores close
/// together: 10.39–10.55 s with none kept, 8.95–9.04 s with 64, 9.03–9.86 s with 256,
/// 10.00–10.29 s with 2,048 (one thread: 14.3–15.0 s).
pub(crate) const HOT_NODES: usize = 64;

/// The inner nodes kept per worker: the [`HOT_NODES`] nearest the root (the root's row is
/// the last inner node's, `vocab − 2`).
pub(crate) fn hot_nodes(tree: &Huffman) -> std::ops::Range<usize> {
    let inner = tree.len().saturating_sub(1);
    inner.saturating_sub(HOT_NODES)..inner
}

#[cfg(test)]
mod tests;
