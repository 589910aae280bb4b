//! Background work: progress counters that a front end polls, and cancellation.
//!
//! Long operations (loading, converting, scanning) take an optional [`Progress`] and update
//! it with plain atomic stores, never one message per step; the command line draws a bar
//! from it and the explorer polls it between frames.
//!
//! Front ends run such work on [`Runner`]: one thread per [`Lane`], latest request wins,
//! with [`Generations`] to drop results that a newer request has replaced.
mod background;
mod eta;
mod lanes;
mod runner;

pub use background::{in_background, BACKGROUND_NICE};
pub use eta::Eta;
pub use lanes::{Generations, Lane};
pub use runner::{Runner, Task};

use crate::error::{Error, Result};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;

/// Shared progress of one operation.
#[derive(Debug, Default)]
pub struct Progress {
    done: AtomicU64,
    total: AtomicU64,
    cancelled: AtomicBool,
}

/// A copy of the counters at one moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ProgressSnapshot {
    /// Units done so far.
    pub done: u64,
    /// Units of work in all (0 while unknown).
    pub total: u64,
}

impl Progress {
    /// A fresh handle: nothing done, not cancelled.
    pub fn new() -> Arc<Self> {
        Arc::new(Self::default())
    }

    /// Sets the amount of work (e.g. bytes of a file).
    pub fn set_total(&self, total: u64) {
        self.total.store(total, Ordering::Relaxed);
    }

    /// Records `n` more units done.
    pub fn add(&self, n: u64) {
        self.done.fetch_add(n, Ordering::Relaxed);
    }

    /// Sets the units done.
    pub fn set_done(&self, n: u64) {
        self.done.store(n, Ordering::Relaxed);
    }

    /// The counters now.
    pub fn snapshot(&self) -> ProgressSnapshot {
        ProgressSnapshot {
            done: self.done.load(Ordering::Relaxed),
            total: self.total.load(Ordering::Relaxed),
        }
    }

    /// Asks the operation to stop at its next check.
    pub fn cancel(&self) {
        self.cancelled.store(true, Ordering::Relaxed);
    }

    /// True once [`Progress::cancel`] was called.
    pub fn is_cancelled(&self) -> bool {
        self.cancelled.load(Ordering::Relaxed)
    }

    /// `Err(Interrupted)` once cancelled.
    pub fn check(&self) -> Result<()> {
        if self.is_cancelled() {
            Err(Error::Interrupted)
        } else {
            Ok(())
        }
    }
}

/// Helpers for an optional progress handle.
pub trait ProgressExt {
    /// [`Progress::add`] when there is a handle.
    fn add(&self, n: u64);
    /// [`Progress::set_total`] when there is a handle.
    fn set_total(&self, n: u64);
    /// [`Progress::check`] when there is a handle (always `Ok` without one).
    fn check(&self) -> Result<()>;
}

impl ProgressExt for Option<&Progress> {
    fn add(&self, n: u64) {
        if let Some(p) = self {
            p.add(n);
        }
    }
    fn set_total(&self, n: u64) {
        if let Some(p) = self {
            p.set_total(n);
        }
    }
    fn check(&self) -> Result<()> {
        self.map_or(Ok(()), |p| p.check())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counters_and_cancel() {
        let p = Progress::new();
        p.set_total(10);
        p.add(3);
        p.add(4);
        assert_eq!(p.snapshot(), ProgressSnapshot { done: 7, total: 10 });
        assert!(p.check().is_ok());
        p.cancel();
        assert!(matches!(p.check(), Err(Error::Interrupted)));
        let none: Option<&Progress> = None;
        assert!(none.check().is_ok());
    }
}
