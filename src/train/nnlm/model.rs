//! A trained NNLM as a language model: the next word's probabilities after a context, and how
//! well the model predicts held-out text (ranks, perplexity, against a unigram baseline).
//!
//! **Probabilities from negative sampling.** The output layer was trained with negative
//! sampling, not a softmax, so its scores are not log-probabilities. At the optimum of the
//! negative-sampling loss a score is `s_w = log P(w | c) − log(k · Pn(w))` (Levy and Goldberg
//! 2014, for word2vec's objective), `Pn` being the noise distribution (counts^0.75) and `k`
//! the number of noise words. So `P(w | c) ∝ Pn(w) · exp(s_w)`, normalised over the
//! vocabulary: that is the distribution given here, and what words are ranked by.
use super::NnlmWeights;
use crate::error::{Error, Result};
use crate::jobs::Progress;
use crate::train::lm::{self, NextWord, NextWordModel};
use crate::train::{Config, CorpusStats, Segment, Segmenter};
use std::collections::HashMap;
use std::path::PathBuf;

/// The power of the counts in the noise distribution (word2vec's, used in training).
const NOISE_POWER: f64 = 0.75;

/// An NNLM with its vocabulary: what `embx predict` loads.
#[derive(Debug, Clone)]
pub struct LanguageModel {
    /// All weights.
    pub weights: NnlmWeights,
    words: Vec<String>,
    index: HashMap<String, u32>,
    counts: Vec<u64>,
    /// `ln Pn(w)` of every word.
    log_noise: Vec<f64>,
    /// The corpus was lowercased for training (so a context is lowercased too).
    pub lowercase: bool,
    /// Chinese was cut into words for training (so a context is cut too).
    pub segment: bool,
    /// The training run's metadata (TOML), when known.
    pub training: Option<String>,
    /// The folder of the file the model was read from: a relative name in its metadata (the
    /// user dictionary) is also looked for there.
    pub home: Option<PathBuf>,
    /// A user dictionary given for this use, instead of the one training used.
    pub user_dict_given: Option<PathBuf>,
    /// The segmenter contexts are cut with, made on first use.
    segmenter: std::sync::OnceLock<Segmenter>,
}

impl LanguageModel {
    /// A model of `weights` over `words` (row order) with their corpus `counts`.
    pub fn new(
        weights: NnlmWeights,
        words: Vec<String>,
        counts: Vec<u64>,
        training: Option<String>,
    ) -> Result<LanguageModel> {
        let v = words.len();
        let d = weights.dims;
        if v == 0 || counts.len() != v {
            return Err(Error::Invalid(format!(
                "{v} words and {} counts: an NNLM needs one count for each word",
                counts.len()
            )));
        }
        if weights.emb.len() != v * d.dim || weights.out.len() != v * d.h_len() {
            return Err(Error::Invalid(format!(
                "the weights do not fit {v} words of {} values and {} hidden units",
                d.dim, d.hidden
            )));
        }
        let w = &weights;
        let finite = [&w.emb, &w.pad, &w.hidden, &w.out]
            .iter()
            .all(|m| m.iter().all(|x| x.is_finite()));
        if !finite {
            return Err(Error::Invalid(
                "the NNLM's weights are not all finite numbers: its training diverged (a smaller \
                 --alpha keeps it stable)"
                    .into(),
            ));
        }
        let index = words
            .iter()
            .enumerate()
            .map(|(i, w)| (w.clone(), i as u32))
            .collect();
        let powered: Vec<f64> = counts
            .iter()
            .map(|&c| (c.max(1) as f64).powf(NOISE_POWER))
            .collect();
        let log_sum = powered.iter().sum::<f64>().ln();
        Ok(LanguageModel {
            weights,
            words,
            index,
            log_noise: powered.iter().map(|p| p.ln() - log_sum).collect(),
            counts,
            lowercase: false,
            segment: false,
            training,
            home: None,
            user_dict_given: None,
            segmenter: std::sync::OnceLock::new(),
        })
    }

    /// The vocabulary, in row order.
    pub fn words(&self) -> &[String] {
        &self.words
    }

    /// The corpus counts, in row order.
    pub fn counts(&self) -> &[u64] {
        &self.counts
    }

    /// The row of `word`.
    pub fn id(&self, word: &str) -> Option<u32> {
        self.index.get(word).copied()
    }

    /// The words of `text` as training read them: lowercased and Chinese cut into words when
    /// the corpus was.
    pub fn tokens(&self, text: &str) -> Result<Vec<String>> {
        let seg = self.segment.then(|| self.segmenter()).transpose()?;
        Ok(crate::train::tokens_with(text, self.lowercase, seg))
    }

    /// jieba with the user dictionary training used, when it is still there.
    fn segmenter(&self) -> Result<&Segmenter> {
        if let Some(seg) = self.segmenter.get() {
            return Ok(seg);
        }
        let dict = self.user_dict().filter(|d| d.is_file());
        let seg = crate::train::segmenter(dict.as_deref())?;
        Ok(self.segmenter.get_or_init(|| seg))
    }

    /// The jieba user dictionary contexts are cut with: the one given for this use, else the
    /// one training cut the corpus with, as the metadata names it (a relative name not found
    /// where the process runs is looked for beside the model's file).
    pub fn user_dict(&self) -> Option<PathBuf> {
        if let Some(given) = &self.user_dict_given {
            return Some(given.clone());
        }
        let table: toml::Table = self.training.as_deref()?.parse().ok()?;
        let dict = PathBuf::from(table.get("training")?.get("user_dict")?.as_str()?);
        match self.home.as_ref().map(|home| home.join(&dict)) {
            Some(beside) if dict.is_relative() && !dict.is_file() && beside.is_file() => {
                Some(beside)
            }
            _ => Some(dict),
        }
    }

    /// The sentences of corpus files as this model's rows, read as training read them
    /// (lowercased, Chinese cut into words), words outside the vocabulary left out: what an
    /// N-gram baseline ([`crate::train::ngram`]) is estimated from, with what was read.
    /// `progress` counts bytes.
    pub fn read_as_trained(
        &self,
        paths: &[PathBuf],
        progress: Option<&Progress>,
    ) -> Result<(Vec<u32>, Vec<usize>, CorpusStats)> {
        let config = Config {
            lowercase: self.lowercase,
            segment: if self.segment {
                Segment::Zh
            } else {
                Segment::Off
            },
            user_dict: self.user_dict().filter(|d| self.segment && d.is_file()),
            ..Config::default()
        };
        let corpus = super::super::read_corpus(paths, &config, progress)?;
        let (ids, ends) = corpus.encode_by(|w| self.id(w));
        Ok((ids, ends, corpus.stats().clone()))
    }

    /// The corpus files the training metadata names (none when it names none).
    pub fn training_corpus(&self) -> Vec<PathBuf> {
        let table = self
            .training
            .as_deref()
            .and_then(|t| t.parse::<toml::Table>().ok());
        let files = table
            .as_ref()
            .and_then(|t| t.get("corpus")?.get("files")?.as_array().cloned());
        files
            .unwrap_or_default()
            .iter()
            .filter_map(|f| f.as_str().map(PathBuf::from))
            .collect()
    }

    /// The rows of `tokens` (`None` outside the vocabulary).
    pub fn encode(&self, tokens: &[String]) -> Vec<Option<u32>> {
        tokens.iter().map(|t| self.id(t)).collect()
    }

    /// The words a prediction reads of `words` (each with whether it is in the vocabulary):
    /// the last N − 1 known ones, oldest first.
    pub fn used<'a>(&self, words: impl IntoIterator<Item = (&'a str, bool)>) -> Vec<&'a str> {
        let mut used: Vec<&str> = words.into_iter().filter(|w| w.1).map(|w| w.0).collect();
        used.drain(..used.len().saturating_sub(self.weights.dims.ctx));
        used
    }

    /// What a prediction reads, in words: `used` (from [`LanguageModel::used`]) of a context
    /// of `given` words. With fewer than N − 1 words the context is a sentence's start (the
    /// padding stands before them), and says so.
    pub fn describe_context(&self, used: &[&str], given: usize) -> String {
        match (used.is_empty(), given) {
            (true, 0) => "the start of a sentence".into(),
            (true, _) => {
                "the start of a sentence (no word of the context is in the vocabulary)".into()
            }
            _ if used.len() < self.weights.dims.ctx => {
                format!("\"{}\", as a sentence's first words", used.join(" "))
            }
            // The words before these are beyond what the model reads.
            _ if given > used.len() => format!(
                "\"{}\" (an order-{} model reads the last {} words only)",
                used.join(" "),
                self.weights.dims.ctx + 1,
                self.weights.dims.ctx
            ),
            _ => format!("\"{}\"", used.join(" ")),
        }
    }

    /// The words before a prediction: at most the last N − 1 of `previous`, words outside the
    /// vocabulary (`None`) left out as training leaves them out; `None` fills the start.
    fn context(&self, previous: &[Option<u32>]) -> Vec<Option<u32>> {
        let ctx = self.weights.dims.ctx;
        let mut known: Vec<Option<u32>> = previous
            .iter()
            .rev()
            .filter(|w| w.is_some())
            .take(ctx)
            .copied()
            .collect();
        known.resize(ctx, None);
        known.reverse();
        known
    }

    /// `ln P(w | previous)` of every word (see the module's note), and the raw scores.
    pub fn log_probabilities(&self, previous: &[Option<u32>]) -> Vec<f64> {
        let scores = self.weights.scores(&self.context(previous));
        let mut lp: Vec<f64> = scores
            .iter()
            .zip(&self.log_noise)
            .map(|(&s, &n)| s as f64 + n)
            .collect();
        let max = lp.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let log_z = max + lp.iter().map(|&x| (x - max).exp()).sum::<f64>().ln();
        lp.iter_mut().for_each(|x| *x -= log_z);
        lp
    }

    /// The `k` likeliest next words after `previous` (oldest first), with their probabilities.
    pub fn predict(&self, previous: &[Option<u32>], k: usize) -> Vec<(u32, f64)> {
        lm::top_k(&self.log_probabilities(previous), k)
    }

    /// `n` words continuing `previous`, as [`lm::generate`] draws them.
    pub fn generate(&self, previous: &[Option<u32>], n: usize, k: usize, seed: u64) -> Vec<u32> {
        lm::generate(self, previous, n, k, seed)
    }

    /// Scores the true next word of every position of `sentences` (rows; `None` for a word
    /// outside the vocabulary), as [`lm::next_word`] does.
    pub fn next_word(
        &self,
        sentences: &[Vec<Option<u32>>],
        progress: Option<&Progress>,
    ) -> Result<NextWord> {
        lm::next_word(self, &lm::unigram_of(&self.counts), sentences, progress)
    }
}

impl NextWordModel for LanguageModel {
    fn log_probabilities(&self, previous: &[Option<u32>]) -> Vec<f64> {
        LanguageModel::log_probabilities(self, previous)
    }
}

#[cfg(test)]
mod tests;
