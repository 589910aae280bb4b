//! Progress bars on stderr for long work, and Ctrl-C.
//!
//! The work runs on the calling thread and updates a [`Progress`]; a small thread polls it
//! ten times a second and draws an indicatif bar (hidden when stderr is not a terminal or with
//! `--quiet`). Ctrl-C cancels the current work, which then stops at its next check and
//! cleans up (no partial files); a second Ctrl-C exits at once.
use crate::error::Result;
use crate::jobs::{Eta, Progress};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

static CURRENT: Mutex<Option<Arc<Progress>>> = Mutex::new(None);
static INTERRUPTED: AtomicBool = AtomicBool::new(false);

/// Installs the Ctrl-C / SIGTERM handler. Call once, early.
pub fn install_interrupt_handler() {
    let _ = ctrlc::set_handler(|| {
        if INTERRUPTED.swap(true, Ordering::SeqCst) {
            eprintln!("\ninterrupted");
            crate::io::exit_removing_temporaries(130);
        }
        if let Ok(slot) = CURRENT.lock() {
            if let Some(p) = slot.as_ref() {
                p.cancel();
                return;
            }
        }
        // Nothing long is running: stop now (a file being checked or written goes too).
        crate::io::exit_removing_temporaries(130);
    });
}

/// Unit of the work, for the bar's labels.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    Bytes,
    Rows,
    /// Rows of work that slows down as it goes (an index build: the graph grows). The time
    /// left comes from [`Eta`], which fits that slowing, not from the recent rate (too low
    /// all along).
    SlowingRows,
    /// Iterations of an optimiser.
    Steps,
}

/// Runs `work` with a progress bar labelled `label`.
pub fn with_bar<T>(
    label: &str,
    unit: Unit,
    quiet: bool,
    work: impl FnOnce(Arc<Progress>) -> Result<T>,
) -> Result<T> {
    let progress = Progress::new();
    if INTERRUPTED.load(Ordering::SeqCst) {
        progress.cancel();
    }
    if let Ok(mut slot) = CURRENT.lock() {
        *slot = Some(progress.clone());
    }
    let done = Arc::new(AtomicBool::new(false));
    let drawer =
        (!quiet).then(|| spawn_drawer(label.to_string(), unit, progress.clone(), done.clone()));
    let result = work(progress);
    stop_drawer(&done, drawer);
    if let Ok(mut slot) = CURRENT.lock() {
        *slot = None;
    }
    result
}

/// Tells a drawer thread (which waits with `park_timeout`) that the work is done, wakes it at
/// once rather than at its next tick, and waits for it to clear its line.
pub(crate) fn stop_drawer(done: &AtomicBool, drawer: Option<std::thread::JoinHandle<()>>) {
    done.store(true, Ordering::SeqCst);
    if let Some(handle) = drawer {
        handle.thread().unpark();
        let _ = handle.join();
    }
}

fn spawn_drawer(
    label: String,
    unit: Unit,
    progress: Arc<Progress>,
    done: Arc<AtomicBool>,
) -> std::thread::JoinHandle<()> {
    std::thread::spawn(move || {
        let template = match unit {
            Unit::Bytes => {
                "{prefix} [{bar:30}] {bytes}/{total_bytes} {binary_bytes_per_sec} eta {eta}"
            }
            Unit::Rows => "{prefix} [{bar:30}] {human_pos}/{human_len} rows eta {eta}",
            Unit::SlowingRows => "{prefix} [{bar:30}] {human_pos}/{human_len} rows eta {msg}",
            Unit::Steps => "{prefix} [{bar:30}] {human_pos}/{human_len} iterations eta {eta}",
        };
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr_with_hz(10));
        if let Ok(style) = ProgressStyle::with_template(template) {
            bar.set_style(style.progress_chars("=> "));
        }
        bar.set_prefix(label);
        let mut shown_sized = None;
        let mut eta = (unit == Unit::SlowingRows).then(|| (Eta::new(), None));
        // Short work finishes before a bar would be useful: wait a moment first.
        let start = Instant::now();
        while !done.load(Ordering::SeqCst) {
            std::thread::park_timeout(Duration::from_millis(50));
            let s = progress.snapshot();
            if let Some((eta, counted)) = eta.as_mut().filter(|_| s.total > 0) {
                // The work counts its rows from when it sets the total.
                let since = counted.get_or_insert_with(Instant::now).elapsed();
                eta.record(since.as_secs_f64(), s.done);
                bar.set_message(eta.remaining(s.total).map_or("–".to_string(), left));
            }
            if start.elapsed() < Duration::from_millis(300) {
                continue;
            }
            // Bytes of no known size (standard input): how many so far, and how fast.
            let sized = unit != Unit::Bytes || s.total > 0;
            if shown_sized != Some(sized) {
                let t = if sized {
                    template
                } else {
                    "{prefix} {bytes} {binary_bytes_per_sec}"
                };
                if let Ok(style) = ProgressStyle::with_template(t) {
                    bar.set_style(style.progress_chars("=> "));
                }
                shown_sized = Some(sized);
            }
            bar.set_length(s.total.max(1));
            bar.set_position(if sized { s.done.min(s.total) } else { s.done });
        }
        bar.finish_and_clear();
    })
}

/// `42s`, `3m 05s`, `1h 02m`.
fn left(seconds: f64) -> String {
    let s = seconds.round() as u64;
    match s {
        0..60 => format!("{s}s"),
        60..3600 => format!("{}m {:02}s", s / 60, s % 60),
        _ => format!("{}h {:02}m", s / 3600, s / 60 % 60),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn time_left() {
        assert_eq!(super::left(41.6), "42s");
        assert_eq!(super::left(185.0), "3m 05s");
        assert_eq!(super::left(3720.0), "1h 02m");
    }
}
