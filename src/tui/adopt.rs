//! A new space (a snapshot of the weights, or the trained result) becomes the explorer's
//! space: rows are carried over by word when the vocabulary changed, and the panels that show
//! something computed from the vectors ask for it again. Also the train panel's calls: its
//! state and the pieces of the shared context it needs, and what it hands back carried out.
use crate::space::Space;
use crate::tui::app::{App, Panel};
use crate::tui::panels::train::{Ctx, Outcome, TrainState};
use crate::tui::panels::{neighbours, query, search};
use crate::tui::panels::{phrases, scatter};
use crate::tui::update::{return_to, set_focus};
use crate::tui::Effect;

/// The panels behind the train panel that have not caught up with the latest space.
#[derive(Debug, Clone, Copy, Default)]
pub struct Behind {
    /// The explorer's space changed while the train panel was in front: the other panels
    /// catch up when it is not.
    panels: bool,
    /// ... and the search runs again (the vocabulary changed).
    search: bool,
}

/// Runs one of the train panel's update functions on its state and the shared context, then
/// carries out what it handed back.
pub(crate) fn with_train<F>(app: &mut App, fx: &mut Vec<Effect>, f: F)
where
    F: FnOnce(&mut TrainState, &mut Ctx) -> Option<Outcome>,
{
    let mut cx = Ctx {
        space: app.space.as_ref(),
        name: &app.name,
        focus: app.focus,
        jobs: &mut app.jobs,
        status: &mut app.status,
        status_while: &mut app.status_while,
        prompt: &mut app.prompt,
        fx,
    };
    let outcome = f(&mut app.train, &mut cx);
    match outcome {
        None => {}
        Some(Outcome::Focus(Panel::Train)) => set_focus(app, Panel::Train),
        Some(Outcome::Focus(panel)) => return_to(app, panel),
        Some(Outcome::Adopt { space, remap, name }) => {
            if let Some(name) = name {
                app.name = name;
            }
            // The run's NNLM, or none: the vectors it belonged to are gone.
            app.language_model = app.train.language_model();
            crate::tui::panels::query::ngram::forget_stale(app);
            adopt(app, space, remap, fx);
        }
    }
}

/// Makes `space` the explorer's space. `remap`: the rows may mean other words than in the
/// space before (training from scratch), so the focus, selection and history are carried
/// over by word (words the new space lacks are dropped) and the search runs again. A continued
/// run keeps the rows of the open vectors, so nothing needs to move.
pub(crate) fn adopt(app: &mut App, space: Space, remap: bool, fx: &mut Vec<Effect>) {
    if remap {
        if let Some(old) = &app.space {
            let map = |row: u32| -> Option<u32> {
                let word = old.word(row as usize);
                space.index(word)
            };
            app.focused = app.focused.and_then(map);
            app.selection = app.selection.iter().filter_map(|&r| map(r)).collect();
            app.history.remap(map);
        }
        app.search.clear_hits();
        app.neighbours.clear();
        app.scatter.forget_layout();
    }
    let first = app.space.is_none();
    // A continued run that added words keeps the rows, but the search's hits and count are
    // the smaller vocabulary's: it runs again.
    let grown = app
        .space
        .as_ref()
        .is_some_and(|old| old.len() != space.len());
    app.space = Some(space);
    app.behind.panels = true;
    app.behind.search |= remap || first || grown;
    if app.focus != Panel::Train {
        refresh_panels(app, fx);
    }
}

/// The panels hidden behind the train panel compute nothing while it is in front: once it
/// is not, they catch up with the latest space (called at the end of each `update`).
pub(crate) fn catch_up(app: &mut App, fx: &mut Vec<Effect>) {
    if app.behind.panels && app.focus != Panel::Train {
        refresh_panels(app, fx);
    }
}

fn refresh_panels(app: &mut App, fx: &mut Vec<Effect>) {
    app.behind.panels = false;
    if std::mem::take(&mut app.behind.search) {
        search::update::request(app, fx);
    }
    neighbours::update::request(app, fx);
    if app.query.answers_input() {
        query::update::request(app, fx);
    } else if !app.selection.is_empty() {
        scatter::request(app, fx);
    }
    scatter::renew(app, fx);
    phrases::refresh(app);
}
