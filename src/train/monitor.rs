//! Live counters of a training run that any thread may read, and its controls: cancel,
//! pause / resume, and a view of the weights as they are being trained ([`Live`]).
use super::live::Live;
use crate::jobs::Progress;
use std::sync::atomic::{
    AtomicBool, AtomicU32, AtomicU64, AtomicU8, AtomicUsize, Ordering::Relaxed,
};
use std::sync::{Arc, Condvar, Mutex, OnceLock};
use std::time::{Duration, Instant};

/// What training is doing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// Reading and counting the corpus (building the vocabulary).
    Reading,
    /// Updating the weights.
    Training,
    /// Training has ended.
    Done,
}

/// Live training counters that any thread may sample at any time, and cancellation.
///
/// The inner [`Progress`] counts bytes while the corpus is read, then words processed (all
/// epochs; `total` = epochs × corpus words in the vocabulary). Cancelling it stops the workers
/// within about 10,000 words each.
#[derive(Debug)]
pub struct Monitor {
    progress: Arc<Progress>,
    phase: AtomicU8,
    alpha: AtomicU32,
    epochs: AtomicU64,
    threads: AtomicU64,
    /// Per worker: the mean loss per (word, context) update over its last ~10,000 words, as
    /// f32 bits (NaN before the first report).
    loss: OnceLock<Box<[AtomicU32]>>,
    started: OnceLock<Instant>,
    paused: AtomicBool,
    parked: AtomicUsize,
    /// When the current pause began (`None` when running) and the paused time before it.
    pause_clock: Mutex<(Option<Instant>, Duration)>,
    resume: Condvar,
    live: OnceLock<Arc<Live>>,
}

/// A copy of the counters at one moment.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MonitorSnapshot {
    /// What training is doing at this moment.
    pub phase: Phase,
    /// Bytes read (reading) or words processed (training).
    pub done: u64,
    /// Bytes to read (reading) or words to process over all epochs (training).
    pub total: u64,
    /// Number of passes over the corpus.
    pub epochs: u64,
    /// Number of worker threads.
    pub threads: u64,
    /// The current learning rate.
    pub alpha: f32,
    /// Mean negative-sampling loss per update over the workers' recent updates.
    pub loss: Option<f32>,
    /// Seconds spent training (not reading, not paused).
    pub seconds: f64,
    /// Whether the run is paused.
    pub paused: bool,
}

impl MonitorSnapshot {
    /// The epoch under way, from 1.
    pub fn epoch(&self) -> u64 {
        if self.total == 0 || self.epochs == 0 {
            return 0;
        }
        let per = (self.total / self.epochs).max(1);
        (self.done / per + 1).min(self.epochs)
    }

    /// Fraction of the work done.
    pub fn fraction(&self) -> f64 {
        if self.total == 0 {
            0.0
        } else {
            (self.done as f64 / self.total as f64).min(1.0)
        }
    }

    /// Words processed per second (all threads).
    pub fn words_per_second(&self) -> f64 {
        if self.seconds > 0.0 && self.phase != Phase::Reading {
            self.done as f64 / self.seconds
        } else {
            0.0
        }
    }
}

impl Default for Monitor {
    fn default() -> Self {
        Monitor::with_progress(Progress::new())
    }
}

impl Monitor {
    /// A monitor with its own fresh [`Progress`].
    pub fn new() -> Self {
        Self::default()
    }

    /// A monitor that reports through (and is cancelled by) `progress`.
    pub fn with_progress(progress: Arc<Progress>) -> Self {
        Monitor {
            progress,
            phase: AtomicU8::new(0),
            alpha: AtomicU32::new(0),
            epochs: AtomicU64::new(0),
            threads: AtomicU64::new(0),
            loss: OnceLock::new(),
            started: OnceLock::new(),
            paused: AtomicBool::new(false),
            parked: AtomicUsize::new(0),
            pause_clock: Mutex::new((None, Duration::ZERO)),
            resume: Condvar::new(),
            live: OnceLock::new(),
        }
    }

    /// The shared progress counter (also the cancellation flag).
    pub fn progress(&self) -> &Arc<Progress> {
        &self.progress
    }

    /// Asks the workers to stop (a paused run is woken up to stop).
    pub fn cancel(&self) {
        self.progress.cancel();
        let _guard = self.clock();
        self.resume.notify_all();
    }

    /// Pauses the workers: each finishes the few thousand words it is on and waits. The
    /// weights stay readable through [`Monitor::live`]; paused time does not count as training.
    pub fn pause(&self) {
        let mut clock = self.clock();
        if !self.paused.swap(true, Relaxed) {
            clock.0 = Some(Instant::now());
        }
    }

    /// Lets paused workers go on.
    pub fn resume(&self) {
        let mut clock = self.clock();
        if self.paused.swap(false, Relaxed) {
            if let Some(since) = clock.0.take() {
                clock.1 += since.elapsed();
            }
        }
        self.resume.notify_all();
    }

    /// Whether [`Monitor::pause`] is in effect.
    pub fn is_paused(&self) -> bool {
        self.paused.load(Relaxed)
    }

    /// The weights being trained, once training has started (also after it ended).
    pub fn live(&self) -> Option<&Arc<Live>> {
        self.live.get()
    }

    fn clock(&self) -> std::sync::MutexGuard<'_, (Option<Instant>, Duration)> {
        self.pause_clock
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Blocks a worker while the run is paused (returns at once when cancelled).
    pub(crate) fn wait_while_paused(&self) {
        if !self.is_paused() {
            return;
        }
        let mut clock = self.clock();
        self.parked.fetch_add(1, Relaxed);
        while self.paused.load(Relaxed) && !self.is_cancelled() {
            clock = self
                .resume
                .wait_timeout(clock, Duration::from_millis(200))
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .0;
        }
        self.parked.fetch_sub(1, Relaxed);
    }

    /// Workers waiting in a pause right now. Once it equals the number of workers still
    /// training, the pause has taken hold: no weight changes until [`Monitor::resume`].
    pub fn parked_workers(&self) -> usize {
        self.parked.load(Relaxed)
    }

    /// Seconds of training so far, without the paused time.
    fn active_seconds(&self) -> f64 {
        let Some(started) = self.started.get() else {
            return 0.0;
        };
        let clock = self.clock();
        let paused = clock.1 + clock.0.map_or(Duration::ZERO, |t| t.elapsed());
        started.elapsed().saturating_sub(paused).as_secs_f64()
    }

    /// Whether the run has been cancelled.
    pub fn is_cancelled(&self) -> bool {
        self.progress.is_cancelled()
    }

    /// A consistent copy of the counters now.
    pub fn snapshot(&self) -> MonitorSnapshot {
        let p = self.progress.snapshot();
        let losses: Vec<f32> = self
            .loss
            .get()
            .map(|l| {
                l.iter()
                    .map(|a| f32::from_bits(a.load(Relaxed)))
                    .filter(|x| !x.is_nan())
                    .collect()
            })
            .unwrap_or_default();
        MonitorSnapshot {
            phase: match self.phase.load(Relaxed) {
                0 => Phase::Reading,
                1 => Phase::Training,
                _ => Phase::Done,
            },
            done: p.done,
            total: p.total,
            epochs: self.epochs.load(Relaxed),
            threads: self.threads.load(Relaxed),
            alpha: f32::from_bits(self.alpha.load(Relaxed)),
            loss: (!losses.is_empty()).then(|| losses.iter().sum::<f32>() / losses.len() as f32),
            seconds: self.active_seconds(),
            paused: self.is_paused(),
        }
    }

    pub(crate) fn start(
        &self,
        threads: usize,
        epochs: usize,
        total: u64,
        alpha: f32,
        live: Arc<Live>,
    ) {
        let _ = self.live.set(live);
        let _ = self.loss.set(
            (0..threads)
                .map(|_| AtomicU32::new(f32::NAN.to_bits()))
                .collect(),
        );
        self.threads.store(threads as u64, Relaxed);
        self.epochs.store(epochs as u64, Relaxed);
        self.alpha.store(alpha.to_bits(), Relaxed);
        self.progress.set_done(0);
        self.progress.set_total(total);
        let _ = self.started.set(Instant::now());
        self.phase.store(1, Relaxed);
    }

    /// The run is over: the phase becomes [`Phase::Done`].
    pub(crate) fn finish(&self) {
        self.phase.store(2, Relaxed);
    }

    pub(crate) fn add_words(&self, n: u64) -> u64 {
        self.progress.add(n);
        self.progress.snapshot().done
    }

    pub(crate) fn set_alpha(&self, a: f32) {
        self.alpha.store(a.to_bits(), Relaxed);
    }

    pub(crate) fn set_loss(&self, thread: usize, loss: f32) {
        if let Some(slot) = self.loss.get().and_then(|l| l.get(thread)) {
            slot.store(loss.to_bits(), Relaxed);
        }
    }
}
