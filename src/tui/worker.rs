//! Background work: loading, vocabulary search, neighbours and analogy queries.
//!
//! [`execute`] runs one [`Job`] and turns its result into an [`Action`]; the [`Worker`] runs
//! jobs on one thread per [`Lane`], and tests call [`execute`] directly. Within a lane the
//! latest request wins: submitting a job cancels the lane's previous one (through its
//! [`Progress`]) and a lane thread skips queued jobs that a newer one has replaced.
use super::app::Lane;
use super::query::{self, Outcome};
use super::scatter;
use super::search::{self, Found, SearchMode};
use super::training::session;
use super::Action;
use crate::error::Result;
use crate::io::{self, LoadOptions, Loaded};
use crate::jobs::Progress;
use crate::query::{similar, Answer, Method};
use crate::space::Space;
use std::path::PathBuf;
use std::sync::mpsc::{channel, Receiver, Sender};
use std::sync::Arc;

/// Where the space comes from.
#[derive(Debug, Clone)]
pub enum Source {
    /// The bundled demo space.
    Demo,
    /// A vector file.
    File { path: PathBuf, options: LoadOptions },
    /// A space that is already in memory (tests, embedding).
    Ready(Space),
}

impl Source {
    /// The name shown in the status line.
    pub fn name(&self) -> String {
        match self {
            Source::Demo => crate::demo::NAME.to_string(),
            Source::File { path, .. } => path.file_name().map_or_else(
                || path.display().to_string(),
                |n| n.to_string_lossy().into(),
            ),
            Source::Ready(space) => space.source().path.display().to_string(),
        }
    }
}

/// What to compute.
#[derive(Debug, Clone)]
pub enum JobKind {
    Load(Source),
    Search {
        space: Space,
        query: String,
        mode: SearchMode,
    },
    /// Neighbours of one word or of the mean of several.
    Neighbours {
        space: Space,
        rows: Vec<u32>,
        k: usize,
    },
    Query {
        space: Space,
        line: String,
        method: Method,
        k: usize,
    },
    /// A PCA fit for the scatter panel.
    Scatter(Box<scatter::Request>),
    /// A training run.
    Train(Box<session::TrainRequest>),
    /// A snapshot of the weights under training, with the watch words' neighbours.
    Snapshot(Box<session::SnapshotRequest>),
    /// Saving trained vectors.
    Save(Box<session::SaveRequest>),
}

impl JobKind {
    pub fn lane(&self) -> Lane {
        match self {
            JobKind::Load(_) => Lane::Load,
            JobKind::Search { .. } => Lane::Search,
            JobKind::Neighbours { .. } => Lane::Neighbours,
            JobKind::Query { .. } => Lane::Query,
            JobKind::Scatter(_) => Lane::Scatter,
            JobKind::Train(_) => Lane::Train,
            JobKind::Snapshot(_) => Lane::Live,
            JobKind::Save(_) => Lane::Save,
        }
    }
}

/// One request with its generation (to drop stale results) and its progress / cancel handle.
#[derive(Debug, Clone)]
pub struct Job {
    pub gen: u64,
    pub kind: JobKind,
    pub progress: Arc<Progress>,
}

/// The result of a job.
#[derive(Debug)]
pub enum Output {
    Loaded(Result<Loaded>),
    /// `Ok(None)`: cancelled by a newer search.
    Found(std::result::Result<Option<Found>, String>),
    Neighbours(Result<Answer>),
    Query(Outcome),
    Scatter(Result<scatter::Fit>),
    Trained(Result<crate::train::Trained>),
    Snapshot(Result<Box<session::Snapshot>>),
    Saved(Result<session::Saved>),
}

/// Runs `job` on the calling thread.
pub fn execute(job: Job) -> Action {
    let lane = job.kind.lane();
    if lane != Lane::Load && super::testhook::panic_at() == super::testhook::PanicAt::Worker {
        panic!("EMBX_TEST_PANIC=worker: a panic in a worker thread");
    }
    let output = match job.kind {
        JobKind::Load(source) => Output::Loaded(load(source, job.progress)),
        JobKind::Search { space, query, mode } => {
            Output::Found(search::search(&space, &query, mode, &job.progress))
        }
        JobKind::Neighbours { space, rows, k } => {
            let words: Vec<&str> = rows
                .iter()
                .filter(|&&r| (r as usize) < space.len())
                .map(|&r| space.word(r as usize))
                .collect();
            Output::Neighbours(similar(&space, &words, k))
        }
        JobKind::Query {
            space,
            line,
            method,
            k,
        } => Output::Query(query::run(&space, &line, method, k)),
        JobKind::Scatter(req) => Output::Scatter(scatter::compute(&req)),
        JobKind::Train(req) => Output::Trained(session::train(&req)),
        JobKind::Snapshot(req) => Output::Snapshot(session::snapshot(&req).map(Box::new)),
        JobKind::Save(req) => Output::Saved(session::save(&req)),
    };
    Action::Done {
        lane,
        gen: job.gen,
        output,
    }
}

fn load(source: Source, progress: Arc<Progress>) -> Result<Loaded> {
    match source {
        Source::Demo => crate::demo::load(),
        Source::File { path, options } => {
            let options = LoadOptions {
                progress: Some(progress),
                ..options
            };
            io::load(&path, &options)
        }
        Source::Ready(space) => Ok(Loaded {
            space,
            warnings: Vec::new(),
        }),
    }
}

/// Runs jobs on background threads (one per lane, started on first use) and hands their
/// results back as actions.
pub struct Worker {
    lanes: Vec<Option<LaneThread>>,
    results: Sender<Action>,
}

struct LaneThread {
    jobs: Sender<Job>,
    current: Arc<Progress>,
    handle: Option<std::thread::JoinHandle<()>>,
}

impl Worker {
    /// A worker whose results arrive on the returned receiver.
    pub fn new() -> (Worker, Receiver<Action>) {
        let (tx, rx) = channel();
        let lanes = Lane::ALL.iter().map(|_| None).collect();
        (Worker { lanes, results: tx }, rx)
    }

    /// Queues `job`, cancelling the previous job of its lane — except saves, which all run,
    /// in order (a file the user asked for is never dropped for a newer one).
    pub fn submit(&mut self, job: Job) {
        let lane_kind = job.kind.lane();
        let keep_all = lane_kind == Lane::Save;
        let slot = &mut self.lanes[lane_kind.index()];
        if let Some(lane) = slot {
            if !keep_all {
                lane.current.cancel();
            }
        }
        let lane = slot
            .get_or_insert_with(|| spawn(self.results.clone(), job.progress.clone(), !keep_all));
        lane.current = job.progress.clone();
        if let Err(e) = lane.jobs.send(job) {
            // The thread is gone (it panicked); start a new one.
            let job = e.0;
            *slot = Some(spawn(self.results.clone(), job.progress.clone(), !keep_all));
            if let Some(lane) = slot {
                let _ = lane.jobs.send(job);
            }
        }
    }

    /// Cancels everything under way but saves (the threads end when the worker is dropped).
    pub fn cancel_all(&self) {
        for (kind, lane) in Lane::ALL.iter().zip(&self.lanes) {
            if let (Some(lane), false) = (lane, *kind == Lane::Save) {
                lane.current.cancel();
            }
        }
    }

    /// Waits until every save that was asked for has been written (or has failed).
    pub fn finish_saves(&mut self) {
        if let Some(mut lane) = self.lanes[Lane::Save.index()].take() {
            let handle = lane.handle.take();
            drop(lane);
            if let Some(h) = handle {
                let _ = h.join();
            }
        }
    }
}

fn spawn(results: Sender<Action>, current: Arc<Progress>, latest_wins: bool) -> LaneThread {
    let (tx, rx) = channel::<Job>();
    let handle = std::thread::Builder::new()
        .name("embx-tui-worker".into())
        .spawn(move || {
            while let Ok(mut job) = rx.recv() {
                // Latest wins: skip to the newest queued job.
                if latest_wins {
                    while let Ok(newer) = rx.try_recv() {
                        job = newer;
                    }
                }
                if job.progress.is_cancelled() {
                    continue;
                }
                // A closed receiver (the explorer is quitting) does not stop a save lane: the
                // jobs still queued there are written all the same.
                if results.send(execute(job)).is_err() && latest_wins {
                    break;
                }
            }
        })
        .expect("could not start a worker thread"); // ok: only fails when the OS has no threads left
    LaneThread {
        jobs: tx,
        current,
        handle: Some(handle),
    }
}
