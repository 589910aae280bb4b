//! How to get out of where the keys go now, and where to: read from the key table (see
//! [`super::keymap`]) for the bottom line and the help.
use super::app::{App, Panel};
use super::keymap::{ch, key, resolve, Command};
use crate::tui::panels::scatter::Cmd as ScatterCmd;
use crate::tui::panels::train::TrainCmd;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::Rect;

/// How to get out of where the keys go now, and where to: the commands of Esc, `v`, Tab,
/// `q` and Shift-Tab in the current state, as (key, what it does), e.g. ("Tab", "→ Neighbours").
/// The bottom line and the help show these; they come from the key table like everything else.
pub fn ways_out(app: &App) -> Vec<(String, String)> {
    let keys = [
        key(KeyCode::Esc),
        ch('v'),
        key(KeyCode::Tab),
        ch('q'),
        key(KeyCode::BackTab),
    ];
    let mut out: Vec<(String, String)> = Vec::new();
    for k in keys {
        let ev = KeyEvent::new(k.code, KeyModifiers::NONE);
        let Some(c) = resolve(app, &ev) else { continue };
        let Some(what) = way_out(app, c) else {
            continue;
        };
        match out.iter_mut().find(|(_, w)| *w == what) {
            Some(line) => line.0.push_str(&format!("/{}", k.label())),
            None => out.push((k.label(), what)),
        }
    }
    out
}

/// What `c` does as a way out, or None when it is not one.
fn way_out(app: &App, c: Command) -> Option<String> {
    use crate::tui::panels::phrases::PhrasesCmd;
    Some(match c {
        Command::Quit => "quit".into(),
        Command::CloseHelp => "close the help".into(),
        Command::StopEditing => "leave the box".into(),
        Command::PromptCancel => "cancel".into(),
        Command::DismissAlert => "close the message".into(),
        Command::HistoryClose => "close the list".into(),
        Command::FocusNext => format!("→ {}", tab_target(app, true).title()),
        Command::FocusPrev => format!("← {}", tab_target(app, false).title()),
        Command::Phrases(PhrasesCmd::Toggle) | Command::Train(TrainCmd::Toggle) => {
            format!("back to {}", tab_base(app).title())
        }
        // `v` in the scatter: back to the neighbours (which it may have taken the place of);
        // short, so that Tab's way fits beside it at 80 columns.
        Command::Scatter(ScatterCmd::Show) if app.focus == Panel::Scatter => {
            format!("→ {}", Panel::Neighbours.title())
        }
        _ => return None,
    })
}

/// Where the keys go now, for the help's first line: the focused panel and whether its
/// line takes typing, or the overlay on top.
pub fn here(app: &App) -> String {
    if app.alert.is_some() {
        return "an error message".into();
    }
    if app.prompt.is_some() {
        return "a file name prompt".into();
    }
    if app.history.is_open() {
        return "the focus history list".into();
    }
    let typing = app.editing && app.has_input();
    format!(
        "{} panel{}",
        app.focus.title(),
        if typing { ", typing in its box" } else { "" }
    )
}

/// The panel Tab (`forward`) or Shift-Tab moves the focus to: the next one on screen, in
/// the order they are laid out. Below the scatter's own column the scatter and the
/// neighbours share a place (`v` switches them), and the one shown takes that place's turn.
pub(crate) fn tab_target(app: &App, forward: bool) -> Panel {
    let (w, h) = app.size;
    let on_screen =
        crate::tui::ui::scatter_areas(app, crate::tui::ui::areas(Rect::new(0, 0, w, h)));
    let mut ring: Vec<Panel> = Vec::with_capacity(Panel::ALL.len());
    for p in Panel::ALL {
        let p = match p {
            Panel::Neighbours if on_screen.neighbours.is_empty() => Panel::Scatter,
            p => p,
        };
        if !on_screen.panel(p).is_empty() && !ring.contains(&p) {
            ring.push(p);
        }
    }
    let from = tab_base(app);
    match ring.iter().position(|&p| p == from) {
        Some(i) if forward => ring[(i + 1) % ring.len()],
        Some(i) => ring[(i + ring.len() - 1) % ring.len()],
        // Not on screen (or nothing is: a terminal too small for panels): the plain order.
        None if forward => from.next(),
        None => from.prev(),
    }
}

/// Where Tab counts from: the focused panel, or for a view over the whole screen (phrases,
/// train), the panel it was opened from.
pub(crate) fn tab_base(app: &App) -> Panel {
    match app.focus {
        Panel::Phrases => crate::tui::panels::phrases::back(app),
        Panel::Train => app.train.back(),
        p => p,
    }
}
