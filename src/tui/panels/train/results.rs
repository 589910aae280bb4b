//! Each tick's polling of the run, and the results of its snapshots and of the run itself
//! (part of `update`).
use super::control::finished_note;
use super::session::{SaveRequest, Snapshot, SnapshotRequest, Vectors};
use super::{adopt, error, watch, Mode, Phase, LOSS_EVERY, LOSS_POINTS, SNAPSHOT_EVERY};
use crate::error::{Error, Result};
use crate::train::{Phase as MonitorPhase, Trained};
use crate::tui::app::{App, Lane};
use crate::tui::requests::start;
use crate::tui::update::info;
use crate::tui::worker::JobKind;
use crate::tui::Effect;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Each tick: polls the monitor, extends the loss curve, asks for a snapshot when one is due.
pub(crate) fn tick(app: &mut App, fx: &mut Vec<Effect>) {
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
    let wait = snapshot_wait(app.train.snapshot_total_ms, snap.seconds);
    let Some(run) = &mut app.train.run else {
        return;
    };
    let due = match run.last_snapshot {
        None => true,
        Some((t, done)) => now - t >= SNAPSHOT_EVERY && wait.is_zero() && done != snap.done,
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

/// Snapshot work may take 1/this of the training time (after [`SNAPSHOT_ALLOWANCE_MS`]): with
/// both cores busy in a big space's snapshots, training keeps about 95 % of its speed.
const SNAPSHOT_BUDGET: f64 = 20.0;
/// Snapshot work allowed before the budget counts (the first snapshot of a big space scans
/// every row for each watch word).
const SNAPSHOT_ALLOWANCE_MS: f64 = 5000.0;

/// How long the next snapshot waits (zero: it may start): snapshots are taken every
/// [`SNAPSHOT_EVERY`] as long as their work so far (`spent_ms` in all) stays within
/// 1/[`SNAPSHOT_BUDGET`] of the `seconds` trained, after an allowance. Slow snapshots (a big
/// space whose watch words need full scans) are spaced out that way; the panel says so.
pub(crate) fn snapshot_wait(spent_ms: f64, seconds: f64) -> Duration {
    let allowed_from = (spent_ms - SNAPSHOT_ALLOWANCE_MS) * SNAPSHOT_BUDGET / 1e3;
    Duration::from_secs_f64((allowed_from - seconds).clamp(0.0, 1e6))
}

/// Refreshes the watch words from the explorer's space (no run under way).
pub(crate) fn refresh_final(app: &mut App, fx: &mut Vec<Effect>) {
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
pub(crate) fn snapshot_done(app: &mut App, result: Result<Snapshot>, fx: &mut Vec<Effect>) {
    let snap = match result {
        Ok(s) => s,
        Err(e) => {
            app.status = Some(error(&format!("snapshot: {e}")));
            return;
        }
    };
    let mut warming = false;
    if snap.run != 0 {
        // A snapshot of an earlier run (or of none) is dropped.
        let Some(run) = app.train.run.as_mut().filter(|r| r.id == snap.run) else {
            return;
        };
        let remap = !run.adopted && run.mode == Mode::Scratch;
        run.adopted = true;
        let seen = app.train.seen.map_or((0, 0), |s| (s.done, s.total));
        warming = watch::warming_up(run.mode == Mode::Scratch, seen.0, seen.1);
        adopt::adopt(app, snap.space, remap, fx);
    }
    let t = &mut app.train;
    t.snapshots += 1;
    t.snapshot_ms = Some((snap.copy_ms, snap.total_ms));
    if snap.run != 0 {
        t.snapshot_total_ms += snap.total_ms;
    }
    if let Some(p) = snap.fitted {
        t.basis = Some(p.basis);
        t.explained = p.explained;
    }
    if t.watch_words.is_empty() {
        t.watch_words = snap.found.iter().map(|f| f.word.clone()).collect();
    }
    watch::refresh(&mut t.watch, snap.found, std::mem::take(&mut t.refit));
    if warming {
        // The words are still near their random start: the next snapshot fits the plane
        // again and the trails start over from there.
        t.basis = None;
        t.refit = true;
    }
}

/// The run ended (finished, stopped, or failed).
pub(crate) fn finished(app: &mut App, result: Result<Trained>, fx: &mut Vec<Effect>) {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slow_snapshots_are_spaced_out() {
        assert_eq!(snapshot_wait(0.0, 0.0), Duration::ZERO);
        // Within the allowance, and within 1/20 of the time trained.
        assert_eq!(snapshot_wait(4000.0, 1.0), Duration::ZERO);
        assert_eq!(snapshot_wait(6000.0, 20.0), Duration::ZERO);
        // 2 s of work past the allowance needs 40 s of training.
        assert_eq!(snapshot_wait(7000.0, 30.0), Duration::from_secs(10));
    }
}
