//! Starting background jobs and taking in their results (part of `update`).
use super::adopt::with_train;
use super::app::{Alert, App, Loading, Message, While};
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
    start_on(&mut app.jobs, kind, fx)
}

/// Starts `kind` on its lane of `jobs`: a new generation, and the effect that runs it.
pub(crate) fn start_on(
    jobs: &mut super::app::Jobs,
    kind: JobKind,
    fx: &mut Vec<Effect>,
) -> std::sync::Arc<Progress> {
    let gen = jobs.start(kind.lane());
    let progress = Progress::new();
    fx.push(Effect::Run(Job {
        gen,
        kind,
        progress: progress.clone(),
    }));
    progress
}

/// Opens a space. While another one is open it stays in use (and keeps its name in the
/// status line) until the new one is in; if that fails, an alert says why and nothing else
/// changes.
pub(crate) fn load(app: &mut App, source: Source, fx: &mut Vec<Effect>) {
    let name = source.name();
    if let Source::File { exact, .. } = &source {
        app.exact = *exact;
    }
    if app.space.is_none() {
        app.name = name.clone();
    }
    app.status = Some(info(&format!("loading {name}…")));
    let progress = start(app, JobKind::Load(source), fx);
    app.loading = Some(Loading {
        progress,
        seen: Default::default(),
        name,
    });
}

/// A space was opened: it replaces the one before, if any (whose rows meant other words: the
/// focus, selection, history and every list computed from the old vectors go).
fn loaded(
    app: &mut App,
    space: crate::space::Space,
    warnings: &[crate::error::Warning],
    fx: &mut Vec<Effect>,
) {
    if let Some(l) = app.loading.take() {
        app.name = l.name;
    }
    app.status = match warnings {
        [] => None,
        [w] => Some(info(&format!("warning: {w}"))),
        [w, rest @ ..] => Some(info(&format!("warning: {w} (and {} more)", rest.len()))),
    };
    if app.space.is_some() {
        app.focused = None;
        app.selection.clear();
        app.history.clear();
        app.neighbours.clear();
        app.query.forget_answer();
        app.search.clear_hits();
        app.scatter.forget_layout();
        if app.status.is_none() {
            app.status = Some(info(&format!("opened {}", app.name)));
        }
    }
    prepare(app, &space, fx);
    app.space = Some(space);
    search::update::request(app, fx);
    neighbours::update::request(app, fx);
    query::update::request(app, fx);
    scatter::renew(app, fx);
    crate::tui::panels::phrases::refresh(app);
    if app.train.take_start_on_load() {
        let start = crate::tui::panels::train::TrainCmd::Start;
        crate::tui::update::command(app, crate::tui::Command::Train(start), fx);
    }
}

/// Builds the exact search's copy of a big space on a worker, when it needs one.
pub(crate) fn prepare(app: &mut App, space: &crate::space::Space, fx: &mut Vec<Effect>) {
    if crate::query::begin_prepare(space) {
        // Marked before the first query is asked: the queries scan in f32 until it is done.
        start(app, JobKind::Prepare(space.clone()), fx);
    }
}

/// `a`: neighbours from the file's HNSW index (approximate and fast) or from every word
/// (exact), asked again in the neighbours panel, on the analogy line and in a layout of
/// neighbours. Files opened with `o` are searched the same way.
pub(crate) fn toggle_index(app: &mut App, fx: &mut Vec<Effect>) {
    let Some(space) = app.space.clone() else {
        return;
    };
    if space.attached_index().is_none() {
        let text = "neighbours are exact already: this file has no index (embx index FILE \
                    builds one)"
            .to_string();
        app.status = Some(Message { text, error: false });
        return;
    }
    let exact = space.neighbour_index().is_some();
    space.use_index(!exact);
    app.exact = exact;
    // Short enough for 80 columns beside the file's name.
    let text = if exact {
        "neighbours: every word scanned (exact); a: the index"
    } else {
        "neighbours: from the HNSW index (approximate); a: exact"
    }
    .to_string();
    app.status = Some(Message { text, error: false });
    if exact {
        prepare(app, &space, fx);
    }
    neighbours::update::request(app, fx);
    query::update::request(app, fx);
    scatter::neighbours_switched(app, fx);
}

/// Says on the status line how the exact-search copy became ready, unless the line says
/// something else than that the space opened.
fn prepared(app: &mut App, p: crate::query::Prepared) {
    use crate::query::Prepared;
    let text = match p {
        Prepared::Nothing => return,
        Prepared::Read(_) => "neighbour search sped up (its copy was read from the cache)".into(),
        Prepared::Built { kept, stale } => {
            let stale = stale.map_or(String::new(), |why| format!("; the cached one: {why}"));
            match kept {
                Ok(Some(_)) => {
                    format!("neighbour search sped up (its copy is cached for next time{stale})")
                }
                Ok(None) => "neighbour search sped up".into(),
                Err(e) => format!("neighbour search sped up; caching its copy failed: {e}"),
            }
        }
    };
    let opened = |m: &Message| !m.error && m.text.starts_with("opened ");
    if app.status.as_ref().is_none_or(opened) {
        app.status = Some(info(&text));
    }
}

/// Something the user asked for failed: an alert until dismissed (the status line's next
/// message would hide it).
pub(crate) fn alert(app: &mut App, title: String, text: String) {
    let m = Message {
        text: format!("{title} (Enter or Esc closes the message)"),
        error: true,
    };
    app.alert = Some(Alert { title, text });
    app.say_while(m, While::Alerted);
}

/// A job's result arrived (and it is the latest of its lane).
pub(crate) fn done(app: &mut App, output: Output, fx: &mut Vec<Effect>) {
    match output {
        Output::Loaded(Ok((l, model))) => {
            app.language_model = model;
            query::ngram::forget_stale(app);
            loaded(app, l.space, &l.warnings, fx);
        }
        Output::Loaded(Err(e)) => {
            app.train.take_start_on_load();
            let name = app.loading.take().map_or(app.name.clone(), |l| l.name);
            let mut text = e.to_string();
            if app.space.is_some() {
                text.push_str(&format!("\n\n{} stays open.", app.name));
            } else {
                text.push_str("\n\nNothing is open: o opens another file, q quits.");
                app.name = "no file open".into();
            }
            alert(app, format!("could not open {name}"), text);
        }
        Output::Found(result) => search::update::found(app, result, fx),
        Output::Neighbours(result) => neighbours::update::done(app, result),
        Output::Query(outcome) => {
            query::update::done(app, outcome);
            // The scatter follows the analogy.
            scatter::request(app, fx);
        }
        Output::Scatter(result) => scatter::done(app, result.map(|f| *f)),
        Output::Trained(result) => {
            match &result {
                Err(crate::Error::Interrupted) | Ok(_) => {}
                Err(e) => alert(app, "training failed".into(), e.to_string()),
            }
            with_train(app, fx, |t, cx| train::finished(t, cx, result));
        }
        Output::Snapshot(result) => {
            with_train(app, fx, |t, cx| {
                train::snapshot_done(t, cx, result.map(|b| *b))
            });
        }
        Output::Saved(result) => {
            if let Err(e) = &result {
                alert(
                    app,
                    "could not save the trained vectors".into(),
                    e.to_string(),
                );
            }
            with_train(app, fx, |t, cx| {
                train::saved(t, cx, result);
                None
            });
        }
        Output::File(result) => super::files::done(app, result, fx),
        Output::Prepared(p) => prepared(app, p),
        Output::Counted { model, result } => query::ngram::done(app, model, result, fx),
    }
}
