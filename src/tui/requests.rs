//! Starting background jobs and taking in their results (part of `update`).
use super::app::{App, Loading, Message, Target};
use super::scatter;
use super::training;
use super::update::{focus_word, info};
use super::worker::{Job, JobKind, Output, Source};
use super::Effect;
use crate::jobs::Progress;

pub(super) fn start(
    app: &mut App,
    kind: JobKind,
    fx: &mut Vec<Effect>,
) -> std::sync::Arc<Progress> {
    let gen = app.jobs.start(kind.lane());
    let progress = Progress::new();
    fx.push(Effect::Run(Job {
        gen,
        kind,
        progress: progress.clone(),
    }));
    progress
}

pub(super) fn load(app: &mut App, source: Source, fx: &mut Vec<Effect>) {
    app.name = source.name();
    app.status = Some(Message {
        text: format!("loading {}…", app.name),
        error: false,
    });
    let progress = start(app, JobKind::Load(source), fx);
    app.loading = Some(Loading {
        progress,
        seen: Default::default(),
    });
}

pub(super) fn request_search(app: &mut App, fx: &mut Vec<Effect>) {
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

/// The neighbour list's target: the selection's centroid or the focused word.
fn target(app: &App) -> Option<Target> {
    if app.centroid && !app.selection.is_empty() {
        Some(Target::Centroid(app.selection.clone()))
    } else {
        app.focused.map(Target::Word)
    }
}

pub(super) fn request_neighbours(app: &mut App, fx: &mut Vec<Effect>) {
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

pub(super) fn request_query(app: &mut App, fx: &mut Vec<Effect>) {
    let Some(space) = app.space.clone() else {
        return;
    };
    if app.query.input.trim().is_empty() {
        return;
    }
    let kind = JobKind::Query {
        space,
        line: app.query.input.clone(),
        method: app.query.method,
        k: app.neighbours.k,
    };
    start(app, kind, fx);
}

/// A job's result arrived (and it is the latest of its lane).
pub(super) fn done(app: &mut App, output: Output, fx: &mut Vec<Effect>) {
    match output {
        Output::Loaded(Ok(loaded)) => {
            app.loading = None;
            let space = loaded.space;
            app.status = match loaded.warnings.as_slice() {
                [] => None,
                [w] => Some(info(&format!("warning: {w}"))),
                [w, rest @ ..] => Some(info(&format!("warning: {w} (and {} more)", rest.len()))),
            };
            app.space = Some(space);
            request_search(app, fx);
            request_neighbours(app, fx);
        }
        Output::Loaded(Err(e)) => {
            app.loading = None;
            app.status = Some(Message {
                text: format!("could not open {}: {e}", app.name),
                error: true,
            });
        }
        Output::Found(Ok(Some(found))) => {
            app.search.error = None;
            app.search.hits = found.hits;
            app.search.total = found.total;
            let last = app.search.hits.len().saturating_sub(1);
            app.search.selected = app.search.selected.min(last);
            if std::mem::take(&mut app.search.enter_pending) {
                if let Some(&row) = app.search.hits.get(app.search.selected) {
                    focus_word(app, row, fx);
                }
            }
        }
        Output::Found(Ok(None)) => {}
        Output::Found(Err(message)) => {
            app.search.enter_pending = false;
            app.search.error = Some(message);
            app.search.hits.clear();
            app.search.total = 0;
        }
        Output::Neighbours(Ok(answer)) => {
            app.neighbours.error = None;
            let last = answer.hits.len().saturating_sub(1);
            app.neighbours.selected = app.neighbours.selected.min(last);
            app.neighbours.answer = Some(answer);
        }
        Output::Neighbours(Err(e)) => {
            app.neighbours.answer = None;
            app.neighbours.error = Some(e.to_string());
            app.status = Some(Message {
                text: format!("neighbours: {e}"),
                error: true,
            });
        }
        Output::Query(outcome) => {
            // The same line again (the vectors changed under training): keep the highlight.
            if outcome.asked != app.query.asked {
                app.query.selected = 0;
            }
            app.query.asked = outcome.asked;
            app.query.analogy = outcome.analogy;
            match outcome.result {
                Ok(answer) => {
                    let last = answer.hits.len().saturating_sub(1);
                    app.query.selected = app.query.selected.min(last);
                    app.query.answer = Some(answer);
                    app.query.error = None;
                }
                Err(e) => {
                    app.query.answer = None;
                    app.query.error = Some(e);
                }
            }
            scatter::request(app, fx);
        }
        Output::Scatter(result) => scatter::done(app, result),
        Output::Trained(result) => training::finished(app, result, fx),
        Output::Snapshot(result) => training::snapshot_done(app, result.map(|b| *b), fx),
        Output::Saved(result) => training::saved(app, result),
    }
}
