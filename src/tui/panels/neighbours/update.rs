//! The neighbours panel's actions: asking for the neighbours of the current target, taking in
//! the answer, changing k.
use super::Target;
use crate::error::Result;
use crate::query::Answer;
use crate::tui::app::{App, Message};
use crate::tui::requests::start;
use crate::tui::worker::JobKind;
use crate::tui::Effect;

/// The neighbour list's target: the selection's centroid or the focused word.
fn target(app: &App) -> Option<Target> {
    if app.centroid && !app.selection.is_empty() {
        Some(Target::Centroid(app.selection.clone()))
    } else {
        app.focused.map(Target::Word)
    }
}

/// Starts the neighbours of the current target (or clears the list when there is none).
pub(crate) fn request(app: &mut App, fx: &mut Vec<Effect>) {
    let (Some(space), Some(target)) = (app.space.clone(), target(app)) else {
        app.neighbours.clear();
        return;
    };
    let rows = match &target {
        Target::Word(r) => vec![*r],
        Target::Centroid(rows) => rows.clone(),
    };
    if app.neighbours.target.as_ref() != Some(&target) {
        app.neighbours.list.highlight_first();
    }
    app.neighbours.target = Some(target);
    let k = app.neighbours.k;
    start(app, JobKind::Neighbours { space, rows, k }, fx);
}

/// The answer arrived.
pub(crate) fn done(app: &mut App, result: Result<Answer>) {
    let n = &mut app.neighbours;
    match result {
        Ok(answer) => {
            n.error = None;
            n.list.set(answer);
        }
        Err(e) => {
            n.list.clear();
            n.error = Some(e.to_string());
            app.status = Some(Message {
                text: format!("neighbours: {e}"),
                error: true,
            });
        }
    }
}

/// Five more (or fewer) neighbours, within the CLI's bounds: at least 1, at most the number
/// of words in the space (with a note when a bound stops the change, as `-k` has).
pub(crate) fn change_k(app: &mut App, more: bool, fx: &mut Vec<Effect>) {
    let words = app.space.as_ref().map_or(1, |s| s.len().max(1));
    let k = app.neighbours.k;
    let wanted = if more { k + 5 } else { k.saturating_sub(5) };
    app.neighbours.k = wanted.clamp(1, words);
    if wanted != app.neighbours.k {
        let text = if more {
            format!("k is at most {words}, the words of the space")
        } else {
            "k is at least 1".to_string()
        };
        app.status = Some(Message { text, error: false });
    }
    request(app, fx);
}
