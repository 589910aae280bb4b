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
            if std::mem::take(&mut s.enter_pending) && !ask_unknown(app, fx) {
                if let Some(&row) = app.search.hits.get(app.search.selected) {
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

/// The search box's word when the vocabulary lacks it and the space has fastText subwords:
/// the inspector shows how its vector is built, and Enter asks for its neighbours.
pub fn unknown_word(app: &App) -> Option<(&crate::Space, &str, crate::train::Subwords)> {
    let space = app.space.as_ref()?;
    let word = app.search.query().trim();
    if word.is_empty() || word.contains(char::is_whitespace) || space.index(word).is_some() {
        return None;
    }
    Some((space, word, crate::train::subword::of_space(space)?))
}

/// Enter on a word that matched nothing, in a space with subwords: its neighbours (its vector
/// built from its n-grams) are asked of the analogy line, and the box stays ready. True when
/// that was done; with a close spelling highlighted (↓), Enter takes that word instead.
pub(crate) fn ask_unknown(app: &mut App, fx: &mut Vec<Effect>) -> bool {
    // No hit at all, or only close spellings with none chosen yet.
    let unchosen = app.search.closest() && app.search.selected() == 0;
    if !(app.search.hits().is_empty() || unchosen) {
        return false;
    }
    let Some((_, word, _)) = unknown_word(app) else {
        return false;
    };
    let word = word.to_string();
    *app.query.input_mut() = word.clone();
    app.query.edited();
    crate::tui::panels::query::update::request(app, fx);
    app.search.replace_on_next_type();
    app.status = Some(crate::tui::update::info(&format!(
        "{word}: not in the vocabulary; the analogy panel lists the neighbours of its vector \
         from n-grams (↓ then Enter takes a close spelling)"
    )));
    true
}
