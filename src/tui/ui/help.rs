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
/// Blank columns at the right of every column, so that a full line does not run into the
/// next column's.
const GAP: usize = 2;

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
    let desc_w = width.saturating_sub(KEYS_W + 2 + GAP).max(12);
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
    // The panel's own sections come first: a key in two sections does what the first says.
    for part in text::wrap(
        "a key listed twice does what its first listing says",
        width - GAP.min(width),
    ) {
        out.push(HelpLine {
            line: Line::styled(part, theme.dim()),
            section: None,
        });
    }
    for (heading, bindings) in help_sections_for(&under) {
        for part in text::wrap(heading, width.saturating_sub(GAP).max(12)) {
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
/// column that starts inside a section (the first too, scrolled) repeats its heading first.
fn columns<'a>(
    lines: Vec<HelpLine<'a>>,
    (cols, height, width): (usize, usize, usize),
    theme: &Theme,
) -> Vec<Vec<Line<'a>>> {
    let mut out: Vec<Vec<Line<'a>>> = Vec::new();
    for l in lines {
        if out.last().is_none_or(|c| c.len() >= height) {
            if out.len() == cols {
                break;
            }
            let mut column = Vec::new();
            if let Some(heading) = l.section {
                let text = text::fit(&format!("(continued) {heading}"), width.saturating_sub(GAP));
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

/// Where the help goes on a screen of `area`: the popup, its number of columns and their
/// width, and the help's lines for that width.
fn place<'a>(app: &App, theme: &Theme, area: Rect) -> (Rect, usize, usize, Vec<HelpLine<'a>>) {
    let cols = ((area.width as usize).saturating_sub(2) / COLUMN_W).clamp(1, 3);
    let want_w = (cols * COLUMN_W + 2) as u16;
    let w = want_w.min(area.width);
    let col_w = (w.saturating_sub(2) as usize / cols).max(1);
    let all = help_lines(app, theme, col_w);
    let rows_needed = all.len().div_ceil(cols) as u16 + 3;
    let h = rows_needed.min(area.height);
    let x = area.x + (area.width - w) / 2;
    let y = area.y + (area.height - h) / 2;
    (Rect::new(x, y, w, h), cols, col_w, all)
}

/// How many lines a scroll of `delta` (↓ 1, PgDn a page, Home and End all the way) moves the
/// help on the screen the app last saw, stopping when its end is in sight. In one column,
/// line by line. In several, the lines flow from column to column, so a step is a whole
/// column (PgDn: all of them): every line moves into the place of the one a column before
/// it, and none jumps on its own.
pub fn scroll_by(app: &App, delta: isize) -> isize {
    let area = Rect::new(0, 0, app.size.0, app.size.1);
    let (popup, cols, _, all) = place(app, &Theme::new(false), area);
    let height = popup.height.saturating_sub(2).max(1) as usize;
    // The lines a column starting at `start` holds (one row goes to a repeated heading).
    let held = |start: usize| {
        let heading = all.get(start).is_some_and(|l| l.section.is_some());
        height.saturating_sub(usize::from(heading)).max(1)
    };
    // Whether everything from `start` on is on the screen: no need to go further.
    let rest_shown = |start: usize| (0..cols).fold(start, |at, _| at + held(at)) >= all.len();
    // Whole columns with several, lines with one; Home and End go as far as there is.
    let (steps, by_column) = match (cols, delta.unsigned_abs()) {
        (_, d) if d > all.len() => (all.len() + 1, cols > 1),
        (1, d) => (d, false),
        (_, 1) => (1, true),
        _ => (cols, true),
    };
    let mut at = app.help_scroll;
    for _ in 0..steps {
        at = match (delta > 0, by_column) {
            (false, _) if at == 0 => break,
            (true, _) if rest_shown(at) => break,
            (true, true) => at + held(at),
            (true, false) => at + 1,
            (false, false) => at.saturating_sub(1),
            (false, true) => {
                let back = at.saturating_sub(height);
                [back, back + 1]
                    .into_iter()
                    .find(|&s| s < at && s + held(s) == at)
                    .unwrap_or(back)
            }
        };
    }
    at as isize - app.help_scroll as isize
}

pub fn render(frame: &mut Frame, app: &App, theme: &Theme, area: Rect) {
    let (popup, cols, col_w, all) = place(app, theme, area);
    frame.render_widget(Clear, popup);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_type(BorderType::Double)
        .title(text::fit(
            if cols > 1 {
                " keys (↑↓ a column, PgUp PgDn a page, Esc close) "
            } else {
                " keys (↑↓ scroll, Esc close) "
            },
            popup.width.saturating_sub(2) as usize,
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::app::Panel;

    #[test]
    fn every_line_leaves_a_gap_before_the_next_column() {
        let theme = Theme::new(false);
        let mut app = App::new("tiny", false);
        for focus in [Panel::Search, Panel::Neighbours, Panel::Scatter] {
            app.focus = focus;
            for width in [COLUMN_W, 40] {
                for l in help_lines(&app, &theme, width).iter().skip(1) {
                    let text: String = l.line.spans.iter().map(|s| s.content.as_ref()).collect();
                    assert!(text::width(&text) <= width - GAP, "{width}: {text:?}");
                }
            }
        }
    }
}
