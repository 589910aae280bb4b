//! Starting background jobs and taking in their results (part of `update`).
use super::app::{App, Loading, Message};
use super::panels::{neighbours, query, scatter, search, train};
use super::update::info;
use super::worker::{Job, JobKind, Output, Source};
use super::Effect;
use crate::jobs::Progress;

pub(crate) fn start(
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

pub(crate) fn load(app: &mut App, source: Source, fx: &mut Vec<Effect>) {
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

/// A job's result arrived (and it is the latest of its lane).
pub(crate) fn done(app: &mut App, output: Output, fx: &mut Vec<Effect>) {
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
            search::update::request(app, fx);
            neighbours::update::request(app, fx);
        }
        Output::Loaded(Err(e)) => {
            app.loading = None;
            app.status = Some(Message {
                text: format!("could not open {}: {e}", app.name),
                error: true,
            });
        }
        Output::Found(result) => search::update::found(app, result, fx),
        Output::Neighbours(result) => neighbours::update::done(app, result),
        Output::Query(outcome) => query::update::done(app, outcome, fx),
        Output::Scatter(result) => scatter::done(app, result.map(|f| *f)),
        Output::Trained(result) => train::finished(app, result, fx),
        Output::Snapshot(result) => train::snapshot_done(app, result.map(|b| *b), fx),
        Output::Saved(result) => train::saved(app, result),
        Output::File(result) => super::files::done(app, result, fx),
    }
}
