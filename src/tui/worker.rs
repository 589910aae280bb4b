//! Background work: loading, vocabulary search, neighbours and analogy queries.
//!
//! [`execute`] runs one [`Job`] and turns its result into an [`Action`]; the [`Worker`] (the
//! library's [`crate::jobs::Runner`]) runs jobs on one thread per [`Lane`], latest request
//! wins, and tests call [`execute`] directly.
use super::app::Lane;
use super::files::{self, FileDone, FileJob};
use super::Action;
use crate::error::Result;
use crate::io::{self, LoadOptions, Loaded};
use crate::jobs::{Progress, Runner, Task};
use crate::query::line::{self as query, Outcome};
use crate::query::search::{self, Found, SearchMode};
use crate::query::{similar_rows, Answer, Method};
use crate::space::Space;
use crate::train::nnlm::{Counted, LanguageModel};
use crate::tui::panels::scatter;
use crate::tui::panels::train::session;
use std::path::PathBuf;
use std::sync::Arc;

/// Where the space comes from.
#[derive(Debug, Clone)]
pub enum Source {
    /// The bundled demo space.
    Demo,
    /// A vector file; `exact` leaves its HNSW index aside (every word is scanned) until the
    /// explorer is asked to use it.
    File {
        path: PathBuf,
        options: LoadOptions,
        exact: bool,
    },
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
        /// Answers next-word lines (`the united _`).
        model: Option<Arc<LanguageModel>>,
        /// Answers them instead, when set (the NNLM reads the context).
        ngram: Option<Arc<Counted>>,
        line: String,
        method: Method,
        k: usize,
    },
    /// A layout for the scatter panel (PCA, t-SNE, UMAP or custom axes).
    Scatter(Box<scatter::job::Request>),
    /// A training run.
    Train(Box<session::TrainRequest>),
    /// A snapshot of the weights under training, with the watch words' neighbours.
    Snapshot(Box<session::SnapshotRequest>),
    /// Saving trained vectors.
    Save(Box<session::SaveRequest>),
    /// Reading or writing a file the user asked for (exports, word lists, the scatter plot).
    File(Box<FileJob>),
    /// Building a big space's exact-search copy ahead of the queries
    /// ([`crate::query::prepare_exact`]).
    Prepare(Space),
    /// Counting the N-gram model beside a language model in its training corpus (named by
    /// its metadata, found as [`LanguageModel::corpus_near`] finds it from `vectors`).
    Count {
        model: Arc<LanguageModel>,
        vectors: PathBuf,
    },
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
            JobKind::File(_) => Lane::Files,
            JobKind::Prepare(_) => Lane::Prepare,
            JobKind::Count { .. } => Lane::Count,
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
    /// The space, and its language model when an NNLM's is beside the file.
    Loaded(Result<(Loaded, Option<Arc<LanguageModel>>)>),
    /// `Ok(None)`: cancelled by a newer search.
    Found(std::result::Result<Option<Found>, String>),
    Neighbours(Result<Answer>),
    Query(Outcome),
    Scatter(Result<Box<scatter::Fit>>),
    Trained(Result<crate::train::Trained>),
    Snapshot(Result<Box<session::Snapshot>>),
    Saved(Result<session::Saved>),
    File(FileDone),
    /// The space's exact-search copy is ready.
    Prepared(crate::query::Prepared),
    /// The N-gram model counted for `model`.
    Counted {
        model: Arc<LanguageModel>,
        result: Result<Counted>,
    },
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
            // Rows from an older space (training adopts a new one) are dropped, as before.
            let rows: Vec<u32> = rows
                .into_iter()
                .filter(|&r| (r as usize) < space.len())
                .collect();
            Output::Neighbours(similar_rows(&space, &rows, k))
        }
        JobKind::Query {
            space,
            model,
            ngram,
            line,
            method,
            k,
        } => {
            let next = query::NextWords {
                model: model.as_deref(),
                ngram: ngram.as_deref(),
            };
            Output::Query(query::run_with(&space, next, &line, method, k))
        }
        JobKind::Scatter(req) => {
            Output::Scatter(scatter::job::compute(&req, &job.progress).map(Box::new))
        }
        JobKind::Train(req) => Output::Trained(session::train(&req)),
        JobKind::Snapshot(req) => Output::Snapshot(session::snapshot(&req).map(Box::new)),
        JobKind::Save(req) => Output::Saved(session::save(&req)),
        JobKind::File(job) => Output::File(files::run(*job)),
        JobKind::Prepare(space) => Output::Prepared(crate::jobs::in_background(|| {
            crate::query::prepare_exact(&space)
        })),
        JobKind::Count { model, vectors } => {
            let result = model
                .corpus_near(&vectors)
                .and_then(|corpus| Counted::count(&model, corpus, None, Some(&job.progress)));
            Output::Counted { model, result }
        }
    };
    Action::Done {
        lane,
        gen: job.gen,
        output,
    }
}

fn load(source: Source, progress: Arc<Progress>) -> Result<(Loaded, Option<Arc<LanguageModel>>)> {
    match source {
        Source::Demo => crate::demo::load().map(|l| (l, None)),
        Source::File {
            path,
            options,
            exact,
        } => {
            let options = LoadOptions {
                progress: Some(progress),
                ..options
            };
            let mut loaded = io::load(&path, &options)?;
            attach_index(&mut loaded);
            loaded.space.use_index(!exact);
            let model = language_model(&path, &mut loaded);
            Ok((loaded, model))
        }
        Source::Ready(space) => Ok((
            Loaded {
                space,
                warnings: Vec::new(),
            },
            None,
        )),
    }
}

/// The NNLM beside the file, when there is one that belongs to it (one that does not is a
/// warning).
fn language_model(path: &std::path::Path, loaded: &mut Loaded) -> Option<Arc<LanguageModel>> {
    match crate::train::nnlm::file::load_beside(path, &loaded.space) {
        Ok(model) => model.map(Arc::new),
        Err(e) => {
            loaded.warnings.push(crate::error::Warning::new(
                crate::train::nnlm::file::model_path(path),
                Default::default(),
                format!("language model not used: {e}"),
            ));
            None
        }
    }
}

/// Attaches the HNSW index beside the file (or in the cache folder) when there is a usable
/// one, as the command line does; a stale one is a warning. The status line names it.
fn attach_index(loaded: &mut Loaded) {
    use crate::index::{self, Status};
    let warn = |message: String| crate::error::Warning {
        path: loaded.space.source().path.clone(),
        location: Default::default(),
        message,
    };
    let warning = match index::attach(&loaded.space) {
        Ok(Status::Stale(p, why)) => warn(format!(
            "ignoring the stale index {} ({why}); rebuild it with `embx index`",
            p.display()
        )),
        Err(e) => warn(format!("the index could not be read: {e}")),
        Ok(_) => return,
    };
    loaded.warnings.push(warning);
}

/// Runs jobs on background threads (one per lane, started on first use) and hands their
/// results back as actions: the library's latest-wins [`Runner`].
pub type Worker = Runner<Job>;

impl Task for Job {
    type Output = Action;
    fn lane(&self) -> Lane {
        self.kind.lane()
    }
    fn progress(&self) -> &Arc<Progress> {
        &self.progress
    }
    fn run(self) -> Action {
        execute(self)
    }
}
