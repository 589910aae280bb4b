//! A 2-D scatter plot as a self-contained SVG document (hand-written: no plotting crate).
use super::labels::{place_around, Label, Layout, Rect};
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
    /// A word the picture is about (the words of custom axes): its label is placed first.
    pub key: bool,
}

impl PlotPoint {
    /// The label's priority: key words first, faint ones last.
    pub fn priority(&self) -> i32 {
        match (self.key, self.faint) {
            (true, _) => 2,
            (false, false) => 1,
            (false, true) => 0,
        }
    }
}

/// An exported picture's title, the same from the command line and the explorer: "t-SNE of
/// 95 words of glove.6B.50d.txt · kept neighbours 0.412" (the figure when it says something,
/// see [`Kept::is_informative`](super::quality::Kept::is_informative)).
pub fn picture_title(
    method: &str,
    words: usize,
    source: &str,
    kept: Option<&super::quality::Kept>,
) -> String {
    let word = if words == 1 { "word" } else { "words" };
    let mut title = format!("{method} of {words} {word} of {source}");
    if let Some(k) = kept.filter(|k| k.is_informative()) {
        let _ = write!(title, " · kept neighbours {:.3}", k.mean);
    }
    title
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
    /// A cluster per point (same order as `points`): the points are coloured by it.
    pub clusters: Option<Vec<u32>>,
}

/// Ten colours told apart easily (Tableau 10), for clusters; they repeat after ten.
const CLUSTER_COLOURS: [(u8, u8, u8); 10] = [
    (0x4e, 0x79, 0xa7),
    (0xf2, 0x8e, 0x2b),
    (0xe1, 0x57, 0x59),
    (0x76, 0xb7, 0xb2),
    (0x59, 0xa1, 0x4f),
    (0xed, 0xc9, 0x48),
    (0xb0, 0x7a, 0xa1),
    (0xff, 0x9d, 0xa7),
    (0x9c, 0x75, 0x5f),
    (0xba, 0xb0, 0xac),
];

impl Plot {
    /// The colour of point `i`'s marker as RGB: its cluster's when the plot has clusters
    /// (faint points stay faint), else `plain`.
    pub fn point_rgb(&self, i: usize, plain: (u8, u8, u8), faint: (u8, u8, u8)) -> (u8, u8, u8) {
        if self.points.get(i).is_some_and(|p| p.faint) {
            return faint;
        }
        match self.clusters.as_ref().and_then(|c| c.get(i)) {
            Some(&c) => CLUSTER_COLOURS[c as usize % CLUSTER_COLOURS.len()],
            None => plain,
        }
    }
}

const WIDTH: f64 = 800.0;
const HEIGHT: f64 = 600.0;
const MARGIN: f64 = 60.0;
const FONT_SIZE: f64 = 13.0;
/// Line height and descent of a label, in font sizes.
const LINE: f64 = 1.25;
const DESCENT: f64 = 0.27;

/// The width of `label` set in a sans-serif font of size `size`, from per-character classes
/// (narrow, wide, capitals, CJK and other double-width characters).
pub fn text_width(label: &str, size: f64) -> f64 {
    use unicode_width::UnicodeWidthChar;
    let em: f64 = label
        .chars()
        .map(|c| match c {
            'i' | 'j' | 'l' | '.' | ',' | '\'' | '|' | '!' | ':' | ';' | ' ' | 'I' | 'f' | 't'
            | 'r' => 0.36,
            'm' | 'w' | 'M' | 'W' | '@' | '%' => 0.98,
            c if c.is_ascii_uppercase() => 0.72,
            c if c.is_ascii() => 0.62,
            c if c.width().unwrap_or(1) >= 2 => 1.0,
            _ => 0.7,
        })
        .sum();
    em * size
}

/// Where each point's label goes (`None`: left out, or an empty label), in picture units.
fn label_boxes(plot: &Plot, points: &[(f64, f64)]) -> Vec<Option<Rect>> {
    let labels: Vec<Label> = plot
        .points
        .iter()
        .zip(points)
        .map(|(p, &(x, y))| Label {
            anchor: [x, y],
            width: if p.label.is_empty() {
                f64::NAN
            } else {
                text_width(&p.label, FONT_SIZE)
            },
            height: FONT_SIZE * LINE,
            priority: p.priority(),
        })
        .collect();
    let layout = Layout {
        bounds: Rect::at(2.0, 2.0, WIDTH - 4.0, HEIGHT - 4.0),
        gap: 6.0,
        marker: 4.0,
        spacing: 5.0,
    };
    let x_title = text_width(&plot.x_title, FONT_SIZE);
    let title = text_width(&plot.title, FONT_SIZE);
    let titles = [
        Rect::at(
            WIDTH - 10.0 - x_title,
            HEIGHT - 12.0 - FONT_SIZE,
            x_title,
            FONT_SIZE * LINE,
        ),
        Rect::at(
            12.0,
            22.0 - FONT_SIZE,
            text_width(&plot.y_title, FONT_SIZE),
            FONT_SIZE * LINE,
        ),
        Rect::at(WIDTH / 2.0 - title / 2.0, 8.0, title, FONT_SIZE * LINE),
    ];
    place_around(&labels, &layout, &titles)
}

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
    // The points' own box: a layout away from the origin (t-SNE's often is) fills the picture.
    let inf = f64::INFINITY;
    let (mut x0, mut x1, mut y0, mut y1) = (inf, -inf, inf, -inf);
    for [x, y] in coords {
        if x.is_finite() && y.is_finite() {
            (x0, x1) = (x0.min(x as f64), x1.max(x as f64));
            (y0, y1) = (y0.min(y as f64), y1.max(y as f64));
        }
    }
    // No point, or all on one line: a small box around them keeps the scale finite.
    let widen = |lo: f64, hi: f64| match lo <= hi {
        false => (-1e-3, 1e-3),
        true if hi - lo < 2e-3 => ((lo + hi) / 2.0 - 1e-3, (lo + hi) / 2.0 + 1e-3),
        true => (lo, hi),
    };
    let ((x0, x1), (y0, y1)) = (widen(x0, x1), widen(y0, y1));
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
    let _ = writeln!(
        s,
        "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\" fill=\"#555\">{}</text>",
        WIDTH / 2.0,
        8.0 + FONT_SIZE,
        escape(&plot.title)
    );
    for (a, b) in &plot.arrows {
        let ((ax, ay), (bx, by)) = (at(*a), at(*b));
        let _ = writeln!(
            s,
            "<line x1=\"{ax:.1}\" y1=\"{ay:.1}\" x2=\"{bx:.1}\" y2=\"{by:.1}\" stroke=\"#c0392b\" stroke-width=\"1.5\" marker-end=\"url(#head)\"/>"
        );
    }
    let points: Vec<(f64, f64)> = plot.points.iter().map(|p| at(p.at)).collect();
    for (i, &(x, y)) in points.iter().enumerate() {
        let (r, g, b) = plot.point_rgb(i, (0x2c, 0x3e, 0x90), (0xaa, 0xaa, 0xbb));
        let _ = writeln!(
            s,
            "<circle cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"4\" fill=\"#{r:02x}{g:02x}{b:02x}\"/>"
        );
    }
    let boxes = label_boxes(plot, &points);
    for (p, b) in plot.points.iter().zip(&boxes) {
        let Some(b) = b else { continue };
        let text = if p.faint { "#889" } else { "#111" };
        // textLength holds the drawn text to the width it was placed with, whatever font
        // the viewer has, so placed labels cannot grow into each other.
        let _ = writeln!(
            s,
            "<text x=\"{:.1}\" y=\"{:.1}\" fill=\"{text}\" textLength=\"{:.1}\" lengthAdjust=\"spacingAndGlyphs\">{}</text>",
            b.x0,
            b.y1 - FONT_SIZE * DESCENT,
            b.x1 - b.x0,
            escape(&p.label)
        );
    }
    s.push_str("</svg>\n");
    s
}

#[cfg(test)]
mod tests;
