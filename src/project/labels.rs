//! Label placement for scatter plots: every label goes next to its point where it overlaps no
//! label placed before it, or is left out. Used by the SVG and PNG exports (pixels) and meant
//! for the terminal scatter and the train panel's plane (cells): the units are the caller's,
//! with y growing downwards as on a screen.
//!
//! Greedy, by priority (then input order): for each label, candidate boxes around its anchor
//! are tried in a fixed order — right and above (the usual spot), right and below, left and
//! above, left and below, right, left, above, below — first at the normal gap, then at twice
//! and four times that distance. The first candidate inside the bounds that overlaps no placed
//! label and no point marker wins; failing that, the first that overlaps no placed label and
//! covers one marker at most (in a dense cluster a label over many points reads as clutter;
//! labels of a higher priority than the lowest may cover any number).
//! A label with no such candidate is dropped (`None`), so higher-priority labels are the ones
//! kept when space runs out. Labels side by side keep `spacing` apart.
//!
//! [`cells`] places labels on a grid of terminal cells by the same rule, for the explorer.
pub mod cells;

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
    /// Half the size of a point marker: labels avoid the square of this half-size around
    /// every anchor when they can.
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
    let mut order: Vec<usize> = (0..labels.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(labels[i].priority));
    let m = layout.marker;
    let markers: Vec<Rect> = labels
        .iter()
        .filter(|l| l.anchor.iter().all(|v| v.is_finite()))
        .map(|l| Rect {
            x0: l.anchor[0] - m,
            y0: l.anchor[1] - m,
            x1: l.anchor[0] + m,
            y1: l.anchor[1] + m,
        })
        .collect();
    let lowest = labels.iter().map(|l| l.priority).min().unwrap_or(0);
    let mut placed: Vec<Rect> = taken.to_vec();
    let mut out = vec![None; labels.len()];
    for i in order {
        let l = &labels[i];
        if !(l.anchor.iter().all(|v| v.is_finite()) && l.width >= 0.0 && l.height >= 0.0) {
            continue;
        }
        let fits = |r: &Rect| {
            let wide = Rect {
                x0: r.x0 - layout.spacing,
                x1: r.x1 + layout.spacing,
                ..*r
            };
            r.inside(&layout.bounds) && !placed.iter().any(|p| p.overlaps(&wide))
        };
        // How many point markers a box covers (two or more: counted as two). The labels that
        // rank above others (the selected words among their context) may cover any number.
        let covers = |r: &Rect| markers.iter().filter(|k| k.overlaps(r)).take(2).count();
        let may_cover = if l.priority > lowest { 2 } else { 1 };
        let chosen = candidates(l, layout.gap)
            .find(|r| fits(r) && covers(r) == 0)
            .or_else(|| candidates(l, layout.gap).find(|r| fits(r) && covers(r) <= may_cover));
        if let Some(r) = chosen {
            placed.push(r);
            out[i] = Some(r);
        }
    }
    out
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
mod tests {
    use super::*;
    use crate::query::test_util::XorShift;

    fn layout() -> Layout {
        Layout {
            bounds: Rect::at(0.0, 0.0, 800.0, 600.0),
            gap: 6.0,
            marker: 4.0,
            spacing: 0.0,
        }
    }

    fn assert_disjoint(rects: &[Option<Rect>], bounds: &Rect) {
        let kept: Vec<&Rect> = rects.iter().flatten().collect();
        for (i, a) in kept.iter().enumerate() {
            assert!(a.inside(bounds), "{a:?} outside");
            for b in &kept[i + 1..] {
                assert!(!a.overlaps(b), "{a:?} overlaps {b:?}");
            }
        }
    }

    #[test]
    fn sparse_labels_sit_right_and_above() {
        let labels: Vec<Label> = (0..5)
            .map(|i| Label {
                anchor: [100.0 + 120.0 * i as f64, 300.0],
                width: 50.0,
                height: 15.0,
                priority: 0,
            })
            .collect();
        let placed = place(&labels, &layout());
        for (l, r) in labels.iter().zip(&placed) {
            let r = r.unwrap();
            assert_eq!((r.x0, r.y1), (l.anchor[0] + 6.0, l.anchor[1] - 6.0));
        }
    }

    #[test]
    fn a_dense_cluster_never_overlaps_and_keeps_the_important_labels() {
        for seed in 1..=20 {
            let mut r = XorShift::new(seed);
            let labels: Vec<Label> = (0..150)
                .map(|i| Label {
                    anchor: [
                        400.0 + f64::from(r.f32()) * 120.0,
                        300.0 + f64::from(r.f32()) * 90.0,
                    ],
                    width: 20.0 + f64::from(r.f32().abs()) * 60.0,
                    height: 15.0,
                    priority: i32::from(i < 10),
                })
                .collect();
            let placed = place(&labels, &layout());
            assert_disjoint(&placed, &layout().bounds);
            assert!(placed[..10].iter().all(Option::is_some), "seed {seed}");
            assert!(placed.iter().flatten().count() > 30, "seed {seed}");
            assert!(
                placed.iter().any(Option::is_none),
                "seed {seed}: all 150 fit?"
            );
            let title = Rect::at(380.0, 280.0, 40.0, 40.0);
            let around = place_around(&labels, &layout(), &[title]);
            assert_disjoint(&around, &layout().bounds);
            assert!(around.iter().flatten().all(|r| !r.overlaps(&title)));
            // Each label stays near its point.
            for (l, p) in labels.iter().zip(&placed).filter(|(_, p)| p.is_some()) {
                let p = p.unwrap();
                let dx = (l.anchor[0] - p.x0).abs().min((l.anchor[0] - p.x1).abs());
                let dy = (l.anchor[1] - p.y0).abs().min((l.anchor[1] - p.y1).abs());
                assert!(dx <= 24.0 + l.width && dy <= 24.0 + l.height, "{l:?} {p:?}");
            }
        }
    }

    #[test]
    fn labels_move_off_the_edges_and_bad_input_is_dropped() {
        let l = layout();
        let labels = [
            // At the right edge: goes left.
            Label {
                anchor: [795.0, 300.0],
                width: 40.0,
                height: 15.0,
                priority: 0,
            },
            // At the top edge: goes below.
            Label {
                anchor: [200.0, 2.0],
                width: 40.0,
                height: 15.0,
                priority: 0,
            },
            Label {
                anchor: [f64::NAN, 2.0],
                width: 40.0,
                height: 15.0,
                priority: 0,
            },
            // Wider than the picture.
            Label {
                anchor: [400.0, 300.0],
                width: 900.0,
                height: 15.0,
                priority: 0,
            },
        ];
        let placed = place(&labels, &l);
        assert!(placed[0].unwrap().x1 <= 795.0);
        assert!(placed[1].unwrap().y0 >= 2.0);
        assert_eq!(placed[2], None);
        assert_eq!(placed[3], None);
        assert_disjoint(&placed, &l.bounds);
    }

    #[test]
    fn terminal_cells() {
        // Cells: gap 1, height 1; five labels on one row, two columns apart.
        let cells = Layout {
            bounds: Rect::at(0.0, 0.0, 40.0, 10.0),
            gap: 1.0,
            marker: 0.5,
            spacing: 0.0,
        };
        let labels: Vec<Label> = (0..5)
            .map(|i| Label {
                anchor: [10.0 + 2.0 * i as f64, 5.0],
                width: 5.0,
                height: 1.0,
                priority: 0,
            })
            .collect();
        let placed = place(&labels, &cells);
        assert_disjoint(&placed, &cells.bounds);
        assert!(placed.iter().flatten().count() >= 4, "{placed:?}");
    }
}
