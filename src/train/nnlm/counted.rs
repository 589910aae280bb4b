//! The N-gram model beside an NNLM: a Kneser-Ney model ([`crate::train::ngram`]) counted in
//! a corpus read as the NNLM's training read it, over the NNLM's words, so that both predict
//! the same words from the same contexts. `embx predict --ngram` and the explorer's next-word
//! line both use it.
use super::LanguageModel;
use crate::error::{Error, Result};
use crate::jobs::Progress;
use crate::text::thousands;
use crate::train::ngram::{self, KneserNey};
use crate::train::CorpusStats;
use std::path::{Path, PathBuf};

/// A Kneser-Ney model over an NNLM's words, and where it was counted.
#[derive(Debug, Clone)]
pub struct Counted {
    /// The model.
    pub kn: KneserNey,
    /// Its N.
    pub order: usize,
    /// The files it was counted in.
    pub corpus: Vec<PathBuf>,
    /// What reading the corpus found.
    pub read: CorpusStats,
    /// Tokens of the corpus in the NNLM's vocabulary (the n-grams are made of these).
    pub known: u64,
}

impl Counted {
    /// Estimates the model of `order` (default: the NNLM's N) from `corpus`, whose sentences
    /// [`LanguageModel::read_as_trained`] gave as `(ids, ends, read)`. `progress` counts
    /// sentences and can cancel.
    pub fn estimate(
        model: &LanguageModel,
        corpus: Vec<PathBuf>,
        (ids, ends, read): (Vec<u32>, Vec<usize>, CorpusStats),
        order: Option<usize>,
        progress: Option<&Progress>,
    ) -> Result<Counted> {
        if ids.is_empty() {
            return Err(Error::Invalid(format!(
                "{}: no word of it is in the model's vocabulary; there are no n-grams to count",
                names(&corpus)
            )));
        }
        let order = order.unwrap_or(model.weights.dims.ctx + 1);
        let opts = ngram::Options {
            order,
            words: model.words().len(),
            unseen: 0,
        };
        let kn = KneserNey::estimate(&ids, &ends, opts, progress)?;
        Ok(Counted {
            kn,
            order,
            corpus,
            read,
            known: ids.len() as u64,
        })
    }

    /// Reads `corpus` as the NNLM's training read it and estimates the model from it, with
    /// one `progress` for both steps (bytes read, then sentences counted).
    pub fn count(
        model: &LanguageModel,
        corpus: Vec<PathBuf>,
        order: Option<usize>,
        progress: Option<&Progress>,
    ) -> Result<Counted> {
        let read = model.read_as_trained(&corpus, progress)?;
        Counted::estimate(model, corpus, read, order, progress)
    }

    /// "the Kneser-Ney 5-gram model was counted in FILE (…distinct n-grams…)".
    pub fn describe(&self) -> String {
        let sizes: Vec<String> = self.kn.sizes().iter().map(|&k| thousands(k)).collect();
        format!(
            "the Kneser-Ney {}-gram model was counted in {} ({} distinct n-grams of each \
             order, from 1)",
            self.order,
            names(&self.corpus),
            sizes.join(" / "),
        )
    }

    /// The corpus's file names, for short messages.
    pub fn corpus_names(&self) -> String {
        let short: Vec<String> = self
            .corpus
            .iter()
            .map(|p| {
                p.file_name()
                    .map_or_else(|| p.display().to_string(), |n| n.to_string_lossy().into())
            })
            .collect();
        short.join(", ")
    }

    /// Why the corpus may not be the text the NNLM learnt from: invalid UTF-8, or most of
    /// its words outside the vocabulary (a training corpus has nearly all of them in).
    pub fn warnings(&self) -> Vec<String> {
        let mut out = Vec::new();
        let names = names(&self.corpus);
        if self.read.invalid_utf8 > 0 {
            out.push(format!(
                "{names} has {} invalid UTF-8 sequences; is it text?",
                thousands(self.read.invalid_utf8 as usize)
            ));
        }
        let share = self.known as f64 / self.read.tokens.max(1) as f64;
        if share < 0.5 {
            out.push(format!(
                "only {:.1} % of the words of {names} are in the model's vocabulary; the \
                 N-gram model learns from those alone (is it the text the NNLM was trained on?)",
                100.0 * share
            ));
        }
        out
    }
}

impl LanguageModel {
    /// The corpus the training metadata names, when every file of it is still there. A
    /// relative name is looked for where the process runs (where training ran, usually),
    /// then beside `vectors`, the file the model belongs to.
    pub fn corpus_near(&self, vectors: &Path) -> Result<Vec<PathBuf>> {
        let dir = vectors.parent().unwrap_or(Path::new(""));
        let files: Vec<PathBuf> = self
            .training_corpus()
            .into_iter()
            .map(|f| match dir.join(&f) {
                beside if !f.is_file() && f.is_relative() && beside.is_file() => beside,
                _ => f,
            })
            .collect();
        if files.is_empty() {
            return Err(Error::Invalid(
                "the model's metadata names no training corpus to count n-grams in".into(),
            ));
        }
        if files.iter().any(|f| crate::train::is_stdin(f)) {
            return Err(Error::Invalid(
                "the model was trained on standard input (-), which cannot be read again: \
                 name the corpus file"
                    .into(),
            ));
        }
        if let Some(gone) = files.iter().find(|f| !f.is_file()) {
            return Err(Error::Invalid(format!(
                "{} (the corpus the model was trained on, as its metadata names it) is not \
                 there",
                gone.display()
            )));
        }
        Ok(files)
    }
}

/// The files' names joined, as messages show them.
fn names(corpus: &[PathBuf]) -> String {
    let files: Vec<String> = corpus.iter().map(|p| p.display().to_string()).collect();
    files.join(", ")
}
