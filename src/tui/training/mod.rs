//! Train in place (part of `update`): the train panel's state, its commands (start, pause,
//! resume, stop, save, watch words, refit), the polling of the run's [`Monitor`] on each tick,
//! and the results of the training, snapshot and save jobs.
//!
//! While a run trains, a snapshot of the weights is taken about once a second on the Live lane
//! (a copy through [`crate::train::Live`], never a stop of the workers) and becomes the
//! explorer's space, so the neighbours, analogy and phrases panels follow the training; when
//! the run ends, the trained space simply stays.
pub(super) mod adopt;
mod form;
pub mod session;
pub mod watch;

pub use form::{Field, Form, Mode};
pub use watch::{WatchBasis, WatchRow};

use super::app::{App, Lane, Message, Panel};
use super::files::{Prompt, PromptKind};
use super::requests::start;
use super::update::{info, set_focus};
use super::worker::{Job, JobKind};
use super::Effect;
use crate::error::{Error, Result};
use crate::format::Format;
use crate::jobs::Progress;
use crate::train::{CorpusStats, Monitor, MonitorSnapshot, Phase as MonitorPhase, Report, Trained};
use session::{BaseVectors, SaveRequest, Saved, Snapshot, SnapshotRequest, TrainRequest, Vectors};
use std::path::PathBuf;
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

/// A snapshot of the weights at most this often.
pub const SNAPSHOT_EVERY: Duration = Duration::from_secs(1);
/// A point of the loss curve this often.
pub const LOSS_EVERY: Duration = Duration::from_millis(500);
/// Points kept of the loss curve.
pub const LOSS_POINTS: usize = 1200;
/// Where `w` saves when nothing else was said.
pub const SAVE_FILE: &str = "embx-trained.fifu";

/// The train panel's commands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TrainCmd {
    /// Open the train panel, or go back to the other panels.
    Toggle,
    /// Enter on a form row: edit or flip it (or start, on the last row).
    Activate,
    Start,
    /// Pause, or resume a paused run.
    Pause,
    Stop,
    Save,
    /// Edit the watch words.
    Watch,
    /// Fit the scatter plane again (the trails start over).
    Refit,
}

/// Where the run is.
#[derive(Debug, Clone, PartialEq)]
pub enum Phase {
    Idle,
    /// Reading the corpus or training.
    Running,
    Paused,
    /// Stop was asked; the workers finish their current words.
    Stopping,
    /// Ended: all epochs done (`completed`) or stopped.
    Finished {
        completed: bool,
    },
    Failed(String),
}

/// A run under way.
#[derive(Debug, Clone)]
pub struct Run {
    /// Counts runs, so that late snapshots of an earlier one are dropped.
    pub id: u64,
    pub monitor: Arc<Monitor>,
    pub config: crate::train::Config,
    pub corpus: Arc<OnceLock<CorpusStats>>,
    pub corpus_name: String,
    /// Continuing the open vectors (their rows stay valid) or from scratch.
    pub mode: Mode,
    pub continued_from: Option<String>,
    /// A snapshot of this run has become the explorer's space.
    pub adopted: bool,
    /// When the last snapshot was asked for, and the words done then.
    pub last_snapshot: Option<(Instant, u64)>,
    pub last_loss: Option<Instant>,
}

/// The train panel.
#[derive(Debug, Clone)]
pub struct TrainState {
    pub form: Form,
    /// The highlighted form row.
    pub selected: usize,
    pub phase: Phase,
    pub run: Option<Run>,
    pub runs: u64,
    /// The monitor's counters as last polled (the view reads this).
    pub seen: Option<MonitorSnapshot>,
    /// The windowed loss, one point per [`LOSS_EVERY`] of training.
    pub loss: Vec<f32>,
    pub watch: Vec<WatchRow>,
    /// The words to watch (empty: the defaults, chosen from the first snapshot).
    pub watch_words: Vec<String>,
    /// The user chose the watch words (`e`); else a run from scratch picks its own.
    pub watch_chosen: bool,
    pub basis: Option<WatchBasis>,
    /// The next snapshot fits a new plane and restarts the trails.
    pub refit: bool,
    /// Cost of the last snapshot: copying the weights, and in all (ms).
    pub snapshot_ms: Option<(f64, f64)>,
    pub snapshots: u64,
    /// Milliseconds of all snapshots of the run (their cost per second of training).
    pub snapshot_total_ms: f64,
    /// The report of the last finished run.
    pub report: Option<Report>,
    /// The output weights of the last finished run, to continue it (rows of the space).
    pub output_weights: Option<Arc<Vec<f32>>>,
    /// `-o OUT` of `embx train --tui`: written when the run ends; `w` suggests it.
    pub output: Option<PathBuf>,
    pub format: Option<Format>,
    /// The last file saved.
    pub saved: Option<PathBuf>,
    /// The panel to go back to.
    pub back: Option<Panel>,
    /// `q` was pressed once while training: a second `q` quits.
    pub quit_armed: bool,
    /// The explorer's space changed while the train panel was in front: the other panels
    /// (and the search) catch up when it is not.
    pub panels_stale: bool,
    pub search_stale: bool,
}

impl Default for TrainState {
    fn default() -> Self {
        TrainState {
            form: Form::default(),
            selected: 0,
            phase: Phase::Idle,
            run: None,
            runs: 0,
            seen: None,
            loss: Vec::new(),
            watch: Vec::new(),
            watch_words: Vec::new(),
            watch_chosen: false,
            basis: None,
            refit: false,
            snapshot_ms: None,
            snapshots: 0,
            snapshot_total_ms: 0.0,
            report: None,
            output_weights: None,
            output: None,
            format: None,
            saved: None,
            back: None,
            quit_armed: false,
            panels_stale: false,
            search_stale: false,
        }
    }
}

impl TrainState {
    /// True while a run reads, trains, is paused or is stopping.
    pub fn is_active(&self) -> bool {
        matches!(self.phase, Phase::Running | Phase::Paused | Phase::Stopping)
    }

    /// The form is shown (no run under way).
    pub fn shows_form(&self) -> bool {
        !self.is_active()
    }
}

/// Carries out a train command.
pub(super) fn command(app: &mut App, c: TrainCmd, fx: &mut Vec<Effect>) {
    match c {
        TrainCmd::Toggle => toggle(app, fx),
        TrainCmd::Activate => activate(app, fx),
        TrainCmd::Start => start_run(app, fx),
        TrainCmd::Pause => pause(app),
        TrainCmd::Stop => stop(app),
        TrainCmd::Save => {
            let default = app.train.output.clone().or(app.train.saved.clone());
            let default = default.map_or(SAVE_FILE.into(), |p| p.display().to_string());
            open_prompt(app, PromptKind::SaveTrained, default);
        }
        TrainCmd::Watch => {
            let words = app.train.watch.iter().map(|r| r.word.as_str());
            let words: Vec<&str> = words.collect();
            open_prompt(app, PromptKind::WatchWords, words.join(" "));
        }
        TrainCmd::Refit => {
            app.train.basis = None;
            app.train.refit = true;
            app.status = Some(info(
                "the scatter plane is fitted again at the next refresh",
            ));
            if !app.train.is_active() {
                refresh_final(app, fx);
            }
        }
    }
}

fn open_prompt(app: &mut App, kind: PromptKind, input: String) {
    app.prompt = Some(Prompt { kind, input });
}

/// Opens the panel (asking for a corpus first when there is none), or goes back.
fn toggle(app: &mut App, fx: &mut Vec<Effect>) {
    if app.focus == Panel::Train {
        let back = app.train.back.take().unwrap_or(Panel::Search);
        set_focus(app, back);
        return;
    }
    app.train.back = Some(app.focus);
    set_focus(app, Panel::Train);
    if app.space.is_some() && app.train.runs == 0 && app.train.form.corpus.is_empty() {
        app.train.form.mode = Mode::Continue;
    }
    // The watch words as the open vectors have them, to compare with once training runs.
    if app.train.watch.is_empty() && !app.train.is_active() {
        refresh_final(app, fx);
    }
    if app.train.shows_form() && app.train.form.corpus.is_empty() {
        app.train.selected = 0;
        open_prompt(app, PromptKind::TrainField(Field::Corpus), String::new());
    }
}

fn activate(app: &mut App, fx: &mut Vec<Effect>) {
    if !app.train.shows_form() {
        return;
    }
    let field = Field::ALL[app.train.selected.min(Field::ALL.len() - 1)];
    if field == Field::Start {
        start_run(app, fx);
    } else if field.is_toggle() {
        app.train.form.toggle(field);
    } else if field == Field::Dim && app.train.form.mode == Mode::Continue {
        app.status = Some(info(
            "a continued run keeps the dimensions of the open vectors",
        ));
    } else {
        let raw = app.train.form.raw(field);
        open_prompt(app, PromptKind::TrainField(field), raw);
    }
}

/// Moves the form's highlight.
pub(super) fn move_by(app: &mut App, delta: isize) {
    let max = Field::ALL.len() as isize - 1;
    let s = &mut app.train.selected;
    *s = (*s as isize).saturating_add(delta).clamp(0, max) as usize;
}

/// The prompt of a train kind was accepted with `text`.
pub(super) fn prompt_accepted(app: &mut App, kind: PromptKind, text: &str, fx: &mut Vec<Effect>) {
    match kind {
        PromptKind::TrainField(field) => match app.train.form.set(field, text) {
            Ok(()) if field == Field::Corpus && !text.trim().is_empty() => {
                // Next: the hyperparameters, or start right away.
                app.train.selected = Field::ALL.len() - 1;
                app.status = Some(info(
                    "Enter or s starts training · ↑↓ Enter change a setting",
                ));
            }
            Ok(()) => {}
            Err(e) => app.status = Some(error(&e)),
        },
        PromptKind::WatchWords => {
            app.train.watch_words = text.split_whitespace().map(str::to_string).collect();
            app.train.watch_chosen = !app.train.watch_words.is_empty();
            app.train.basis = None;
            app.train.refit = true;
            app.status = Some(info(if app.train.watch_words.is_empty() {
                "watching the default words"
            } else {
                "watch words changed"
            }));
            if !app.train.is_active() {
                refresh_final(app, fx);
            }
        }
        PromptKind::SaveTrained => save(app, text.trim(), fx),
        _ => {}
    }
}

fn error(text: &str) -> Message {
    Message {
        text: text.to_string(),
        error: true,
    }
}

/// Starts a run with the form's settings.
pub(super) fn start_run(app: &mut App, fx: &mut Vec<Effect>) {
    if app.train.is_active() {
        app.status = Some(info("a run is under way: x stops it"));
        return;
    }
    let paths = app.train.form.paths();
    if paths.is_empty() {
        app.train.selected = 0;
        app.status = Some(error("choose a corpus first (Enter on the corpus row)"));
        return;
    }
    if let Some(p) = paths.iter().find(|p| !p.is_file()) {
        app.status = Some(error(&format!("no such corpus file: {}", p.display())));
        return;
    }
    let mut config = app.train.form.config.clone();
    let mode = app.train.form.mode;
    let base = match (mode, &app.space) {
        (Mode::Scratch, _) => None,
        (Mode::Continue, None) => {
            app.status = Some(error(
                "no vectors are open to continue: choose from scratch",
            ));
            return;
        }
        (Mode::Continue, Some(space)) => {
            config.dim = space.dim();
            let rows = space.len() * space.dim();
            let output = app.train.output_weights.clone().filter(|o| o.len() == rows);
            Some(BaseVectors {
                space: space.clone(),
                output,
            })
        }
    };
    let corpus_name = paths
        .iter()
        .map(|p| {
            p.file_name()
                .map_or(p.display().to_string(), |n| n.to_string_lossy().into())
        })
        .collect::<Vec<_>>()
        .join(", ");
    let continued_from = base.as_ref().map(|_| app.name.clone());
    let gen = app.jobs.start(Lane::Train);
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
    fx.push(Effect::Run(Job {
        gen,
        kind: JobKind::Train(Box::new(req)),
        progress,
    }));
    let t = &mut app.train;
    if mode == Mode::Scratch && !t.watch_chosen {
        // Frequent words of the new vocabulary, picked from the first snapshot.
        t.watch_words.clear();
        t.watch.clear();
    }
    t.runs += 1;
    t.run = Some(Run {
        id: t.runs,
        monitor,
        config,
        corpus,
        corpus_name: corpus_name.clone(),
        mode,
        continued_from,
        adopted: false,
        last_snapshot: None,
        last_loss: None,
    });
    t.phase = Phase::Running;
    t.seen = None;
    t.loss.clear();
    t.snapshots = 0;
    t.snapshot_total_ms = 0.0;
    t.report = None;
    t.saved = None;
    t.refit = true;
    t.basis = None;
    app.status = Some(info(&format!("training on {corpus_name}")));
}

fn pause(app: &mut App) {
    let Some(run) = &app.train.run else {
        app.status = Some(info("nothing is training: s starts a run"));
        return;
    };
    match app.train.phase {
        Phase::Running => {
            run.monitor.pause();
            app.train.phase = Phase::Paused;
            app.status = Some(info("paused · Space resumes · w saves · x stops"));
        }
        Phase::Paused => {
            run.monitor.resume();
            app.train.phase = Phase::Running;
            app.status = Some(info("resumed"));
        }
        _ => {}
    }
}

fn stop(app: &mut App) {
    let Some(run) = &app.train.run else {
        app.status = Some(info("nothing is training"));
        return;
    };
    if matches!(app.train.phase, Phase::Running | Phase::Paused) {
        run.monitor.cancel();
        app.train.phase = Phase::Stopping;
        app.status = Some(info("stopping… the vectors learnt so far stay open"));
    }
}

/// How far the run got, e.g. "1.25 of 5 epochs".
fn progress_note(snap: &MonitorSnapshot) -> String {
    let per = (snap.total / snap.epochs.max(1)).max(1);
    format!(
        "{:.2} of {} epochs",
        snap.done as f64 / per as f64,
        snap.epochs
    )
}

/// The metadata of a snapshot of the run under way (how far it got, not completed).
fn partial_metadata(run: &Run, snap: &MonitorSnapshot, words: usize) -> String {
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
fn save(app: &mut App, name: &str, fx: &mut Vec<Effect>) {
    if name.is_empty() {
        app.status = Some(error("no file name given"));
        return;
    }
    let path = PathBuf::from(name);
    let live = app
        .train
        .run
        .as_ref()
        .and_then(|r| r.monitor.live().cloned());
    let (vectors, note) = match (&app.train.run, live) {
        (Some(run), Some(live)) => {
            let snap = run.monitor.snapshot();
            let metadata = partial_metadata(run, &snap, live.vocab().len());
            let label = format!("training ({})", progress_note(&snap));
            let vectors = Vectors::Live {
                live,
                label,
                metadata: Some(metadata),
            };
            (vectors, format!("training, {}", progress_note(&snap)))
        }
        (Some(_), None) => {
            app.status = Some(info("the corpus is still being read: nothing to save yet"));
            return;
        }
        (None, _) => match &app.space {
            Some(space) => (Vectors::Ready(space.clone()), finished_note(app)),
            None => {
                app.status = Some(error("nothing to save"));
                return;
            }
        },
    };
    let format = app.train.format;
    start(
        app,
        JobKind::Save(Box::new(SaveRequest {
            vectors,
            path,
            format,
            note,
        })),
        fx,
    );
    app.status = Some(info("saving…"));
}

fn finished_note(app: &App) -> String {
    match &app.train.report {
        Some(r) if r.completed => format!("trained, {:.0} epochs", r.epochs_done),
        Some(r) => format!("stopped after {:.2} epochs", r.epochs_done),
        None => "as open".into(),
    }
}

/// A save finished.
pub(super) fn saved(app: &mut App, result: Result<Saved>) {
    app.status = Some(match result {
        Ok(s) => {
            let msg = format!(
                "saved {} words to {} ({})",
                s.words,
                s.path.display(),
                s.note
            );
            app.train.saved = Some(s.path);
            info(&msg)
        }
        Err(e) => error(&format!("could not save: {e}")),
    });
}

/// Each tick: polls the monitor, extends the loss curve, asks for a snapshot when one is due.
pub(super) fn tick(app: &mut App, fx: &mut Vec<Effect>) {
    let Some(run) = &mut app.train.run else {
        return;
    };
    let snap = run.monitor.snapshot();
    let now = Instant::now();
    app.train.seen = Some(snap);
    let training = snap.phase == MonitorPhase::Training && !snap.paused;
    if let (true, Some(loss)) = (training, snap.loss) {
        if run.last_loss.is_none_or(|t| now - t >= LOSS_EVERY) {
            run.last_loss = Some(now);
            app.train.loss.push(loss);
            if app.train.loss.len() > LOSS_POINTS {
                app.train.loss.remove(0);
            }
        }
    }
    let due = match run.last_snapshot {
        None => true,
        Some((t, done)) => now - t >= SNAPSHOT_EVERY && done != snap.done,
    };
    let Some(live) = run.monitor.live().cloned() else {
        return;
    };
    if !due || app.jobs.is_running(Lane::Live) || app.train.phase == Phase::Stopping {
        return;
    }
    run.last_snapshot = Some((now, snap.done));
    let label = format!("{} (training)", run.corpus_name);
    let req = SnapshotRequest {
        vectors: Vectors::Live {
            live,
            label,
            metadata: None,
        },
        words: app.train.watch_words.clone(),
        basis: app.train.basis.clone(),
        run: run.id,
    };
    start(app, JobKind::Snapshot(Box::new(req)), fx);
}

/// Refreshes the watch words from the explorer's space (no run under way).
fn refresh_final(app: &mut App, fx: &mut Vec<Effect>) {
    let Some(space) = app.space.clone() else {
        return;
    };
    let req = SnapshotRequest {
        vectors: Vectors::Ready(space),
        words: app.train.watch_words.clone(),
        basis: app.train.basis.clone(),
        run: 0,
    };
    start(app, JobKind::Snapshot(Box::new(req)), fx);
}

/// A snapshot arrived: it becomes the explorer's space, and the watch list is refreshed.
pub(super) fn snapshot_done(app: &mut App, result: Result<Snapshot>, fx: &mut Vec<Effect>) {
    let snap = match result {
        Ok(s) => s,
        Err(e) => {
            app.status = Some(error(&format!("snapshot: {e}")));
            return;
        }
    };
    let current = app.train.run.as_ref().map(|r| r.id);
    if snap.run != 0 {
        if current != Some(snap.run) {
            return;
        }
        let run = app.train.run.as_mut().expect("checked above"); // ok: current is Some
        let remap = !run.adopted && run.mode == Mode::Scratch;
        run.adopted = true;
        adopt::adopt(app, snap.space, remap, fx);
    }
    let t = &mut app.train;
    t.snapshots += 1;
    t.snapshot_ms = Some((snap.copy_ms, snap.total_ms));
    if snap.run != 0 {
        t.snapshot_total_ms += snap.total_ms;
    }
    if let Some(b) = snap.fitted {
        t.basis = Some(b);
    }
    if t.watch_words.is_empty() {
        t.watch_words = snap.found.iter().map(|f| f.word.clone()).collect();
    }
    watch::refresh(&mut t.watch, snap.found, std::mem::take(&mut t.refit));
}

/// The run ended (finished, stopped, or failed).
pub(super) fn finished(app: &mut App, result: Result<Trained>, fx: &mut Vec<Effect>) {
    let Some(run) = app.train.run.take() else {
        return;
    };
    app.train.seen = Some(run.monitor.snapshot());
    let trained = match result {
        Ok(t) => t,
        Err(Error::Interrupted) => {
            app.train.phase = Phase::Finished { completed: false };
            app.status = Some(info("stopped before training began"));
            return;
        }
        Err(e) => {
            app.train.phase = Phase::Failed(e.to_string());
            app.status = Some(error(&format!("training failed: {e}")));
            return;
        }
    };
    let r = trained.report.clone();
    let remap = !run.adopted && run.mode == Mode::Scratch;
    app.name = match run.mode {
        Mode::Scratch => format!("{} (trained)", run.corpus_name),
        Mode::Continue => format!(
            "{} + {}",
            app.name.trim_end_matches(" (trained)"),
            run.corpus_name
        ),
    };
    adopt::adopt(app, trained.space.clone(), remap, fx);
    app.train.output_weights = Some(Arc::new(trained.output));
    app.train.phase = Phase::Finished {
        completed: r.completed,
    };
    app.status = Some(info(&format!(
        "{} {} words in {:.1} s, {:.0} words/s — the explorer now shows them{}",
        if r.completed {
            "trained"
        } else {
            "stopped after"
        },
        crate::tui::ui::text::thousands(trained.space.len()),
        r.seconds,
        r.words_per_second,
        if app.train.output.is_some() {
            "; saving…"
        } else {
            " · w saves"
        }
    )));
    app.train.report = Some(r);
    if let Some(out) = app.train.output.clone() {
        let note = finished_note(app);
        let format = app.train.format;
        start(
            app,
            JobKind::Save(Box::new(SaveRequest {
                vectors: Vectors::Ready(trained.space),
                path: out,
                format,
                note,
            })),
            fx,
        );
    }
    refresh_final(app, fx);
}
