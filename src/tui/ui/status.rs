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
    } else if app.focus == Panel::Train {
        use crate::tui::panels::train::Phase;
        match app.train.phase {
            Phase::Running => "Space pause · x stop · w save · e watch · Esc panels",
            Phase::Paused => "Space resume · x stop · w save · Esc panels",
            Phase::Stopping => "stopping… · Esc panels",
            _ => "Enter change · s start · Esc back · ? help",
        }
    } else if app.focus == Panel::Phrases {
        if app.editing {
            "Enter add · Esc done · F1 help"
        } else {
            "d delete · i type · Esc back · ? help"
        }
    } else if app.editing && app.focus == Panel::Query {
        "Enter run · Tab add/mul · Esc done · F1 help"
    } else if app.editing {
        "Enter focus · ↑↓ move · Esc leave the box · F1 help"
    } else if app.train.is_active() {
        "t training · ? help · / search · : analogy · q quit"
    } else {
        "? help · / search · : analogy · Tab panel · t train · q quit"
    }
}

/// "training 34% · epoch 2/5" (or reading, paused, stopping).
fn training_note(app: &App) -> String {
    use crate::train::Phase as M;
    use crate::tui::panels::train::Phase;
    let Some(s) = app.train.seen else {
        return "training…".into();
    };
    let pct = (s.fraction() * 100.0) as u32;
    let what = match (&app.train.phase, s.phase) {
        (Phase::Paused, _) => "paused",
        (Phase::Stopping, _) => "stopping",
        (_, M::Reading) => "reading corpus",
        _ => "training",
    };
    if s.phase == M::Reading {
        format!("{what} {pct}%")
    } else {
        format!("{what} {pct}% · epoch {}/{}", s.epoch(), s.epochs)
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
        // The train panel shows the run itself.
        .filter(|lane| *lane != Lane::Live && !(*lane == Lane::Train && app.focus == Panel::Train))
        .map(|lane| match (lane, &app.loading) {
            (Lane::Train, _) => training_note(app),
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
