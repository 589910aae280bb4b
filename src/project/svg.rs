//! A 2-D scatter plot as a self-contained SVG document (hand-written: no plotting crate).
use std::fmt::Write as _;

/// One labelled point.
#[derive(Debug, Clone, PartialEq)]
pub struct PlotPoint {
    /// Where the point is, in plot units.
    pub at: [f32; 2],
    /// The word shown beside it.
    pub label: String,
    /// Drawn fainter (context such as neighbours of the selected words).
    pub faint: bool,
}

/// Everything an exported plot shows.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Plot {
    /// The title above the plot.
    pub title: String,
    /// The horizontal axis' title.
    pub x_title: String,
    /// The vertical axis' title.
    pub y_title: String,
    /// The words to draw.
    pub points: Vec<PlotPoint>,
    /// Arrows from the first point to the second.
    pub arrows: Vec<([f32; 2], [f32; 2])>,
}

const WIDTH: f64 = 800.0;
const HEIGHT: f64 = 600.0;
const MARGIN: f64 = 60.0;

/// `s` with the characters that XML reserves escaped.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // XML 1.0 allows no control characters other than tab, newline and return.
            c if c.is_control() && !matches!(c, '\t' | '\n' | '\r') => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
            c => out.push(c),
        }
    }
    out
}

/// Data bounds `(min_x, max_x, min_y, max_y)` and the pixels per unit (equal on both axes)
/// for a `width` × `height` picture with `margin` pixels kept free on every side.
pub(crate) fn frame(
    plot: &Plot,
    width: f64,
    height: f64,
    margin: f64,
) -> (f64, f64, f64, f64, f64) {
    let coords = plot
        .points
        .iter()
        .map(|p| p.at)
        .chain(plot.arrows.iter().flat_map(|(a, b)| [*a, *b]));
    let (mut x0, mut x1, mut y0, mut y1) = (-1e-3f64, 1e-3f64, -1e-3f64, 1e-3f64);
    for [x, y] in coords {
        if x.is_finite() && y.is_finite() {
            (x0, x1) = (x0.min(x as f64), x1.max(x as f64));
            (y0, y1) = (y0.min(y as f64), y1.max(y as f64));
        }
    }
    let scale = ((width - 2.0 * margin) / (x1 - x0)).min((height - 2.0 * margin) / (y1 - y0));
    (x0, x1, y0, y1, scale)
}

/// The plot as an SVG document.
pub fn render(plot: &Plot) -> String {
    let (x0, x1, y0, y1, scale) = frame(plot, WIDTH, HEIGHT, MARGIN);
    let cx = WIDTH / 2.0 - (x0 + x1) / 2.0 * scale;
    let cy = HEIGHT / 2.0 + (y0 + y1) / 2.0 * scale;
    let at = |p: [f32; 2]| (cx + p[0] as f64 * scale, cy - p[1] as f64 * scale);
    let mut s = String::new();
    let _ = writeln!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}" font-family="sans-serif" font-size="13">"#
    );
    let _ = writeln!(s, "<title>{}</title>", escape(&plot.title));
    s.push_str(concat!(
        r#"<defs><marker id="head" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" "#,
        r#"markerHeight="8" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" "#,
        "fill=\"#c0392b\"/></marker></defs>\n"
    ));
    s.push_str("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
    // Axes through the centroid (the origin of a centred PCA).
    let (ox, oy) = at([0.0, 0.0]);
    let _ = writeln!(
        s,
        "<g stroke=\"#bbb\" stroke-width=\"1\"><line x1=\"{:.1}\" y1=\"{oy:.1}\" x2=\"{:.1}\" y2=\"{oy:.1}\"/><line x1=\"{ox:.1}\" y1=\"{:.1}\" x2=\"{ox:.1}\" y2=\"{:.1}\"/></g>",
        MARGIN / 2.0,
        WIDTH - MARGIN / 2.0,
        MARGIN / 2.0,
        HEIGHT - MARGIN / 2.0
    );
    let _ = writeln!(
        s,
        "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\" fill=\"#555\">{}</text>",
        WIDTH - 10.0,
        HEIGHT - 12.0,
        escape(&plot.x_title)
    );
    let _ = writeln!(
        s,
        "<text x=\"12\" y=\"22\" fill=\"#555\">{}</text>",
        escape(&plot.y_title)
    );
    for (a, b) in &plot.arrows {
        let ((ax, ay), (bx, by)) = (at(*a), at(*b));
        let _ = writeln!(
            s,
            "<line x1=\"{ax:.1}\" y1=\"{ay:.1}\" x2=\"{bx:.1}\" y2=\"{by:.1}\" stroke=\"#c0392b\" stroke-width=\"1.5\" marker-end=\"url(#head)\"/>"
        );
    }
    for p in &plot.points {
        let (x, y) = at(p.at);
        let (fill, text) = if p.faint {
            ("#aab", "#889")
        } else {
            ("#2c3e90", "#111")
        };
        let _ = writeln!(
            s,
            "<circle cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"4\" fill=\"{fill}\"/><text x=\"{:.1}\" y=\"{:.1}\" fill=\"{text}\">{}</text>",
            x + 6.0,
            y - 6.0,
            escape(&p.label)
        );
    }
    s.push_str("</svg>\n");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

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
                },
                PlotPoint {
                    at: [-1.0, 0.5],
                    label: "北京\u{1}".into(),
                    faint: true,
                },
            ],
            arrows: vec![([1.0, 0.0], [-1.0, 0.5])],
        };
        let svg = render(&plot);
        assert!(svg.starts_with("<svg"));
        assert!(svg.trim_end().ends_with("</svg>"));
        assert!(svg.contains("a&lt;b&amp;c&gt;&quot;"));
        assert!(svg.contains("北京\\u{1}"));
        assert_eq!(svg.matches("<circle").count(), 2);
        assert!(svg.contains("marker-end"));
        assert!(svg.contains("PC2 (20.0 %)"));
        assert!(!svg.contains("NaN"));
        // Empty plots are well-formed too.
        assert!(render(&Plot::default()).contains("</svg>"));
    }
}
