//! Label placement on a grid of terminal cells: the terminal scatter's labels, one row high,
//! with the same rule as the pixel placement of [`super::place`] — greedy by priority, each
//! label in the first free spot around its point, or left out. A grid answers "is this cell
//! free?" at once, so thousands of points can be labelled every frame.
//!
//! Spots are tried in this order: right of the point on its row, left of it, then right and
//! left on the row above and the row below, then centred above and below. A spot must lie
//! inside the grid and cover no placed label, with a free cell between it and any label on its
//! row (so two labels never read as one word); the first one that also covers no point wins,
//! else — for labels that [may cover points](CellLabel::cover) — the first that covers only
//! points (a label may hide a dot, never another label).

/// One label to place on the grid.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CellLabel {
    /// The cell (column, row) of the label's point.
    pub anchor: (u16, u16),
    /// Width of the label in cells (its display width).
    pub width: u16,
    /// Higher is placed first.
    pub priority: i64,
    /// May hide other points when there is no free spot (important labels); otherwise the
    /// label is left out rather than hide a point.
    pub cover: bool,
}

/// What a cell holds.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Cell {
    Free,
    Point,
    Label,
}

/// The cells of a `w` × `h` grid.
struct Grid {
    w: u16,
    h: u16,
    cells: Vec<Cell>,
}

impl Grid {
    fn span(&self, x: i32, y: i32, len: u16) -> Option<std::ops::Range<usize>> {
        if x < 0 || y < 0 || y >= i32::from(self.h) || x + i32::from(len) > i32::from(self.w) {
            return None;
        }
        let start = y as usize * self.w as usize + x as usize;
        Some(start..start + len as usize)
    }

    /// True when the cells just left and right of a label at `x`, `y` hold no label.
    fn apart(&self, x: i32, y: i32, len: u16) -> bool {
        [x - 1, x + i32::from(len)].into_iter().all(|c| {
            c < 0
                || c >= i32::from(self.w)
                || self.cells[y as usize * self.w as usize + c as usize] != Cell::Label
        })
    }
}

/// The top-left cell of every label, in the order given, or `None` where it was left out.
/// Placed labels never overlap one another and always lie inside the `w` × `h` grid;
/// `points` are the cells of every point drawn (labelled or not), avoided when possible.
pub fn place_cells(
    labels: &[CellLabel],
    w: u16,
    h: u16,
    points: &[(u16, u16)],
) -> Vec<Option<(u16, u16)>> {
    let mut grid = Grid {
        w,
        h,
        cells: vec![Cell::Free; w as usize * h as usize],
    };
    for &(x, y) in points.iter().filter(|(x, y)| *x < w && *y < h) {
        grid.cells[y as usize * w as usize + x as usize] = Cell::Point;
    }
    let mut order: Vec<usize> = (0..labels.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(labels[i].priority));
    let mut out = vec![None; labels.len()];
    for i in order {
        let l = labels[i];
        if l.width == 0 {
            continue;
        }
        let spots = spots(l);
        let fits = |only_free: bool| {
            spots.iter().find_map(|&(x, y)| {
                let span = grid.span(x, y, l.width)?;
                let ok = grid.cells[span.clone()].iter().all(|c| match c {
                    Cell::Free => true,
                    Cell::Point => !only_free,
                    Cell::Label => false,
                }) && grid.apart(x, y, l.width);
                ok.then_some((x as u16, y as u16, span))
            })
        };
        let found = fits(true).or_else(|| if l.cover { fits(false) } else { None });
        if let Some((x, y, span)) = found {
            grid.cells[span].fill(Cell::Label);
            out[i] = Some((x, y));
        }
    }
    out
}

/// The spots of `l` (top-left cells), in the order they are tried.
fn spots(l: CellLabel) -> [(i32, i32); 8] {
    let (x, y) = (i32::from(l.anchor.0), i32::from(l.anchor.1));
    let len = i32::from(l.width);
    [
        (x + 1, y),
        (x - len, y),
        (x + 1, y - 1),
        (x - len, y - 1),
        (x + 1, y + 1),
        (x - len, y + 1),
        (x - len / 2, y - 1),
        (x - len / 2, y + 1),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::test_util::XorShift;

    fn disjoint(labels: &[CellLabel], placed: &[Option<(u16, u16)>], w: u16, h: u16) {
        let mut taken = vec![false; w as usize * h as usize];
        for (l, p) in labels.iter().zip(placed) {
            let Some((x, y)) = *p else { continue };
            assert!(x + l.width <= w && y < h, "{l:?} at {p:?} outside");
            for c in x..x + l.width {
                let i = y as usize * w as usize + c as usize;
                assert!(!taken[i], "{l:?} at {p:?} overlaps");
                taken[i] = true;
            }
            // A free cell on either side.
            for c in [x.wrapping_sub(1), x + l.width] {
                if c < w {
                    let i = y as usize * w as usize + c as usize;
                    assert!(!taken[i], "{l:?} at {p:?} touches another label");
                }
            }
        }
    }

    #[test]
    fn a_lone_label_sits_right_of_its_point_or_left_at_the_edge() {
        let l = |x, w| CellLabel {
            anchor: (x, 3),
            width: w,
            priority: 0,
            cover: true,
        };
        let placed = place_cells(&[l(5, 4), l(38, 4)], 40, 8, &[(5, 3), (38, 3)]);
        assert_eq!(placed, vec![Some((6, 3)), Some((34, 3))]);
        // Wider than the grid, or empty: left out.
        assert_eq!(place_cells(&[l(5, 41), l(5, 0)], 40, 8, &[]), vec![None; 2]);
    }

    #[test]
    fn a_crowd_never_overlaps_and_keeps_the_important_labels() {
        for seed in 1..=20u64 {
            let mut r = XorShift::new(seed);
            let (w, h) = (60u16, 20u16);
            let labels: Vec<CellLabel> = (0..400)
                .map(|i| CellLabel {
                    anchor: (
                        (r.f32().abs() * 30.0) as u16 + 10,
                        (r.f32().abs() * 10.0) as u16 + 4,
                    ),
                    width: 3 + (r.f32().abs() * 8.0) as u16,
                    priority: if i % 50 == 7 { 10 } else { -(i as i64) },
                    cover: i % 50 == 7,
                })
                .collect();
            let points: Vec<(u16, u16)> = labels.iter().map(|l| l.anchor).collect();
            let placed = place_cells(&labels, w, h, &points);
            disjoint(&labels, &placed, w, h);
            let important = (0..400).filter(|i| i % 50 == 7);
            assert!(important.into_iter().all(|i| placed[i].is_some()), "{seed}");
            let kept = placed.iter().flatten().count();
            assert!(kept > 20 && kept < 400, "seed {seed}: {kept}");
            // Each label touches its point's row or a row next to it.
            for (l, p) in labels.iter().zip(&placed) {
                if let Some((_, y)) = p {
                    assert!(y.abs_diff(l.anchor.1) <= 1);
                }
            }
        }
    }

    #[test]
    fn labels_go_around_points_when_they_can() {
        // A point right of the anchor: the label goes left instead of covering it.
        let l = CellLabel {
            anchor: (10, 2),
            width: 3,
            priority: 0,
            cover: true,
        };
        assert_eq!(
            place_cells(&[l], 30, 5, &[(10, 2), (12, 2)]),
            vec![Some((7, 2))]
        );
        // Points everywhere: the label still goes in, over points only, if it may.
        let all: Vec<(u16, u16)> = (0..30).flat_map(|x| (0..5).map(move |y| (x, y))).collect();
        assert_eq!(place_cells(&[l], 30, 5, &all), vec![Some((11, 2))]);
        let shy = CellLabel { cover: false, ..l };
        assert_eq!(place_cells(&[shy], 30, 5, &all), vec![None]);
        // Two labels on one row keep a cell between them.
        let a = CellLabel {
            anchor: (2, 0),
            width: 3,
            priority: 1,
            cover: false,
        };
        let b = CellLabel {
            anchor: (7, 0),
            ..a
        };
        let placed = place_cells(&[a, b], 30, 1, &[(2, 0), (7, 0)]);
        assert_eq!(placed, vec![Some((3, 0)), Some((8, 0))]);
        let c = CellLabel {
            anchor: (5, 0),
            priority: 0,
            ..a
        };
        // Right of (5, 0) would touch a's label (cells 3–5), left would overlap it: on a
        // one-row grid c goes nowhere.
        assert_eq!(
            place_cells(&[a, c], 30, 1, &[(2, 0)]),
            vec![Some((3, 0)), None]
        );
    }
}
