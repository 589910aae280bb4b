//! The alert: an error that stays over the panels until Enter or Esc (a failed load, save,
//! export or training run). The panels under it keep their state; the space before stays open.
use super::text;
use super::theme::Theme;
use crate::tui::app::App;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Block, BorderType, Borders, Clear, Paragraph, Wrap};
use ratatui::Frame;

const FOOTER: &str = "Enter or Esc closes this message";

/// Draws the alert, centred in `area` (the screen above the status line).
pub fn render(frame: &mut Frame, app: &App, theme: &Theme, area: Rect) {
    let Some(alert) = &app.alert else { return };
    if area.width < 8 || area.height < 5 {
        return;
    }
    let w = area.width.saturating_sub(4).min(76);
    let inner_w = w.saturating_sub(2) as usize;
    let mut lines: Vec<Line> = Vec::new();
    for l in alert.text.lines() {
        lines.push(Line::raw(text::escape(l).into_owned()));
    }
    lines.push(Line::raw(""));
    lines.push(Line::styled(text::fit(FOOTER, inner_w), theme.dim()));
    // Rows the wrapped text needs (by display width; a close estimate is enough here).
    let rows: usize = lines
        .iter()
        .map(|l| (l.width().max(1)).div_ceil(inner_w.max(1)))
        .sum();
    let h = (rows as u16 + 2).min(area.height);
    let popup = Rect::new(
        area.x + (area.width - w) / 2,
        area.y + (area.height - h) / 2,
        w,
        h,
    );
    frame.render_widget(Clear, popup);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_type(BorderType::Double)
        .border_style(theme.error())
        .title(text::fit(&format!(" {} ", alert.title), inner_w))
        .title_style(theme.error());
    let para = Paragraph::new(lines)
        .block(block)
        .wrap(Wrap { trim: false });
    frame.render_widget(para, popup);
}
