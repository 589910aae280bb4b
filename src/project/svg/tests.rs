use super::*;

/// The picture frames the points, not the origin: a layout centred far from (0, 0)
/// fills it; one point, or points on a line, still give a finite scale.
#[test]
fn the_frame_is_the_points_own_box() {
    let at = |xy: &[[f32; 2]]| Plot {
        title: String::new(),
        x_title: String::new(),
        y_title: String::new(),
        points: xy
            .iter()
            .map(|&at| PlotPoint {
                at,
                label: "w".into(),
                faint: false,
                key: false,
            })
            .collect(),
        arrows: Vec::new(),
        clusters: None,
    };
    let (x0, x1, y0, y1, scale) = frame(&at(&[[10.0, 20.0], [14.0, 21.0]]), 800.0, 600.0, 50.0);
    assert_eq!((x0, x1, y0, y1), (10.0, 14.0, 20.0, 21.0));
    assert_eq!(scale, 700.0 / 4.0);
    for xy in [vec![[5.0, 5.0]], vec![[1.0, 2.0], [3.0, 2.0]], vec![]] {
        let (x0, x1, y0, y1, scale) = frame(&at(&xy), 800.0, 600.0, 50.0);
        assert!(x1 > x0 && y1 > y0 && scale.is_finite(), "{xy:?}");
    }
}

#[test]
fn escapes_and_draws_everything() {
    let plot = Plot {
        title: "t".into(),
        x_title: "PC1 (50.0 %)".into(),
        y_title: "PC2 (20.0 %)".into(),
        points: vec![
            PlotPoint {
                at: [1.0, 0.0],
                label: "a<b&c>\"".into(),
                faint: false,
                key: false,
            },
            PlotPoint {
                at: [-1.0, 0.5],
                label: "北京\u{1}".into(),
                faint: true,
                key: false,
            },
        ],
        arrows: vec![([1.0, 0.0], [-1.0, 0.5])],
        clusters: None,
    };
    let svg = render(&plot);
    assert!(svg.starts_with("<svg"));
    assert!(svg.trim_end().ends_with("</svg>"));
    assert!(svg.contains("a&lt;b&amp;c&gt;&quot;"));
    assert!(svg.contains("北京\\u{1}"));
    assert_eq!(svg.matches("<circle").count(), 2);
    assert!(svg.contains("marker-end"));
    assert!(svg.contains("PC2 (20.0 %)"));
    // The title is drawn, not only named for the document.
    assert!(svg.contains("<title>t</title>"));
    assert!(svg.contains("text-anchor=\"middle\" fill=\"#555\">t</text>"));
    assert!(!svg.contains("NaN"));
    // Empty plots are well-formed too.
    assert!(render(&Plot::default()).contains("</svg>"));
}

/// The boxes of the drawn labels, read back from the document (the coordinates are
/// written to 0.1, so each box is taken 0.1 smaller on every side).
fn drawn_labels(svg: &str) -> Vec<Rect> {
    let attr = |line: &str, name: &str| -> f64 {
        let start = line.find(&format!(" {name}=\"")).unwrap() + name.len() + 3;
        let end = start + line[start..].find('"').unwrap();
        line[start..end].parse().unwrap()
    };
    svg.lines()
        .filter(|l| l.starts_with("<text") && l.contains("textLength"))
        .map(|l| {
            let (x, base, w) = (attr(l, "x"), attr(l, "y"), attr(l, "textLength"));
            let top = base + FONT_SIZE * DESCENT - FONT_SIZE * LINE;
            Rect::at(x + 0.1, top + 0.1, w - 0.2, FONT_SIZE * LINE - 0.2)
        })
        .collect()
}

#[test]
fn labels_never_overlap() {
    let mut r = crate::query::test_util::XorShift::new(7);
    let points: Vec<PlotPoint> = (0..200)
        .map(|i| PlotPoint {
            at: [r.f32(), r.f32() * 0.3],
            label: format!("word{i}{}", if i % 7 == 0 { "北京" } else { "" }),
            faint: i >= 20,
            key: false,
        })
        .collect();
    let plot = Plot {
        title: "dense".into(),
        x_title: "PC1".into(),
        y_title: "PC2".into(),
        points,
        arrows: vec![],
        clusters: None,
    };
    let svg = render(&plot);
    let boxes = drawn_labels(&svg);
    assert!(boxes.len() > 40 && boxes.len() < 200, "{}", boxes.len());
    for (i, a) in boxes.iter().enumerate() {
        for b in &boxes[i + 1..] {
            assert!(!a.overlaps(b), "{a:?} overlaps {b:?}");
        }
    }
    // The selected words (not faint) all keep their labels.
    for i in 0..20 {
        assert!(svg.contains(&format!(">word{i}<")) || svg.contains(&format!(">word{i}北京<")));
    }
    assert_eq!(svg.matches("<circle").count(), 200);
}

#[test]
fn widths_grow_with_the_text() {
    assert!(text_width("mmm", 13.0) > text_width("iii", 13.0) * 2.0);
    assert!(text_width("北京", 13.0) >= 26.0);
    assert_eq!(text_width("", 13.0), 0.0);
}

#[test]
fn key_words_keep_their_labels_in_a_crowd() {
    // 60 words on top of one another: only a few labels fit; the last word is kept only
    // when it is a key word (an axis word).
    let crowd = |key: bool| Plot {
        points: (0..60)
            .map(|i| PlotPoint {
                at: [0.5 + i as f32 * 1e-4, 0.5],
                label: format!("neighbourword{i}"),
                faint: false,
                key: key && i == 59,
            })
            .collect(),
        ..Plot::default()
    };
    let placed = |plot: &Plot| {
        // In picture units, as `render` maps them: all near the middle.
        let points: Vec<(f64, f64)> = plot
            .points
            .iter()
            .map(|p| (f64::from(p.at[0]) * WIDTH, HEIGHT / 2.0))
            .collect();
        label_boxes(plot, &points)[59].is_some()
    };
    assert!(!placed(&crowd(false)));
    assert!(placed(&crowd(true)));
}

/// The centres of the drawn points, read back from the document.
fn drawn_points(svg: &str) -> Vec<[f64; 2]> {
    let attr = |line: &str, name: &str| -> f64 {
        let start = line.find(&format!(" {name}=\"")).unwrap() + name.len() + 3;
        let end = start + line[start..].find('"').unwrap();
        line[start..end].parse().unwrap()
    };
    svg.lines()
        .filter(|l| l.starts_with("<circle"))
        .map(|l| [attr(l, "cx"), attr(l, "cy")])
        .collect()
}

#[test]
fn no_label_covers_another_point() {
    for seed in 1..=5 {
        let mut r = crate::query::test_util::XorShift::new(seed);
        // Selected words among their (faint) context, then all of one priority.
        let points: Vec<PlotPoint> = (0..300)
            .map(|i| PlotPoint {
                at: [r.f32(), r.f32() * 0.5],
                label: format!("word{i}"),
                faint: i >= 10,
                key: false,
            })
            .collect();
        let mixed = Plot {
            points,
            ..Plot::default()
        };
        let mut same = mixed.clone();
        same.points.iter_mut().for_each(|p| p.faint = false);
        for plot in [&mixed, &same] {
            let svg = render(plot);
            let dots = drawn_points(&svg);
            assert_eq!(dots.len(), 300);
            // Selected words (drawn dark) may cover a point rather than go missing when they
            // are among faint context; all other labels never do.
            let mixed = plot == &mixed;
            let checked: Vec<&str> = svg
                .lines()
                .filter(|l| !(mixed && l.contains("fill=\"#111\"")))
                .collect();
            let boxes = drawn_labels(&checked.join("\n"));
            assert!(boxes.len() > 30, "seed {seed}: {}", boxes.len());
            // The circles' radius, less the 0.05 the written coordinates may be off by.
            for b in &boxes {
                let hit = dots.iter().filter(|&&d| b.covers_circle(d, 4.0 - 0.05));
                assert_eq!(hit.count(), 0, "seed {seed}: {b:?}");
            }
        }
    }
}
