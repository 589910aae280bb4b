//! The neighbours panel: the top k of the focused word (or of the selection's centroid),
//! with cosines as bars.
use crate::query::Hit;
use crate::tui::app::{App, Panel, Target};
use crate::tui::ui::text::{self, thousands};
use crate::tui::ui::theme::Theme;
use crate::tui::ui::{below, panel_block, row, scroll_offset};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

pub fn list_area(inner: Rect) -> Rect {
    below(inner, 1)
}

fn heading(app: &App) -> String {
    let n = &app.neighbours;
    match &n.target {
        Some(Target::Word(r)) => {
            format!(" Neighbours of {} (k={}) ", text::escape(app.word(*r)), n.k)
        }
        Some(Target::Centroid(rows)) => {
            format!(
                " Neighbours of the centroid of {} words (k={}) ",
                rows.len(),
                n.k
            )
        }
        None => format!(" Neighbours (k={}) ", n.k),
    }
}

pub fn render(frame: &mut Frame, app: &App, theme: &Theme, area: Rect) {
    let (block, inner) = panel_block(app, theme, Panel::Neighbours, heading(app), area);
    frame.render_widget(block, area);
    let n = &app.neighbours;
    let info = match (&n.target, &n.error) {
        (_, Some(e)) => Line::styled(text::fit(e, inner.width as usize), theme.error()),
        (None, _) if app.space.is_some() => Line::styled(
            text::fit(
                "Enter on a word in the search focuses it",
                inner.width as usize,
            ),
            theme.dim(),
        ),
        (Some(Target::Centroid(rows)), _) => {
            let words: Vec<String> = rows
                .iter()
                .map(|&r| text::escape(app.word(r)).into_owned())
                .collect();
            Line::styled(
                text::fit(
                    &format!("mean of {}", words.join(", ")),
                    inner.width as usize,
                ),
                theme.dim(),
            )
        }
        _ => Line::styled(
            text::fit(
                "Enter walks · [ back · ] forward · +/- k",
                inner.width as usize,
            ),
            theme.dim(),
        ),
    };
    frame.render_widget(Paragraph::new(info), row(inner, 0));
    let Some(answer) = &n.answer else { return };
    let focused = app.focus == Panel::Neighbours && !app.help;
    let lines = hit_lines(
        app,
        theme,
        &answer.hits,
        n.selected,
        focused,
        list_area(inner),
    );
    frame.render_widget(Paragraph::new(lines), list_area(inner));
}

/// Rows `#  word  cosine  bar` for `hits` in `area`, scrolled to keep `selected` visible.
pub fn hit_lines<'a>(
    app: &App,
    theme: &Theme,
    hits: &[Hit],
    selected: usize,
    focused: bool,
    area: Rect,
) -> Vec<Line<'a>> {
    let height = area.height as usize;
    let w = area.width as usize;
    let offset = scroll_offset(selected, hits.len(), height);
    let num_w = thousands(hits.len()).len().max(2);
    let word_w = hits
        .iter()
        .map(|h| text::width(&text::escape(app.word(h.index))))
        .max()
        .unwrap_or(0)
        .clamp(4, 20)
        .min(w.saturating_sub(num_w + 2));
    // "12 word     0.8123 ████"
    let fixed = num_w + 1 + 1 + word_w + 1 + 7 + 1;
    let bar_w = w.saturating_sub(fixed);
    hits.iter()
        .enumerate()
        .skip(offset)
        .take(height)
        .map(|(i, h)| {
            let mark = if app.is_selected(h.index) { "●" } else { " " };
            let mut spans = vec![
                Span::styled(text::pad_left(&(i + 1).to_string(), num_w), theme.dim()),
                Span::raw(" "),
                Span::styled(mark, theme.selected_mark()),
                Span::raw(text::word(app.word(h.index), word_w)),
                Span::raw(" "),
                Span::raw(text::pad_left(&format!("{:.4}", h.score), 7)),
                Span::raw(" "),
                Span::styled(text::bar(h.score, bar_w), theme.bar()),
            ];
            if i == selected {
                spans = spans
                    .into_iter()
                    .map(|sp| sp.patch_style(theme.highlight(focused)))
                    .collect();
            }
            Line::from(spans)
        })
        .collect()
}
