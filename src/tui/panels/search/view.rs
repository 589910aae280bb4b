//! The vocabulary search panel: the query line, then matching words with their frequency rank.
use crate::tui::app::{App, Panel};
use crate::tui::ui::text::{self, thousands};
use crate::tui::ui::theme::Theme;
use crate::tui::ui::{below, panel_block, row, scroll_offset};
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
use ratatui::Frame;

/// Rows above the list: the query line and, for a bad regex, the error.
fn header_rows(app: &App) -> u16 {
    1 + u16::from(app.search.error.is_some())
}

pub fn list_area(app: &App, inner: Rect) -> Rect {
    below(inner, header_rows(app))
}

/// The query line: `/ ` and the query, with the cursor while typing. Not typing, the prompt is
/// dim and an empty box says how to type in it, so that a key is not taken for text when it
/// is a command.
fn input_line(frame: &mut Frame, app: &App, theme: &Theme, input_row: Rect) {
    let typing = app.focus == Panel::Search && app.editing && !app.help;
    let prompt = "/ ";
    let input = text::escape(&app.search.query);
    let shown = text::tail_fit(&input, (input_row.width as usize).saturating_sub(3));
    let line = match (typing, shown.is_empty()) {
        (false, true) => Line::styled(
            text::fit("/ to type a word", input_row.width as usize),
            theme.dim(),
        ),
        _ => Line::from(vec![
            Span::styled(prompt, if typing { theme.accent() } else { theme.dim() }),
            Span::raw(shown.clone()),
        ]),
    };
    frame.render_widget(Paragraph::new(line), input_row);
    if typing && input_row.height > 0 {
        let x = input_row.x + (text::width(prompt) + text::width(&shown)) as u16;
        if x < input_row.x + input_row.width {
            frame.set_cursor_position(Position { x, y: input_row.y });
        }
    }
}

pub fn render(frame: &mut Frame, app: &App, theme: &Theme, area: Rect) {
    let s = &app.search;
    let title = title(app, area.width as usize);
    let (block, inner) = panel_block(app, theme, Panel::Search, title, area);
    frame.render_widget(block, area);
    input_line(frame, app, theme, row(inner, 0));
    if let Some(e) = &s.error {
        let err = Line::styled(text::fit(e, inner.width as usize), theme.error());
        frame.render_widget(Paragraph::new(err), row(inner, 1));
    }
    let list = list_area(app, inner);
    if app.space.is_none() {
        if app.loading.is_none() && app.alert.is_none() {
            let hint = "No vectors are open: o opens a file, q quits.";
            let p = Paragraph::new(Line::styled(hint, theme.dim())).wrap(Wrap { trim: true });
            frame.render_widget(p, list);
        }
        return;
    }
    if s.hits.is_empty() && s.error.is_none() && !s.query.is_empty() {
        frame.render_widget(Paragraph::new(Line::styled("no match", theme.dim())), list);
        return;
    }
    let focused = app.focus == Panel::Search && !app.help;
    let height = list.height as usize;
    let offset = scroll_offset(s.selected, s.hits.len(), height);
    let w = list.width as usize;
    let lines: Vec<Line> = s
        .hits
        .iter()
        .enumerate()
        .skip(offset)
        .take(height)
        .map(|(i, &r)| {
            let rank = format!("#{}", thousands(r as usize + 1));
            let rank_w = text::width(&rank).min(w.saturating_sub(2));
            let word_w = w.saturating_sub(rank_w + 3);
            let mark = if app.is_selected(r) { "●" } else { " " };
            let mut spans = vec![
                Span::styled(mark, theme.selected_mark()),
                Span::raw(text::word(app.word(r), word_w)),
                Span::raw(" "),
                Span::styled(text::pad_left(&rank, rank_w + 1), theme.dim()),
            ];
            if i == s.selected {
                spans = spans
                    .into_iter()
                    .map(|sp| sp.patch_style(theme.highlight(focused)))
                    .collect();
            }
            Line::from(spans)
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), list);
}

/// The panel's title: the mode and the count of matches, or that the hits are the closest
/// spellings of a query that matched nothing.
fn title(app: &App, width: usize) -> String {
    let s = &app.search;
    match &app.space {
        Some(_) if s.closest => {
            let long = format!(" Search [{}] no match: closest spellings ", s.mode.name());
            if text::width(&long) + 2 <= width {
                long
            } else {
                " Search: closest spellings ".to_string()
            }
        }
        Some(space) => {
            // Narrow panels drop the vocabulary's size, then the mode's name.
            let (mode, found) = (s.mode.name(), thousands(s.total));
            let long = format!(" Search [{mode}] {found} of {} ", thousands(space.len()));
            let shorter = [long, format!(" Search [{mode}] {found} ")];
            shorter
                .into_iter()
                .find(|t| text::width(t) + 2 <= width)
                .unwrap_or_else(|| format!(" Search {found} "))
        }
        None => format!(" Search [{}] ", s.mode.name()),
    }
}
