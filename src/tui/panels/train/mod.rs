//! Train in place: the train panel's state (private fields behind a small API), its commands
//! (start, pause, resume, stop, save, watch words, refit), the polling of the run's
//! [`Monitor`] on each tick, and the results of the training, snapshot and save jobs.
//!
//! While a run trains, a snapshot of the weights is taken about once a second on the Live lane
//! (a copy through [`crate::train::Live`], never a stop of the workers) and becomes the
//! explorer's space, so the neighbours, analogy and phrases panels follow the training; when
//! the run ends, the trained space simply stays.
//!
//! The panel's update functions take its own state and a `Ctx` (the pieces of the shared
//! context they need: the open space, jobs, status line, prompt, effects) and hand back an
//! `Outcome` for what is not theirs to change (the focus, the explorer's space), which
//! `tui::adopt` carries out.
mod context;
mod control;
mod fixture;
mod form;
mod results;
pub mod session;
mod update;
pub mod view;
mod view_watch;
pub mod watch;

pub(crate) use context::{Ctx, Outcome};
pub(crate) use control::saved;
#[doc(hidden)]
pub use fixture::Fixture;
pub use form::{Field, Form, Mode};
pub(crate) use results::{finished, snapshot_done, tick};
pub(crate) use update::{command, prompt_accepted};
pub use watch::WatchRow;

use crate::format::Format;
use crate::train::{CorpusStats, Monitor, MonitorSnapshot, Report};
use crate::tui::app::{Message, Panel};
use std::path::{Path, PathBuf};
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
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Phase {
    #[default]
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
    id: u64,
    monitor: Arc<Monitor>,
    config: crate::train::Config,
    corpus: Arc<OnceLock<CorpusStats>>,
    corpus_name: String,
    /// Continuing the open vectors (their rows stay valid) or from scratch.
    mode: Mode,
    continued_from: Option<String>,
    /// A snapshot of this run has become the explorer's space.
    adopted: bool,
    /// When the last snapshot was asked for, and the words done then.
    last_snapshot: Option<(Instant, u64)>,
    last_loss: Option<Instant>,
}

impl Run {
    /// The run's monitor (its counters, pause and cancel).
    pub fn monitor(&self) -> &Monitor {
        &self.monitor
    }

    /// True when the run trains an NNLM (whose language model comes with its result).
    pub fn is_nnlm(&self) -> bool {
        self.config.nnlm.is_some()
    }
}

/// The train panel.
#[derive(Debug, Clone, Default)]
pub struct TrainState {
    form: Form,
    /// The highlighted form row.
    selected: usize,
    phase: Phase,
    run: Option<Run>,
    runs: u64,
    /// The monitor's counters as last polled (the view reads this).
    seen: Option<MonitorSnapshot>,
    /// The windowed loss, one point per [`LOSS_EVERY`] of training.
    loss: Vec<f32>,
    watch: Vec<WatchRow>,
    /// The words to watch (empty: the defaults, chosen from the first snapshot).
    watch_words: Vec<String>,
    /// The user chose the watch words (`e`); else a run from scratch picks its own.
    watch_chosen: bool,
    basis: Option<crate::project::Basis>,
    /// The share of the variance along each axis of `basis` when it was fitted.
    explained: [f64; 2],
    /// The next snapshot fits a new plane and restarts the trails.
    refit: bool,
    /// Cost of the last snapshot: copying the weights, and in all (ms).
    snapshot_ms: Option<(f64, f64)>,
    snapshots: u64,
    /// Milliseconds of all snapshots of the run (their cost per second of training).
    snapshot_total_ms: f64,
    /// The report of the last finished run.
    report: Option<Report>,
    /// The output weights of the last finished run, to continue it (rows of the space).
    output_weights: Option<Arc<Vec<f32>>>,
    /// The NNLM of the last finished run (saved beside its vectors by `w`).
    language_model: Option<Arc<crate::train::nnlm::LanguageModel>>,
    /// `-o OUT` of `embx train --tui`: written when the run ends; `w` suggests it.
    output: Option<PathBuf>,
    format: Option<Format>,
    /// The last file saved.
    saved: Option<PathBuf>,
    /// The language model saved with it, if any.
    saved_model: Option<PathBuf>,
    /// The name of the last save asked for: asked again, an existing file there is replaced.
    replace_ok: Option<PathBuf>,
    /// The panel to go back to.
    back: Option<Panel>,
    /// `q` was pressed once while training: a second `q` quits.
    quit_armed: bool,
    /// A finished run's vectors have not been written anywhere yet.
    unsaved: bool,
    /// A run starts once the space being loaded is in.
    start_on_load: bool,
}

/// Readers, for the view, the status line and the rest of the explorer.
impl TrainState {
    /// True while a run reads, trains, is paused or is stopping.
    pub fn is_active(&self) -> bool {
        matches!(self.phase, Phase::Running | Phase::Paused | Phase::Stopping)
    }

    /// True when quitting now would lose a run: one under way, or a finished one whose
    /// vectors were not saved.
    pub fn would_lose_a_run(&self) -> bool {
        self.is_active() || self.unsaved
    }

    /// The form is shown (no run under way).
    pub fn shows_form(&self) -> bool {
        !self.is_active()
    }

    /// Where the run is.
    pub fn phase(&self) -> &Phase {
        &self.phase
    }

    /// The run under way (from start until its result is in), if any: the loop ticks to poll it.
    pub fn run(&self) -> Option<&Run> {
        self.run.as_ref()
    }

    /// The run's counters as last polled.
    pub fn seen(&self) -> Option<MonitorSnapshot> {
        self.seen
    }

    /// The settings of the next run.
    pub fn form(&self) -> &Form {
        &self.form
    }

    /// The highlighted row of the form.
    pub fn selected_field(&self) -> Field {
        Field::ALL[self.selected.min(Field::ALL.len() - 1)]
    }

    /// The windowed loss, one point per [`LOSS_EVERY`] of training.
    pub fn loss(&self) -> &[f32] {
        &self.loss
    }

    /// The watch words with their neighbours and trails.
    pub fn watch(&self) -> &[WatchRow] {
        &self.watch
    }

    /// The report of the last finished run.
    pub fn report(&self) -> Option<&Report> {
        self.report.as_ref()
    }

    /// The last file saved.
    pub fn saved(&self) -> Option<&Path> {
        self.saved.as_deref()
    }

    /// The NNLM of the last finished run, if it was one.
    pub fn language_model(&self) -> Option<Arc<crate::train::nnlm::LanguageModel>> {
        self.language_model.clone()
    }

    /// The language model saved with the last vectors (an NNLM run's), if any.
    pub fn saved_model(&self) -> Option<&Path> {
        self.saved_model.as_deref()
    }

    /// Where the result is written when the run ends (`embx train --tui -o OUT`).
    pub fn output(&self) -> Option<&Path> {
        self.output.as_deref()
    }

    /// The format asked for the output (None: from its name).
    pub fn format(&self) -> Option<Format> {
        self.format
    }

    /// The last finished run left its output weights, so the next run can continue it.
    pub fn has_output_weights(&self) -> bool {
        self.output_weights.is_some()
    }

    /// Snapshots taken, and their milliseconds in all during the run.
    pub fn snapshot_cost(&self) -> (u64, f64) {
        (self.snapshots, self.snapshot_total_ms)
    }

    /// The panel the train panel goes back to.
    pub fn back(&self) -> Panel {
        self.back.unwrap_or(Panel::Search)
    }

    /// `q` was pressed once while training: a second `q` quits.
    pub fn quit_armed(&self) -> bool {
        self.quit_armed
    }

    /// For the status line: "training 34% · epoch 2/5" (or reading, paused, stopping).
    pub fn status_text(&self) -> String {
        use crate::train::Phase as M;
        let Some(s) = self.seen else {
            return "training…".into();
        };
        let pct = (s.fraction() * 100.0) as u32;
        let what = match (&self.phase, s.phase) {
            (Phase::Paused, _) => "paused",
            (Phase::Stopping, _) => "stopping",
            (_, M::Reading) => "reading corpus",
            _ => "training",
        };
        if s.phase == M::Reading {
            format!("{what} {pct}%")
        } else {
            format!("{what} {pct}% · epoch {}/{}", s.epoch(), s.epochs)
        }
    }
}

/// Changers, for `update`.
impl TrainState {
    /// Moves the form's highlight.
    pub(crate) fn move_by(&mut self, delta: isize) {
        let max = Field::ALL.len() as isize - 1;
        self.selected = (self.selected as isize).saturating_add(delta).clamp(0, max) as usize;
    }

    /// Arms `q` (a second one quits while training).
    pub(crate) fn arm_quit(&mut self) {
        self.quit_armed = true;
    }

    /// Whether `q` was armed; disarms it.
    pub(crate) fn take_quit_armed(&mut self) -> bool {
        std::mem::take(&mut self.quit_armed)
    }

    /// `embx train --tui`: the form filled in, the start row highlighted, and where the
    /// result goes when the run ends.
    pub(crate) fn launch(&mut self, form: Form, output: Option<PathBuf>, format: Option<Format>) {
        self.form = form;
        self.output = output;
        self.format = format;
        self.selected = Field::ALL.len() - 1;
    }

    /// The run starts as soon as the space being loaded is in (`embx train --tui --from`).
    pub(crate) fn start_once_loaded(&mut self) {
        self.start_on_load = true;
    }

    /// Whether a run waits for the space being loaded; forgets the wish (a failed load
    /// takes it back too).
    pub(crate) fn take_start_on_load(&mut self) -> bool {
        std::mem::take(&mut self.start_on_load)
    }
}

pub(crate) fn error(text: &str) -> Message {
    Message {
        text: text.to_string(),
        error: true,
    }
}
