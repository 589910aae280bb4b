//! The hyperparameters of a training run.
use crate::error::{Error, Result};

/// The architecture.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Model {
    /// Predict the context words from each word (word2vec `-cbow 0`, gensim `sg=1`).
    #[default]
    SkipGram,
    /// Predict each word from the average of its context (word2vec `-cbow 1`).
    Cbow,
}

impl Model {
    pub fn name(self) -> &'static str {
        match self {
            Model::SkipGram => "skipgram",
            Model::Cbow => "cbow",
        }
    }
}

impl std::str::FromStr for Model {
    type Err = String;
    fn from_str(s: &str) -> std::result::Result<Self, String> {
        match s.to_ascii_lowercase().as_str() {
            "skipgram" | "skip-gram" | "sg" => Ok(Model::SkipGram),
            "cbow" => Ok(Model::Cbow),
            _ => Err(format!("unknown model {s:?} (expected skipgram or cbow)")),
        }
    }
}

/// The NNLM's starting learning rate when none is given.
pub const NNLM_ALPHA: f32 = 0.025;

/// Hyperparameters, with word2vec's / gensim's names and defaults.
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    pub model: Model,
    /// Vector size (`-size`, gensim `vector_size`).
    pub dim: usize,
    /// Largest distance between a word and a context word.
    pub window: usize,
    /// Noise words per positive example.
    pub negative: usize,
    /// Words seen fewer times are dropped.
    pub min_count: u64,
    /// Sub-sampling threshold (0 keeps every occurrence).
    pub sample: f64,
    /// Passes over the corpus (`-iter`).
    pub epochs: usize,
    /// Starting learning rate; `None`: 0.025 for skip-gram, 0.05 for CBOW.
    pub alpha: Option<f32>,
    /// Floor of the learning rate; `None`: alpha × 1e-4 (word2vec's).
    pub min_alpha: Option<f32>,
    /// Worker threads; 0 uses all cores.
    pub threads: usize,
    pub seed: u64,
    /// Keep at most this many (most frequent) words.
    pub max_vocab: Option<usize>,
    /// Lowercase the corpus while reading it (used by [`train_files`]).
    pub lowercase: bool,
    /// Cut Chinese text into words while reading ([`super::read_corpus`]).
    pub segment: super::Segment,
    /// Extra words for the segmenter (a jieba user dictionary).
    pub user_dict: Option<std::path::PathBuf>,
    /// Train Bengio et al.'s neural language model instead of `model` (`--model nnlm`).
    pub nnlm: Option<NnlmConfig>,
}

/// The shape of the neural probabilistic language model (Bengio et al. 2003).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NnlmConfig {
    /// N of the N-gram: each word is predicted from the N − 1 words before it.
    pub order: usize,
    /// Units of the tanh hidden layer.
    pub hidden: usize,
}

impl Default for NnlmConfig {
    fn default() -> Self {
        NnlmConfig {
            order: 5,
            hidden: 100,
        }
    }
}

impl Default for Config {
    fn default() -> Self {
        Config {
            model: Model::SkipGram,
            dim: 100,
            window: 5,
            negative: 5,
            min_count: 5,
            sample: 1e-3,
            epochs: 5,
            alpha: None,
            min_alpha: None,
            threads: 0,
            seed: 1,
            max_vocab: None,
            lowercase: false,
            segment: super::Segment::Off,
            user_dict: None,
            nnlm: None,
        }
    }
}

impl Config {
    /// The starting learning rate.
    pub fn alpha(&self) -> f32 {
        if self.nnlm.is_some() {
            return self.alpha.unwrap_or(NNLM_ALPHA);
        }
        self.alpha.unwrap_or(match self.model {
            Model::SkipGram => 0.025,
            Model::Cbow => 0.05,
        })
    }

    /// The learning rate's floor.
    pub fn min_alpha(&self) -> f32 {
        self.min_alpha.unwrap_or(self.alpha() * 1e-4)
    }

    /// The number of worker threads.
    pub fn threads(&self) -> usize {
        if self.threads > 0 {
            self.threads
        } else {
            std::thread::available_parallelism().map_or(1, |n| n.get())
        }
    }

    pub(crate) fn validate(&self) -> Result<()> {
        let bad = |m: &str| Err(Error::Invalid(m.to_string()));
        if self.dim == 0 {
            return bad("the dimension must be at least 1");
        }
        if self.window == 0 {
            return bad("the window must be at least 1");
        }
        if self.epochs == 0 {
            return bad("at least one epoch is needed");
        }
        if !(self.alpha() > 0.0 && self.alpha().is_finite()) {
            return bad("the learning rate must be positive");
        }
        if !self.sample.is_finite() || self.sample < 0.0 {
            return bad("the sub-sampling threshold must be 0 or more");
        }
        if let Some(n) = self.nnlm {
            if n.order < 2 {
                return bad("the NNLM's order must be at least 2 (one word of context)");
            }
            if n.hidden == 0 {
                return bad("the NNLM's hidden layer needs at least 1 unit");
            }
            if self.negative == 0 {
                return bad(
                    "the NNLM trains with negative sampling: --negative must be at least 1",
                );
            }
        }
        Ok(())
    }
}
