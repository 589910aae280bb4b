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

/// A label of `width` × 15 at `at`, priority `priority`.
fn word(at: [f64; 2], width: f64, priority: i32) -> Label {
    Label {
        anchor: at,
        width,
        height: 15.0,
        priority,
    }
}

/// An unlabelled point: a marker, no box.
fn dot(at: [f64; 2]) -> Label {
    word(at, f64::NAN, 0)
}

/// The points (other than label `i`'s own) whose marker `r` covers, by brute force.
fn covered(labels: &[Label], i: usize, r: &Rect, marker: f64) -> Vec<usize> {
    (0..labels.len())
        .filter(|&j| j != i && r.covers_circle(labels[j].anchor, marker))
        .collect()
}

#[test]
fn circles_are_covered_where_the_box_reaches_them() {
    let r = Rect::at(10.0, 10.0, 50.0, 15.0);
    assert!(r.covers_circle([30.0, 20.0], 4.0)); // inside
    assert!(r.covers_circle([63.0, 20.0], 4.0)); // 3 right of the edge
    assert!(!r.covers_circle([64.0, 20.0], 4.0)); // touching
    assert!(!r.covers_circle([63.0, 28.0], 4.0)); // off the corner: 3 and 3 away
    assert!(r.covers_circle([62.0, 27.0], 4.0)); // 2 and 2 away
    assert!(r.covers_circle([30.0, 20.0], 0.0) && !r.covers_circle([10.0, 20.0], 0.0));
}

#[test]
fn a_point_where_the_label_would_go_moves_the_label() {
    let l = layout();
    // A dot in the usual spot (right and above, 106–156 × 279–294): the label goes right
    // and below.
    let placed = place(&[word([100.0, 300.0], 50.0, 0), dot([130.0, 285.0])], &l);
    assert_eq!(placed[0], Some(Rect::at(106.0, 306.0, 50.0, 15.0)));
    // A dot just off the usual spot's corner, clear of its circle: the label stays.
    let placed = place(&[word([100.0, 300.0], 50.0, 0), dot([159.0, 276.0])], &l);
    assert_eq!(placed[0], Some(Rect::at(106.0, 279.0, 50.0, 15.0)));
    // Dots on every side, as close as the farthest candidates: no spot is clear, and the
    // label is left out rather than drawn over a point.
    let mut crowd = vec![word([400.0, 300.0], 50.0, 0)];
    for dx in (-90..=90).step_by(8) {
        for dy in (-50..=50).step_by(8) {
            if (dx, dy) != (0, 0) {
                crowd.push(dot([400.0 + f64::from(dx), 300.0 + f64::from(dy)]));
            }
        }
    }
    assert_eq!(place(&crowd, &l)[0], None);
}

#[test]
fn a_label_that_must_cover_points_covers_the_fewest() {
    let l = Layout {
        marker: 2.0,
        ..layout()
    };
    // An important label in a lattice of dots, thicker on the right: every spot covers some.
    let mut labels = vec![word([400.0, 300.0], 40.0, 1)];
    for x in (300..=500).step_by(9) {
        for y in (230..=370).step_by(if x > 400 { 5 } else { 9 }) {
            labels.push(dot([f64::from(x) + 0.5, f64::from(y) + 0.5]));
        }
    }
    let counts: Vec<usize> = candidates(&labels[0], l.gap)
        .map(|r| covered(&labels, 0, &r, l.marker).len())
        .collect();
    let fewest = counts.iter().copied().min().unwrap();
    assert!(
        fewest > 0 && counts[0] > fewest,
        "{counts:?}: a test of nothing"
    );
    let best = candidates(&labels[0], l.gap).nth(counts.iter().position(|&n| n == fewest).unwrap());
    assert_eq!(place(&labels, &l)[0], best);
    // A dot's own (lowest-priority) label inside the lattice is left out, not drawn over it.
    let inner = labels
        .iter()
        .position(|d| d.anchor == [354.5, 302.5])
        .unwrap();
    labels[inner].width = 10.0;
    assert_eq!(place(&labels, &l)[inner], None);
}

#[test]
fn in_a_dense_cloud_no_label_covers_another_point() {
    for seed in 1..=20 {
        let mut r = XorShift::new(seed);
        let mut next = || f64::from(r.f32());
        // 3000 points over the picture, denser in the middle; every fifth unlabelled.
        let labels: Vec<Label> = (0..3000)
            .map(|i| {
                let spread = if i % 2 == 0 { 380.0 } else { 120.0 };
                let at = [400.0 + next() * spread, 300.0 + next() * spread * 0.7];
                let width = if i % 5 == 4 && i >= 10 {
                    f64::NAN
                } else {
                    20.0 + next().abs() * 60.0
                };
                word(at, width, i32::from(i < 10))
            })
            .collect();
        let l = layout();
        let placed = place(&labels, &l);
        assert_disjoint(&placed, &l.bounds);
        let kept = placed.iter().flatten().count();
        assert!(kept > 40 && kept < 2400, "seed {seed}: {kept}");
        // Every important label is kept; no other covers a point.
        assert!(placed[..10].iter().all(Option::is_some), "seed {seed}");
        for (i, p) in placed.iter().enumerate().skip(10) {
            if let Some(p) = p {
                let hit = covered(&labels, i, p, l.marker);
                assert!(
                    hit.is_empty(),
                    "seed {seed}: label {i} {p:?} covers {hit:?}"
                );
            }
        }
        // With one priority for all, none covers a point.
        let same: Vec<Label> = labels.iter().map(|l| Label { priority: 0, ..*l }).collect();
        for (i, p) in place(&same, &l).iter().enumerate() {
            if let Some(p) = p {
                assert!(
                    covered(&same, i, p, l.marker).is_empty(),
                    "seed {seed}: {i}"
                );
            }
        }
    }
}
