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
    let title = format!(
        " Watch words · top {} neighbours · +entered −left · e edits ",
        watch::K
    );
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
    let color = theme_colors(theme);
    let canvas = Canvas::default()
        .marker(Marker::Braille)
        .x_bounds([x0 - px, x1 + px * 3.0])
        .y_bounds([y0 - py, y1 + py])
        .paint(|ctx| {
            for (i, r) in t.watch.iter().enumerate() {
                let c = if color {
                    COLOURS[i % COLOURS.len()]
                } else {
                    Color::Reset
                };
                for pair in r.trail.windows(2) {
                    let [a, b] = [pair[0], pair[1]].map(|p| p.map(f64::from));
                    ctx.draw(&Segment::new(a[0], a[1], b[0], b[1], c));
                }
            }
            ctx.layer();
            for (i, r) in t.watch.iter().enumerate() {
                let Some(last) = r.trail.last() else { continue };
                let [x, y] = last.map(f64::from);
                let c = if color {
                    COLOURS[i % COLOURS.len()]
                } else {
                    Color::Reset
                };
                ctx.draw(&Points {
                    coords: &[(x, y)],
                    color: c,
                });
                let label = text::fit(&text::escape(&r.word), 14);
                ctx.print(x, y, Line::styled(format!(" {label}"), Style::new().fg(c)));
            }
        });
    frame.render_widget(canvas, inner);
}

/// Whether the theme uses colours (the trails are told apart by them).
fn theme_colors(theme: &Theme) -> bool {
    theme.dim() != Style::new()
}
