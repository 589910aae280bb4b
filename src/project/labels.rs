//! Label placement for scatter plots: every label goes next to its point where it overlaps no
//! label placed before it, or is left out. Used by the SVG and PNG exports (pixels) and meant
//! for the terminal scatter and the train panel's plane (cells): the units are the caller's,
//! with y growing downwards as on a screen.
//!
//! Greedy, by priority (then input order): for each label, candidate boxes around its anchor
//! are tried in a fixed order — right and above (the usual spot), right and below, left and
//! above, left and below, right, left, above, below — first at the normal gap, then at twice
//! and four times that distance. The first candidate inside the bounds that overlaps no placed
//! label and covers no other point's marker (the circle drawn for it: every anchor is a point,
//! labelled or not) wins. A label with no such candidate is dropped (`None`): a word over
//! another word's dot reads as a mistake, and higher-priority labels, placed first, are the
//! ones kept when space runs out. Only labels of a higher priority than the lowest (the words
//! a picture is about, among their context) fall back on the free candidate that covers the
//! fewest markers rather than go missing. Labels side by side keep `spacing` apart.
//!
//! Placed boxes and markers are kept in a grid of buckets, so a candidate is checked against
//! what lies near it only: thousands of labels are placed in milliseconds.
//!
//! [`cells`] places labels on a grid of terminal cells by the same rule, for the explorer.
mod buckets;
pub mod cells;

use buckets::Buckets;

/// An axis-aligned box: `x0 ≤ x1`, `y0 ≤ y1`, y growing downwards.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rect {
    /// Left edge.
    pub x0: f64,
    /// Top edge.
    pub y0: f64,
    /// Right edge.
    pub x1: f64,
    /// Bottom edge.
    pub y1: f64,
}

impl Rect {
    /// The box of `width` × `height` whose top-left corner is `(x, y)`.
    pub fn at(x: f64, y: f64, width: f64, height: f64) -> Rect {
        Rect {
            x0: x,
            y0: y,
            x1: x + width,
            y1: y + height,
        }
    }

    /// True when the interiors intersect (touching edges do not count).
    pub fn overlaps(&self, o: &Rect) -> bool {
        self.x0 < o.x1 && o.x0 < self.x1 && self.y0 < o.y1 && o.y0 < self.y1
    }

    /// True when the box covers part of the circle of `radius` around `c` (touching does not
    /// count; a circle of radius 0 is covered when `c` lies strictly inside the box).
    pub fn covers_circle(&self, c: [f64; 2], radius: f64) -> bool {
        if radius > 0.0 {
            let dx = (self.x0 - c[0]).max(c[0] - self.x1).max(0.0);
            let dy = (self.y0 - c[1]).max(c[1] - self.y1).max(0.0);
            dx * dx + dy * dy < radius * radius
        } else {
            self.x0 < c[0] && c[0] < self.x1 && self.y0 < c[1] && c[1] < self.y1
        }
    }

    /// True when `self` lies within `outer` (edges included).
    pub fn inside(&self, outer: &Rect) -> bool {
        self.x0 >= outer.x0 && self.x1 <= outer.x1 && self.y0 >= outer.y0 && self.y1 <= outer.y1
    }
}

/// One label to place.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Label {
    /// The point the label belongs to.
    pub anchor: [f64; 2],
    /// Width of the label's box, in the caller's units.
    pub width: f64,
    /// Height of the label's box, in the caller's units.
    pub height: f64,
    /// Higher is placed first (e.g. selected words before their context).
    pub priority: i32,
}

/// Where labels may go.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Layout {
    /// Labels must lie inside this box.
    pub bounds: Rect,
    /// Distance between a point and its label (horizontally and vertically).
    pub gap: f64,
    /// The radius of a point's marker, a circle around every anchor: no label covers
    /// another point's marker (see [`place`] for the one exception).
    pub marker: f64,
    /// Labels side by side are at least this far apart, so that two short words do not read
    /// as one ("elder" "cousin" as "eldercousin"): about a space's width.
    pub spacing: f64,
}

/// The box of every label, in the order given, or `None` where a label was left out. Boxes
/// never overlap one another and always lie inside `layout.bounds`.
pub fn place(labels: &[Label], layout: &Layout) -> Vec<Option<Rect>> {
    place_around(labels, layout, &[])
}

/// [`place`], with boxes already taken (titles, a legend) that labels must not overlap.
pub fn place_around(labels: &[Label], layout: &Layout, taken: &[Rect]) -> Vec<Option<Rect>> {
    let finite = |l: &Label| l.anchor.iter().all(|v| v.is_finite());
    // Cells about a label high (and no smaller than a marker): a box looks at a few of them.
    let height = labels
        .iter()
        .filter(|l| finite(l) && l.height.is_finite())
        .map(|l| l.height)
        .fold(2.0 * layout.marker, f64::max);
    let mut grid = Buckets::new(&layout.bounds, height);
    for (i, l) in labels.iter().enumerate().filter(|(_, l)| finite(l)) {
        grid.add_point(i, l.anchor);
    }
    for r in taken {
        grid.add_box(*r);
    }
    let mut order: Vec<usize> = (0..labels.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(labels[i].priority));
    let lowest = labels.iter().map(|l| l.priority).min().unwrap_or(0);
    let mut out = vec![None; labels.len()];
    for i in order {
        let l = &labels[i];
        if !(finite(l) && l.width >= 0.0 && l.height >= 0.0) {
            continue;
        }
        if let Some(r) = choose(i, l, layout, &grid, l.priority > lowest) {
            grid.add_box(r);
            out[i] = Some(r);
        }
    }
    out
}

/// The box for label `i`: the first candidate inside the bounds that overlaps no placed box
/// (kept `spacing` apart side by side) and covers no other point's marker; failing that, when
/// the label may `cover` points, the free candidate covering the fewest (the first of those).
fn choose(i: usize, l: &Label, layout: &Layout, grid: &Buckets, cover: bool) -> Option<Rect> {
    let free = |r: &Rect| {
        let wide = Rect {
            x0: r.x0 - layout.spacing,
            x1: r.x1 + layout.spacing,
            ..*r
        };
        r.inside(&layout.bounds) && !grid.overlaps_box(&wide)
    };
    let mut fallback: Option<(usize, Rect)> = None;
    for r in candidates(l, layout.gap).filter(free) {
        // Counting stops at one for a label that may not cover, and at the best so far.
        let limit = if cover {
            fallback.map_or(usize::MAX, |(n, _)| n)
        } else {
            1
        };
        match grid.covered(&r, layout.marker, i, limit) {
            0 => return Some(r),
            n if cover && n < limit => fallback = Some((n, r)),
            _ => {}
        }
    }
    fallback.map(|(_, r)| r)
}

/// The candidate boxes of `l`, in the order they are tried.
fn candidates(l: &Label, gap: f64) -> impl Iterator<Item = Rect> + '_ {
    let (w, h) = (l.width, l.height);
    let [x, y] = l.anchor;
    [1.0, 2.0, 4.0].into_iter().flat_map(move |k| {
        let g = gap * k;
        [
            (x + g, y - g - h),
            (x + g, y + g),
            (x - g - w, y - g - h),
            (x - g - w, y + g),
            (x + g, y - h / 2.0),
            (x - g - w, y - h / 2.0),
            (x - w / 2.0, y - g - h),
            (x - w / 2.0, y + g),
        ]
        .into_iter()
        .map(move |(x0, y0)| Rect::at(x0, y0, w, h))
    })
}

#[cfg(test)]
mod tests;
