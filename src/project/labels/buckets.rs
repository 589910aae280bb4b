//! A grid of buckets over the picture for [`place_around`](super::place_around): the boxes
//! placed so far and the points' markers are filed under the cells they touch, so that "does
//! this box overlap a placed label?" and "does it cover a point?" look at a few cells near the
//! box instead of at every label and every point (thousands of points stay fast).
//!
//! Anything outside the grid is filed under the nearest edge cell (coordinates are clamped),
//! which keeps every answer exact: only the speed depends on the grid.
use super::Rect;

/// At most this many cells across or down; a larger picture gets larger cells.
const MAX_CELLS: f64 = 256.0;

/// Placed boxes and point markers, filed by cell.
pub(super) struct Buckets {
    origin: [f64; 2],
    /// Cell width and height.
    cell: [f64; 2],
    cols: usize,
    rows: usize,
    /// The boxes overlapping each cell, row by row.
    boxes: Vec<Vec<Rect>>,
    /// The points (label index, centre) whose centre lies in each cell, row by row.
    points: Vec<Vec<(usize, [f64; 2])>>,
}

impl Buckets {
    /// An empty grid over `bounds` with cells of about `size` × `size`.
    pub(super) fn new(bounds: &Rect, size: f64) -> Buckets {
        let size = if size.is_finite() && size > 0.0 {
            size
        } else {
            1.0
        };
        // Cells across a side of length `len`, and their size.
        let split = |len: f64| {
            if len.is_finite() && len > 0.0 {
                let n = (len / size).ceil().clamp(1.0, MAX_CELLS);
                (n as usize, len / n)
            } else {
                (1, 1.0)
            }
        };
        let (cols, w) = split(bounds.x1 - bounds.x0);
        let (rows, h) = split(bounds.y1 - bounds.y0);
        let origin = [bounds.x0, bounds.y0].map(|v| if v.is_finite() { v } else { 0.0 });
        Buckets {
            origin,
            cell: [w, h],
            cols,
            rows,
            boxes: vec![Vec::new(); cols * rows],
            points: vec![Vec::new(); cols * rows],
        }
    }

    /// The column (`axis` 0) or row (`axis` 1) of coordinate `v`, clamped to the grid
    /// (NaN goes to the first).
    fn index(&self, v: f64, axis: usize) -> usize {
        let last = if axis == 0 { self.cols } else { self.rows } - 1;
        let i = ((v - self.origin[axis]) / self.cell[axis]).floor();
        // `as` saturates and sends NaN to 0.
        (i.max(0.0) as usize).min(last)
    }

    /// The cells `r` touches, grown by `pad` on every side, as indices into the buckets.
    fn cells(&self, r: &Rect, pad: f64) -> impl Iterator<Item = usize> + '_ {
        // Edges in either order (a box given upside down still finds what it overlaps).
        let (c0, c1) = (r.x0.min(r.x1) - pad, r.x0.max(r.x1) + pad);
        let (r0, r1) = (r.y0.min(r.y1) - pad, r.y0.max(r.y1) + pad);
        let (c0, c1) = (self.index(c0, 0), self.index(c1, 0));
        let (r0, r1) = (self.index(r0, 1), self.index(r1, 1));
        (r0..=r1).flat_map(move |row| (c0..=c1).map(move |col| row * self.cols + col))
    }

    /// Files a placed box (a label, or a title labels keep clear of).
    pub(super) fn add_box(&mut self, r: Rect) {
        let cells: Vec<usize> = self.cells(&r, 0.0).collect();
        for c in cells {
            self.boxes[c].push(r);
        }
    }

    /// True when `r` overlaps a box filed before.
    pub(super) fn overlaps_box(&self, r: &Rect) -> bool {
        self.cells(r, 0.0)
            .any(|c| self.boxes[c].iter().any(|b| b.overlaps(r)))
    }

    /// Files the marker of point `id` (its label's index) centred at `at`.
    pub(super) fn add_point(&mut self, id: usize, at: [f64; 2]) {
        let c = self.index(at[1], 1) * self.cols + self.index(at[0], 0);
        self.points[c].push((id, at));
    }

    /// How many markers of `radius` other than point `except`'s the box `r` covers, counting
    /// no further than `limit`.
    pub(super) fn covered(&self, r: &Rect, radius: f64, except: usize, limit: usize) -> usize {
        let mut n = 0;
        for c in self.cells(r, radius.max(0.0)) {
            for &(id, at) in &self.points[c] {
                if id != except && r.covers_circle(at, radius) {
                    n += 1;
                    if n >= limit {
                        return n;
                    }
                }
            }
        }
        n
    }
}
