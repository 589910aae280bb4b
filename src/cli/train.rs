//! `embx train CORPUS... -o OUT`: word2vec training with a live progress line.
use super::progress::{with_bar, Unit};
use crate::error::{Error, Result};
use crate::format::Format;
use crate::io::{self, SaveOptions};
use crate::train::{self, Config, Monitor, MonitorSnapshot, Phase};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

mod args;
mod notes;
pub use args::{ProgressMode, TrainArgs};
pub(crate) use notes::{corpus_dictionary, segmenting};

/// Reads the corpus and trains on it with a progress display (bar, JSON lines or none) on
/// stderr; `segment` is [`train::will_segment`]'s answer. Notes known once the corpus is read
/// are said before training starts, above the bar (none when `quiet`).
fn train_headless(
    args: &TrainArgs,
    config: &Config,
    (mode, quiet): (ProgressMode, bool),
    base: Option<&crate::space::Space>,
    segment: bool,
) -> Result<train::Trained> {
    // `with_bar` (without its own bar) registers the progress so that Ctrl-C cancels it.
    with_bar("training", Unit::Rows, true, |progress| {
        let monitor = Arc::new(Monitor::with_progress(progress));
        let done = Arc::new(AtomicBool::new(false));
        let bar = (mode == ProgressMode::Bar)
            .then(|| ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr_with_hz(10)));
        let drawer = (mode != ProgressMode::None).then(|| {
            let (m, d, b) = (monitor.clone(), done.clone(), bar.clone());
            std::thread::spawn(move || draw(&m, &d, mode, b))
        });
        let result = read_and_train(args, config, &monitor, base, (segment, quiet), bar.as_ref());
        super::progress::stop_drawer(&done, drawer);
        result
    })
}

/// [`train_headless`]'s work: the corpus read, the dictionary's note said, the training.
fn read_and_train(
    args: &TrainArgs,
    config: &Config,
    monitor: &Monitor,
    base: Option<&crate::space::Space>,
    (segment, quiet): (bool, bool),
    bar: Option<&ProgressBar>,
) -> Result<train::Trained> {
    let corpus = train::read_corpus_as(&args.corpus, config, segment, Some(monitor.progress()))?;
    if !quiet {
        if let Some(note) = notes::corpus_dictionary(
            &corpus,
            config,
            ((config.min_count, config.max_vocab), notes::NO_VECTOR),
            base,
        ) {
            say(bar, &note);
        }
    }
    let base = base.map(|space| train::Base {
        space,
        output: None,
    });
    train::train_from(&corpus, config, monitor, base)
}

/// Prints `line` on stderr, above the progress bar when there is one.
fn say(bar: Option<&ProgressBar>, line: &str) {
    match bar {
        Some(bar) => bar.suspend(|| eprintln!("{line}")),
        None => eprintln!("{line}"),
    }
}

/// What became of the language model file beside the output.
pub(crate) enum ModelFile {
    Untouched,
    /// The NNLM's model was written there.
    Written(std::path::PathBuf),
    /// The model of the vectors that were replaced was removed.
    Removed(std::path::PathBuf),
}

/// Writes the trained vectors; a fastText `.bin` also keeps the settings and output weights,
/// and an NNLM's whole model goes beside its vectors (a stale one is removed).
fn save(
    trained: &train::Trained,
    config: &Config,
    output: &std::path::Path,
    format: Format,
) -> Result<ModelFile> {
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
        io::save_fasttext_bin(&trained.space, output, &extras)?;
        remove_stale(output)
    } else {
        io::save(
            &trained.space,
            output,
            &SaveOptions {
                format,
                progress: None,
            },
        )?;
        let Some(model) = &trained.language_model else {
            return remove_stale(output);
        };
        let path = train::nnlm::file::model_path(output);
        train::nnlm::file::save(model, &path)?;
        Ok(ModelFile::Written(path))
    }
}

fn remove_stale(output: &std::path::Path) -> Result<ModelFile> {
    Ok(match train::nnlm::file::remove_stale(output)? {
        Some(p) => ModelFile::Removed(p),
        None => ModelFile::Untouched,
    })
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

/// Refuses a corpus `-` (standard input) where it cannot be read, and says how to end it when
/// it is the terminal.
fn stdin_corpus(args: &TrainArgs, quiet: bool) -> Result<()> {
    if !args.corpus.iter().any(|p| train::is_stdin(p)) {
        return Ok(());
    }
    #[cfg(feature = "tui")]
    if args.tui {
        return Err(Error::Invalid(
            "-: the explorer (--tui) reads its corpus from files, not from standard input".into(),
        ));
    }
    if !quiet && std::io::IsTerminal::is_terminal(&std::io::stdin()) {
        eprintln!("reading the corpus from standard input (the terminal): end it with Ctrl-D");
    }
    Ok(())
}

pub fn run(args: &TrainArgs, quiet: bool) -> Result<()> {
    // The output is checked before the corpus is read: a run is not lost for a folder that
    // does not exist or a name that says no format.
    if let Some(out) = args.output.as_deref() {
        let format = Format::for_output(out, args.format)?;
        io::check_target(out)?;
        if let Some(warning) = Format::misnamed(out, format).filter(|_| !quiet) {
            eprintln!("{warning}");
        }
    }
    stdin_corpus(args, quiet)?;
    #[cfg(feature = "tui")]
    if args.tui {
        // The vectors to continue are read here, with the progress on the terminal, before
        // the explorer takes the screen.
        let (config, base) = config_and_base(args, quiet)?;
        return crate::tui::train_in_explorer(crate::tui::TrainLaunch {
            corpus: args.corpus.clone(),
            config,
            output: args.output.clone(),
            format: args.format,
            base,
        });
    }
    let Some(output) = args.output.as_deref() else {
        return Err(Error::Invalid("-o OUT is needed (or --tui)".into()));
    };
    let (config, base) = config_and_base(args, quiet)?;
    let subwords = config.subwords.is_some();
    let format = Format::for_trained_output(output, args.format, subwords)?;
    if subwords && !format.keeps_subwords() && !quiet {
        eprintln!(
            "warning: {} keeps the word vectors only, not the n-gram rows that give unknown words a vector (.fifu, .bin or --format fasttext-bin keep them)",
            format.describe()
        );
    }
    let mode = match args.progress {
        ProgressMode::Bar if quiet => ProgressMode::None,
        m => m,
    };
    // Whether Chinese is cut is known from a quick look, and said before the long read.
    let segment = train::will_segment(&args.corpus, &config)?;
    if !quiet {
        for note in segmenting(&config, segment) {
            eprintln!("{note}");
        }
    }
    let trained = match train_headless(args, &config, (mode, quiet), base.as_ref(), segment) {
        Err(Error::Interrupted) if args.save_on_interrupt && !quiet => {
            eprintln!("stopped while the corpus was read, before any training: no vectors to save");
            return Err(Error::Interrupted);
        }
        trained => trained?,
    };
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
    let model = save(&trained, &config, output, format)?;
    if !quiet {
        notes::say_trained(&trained, &config, output, format, &model);
    }
    if r.completed {
        Ok(())
    } else {
        Err(Error::Interrupted)
    }
}

/// The training settings, and the vectors `--from` continues (read first: they fix some of
/// the settings).
fn config_and_base(args: &TrainArgs, quiet: bool) -> Result<(Config, Option<crate::space::Space>)> {
    let mut config = args.config()?;
    let base = match &args.from {
        Some(path) => Some(open_base(path, args, &mut config, quiet)?),
        None => None,
    };
    Ok((config, base))
}

/// The vectors `--from` continues, with the settings they fix: their dimension (another
/// --dim is refused) and their fastText subwords, if any.
fn open_base(
    path: &std::path::Path,
    args: &TrainArgs,
    config: &mut Config,
    quiet: bool,
) -> Result<crate::space::Space> {
    let input = super::InputArgs {
        file: path.to_path_buf(),
        format: None,
        words_file: None,
        mmap: false,
        no_mmap: false,
    };
    let space = super::load::open(&input, quiet)?;
    if let Some(dim) = args.dim.filter(|&d| d != space.dim()) {
        return Err(Error::Invalid(format!(
            "--dim {dim} differs from the {} dimensions of {}, whose training --from continues",
            space.dim(),
            path.display()
        )));
    }
    config.dim = space.dim();
    if let Some(s) = train::subword::of_space(&space) {
        config.subwords = Some(s);
    }
    if !quiet {
        if let Some(note) = changed_note(&space, path, config) {
            eprintln!("{note}");
        }
    }
    Ok(space)
}

/// A note naming the settings in which this run differs from the one recorded in the
/// metadata of the vectors it continues (`None` when they agree or nothing is recorded).
fn changed_note(
    space: &crate::space::Space,
    path: &std::path::Path,
    config: &Config,
) -> Option<String> {
    let then = train::recorded(space.source().metadata.as_deref()?)?;
    let changed = train::changed_settings(&then.config, config);
    if changed.is_empty() {
        return None;
    }
    let (was, now): (Vec<String>, Vec<String>) = changed.into_iter().unzip();
    Some(format!(
        "note: {} was trained with {}; this run uses {} (give those options to go on as it was trained)",
        path.display(),
        was.join(" "),
        now.join(" ")
    ))
}

/// Seconds left at the current rate.
fn eta(s: &MonitorSnapshot) -> Option<f64> {
    let rate = s.words_per_second();
    (s.phase == Phase::Training && rate > 0.0).then(|| s.total.saturating_sub(s.done) as f64 / rate)
}

fn draw(monitor: &Monitor, done: &AtomicBool, mode: ProgressMode, bar: Option<ProgressBar>) {
    match (mode, bar) {
        (ProgressMode::Json, _) => draw_json(monitor, done),
        (ProgressMode::Bar, Some(bar)) => draw_bar(monitor, done, &bar),
        _ => {}
    }
}

/// One progress object; `stopped` marks a run that Ctrl-C ended (phase "interrupted").
fn json_line(s: &MonitorSnapshot, stopped: bool) -> String {
    let phase = match s.phase {
        _ if stopped => "interrupted",
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
        std::thread::park_timeout(Duration::from_millis(50));
        if Instant::now() >= next {
            // The run's end (done or interrupted) is the last object's alone.
            let s = monitor.snapshot();
            if s.phase != Phase::Done && !monitor.is_cancelled() {
                eprintln!("{}", json_line(&s, false));
            }
            next += Duration::from_secs(1);
        }
    }
    // The last object gives the totals: phase "done" and fraction 1 when the run completed,
    // "interrupted" and how far it got when it was stopped.
    let stopped = monitor.is_cancelled();
    eprintln!("{}", json_line(&monitor.snapshot(), stopped));
}

fn draw_bar(monitor: &Monitor, done: &AtomicBool, bar: &ProgressBar) {
    // The bar takes what the terminal has left, so that the line fits 80 columns. A corpus
    // on standard input alone has no size to show a part of: then only the megabytes read.
    let style = |template: &str| {
        if let Ok(style) = ProgressStyle::with_template(template) {
            bar.set_style(style.progress_chars("=> "));
        }
    };
    let mut sized = None;
    while !done.load(Ordering::SeqCst) {
        std::thread::park_timeout(Duration::from_millis(100));
        let s = monitor.snapshot();
        let now_sized = s.phase != Phase::Reading || s.total > 0;
        if sized != Some(now_sized) {
            style(if now_sized {
                "{prefix} [{wide_bar}] {percent:>3}% {msg}"
            } else {
                "{prefix} {msg}"
            });
            sized = Some(now_sized);
        }
        bar.set_length(s.total.max(1));
        bar.set_position(s.done.min(s.total));
        match s.phase {
            Phase::Reading => {
                bar.set_prefix("reading corpus");
                let from = if now_sized {
                    ""
                } else {
                    " from standard input"
                };
                bar.set_message(format!("{} MB{from}", s.done >> 20));
            }
            _ => {
                bar.set_prefix(format!("epoch {}/{}", s.epoch(), s.epochs));
                let loss = s.loss.map_or("–".to_string(), |l| format!("{l:.3}"));
                let eta = eta(&s).map_or("–".to_string(), |e| {
                    let e = e as u64;
                    format!("{}:{:02}", e / 60, e % 60)
                });
                bar.set_message(format!(
                    "{:.0}k words/s/thread lr {:.5} loss {loss} eta {eta}",
                    s.words_per_second() / s.threads.max(1) as f64 / 1e3,
                    s.alpha
                ));
            }
        }
    }
    bar.finish_and_clear();
}
