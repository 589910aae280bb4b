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
    /// The model's name as written in metadata and on the command line: `skipgram` or `cbow`.
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

/// The output layer: what the hidden vector predicts and how.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Loss {
    /// Negative sampling (word2vec `-negative N -hs 0`, gensim `negative=N, hs=0`).
    #[default]
    Ns,
    /// Hierarchical softmax over word2vec's Huffman tree (`-hs 1 -negative 0`, gensim
    /// `hs=1, negative=0`).
    Hs,
}

impl Loss {
    /// The name used on the command line and in the metadata.
    pub fn name(self) -> &'static str {
        match self {
            Loss::Ns => "ns",
            Loss::Hs => "hs",
        }
    }
}

impl std::str::FromStr for Loss {
    type Err = String;
    fn from_str(s: &str) -> std::result::Result<Self, String> {
        match s.to_ascii_lowercase().as_str() {
            "ns" | "negative" => Ok(Loss::Ns),
            "hs" | "hierarchical" => Ok(Loss::Hs),
            _ => Err(format!("unknown loss {s:?} (expected ns or hs)")),
        }
    }
}

/// fastText-style subwords: a word's input vector is the mean of its own row and the rows of
/// its character n-grams (of `<word>`), hashed into `buckets` rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Subwords {
    /// Shortest n-gram, in characters (fastText `-minn`).
    pub minn: usize,
    /// Longest n-gram, in characters (fastText `-maxn`).
    pub maxn: usize,
    /// Rows the n-grams are hashed into (fastText `-bucket`).
    pub buckets: usize,
}

impl Default for Subwords {
    fn default() -> Self {
        Subwords {
            minn: 3,
            maxn: 6,
            buckets: 2_000_000,
        }
    }
}
/// The NNLM's starting learning rate when none is given.
pub const NNLM_ALPHA: f32 = 0.025;

/// Hyperparameters, with word2vec's / gensim's names and defaults.
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    /// Skip-gram or CBOW.
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
    /// Seed of the random initialisation and sampling (with one thread, runs are reproducible).
    pub seed: u64,
    /// Keep at most this many (most frequent) words.
    pub max_vocab: Option<usize>,
    /// Lowercase the corpus while reading it (used by [`super::train_files`]).
    pub lowercase: bool,
    // -- objectives (issue 15) --
    /// Negative sampling or hierarchical softmax (`Hs` uses no noise words).
    pub loss: Loss,
    /// fastText-style subwords, or `None` for plain word2vec.
    pub subwords: Option<Subwords>,
    /// Skip-gram shares one set of noise words among a window's context words (Ji et al.
    /// 2016, pWord2Vec); false keeps word2vec's exact per-pair update.
    pub shared_negatives: bool,
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
            loss: Loss::Ns,
            subwords: None,
            shared_negatives: false,
            segment: super::Segment::Auto,
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

    /// Noise words per positive example: none with hierarchical softmax.
    pub fn negatives(&self) -> usize {
        match self.loss {
            Loss::Ns => self.negative,
            Loss::Hs => 0,
        }
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
        if let Some(s) = self.subwords {
            // finalfusion's fastText vocabulary counts a lone `<` or `>` as an n-gram, fastText
            // does not: from 2 on they agree.
            if s.minn < 2 || s.minn > s.maxn {
                return bad(
                    "subwords need 2 <= --minn <= --maxn (with --minn 1, finalfusion, which \
                     reads the .fifu output, would build unseen words differently from fastText: \
                     it counts a lone < or > as an n-gram)",
                );
            }
            if s.buckets == 0 || s.buckets > i32::MAX as usize {
                return bad("subwords need between 1 and 2^31 - 1 buckets");
            }
        }
        if self.shared_negatives && (self.model != Model::SkipGram || self.loss != Loss::Ns) {
            return bad(
                "--shared-negatives applies to skip-gram with negative sampling only (CBOW and \
                 hierarchical softmax would train exactly as without it)",
            );
        }
        if self.user_dict.is_some() && self.segment == super::Segment::Off {
            return bad(
                "--user-dict adds words to jieba's dictionary, which --segment off does not use \
                 (--segment zh cuts the text into words, --segment auto when it is Chinese)",
            );
        }
        if self.shared_negatives && self.negative > 63 {
            return bad("shared negatives take at most 63 noise words");
        }
        if !(self.min_alpha() >= 0.0 && self.min_alpha() <= self.alpha()) {
            return Err(Error::Invalid(format!(
                "--min-alpha ({}) must be between 0 and --alpha ({}): the learning rate falls \
                 from --alpha to --min-alpha",
                self.min_alpha(),
                self.alpha()
            )));
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
        if self.loss == Loss::Ns && self.negative == 0 {
            return bad("negative sampling needs at least one noise word (or --loss hs)");
        }
        Ok(())
    }
}
