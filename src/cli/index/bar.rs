//! The progress bar of an index build. Its time left comes from [`Eta`], which follows the
//! build slowing down as the graph grows, not from the recent rate (too low all along).
use super::super::progress::{stop_drawer, with_bar, Unit};
use crate::error::Result;
use crate::index::{self, Params};
use crate::jobs::{Eta, Progress};
use crate::space::Space;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Builds and saves the index of `space`, with a bar labelled `label` unless `quiet`; Ctrl-C
/// stops the build.
pub(super) fn build_with_bar(
    space: &Space,
    params: &Params,
    label: &str,
    quiet: bool,
) -> Result<PathBuf> {
    // `with_bar` (without its own bar) registers the progress so that Ctrl-C cancels it.
    with_bar(label, Unit::Rows, true, |progress| {
        let done = Arc::new(AtomicBool::new(false));
        let drawer = (!quiet).then(|| {
            let (p, d, l) = (progress.clone(), done.clone(), label.to_string());
            std::thread::spawn(move || draw(&p, &d, &l))
        });
        let result = index::build_and_save(space, params, Some(&progress));
        stop_drawer(&done, drawer);
        result
    })
}

/// Samples the progress every 50 ms into an [`Eta`], and draws the bar (hidden when stderr is
/// not a terminal) once the build has run 300 ms.
fn draw(progress: &Progress, done: &AtomicBool, label: &str) {
    let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr_with_hz(10));
    let template = "{prefix} [{bar:30}] {human_pos}/{human_len} rows eta {msg}";
    if let Ok(style) = ProgressStyle::with_template(template) {
        bar.set_style(style.progress_chars("=> "));
    }
    bar.set_prefix(label.to_string());
    let mut eta = Eta::new();
    let mut started: Option<Instant> = None;
    while !done.load(Ordering::SeqCst) {
        std::thread::park_timeout(Duration::from_millis(50));
        let s = progress.snapshot();
        if s.total == 0 {
            continue;
        }
        // The build counts its rows from when it sets the total.
        let since = started.get_or_insert_with(Instant::now).elapsed();
        eta.record(since.as_secs_f64(), s.done);
        if since < Duration::from_millis(300) {
            continue;
        }
        bar.set_length(s.total);
        bar.set_position(s.done.min(s.total));
        bar.set_message(eta.remaining(s.total).map_or("–".to_string(), left));
    }
    bar.finish_and_clear();
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
