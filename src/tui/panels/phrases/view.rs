//! The phrases view, drawn over everything above the status line: the input line, then one
//! row per sentence — its number, its row of the cosine matrix, the sentence and its unknown
//! words — and the highlighted sentence in full at the bottom.
//!
//! Cells are signed two-decimal cosines, right-aligned in 6 columns (12 sentences need 75
//! columns, which fit at 80 × 24); with colours they are shaded by value. Columns that do not
//! fit are cut (with `…`), and the sentence text takes what is left.
use crate::query::Phrase;
use crate::tui::app::{App, Panel};
use crate::tui::panels::phrases::MAX_SENTENCES;
use crate::tui::ui::text;
use crate::tui::ui::theme::Theme;
use crate::tui::ui::{panel_block, row, scroll_offset};
use ratatui::layout::{Position, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};
use ratatui::Frame;

const PROMPT: &str = "› ";
/// Columns of the row label ("12 ").
const LABEL: usize = 3;
/// Columns of one cell (a space and "-0.12").
const CELL: usize = 6;
/// Rows of the details of the highlighted sentence.
const DETAILS: usize = 3;
/// Rows above the table: the input line, the weighting, the hint, the header.
const TOP: usize = 4;
/// Fewest columns worth showing of a sentence beside the matrix.
const MIN_TEXT: usize = 6;

/// Draws the view over `screen` minus its last row (the status line).
pub fn render(frame: &mut Frame, app: &App, theme: &Theme, screen: Rect) {
    let area = Rect {
        height: screen.height.saturating_sub(1),
        ..screen
    };
    frame.render_widget(Clear, area);
    let s = &app.phrases;
    let title = format!(
        " Phrases {}/{MAX_SENTENCES} · cosine similarity ",
        s.phrases.len()
    );
    let (block, inner) = panel_block(app, theme, Panel::Phrases, title, area);
    frame.render_widget(block, area);
    let w = inner.width as usize;
    input_line(frame, app, theme, row(inner, 0));
    let note = format!("weighting: {} (w s c change it)", s.weighting_note());
    frame.render_widget(
        Paragraph::new(Line::styled(text::fit(&note, w), theme.accent())),
        row(inner, 1),
    );
    let hint = match (s.phrases.is_empty(), app.editing) {
        (true, _) => "type a sentence, Enter adds it · Esc, then w s c change the weighting",
        (false, true) => "Enter adds the sentence · Esc: keys become commands (d deletes)",
        (false, false) => "↑↓ move · d delete · i type · w weighting · s stopwords · c PC",
    };
    frame.render_widget(
        Paragraph::new(Line::styled(text::fit(hint, w), theme.dim())),
        row(inner, 2),
    );
    if s.phrases.is_empty() {
        return;
    }
    let rest = (inner.height as usize).saturating_sub(TOP);
    let details = rest >= s.phrases.len() + DETAILS || rest >= 3 + DETAILS;
    let table_h = if details { rest - DETAILS } else { rest };
    let cols = columns(s.phrases.len(), w);
    frame.render_widget(
        Paragraph::new(header(theme, s.phrases.len(), cols, w)),
        row(inner, TOP as u16 - 1),
    );
    let offset = scroll_offset(s.selected, s.phrases.len(), table_h);
    let focused = !app.help && !app.editing;
    let shown = s.phrases.len().saturating_sub(offset).min(table_h);
    for (n, i) in (offset..offset + shown).enumerate() {
        let line = table_row(app, theme, i, cols, w, focused);
        frame.render_widget(Paragraph::new(line), row(inner, TOP as u16 + n as u16));
    }
    if details {
        if let Some(p) = s.phrases.get(s.selected) {
            // One blank row under the table when there is room.
            let top = (TOP as u16 + shown as u16 + 1).min(inner.height - DETAILS as u16);
            let weights = s.weights(s.selected);
            let lines = detail_lines(theme, s.selected, p, weights, w);
            for (n, line) in lines.into_iter().enumerate() {
                frame.render_widget(Paragraph::new(line), row(inner, top + n as u16));
            }
        }
    }
}

fn input_line(frame: &mut Frame, app: &App, theme: &Theme, area: Rect) {
    if area.height == 0 {
        return;
    }
    let input = text::escape(&app.phrases.input);
    let room = (area.width as usize).saturating_sub(text::width(PROMPT) + 1);
    let shown = crate::tui::ui::text::tail_fit(&input, room);
    let typed = Line::from(vec![
        Span::styled(PROMPT, theme.accent()),
        Span::raw(shown.clone()),
    ]);
    frame.render_widget(Paragraph::new(typed), area);
    if app.editing && !app.help && app.prompt.is_none() {
        let x = area.x + (text::width(PROMPT) + text::width(&shown)) as u16;
        if x < area.x + area.width {
            frame.set_cursor_position(Position { x, y: area.y });
        }
    }
}

/// How many matrix columns fit in `w` columns (all `n`, or fewer when cut).
fn columns(n: usize, w: usize) -> usize {
    n.min(w.saturating_sub(LABEL + 1) / CELL)
}

/// True when the sentences have room beside the matrix (else only the details show them).
fn text_room(n: usize, cols: usize, w: usize) -> bool {
    let used = LABEL + cols * CELL + usize::from(cols < n);
    w >= used + 2 + MIN_TEXT
}

fn header<'a>(theme: &Theme, n: usize, cols: usize, w: usize) -> Line<'a> {
    let mut s = text::pad_left("#", LABEL - 1);
    s.push(' ');
    for j in 0..cols {
        s.push_str(&text::pad_left(&(j + 1).to_string(), CELL));
    }
    if cols < n {
        s.push('…');
    }
    if text_room(n, cols, w) {
        s.push_str("  sentence");
    }
    Line::styled(text::fit(&s, w), theme.dim())
}

/// "-0.12", "0.00" (no negative zero) or "—" without a value.
pub fn cell_text(v: Option<f32>) -> String {
    match v {
        Some(v) if v.is_finite() => {
            let v = if v.abs() < 0.005 { 0.0 } else { v };
            format!("{v:.2}")
        }
        _ => "—".to_string(),
    }
}

/// The background of a cell by value (only with colours).
fn shade(color: bool, v: Option<f32>) -> Style {
    let Some(v) = v.filter(|v| color && v.is_finite()) else {
        return Style::new();
    };
    // 256-colour palette: greens for similar, grey around zero, red for opposite.
    let (bg, fg) = match v {
        v if v >= 0.75 => (Color::Indexed(28), Color::White),
        v if v >= 0.5 => (Color::Indexed(64), Color::White),
        v if v >= 0.25 => (Color::Indexed(58), Color::White),
        v if v >= 0.0 => (Color::Indexed(237), Color::Gray),
        _ => (Color::Indexed(88), Color::White),
    };
    Style::new().bg(bg).fg(fg)
}

fn table_row<'a>(
    app: &App,
    theme: &Theme,
    i: usize,
    cols: usize,
    w: usize,
    focused: bool,
) -> Line<'a> {
    let s = &app.phrases;
    let selected = i == s.selected;
    let mark = |style: Style| {
        if selected {
            style.patch(theme.highlight(focused))
        } else {
            style
        }
    };
    let mut spans = vec![Span::styled(
        format!("{} ", text::pad_left(&(i + 1).to_string(), LABEL - 1)),
        mark(Style::new()),
    )];
    let values = s.matrix.get(i);
    for j in 0..cols {
        let v = values.and_then(|r| r.get(j).copied().flatten());
        let style = if i == j {
            theme.dim()
        } else {
            shade(app.color, v)
        };
        spans.push(Span::raw(" "));
        spans.push(Span::styled(text::pad_left(&cell_text(v), CELL - 1), style));
    }
    if cols < s.phrases.len() {
        spans.push(Span::styled("…", theme.dim()));
    }
    if !text_room(s.phrases.len(), cols, w) {
        return Line::from(text::fit_spans(spans, w));
    }
    spans.push(Span::raw("  "));
    let p = &s.phrases[i];
    spans.push(Span::styled(
        text::escape(&p.text).into_owned(),
        mark(Style::new()),
    ));
    for u in p.unknown() {
        spans.push(Span::styled(
            format!(" ?{}", text::escape(u)),
            theme.error(),
        ));
    }
    for u in p.subword() {
        spans.push(Span::styled(
            format!(" ~{}", text::escape(u)),
            theme.accent(),
        ));
    }
    Line::from(text::fit_spans(spans, w))
}

/// The highlighted sentence in full, what was found of its words, and the weight of each.
fn detail_lines<'a>(
    theme: &Theme,
    i: usize,
    p: &Phrase,
    weights: &[f32],
    w: usize,
) -> [Line<'a>; 3] {
    let first = format!("#{} {}", i + 1, text::escape(&p.text));
    let mut facts = format!(
        "{} of {} words have vectors",
        p.known_count(),
        p.tokens.len()
    );
    let unknown = p.unknown();
    if !unknown.is_empty() {
        facts.push_str(&format!(" · unknown: {}", escaped(&unknown)));
    }
    let subword = p.subword();
    if !subword.is_empty() {
        facts.push_str(&format!(" · from subwords: {}", escaped(&subword)));
    }
    if p.vector.is_none() {
        facts.push_str(" · no phrase vector");
    }
    let style = if unknown.is_empty() && p.vector.is_some() {
        theme.dim()
    } else {
        theme.error()
    };
    [
        Line::styled(
            text::fit(&first, w),
            Style::new().add_modifier(Modifier::BOLD),
        ),
        Line::styled(text::fit(&facts, w), style),
        Line::styled(text::fit(&weight_text(p, weights), w), theme.dim()),
    ]
}

/// "weights: the 0.00 · cat 0.97 · chases 1.00" (two decimals; 0 for words left out).
fn weight_text(p: &Phrase, weights: &[f32]) -> String {
    let parts: Vec<String> = p
        .tokens
        .iter()
        .zip(weights)
        .map(|(t, wt)| format!("{} {wt:.2}", text::escape(&t.text)))
        .collect();
    format!("weights: {}", parts.join(" · "))
}

fn escaped(words: &[&str]) -> String {
    words
        .iter()
        .map(|w| text::escape(w).into_owned())
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_and_columns() {
        assert_eq!(cell_text(Some(0.8123)), "0.81");
        assert_eq!(cell_text(Some(-0.001)), "0.00");
        assert_eq!(cell_text(Some(-0.25)), "-0.25");
        assert_eq!(cell_text(None), "—");
        assert_eq!(cell_text(Some(f32::NAN)), "—");
        // Twelve sentences fit at 80 columns (78 inside the border).
        assert_eq!(columns(12, 78), 12);
        assert_eq!(columns(12, 40), 6);
        assert_eq!(columns(3, 2), 0);
    }
}
