//! `embx train CORPUS... -o OUT`: word2vec training with a live progress line.
use super::progress::{with_bar, Unit};
use crate::error::{Error, Result};
use crate::format::Format;
use crate::io::{self, SaveOptions};
use crate::train::{
    self, Config, Loss, Model, Monitor, MonitorSnapshot, NnlmConfig, Phase, Segment, Subwords,
};
use clap::{Args, ValueEnum};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// How to show progress.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ProgressMode {
    /// A progress bar on stderr (only when stderr is a terminal).
    Bar,
    /// One JSON object a second on stderr, for scripts.
    Json,
    /// Nothing.
    None,
}

/// Options of `embx train`; names and defaults follow word2vec and gensim.
#[derive(Debug, Args)]
pub struct TrainArgs {
    /// Corpus file(s): UTF-8 text, whitespace-separated tokens, one sentence a line; gzip
    /// files (.gz) are decompressed on the fly.
    #[arg(required = true, value_name = "CORPUS")]
    pub corpus: Vec<PathBuf>,
    /// The vector file to write (atomically). Optional with --tui: then it is written when
    /// training ends (also when stopped), and `w` in the explorer saves at any time.
    #[arg(short, long, value_name = "OUT", required_unless_present = "tui")]
    pub output: Option<PathBuf>,
    /// skipgram, cbow, or nnlm (Bengio et al. 2003's neural language model).
    #[arg(long, default_value = "skipgram")]
    pub model: ModelChoice,
    /// Dimensions of the vectors.
    #[arg(long, default_value_t = 100)]
    pub dim: usize,
    /// Largest distance between a word and its context words.
    #[arg(long, default_value_t = 5)]
    pub window: usize,
    /// Noise words per positive example [default: 5] (negative sampling only).
    #[arg(long)]
    pub negative: Option<usize>,
    /// Drop words seen fewer times.
    #[arg(long, default_value_t = 5)]
    pub min_count: u64,
    /// Sub-sampling threshold for frequent words (0: off).
    #[arg(long, default_value_t = 1e-3)]
    pub sample: f64,
    /// Passes over the corpus.
    #[arg(long, default_value_t = 5)]
    pub epochs: usize,
    /// Starting learning rate [default: 0.025 skipgram, 0.05 cbow].
    #[arg(long)]
    pub alpha: Option<f32>,
    /// Floor of the learning rate [default: alpha × 0.0001].
    #[arg(long)]
    pub min_alpha: Option<f32>,
    /// Worker threads [default: all cores]. With 1 thread a seeded run is reproducible.
    #[arg(long, default_value_t = 0, hide_default_value = true)]
    pub threads: usize,
    /// Seed of the random numbers.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Keep only the N most frequent words.
    #[arg(long, value_name = "N")]
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
    /// Shortest n-gram (with --subwords).
    #[arg(long, default_value_t = 3)]
    pub minn: usize,
    /// Longest n-gram (with --subwords).
    #[arg(long, default_value_t = 6)]
    pub maxn: usize,
    /// Hash buckets for the n-grams (with --subwords).
    #[arg(long, default_value_t = 2_000_000)]
    pub buckets: usize,
    /// Skip-gram shares one set of noise words per window (pWord2Vec); faster, not word2vec's
    /// exact update.
    #[arg(long)]
    pub shared_negatives: bool,
    /// Cut Chinese text into words: off, zh (jieba), or auto (zh when the first megabyte
    /// is more than 5 % Chinese characters).
    #[arg(long, default_value = "off", value_name = "off|zh|auto")]
    pub segment: Segment,
    /// A jieba user dictionary (one word a line, optional frequency and tag) for --segment.
    #[arg(long, value_name = "FILE")]
    pub user_dict: Option<PathBuf>,
    /// NNLM: predict each word from the N − 1 words before it [default: 5].
    #[arg(long, value_name = "N")]
    pub order: Option<usize>,
    /// NNLM: units of the tanh hidden layer [default: 100].
    #[arg(long, value_name = "H")]
    pub hidden: Option<usize>,
    /// Output format [default: from OUT's extension (.fifu, .bin, .vec), else fifu].
    #[arg(long, value_parser = super::args::parse_format)]
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
    fn nnlm(&self) -> Result<Option<NnlmConfig>> {
        if self.model != ModelChoice::Nnlm {
            if self.order.is_some() || self.hidden.is_some() {
                return Err(Error::Invalid(
                    "--order and --hidden shape the NNLM: use them with --model nnlm".into(),
                ));
            }
            return Ok(None);
        }
        let d = NnlmConfig::default();
        Ok(Some(NnlmConfig {
            order: self.order.unwrap_or(d.order),
            hidden: self.hidden.unwrap_or(d.hidden),
        }))
    }

    fn config(&self) -> Result<Config> {
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
            dim: self.dim,
            window: self.window,
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
                minn: self.minn,
                maxn: self.maxn,
                buckets: self.buckets,
            }),
            shared_negatives: self.shared_negatives,
        })
    }
}

/// Trains on the corpus with a progress display (bar, JSON lines or none) on stderr.
fn train_headless(args: &TrainArgs, config: &Config, mode: ProgressMode) -> Result<train::Trained> {
    // `with_bar` (without its own bar) registers the progress so that Ctrl-C cancels it.
    with_bar("training", Unit::Rows, true, |progress| {
        let monitor = Arc::new(Monitor::with_progress(progress));
        let done = Arc::new(AtomicBool::new(false));
        let drawer = (mode != ProgressMode::None).then(|| {
            let (m, d) = (monitor.clone(), done.clone());
            std::thread::spawn(move || draw(&m, &d, mode))
        });
        let result = train::train_files(&args.corpus, config, &monitor);
        done.store(true, Ordering::SeqCst);
        if let Some(h) = drawer {
            let _ = h.join();
        }
        result
    })
}

/// Writes the trained vectors; a fastText `.bin` also keeps the settings and output weights.
fn save(
    trained: &train::Trained,
    config: &Config,
    output: &std::path::Path,
    format: Format,
) -> Result<()> {
    if format == Format::FastTextBin {
        // fastText keeps the settings and the output weights too.
        let extras = io::FastTextExtras {
            model: config.model,
            loss: config.loss,
            window: config.window,
            epochs: config.epochs,
            min_count: config.min_count,
            negative: config.negatives(),
            sample: config.sample,
            output: Some(&trained.output),
        };
        io::save_fasttext_bin(&trained.space, output, &extras)
    } else {
        io::save(
            &trained.space,
            output,
            &SaveOptions {
                format,
                progress: None,
            },
        )
    }
}

/// True when `args` train inside the explorer (which handles signals itself).
pub fn in_explorer(args: &TrainArgs) -> bool {
    #[cfg(feature = "tui")]
    return args.tui;
    #[cfg(not(feature = "tui"))]
    return {
        let _ = args;
        false
    };
}

pub fn run(args: &TrainArgs, quiet: bool) -> Result<()> {
    if let Some(f) = args.format.filter(|f| !f.writable()) {
        return Err(Error::Invalid(format!(
            "embx cannot write {}",
            f.describe()
        )));
    }
    #[cfg(feature = "tui")]
    if args.tui {
        return crate::tui::train_in_explorer(crate::tui::TrainLaunch {
            corpus: args.corpus.clone(),
            config: args.config()?,
            output: args.output.clone(),
            format: args.format,
        });
    }
    let Some(output) = args.output.as_deref() else {
        return Err(Error::Invalid("-o OUT is needed (or --tui)".into()));
    };
    let format = args.format.unwrap_or_else(|| Format::for_output(output));
    if !format.writable() {
        return Err(Error::Invalid(format!(
            "embx cannot write {}",
            format.describe()
        )));
    }
    let config = args.config()?;
    let mode = match args.progress {
        ProgressMode::Bar if quiet => ProgressMode::None,
        m => m,
    };
    let trained = train_headless(args, &config, mode)?;
    let r = &trained.report;
    if !r.completed && !args.save_on_interrupt {
        if !quiet {
            eprintln!(
                "stopped after {:.2} of {} epochs; nothing written (--save-on-interrupt keeps the vectors)",
                r.epochs_done, config.epochs
            );
        }
        return Err(Error::Interrupted);
    }
    save(&trained, &config, output, format)?;
    if !quiet {
        eprintln!(
            "{} {} words × {} ({} corpus tokens, {:.2} epochs) in {:.1} s, {:.0} words/s; wrote {} ({})",
            if r.completed { "trained" } else { "interrupted:" },
            trained.space.len(),
            trained.space.dim(),
            r.corpus.tokens,
            r.epochs_done,
            r.seconds,
            r.words_per_second,
            output.display(),
            format.describe()
        );
        if r.corpus.invalid_utf8 > 0 {
            eprintln!(
                "warning: {} invalid UTF-8 sequences in the corpus were replaced by U+FFFD",
                r.corpus.invalid_utf8
            );
        }
    }
    if r.completed {
        Ok(())
    } else {
        Err(Error::Interrupted)
    }
}

/// Seconds left at the current rate.
fn eta(s: &MonitorSnapshot) -> Option<f64> {
    let rate = s.words_per_second();
    (s.phase == Phase::Training && rate > 0.0).then(|| s.total.saturating_sub(s.done) as f64 / rate)
}

fn draw(monitor: &Monitor, done: &AtomicBool, mode: ProgressMode) {
    match mode {
        ProgressMode::Json => draw_json(monitor, done),
        ProgressMode::Bar => draw_bar(monitor, done),
        ProgressMode::None => {}
    }
}

fn json_line(s: &MonitorSnapshot) -> String {
    let phase = match s.phase {
        Phase::Reading => "reading",
        Phase::Training => "training",
        Phase::Done => "done",
    };
    serde_json::json!({
        "phase": phase,
        "epoch": s.epoch(),
        "epochs": s.epochs,
        "done": s.done,
        "total": s.total,
        "fraction": (s.fraction() * 1e4).round() / 1e4,
        "words_per_second": s.words_per_second().round(),
        "words_per_second_per_thread": (s.words_per_second() / s.threads.max(1) as f64).round(),
        "alpha": s.alpha,
        "loss": s.loss,
        "eta_seconds": eta(s).map(f64::round),
    })
    .to_string()
}

fn draw_json(monitor: &Monitor, done: &AtomicBool) {
    let mut next = Instant::now() + Duration::from_secs(1);
    while !done.load(Ordering::SeqCst) {
        std::thread::sleep(Duration::from_millis(50));
        if Instant::now() >= next {
            eprintln!("{}", json_line(&monitor.snapshot()));
            next += Duration::from_secs(1);
        }
    }
    // The last object gives the totals: phase "done" and fraction 1 when the run completed,
    // "training" and how far it got when it was stopped.
    eprintln!("{}", json_line(&monitor.snapshot()));
}

fn draw_bar(monitor: &Monitor, done: &AtomicBool) {
    use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
    let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr_with_hz(10));
    if let Ok(style) = ProgressStyle::with_template("{prefix} [{bar:25}] {percent:>3}% {msg}") {
        bar.set_style(style.progress_chars("=> "));
    }
    while !done.load(Ordering::SeqCst) {
        std::thread::sleep(Duration::from_millis(100));
        let s = monitor.snapshot();
        bar.set_length(s.total.max(1));
        bar.set_position(s.done.min(s.total));
        match s.phase {
            Phase::Reading => {
                bar.set_prefix("reading corpus");
                bar.set_message(format!("{} MB", s.done >> 20));
            }
            _ => {
                bar.set_prefix(format!("epoch {}/{}", s.epoch(), s.epochs));
                let loss = s.loss.map_or("–".to_string(), |l| format!("{l:.3}"));
                let eta = eta(&s).map_or("–".to_string(), |e| {
                    let e = e as u64;
                    format!("{}:{:02}", e / 60, e % 60)
                });
                bar.set_message(format!(
                    "{:.0}k words/s/thread  lr {:.5}  loss {loss}  eta {eta}",
                    s.words_per_second() / s.threads.max(1) as f64 / 1e3,
                    s.alpha
                ));
            }
        }
    }
    bar.finish_and_clear();
}
