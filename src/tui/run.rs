//! The event loop: terminal events and worker results become actions; effects start jobs
//! or quit; the screen is redrawn at most ~30 times a second, after all pending events.
use super::hangup;
use super::stats::LoopStats;
use super::terminal::{self, Guard};
use super::testhook;
use super::ui::{self, theme::Theme};
use super::worker::{Source, Worker};
use super::{update, Action, App, Effect};
use crate::error::{Error, Result};
use crossterm::event::{self, Event, KeyEventKind};
use ratatui::backend::CrosstermBackend;
use ratatui::Terminal;
use std::io::{stdout, IsTerminal, Stdout};
use std::sync::mpsc::Receiver;
use std::time::{Duration, Instant};

const FRAME: Duration = Duration::from_millis(33);
/// Input poll slice while background work is running.
const BUSY_POLL: Duration = Duration::from_millis(2);
/// Most events taken in one go before the screen is drawn again.
const MAX_BATCH: usize = 1024;

fn term(e: std::io::Error) -> Error {
    Error::io("terminal", e)
}

/// Opens the explorer on `source` and runs it until the user quits.
pub fn run(source: Source) -> Result<()> {
    // A file that cannot be opened is refused here, before the screen is taken; the full
    // load runs on the worker.
    if let Source::File { path, options, .. } = &source {
        crate::io::check(path, options.format)?;
    }
    let app = App::new(source.name(), Theme::color_from_env());
    let (_, stats) = run_app(app, vec![Action::Load(source)])?;
    if std::env::var_os("EMBX_TUI_STATS").is_some() {
        eprintln!("{}", stats.summary());
    }
    Ok(())
}

/// Runs the explorer on `app`, starting with the actions `first`, until the user quits;
/// returns the final state and the loop's timings.
pub(super) fn run_app(mut app: App, first: Vec<Action>) -> Result<(App, LoopStats)> {
    if !stdout().is_terminal() || !std::io::stdin().is_terminal() {
        return Err(Error::Invalid(
            "the explorer needs a terminal (standard input and output are not one)".into(),
        ));
    }
    terminal::install_signal_handler();
    hangup::watch();
    let guard = Guard::enter().map_err(term)?;
    let mut terminal = Terminal::new(CrosstermBackend::new(stdout())).map_err(term)?;
    let size = terminal.size().map_err(term)?;
    app.size = (size.width, size.height);
    let (mut worker, results) = Worker::new();
    let mut stats = LoopStats::default();
    let outcome = event_loop(
        &mut terminal,
        &mut app,
        &mut worker,
        &results,
        first,
        &mut stats,
    );
    worker.cancel_all();
    let gone = hangup::hung_up();
    if gone {
        // Its drop shows the cursor and reports a failure with eprintln!, which panics on
        // a terminal that is gone.
        std::mem::forget(terminal);
    } else {
        drop(terminal);
    }
    drop(guard);
    // Saves the user asked for finish before embx exits.
    worker.finish_saves();
    if gone {
        // Nobody is left to read a message; the status says what happened.
        std::process::exit(hangup::STATUS);
    }
    if terminal::panicked() {
        // A worker panicked (its message is above): exit as a panic does, with 101.
        eprintln!("embx: a background task panicked");
        std::process::exit(101);
    }
    outcome.map(|()| (app, stats))
}

fn event_loop(
    terminal: &mut Terminal<CrosstermBackend<Stdout>>,
    app: &mut App,
    worker: &mut Worker,
    results: &Receiver<Action>,
    first: Vec<Action>,
    stats: &mut LoopStats,
) -> Result<()> {
    let mut pending = first;
    let mut dirty = true;
    let mut last_draw: Option<Instant> = None;
    loop {
        let turn = Instant::now();
        if terminal::panicked() {
            return Err(Error::Invalid(
                "a background task panicked (see the message above)".into(),
            ));
        }
        if terminal::signalled() || hangup::seen() {
            pending.push(Action::Interrupted);
        }
        pending.extend(results.try_iter());
        // (The scatter's layout leaves its frames in a slot that a tick picks up.)
        if app.loading.is_some() || app.train.run().is_some() || app.scatter.is_running() {
            pending.push(Action::Tick);
        }
        for action in pending.drain(..) {
            dirty = true;
            for effect in update(app, action) {
                match effect {
                    Effect::Run(job) => worker.submit(job),
                    Effect::Quit if terminal::signalled() || hangup::seen() => {
                        return Err(Error::Interrupted)
                    }
                    Effect::Quit => return Ok(()),
                }
            }
        }
        let since = last_draw.map_or(FRAME, |t| t.elapsed());
        if dirty && since >= FRAME {
            let drawing = Instant::now();
            terminal
                .draw(|frame| {
                    if app.space.is_some() && testhook::panic_at() == testhook::PanicAt::Render {
                        panic!("EMBX_TEST_PANIC=render: a panic in the render thread");
                    }
                    ui::render(frame, app)
                })
                .map_err(term)?;
            last_draw = Some(Instant::now());
            stats.drawn(drawing, app.train.is_active() || app.scatter.is_running());
            dirty = false;
        }
        stats.worked(
            turn.elapsed(),
            app.train.is_active() || app.scatter.is_running(),
        );
        read_events(&mut pending, next_wait(app, dirty, since), stats)?;
    }
}

/// How long to wait for input: until the next frame is due when one is waiting to be drawn,
/// else a frame. While a worker is busy, its result is looked for every few milliseconds
/// rather than once a frame, so an answer is drawn as soon as it arrives.
fn next_wait(app: &App, dirty: bool, since_draw: Duration) -> Duration {
    let wait = if dirty {
        FRAME.saturating_sub(since_draw)
    } else {
        FRAME
    };
    if app.jobs.running().any(|l| !l.is_background()) {
        wait.min(BUSY_POLL)
    } else {
        wait
    }
}

/// Waits up to `wait` for input, then takes every event already there (up to a batch).
fn read_events(pending: &mut Vec<Action>, wait: Duration, stats: &mut LoopStats) -> Result<()> {
    if !event::poll(wait).map_err(term)? {
        return Ok(());
    }
    while pending.len() < MAX_BATCH {
        if let Some(a) = to_action(event::read().map_err(term)?) {
            if matches!(a, Action::Key(_)) {
                stats.key_read();
            }
            pending.push(a);
        }
        if !event::poll(Duration::ZERO).map_err(term)? {
            break;
        }
    }
    Ok(())
}

fn to_action(ev: Event) -> Option<Action> {
    match ev {
        Event::Key(k) if k.kind != KeyEventKind::Release => Some(Action::Key(k)),
        Event::Mouse(m) => Some(Action::Mouse(m)),
        Event::Resize(w, h) => Some(Action::Resize(w, h)),
        _ => None,
    }
}
