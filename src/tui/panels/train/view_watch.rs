//! The right side of the train panel: the watch words with their current top neighbours
//! (`+word` entered the list at the last refresh; `−word` left it), and below, when the panel
//! is tall enough, the watch words on a fixed PCA plane with the trail of their last positions.
use crate::tui::app::App;
use crate::tui::panels::train::{watch, Phase, WatchRow};
use crate::tui::ui::text;
use crate::tui::ui::theme::Theme;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::symbols::Marker;
use ratatui::text::{Line, Span};
use ratatui::widgets::canvas::{Canvas, Line as Segment, Points};
use ratatui::widgets::{Block, Borders, Paragraph};
use ratatui::Frame;

/// From this height the scatter of the trails is drawn under the list.
const SCATTER_FROM: u16 = 24;
/// Columns of the watch word in front of its neighbours.
const WORD: usize = 12;

pub fn render(frame: &mut Frame, app: &App, theme: &Theme, area: Rect) {
    if area.height < 3 {
        return;
    }
    if area.height >= SCATTER_FROM {
        let [list_area, plot_area] =
            Layout::vertical([Constraint::Percentage(45), Constraint::Min(0)]).areas(area);
        list(frame, app, theme, list_area);
        plot(frame, app, theme, plot_area);
    } else {
        list(frame, app, theme, area);
    }
}

fn block(theme: &Theme, title: &str, area: Rect) -> Block<'static> {
    Block::default()
        .borders(Borders::ALL)
        .border_style(theme.border(false))
        .title(text::fit(title, area.width.saturating_sub(2) as usize))
}

/// One watch word's lines: its neighbours flow over at most `rows` lines of `w` columns.
fn lines(r: &WatchRow, theme: &Theme, w: usize, rows: usize) -> Vec<Line<'static>> {
    let head = Span::styled(format!(" {} ", text::word(&r.word, WORD)), theme.accent());
    let mut parts: Vec<(String, Style)> = Vec::new();
    if !r.known {
        parts.push(("(not in the vocabulary)".into(), theme.dim()));
    }
    for n in &r.neighbours {
        parts.push(if n.new {
            (
                format!("+{}", text::escape(&n.word)),
                theme.positive().add_modifier(Modifier::BOLD),
            )
        } else {
            (text::escape(&n.word).into_owned(), Style::new())
        });
    }
    for l in &r.left {
        parts.push((format!("−{}", text::escape(l)), theme.dim()));
    }
    let indent = WORD + 2;
    let mut out = vec![vec![head]];
    let mut used = indent;
    for (s, style) in parts {
        let need = text::width(&s) + 1;
        if used + need > w && used > indent {
            if out.len() == rows.max(1) {
                if let Some(line) = out.last_mut() {
                    line.push(Span::styled("…", theme.dim()));
                }
                break;
            }
            out.push(vec![Span::raw(" ".repeat(indent))]);
            used = indent;
        }
        let s = text::fit(&s, w.saturating_sub(used + 1));
        used += text::width(&s) + 1;
        if let Some(line) = out.last_mut() {
            line.push(Span::styled(s, style));
            line.push(Span::raw(" "));
        }
    }
    out.into_iter().map(Line::from).collect()
}

fn list(frame: &mut Frame, app: &App, theme: &Theme, area: Rect) {
    let t = &app.train;
    // Narrow panels keep the markers' meaning and the key before the neighbour count.
    let k = watch::K;
    let title = [
        format!(" Watch words · top {k} neighbours · +entered −left · e edits "),
        " Watch words · +entered −left · e edits ".to_string(),
        " Watch · +entered −left · e edits ".to_string(),
    ]
    .into_iter()
    .find(|t| text::width(t) + 2 <= area.width as usize)
    .unwrap_or_else(|| " Watch words ".into());
    let b = block(theme, &title, area);
    let inner = b.inner(area);
    frame.render_widget(b, area);
    let w = inner.width as usize;
    if t.watch.is_empty() {
        let hint = match t.phase {
            Phase::Running | Phase::Paused => {
                " the watch words appear with the first snapshot of the weights"
            }
            _ => " start a run to see words move (e chooses the words)",
        };
        frame.render_widget(Paragraph::new(hint).style(theme.dim()), inner);
        return;
    }
    // Two lines a word when there is room for them.
    let rows = (inner.height as usize / t.watch.len().max(1)).clamp(1, 2);
    let all: Vec<Line> = t
        .watch
        .iter()
        .flat_map(|r| lines(r, theme, w, rows))
        .collect();
    frame.render_widget(Paragraph::new(all), inner);
}

/// Colours of the words' trails, in turn.
const COLOURS: [Color; 6] = [
    Color::Yellow,
    Color::Cyan,
    Color::Magenta,
    Color::Green,
    Color::LightRed,
    Color::LightBlue,
];

fn plot(frame: &mut Frame, app: &App, theme: &Theme, area: Rect) {
    let t = &app.train;
    let title = match &t.basis {
        Some(_) => format!(
            " Watch words on a fixed PCA plane (PC1 {:.0} %, PC2 {:.0} %) · f refits ",
            t.explained[0] * 100.0,
            t.explained[1] * 100.0
        ),
        None => " Watch words on a fixed PCA plane · f refits ".into(),
    };
    let b = block(theme, &title, area);
    let inner = b.inner(area);
    frame.render_widget(b, area);
    let points: Vec<[f32; 2]> = t
        .watch
        .iter()
        .flat_map(|r| r.trail.iter().copied())
        .collect();
    if points.is_empty() || inner.width < 4 || inner.height < 2 {
        return;
    }
    let (mut x0, mut x1, mut y0, mut y1) = (f64::MAX, f64::MIN, f64::MAX, f64::MIN);
    for p in &points {
        let [x, y] = p.map(f64::from);
        (x0, x1, y0, y1) = (x0.min(x), x1.max(x), y0.min(y), y1.max(y));
    }
    let pad = |a: f64, b: f64| ((b - a) * 0.15).max(1e-3);
    let (px, py) = (pad(x0, x1), pad(y0, y1));
    let plane = Plane {
        x: [x0 - px, x1 + px * 3.0],
        y: [y0 - py, y1 + py],
        cols: inner.width,
        rows: inner.height,
    };
    let color = theme_colors(theme);
    let colour = |i: usize| {
        if color {
            COLOURS[i % COLOURS.len()]
        } else {
            Color::Reset
        }
    };
    let labels = place_labels(&plane, &t.watch);
    let canvas = Canvas::default()
        .marker(Marker::Braille)
        .x_bounds(plane.x)
        .y_bounds(plane.y)
        .paint(|ctx| {
            for (i, r) in t.watch.iter().enumerate() {
                for pair in r.trail.windows(2) {
                    let [a, b] = [pair[0], pair[1]].map(|p| p.map(f64::from));
                    ctx.draw(&Segment::new(a[0], a[1], b[0], b[1], colour(i)));
                }
            }
            ctx.layer();
            for (i, r) in t.watch.iter().enumerate() {
                let Some(last) = r.trail.last() else { continue };
                let [x, y] = last.map(f64::from);
                ctx.draw(&Points {
                    coords: &[(x, y)],
                    color: colour(i),
                });
            }
            for (i, (text, at)) in labels.iter().enumerate() {
                if let Some([x, y]) = at {
                    let style = Style::new().fg(colour(i));
                    ctx.print(*x, *y, Line::styled(text.clone(), style));
                }
            }
        });
    frame.render_widget(canvas, inner);
}

/// The plot's data bounds and its size in cells.
struct Plane {
    x: [f64; 2],
    y: [f64; 2],
    cols: u16,
    rows: u16,
}

impl Plane {
    /// The cell (column, row) where the Braille canvas draws the point `(x, y)`.
    fn cell(&self, x: f64, y: f64) -> [f64; 2] {
        let (w, h) = (self.x[1] - self.x[0], self.y[1] - self.y[0]);
        let dots_x = ((x - self.x[0]) * (f64::from(self.cols) * 2.0 - 1.0) / w).floor();
        let dots_y = ((self.y[1] - y) * (f64::from(self.rows) * 4.0 - 1.0) / h).floor();
        [(dots_x / 2.0).floor(), (dots_y / 4.0).floor()]
    }

    /// The data point at which the canvas prints text starting in cell `(col, row)`.
    fn at(&self, col: f64, row: f64) -> [f64; 2] {
        let (w, h) = (self.x[1] - self.x[0], self.y[1] - self.y[0]);
        let cols = f64::from(self.cols.saturating_sub(1)).max(1.0);
        let rows = f64::from(self.rows.saturating_sub(1)).max(1.0);
        [
            (self.x[0] + (col + 0.25) * w / cols).min(self.x[1]),
            (self.y[1] - (row + 0.25) * h / rows).max(self.y[0]),
        ]
    }
}

/// Each watch word's label and where it is printed, or `None` where it would overlap a label
/// placed before it (earlier words first) or leave the plot: placed with
/// [`crate::project::labels`] in cells, then checked again on whole cells.
fn place_labels(plane: &Plane, watch: &[WatchRow]) -> Vec<(String, Option<[f64; 2]>)> {
    use crate::project::labels::{place, Label, Layout, Rect as Box};
    let texts: Vec<String> = watch
        .iter()
        .map(|r| text::fit(&text::escape(&r.word), 14))
        .collect();
    let labels: Vec<Label> = watch
        .iter()
        .zip(&texts)
        .enumerate()
        .map(|(i, (r, s))| {
            let anchor = r.trail.last().map_or([f64::NAN; 2], |p| {
                let [c, row] = plane.cell(f64::from(p[0]), f64::from(p[1]));
                [c + 0.5, row + 0.5]
            });
            // A blank cell after each label keeps neighbouring labels apart.
            Label {
                anchor,
                width: text::width(s) as f64 + 1.0,
                height: 1.0,
                priority: -(i as i32),
            }
        })
        .collect();
    let layout = Layout {
        bounds: Box::at(0.0, 0.0, f64::from(plane.cols), f64::from(plane.rows)),
        gap: 0.5,
        marker: 0.5,
        // The widths carry a cell of space already.
        spacing: 0.0,
    };
    let mut kept: Vec<Box> = Vec::new();
    let placed = place(&labels, &layout);
    texts
        .into_iter()
        .zip(placed)
        .map(|(s, r)| {
            // On whole cells: rounding may bring two boxes together; the later one goes.
            let at = r.map(|r| Box::at(r.x0.round(), r.y0.round(), r.x1 - r.x0, 1.0));
            let at = at.filter(|b| {
                let free = b.inside(&layout.bounds) && !kept.iter().any(|k| k.overlaps(b));
                if free {
                    kept.push(*b);
                }
                free
            });
            (s, at.map(|b| plane.at(b.x0, b.y0)))
        })
        .collect()
}

/// Whether the theme uses colours (the trails are told apart by them).
fn theme_colors(theme: &Theme) -> bool {
    theme.dim() != Style::new()
}
