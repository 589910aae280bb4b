//! Train in place (part of `update`): the train panel's state, its commands (start, pause,
//! resume, stop, save, watch words, refit), the polling of the run's [`Monitor`] on each tick,
//! and the results of the training, snapshot and save jobs.
//!
//! While a run trains, a snapshot of the weights is taken about once a second on the Live lane
//! (a copy through [`crate::train::Live`], never a stop of the workers) and becomes the
//! explorer's space, so the neighbours, analogy and phrases panels follow the training; when
//! the run ends, the trained space simply stays.
pub(crate) mod adopt;
mod control;
mod form;
mod results;
pub mod session;
pub mod watch;

pub use form::{Field, Form, Mode};
pub use watch::WatchRow;

pub(crate) use control::saved;
pub mod view;
mod view_watch;

use control::{pause, save, start_run, stop};
use results::refresh_final;
pub(crate) use results::{finished, snapshot_done, tick};

use crate::format::Format;
use crate::train::{CorpusStats, Monitor, MonitorSnapshot, Report};
use crate::tui::app::{App, Message, Panel};
use crate::tui::files::{Prompt, PromptKind};
use crate::tui::update::{info, set_focus};
use crate::tui::Effect;
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
    pub basis: Option<crate::project::Basis>,
    /// The share of the variance along each axis of `basis` when it was fitted.
    pub explained: [f64; 2],
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
            explained: [0.0; 2],
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
pub(crate) fn command(app: &mut App, c: TrainCmd, fx: &mut Vec<Effect>) {
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
pub(crate) fn move_by(app: &mut App, delta: isize) {
    let max = Field::ALL.len() as isize - 1;
    let s = &mut app.train.selected;
    *s = (*s as isize).saturating_add(delta).clamp(0, max) as usize;
}

/// The prompt of a train kind was accepted with `text`.
pub(crate) fn prompt_accepted(app: &mut App, kind: PromptKind, text: &str, fx: &mut Vec<Effect>) {
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

pub(crate) fn error(text: &str) -> Message {
    Message {
        text: text.to_string(),
        error: true,
    }
}
