//! The interactive explorer (feature `tui`): `embx open FILE`, or plain `embx` for the demo.
//!
//! Elm-style: terminal input and worker results become [`Action`]s; [`update`] is the only
//! place the [`App`] state changes, and it returns [`Effect`]s (start a job, quit) for the
//! caller to carry out. Panels ([`ui`]) draw from `&App` only. The event loop ([`run`]) runs
//! jobs on a background [`worker::Worker`]; tests run them synchronously with [`drive`].
mod adopt;
mod app;
pub mod files;
mod hangup;
mod history;
mod invariants;
pub mod keymap;
mod keytable;
mod mouse;
pub mod panels;
mod requests;
mod run;
mod stats;
mod terminal;
mod testhook;
pub mod ui;
mod update;
mod ways;
pub mod worker;

pub use app::{Alert, App, History, Jobs, Lane, Message, Panel, QueryError, Target, While};
pub use keymap::Command;
pub use run::run;
pub use stats::LoopStats;
pub use update::update;
pub use worker::{execute, Job, JobKind, Output, Source};

use crossterm::event::{KeyEvent, MouseEvent};

/// Something that happened: input, a tick of the clock, or a finished job.
#[derive(Debug)]
pub enum Action {
    /// Open a space.
    Load(Source),
    Key(KeyEvent),
    Mouse(MouseEvent),
    Resize(u16, u16),
    /// Time passed (the loop polls loading progress with it).
    Tick,
    /// A command as if its key had been pressed.
    Command(Command),
    /// SIGTERM, SIGHUP or SIGINT from outside.
    Interrupted,
    /// A job finished.
    Done {
        lane: Lane,
        gen: u64,
        output: Output,
    },
}

/// `embx train CORPUS --tui`: what to train on and where to write the result.
#[derive(Debug, Clone)]
pub struct TrainLaunch {
    pub corpus: Vec<std::path::PathBuf>,
    pub config: crate::train::Config,
    /// Written when the run ends (`-o`).
    pub output: Option<std::path::PathBuf>,
    pub format: Option<crate::format::Format>,
    /// The vectors to continue (`--from`): the explorer opens on them and the run starts once
    /// they are in.
    pub base: Option<crate::space::Space>,
}

/// The explorer with the train panel filled in from `launch`, training started.
pub fn training_app(launch: TrainLaunch, color: bool) -> (App, Action) {
    let corpus = launch
        .corpus
        .iter()
        .map(|p| p.display().to_string())
        .collect::<Vec<_>>()
        .join(" ");
    let name = launch
        .corpus
        .first()
        .and_then(|p| p.file_name())
        .map_or_else(
            || "corpus".to_string(),
            |n| format!("{} (training)", n.to_string_lossy()),
        );
    let mut app = App::new(name, color);
    let mode = match launch.base {
        Some(_) => panels::train::Mode::Continue,
        None => panels::train::Mode::Scratch,
    };
    let form = panels::train::Form::new(corpus, mode, launch.config);
    app.train.launch(form, launch.output, launch.format);
    app.focus = Panel::Train;
    app.editing = false;
    let first = match launch.base {
        Some(base) => {
            app.train.start_once_loaded();
            Action::Load(Source::Ready(base))
        }
        None => Action::Command(Command::Train(panels::train::TrainCmd::Start)),
    };
    (app, first)
}

/// Runs `embx train --tui`: the explorer opens on the training space; on exit, a line about
/// the run goes to stderr (words/s, to compare with headless training).
pub fn train_in_explorer(launch: TrainLaunch) -> crate::Result<()> {
    if let Some(p) = launch.corpus.iter().find(|p| !p.is_file()) {
        return Err(crate::Error::io(
            p,
            std::io::Error::new(std::io::ErrorKind::NotFound, "no such corpus file"),
        ));
    }
    let (app, start) = training_app(launch, ui::theme::Theme::color_from_env());
    let (app, stats) = run::run_app(app, vec![start])?;
    // The run ended but its file was not written yet (quit while saving): write it now.
    let t = &app.train;
    if let (Some(out), Some(_), Some(space)) = (t.output(), t.report(), &app.space) {
        if t.saved() != Some(out) {
            let subwords = space.subwords().is_some();
            let format = crate::format::Format::for_trained_output(out, t.format(), subwords)?;
            let options = crate::io::SaveOptions {
                format,
                progress: None,
            };
            crate::io::save(space, out, &options)?;
            eprintln!("wrote {}", out.display());
        }
    }
    if std::env::var_os("EMBX_TUI_STATS").is_some() {
        eprintln!("{}", stats.summary());
    }
    if let (Some(r), true) = (t.report(), std::env::var_os("EMBX_TUI_STATS").is_some()) {
        let (snapshots, ms) = t.snapshot_cost();
        eprintln!(
            "tui: {} snapshots, {:.1} ms of snapshot work per second of training",
            snapshots,
            ms / r.seconds.max(1e-9)
        );
    }
    match (t.report(), t.seen()) {
        (Some(r), _) => eprintln!(
            "{} {} words ({} corpus tokens, {:.2} epochs) in {:.1} s, {} words/s{}",
            if r.completed { "trained" } else { "stopped:" },
            crate::text::thousands(r.vocab_size),
            crate::text::thousands(r.corpus.tokens as usize),
            r.epochs_done,
            r.seconds,
            crate::text::thousands(r.words_per_second as usize),
            t.saved().map_or("; nothing written".into(), |p| format!(
                "; wrote {}{}",
                p.display(),
                t.saved_model().map_or(String::new(), |m| format!(
                    " and its language model {}",
                    m.display()
                ))
            ))
        ),
        (None, Some(s)) => eprintln!(
            "quit while training ({} words/s so far); nothing written",
            crate::text::thousands(s.words_per_second() as usize)
        ),
        (None, None) => {}
    }
    Ok(())
}

/// What [`update`] asks its caller to do.
#[derive(Debug)]
pub enum Effect {
    Run(Job),
    Quit,
}

/// Applies `action` and then, synchronously and in order, the jobs it starts and their
/// results, until nothing is left to do. Returns true when the app asked to quit. This is
/// the event loop without threads, for tests and scripted use.
pub fn drive(app: &mut App, action: Action) -> bool {
    let mut queue = std::collections::VecDeque::from([action]);
    let mut quit = false;
    while let Some(action) = queue.pop_front() {
        for effect in update(app, action) {
            match effect {
                Effect::Run(job) => queue.push_back(execute(job)),
                Effect::Quit => quit = true,
            }
        }
    }
    quit
}
