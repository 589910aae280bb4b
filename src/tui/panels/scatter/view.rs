//! The scatter panel on screen: the heading (method, progress, size), the axis titles, the
//! plot (see `view_plot`), the kept-neighbours figures of the layout and of the focused word,
//! and the form of parameters.
use super::fit::Fit;
use super::settings::{Field, Points};
use super::view_plot;
use crate::tui::app::{App, Panel};
use crate::tui::ui::text;
use crate::tui::ui::theme::Theme;
use crate::tui::ui::{panel_block, Areas};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line as TextLine, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

/// From this width the scatter gets a column of its own; below, it takes the neighbours'
/// place while it is the one focused last.
pub const WIDE: u16 = 140;

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
    let [x0, x1, y0, y1] = fit.bounds();
    let extent = (x1 - x0).max(y1 - y0);
    let extent = if extent > 1e-12 { extent } else { 1.0 };
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
    pub fn per_dot(&self, w: u16) -> f64 {
        (self.x[1] - self.x[0]) / (f64::from(w) * 2.0)
    }
}

/// " Scatter · t-SNE 340/1000 · 2,000 words · paused ".
fn heading(app: &App) -> String {
    let s = &app.scatter;
    let mut t = " Scatter".to_string();
    if s.error.is_some() {
        // The error is on screen, not the layout before it: name the set asked for only.
        t.push_str(&format!(" · {}", s.settings.points.name()));
    } else if let Some(f) = &s.fit {
        t.push_str(&format!(" · {}", f.method()));
        let (i, n) = f.progress();
        if n > 0 && i == 0 && s.running.is_some() {
            // Before the first iteration: each word's neighbours and their similarities.
            t.push_str(" preparing");
        } else if n > 0 && (i < n || s.running.is_some()) {
            t.push_str(&format!(" {i}/{n}"));
        }
        let count = f.from_set.min(f.items().len());
        let n = text::thousands(count);
        let words = if count == 1 { "word" } else { "words" };
        // While a field's prompt is open, the picture is still of the settings before it.
        let asking = matches!(
            app.prompt.as_ref().map(|p| p.kind),
            Some(crate::tui::files::PromptKind::ScatterField(_))
        );
        let points = match (&s.undo, asking) {
            (Some(before), true) => before.points,
            _ => s.settings.points,
        };
        t.push_str(&match points {
            // An empty selection drawing an analogy's words says only those.
            Points::Selection if count == 0 => String::new(),
            Points::Selection => format!(" · {n} {words}"),
            Points::Neighbours => format!(" · {n} {words}: focus + neighbours"),
            Points::Top => format!(" · top {n} {words}"),
            Points::Search => format!(" · {n} search matches"),
            Points::List => format!(" · {n} {words} of the list"),
        });
        let more = f.items().len().saturating_sub(f.from_set);
        if more > 0 && !(s.neighbours && s.settings.points == Points::Selection) {
            let of = match s.settings.method {
                crate::tui::panels::scatter::Method::Axes => "axis",
                _ => "analogy",
            };
            let words = if more == 1 { "word" } else { "words" };
            let alone = points == Points::Selection && count == 0;
            let and = if alone { " ·" } else { " +" };
            t.push_str(&format!("{and} {more} {of} {words}"));
        }
    }
    if s.neighbours && s.settings.points == Points::Selection {
        t.push_str(" + neighbours");
    }
    if s.paused {
        t.push_str(" · paused");
    } else if s.running.is_some() {
        t.push_str(" · running");
    }
    if (s.zoom - 1.0).abs() > 1e-9 {
        t.push_str(&format!(" · ×{:.2}", s.zoom));
    }
    t.push(' ');
    t
}

/// What the empty panel says.
fn hint(app: &App) -> String {
    let running = app.scatter.is_running();
    let set = match (app.scatter.settings.points, running) {
        (Points::Selection, _) => "Space on a word adds it here; an analogy draws its arrows.",
        (Points::Neighbours, true) => "Laying out the focus and its neighbours…",
        (Points::Neighbours, false) => "The focus and its neighbours: Enter on a word, then r.",
        (Points::Top, true) => "Laying out the most frequent words…",
        (Points::Top, false) => "r lays out the most frequent words.",
        (Points::Search, true) => "Laying out the search matches…",
        (Points::Search, false) => "The search matches: / and a query, then r.",
        (Points::List, true) => "Laying out the word list…",
        (Points::List, false) => "r lays out the word list.",
    };
    format!(
        "{set} o point set · m method (PCA, t-SNE, UMAP, axes) · f parameters · \
         arrows move · Ctrl-arrows pan · +/- zoom · ? all keys"
    )
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
    if s.form.is_some() {
        return form(frame, app, theme, inner);
    }
    let message = match (&s.fit, &s.error) {
        (_, Some(e)) => Some((e.clone(), theme.error())),
        (Some(f), _) if !f.items().is_empty() => None,
        _ if app.space.is_none() => Some((String::new(), theme.dim())),
        _ => Some((hint(app), theme.dim())),
    };
    if let Some((m, style)) = message {
        let p =
            Paragraph::new(TextLine::styled(m, style)).wrap(ratatui::widgets::Wrap { trim: true });
        frame.render_widget(p, inner);
        return;
    }
    let Some(fit) = &s.fit else { return };
    // Axis titles above, the kept-neighbours figures below, when there is room.
    let titled = inner.height >= 5;
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
    view_plot::draw(frame, app, theme, fit, &v, plot);
    if titled {
        let [x_title, y_title] = fit.axis_titles();
        let top = two_sides(
            &format!("↑ {y_title}"),
            &format!("{x_title} →"),
            inner.width,
        );
        frame.render_widget(
            Paragraph::new(TextLine::styled(top, theme.dim())),
            Rect { height: 1, ..inner },
        );
        let bottom = Rect {
            y: inner.bottom() - 1,
            height: 1,
            ..inner
        };
        frame.render_widget(
            Paragraph::new(honesty(app, fit, theme, inner.width)),
            bottom,
        );
    }
}

/// `left` and `right` on one line of `w` columns; `right` is left out when both do not fit.
fn two_sides(left: &str, right: &str, w: u16) -> String {
    let w = w as usize;
    let (l, r) = (text::width(left), text::width(right));
    if l + r < w {
        format!("{left}{}{right}", " ".repeat(w - l - r))
    } else {
        text::fit(left, w)
    }
}

/// The layout's kept-neighbours figure and the focused word's: "keeps 43 % of each word's 10
/// nearest neighbours · king keeps 3 of its 10 neighbours here", shorter when narrow ("43 %
/// of neighbours kept · king: 3/10 kept").
fn honesty(app: &App, fit: &Fit, theme: &Theme, w: u16) -> TextLine<'static> {
    let w = w as usize;
    let (long, short) = match fit.kept() {
        Some(k) if !k.is_informative() => (
            "too few words to count kept neighbours".into(),
            String::new(),
        ),
        Some(k) => (
            format!(
                "keeps {:.0} % of each word's {} nearest neighbours",
                k.mean * 100.0,
                k.k
            ),
            format!("{:.0} % of neighbours kept", k.mean * 100.0),
        ),
        None if fit.items().len() < 3 => (String::new(), String::new()),
        None => ("kept: working it out…".into(), "kept …".into()),
    };
    // The focused word's own figure means as little as the whole's among too few words.
    let informative = fit.kept().is_some_and(|k| k.is_informative());
    let focus = app
        .focused
        .filter(|_| informative)
        .and_then(|r| Some((r, fit.index_of(r)?)))
        .and_then(|(r, i)| Some((text::escape(app.word(r)).into_owned(), fit.kept_at(i)?)));
    let Some((word, (kept, k))) = focus else {
        let whole = if text::width(&long) <= w { long } else { short };
        return TextLine::styled(text::fit(&whole, w), theme.accent());
    };
    let f_long = format!(" · {word} keeps {kept} of its {k} neighbours here");
    let f_short = format!(" · {word}: {kept}/{k} kept");
    let fits = |a: &str, b: &str| text::width(a) + text::width(b) <= w;
    let (whole, mine) = [(&long, &f_long), (&short, &f_long), (&short, &f_short)]
        .into_iter()
        .find(|(a, b)| fits(a, b))
        .unwrap_or((&short, &f_short));
    let room = w.saturating_sub(text::width(whole));
    TextLine::from(vec![
        Span::styled(text::fit(whole, w), theme.accent()),
        Span::styled(text::fit(mine, room), Style::new()),
    ])
}

/// The form of parameters: one field a line, the highlighted one reversed.
fn form(frame: &mut Frame, app: &App, theme: &Theme, area: Rect) {
    let s = &app.scatter;
    let selected = s.form();
    let (points, method) = (s.settings.points, s.settings.method.name());
    let head = format!("points: {points:?} · method: {method} (o / m change them)");
    // Narrow (80 columns): the same, shorter, rather than cut in the middle of a word.
    let head = if text::width(&head) <= area.width as usize {
        head
    } else {
        format!("{points:?} · {method} · o/m change")
    };
    let mut lines = vec![TextLine::styled(
        text::fit(&head, area.width as usize),
        theme.dim(),
    )];
    let name_w = Field::ALL.iter().map(|f| f.name().len()).max().unwrap_or(0);
    for f in Field::ALL {
        let value = f.value(&s.settings);
        let value = if value.is_empty() {
            "—".into()
        } else {
            value
        };
        let line = format!("{:name_w$}  {value}", f.name());
        let style = if Some(f) == selected {
            theme.highlight(true)
        } else {
            Style::new()
        };
        lines.push(TextLine::styled(
            text::fit(&line, area.width as usize),
            style,
        ));
    }
    let foot = "↑↓ field · Enter edit · Esc close (changes rerun the layout)";
    let foot = if text::width(foot) <= area.width as usize {
        foot
    } else {
        "↑↓ field · Enter edit · Esc close"
    };
    lines.push(TextLine::styled(foot, theme.dim()));
    // Keep the highlighted field on screen when the panel is short.
    let at = selected
        .and_then(|f| Field::ALL.iter().position(|&g| g == f))
        .unwrap_or(0)
        + 1;
    let skip = (at + 2).saturating_sub(area.height as usize);
    frame.render_widget(Paragraph::new(lines).scroll((skip as u16, 0)), area);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::panels::scatter::fit::test_fit as fit;

    #[test]
    fn the_view_holds_every_point_with_equal_scales() {
        let f = fit(&[[-1.0, 0.0], [1.0, 0.5], [0.0, -0.5]]);
        let v = view(&f, 1.0, [0.0, 0.0], 40, 10);
        for it in f.items() {
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
    fn two_sides_drops_the_right_when_narrow() {
        assert_eq!(two_sides("ab", "cd", 7), "ab   cd");
        assert_eq!(two_sides("ab", "cd", 4), "ab");
    }
}
