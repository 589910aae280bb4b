//! The vocabulary search panel: an input line (prefix, substring, regex or fuzzy) and the
//! matching words. The matching itself is the library's [`crate::query::search`].
pub mod update;
pub mod view;

use crate::query::search::SearchMode;

/// The vocabulary search panel.
#[derive(Debug, Clone, Default)]
pub struct SearchState {
    query: String,
    mode: SearchMode,
    /// Matching rows, best first (at most [`crate::query::search::MAX_HITS`]).
    hits: Vec<u32>,
    /// How many words matched in all.
    total: usize,
    /// Nothing matched as typed: the hits are the closest spellings.
    closest: bool,
    selected: usize,
    /// A bad regular expression, for example.
    error: Option<String>,
    /// Enter was pressed while the hits were out of date: focus the first new hit.
    enter_pending: bool,
    /// A word was just taken with Enter: the next character typed starts a new query.
    replace_on_type: bool,
}

/// Moves `selected` by `delta` within a list of `len` rows.
pub(crate) fn moved(selected: usize, delta: isize, len: usize) -> usize {
    let max = len.saturating_sub(1) as isize;
    (selected as isize).saturating_add(delta).clamp(0, max) as usize
}

impl SearchState {
    /// Whether the hits are the closest spellings of a query that matched nothing.
    pub fn closest(&self) -> bool {
        self.closest
    }

    /// The query typed so far.
    pub fn query(&self) -> &str {
        &self.query
    }
    /// How the query is matched.
    pub fn mode(&self) -> SearchMode {
        self.mode
    }
    /// Matching rows, best first (at most [`crate::query::search::MAX_HITS`]).
    pub fn hits(&self) -> &[u32] {
        &self.hits
    }
    /// How many words matched in all.
    pub fn total(&self) -> usize {
        self.total
    }
    /// The highlighted line of the list.
    pub fn selected(&self) -> usize {
        self.selected
    }
    /// Why the last search failed (a bad regular expression).
    pub fn error(&self) -> &Option<String> {
        &self.error
    }
    /// The highlighted row.
    pub fn highlighted(&self) -> Option<u32> {
        self.hits.get(self.selected).copied()
    }
    /// The input line, for typing into.
    pub(crate) fn input_mut(&mut self) -> &mut String {
        &mut self.query
    }
    /// The query changed: the highlight goes back to the top.
    pub(crate) fn edited(&mut self) {
        self.selected = 0;
        self.enter_pending = false;
        self.replace_on_type = false;
    }
    /// Whether the next character typed starts a new query (a word was just taken).
    pub(crate) fn replaces_on_type(&self) -> bool {
        self.replace_on_type
    }
    /// The next character typed starts a new query.
    pub(crate) fn replace_on_next_type(&mut self) {
        self.replace_on_type = true;
    }
    /// Takes the replace-on-type mark: true once after a word was taken.
    pub(crate) fn take_replace_on_type(&mut self) -> bool {
        std::mem::take(&mut self.replace_on_type)
    }
    /// The next matching mode.
    pub(crate) fn cycle_mode(&mut self) {
        self.mode = self.mode.next();
    }
    /// Enter arrived before the hits of the latest query: focus the first new hit then.
    pub(crate) fn wait_for_hits(&mut self) {
        self.enter_pending = true;
    }
    /// Moves the highlight by `delta` lines, within the list.
    pub(crate) fn move_by(&mut self, delta: isize) {
        self.selected = moved(self.selected, delta, self.hits.len());
    }
    /// Highlights line `i` (a click).
    pub(crate) fn select(&mut self, i: usize) {
        self.selected = i;
    }
    /// Search hits are rows of the space, the highlight is on one, and no more are kept than found.
    pub(crate) fn check(&self, rows: usize) -> Result<(), String> {
        let s = self;
        if let Some(&r) = s.hits.iter().find(|&&r| r as usize >= rows) {
            return Err(format!("search hit {r} of {rows}"));
        }
        if s.selected >= s.hits.len().max(1) {
            return Err(format!(
                "search selection {} of {}",
                s.selected,
                s.hits.len()
            ));
        }
        if s.hits.len() > s.total {
            return Err(format!("{} search hits of {} found", s.hits.len(), s.total));
        }
        Ok(())
    }

    /// The rows mean other words now: the hits are dropped until the search runs again.
    pub(crate) fn clear_hits(&mut self) {
        self.hits.clear();
        self.closest = false;
        self.selected = 0;
    }
}
