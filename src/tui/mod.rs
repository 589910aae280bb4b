//! The interactive explorer (feature `tui`): `embx open FILE`, or plain `embx` for the demo.
//!
//! Elm-style: terminal input and worker results become [`Action`]s; [`update`] is the only
//! place the [`App`] state changes, and it returns [`Effect`]s (start a job, quit) for the
//! caller to carry out. Panels ([`ui`]) draw from `&App` only. The event loop ([`run`]) runs
//! jobs on a background [`worker::Worker`]; tests run them synchronously with [`drive`].
mod app;
pub mod files;
mod invariants;
pub mod keymap;
mod mouse;
pub mod phrases;
pub mod query;
mod requests;
mod run;
pub mod scatter;
pub mod search;
mod terminal;
mod testhook;
pub mod ui;
mod update;
pub mod worker;

pub use app::{App, Jobs, Lane, Message, Panel, QueryError, Target};
pub use keymap::Command;
pub use run::run;
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
