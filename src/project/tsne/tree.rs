//! The Barnes-Hut quadtree of t-SNE: cells summarised by their centre of mass, so the
//! repulsion on a point from a far cell is computed once for all its points.
use rayon::prelude::*;

const NONE: u32 = u32::MAX;
/// Cells smaller than this share of the root are not split further (near-duplicate points).
const MIN_SHARE: f64 = 1e-12;

#[derive(Debug, Clone)]
struct Node {
    com: [f64; 2],
    count: f64,
    /// Side length of the cell.
    width: f64,
    children: [u32; 4],
    /// For leaves, the range of `order` holding their points.
    points: (u32, u32),
}

/// A quadtree over one set of positions.
pub struct QuadTree<'a> {
    nodes: Vec<Node>,
    order: Vec<u32>,
    pos: &'a [[f64; 2]],
}

impl<'a> QuadTree<'a> {
    /// Builds the tree of `pos`.
    pub fn new(pos: &'a [[f64; 2]]) -> Self {
        let mut lo = [f64::INFINITY; 2];
        let mut hi = [f64::NEG_INFINITY; 2];
        for p in pos {
            for d in 0..2 {
                lo[d] = lo[d].min(p[d]);
                hi[d] = hi[d].max(p[d]);
            }
        }
        let width = (hi[0] - lo[0]).max(hi[1] - lo[1]).max(1e-12) * (1.0 + 1e-9);
        let mut tree = QuadTree {
            nodes: Vec::with_capacity(2 * pos.len() + 1),
            order: (0..pos.len() as u32).collect(),
            pos,
        };
        if !pos.is_empty() {
            let centre = [(lo[0] + hi[0]) / 2.0, (lo[1] + hi[1]) / 2.0];
            tree.build(centre, width, 0, pos.len(), width * MIN_SHARE);
        }
        tree
    }

    /// Adds the cell of `order[start..end]` (and its subtree); returns its node number.
    fn build(&mut self, centre: [f64; 2], width: f64, start: usize, end: usize, min: f64) -> u32 {
        let id = self.nodes.len() as u32;
        let mut com = [0.0; 2];
        for &i in &self.order[start..end] {
            com[0] += self.pos[i as usize][0];
            com[1] += self.pos[i as usize][1];
        }
        let count = (end - start) as f64;
        self.nodes.push(Node {
            com: [com[0] / count, com[1] / count],
            count,
            width,
            children: [NONE; 4],
            points: (start as u32, end as u32),
        });
        if end - start == 1 || width < min {
            return id;
        }
        // Sort the cell's points by quadrant (bit 0: right half, bit 1: upper half).
        let pos = self.pos;
        let quadrant = |i: u32| {
            let p = pos[i as usize];
            usize::from(p[0] >= centre[0]) | (usize::from(p[1] >= centre[1]) << 1)
        };
        self.order[start..end].sort_unstable_by_key(|&i| quadrant(i));
        let mut at = start;
        for q in 0..4 {
            let from = at;
            while at < end && quadrant(self.order[at]) == q {
                at += 1;
            }
            if at > from {
                let h = width / 4.0;
                let c = [
                    centre[0] + if q & 1 == 1 { h } else { -h },
                    centre[1] + if q & 2 == 2 { h } else { -h },
                ];
                let child = self.build(c, width / 2.0, from, at, min);
                self.nodes[id as usize].children[q] = child;
            }
        }
        id
    }

    /// The repulsive force on point `i` (unnormalised) and its share of the normalisation
    /// Z = Σ 1 / (1 + d²), with cells narrower than `theta` × distance summarised.
    fn repulsion(&self, i: usize, theta2: f64) -> [f64; 3] {
        let y = self.pos[i];
        let mut acc = [0.0f64; 3];
        let mut stack: Vec<u32> = Vec::with_capacity(64);
        if !self.nodes.is_empty() {
            stack.push(0);
        }
        while let Some(id) = stack.pop() {
            let node = &self.nodes[id as usize];
            let leaf = node.children == [NONE; 4];
            let (dx, dy) = (y[0] - node.com[0], y[1] - node.com[1]);
            let d2 = dx * dx + dy * dy;
            if leaf {
                for &j in &self.order[node.points.0 as usize..node.points.1 as usize] {
                    if j as usize != i {
                        let p = self.pos[j as usize];
                        add(&mut acc, y[0] - p[0], y[1] - p[1], 1.0);
                    }
                }
            } else if node.width * node.width < theta2 * d2 {
                add(&mut acc, dx, dy, node.count);
            } else {
                stack.extend(node.children.iter().filter(|&&c| c != NONE));
            }
        }
        acc
    }

    /// [`QuadTree::repulsion`] of every point, in parallel: forces and the total Z.
    pub fn repulsions(&self, theta: f64) -> (Vec<[f64; 2]>, f64) {
        let theta2 = theta * theta;
        let parts: Vec<[f64; 3]> = (0..self.pos.len())
            .into_par_iter()
            .map(|i| self.repulsion(i, theta2))
            .collect();
        let z = parts.iter().map(|p| p[2]).sum();
        (parts.iter().map(|p| [p[0], p[1]]).collect(), z)
    }
}

#[inline]
fn add(acc: &mut [f64; 3], dx: f64, dy: f64, count: f64) {
    let q = 1.0 / (1.0 + dx * dx + dy * dy);
    let m = count * q * q;
    acc[0] += m * dx;
    acc[1] += m * dy;
    acc[2] += count * q;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::project::rng::Rng;

    fn exact(pos: &[[f64; 2]]) -> (Vec<[f64; 2]>, f64) {
        let mut z = 0.0;
        let f = (0..pos.len())
            .map(|i| {
                let mut acc = [0.0; 3];
                for j in 0..pos.len() {
                    if i != j {
                        add(&mut acc, pos[i][0] - pos[j][0], pos[i][1] - pos[j][1], 1.0);
                    }
                }
                z += acc[2];
                [acc[0], acc[1]]
            })
            .collect();
        (f, z)
    }

    #[test]
    fn theta_zero_is_exact_and_half_is_close() {
        let mut r = Rng::new(3);
        let mut pos: Vec<[f64; 2]> = (0..300).map(|_| [r.normal() * 5.0, r.normal()]).collect();
        pos.push(pos[7]); // a duplicate
        let (want, wz) = exact(&pos);
        let tree = QuadTree::new(&pos);
        let (got, z) = tree.repulsions(0.0);
        assert!((z - wz).abs() < 1e-9 * wz);
        for (a, b) in got.iter().zip(&want) {
            assert!((a[0] - b[0]).abs() < 1e-9 && (a[1] - b[1]).abs() < 1e-9);
        }
        let (approx, az) = tree.repulsions(0.5);
        assert!((az - wz).abs() < 0.02 * wz, "{az} vs {wz}");
        let err: f64 = approx
            .iter()
            .zip(&want)
            .map(|(a, b)| (a[0] - b[0]).abs() + (a[1] - b[1]).abs())
            .sum();
        let size: f64 = want.iter().map(|b| b[0].abs() + b[1].abs()).sum();
        assert!(err < 0.05 * size, "{err} vs {size}");
    }
}
