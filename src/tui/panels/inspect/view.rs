//! The inspector: where the focused word sits in the matrix and what its vector looks like.
//!
//! A word's vector is row i of the matrix W, i.e. one-hot(i) × W: the embedding is a lookup
//! table. The strip shows one column per dimension, positive values growing up from the
//! middle line and negative ones growing down (drawn reversed, so it works without colour).
use crate::train::Subwords;
use crate::tui::app::{App, Panel};
use crate::tui::ui::text::{self, thousands, LEVELS};
use crate::tui::ui::theme::Theme;
use crate::tui::ui::{panel_block, row};
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

pub fn render(frame: &mut Frame, app: &App, theme: &Theme, area: Rect) {
    if let Some((space, word, s)) = crate::tui::panels::search::update::unknown_word(app) {
        return unknown(frame, app, theme, area, (space, word, s));
    }
    let (space, focused) = match (&app.space, app.focused) {
        (Some(s), Some(r)) if (r as usize) < s.len() => (s, r as usize),
        _ => {
            let (block, inner) = panel_block(app, theme, Panel::Inspect, " Inspect ".into(), area);
            frame.render_widget(block, area);
            let hint = Line::styled(
                text::fit("no word focused", inner.width as usize),
                theme.dim(),
            );
            frame.render_widget(Paragraph::new(hint), row(inner, 0));
            return;
        }
    };
    let title = format!(" Inspect {} ", text::escape(space.word(focused)));
    let (block, inner) = panel_block(app, theme, Panel::Inspect, title, area);
    frame.render_widget(block, area);
    let w = inner.width as usize;
    let mut facts = format!("norm {:.4}", space.norms()[focused]);
    if let Some(c) = space.counts().and_then(|c| c.get(focused)) {
        facts.push_str(&format!(" · count {}", thousands(*c as usize)));
    }
    let position = format!(
        "row {} · rank #{}",
        thousands(focused),
        thousands(focused + 1)
    );
    let lookup = format!(
        "= one-hot({focused}) × W[{} × {}]",
        thousands(space.len()),
        space.dim()
    );
    let v = space.vector(focused);
    // A narrow panel leaves out W's shape (the status line says it).
    let lookup = if text::width(&lookup) <= w {
        lookup
    } else {
        format!("= one-hot({focused}) × W")
    };
    let mut lines = vec![
        Line::raw(text::fit(&position, w)),
        Line::raw(text::fit(&facts, w)),
        Line::styled(text::fit(&lookup, w), theme.dim()),
    ];
    if let Some(s) = crate::train::subword::of_space(space) {
        let grams = crate::train::subword::ngram_list(space.word(focused), &s);
        let names: Vec<String> = grams
            .iter()
            .map(|(g, _)| text::escape(g).into_owned())
            .collect();
        let made = format!(
            "= mean(own row, {} n-grams: {})",
            grams.len(),
            names.join(" ")
        );
        lines.push(Line::styled(text::fit(&made, w), theme.dim()));
    }
    // The whole vector matters more than its extremes: when one more pair of lines shows
    // all of it, the extremes' line gives way.
    let free = (inner.height as usize).saturating_sub(lines.len());
    let pairs_needed = v.len().div_ceil(w.max(1));
    let whole_without = free / 2 >= pairs_needed && free.saturating_sub(1) / 2 < pairs_needed;
    let strip_rows = if whole_without {
        free
    } else {
        free.saturating_sub(1)
    };
    lines.extend(strip(&v, w, strip_rows, theme));
    if !whole_without {
        lines.push(Line::styled(text::fit(&extremes(&v, w), w), theme.dim()));
    }
    frame.render_widget(Paragraph::new(lines), inner);
}

/// A word outside the vocabulary: the n-grams (and their buckets) whose rows' mean is its
/// vector, then the vector.
fn unknown(
    frame: &mut Frame,
    app: &App,
    theme: &Theme,
    area: Rect,
    (space, word, s): (&crate::Space, &str, Subwords),
) {
    let title = format!(" Inspect {} (not in the vocabulary) ", text::escape(word));
    let (block, inner) = panel_block(app, theme, Panel::Inspect, title, area);
    frame.render_widget(block, area);
    let w = inner.width as usize;
    let grams = crate::train::subword::ngram_list(word, &s);
    let v = space
        .subwords()
        .and_then(|p| p.embed(word))
        .unwrap_or_default();
    let head = format!(
        "= mean of {} n-gram rows ({}–{})",
        grams.len(),
        s.minn,
        s.maxn
    );
    let facts = format!("n-gram·bucket of {} (fastText hash)", thousands(s.buckets));
    // The search cannot focus it (it has no row); Enter there asks the analogy line, which
    // takes any word it builds.
    let ask = "neighbours: Enter (in the analogy panel)";
    let mut lines = vec![
        Line::raw(text::fit(&head, w)),
        Line::styled(text::fit(&facts, w), theme.dim()),
        Line::styled(text::fit(ask, w), theme.dim()),
    ];
    // The n-grams with their buckets, flowing over lines; room is kept for the strip.
    let room = (inner.height as usize).saturating_sub(5).max(2);
    let mut line = String::new();
    for (g, b) in &grams {
        let item = format!("{}·{b} ", text::escape(g));
        if !line.is_empty() && text::width(&line) + text::width(&item) > w {
            if lines.len() == room {
                line.push('…');
                break;
            }
            lines.push(Line::styled(text::fit(&line, w), theme.accent()));
            line.clear();
        }
        line.push_str(&item);
    }
    if !line.is_empty() {
        lines.push(Line::styled(text::fit(&line, w), theme.accent()));
    }
    let strip_rows = (inner.height as usize).saturating_sub(lines.len() + 1);
    lines.extend(strip(&v, w, strip_rows, theme));
    if !v.is_empty() {
        lines.push(Line::styled(text::fit(&extremes(&v, w), w), theme.dim()));
    }
    frame.render_widget(Paragraph::new(lines), inner);
}

/// "min −0.812 @3 · max 1.200 @17" (@ the dimension).
fn extremes(v: &[f32], width: usize) -> String {
    let arg = |better: fn(f32, f32) -> bool| {
        v.iter()
            .enumerate()
            .fold(None, |best: Option<(usize, f32)>, (i, &x)| match best {
                Some((_, b)) if !better(x, b) => best,
                _ => Some((i, x)),
            })
    };
    match (arg(|x, b| x < b), arg(|x, b| x > b)) {
        (Some((i, lo)), Some((j, hi))) => {
            let long = format!("min {lo:.3} @{i} · max {hi:.3} @{j}");
            if text::width(&long) <= width {
                long
            } else {
                format!("min {lo:.3}@{i} max {hi:.3}@{j}")
            }
        }
        _ => "no dimensions".into(),
    }
}

/// Pairs of lines (positive above, negative below), `width` dimensions a pair, at most
/// `rows` lines; the last pair ends with `…` when the vector does not fit.
fn strip<'a>(v: &[f32], width: usize, rows: usize, theme: &Theme) -> Vec<Line<'a>> {
    if width == 0 || rows < 2 || v.is_empty() {
        return Vec::new();
    }
    let max = v.iter().fold(0.0f32, |m, x| m.max(x.abs()));
    let scale = if max > 0.0 && max.is_finite() {
        8.0 / max
    } else {
        0.0
    };
    let level = |x: f32| ((x.abs() * scale).round() as usize).min(8);
    let pairs = rows / 2;
    let mut out = Vec::new();
    for (n, chunk) in v.chunks(width).enumerate() {
        if n == pairs {
            break;
        }
        let cut = n + 1 == pairs && (n + 1) * width < v.len();
        let mut up = Vec::with_capacity(chunk.len());
        let mut down = Vec::with_capacity(chunk.len());
        for (i, &x) in chunk.iter().enumerate() {
            if cut && i + 1 == chunk.len() {
                up.push(Span::raw("…"));
                down.push(Span::raw(" "));
                break;
            }
            let l = level(x);
            if x >= 0.0 {
                up.push(Span::styled(LEVELS[l].to_string(), theme.positive()));
                down.push(Span::raw(" "));
            } else {
                up.push(Span::raw(" "));
                let style: Style = theme.negative().add_modifier(Modifier::REVERSED);
                down.push(Span::styled(LEVELS[8 - l].to_string(), style));
            }
        }
        out.push(Line::from(up));
        out.push(Line::from(down));
    }
    out
}
