//! `embx train`'s arguments, and the training configuration they make.
use crate::error::{Error, Result};
use crate::format::Format;
use crate::train::{Config, Loss, Model, NnlmConfig, Segment, Subwords};
use clap::{Args, ValueEnum};
use std::path::PathBuf;

/// How to show progress.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ProgressMode {
    /// A progress bar on stderr (only when stderr is a terminal).
    Bar,
    /// One JSON object a second on stderr, for scripts; the last has phase "done", or
    /// "interrupted" after Ctrl-C.
    Json,
    /// Nothing.
    None,
}

/// Options of `embx train`; names and defaults follow word2vec and gensim.
#[derive(Debug, Args)]
pub struct TrainArgs {
    /// Corpus file(s): UTF-8 text, whitespace-separated tokens, one sentence a line; gzip
    /// files (.gz) are decompressed on the fly. `-` reads standard input (a pipe), once.
    #[arg(required = true, value_name = "CORPUS")]
    pub corpus: Vec<PathBuf>,
    /// The vector file to write (atomically). Optional with --tui: then it is written when
    /// training ends (also when stopped), and `w` in the explorer saves at any time.
    #[cfg_attr(
        feature = "tui",
        arg(short, long, value_name = "OUT", required_unless_present = "tui")
    )]
    #[cfg_attr(
        not(feature = "tui"),
        arg(short, long, value_name = "OUT", required = true)
    )]
    pub output: Option<PathBuf>,
    /// Continue training the vectors of FILE on the corpus: its words keep their vectors as
    /// the starting point, new words join, and its dimension and subword settings are kept
    /// (with --tui, the explorer opens on FILE and continues it).
    #[arg(long, value_name = "FILE")]
    pub from: Option<PathBuf>,
    /// skipgram, cbow, or nnlm (Bengio et al. 2003's neural language model).
    #[arg(long, default_value = "skipgram")]
    pub model: ModelChoice,
    /// Dimensions of the vectors [default: 100; with --from, the file's].
    #[arg(long, allow_negative_numbers = true)]
    pub dim: Option<usize>,
    /// Largest distance between a word and its context words [default: 5] (skipgram and
    /// cbow; the NNLM reads the --order − 1 words before each word).
    #[arg(long, allow_negative_numbers = true)]
    pub window: Option<usize>,
    /// Noise words per positive example [default: 5] (negative sampling only).
    #[arg(long, allow_negative_numbers = true)]
    pub negative: Option<usize>,
    /// Drop words seen fewer times.
    #[arg(long, default_value_t = 5, allow_negative_numbers = true)]
    pub min_count: u64,
    /// Sub-sampling threshold for frequent words (0: off).
    #[arg(long, default_value_t = 1e-3, allow_negative_numbers = true)]
    pub sample: f64,
    /// Passes over the corpus.
    #[arg(long, default_value_t = 5, allow_negative_numbers = true)]
    pub epochs: usize,
    /// Starting learning rate [default: 0.025 skipgram, 0.05 cbow, as word2vec; gensim's is
    /// 0.025 for both, with --min-alpha 0.0001].
    #[arg(long, allow_negative_numbers = true)]
    pub alpha: Option<f32>,
    /// Floor of the learning rate [default: alpha × 0.0001].
    #[arg(long, allow_negative_numbers = true)]
    pub min_alpha: Option<f32>,
    /// Worker threads; 0 (the default) uses every core. With 1 thread a seeded run is
    /// reproducible.
    #[arg(
        long,
        default_value_t = 0,
        hide_default_value = true,
        allow_negative_numbers = true
    )]
    pub threads: usize,
    /// Seed of the random numbers.
    #[arg(long, default_value_t = 1, allow_negative_numbers = true)]
    pub seed: u64,
    /// Keep only the N most frequent words.
    #[arg(long, value_name = "N", allow_negative_numbers = true)]
    pub max_vocab: Option<usize>,
    /// Lowercase the corpus.
    #[arg(long)]
    pub lowercase: bool,
    // -- objectives (issue 15) --
    /// Output layer: ns (negative sampling) or hs (hierarchical softmax; no noise words).
    #[arg(long, default_value = "ns")]
    pub loss: Loss,
    /// Train fastText-style subwords (character n-grams of `<word>`): vectors for unseen
    /// words; saved as a .fifu with a fastText subword vocabulary, or a fastText .bin.
    #[arg(long)]
    pub subwords: bool,
    /// Shortest n-gram (with --subwords) [default: 3].
    #[arg(long, allow_negative_numbers = true)]
    pub minn: Option<usize>,
    /// Longest n-gram (with --subwords) [default: 6].
    #[arg(long, allow_negative_numbers = true)]
    pub maxn: Option<usize>,
    /// Hash buckets for the n-grams (with --subwords) [default: 2000000].
    #[arg(long, allow_negative_numbers = true)]
    pub buckets: Option<usize>,
    /// Skip-gram shares one set of noise words per window (pWord2Vec); faster, not word2vec's
    /// exact update.
    #[arg(long)]
    pub shared_negatives: bool,
    /// Cut Chinese text into words: auto (zh when a part of the corpus sampled from each
    /// file's start, middle and end is more than 5 % Chinese characters), zh (jieba), or off
    /// (whitespace only).
    #[arg(long, default_value = "auto", value_name = "auto|zh|off")]
    pub segment: Segment,
    /// A jieba user dictionary (one word a line, optional frequency and tag) for --segment.
    #[arg(long, value_name = "FILE")]
    pub user_dict: Option<PathBuf>,
    /// NNLM: predict each word from the N − 1 words before it [default: 5].
    #[arg(long, value_name = "N", allow_negative_numbers = true)]
    pub order: Option<usize>,
    /// NNLM: units of the tanh hidden layer [default: 100].
    #[arg(long, value_name = "H", allow_negative_numbers = true)]
    pub hidden: Option<usize>,
    /// Output format [default: from OUT's extension (.fifu, .bin, .vec, .txt, .tsv), else
    /// fifu; another extension is refused].
    #[arg(long, value_parser = crate::cli::args::FormatParser::OUTPUT)]
    pub format: Option<Format>,
    /// Progress display.
    #[arg(long, value_enum, default_value = "bar")]
    pub progress: ProgressMode,
    /// On Ctrl-C, write the vectors learnt so far instead of nothing.
    #[arg(long)]
    pub save_on_interrupt: bool,
    /// Train inside the explorer: watch progress, loss, neighbours and the space move; pause,
    /// stop and save from there. Prints the final words/s to stderr on exit.
    #[cfg(feature = "tui")]
    #[arg(long)]
    pub tui: bool,
}

/// The objective named by `--model`: a word2vec model or the NNLM.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ModelChoice {
    Word2vec(Model),
    Nnlm,
}

impl std::str::FromStr for ModelChoice {
    type Err = String;
    fn from_str(s: &str) -> std::result::Result<Self, String> {
        if s.eq_ignore_ascii_case("nnlm") {
            return Ok(ModelChoice::Nnlm);
        }
        s.parse::<Model>()
            .map(ModelChoice::Word2vec)
            .map_err(|_| format!("unknown model {s:?} (expected skipgram, cbow or nnlm)"))
    }
}

impl TrainArgs {
    pub(super) fn nnlm(&self) -> Result<Option<NnlmConfig>> {
        if self.model != ModelChoice::Nnlm {
            if self.order.is_some() || self.hidden.is_some() {
                return Err(Error::Invalid(
                    "--order and --hidden shape the NNLM: use them with --model nnlm".into(),
                ));
            }
            return Ok(None);
        }
        // The NNLM's output layer is its own (negative sampling over the next word).
        let word2vec_only = [
            (self.loss == Loss::Hs, "--loss hs", "skipgram and cbow"),
            (self.subwords, "--subwords", "skipgram and cbow"),
            (self.shared_negatives, "--shared-negatives", "skipgram"),
            (self.window.is_some(), "--window", "skipgram and cbow"),
        ];
        if let Some((_, flag, models)) = word2vec_only.iter().find(|(given, _, _)| *given) {
            return Err(Error::Invalid(format!(
                "{flag} applies to {models}, not to --model nnlm (it predicts each word from \
                 the --order − 1 words before it, with its own output layer)"
            )));
        }
        let d = NnlmConfig::default();
        Ok(Some(NnlmConfig {
            order: self.order.unwrap_or(d.order),
            hidden: self.hidden.unwrap_or(d.hidden),
        }))
    }

    pub(super) fn config(&self) -> Result<Config> {
        let subword_settings = [
            (self.minn.is_some(), "--minn"),
            (self.maxn.is_some(), "--maxn"),
            (self.buckets.is_some(), "--buckets"),
        ];
        let given = subword_settings.iter().find(|(given, _)| *given);
        if let (Some((_, flag)), false) = (given, self.subwords) {
            return Err(Error::Invalid(format!(
                "{flag} shapes the subwords: add --subwords to train them"
            )));
        }
        if self.loss == Loss::Hs && self.negative.is_some() {
            return Err(Error::Invalid(
                "--negative does not apply to --loss hs: hierarchical softmax draws no noise words"
                    .into(),
            ));
        }
        Ok(Config {
            model: match self.model {
                ModelChoice::Word2vec(m) => m,
                ModelChoice::Nnlm => Model::default(),
            },
            segment: self.segment,
            user_dict: self.user_dict.clone(),
            nnlm: self.nnlm()?,
            dim: self.dim.unwrap_or(Config::default().dim),
            window: self.window.unwrap_or(5),
            negative: self.negative.unwrap_or(5),
            min_count: self.min_count,
            sample: self.sample,
            epochs: self.epochs,
            alpha: self.alpha,
            min_alpha: self.min_alpha,
            threads: self.threads,
            seed: self.seed,
            max_vocab: self.max_vocab,
            lowercase: self.lowercase,
            // -- objectives (issue 15) --
            loss: self.loss,
            subwords: self.subwords.then_some(Subwords {
                minn: self.minn.unwrap_or(Subwords::default().minn),
                maxn: self.maxn.unwrap_or(Subwords::default().maxn),
                buckets: self.buckets.unwrap_or(Subwords::default().buckets),
            }),
            shared_negatives: self.shared_negatives,
        })
    }
}
