use super::super::svg::PlotPoint;
use super::*;

fn sample() -> Plot {
    Plot {
        title: "t".into(),
        x_title: "PC1 (50.0 %)".into(),
        y_title: "PC2 (20.0 %)".into(),
        points: vec![
            PlotPoint {
                at: [1.0, 0.0],
                label: "king".into(),
                faint: false,
                key: false,
            },
            PlotPoint {
                at: [-1.0, 0.5],
                label: "北京\u{1}".into(),
                faint: true,
                key: false,
            },
            PlotPoint {
                at: [0.2, -0.7],
                label: "tab\tword".into(),
                faint: false,
                key: false,
            },
        ],
        arrows: vec![([1.0, 0.0], [-1.0, 0.5])],
        clusters: None,
    }
}

#[test]
fn labels_no_font_has_are_named_once() {
    let mut plot = sample();
    assert_eq!(undrawable_note(&plot), None);
    let mut rare = plot.points[0].clone();
    rare.label = "\u{4DB5}x".into();
    plot.points.push(rare.clone());
    plot.points.push(rare);
    if undrawable_labels(&plot).is_empty() {
        return; // a system CJK font here has the character
    }
    assert_eq!(undrawable_labels(&plot), ["\u{4DB5}x"]);
    let note = undrawable_note(&plot).unwrap();
    assert!(
        note.starts_with("1 label in the PNG has characters"),
        "{note}"
    );
}

#[test]
fn writes_a_png_that_decodes_at_full_size() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("plot.png");
    write(&sample(), &path).unwrap();
    let bytes = std::fs::read(&path).unwrap();
    assert!(bytes.starts_with(b"\x89PNG\r\n\x1a\n"));
    let mut reader = ::png::Decoder::new(&bytes[..]).read_info().unwrap();
    let mut pixels = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut pixels).unwrap();
    assert_eq!((info.width, info.height), (WIDTH, HEIGHT));
    // Something other than the white background was drawn: points, arrow and text.
    let colored = pixels.chunks(3).filter(|p| p != &[255, 255, 255]).count();
    assert!(colored > 1000, "{colored}");
    // The arrow's red is there.
    assert!(pixels.chunks(3).any(|p| p == [0xc0, 0x39, 0x2b]));
}

#[test]
fn degenerate_plots_render() {
    let empty = render(&Plot::default()).unwrap();
    assert!(empty.starts_with(b"\x89PNG\r\n\x1a\n"));
    let mut odd = sample();
    odd.points[0].at = [f32::NAN, f32::INFINITY];
    odd.arrows.push(([0.0, 0.0], [0.0, 0.0]));
    odd.points.push(PlotPoint {
        at: [0.0, 0.0],
        label: String::new(),
        faint: false,
        key: false,
    });
    assert!(render(&odd).is_ok());
}

#[test]
fn labels_never_overlap() {
    let mut r = crate::query::test_util::XorShift::new(3);
    let points: Vec<PlotPoint> = (0..200)
        .map(|i| PlotPoint {
            at: [r.f32(), r.f32() * 0.3],
            label: format!("word{i}"),
            faint: i >= 20,
            key: false,
        })
        .collect();
    let plot = Plot { points, ..sample() };
    let (_, boxes) = draw(&plot).unwrap();
    let kept: Vec<&Rect> = boxes.iter().flatten().collect();
    assert!(kept.len() > 40 && kept.len() < 200, "{}", kept.len());
    for (i, a) in kept.iter().enumerate() {
        assert!(a.x1 - a.x0 > 20.0, "{a:?}: the text was measured");
        for b in &kept[i + 1..] {
            assert!(!a.overlaps(b), "{a:?} overlaps {b:?}");
        }
    }
    assert!(boxes[..20].iter().all(Option::is_some));
}

#[test]
fn labels_are_drawn_with_the_font() {
    // A plot whose only label differs draws different pixels: text reaches the bitmap.
    let mut a = sample();
    a.points.truncate(1);
    let mut b = a.clone();
    b.points[0].label = "queen".into();
    assert_ne!(rasterize(&a).unwrap(), rasterize(&b).unwrap());
}

#[test]
fn no_label_covers_another_point() {
    // 400 words on a strip, all of one priority: no label may sit on another word's dot.
    let mut r = crate::query::test_util::XorShift::new(11);
    let points: Vec<PlotPoint> = (0..400)
        .map(|i| PlotPoint {
            at: [r.f32(), r.f32() * 0.4],
            label: format!("w{i}"),
            faint: false,
            key: false,
        })
        .collect();
    let plot = Plot { points, ..sample() };
    let (pixels, boxes) = draw(&plot).unwrap();
    let kept = boxes.iter().flatten().count();
    assert!(kept > 20, "{kept}");
    let (w, h) = (f64::from(WIDTH), f64::from(HEIGHT));
    let (x0, x1, y0, y1, scale) = frame(&plot, w, h, MARGIN);
    let f = Frame {
        cx: w / 2.0 - (x0 + x1) / 2.0 * scale,
        cy: h / 2.0 + (y0 + y1) / 2.0 * scale,
        scale,
    };
    let at: Vec<(f64, f64)> = plot.points.iter().map(|p| f.at(p.at)).collect();
    for (i, b) in boxes.iter().enumerate() {
        let Some(b) = b else { continue };
        for (j, &(x, y)) in at.iter().enumerate() {
            assert!(
                j == i || !b.covers_circle([x, y], 4.0 * SCALE),
                "{i} over {j}"
            );
        }
        // Nor does a dot's blue show through the drawn text (labels are grey).
        for py in b.y0.ceil() as usize..b.y1.floor() as usize {
            for px in b.x0.ceil() as usize..b.x1.floor() as usize {
                let p = &pixels[(py * WIDTH as usize + px) * 3..][..3];
                assert!(
                    i32::from(p[2]) - i32::from(p[0]) < 40,
                    "{i}: {p:?} at {px},{py}"
                );
            }
        }
    }
}
