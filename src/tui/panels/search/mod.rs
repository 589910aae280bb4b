//! The vocabulary search panel: an input line (prefix, substring, regex or fuzzy) and the
//! matching words. The matching itself is the library's [`crate::query::search`].
pub mod update;
pub mod view;

use crate::query::search::SearchMode;

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
    /// A word was just taken with Enter: the next character typed starts a new query.
    pub replace_on_type: bool,
}
