//! The rows of a [`super::HitList`]: `#  word  cosine  bar`, the highlight, the selection mark.
use crate::query::Hit;
use crate::tui::app::App;
use crate::tui::ui::scroll_offset;
use crate::tui::ui::text::{self, thousands};
use crate::tui::ui::theme::Theme;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

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
