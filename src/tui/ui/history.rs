//! The focus history list (`[` / `]`): the words walked through, oldest at the top, the
//! focused one marked, the cursor highlighted. Drawn over the neighbours panel.
use super::text;
use super::theme::Theme;
use super::{row, scroll_offset};
use crate::tui::app::App;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Borders, Clear, Paragraph};
use ratatui::Frame;

/// Draws the list over `over` (the neighbours panel's area), when it is open.
pub fn render(frame: &mut Frame, app: &App, theme: &Theme, over: Rect) {
    let h = &app.history;
    let Some(cursor) = h.cursor() else { return };
    if over.width < 12 || over.height < 4 {
        return;
    }
    let entries = h.entries();
    let w = over.width.min(40);
    let height = (entries.len() as u16 + 2).min(over.height);
    let popup = Rect::new(over.x + over.width - w, over.y, w, height);
    frame.render_widget(Clear, popup);
    let title = format!(" History {}/{} · Enter jumps ", cursor + 1, entries.len());
    let block = Block::default()
        .borders(Borders::ALL)
        .border_type(BorderType::Double)
        .border_style(theme.border(true))
        .title(text::fit(&title, w.saturating_sub(2) as usize))
        .title_style(theme.title(true));
    let inner = block.inner(popup);
    frame.render_widget(block, popup);
    let rows = inner.height as usize;
    let offset = scroll_offset(cursor, entries.len(), rows);
    let word_w = (inner.width as usize).saturating_sub(6);
    for (n, (i, &r)) in entries
        .iter()
        .enumerate()
        .skip(offset)
        .take(rows)
        .enumerate()
    {
        let here = h.position() == Some(i);
        let mark = if here { "▶" } else { " " };
        let mut line = Line::from(vec![
            Span::styled(text::pad_left(&(i + 1).to_string(), 3), theme.dim()),
            Span::raw(" "),
            Span::styled(mark, theme.accent()),
            Span::raw(" "),
            Span::raw(text::word(app.word(r), word_w)),
        ]);
        if i == cursor {
            line = line.patch_style(theme.highlight(true));
        }
        frame.render_widget(Paragraph::new(line), row(inner, n as u16));
    }
}
