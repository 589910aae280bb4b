//! The file-name prompt, drawn over the status line while it is open.
use crate::tui::app::App;
use crate::tui::ui::text;
use crate::tui::ui::text::tail_fit;
use crate::tui::ui::theme::Theme;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

const HINT: &str = "Enter ok · Esc cancel ";
/// The hint when the line has room for it: how to clear the folder the prompt offers.
const LONG_HINT: &str = "Ctrl-U clears · Enter ok · Esc cancel ";

pub fn render(frame: &mut Frame, app: &App, theme: &Theme, area: Rect) {
    let Some(p) = &app.prompt else { return };
    if area.height == 0 || area.width == 0 {
        return;
    }
    let w = area.width as usize;
    let label = text::fit(&format!(" {}: ", p.kind.label()), w);
    let room = w.saturating_sub(text::width(&label) + 1);
    // The long hint when the name keeps 40 columns; the hint goes when it would not keep 12.
    let hint = if room >= text::width(LONG_HINT) + 40 {
        LONG_HINT
    } else {
        HINT
    };
    let hint_w = text::width(hint);
    let show_hint = room >= hint_w + 12;
    let room = if show_hint { room - hint_w } else { room };
    let input = text::escape(&p.input);
    let shown = tail_fit(&input, room);
    let used = text::width(&label) + text::width(&shown);
    let mut spans = vec![
        Span::styled(label.clone(), theme.status().patch(theme.accent())),
        Span::styled(shown.clone(), theme.status()),
    ];
    let fill = w.saturating_sub(used + if show_hint { hint_w } else { 0 });
    spans.push(Span::styled(" ".repeat(fill), theme.status()));
    if show_hint {
        spans.push(Span::styled(hint, theme.status()));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
    choices(frame, p.choices(), theme, area);
    let x = area.x + used as u16;
    if x < area.x + area.width {
        frame.set_cursor_position(Position { x, y: area.y });
    }
}

/// The entries Tab found, on the line above the prompt (as a shell lists them).
fn choices(frame: &mut Frame, choices: &[String], theme: &Theme, area: Rect) {
    if choices.is_empty() || area.y == 0 {
        return;
    }
    let w = area.width as usize;
    let mut line = String::from(" ");
    for (i, c) in choices.iter().enumerate() {
        let more = format!("… {} more", choices.len() - i);
        if text::width(&line) + text::width(c) + 2 + text::width(&more) > w && i + 1 < choices.len()
        {
            line.push_str(&more);
            break;
        }
        line.push_str(&text::escape(c));
        line.push_str("  ");
    }
    let row = Rect {
        y: area.y - 1,
        height: 1,
        ..area
    };
    let fill = w.saturating_sub(text::width(&line));
    let shown = format!("{}{}", text::fit(&line, w), " ".repeat(fill));
    frame.render_widget(Paragraph::new(Line::styled(shown, theme.status())), row);
}
