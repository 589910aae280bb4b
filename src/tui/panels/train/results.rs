//! Each tick's polling of the run, and the results of its snapshots and of the run itself
//! (part of `update`).
use super::control::finished_note;
use super::session::{SaveRequest, Snapshot, SnapshotRequest, Vectors};
use super::{error, watch, Ctx, Mode, Outcome, Phase, TrainState};
use super::{LOSS_EVERY, LOSS_POINTS, SNAPSHOT_EVERY};
use crate::error::{Error, Result};
use crate::space::Space;
use crate::train::{Phase as MonitorPhase, Trained};
use crate::tui::app::Lane;
use crate::tui::update::info;
use crate::tui::worker::JobKind;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Each tick: polls the monitor, extends the loss curve, asks for a snapshot when one is due.
pub(crate) fn tick(t: &mut TrainState, cx: &mut Ctx) {
    let Some(run) = &mut t.run else {
        return;
    };
    let snap = run.monitor.snapshot();
    let now = Instant::now();
    t.seen = Some(snap);
    let training = snap.phase == MonitorPhase::Training && !snap.paused;
    if let (true, Some(loss)) = (training, snap.loss) {
        if run.last_loss.is_none_or(|t| now - t >= LOSS_EVERY) {
            run.last_loss = Some(now);
            t.loss.push(loss);
            if t.loss.len() > LOSS_POINTS {
                t.loss.remove(0);
            }
        }
    }
    let wait = snapshot_wait(t.snapshot_total_ms, snap.seconds);
    let Some(run) = &mut t.run else {
        return;
    };
    let due = match run.last_snapshot {
        None => true,
        Some((t, done)) => now - t >= SNAPSHOT_EVERY && wait.is_zero() && done != snap.done,
    };
    let Some(live) = run.monitor.live().cloned() else {
        return;
    };
    if !due || cx.jobs.is_running(Lane::Live) || t.phase == Phase::Stopping {
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
        words: t.watch_words.clone(),
        basis: t.basis.clone(),
        run: run.id,
    };
    cx.start(JobKind::Snapshot(Box::new(req)));
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
pub(crate) fn refresh_final(t: &TrainState, cx: &mut Ctx) {
    if let Some(space) = cx.space.cloned() {
        refresh_from(t, cx, space);
    }
}

/// Refreshes the watch words from `space`.
fn refresh_from(t: &TrainState, cx: &mut Ctx, space: Space) {
    let req = SnapshotRequest {
        vectors: Vectors::Ready(space),
        words: t.watch_words.clone(),
        basis: t.basis.clone(),
        run: 0,
    };
    cx.start(JobKind::Snapshot(Box::new(req)));
}

/// A snapshot arrived: it becomes the explorer's space (handed back), and the watch list is
/// refreshed.
pub(crate) fn snapshot_done(
    t: &mut TrainState,
    cx: &mut Ctx,
    result: Result<Snapshot>,
) -> Option<Outcome> {
    let snap = match result {
        Ok(s) => s,
        Err(e) => {
            cx.say(error(&format!("snapshot: {e}")));
            return None;
        }
    };
    let mut warming = false;
    let mut outcome = None;
    if snap.run != 0 {
        // A snapshot of an earlier run (or of none) is dropped.
        let run = t.run.as_mut().filter(|r| r.id == snap.run)?;
        let remap = !run.adopted && run.mode == Mode::Scratch;
        run.adopted = true;
        let seen = t.seen.map_or((0, 0), |s| (s.done, s.total));
        warming = watch::warming_up(run.mode == Mode::Scratch, seen.0, seen.1);
        outcome = Some(Outcome::Adopt {
            space: snap.space,
            remap,
            name: None,
        });
    }
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
    outcome
}

/// The run ended (finished, stopped, or failed). A trained space is handed back to become
/// the explorer's, with the name it is shown under.
pub(crate) fn finished(
    t: &mut TrainState,
    cx: &mut Ctx,
    result: Result<Trained>,
) -> Option<Outcome> {
    let run = t.run.take()?;
    t.seen = Some(run.monitor.snapshot());
    let trained = match result {
        Ok(t) => t,
        Err(Error::Interrupted) => {
            t.phase = Phase::Finished { completed: false };
            cx.say(info("stopped before training began"));
            return None;
        }
        Err(e) => {
            t.phase = Phase::Failed(e.to_string());
            cx.say(error(&format!("training failed: {e}")));
            return None;
        }
    };
    let r = trained.report.clone();
    let remap = !run.adopted && run.mode == Mode::Scratch;
    let name = match run.mode {
        Mode::Scratch => format!("{} (trained)", run.corpus_name),
        Mode::Continue => format!(
            "{} + {}",
            cx.name.trim_end_matches(" (trained)"),
            run.corpus_name
        ),
    };
    t.output_weights = Some(Arc::new(trained.output));
    t.language_model = trained.language_model.map(Arc::from);
    t.phase = Phase::Finished {
        completed: r.completed,
    };
    let thousands = crate::tui::ui::text::thousands;
    cx.say(info(&format!(
        "{} {} words ({} corpus tokens, {:.2} epochs) in {:.1} s, {} words/s — the explorer now shows them{}",
        if r.completed { "trained" } else { "stopped:" },
        thousands(trained.space.len()),
        thousands(r.corpus.tokens as usize),
        r.epochs_done,
        r.seconds,
        thousands(r.words_per_second as usize),
        if t.output.is_some() {
            "; saving…"
        } else {
            " · w saves"
        }
    )));
    t.report = Some(r);
    t.unsaved = t.output.is_none();
    if let Some(out) = t.output.clone() {
        cx.start(JobKind::Save(Box::new(SaveRequest {
            vectors: Vectors::Ready(trained.space.clone()),
            path: out,
            format: t.format,
            note: finished_note(t),
            model: t.language_model.clone(),
            // `-o OUT` on the command line asked for this file.
            replace: true,
        })));
    }
    refresh_from(t, cx, trained.space.clone());
    Some(Outcome::Adopt {
        space: trained.space,
        remap,
        name: Some(name),
    })
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
