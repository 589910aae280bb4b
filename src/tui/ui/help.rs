//! The help overlay, generated from the key table (see [`crate::tui::keymap`]).
use super::text;
use super::theme::Theme;
use crate::tui::app::App;
use crate::tui::keymap::{self, help_sections};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Borders, Clear, Paragraph};
use ratatui::Frame;

const KEYS_W: usize = 16;
const COLUMN_W: usize = 58;

/// The help as lines: first where the keys go now and how to get out of there (of the panel
/// under the help), then a heading per context and `keys  description`.
pub fn lines<'a>(app: &App, theme: &Theme) -> Vec<Line<'a>> {
    let mut under = app.clone();
    under.help = false;
    let mut out = vec![Line::styled(
        format!("here: {}", keymap::here(&under)),
        theme.accent(),
    )];
    for (keys, what) in keymap::ways_out(&under) {
        out.push(Line::from(vec![
            Span::styled(text::pad_left(&keys, KEYS_W), theme.title(true)),
            Span::raw("  "),
            Span::raw(what),
        ]));
    }
    for (heading, bindings) in help_sections() {
        out.push(Line::styled(heading.to_string(), theme.accent()));
        for (keys, help) in bindings {
            out.push(Line::from(vec![
                Span::styled(text::pad_left(&keys, KEYS_W), theme.title(true)),
                Span::raw("  "),
                Span::raw(help),
            ]));
        }
    }
    out
}

/// Number of help lines (for scrolling).
pub fn line_count(app: &App) -> usize {
    lines(app, &Theme::new(false)).len()
}

pub fn render(frame: &mut Frame, app: &App, theme: &Theme, area: Rect) {
    let all = lines(app, theme);
    let cols = ((area.width as usize).saturating_sub(2) / COLUMN_W).clamp(1, 3);
    let want_w = (cols * COLUMN_W + 2) as u16;
    let rows_needed = all.len().div_ceil(cols) as u16 + 2;
    let w = want_w.min(area.width);
    let h = rows_needed.min(area.height);
    let x = area.x + (area.width - w) / 2;
    let y = area.y + (area.height - h) / 2;
    let popup = Rect::new(x, y, w, h);
    frame.render_widget(Clear, popup);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_type(BorderType::Double)
        .title(text::fit(
            " keys (↑↓ scroll, Esc close) ",
            w.saturating_sub(2) as usize,
        ))
        .title_style(theme.accent());
    let inner = block.inner(popup);
    frame.render_widget(block, popup);
    let height = inner.height as usize;
    if height == 0 {
        return;
    }
    let scroll = app.help_scroll.min(all.len().saturating_sub(1));
    let shown: Vec<Line> = all.into_iter().skip(scroll).collect();
    let areas = Layout::horizontal(vec![Constraint::Ratio(1, cols as u32); cols]).split(inner);
    for (chunk, area) in shown.chunks(height).zip(areas.iter()) {
        frame.render_widget(Paragraph::new(chunk.to_vec()), *area);
    }
}
