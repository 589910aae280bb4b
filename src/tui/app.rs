//! The explorer's state. Only [`super::update::update`] changes it; panels read it.
use super::panels::neighbours::NeighboursState;
pub use super::panels::neighbours::Target;
use super::panels::query::QueryState;
use super::panels::scatter::ScatterState;
use super::panels::search::SearchState;
pub use crate::jobs::{Generations as Jobs, Lane};
use crate::jobs::{Progress, ProgressSnapshot};
pub use crate::query::line::LineError as QueryError;
use crate::space::Space;
use std::sync::Arc;

/// The panels that can hold the focus, in Tab order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Panel {
    Search,
    Neighbours,
    Query,
    Inspect,
    /// The phrases view (over the whole body; not in the Tab order).
    Phrases,
    Scatter,
    /// The train panel (over the whole body; not in the Tab order).
    Train,
}

impl Panel {
    pub const ALL: [Panel; 5] = [
        Panel::Search,
        Panel::Neighbours,
        Panel::Query,
        Panel::Inspect,
        Panel::Scatter,
    ];

    pub fn title(self) -> &'static str {
        match self {
            Panel::Search => "Search",
            Panel::Neighbours => "Neighbours",
            Panel::Query => "Analogy / expression",
            Panel::Inspect => "Inspect",
            Panel::Phrases => "Phrases",
            Panel::Scatter => "Scatter",
            Panel::Train => "Train",
        }
    }

    fn position(self) -> usize {
        Panel::ALL.iter().position(|&p| p == self).unwrap_or(0)
    }

    pub fn next(self) -> Panel {
        Panel::ALL[(self.position() + 1) % Panel::ALL.len()]
    }

    pub fn prev(self) -> Panel {
        Panel::ALL[(self.position() + Panel::ALL.len() - 1) % Panel::ALL.len()]
    }
}

/// A line for the status bar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub text: String,
    pub error: bool,
}

pub use super::history::History;

/// Loading in progress.
#[derive(Debug, Clone)]
pub struct Loading {
    pub progress: Arc<Progress>,
    /// The counters as last polled (the view reads this, not the atomics).
    pub seen: ProgressSnapshot,
    /// The name of what is being opened (the status line keeps the open space's name until
    /// the new one is in).
    pub name: String,
}

/// An error that stays on screen until it is dismissed (a failed load, save or export): the
/// status line would replace it with the next message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Alert {
    /// What failed, e.g. "could not open notvec.txt".
    pub title: String,
    /// Why (the error, possibly several lines).
    pub text: String,
}

/// A state that a status message describes: the message goes when the state ends, so the
/// status line never tells something that is no longer true.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum While {
    /// `q` was pressed once while training ("q again quits").
    QuitArmed,
    /// The selection has words ("added 6 words").
    Selected,
    /// The selection is empty ("the selection is empty: Space adds words").
    NothingSelected,
    /// An alert is shown (the status line points at it).
    Alerted,
    /// No word is focused ("no word focused: Enter on a word first").
    NothingFocused,
    /// Training is paused ("paused · Space resumes").
    Paused,
}

impl While {
    /// True while the state holds.
    pub fn holds(self, app: &App) -> bool {
        match self {
            While::QuitArmed => app.train.quit_armed(),
            While::Selected => !app.selection.is_empty(),
            While::NothingSelected => app.selection.is_empty(),
            While::Alerted => app.alert.is_some(),
            While::NothingFocused => app.focused.is_none(),
            While::Paused => *app.train.phase() == crate::tui::panels::train::Phase::Paused,
        }
    }
}

/// Everything the explorer shows.
#[derive(Debug, Clone)]
pub struct App {
    pub space: Option<Space>,
    /// The NNLM of the space (beside its file, or trained here): answers `words _`.
    pub language_model: Option<std::sync::Arc<crate::train::nnlm::LanguageModel>>,
    /// What is being shown, for the status line (file name or `demo`).
    pub name: String,
    pub loading: Option<Loading>,
    pub focus: Panel,
    /// True while keys go into the focused panel's input line.
    pub editing: bool,
    pub help: bool,
    /// First line of the help shown.
    pub help_scroll: usize,
    /// Terminal size, for mouse hit-testing.
    pub size: (u16, u16),
    /// Neighbours by scanning every word, leaving a file's HNSW index aside (`embx open
    /// --exact`, `a`); files opened with `o` are searched the same way.
    pub exact: bool,
    pub color: bool,
    pub status: Option<Message>,
    /// The state the status message describes (it goes when the state ends): the message
    /// it was given for, and the state.
    pub status_while: Option<(Message, While)>,
    /// An error shown over the panels until Enter or Esc.
    pub alert: Option<Alert>,
    pub search: SearchState,
    pub focused: Option<u32>,
    pub history: History,
    /// Selected rows in the order they were added.
    pub selection: Vec<u32>,
    /// Neighbours of the selection's centroid instead of the focused word.
    pub centroid: bool,
    pub neighbours: NeighboursState,
    pub query: QueryState,
    pub scatter: ScatterState,
    pub jobs: Jobs,
    pub quit: bool,
    pub phrases: crate::tui::panels::phrases::PhrasesState,
    /// The file-name prompt, when open (it takes all keys).
    pub prompt: Option<super::files::Prompt>,
    /// Train in place: the train panel and the run under way.
    pub train: crate::tui::panels::train::TrainState,
    /// The working folder relative file names are taken from (empty: the process's own).
    pub dir: std::path::PathBuf,
    /// The panels that have not caught up with a space adopted behind the train panel.
    pub(crate) behind: super::adopt::Behind,
}

impl App {
    /// A fresh state for a space called `name` (not loaded yet).
    pub fn new(name: impl Into<String>, color: bool) -> Self {
        App {
            space: None,
            language_model: None,
            name: name.into(),
            loading: None,
            focus: Panel::Search,
            // The search box is ready for typing from the start.
            editing: true,
            help: false,
            help_scroll: 0,
            size: (80, 24),
            exact: false,
            color,
            status: None,
            status_while: None,
            alert: None,
            search: SearchState::default(),
            focused: None,
            history: History::default(),
            selection: Vec::new(),
            centroid: false,
            neighbours: NeighboursState::default(),
            query: QueryState::default(),
            scatter: ScatterState::default(),
            jobs: Jobs::default(),
            quit: false,
            phrases: Default::default(),
            prompt: None,
            train: Default::default(),
            dir: std::path::PathBuf::new(),
            behind: Default::default(),
        }
    }

    /// The word in `row` (empty without a space).
    pub fn word(&self, row: u32) -> &str {
        match &self.space {
            Some(s) if (row as usize) < s.len() => s.word(row as usize),
            _ => "",
        }
    }

    pub fn is_selected(&self, row: u32) -> bool {
        self.selection.contains(&row)
    }

    /// Shows `message` in the status line while `state` holds.
    pub(crate) fn say_while(&mut self, message: Message, state: While) {
        self.status = Some(message.clone());
        self.status_while = Some((message, state));
    }

    /// Drops an informative status message at the next key, so that it does not keep the key
    /// hints out of the status line for good. Errors stay until replaced, and a message shown
    /// while a state holds stays as long as it holds.
    pub(crate) fn fade_status(&mut self) {
        let held = matches!((&self.status, &self.status_while), (Some(m), Some((h, _))) if m == h);
        if self.status.as_ref().is_some_and(|m| !m.error) && !held {
            self.status = None;
        }
    }

    /// Drops a status message whose state has ended (and the state of a message that was
    /// replaced).
    pub(crate) fn tidy_status(&mut self) {
        let Some((m, state)) = &self.status_while else {
            return;
        };
        if self.status.as_ref() != Some(m) {
            self.status_while = None;
        } else if !state.holds(self) {
            self.status = None;
            self.status_while = None;
        }
    }

    /// True when the focused panel has an input line that takes typed characters.
    pub fn has_input(&self) -> bool {
        matches!(self.focus, Panel::Search | Panel::Query | Panel::Phrases)
    }
}
