//! The help overlay, generated from the key table (see [`crate::tui::keymap`]).
use super::text;
use super::theme::Theme;
use crate::tui::app::App;
use crate::tui::keymap::{self, help_sections_for};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Borders, Clear, Paragraph};
use ratatui::Frame;

const KEYS_W: usize = 16;
const COLUMN_W: usize = 58;

/// One line of the help: its text, and the heading of the section it belongs to (`None` for
/// the lines about where the keys go now, and for headings themselves).
struct HelpLine<'a> {
    line: Line<'a>,
    section: Option<&'static str>,
}

/// The help as lines for columns `width` wide: first where the keys go now and how to get out
/// of there (of the panel under the help), then a heading per context and `keys  description`,
/// the description wrapped under itself; the panel's own sections before the general ones.
fn help_lines<'a>(app: &App, theme: &Theme, width: usize) -> Vec<HelpLine<'a>> {
    let mut under = app.clone();
    under.help = false;
    let desc_w = width.saturating_sub(KEYS_W + 2).max(12);
    let mut out = vec![HelpLine {
        line: Line::styled(format!("here: {}", keymap::here(&under)), theme.accent()),
        section: None,
    }];
    let binding = |out: &mut Vec<HelpLine<'a>>, keys: &str, what: &str, section| {
        for (i, part) in text::wrap(what, desc_w).into_iter().enumerate() {
            let keys = if i == 0 { keys } else { "" };
            out.push(HelpLine {
                line: Line::from(vec![
                    Span::styled(text::pad_left(keys, KEYS_W), theme.title(true)),
                    Span::raw("  "),
                    Span::raw(part),
                ]),
                section,
            });
        }
    };
    for (keys, what) in keymap::ways_out(&under) {
        binding(&mut out, &keys, &what, None);
    }
    for (heading, bindings) in help_sections_for(&under) {
        for part in text::wrap(heading, width) {
            out.push(HelpLine {
                line: Line::styled(part, theme.accent()),
                section: None,
            });
        }
        for (keys, help) in bindings {
            binding(&mut out, &keys, help, Some(heading));
        }
    }
    out
}

/// Number of help lines (for scrolling), at the narrowest column the overlay uses.
pub fn line_count(app: &App) -> usize {
    help_lines(app, &Theme::new(false), COLUMN_W).len()
}

/// The lines of each of `cols` columns of `height` rows and `width` columns, from `lines`: a
/// column that starts inside a section repeats its heading first.
fn columns<'a>(
    lines: Vec<HelpLine<'a>>,
    (cols, height, width): (usize, usize, usize),
    theme: &Theme,
) -> Vec<Vec<Line<'a>>> {
    let mut out: Vec<Vec<Line<'a>>> = vec![Vec::new()];
    for l in lines {
        if out.last().is_some_and(|c| c.len() >= height) {
            if out.len() == cols {
                break;
            }
            let mut column = Vec::new();
            if let Some(heading) = l.section {
                let text = text::fit(&format!("(continued) {heading}"), width);
                column.push(Line::styled(text, theme.accent()));
            }
            out.push(column);
        }
        if let Some(column) = out.last_mut() {
            column.push(l.line);
        }
    }
    out
}

pub fn render(frame: &mut Frame, app: &App, theme: &Theme, area: Rect) {
    let cols = ((area.width as usize).saturating_sub(2) / COLUMN_W).clamp(1, 3);
    let want_w = (cols * COLUMN_W + 2) as u16;
    let w = want_w.min(area.width);
    let col_w = (w.saturating_sub(2) as usize / cols).max(1);
    let all = help_lines(app, theme, col_w);
    let rows_needed = all.len().div_ceil(cols) as u16 + 3;
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
    let shown: Vec<HelpLine> = all.into_iter().skip(scroll).collect();
    let areas = Layout::horizontal(vec![Constraint::Ratio(1, cols as u32); cols]).split(inner);
    for (column, area) in columns(shown, (cols, height, col_w), theme)
        .into_iter()
        .zip(areas.iter())
    {
        frame.render_widget(Paragraph::new(column), *area);
    }
}
