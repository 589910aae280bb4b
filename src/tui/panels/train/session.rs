//! The background work of train-in-place, run on the worker's lanes: the training run itself,
//! the snapshots of the weights (about once a second: a copy through [`Live`], the watch
//! words' neighbours and their points on the plane), and saving.
use super::watch::{default_words, Found, K};
use crate::error::Result;
use crate::format::Format;
use crate::io::{self, SaveOptions};
use crate::project::{self, Basis, Projection};
use crate::space::Space;
use crate::train::{self, Base, Config, CorpusStats, Live, Monitor, Trained};
use std::path::PathBuf;
use std::sync::{Arc, OnceLock};
use std::time::Instant;

/// Vectors to continue training from.
#[derive(Debug, Clone)]
pub struct BaseVectors {
    pub space: Space,
    /// Output weights of an earlier run in this explorer on these rows, if any.
    pub output: Option<Arc<Vec<f32>>>,
}

/// A training run.
#[derive(Debug, Clone)]
pub struct TrainRequest {
    pub paths: Vec<PathBuf>,
    pub config: Config,
    pub monitor: Arc<Monitor>,
    pub base: Option<BaseVectors>,
    /// Set once the corpus is read (the metadata of snapshots needs it).
    pub corpus: Arc<OnceLock<CorpusStats>>,
}

/// Reads the corpus and trains (on the Train lane; cancelled through the monitor).
pub fn train(req: &TrainRequest) -> Result<Trained> {
    // Lowercasing and Chinese segmentation as the config asks.
    let corpus = train::read_corpus(&req.paths, &req.config, Some(req.monitor.progress()))?;
    let _ = req.corpus.set(corpus.stats().clone());
    let base = req.base.as_ref().map(|b| Base {
        space: &b.space,
        output: b.output.as_deref().map(Vec::as_slice),
    });
    train::train_from(&corpus, &req.config, &req.monitor, base)
}

/// Where a snapshot or a save takes its vectors from.
#[derive(Debug, Clone)]
pub enum Vectors {
    /// The weights under training (seen through [`Live::view`]: a continued run copies only
    /// the rows training can change).
    Live {
        live: Arc<Live>,
        label: String,
        metadata: Option<String>,
    },
    /// A space that is already made (the result of a finished run).
    Ready(Space),
}

impl Vectors {
    fn space(&self) -> Space {
        match self {
            Vectors::Live {
                live,
                label,
                metadata,
            } => live.view(label, metadata.clone()),
            Vectors::Ready(space) => space.clone(),
        }
    }
}

/// A refresh of the live view.
#[derive(Debug, Clone)]
pub struct SnapshotRequest {
    pub vectors: Vectors,
    /// The watch words (empty: pick the defaults).
    pub words: Vec<String>,
    /// The plane to project on; `None` fits a new one.
    pub basis: Option<Basis>,
    /// The run the snapshot belongs to.
    pub run: u64,
}

/// What a refresh found.
#[derive(Debug, Clone)]
pub struct Snapshot {
    pub run: u64,
    pub space: Space,
    pub found: Vec<Found>,
    /// A new plane, when the request had none.
    pub fitted: Option<Projection>,
    /// Milliseconds spent copying the weights, and in all.
    pub copy_ms: f64,
    pub total_ms: f64,
}

/// Copies the weights, finds the watch words' neighbours and projects them.
pub fn snapshot(req: &SnapshotRequest) -> Result<Snapshot> {
    let start = Instant::now();
    let space = req.vectors.space();
    let copy_ms = start.elapsed().as_secs_f64() * 1e3;
    let words = if req.words.is_empty() {
        default_words(&space)
    } else {
        req.words.clone()
    };
    let rows: Vec<Option<usize>> = words
        .iter()
        .map(|w| space.index(w).map(|r| r as usize))
        .collect();
    let fitted = match &req.basis {
        Some(_) => None,
        None => {
            let vectors: Vec<&[f32]> = rows.iter().flatten().map(|&r| space.unit(r)).collect();
            (!vectors.is_empty())
                .then(|| project::fit(&vectors, None).ok())
                .flatten()
        }
    };
    let basis = req.basis.as_ref().or(fitted.as_ref().map(|p| &p.basis));
    let known: Vec<usize> = rows.iter().flatten().copied().collect();
    let lists = match &req.vectors {
        // A continued run's view: most refreshes need no scan of every row.
        Vectors::Live { live, .. } => live.neighbours(&space, &known, K),
        Vectors::Ready(_) => train::row_neighbours(&space, &known, K),
    };
    let mut lists = lists.into_iter();
    let mut found = Vec::with_capacity(words.len());
    for (word, row) in words.into_iter().zip(rows) {
        let neighbours = row.and(lists.next()).map(|list| {
            list.into_iter()
                .map(|(score, r)| (space.word(r).to_string(), score))
                .collect()
        });
        let at = row.and_then(|r| basis.and_then(|b| b.project(space.unit(r))));
        found.push(Found {
            word,
            neighbours,
            at,
        });
    }
    Ok(Snapshot {
        run: req.run,
        space,
        found,
        fitted,
        copy_ms,
        total_ms: start.elapsed().as_secs_f64() * 1e3,
    })
}

/// Writing the vectors to a file.
#[derive(Debug, Clone)]
pub struct SaveRequest {
    pub vectors: Vectors,
    pub path: PathBuf,
    pub format: Option<Format>,
    /// How far training got, for the message (e.g. "1.25 of 5 epochs").
    pub note: String,
    /// An NNLM's whole model, written beside the vectors (`OUT.nnlm.safetensors`, OUT the
    /// vectors file's whole name).
    pub model: Option<Arc<train::nnlm::LanguageModel>>,
    /// An existing file at `path` may be replaced (else the save is refused, saying so).
    pub replace: bool,
}

/// A finished save.
#[derive(Debug, Clone)]
pub struct Saved {
    pub path: PathBuf,
    pub words: usize,
    pub note: String,
    /// Where the NNLM's model was written.
    pub model: Option<PathBuf>,
}

/// Saves atomically (temp file + rename).
pub fn save(req: &SaveRequest) -> Result<Saved> {
    if !req.replace && req.path.exists() {
        return Err(crate::error::Error::Invalid(format!(
            "{} exists: w and Enter on the same name replace it",
            req.path.display()
        )));
    }
    let space = req.vectors.space();
    let format = Format::for_trained_output(&req.path, req.format, space.subwords().is_some())?;
    io::save(
        &space,
        &req.path,
        &SaveOptions {
            format,
            progress: None,
        },
    )?;
    let model = match &req.model {
        Some(m) => {
            let path = train::nnlm::file::model_path(&req.path);
            train::nnlm::file::save(m, &path)?;
            Some(path)
        }
        None => {
            train::nnlm::file::remove_stale(&req.path)?;
            None
        }
    };
    Ok(Saved {
        path: req.path.clone(),
        words: space.len(),
        note: req.note.clone(),
        model,
    })
}
