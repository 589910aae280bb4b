//! Mouse input, part of `update`: a click focuses the panel under it (and the row or the
//! input line under it; a click on the highlighted row activates it), the wheel scrolls.
use super::app::{App, Panel};
use super::keymap::Command;
use super::panels::hits::HitList;
use super::ui::{areas, list_area, scatter_areas, scroll_offset};
use super::update::set_focus;
use crossterm::event::{MouseButton, MouseEvent, MouseEventKind};
use ratatui::layout::{Margin, Position, Rect};

/// Applies `ev` to the focus and highlight; returns commands to carry out after that.
pub fn handle(app: &mut App, ev: &MouseEvent) -> Vec<Command> {
    let (x, y) = (ev.column, ev.row);
    if app.alert.is_some() {
        return match ev.kind {
            MouseEventKind::Down(_) => vec![Command::DismissAlert],
            _ => Vec::new(),
        };
    }
    if app.prompt.is_some() {
        return Vec::new();
    }
    if app.history.is_open() {
        return match ev.kind {
            MouseEventKind::ScrollDown => vec![Command::Forward],
            MouseEventKind::ScrollUp => vec![Command::Back],
            MouseEventKind::Down(_) => vec![Command::HistoryClose],
            _ => Vec::new(),
        };
    }
    if app.help {
        return match ev.kind {
            MouseEventKind::Down(_) => vec![Command::CloseHelp],
            _ => Vec::new(),
        };
    }
    if app.focus == Panel::Phrases {
        return crate::tui::panels::phrases::mouse(app, ev);
    }
    if app.focus == Panel::Train {
        return match ev.kind {
            MouseEventKind::ScrollDown => vec![Command::Down],
            MouseEventKind::ScrollUp => vec![Command::Up],
            _ => Vec::new(),
        };
    }
    let screen = Rect::new(0, 0, app.size.0, app.size.1);
    let layout = scatter_areas(app, areas(screen));
    let Some(panel) = layout.panel_at(x, y) else {
        return Vec::new();
    };
    match ev.kind {
        MouseEventKind::ScrollDown | MouseEventKind::ScrollUp => {
            if app.focus != panel {
                set_focus(app, panel);
            }
            let c = if ev.kind == MouseEventKind::ScrollDown {
                Command::Down
            } else {
                Command::Up
            };
            vec![c]
        }
        MouseEventKind::Down(MouseButton::Left) => click(app, panel, layout.panel(panel), x, y),
        _ => Vec::new(),
    }
}

fn click(app: &mut App, panel: Panel, area: Rect, x: u16, y: u16) -> Vec<Command> {
    let was_focused = app.focus == panel;
    let editing = app.editing;
    set_focus(app, panel);
    let inner = area.inner(Margin::new(1, 1));
    if app.has_input() && inner.height > 0 && y == inner.y {
        app.editing = true;
        return Vec::new();
    }
    // Typing in the search goes on while clicking its list.
    app.editing = panel == Panel::Search && (editing || !was_focused);
    let list = list_area(app, panel, inner);
    if !list.contains(Position { x, y }) {
        return Vec::new();
    }
    let Some((selected, len)) = list_state(app, panel) else {
        return Vec::new();
    };
    let index = scroll_offset(selected, len, list.height as usize) + (y - list.y) as usize;
    if index >= len {
        return Vec::new();
    }
    if was_focused && index == selected {
        return vec![Command::Activate];
    }
    select(app, panel, index);
    Vec::new()
}

fn list_state(app: &App, panel: Panel) -> Option<(usize, usize)> {
    match panel {
        Panel::Search => Some((app.search.selected(), app.search.hits().len())),
        Panel::Neighbours => hit_list(app.neighbours.list()),
        Panel::Query => hit_list(app.query.list()),
        Panel::Inspect | Panel::Phrases | Panel::Scatter | Panel::Train => None,
    }
}

fn hit_list(list: &HitList) -> Option<(usize, usize)> {
    list.answer()
        .as_ref()
        .map(|a| (list.selected(), a.hits.len()))
}

fn select(app: &mut App, panel: Panel, index: usize) {
    match panel {
        Panel::Search => app.search.select(index),
        Panel::Neighbours => app.neighbours.list_mut().select(index),
        Panel::Query => app.query.list_mut().select(index),
        Panel::Inspect | Panel::Phrases | Panel::Scatter | Panel::Train => {}
    }
}
