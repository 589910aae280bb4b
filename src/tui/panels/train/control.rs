//! Starting, pausing, resuming and stopping a run, and saving (part of `update`).
use super::session::{BaseVectors, SaveRequest, Saved, TrainRequest, Vectors};
use super::{error, Ctx, Mode, Phase, Run, TrainState};
use crate::error::Result;
use crate::jobs::Progress;
use crate::train::{Monitor, MonitorSnapshot, Report};
use crate::tui::app::Lane;
use crate::tui::update::info;
use crate::tui::worker::{Job, JobKind};
use crate::tui::Effect;
use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

/// Starts a run with the form's settings.
pub(crate) fn start_run(t: &mut TrainState, cx: &mut Ctx) {
    if t.is_active() {
        cx.say(info("a run is under way: x stops it"));
        return;
    }
    let paths = t.form.paths();
    if paths.is_empty() {
        t.selected = 0;
        cx.say(error("choose a corpus first (Enter on the corpus row)"));
        return;
    }
    if let Some(p) = paths.iter().find(|p| !p.is_file()) {
        cx.say(error(&format!("no such corpus file: {}", p.display())));
        return;
    }
    let mut config = t.form.config.clone();
    let mode = t.form.mode;
    let base = match (mode, cx.space) {
        (Mode::Scratch, _) => None,
        (Mode::Continue, None) => {
            cx.say(error(
                "no vectors are open to continue: choose from scratch",
            ));
            return;
        }
        (Mode::Continue, Some(space)) => {
            config.dim = space.dim();
            // A subword space continues with its own n-grams and buckets.
            if let Some(s) = crate::train::subword::of_space(space) {
                config.subwords = Some(s);
            }
            let rows = space.len() * space.dim();
            let output = t.output_weights.clone().filter(|o| o.len() == rows);
            Some(BaseVectors {
                space: space.clone(),
                output,
            })
        }
    };
    let corpus_name = corpus_name(&paths);
    let continued_from = base.as_ref().map(|_| cx.name.to_string());
    let gen = cx.jobs.start(Lane::Train);
    let progress = Progress::new();
    let monitor = Arc::new(Monitor::with_progress(progress.clone()));
    let corpus = Arc::new(OnceLock::new());
    let req = TrainRequest {
        paths,
        config: config.clone(),
        monitor: monitor.clone(),
        base,
        corpus: corpus.clone(),
    };
    cx.fx.push(Effect::Run(Job {
        gen,
        kind: JobKind::Train(Box::new(req)),
        progress,
    }));
    cx.say(info(&format!("training on {corpus_name}")));
    if mode == Mode::Scratch && !t.watch_chosen {
        // Frequent words of the new vocabulary, picked from the first snapshot.
        t.watch_words.clear();
        t.watch.clear();
    }
    t.runs += 1;
    let run = Run {
        id: t.runs,
        monitor,
        config,
        corpus,
        corpus_name,
        mode,
        continued_from,
        adopted: false,
        last_snapshot: None,
        last_loss: None,
    };
    started(t, run);
}

/// The corpus files' names, for the status line and the panel.
fn corpus_name(paths: &[PathBuf]) -> String {
    paths
        .iter()
        .map(|p| {
            p.file_name()
                .map_or(p.display().to_string(), |n| n.to_string_lossy().into())
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// The panel's state for a run that was just started.
fn started(t: &mut TrainState, run: Run) {
    t.run = Some(run);
    t.phase = Phase::Running;
    t.seen = None;
    t.loss.clear();
    t.snapshots = 0;
    t.snapshot_total_ms = 0.0;
    t.report = None;
    t.saved = None;
    t.refit = true;
    t.basis = None;
}

pub(crate) fn pause(t: &mut TrainState, cx: &mut Ctx) {
    let Some(run) = &t.run else {
        cx.say(info("nothing is training: s starts a run"));
        return;
    };
    match t.phase {
        Phase::Running => {
            run.monitor.pause();
            t.phase = Phase::Paused;
            let m = info("paused · Space resumes · w saves · x stops");
            cx.say_while(m, crate::tui::app::While::Paused);
        }
        Phase::Paused => {
            run.monitor.resume();
            t.phase = Phase::Running;
            cx.say(info("resumed"));
        }
        _ => {}
    }
}

pub(crate) fn stop(t: &mut TrainState, cx: &mut Ctx) {
    let Some(run) = &t.run else {
        cx.say(info("nothing is training"));
        return;
    };
    if matches!(t.phase, Phase::Running | Phase::Paused) {
        run.monitor.cancel();
        t.phase = Phase::Stopping;
        cx.say(info("stopping… the vectors learnt so far stay open"));
    }
}

/// How far the run got, e.g. "1.25 of 5 epochs".
pub(crate) fn progress_note(snap: &MonitorSnapshot) -> String {
    let per = (snap.total / snap.epochs.max(1)).max(1);
    format!(
        "{:.2} of {} epochs",
        snap.done as f64 / per as f64,
        snap.epochs
    )
}

/// The metadata of a snapshot of the run under way (how far it got, not completed).
pub(crate) fn partial_metadata(run: &Run, snap: &MonitorSnapshot, words: usize) -> String {
    let per = (snap.total / snap.epochs.max(1)).max(1);
    let report = Report {
        completed: false,
        words_processed: snap.done,
        epochs_done: snap.done as f64 / per as f64,
        seconds: snap.seconds,
        words_per_second: snap.words_per_second(),
        final_loss: snap.loss,
        vocab_size: words,
        train_words: per,
        corpus: run.corpus.get().cloned().unwrap_or_default(),
        continued_from: run.continued_from.clone(),
    };
    crate::train::metadata(&run.config, snap.threads as usize, &report)
}

/// Saves the weights as they are now (or the finished run's space) to `name`.
pub(crate) fn save(t: &mut TrainState, cx: &mut Ctx, name: &str) {
    if name.is_empty() {
        cx.say(error("no file name given"));
        return;
    }
    let path = PathBuf::from(name);
    let live = t.run.as_ref().and_then(|r| r.monitor.live().cloned());
    let mut model = None;
    let (vectors, note) = match (&t.run, live) {
        (Some(run), Some(live)) => {
            let snap = run.monitor.snapshot();
            let metadata = partial_metadata(run, &snap, live.vocab().len());
            let label = format!("training ({})", progress_note(&snap));
            let vectors = Vectors::Live {
                live,
                label,
                metadata: Some(metadata),
            };
            // The NNLM's hidden and output layers are not in the live view.
            let later = if run.config.nnlm.is_some() {
                "; the language model is saved with the vectors once the run has ended"
            } else {
                ""
            };
            (
                vectors,
                format!("training, {}{later}", progress_note(&snap)),
            )
        }
        (Some(_), None) => {
            cx.say(info("the corpus is still being read: nothing to save yet"));
            return;
        }
        (None, _) => match cx.space {
            Some(space) => {
                model = t.language_model.clone();
                (Vectors::Ready(space.clone()), finished_note(t))
            }
            None => {
                cx.say(error("nothing to save"));
                return;
            }
        },
    };
    // A file this session wrote, `-o OUT`, or a name asked for twice in a row is replaced;
    // any other existing file is kept and the save says so.
    let replace = [&t.saved, &t.output, &t.replace_ok].contains(&&Some(path.clone()));
    t.replace_ok = Some(path.clone());
    cx.start(JobKind::Save(Box::new(SaveRequest {
        vectors,
        path,
        format: t.format,
        note,
        model,
        replace,
    })));
    cx.say(info("saving…"));
}

pub(crate) fn finished_note(t: &TrainState) -> String {
    match &t.report {
        Some(r) if r.completed => format!("trained, {:.0} epochs", r.epochs_done),
        Some(r) => format!("stopped after {:.2} epochs", r.epochs_done),
        None => "as open".into(),
    }
}

/// A save finished.
pub(crate) fn saved(t: &mut TrainState, cx: &mut Ctx, result: Result<Saved>) {
    cx.say(match result {
        Ok(s) => {
            // What was saved comes first: the path may be cut at the screen's edge.
            let model = if s.model.is_some() {
                " and the language model"
            } else {
                ""
            };
            let msg = format!(
                "saved {} words{model} to {} ({})",
                crate::text::thousands(s.words),
                s.path.display(),
                s.note
            );
            t.saved = Some(s.path);
            t.saved_model = s.model;
            t.unsaved = false;
            info(&msg)
        }
        Err(e) => {
            // A finished run whose save failed is still only in memory.
            t.unsaved |= !t.is_active() && t.report.is_some();
            error(&format!("could not save: {e}"))
        }
    });
}
