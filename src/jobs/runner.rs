//! The latest-wins runner: one background thread per [`Lane`], started on first use.
//!
//! Submitting a task cancels the lane's previous one (through its [`Progress`]), and a lane
//! thread skips queued tasks that a newer one has replaced. Lanes that [keep
//! all](Lane::keeps_all) their tasks (saves) run every one, in order, and are never
//! cancelled. Results come back on a channel, in the order they finish.
use super::{Lane, Progress};
use std::sync::mpsc::{channel, Receiver, Sender};
use std::sync::Arc;

/// A unit of background work that knows its lane and its progress / cancel handle.
pub trait Task: Send + 'static {
    /// What running the task gives back.
    type Output: Send + 'static;
    /// The lane the task runs on.
    fn lane(&self) -> Lane;
    /// The task's progress and cancellation handle.
    fn progress(&self) -> &Arc<Progress>;
    /// Does the work (on a lane thread, or on the caller's thread in tests).
    fn run(self) -> Self::Output;
}

/// Runs tasks on background threads, one per lane, and hands back their outputs.
pub struct Runner<T: Task> {
    lanes: Vec<Option<LaneThread<T>>>,
    results: Sender<T::Output>,
}

struct LaneThread<T> {
    tasks: Sender<T>,
    current: Arc<Progress>,
    handle: Option<std::thread::JoinHandle<()>>,
}

impl<T: Task> Runner<T> {
    /// A runner whose results arrive on the returned receiver.
    pub fn new() -> (Self, Receiver<T::Output>) {
        let (tx, rx) = channel();
        let lanes = Lane::ALL.iter().map(|_| None).collect();
        (Runner { lanes, results: tx }, rx)
    }

    /// Queues `task`, cancelling the previous task of its lane — except on lanes that keep
    /// all their tasks, which run them all, in order.
    pub fn submit(&mut self, task: T) {
        let lane_kind = task.lane();
        let latest_wins = !lane_kind.keeps_all();
        let slot = &mut self.lanes[lane_kind.index()];
        if let (Some(lane), true) = (slot.as_ref(), latest_wins) {
            lane.current.cancel();
        }
        let progress = task.progress().clone();
        let task = match slot {
            Some(lane) => {
                lane.current = progress;
                // A send fails when the thread is gone (it panicked): start a new one below.
                match lane.tasks.send(task) {
                    Ok(()) => return,
                    Err(e) => e.0,
                }
            }
            None => task,
        };
        match spawn(self.results.clone(), task.progress().clone(), latest_wins) {
            Some(fresh) => {
                let _ = fresh.tasks.send(task);
                *slot = Some(fresh);
            }
            // The system has no thread left to give: run the task here rather than lose it.
            None => {
                *slot = None;
                let _ = self.results.send(task.run());
            }
        }
    }

    /// Cancels everything under way except on the lanes that keep all their tasks (the
    /// threads end when the runner is dropped).
    pub fn cancel_all(&self) {
        for (kind, lane) in Lane::ALL.iter().zip(&self.lanes) {
            if let (Some(lane), false) = (lane, kind.keeps_all()) {
                lane.current.cancel();
            }
        }
    }

    /// Waits until every task submitted to the lanes that keep all their tasks has run.
    pub fn finish_saves(&mut self) {
        for kind in Lane::ALL.into_iter().filter(|l| l.keeps_all()) {
            if let Some(mut lane) = self.lanes[kind.index()].take() {
                let handle = lane.handle.take();
                drop(lane);
                if let Some(h) = handle {
                    let _ = h.join();
                }
            }
        }
    }
}

/// A lane's thread, waiting for tasks; `None` when the system refuses to start a thread.
fn spawn<T: Task>(
    results: Sender<T::Output>,
    current: Arc<Progress>,
    latest_wins: bool,
) -> Option<LaneThread<T>> {
    let (tx, rx) = channel::<T>();
    let handle = std::thread::Builder::new()
        .name("embx-tui-worker".into())
        .spawn(move || {
            while let Ok(mut task) = rx.recv() {
                // Latest wins: skip to the newest queued task.
                if latest_wins {
                    while let Ok(newer) = rx.try_recv() {
                        task = newer;
                    }
                }
                if task.progress().is_cancelled() {
                    continue;
                }
                // A closed receiver (the front end is quitting) does not stop a lane that
                // keeps all its tasks: the tasks still queued there run all the same.
                if results.send(task.run()).is_err() && latest_wins {
                    break;
                }
            }
        });
    Some(LaneThread {
        tasks: tx,
        current,
        handle: Some(handle.ok()?),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::mpsc;

    /// A task that waits for a go signal before answering with its number.
    struct Wait {
        n: u32,
        lane: Lane,
        progress: Arc<Progress>,
        go: Option<(mpsc::Sender<()>, mpsc::Receiver<()>)>,
    }

    impl Task for Wait {
        type Output = (Lane, u32);
        fn lane(&self) -> Lane {
            self.lane
        }
        fn progress(&self) -> &Arc<Progress> {
            &self.progress
        }
        fn run(self) -> (Lane, u32) {
            if let Some((started, go)) = self.go {
                let _ = started.send(());
                let _ = go.recv();
            }
            (self.lane, self.n)
        }
    }

    fn task(n: u32, lane: Lane, go: Option<(mpsc::Sender<()>, mpsc::Receiver<()>)>) -> Wait {
        Wait {
            n,
            lane,
            progress: Progress::new(),
            go,
        }
    }

    #[test]
    fn latest_wins_but_saves_all_run() {
        let (mut runner, results) = Runner::new();
        let (go, wait) = mpsc::channel();
        let (started_tx, started) = mpsc::channel();
        // The first search blocks its lane; the second is cancelled by the third.
        runner.submit(task(1, Lane::Search, Some((started_tx, wait))));
        started.recv().unwrap();
        let second = task(2, Lane::Search, None);
        let second_progress = second.progress.clone();
        runner.submit(second);
        runner.submit(task(3, Lane::Search, None));
        assert!(second_progress.is_cancelled());
        for n in 10..13 {
            runner.submit(task(n, Lane::Save, None));
        }
        go.send(()).unwrap();
        runner.finish_saves();
        let mut got: Vec<(Lane, u32)> = Vec::new();
        while got.iter().filter(|r| r.0 == Lane::Search).count() < 2 {
            got.push(results.recv().unwrap());
        }
        got.extend(results.try_iter());
        let saves: Vec<u32> = got
            .iter()
            .filter(|r| r.0 == Lane::Save)
            .map(|r| r.1)
            .collect();
        let searches: Vec<u32> = got
            .iter()
            .filter(|r| r.0 == Lane::Search)
            .map(|r| r.1)
            .collect();
        assert_eq!(saves, [10, 11, 12]);
        assert_eq!(searches, [1, 3]);
    }
}
