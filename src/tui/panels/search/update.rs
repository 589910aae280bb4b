//! The search panel's actions: asking for a search, taking in its result.
use crate::query::search::Found;
use crate::tui::app::App;
use crate::tui::requests::start;
use crate::tui::update::focus_word;
use crate::tui::worker::JobKind;
use crate::tui::Effect;

/// Starts a search for the panel's query (latest wins).
pub(crate) fn request(app: &mut App, fx: &mut Vec<Effect>) {
    let Some(space) = app.space.clone() else {
        return;
    };
    let kind = JobKind::Search {
        space,
        query: app.search.query.clone(),
        mode: app.search.mode,
    };
    start(app, kind, fx);
}

/// A search finished: `Ok(None)` was cancelled, `Err` is a bad regular expression.
pub(crate) fn found(app: &mut App, result: Result<Option<Found>, String>, fx: &mut Vec<Effect>) {
    match result {
        Ok(Some(found)) => {
            let s = &mut app.search;
            s.error = None;
            s.hits = found.hits;
            s.total = found.total;
            s.closest = found.closest;
            let last = s.hits.len().saturating_sub(1);
            s.selected = s.selected.min(last);
            if std::mem::take(&mut s.enter_pending) {
                if let Some(&row) = s.hits.get(s.selected) {
                    focus_word(app, row, fx);
                }
            }
        }
        Ok(None) => {}
        Err(message) => {
            let s = &mut app.search;
            s.enter_pending = false;
            s.error = Some(message);
            s.hits.clear();
            s.total = 0;
            s.closest = false;
        }
    }
}
