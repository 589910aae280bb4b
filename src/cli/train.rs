//! `embx train CORPUS... -o OUT`: word2vec training with a live progress line.
use super::progress::{with_bar, Unit};
use crate::error::{Error, Result};
use crate::format::Format;
use crate::io::{self, SaveOptions};
use crate::train::{self, Config, Monitor, MonitorSnapshot, Phase};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

mod args;
pub use args::{ProgressMode, TrainArgs};

/// Trains on the corpus with a progress display (bar, JSON lines or none) on stderr.
fn train_headless(
    args: &TrainArgs,
    config: &Config,
    mode: ProgressMode,
    base: Option<&crate::space::Space>,
) -> Result<train::Trained> {
    // `with_bar` (without its own bar) registers the progress so that Ctrl-C cancels it.
    with_bar("training", Unit::Rows, true, |progress| {
        let monitor = Arc::new(Monitor::with_progress(progress));
        let done = Arc::new(AtomicBool::new(false));
        let drawer = (mode != ProgressMode::None).then(|| {
            let (m, d) = (monitor.clone(), done.clone());
            std::thread::spawn(move || draw(&m, &d, mode))
        });
        let base = base.map(|space| train::Base {
            space,
            output: None,
        });
        let result = train::train_files(&args.corpus, config, &monitor, base);
        super::progress::stop_drawer(&done, drawer);
        result
    })
}

/// What became of the language model file beside the output.
enum ModelFile {
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

pub fn run(args: &TrainArgs, quiet: bool) -> Result<()> {
    // The output is checked before the corpus is read: a run is not lost for a folder that
    // does not exist or a name that says no format.
    if let Some(out) = args.output.as_deref() {
        Format::for_output(out, args.format)?;
        io::check_target(out)?;
    }
    #[cfg(feature = "tui")]
    if args.tui {
        // The vectors to continue are read here, with the progress on the terminal, before
        // the explorer takes the screen.
        let mut config = args.config()?;
        let base = match &args.from {
            Some(path) => Some(open_base(path, args, &mut config, quiet)?),
            None => None,
        };
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
    let mut config = args.config()?;
    let base = match &args.from {
        Some(path) => Some(open_base(path, args, &mut config, quiet)?),
        None => None,
    };
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
    let trained = match train_headless(args, &config, mode, base.as_ref()) {
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
        say_trained(&trained, &config, output, format, &model);
    }
    if r.completed {
        Ok(())
    } else {
        Err(Error::Interrupted)
    }
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

/// What was trained and written, and the notes that go with it.
fn say_trained(
    trained: &train::Trained,
    config: &Config,
    output: &std::path::Path,
    format: Format,
    model: &ModelFile,
) {
    let r = &trained.report;
    let (ok, thousands) = (r.completed, crate::text::thousands);
    eprintln!(
        "{} {} words × {} ({} corpus tokens, {:.2} epochs) in {:.1} s, {} words/s; wrote {} ({})",
        if ok { "trained" } else { "interrupted:" },
        thousands(trained.space.len()),
        trained.space.dim(),
        thousands(r.corpus.tokens as usize),
        r.epochs_done,
        r.seconds,
        thousands(r.words_per_second.round() as usize),
        output.display(),
        format.describe()
    );
    if config.segment == train::Segment::Auto && r.corpus.segmented {
        eprintln!(
            "note: Chinese text found, so it was cut into words with jieba (--segment off keeps whitespace tokens)"
        );
    }
    if config.user_dict.is_some() && !r.corpus.segmented {
        eprintln!(
            "note: --user-dict was not used: no Chinese text was found, so nothing was cut into words (--segment zh cuts all the same)"
        );
    }
    match model {
        ModelFile::Written(path) => eprintln!(
            "wrote the language model (hidden and output layers too) to {}; `embx predict {} WORDS…` gives the next word",
            path.display(),
            output.display()
        ),
        ModelFile::Removed(path) => eprintln!(
            "removed {}: it was the language model of the vectors this run replaced",
            path.display()
        ),
        ModelFile::Untouched => {}
    }
    if let Some(s) = config.subwords.filter(|_| format.keeps_subwords()) {
        note_buckets(s.buckets, trained.space.len(), trained.space.dim());
    }
    if r.corpus.invalid_utf8 > 0 {
        eprintln!(
            "warning: {} invalid UTF-8 sequences in the corpus were replaced by U+FFFD",
            r.corpus.invalid_utf8
        );
    }
}

/// A note when the n-gram buckets dwarf the vocabulary: they are most of the output file.
fn note_buckets(buckets: usize, words: usize, dim: usize) {
    let suggested = (words * 10).next_power_of_two().max(1 << 14);
    // (Not for a number of buckets that is already about the one suggested.)
    if buckets <= 10 * words.max(1) || buckets <= suggested {
        return;
    }
    let mib = (buckets * dim * 4) >> 20;
    eprintln!(
        "note: the {} n-gram buckets take {} MiB of the output for {} words; --buckets {} would suit a vocabulary this size",
        crate::text::thousands(buckets),
        crate::text::thousands(mib),
        crate::text::thousands(words),
        suggested
    );
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

fn draw_bar(monitor: &Monitor, done: &AtomicBool) {
    use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
    let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr_with_hz(10));
    // The bar takes what the terminal has left, so that the line fits 80 columns.
    if let Ok(style) = ProgressStyle::with_template("{prefix} [{wide_bar}] {percent:>3}% {msg}") {
        bar.set_style(style.progress_chars("=> "));
    }
    while !done.load(Ordering::SeqCst) {
        std::thread::park_timeout(Duration::from_millis(100));
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
                    "{:.0}k words/s/thread lr {:.5} loss {loss} eta {eta}",
                    s.words_per_second() / s.threads.max(1) as f64 / 1e3,
                    s.alpha
                ));
            }
        }
    }
    bar.finish_and_clear();
}
