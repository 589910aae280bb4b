//! The scatter panel: the selection (and optionally its neighbours, and the last analogy)
//! projected by PCA, drawn with Braille dots; labels avoid each other on a grid of cells.
use crate::tui::app::{App, Panel};
use crate::tui::panels::scatter::{Fit, Kind};
use crate::tui::ui::text;
use crate::tui::ui::theme::Theme;
use crate::tui::ui::{panel_block, Areas};
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Style};
use ratatui::symbols::Marker;
use ratatui::text::Line as TextLine;
use ratatui::widgets::canvas::{Canvas, Context, Line, Points};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

/// From this width the scatter gets a column of its own; below, it takes the neighbours'
/// place while it is the one focused last.
pub const WIDE: u16 = 140;
/// Longest label, in columns.
const LABEL_MAX: usize = 16;

/// Puts the scatter panel into the layout `a` (see [`WIDE`]).
pub fn place(app: &App, mut a: Areas) -> Areas {
    if a.neighbours.is_empty() {
        return a;
    }
    if a.status.width >= WIDE && a.query.x == a.neighbours.x {
        let column = a.neighbours.union(a.query);
        let [lists, plot] =
            Layout::horizontal([Constraint::Percentage(45), Constraint::Min(0)]).areas(column);
        a.neighbours.width = lists.width;
        a.query.width = lists.width;
        a.scatter = plot;
    } else if app.scatter.shown || app.focus == Panel::Scatter {
        a.scatter = a.neighbours;
        a.neighbours = Rect::default();
    }
    a
}

/// What part of the plane is on screen: x and y ranges.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct View {
    pub x: [f64; 2],
    pub y: [f64; 2],
}

/// The view of `fit` in `w`×`h` cells at `zoom` and `pan`, with equal scale on both axes
/// (a Braille dot is about square: 2×4 dots in a 1×2 cell).
pub fn view(fit: &Fit, zoom: f64, pan: [f64; 2], w: u16, h: u16) -> View {
    let (mut x0, mut x1, mut y0, mut y1) = (f64::MAX, f64::MIN, f64::MAX, f64::MIN);
    for it in &fit.items {
        let [x, y] = it.at.map(f64::from);
        (x0, x1, y0, y1) = (x0.min(x), x1.max(x), y0.min(y), y1.max(y));
    }
    if fit.items.is_empty() {
        (x0, x1, y0, y1) = (0.0, 0.0, 0.0, 0.0);
    }
    let extent = (x1 - x0).max(y1 - y0);
    let extent = if extent > 1e-9 { extent } else { 1.0 };
    let (dots_w, dots_h) = (f64::from(w.max(1)) * 2.0, f64::from(h.max(1)) * 4.0);
    // Room around the points for the labels.
    let per_dot = ((x1 - x0) * 1.3 / dots_w)
        .max((y1 - y0) * 1.3 / dots_h)
        .max(extent * 1e-3)
        / zoom;
    let cx = (x0 + x1) / 2.0 + pan[0] * extent;
    let cy = (y0 + y1) / 2.0 + pan[1] * extent;
    let (hw, hh) = (per_dot * dots_w / 2.0, per_dot * dots_h / 2.0);
    View {
        x: [cx - hw, cx + hw],
        y: [cy - hh, cy + hh],
    }
}

impl View {
    /// The cell (column, row) of the plane point `p` in an area of `w`×`h` cells, as the
    /// Braille grid places it; `None` outside.
    pub fn cell(&self, p: [f32; 2], w: u16, h: u16) -> Option<(u16, u16)> {
        let [x, y] = p.map(f64::from);
        if !(self.x[0]..=self.x[1]).contains(&x) || !(self.y[0]..=self.y[1]).contains(&y) {
            return None;
        }
        let dx = (x - self.x[0]) * (f64::from(w) * 2.0 - 1.0) / (self.x[1] - self.x[0]);
        let dy = (self.y[1] - y) * (f64::from(h) * 4.0 - 1.0) / (self.y[1] - self.y[0]);
        Some(((dx as u16 / 2).min(w - 1), (dy as u16 / 4).min(h - 1)))
    }

    /// Plane units per Braille dot.
    fn per_dot(&self, w: u16) -> f64 {
        (self.x[1] - self.x[0]) / (f64::from(w) * 2.0)
    }
}

fn heading(app: &App) -> String {
    let s = &app.scatter;
    let mut t = " Scatter".to_string();
    if let Some(f) = &s.fit {
        t.push_str(&format!(" · {} words", f.items.len()));
    }
    if s.neighbours {
        t.push_str(" + neighbours");
    }
    if (s.zoom - 1.0).abs() > 1e-9 {
        t.push_str(&format!(" · ×{:.2}", s.zoom));
    }
    t.push(' ');
    t
}

pub fn render(frame: &mut Frame, app: &App, theme: &Theme, area: Rect) {
    if area.is_empty() {
        return;
    }
    let (block, inner) = panel_block(app, theme, Panel::Scatter, heading(app), area);
    frame.render_widget(block, area);
    if inner.is_empty() {
        return;
    }
    let s = &app.scatter;
    let message = match (&s.fit, &s.error) {
        (_, Some(e)) => Some((e.as_str(), theme.error())),
        (Some(f), _) if !f.items.is_empty() => None,
        _ if app.space.is_none() => Some(("", theme.dim())),
        _ => Some((
            "Space on a word adds it here; an analogy draws its arrows. \
             n neighbours · +/- zoom · arrows pan · 0 reset · e SVG",
            theme.dim(),
        )),
    };
    if let Some((m, style)) = message {
        let p =
            Paragraph::new(TextLine::styled(m, style)).wrap(ratatui::widgets::Wrap { trim: true });
        frame.render_widget(p, inner);
        return;
    }
    let Some(fit) = &s.fit else { return };
    // Axis titles above and below the plot when there is room.
    let titled = inner.height >= 4;
    let plot = if titled {
        Rect {
            y: inner.y + 1,
            height: inner.height - 2,
            ..inner
        }
    } else {
        inner
    };
    let v = view(fit, s.zoom, s.pan, plot.width, plot.height);
    let colour = |c: Color| if app.color { c } else { Color::Reset };
    let canvas = Canvas::default()
        .marker(Marker::Braille)
        .x_bounds(v.x)
        .y_bounds(v.y)
        .paint(|ctx| paint(ctx, fit, &v, plot.width, &colour));
    frame.render_widget(canvas, plot);
    labels(frame.buffer_mut(), app, theme, fit, &v, plot);
    if titled {
        let [x_title, y_title] = fit.axis_titles();
        let w = inner.width as usize;
        let y_line = TextLine::styled(text::fit(&format!("↑ {y_title}"), w), theme.dim());
        let x_line = TextLine::styled(text::pad_left(&format!("{x_title} →"), w), theme.dim());
        frame.render_widget(Paragraph::new(y_line), Rect { height: 1, ..inner });
        let bottom = Rect {
            y: inner.bottom() - 1,
            height: 1,
            ..inner
        };
        frame.render_widget(Paragraph::new(x_line), bottom);
    }
}

/// Axes through the centroid, the analogy's arrows, then the points (neighbours first so the
/// selection is drawn over them).
fn paint(ctx: &mut Context, fit: &Fit, v: &View, w: u16, colour: &dyn Fn(Color) -> Color) {
    let axis = colour(Color::DarkGray);
    ctx.draw(&Line::new(v.x[0], 0.0, v.x[1], 0.0, axis));
    ctx.draw(&Line::new(0.0, v.y[0], 0.0, v.y[1], axis));
    ctx.layer();
    let dot = v.per_dot(w);
    for &(a, b) in &fit.arrows {
        let (Some(a), Some(b)) = (fit.items.get(a), fit.items.get(b)) else {
            continue;
        };
        arrow(ctx, a.at, b.at, dot, colour(Color::Red));
    }
    for kind in [Kind::Neighbour, Kind::Analogy, Kind::Selected] {
        let c = colour(match kind {
            Kind::Neighbour => Color::DarkGray,
            Kind::Analogy => Color::Yellow,
            Kind::Selected => Color::Magenta,
        });
        let coords: Vec<(f64, f64)> = fit
            .items
            .iter()
            .filter(|it| it.kind == kind)
            .flat_map(|it| {
                let [x, y] = it.at.map(f64::from);
                // A small plus of five dots is easier to see than one.
                [(0.0, 0.0), (dot, 0.0), (-dot, 0.0), (0.0, dot), (0.0, -dot)]
                    .map(|(dx, dy)| (x + dx, y + dy))
            })
            .collect();
        ctx.draw(&Points {
            coords: &coords,
            color: c,
        });
    }
}

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

/// Cells taken by points and labels, so that labels do not print over each other.
struct Grid {
    w: u16,
    h: u16,
    taken: Vec<bool>,
}

impl Grid {
    fn new(w: u16, h: u16) -> Self {
        Grid {
            w,
            h,
            taken: vec![false; w as usize * h as usize],
        }
    }

    fn free(&self, x: i32, y: i32, len: u16) -> bool {
        if x < 0 || y < 0 || y >= i32::from(self.h) || x + i32::from(len) > i32::from(self.w) {
            return false;
        }
        let start = y as usize * self.w as usize + x as usize;
        !self.taken[start..start + len as usize].iter().any(|&t| t)
    }

    fn take(&mut self, x: u16, y: u16, len: u16) {
        let start = y as usize * self.w as usize + x as usize;
        self.taken[start..start + len as usize].fill(true);
    }
}

/// Writes each word next to its point: right, left, then the rows above and below; a label
/// that fits nowhere free is left out. The selection and the analogy go first.
fn labels(buf: &mut Buffer, app: &App, theme: &Theme, fit: &Fit, v: &View, plot: Rect) {
    let (w, h) = (plot.width, plot.height);
    let mut grid = Grid::new(w, h);
    let cells: Vec<Option<(u16, u16)>> = fit.items.iter().map(|it| v.cell(it.at, w, h)).collect();
    for &(x, y) in cells.iter().flatten() {
        grid.take(x, y, 1);
    }
    let mut order: Vec<usize> = (0..fit.items.len()).collect();
    order.sort_by_key(|&i| fit.items[i].kind == Kind::Neighbour);
    for i in order {
        let Some((x, y)) = cells[i] else { continue };
        let item = &fit.items[i];
        let label = text::fit(&text::escape(app.word(item.row)), LABEL_MAX);
        let len = text::width(&label) as u16;
        if len == 0 {
            continue;
        }
        let (x, y, l) = (i32::from(x), i32::from(y), i32::from(len));
        let spots = [
            (x + 1, y),
            (x - l, y),
            (x + 1, y - 1),
            (x + 1, y + 1),
            (x - l, y - 1),
            (x - l, y + 1),
        ];
        let Some(&(lx, ly)) = spots.iter().find(|&&(sx, sy)| grid.free(sx, sy, len)) else {
            continue;
        };
        grid.take(lx as u16, ly as u16, len);
        let style: Style = match item.kind {
            Kind::Selected => theme.selected_mark(),
            Kind::Analogy => theme.accent(),
            Kind::Neighbour => theme.dim(),
        };
        buf.set_stringn(
            plot.x + lx as u16,
            plot.y + ly as u16,
            &label,
            len as usize,
            style,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::panels::scatter::Item;

    fn fit(points: &[[f32; 2]]) -> Fit {
        Fit {
            items: points
                .iter()
                .enumerate()
                .map(|(i, &at)| Item {
                    row: i as u32,
                    at,
                    kind: Kind::Selected,
                })
                .collect(),
            ..Fit::default()
        }
    }

    #[test]
    fn the_view_holds_every_point_with_equal_scales() {
        let f = fit(&[[-1.0, 0.0], [1.0, 0.5], [0.0, -0.5]]);
        let v = view(&f, 1.0, [0.0, 0.0], 40, 10);
        for it in &f.items {
            assert!(v.cell(it.at, 40, 10).is_some());
        }
        let per_x = (v.x[1] - v.x[0]) / 80.0;
        let per_y = (v.y[1] - v.y[0]) / 40.0;
        assert!((per_x - per_y).abs() < 1e-12);
        // Zooming in far leaves the outer points out; panning moves the centre.
        let z = view(&f, 8.0, [0.0, 0.0], 40, 10);
        assert!(z.cell([-1.0, 0.0], 40, 10).is_none());
        let p = view(&f, 1.0, [0.5, 0.0], 40, 10);
        assert!(p.x[0] > v.x[0]);
        // One point, or none: a finite view.
        let one = view(&fit(&[[0.0, 0.0]]), 1.0, [0.0, 0.0], 1, 1);
        assert!(one.x[0] < one.x[1] && one.y[0] < one.y[1]);
        assert_eq!(one.cell([0.0, 0.0], 1, 1), Some((0, 0)));
        assert!(view(&Fit::default(), 1.0, [0.0, 0.0], 0, 0).x[1].is_finite());
    }

    #[test]
    fn the_grid_refuses_taken_and_outside_cells() {
        let mut g = Grid::new(10, 3);
        assert!(g.free(0, 0, 10));
        assert!(!g.free(1, 0, 10));
        assert!(!g.free(-1, 0, 2));
        assert!(!g.free(0, 3, 1));
        g.take(4, 1, 3);
        assert!(!g.free(2, 1, 3));
        assert!(g.free(1, 1, 3));
        assert!(g.free(7, 1, 3));
    }
}
