//! Running a layout on a worker: a shared [`Control`] to pause, resume and cancel it, and the
//! [`Frame`]s it streams every few iterations so a plot can animate while it converges.
use crate::error::{Error, Result};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

/// Shared switches of a running layout; the worker checks them between iterations.
#[derive(Debug, Default)]
pub struct Control {
    cancelled: AtomicBool,
    paused: AtomicBool,
}

impl Control {
    /// A fresh control, neither paused nor cancelled.
    pub fn new() -> Arc<Self> {
        Arc::new(Self::default())
    }

    /// Asks the layout to stop at its next check (it returns [`Error::Interrupted`]).
    pub fn cancel(&self) {
        self.cancelled.store(true, Ordering::Relaxed);
    }

    /// True once [`Control::cancel`] was called.
    pub fn is_cancelled(&self) -> bool {
        self.cancelled.load(Ordering::Relaxed)
    }

    /// Holds the layout at its next check until [`Control::resume`] or a cancel.
    pub fn pause(&self) {
        self.paused.store(true, Ordering::Relaxed);
    }

    /// Lets a paused layout go on.
    pub fn resume(&self) {
        self.paused.store(false, Ordering::Relaxed);
    }

    /// True while paused.
    pub fn is_paused(&self) -> bool {
        self.paused.load(Ordering::Relaxed)
    }

    /// An error once cancelled (without waiting for a pause to end).
    pub(crate) fn check(&self) -> Result<()> {
        if self.is_cancelled() {
            return Err(Error::Interrupted);
        }
        Ok(())
    }

    /// Waits while paused; an error once cancelled.
    pub(crate) fn checkpoint(&self) -> Result<()> {
        while self.is_paused() && !self.is_cancelled() {
            std::thread::sleep(Duration::from_millis(10));
        }
        if self.is_cancelled() {
            return Err(Error::Interrupted);
        }
        Ok(())
    }
}

/// The layout at one moment, lent to the frame callback (copy what you keep).
#[derive(Debug, Clone, Copy)]
pub struct Frame<'a> {
    /// Iterations (t-SNE) or epochs (UMAP) done so far; 0 is the starting layout.
    pub iteration: usize,
    /// Iterations planned in all.
    pub iterations: usize,
    /// One point per input row, in input order.
    pub points: &'a [[f32; 2]],
}

/// How often and to whom a layout reports, and the switches it obeys.
pub struct Stream<'a> {
    /// Pause and cancel.
    pub control: &'a Control,
    /// A frame every this many iterations (0: only the final layout is returned).
    pub every: usize,
    /// Receives the frames.
    pub on_frame: &'a mut dyn FnMut(Frame<'_>),
}

impl<'a> Stream<'a> {
    /// Sends a frame of `points` (f64 pairs) when `iteration` is due, or `force`d.
    pub(crate) fn report(
        &mut self,
        iteration: usize,
        iterations: usize,
        points: &[[f64; 2]],
        force: bool,
    ) {
        let due = self.every > 0 && iteration.is_multiple_of(self.every);
        if !(due || force) {
            return;
        }
        let copy: Vec<[f32; 2]> = points.iter().map(|p| [p[0] as f32, p[1] as f32]).collect();
        (self.on_frame)(Frame {
            iteration,
            iterations,
            points: &copy,
        });
    }
}

/// A stream that reports nothing and is never cancelled (for one-shot command-line runs).
pub fn run_quietly<T>(f: impl FnOnce(&mut Stream<'_>) -> Result<T>) -> Result<T> {
    let control = Control::default();
    let mut sink = |_: Frame<'_>| {};
    let mut stream = Stream {
        control: &control,
        every: 0,
        on_frame: &mut sink,
    };
    f(&mut stream)
}
