//! Test support: a train panel in a fixed state, made without a clock, threads or a corpus,
//! for the snapshot tests of its view (`tests/tui_train_render.rs`). The explorer itself never
//! builds one: its state changes only through `update`.
use super::{Field, Form, Phase, TrainState, WatchRow};
use crate::project::Basis;
use crate::train::MonitorSnapshot;

/// What the view shows of a run, set directly; [`Fixture::build`] makes the panel's state.
#[derive(Debug, Clone)]
pub struct Fixture {
    pub form: Form,
    /// The highlighted row of the form.
    pub selected: Field,
    pub phase: Phase,
    /// The run's counters as last polled.
    pub seen: Option<MonitorSnapshot>,
    /// The loss curve's points.
    pub loss: Vec<f32>,
    pub watch: Vec<WatchRow>,
    /// The plane of the trails, and the share of the variance along its axes.
    pub basis: Option<Basis>,
    pub explained: [f64; 2],
    /// The last snapshot's cost (copy, all; ms) and how many were taken.
    pub snapshot_ms: Option<(f64, f64)>,
    pub snapshots: u64,
}

impl Default for Fixture {
    /// The panel as it opens: the default form with its first row highlighted, no run.
    fn default() -> Self {
        Fixture {
            form: Form::default(),
            selected: Field::ALL[0],
            phase: Phase::Idle,
            seen: None,
            loss: Vec::new(),
            watch: Vec::new(),
            basis: None,
            explained: [0.0; 2],
            snapshot_ms: None,
            snapshots: 0,
        }
    }
}

impl Fixture {
    /// The train panel's state showing this.
    pub fn build(self) -> TrainState {
        TrainState {
            form: self.form,
            selected: Field::ALL
                .iter()
                .position(|&f| f == self.selected)
                .unwrap_or(0),
            phase: self.phase,
            seen: self.seen,
            loss: self.loss,
            watch: self.watch,
            basis: self.basis,
            explained: self.explained,
            snapshot_ms: self.snapshot_ms,
            snapshots: self.snapshots,
            ..TrainState::default()
        }
    }
}
