//! The explorer's state. Only [`super::update::update`] changes it; panels read it.
use super::scatter::ScatterState;
pub use crate::jobs::{Generations as Jobs, Lane};
use crate::jobs::{Progress, ProgressSnapshot};
use crate::query::search::SearchMode;
use crate::query::{Answer, Method};
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

/// The vocabulary search panel.
#[derive(Debug, Clone, Default)]
pub struct SearchState {
    pub query: String,
    pub mode: SearchMode,
    /// Matching rows, best first (at most [`crate::query::search::MAX_HITS`]).
    pub hits: Vec<u32>,
    /// How many words matched in all.
    pub total: usize,
    pub selected: usize,
    /// A bad regular expression, for example.
    pub error: Option<String>,
    /// Enter was pressed while the hits were out of date: focus the first new hit.
    pub enter_pending: bool,
}

/// Where the neighbour list comes from.
#[derive(Debug, Clone, PartialEq)]
pub enum Target {
    Word(u32),
    Centroid(Vec<u32>),
}

/// The neighbours panel.
#[derive(Debug, Clone)]
pub struct NeighboursState {
    pub k: usize,
    /// The query the answer belongs to (or is being computed for).
    pub target: Option<Target>,
    pub answer: Option<Answer>,
    pub selected: usize,
    pub error: Option<String>,
}

impl Default for NeighboursState {
    fn default() -> Self {
        NeighboursState {
            k: 15,
            target: None,
            answer: None,
            selected: 0,
            error: None,
        }
    }
}

/// An error of the analogy / expression line, shown under it.
pub use crate::query::line::LineError as QueryError;

/// The analogy / expression panel.
#[derive(Debug, Clone, Default)]
pub struct QueryState {
    pub input: String,
    pub method: Method,
    /// The text the answer or error belongs to, and whether it was an analogy.
    pub asked: String,
    pub analogy: bool,
    pub answer: Option<Answer>,
    pub selected: usize,
    pub error: Option<QueryError>,
}

/// Focus history for back / forward.
#[derive(Debug, Clone, Default)]
pub struct History {
    pub back: Vec<u32>,
    pub forward: Vec<u32>,
}

/// Loading in progress.
#[derive(Debug, Clone)]
pub struct Loading {
    pub progress: Arc<Progress>,
    /// The counters as last polled (the view reads this, not the atomics).
    pub seen: ProgressSnapshot,
}

/// Everything the explorer shows.
#[derive(Debug, Clone)]
pub struct App {
    pub space: Option<Space>,
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
    pub color: bool,
    pub status: Option<Message>,
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
    pub phrases: super::phrases::PhrasesState,
    /// The file-name prompt, when open (it takes all keys).
    pub prompt: Option<super::files::Prompt>,
    /// Train in place: the train panel and the run under way.
    pub train: super::training::TrainState,
}

impl App {
    /// A fresh state for a space called `name` (not loaded yet).
    pub fn new(name: impl Into<String>, color: bool) -> Self {
        App {
            space: None,
            name: name.into(),
            loading: None,
            focus: Panel::Search,
            editing: false,
            help: false,
            help_scroll: 0,
            size: (80, 24),
            color,
            status: None,
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

    /// True when the focused panel has an input line that takes typed characters.
    pub fn has_input(&self) -> bool {
        matches!(self.focus, Panel::Search | Panel::Query | Panel::Phrases)
    }
}
