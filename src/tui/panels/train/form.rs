//! The train panel's form: the corpus, the mode (from scratch or continuing the open vectors)
//! and the trainer's hyperparameters (the objective on the model row), starting from
//! word2vec's defaults.
use crate::train::{Config, Loss, Model, NnlmConfig, Segment, Subwords};
use std::path::{Path, PathBuf};

/// Where training starts from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Mode {
    /// New vectors for the corpus' vocabulary.
    #[default]
    Scratch,
    /// The vectors that are open: known words keep their vectors, new words are added.
    Continue,
}

impl Mode {
    pub fn label(self) -> &'static str {
        match self {
            Mode::Scratch => "scratch",
            Mode::Continue => "the open vectors",
        }
    }
}

/// One row of the form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Corpus,
    Mode,
    Model,
    Dim,
    Window,
    Negative,
    MinCount,
    Sample,
    Epochs,
    Alpha,
    Threads,
    Seed,
    Lowercase,
    /// Chinese segmentation: off, zh, auto.
    Segment,
    /// The "start" row.
    Start,
}

impl Field {
    pub const ALL: [Field; 15] = [
        Field::Corpus,
        Field::Mode,
        Field::Model,
        Field::Dim,
        Field::Window,
        Field::Negative,
        Field::MinCount,
        Field::Sample,
        Field::Epochs,
        Field::Alpha,
        Field::Threads,
        Field::Seed,
        Field::Lowercase,
        Field::Segment,
        Field::Start,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Field::Corpus => "corpus",
            Field::Mode => "start from",
            Field::Model => "objective",
            Field::Dim => "dimensions",
            Field::Window => "window",
            Field::Negative => "negative",
            Field::MinCount => "min count",
            Field::Sample => "sample",
            Field::Epochs => "epochs",
            Field::Alpha => "learning rate",
            Field::Threads => "threads",
            Field::Seed => "seed",
            Field::Lowercase => "lowercase",
            Field::Segment => "segment",
            Field::Start => "",
        }
    }

    /// Enter flips the value instead of asking for one.
    pub fn is_toggle(self) -> bool {
        matches!(
            self,
            Field::Mode | Field::Model | Field::Lowercase | Field::Segment
        )
    }

    /// What the prompt asks when the field is edited.
    pub fn question(self) -> &'static str {
        match self {
            Field::Corpus => "the corpus to train on: file path(s), Tab completes",
            Field::Dim => "dimensions",
            Field::Window => {
                "window: words on each side (NNLM: its order N, from N − 1 words before, then \
                 its hidden units)"
            }
            Field::Negative => "noise words per example",
            Field::MinCount => "drop words seen fewer times than",
            Field::Sample => "sub-sampling threshold (0: off)",
            Field::Epochs => "passes over the corpus",
            Field::Alpha => "starting learning rate (empty: 0.025 skip-gram, 0.05 CBOW)",
            Field::Threads => "worker threads (0: all cores)",
            Field::Seed => "random seed",
            _ => "value",
        }
    }
}

/// The values of the form.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Form {
    pub(super) corpus: String,
    pub(super) mode: Mode,
    pub(super) config: Config,
    /// The mode was chosen (by the user or the command line), so opening the panel keeps it.
    pub(super) mode_chosen: bool,
}

impl Form {
    /// A form with these values (`embx train --tui` fills one from its arguments).
    pub fn new(corpus: String, mode: Mode, config: Config) -> Self {
        Form {
            corpus,
            mode,
            config,
            mode_chosen: true,
        }
    }

    /// The corpus line as typed (file names separated by spaces).
    pub fn corpus(&self) -> &str {
        &self.corpus
    }

    /// Where training starts from.
    pub fn mode(&self) -> Mode {
        self.mode
    }

    /// The trainer's settings.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// The value shown for `field`; `open_dim` is the dimension of the open vectors, which a
    /// continued run must keep.
    pub fn value(&self, field: Field, open_dim: Option<usize>) -> String {
        let c = &self.config;
        match field {
            Field::Corpus if self.corpus.is_empty() => "(none: Enter to choose)".into(),
            Field::Corpus => self.corpus.clone(),
            Field::Mode => self.mode.label().into(),
            Field::Model => objective(c),
            Field::Dim => match (self.mode, open_dim) {
                (Mode::Continue, Some(d)) => format!("{d} (kept)"),
                _ => c.dim.to_string(),
            },
            Field::Window => match c.nnlm {
                Some(n) => format!(
                    "order {} (the {} words before), hidden {}",
                    n.order,
                    n.order - 1,
                    n.hidden
                ),
                None => c.window.to_string(),
            },
            Field::Negative if c.loss == Loss::Hs => "0 (hierarchical softmax)".into(),
            Field::Negative => c.negative.to_string(),
            Field::MinCount => c.min_count.to_string(),
            Field::Sample => c.sample.to_string(),
            Field::Epochs => c.epochs.to_string(),
            Field::Alpha => match c.alpha {
                Some(a) => a.to_string(),
                None => format!("{} (default)", c.alpha()),
            },
            Field::Threads => match c.threads {
                0 => format!("all cores ({})", c.threads()),
                n => n.to_string(),
            },
            Field::Seed => c.seed.to_string(),
            Field::Lowercase => if c.lowercase { "yes" } else { "no" }.into(),
            Field::Segment => match c.segment {
                Segment::Zh => "zh (jieba)".into(),
                s => s.name().into(),
            },
            Field::Start => String::new(),
        }
    }

    /// The text the prompt starts with when `field` is edited.
    pub fn raw(&self, field: Field) -> String {
        match field {
            Field::Corpus => self.corpus.clone(),
            Field::Alpha => self.config.alpha.map_or(String::new(), |a| a.to_string()),
            Field::Threads => self.config.threads.to_string(),
            Field::Window => match self.config.nnlm {
                Some(n) => format!("{} {}", n.order, n.hidden),
                None => self.config.window.to_string(),
            },
            _ => self.value(field, None),
        }
    }

    /// Flips a toggle field.
    pub fn toggle(&mut self, field: Field) {
        let c = &mut self.config;
        match field {
            Field::Mode => {
                self.mode_chosen = true;
                self.mode = match self.mode {
                    Mode::Scratch => Mode::Continue,
                    Mode::Continue => Mode::Scratch,
                }
            }
            Field::Model => next_objective(c),
            Field::Segment => {
                c.segment = match c.segment {
                    Segment::Off => Segment::Zh,
                    Segment::Zh => Segment::Auto,
                    Segment::Auto => Segment::Off,
                }
            }
            Field::Lowercase => c.lowercase = !c.lowercase,
            _ => {}
        }
    }

    /// Sets `field` from typed text; an error says what is wrong.
    pub fn set(&mut self, field: Field, text: &str) -> Result<(), String> {
        let t = text.trim();
        let c = &mut self.config;
        fn num<T: std::str::FromStr>(t: &str, what: &str) -> Result<T, String> {
            t.parse()
                .map_err(|_| format!("{what}: {t:?} is not a valid number"))
        }
        fn positive(n: usize, what: &str) -> Result<usize, String> {
            if n == 0 {
                Err(format!("{what} must be at least 1"))
            } else {
                Ok(n)
            }
        }
        match field {
            Field::Corpus => self.corpus = t.to_string(),
            Field::Dim => c.dim = positive(num(t, "dimensions")?, "dimensions")?,
            Field::Window => match &mut c.nnlm {
                Some(n) => {
                    // "5", "5 100" or "order 5, hidden 100".
                    let numbers: Vec<&str> = t
                        .split(|c: char| c.is_whitespace() || c == ',')
                        .filter(|w| !w.is_empty() && !matches!(*w, "order" | "hidden"))
                        .collect();
                    let (order, hidden) =
                        match numbers.as_slice() {
                            [o] => (num(o, "order")?, n.hidden),
                            [o, h] => (num(o, "order")?, num(h, "hidden units")?),
                            _ => return Err(
                                "the order, then the hidden units if they change: `5` or `5 100`"
                                    .into(),
                            ),
                        };
                    if order < 2 {
                        return Err("the order must be at least 2 (one word before)".into());
                    }
                    n.order = order;
                    n.hidden = positive(hidden, "hidden units")?;
                }
                None => c.window = positive(num(t, "window")?, "the window")?,
            },
            Field::Negative => c.negative = num(t, "negative")?,
            Field::MinCount => c.min_count = num(t, "min count")?,
            Field::Sample => {
                let s: f64 = num(t, "sample")?;
                if !(s.is_finite() && s >= 0.0) {
                    return Err("sample must be 0 or more".into());
                }
                c.sample = s;
            }
            Field::Epochs => c.epochs = positive(num(t, "epochs")?, "epochs")?,
            Field::Alpha if t.is_empty() => c.alpha = None,
            Field::Alpha => {
                let a: f32 = num(t, "learning rate")?;
                if !(a.is_finite() && a > 0.0) {
                    return Err("the learning rate must be positive".into());
                }
                c.alpha = Some(a);
            }
            Field::Threads => c.threads = num(t, "threads")?,
            Field::Seed => c.seed = num(t, "seed")?,
            Field::Mode | Field::Model | Field::Lowercase | Field::Segment | Field::Start => {}
        }
        Ok(())
    }

    /// The corpus files: the whole line when it names a file, else its space-separated parts
    /// (`~/` is the home folder).
    pub fn paths(&self) -> Vec<PathBuf> {
        let line = self.corpus.trim();
        if line.is_empty() {
            return Vec::new();
        }
        if expand(line).is_file() {
            return vec![expand(line)];
        }
        line.split_whitespace().map(expand).collect()
    }
}

/// The objective as the model row shows it: the model, then " · hs" and " · subwords" when
/// they are on (plain "skipgram" is word2vec's skip-gram with negative sampling).
pub(super) fn objective(c: &Config) -> String {
    if let Some(n) = c.nnlm {
        return format!("nnlm (order {}, hidden {})", n.order, n.hidden);
    }
    let mut s = c.model.name().to_string();
    if c.loss == Loss::Hs {
        s.push_str(" · hs");
    }
    if let Some(sw) = c.subwords {
        s.push_str(&format!(" · subwords {}–{}", sw.minn, sw.maxn));
    }
    s
}

/// Steps through skip-gram/CBOW × NS/HS × subwords or not, then the NNLM, then back.
fn next_objective(c: &mut Config) {
    if c.nnlm.take().is_some() {
        (c.model, c.loss, c.subwords) = (Model::SkipGram, Loss::Ns, None);
        return;
    }
    next_word2vec_objective(c);
    if (c.model, c.loss, c.subwords) == (Model::SkipGram, Loss::Ns, None) {
        c.nnlm = Some(NnlmConfig::default());
    }
}

fn next_word2vec_objective(c: &mut Config) {
    c.model = match c.model {
        Model::SkipGram => Model::Cbow,
        Model::Cbow => Model::SkipGram,
    };
    if c.model == Model::SkipGram {
        c.loss = match c.loss {
            Loss::Ns => Loss::Hs,
            Loss::Hs => Loss::Ns,
        };
        if c.loss == Loss::Ns {
            c.subwords = match c.subwords {
                None => Some(Subwords::default()),
                Some(_) => None,
            };
        }
    }
}

fn expand(name: &str) -> PathBuf {
    match (name.strip_prefix("~/"), std::env::var_os("HOME")) {
        (Some(rest), Some(home)) => Path::new(&home).join(rest),
        _ => PathBuf::from(name),
    }
}

#[cfg(test)]
mod tests;
