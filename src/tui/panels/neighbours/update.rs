//! The neighbours panel's actions: asking for the neighbours of the current target, taking in
//! the answer, changing k.
use super::Target;
use crate::error::Result;
use crate::query::Answer;
use crate::tui::app::{App, Message};
use crate::tui::requests::start;
use crate::tui::worker::JobKind;
use crate::tui::Effect;

/// Largest and smallest number of neighbours.
const K_RANGE: (usize, usize) = (1, 200);

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
        app.neighbours.target = None;
        app.neighbours.answer = None;
        return;
    };
    let rows = match &target {
        Target::Word(r) => vec![*r],
        Target::Centroid(rows) => rows.clone(),
    };
    if app.neighbours.target.as_ref() != Some(&target) {
        app.neighbours.selected = 0;
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
            let last = answer.hits.len().saturating_sub(1);
            n.selected = n.selected.min(last);
            n.answer = Some(answer);
        }
        Err(e) => {
            n.answer = None;
            n.error = Some(e.to_string());
            app.status = Some(Message {
                text: format!("neighbours: {e}"),
                error: true,
            });
        }
    }
}

/// Five more (or fewer) neighbours, within bounds.
pub(crate) fn change_k(app: &mut App, more: bool, fx: &mut Vec<Effect>) {
    let k = app.neighbours.k;
    let k = if more { k + 5 } else { k.saturating_sub(5) };
    app.neighbours.k = k.clamp(K_RANGE.0, K_RANGE.1);
    request(app, fx);
}
