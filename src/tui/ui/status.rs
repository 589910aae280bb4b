//! The status line: file, size, running jobs, the last message, and key hints.
use super::text::{self, thousands};
use super::theme::Theme;
use crate::tui::app::{App, Lane, Panel};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

/// Key hints for the current state (short, the help has the rest).
fn hints(app: &App) -> &'static str {
    if app.help {
        "Esc close"
    } else if app.focus == Panel::Phrases {
        if app.editing {
            "Enter add · Esc done · F1 help"
        } else {
            "d delete · i type · Esc back · ? help"
        }
    } else if app.editing && app.focus == Panel::Query {
        "Enter run · Tab add/mul · Esc done · F1 help"
    } else if app.editing {
        "Enter focus · Space select · Esc done · F1 help"
    } else {
        "? help · / search · : analogy · Tab panel · q quit"
    }
}

pub fn render(frame: &mut Frame, app: &App, theme: &Theme, area: Rect) {
    if area.height == 0 || area.width == 0 {
        return;
    }
    let w = area.width as usize;
    let mut left = format!(" {}", text::escape(&app.name));
    if let Some(space) = &app.space {
        left.push_str(&format!(
            " · {} words · {} dims",
            thousands(space.len()),
            space.dim()
        ));
    }
    if !app.selection.is_empty() {
        left.push_str(&format!(" · {} selected", app.selection.len()));
    }
    let jobs: Vec<String> = app
        .jobs
        .running()
        .map(|lane| match (lane, &app.loading) {
            (Lane::Load, Some(l)) if l.seen.total > 0 => {
                let pct = l.seen.done.min(l.seen.total) * 100 / l.seen.total;
                format!("loading {pct}%")
            }
            _ => format!("{}…", lane.name()),
        })
        .collect();
    if !jobs.is_empty() {
        left.push_str(&format!(" · {}", jobs.join(", ")));
    }
    let mut spans = vec![Span::styled(left.clone(), theme.status())];
    let mut used = text::width(&left);
    if let Some(m) = &app.status {
        let msg = format!(" · {}", m.text.lines().next().unwrap_or(""));
        let style = if m.error {
            theme.status().patch(theme.error())
        } else {
            theme.status()
        };
        let msg = text::fit(&msg, w.saturating_sub(used));
        used += text::width(&msg);
        spans.push(Span::styled(msg, style));
    }
    let hint = hints(app);
    let room = w.saturating_sub(used);
    let fill = if room >= text::width(hint) + 3 {
        format!("{}{hint} ", " ".repeat(room - text::width(hint) - 1))
    } else {
        " ".repeat(room)
    };
    spans.push(Span::styled(fill, theme.status()));
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}
