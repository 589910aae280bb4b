//! The plot itself: axes, analogy arrows and Braille points (coloured by kind, search match,
//! or cluster), then labels placed without overlap by `project::labels::cells` — the
//! selection first, then the focus, the analogy / axis words, the search matches, and the
//! rest by frequency (lower rows first).
use super::fit::{Fit, Kind};
use super::view::View;
use crate::project::labels::cells::{place_cells, CellLabel};
use crate::tui::app::App;
use crate::tui::ui::text;
use crate::tui::ui::theme::Theme;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::symbols::Marker;
use ratatui::widgets::canvas::{Canvas, Context, Line, Points};
use ratatui::Frame;

/// Longest label, in columns.
const LABEL_MAX: usize = 16;
/// The cluster colours (k-means has at most this many clusters).
const PALETTE: [Color; 8] = [
    Color::LightRed,
    Color::LightGreen,
    Color::LightBlue,
    Color::Yellow,
    Color::LightMagenta,
    Color::LightCyan,
    Color::Rgb(255, 165, 0),
    Color::White,
];

/// How a point stands out, most important first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Tier {
    Other,
    Search,
    Analogy,
    Focus,
    Selected,
}

/// What the plot needs to know about each item.
struct Marks {
    tiers: Vec<Tier>,
    clusters: Option<Vec<u32>>,
}

fn marks(app: &App, fit: &Fit) -> Marks {
    let search: hashbrown::HashSet<u32> = if app.search.query().is_empty() {
        Default::default()
    } else {
        app.search.hits().iter().copied().collect()
    };
    let tiers = fit
        .items()
        .iter()
        .map(|it| {
            if app.is_selected(it.row) {
                Tier::Selected
            } else if app.focused == Some(it.row) {
                Tier::Focus
            } else if it.kind == Kind::Analogy {
                Tier::Analogy
            } else if search.contains(&it.row) {
                Tier::Search
            } else {
                Tier::Other
            }
        })
        .collect();
    let clusters = match (app.scatter.clusters, fit.clusters()) {
        (true, Some(c)) => Some(c.to_vec()),
        _ => None,
    };
    Marks { tiers, clusters }
}

/// Draws `fit` in `plot` through the view `v`.
pub fn draw(frame: &mut Frame, app: &App, theme: &Theme, fit: &Fit, v: &View, plot: Rect) {
    let m = marks(app, fit);
    let colour = |c: Color| if app.color { c } else { Color::Reset };
    let canvas = Canvas::default()
        .marker(Marker::Braille)
        .x_bounds(v.x)
        .y_bounds(v.y)
        .paint(|ctx| paint(ctx, fit, &m, v, plot.width, &colour));
    frame.render_widget(canvas, plot);
    labels(frame, app, theme, fit, &m, v, plot);
}

fn dot_colour(m: &Marks, i: usize, kind: Kind) -> Color {
    match (m.tiers[i], &m.clusters) {
        (Tier::Selected, _) => Color::Magenta,
        (Tier::Focus, _) => Color::Cyan,
        (Tier::Search, _) => Color::LightYellow,
        (_, Some(c)) => PALETTE[c[i] as usize % PALETTE.len()],
        (Tier::Analogy, _) => Color::Yellow,
        (Tier::Other, _) if kind == Kind::Neighbour => Color::Gray,
        (Tier::Other, _) => Color::White,
    }
}

/// Axes through the origin, the analogy's arrows, then the points: the plain ones first, so
/// the marked ones are drawn over them (as a small plus of five dots).
fn paint(
    ctx: &mut Context,
    fit: &Fit,
    m: &Marks,
    v: &View,
    w: u16,
    colour: &dyn Fn(Color) -> Color,
) {
    let axis = colour(Color::DarkGray);
    ctx.draw(&Line::new(v.x[0], 0.0, v.x[1], 0.0, axis));
    ctx.draw(&Line::new(0.0, v.y[0], 0.0, v.y[1], axis));
    ctx.layer();
    let dot = v.per_dot(w);
    let few = fit.items().len() <= 200;
    for &(a, b) in fit.arrows() {
        let (Some(a), Some(b)) = (fit.items().get(a), fit.items().get(b)) else {
            continue;
        };
        arrow(ctx, a.at, b.at, dot, colour(Color::Red));
    }
    let mut by_colour: Vec<Group> = Vec::new();
    for (i, it) in fit.items().iter().enumerate() {
        let c = colour(dot_colour(m, i, it.kind));
        let tier = m.tiers[i];
        let pos = match by_colour.iter().position(|(t, k, _)| *t == tier && *k == c) {
            Some(p) => p,
            None => {
                by_colour.push((tier, c, Vec::new()));
                by_colour.len() - 1
            }
        };
        let [x, y] = it.at.map(f64::from);
        let coords = &mut by_colour[pos].2;
        if tier == Tier::Other && !few {
            coords.push((x, y));
        } else {
            coords.extend(
                [(0.0, 0.0), (dot, 0.0), (-dot, 0.0), (0.0, dot), (0.0, -dot)]
                    .map(|(dx, dy)| (x + dx, y + dy)),
            );
        }
    }
    by_colour.sort_by_key(|(t, _, _)| *t);
    for (_, color, coords) in &by_colour {
        ctx.draw(&Points {
            coords,
            color: *color,
        });
    }
}

/// Points of one tier and colour, drawn together.
type Group = (Tier, Color, Vec<(f64, f64)>);

/// A line from `a` to `b` with a head of two short strokes at `b`.
fn arrow(ctx: &mut Context, a: [f32; 2], b: [f32; 2], dot: f64, color: Color) {
    let ([ax, ay], [bx, by]) = (a.map(f64::from), b.map(f64::from));
    ctx.draw(&Line::new(ax, ay, bx, by, color));
    let len = ((bx - ax).powi(2) + (by - ay).powi(2)).sqrt();
    if len <= dot {
        return;
    }
    let head = (len * 0.3).min(dot * 5.0);
    let (ux, uy) = ((ax - bx) / len, (ay - by) / len);
    for angle in [0.45f64, -0.45] {
        let (s, c) = angle.sin_cos();
        let (hx, hy) = (ux * c - uy * s, ux * s + uy * c);
        ctx.draw(&Line::new(bx, by, bx + hx * head, by + hy * head, color));
    }
}

/// Writes the labels that fit, most important first.
fn labels(frame: &mut Frame, app: &App, theme: &Theme, fit: &Fit, m: &Marks, v: &View, plot: Rect) {
    let (w, h) = (plot.width, plot.height);
    let cells: Vec<Option<(u16, u16)>> = fit.items().iter().map(|it| v.cell(it.at, w, h)).collect();
    let points: Vec<(u16, u16)> = cells.iter().flatten().copied().collect();
    let mut shown: Vec<usize> = Vec::new();
    let mut words: Vec<String> = Vec::new();
    let mut wanted: Vec<CellLabel> = Vec::new();
    for (i, cell) in cells.iter().enumerate() {
        let Some(anchor) = *cell else { continue };
        let it = &fit.items()[i];
        let word = text::fit(&text::escape(app.word(it.row)), LABEL_MAX);
        let width = text::width(&word) as u16;
        // Tier first, then frequency: lower rows are the more frequent words.
        let priority = (m.tiers[i] as i64) * (1 << 32) - i64::from(it.row);
        wanted.push(CellLabel {
            anchor,
            width,
            priority,
            cover: m.tiers[i] != Tier::Other,
        });
        shown.push(i);
        words.push(word);
    }
    let placed = place_cells(&wanted, w, h, &points);
    let buf = frame.buffer_mut();
    for ((&i, word), at) in shown.iter().zip(&words).zip(placed) {
        let Some((x, y)) = at else { continue };
        let style = label_style(theme, m, i, fit.items()[i].kind, app.color);
        buf.set_stringn(plot.x + x, plot.y + y, word, word.len(), style);
    }
}

fn label_style(theme: &Theme, m: &Marks, i: usize, kind: Kind, color: bool) -> Style {
    match m.tiers[i] {
        Tier::Selected => theme.selected_mark(),
        Tier::Focus => Style::new().add_modifier(Modifier::REVERSED),
        Tier::Analogy => theme.accent(),
        Tier::Search => Style::new().add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
        Tier::Other => match (&m.clusters, color) {
            (Some(c), true) => Style::new().fg(PALETTE[c[i] as usize % PALETTE.len()]),
            _ if kind == Kind::Neighbour => theme.dim(),
            _ => Style::new(),
        },
    }
}
