//! The neighbours panel: the nearest words of the focused word or of the selection's centroid.
pub mod update;
pub mod view;

use crate::query::Answer;

/// Where the neighbour list comes from.
#[derive(Debug, Clone, PartialEq)]
pub enum Target {
    /// The neighbours of one word.
    Word(u32),
    /// The neighbours of the normalised mean of several words.
    Centroid(Vec<u32>),
}

/// The neighbours panel.
#[derive(Debug, Clone)]
pub struct NeighboursState {
    k: usize,
    /// The query the answer belongs to (or is being computed for).
    target: Option<Target>,
    answer: Option<Answer>,
    selected: usize,
    error: Option<String>,
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

impl NeighboursState {
    /// How many neighbours are asked for.
    pub fn k(&self) -> usize {
        self.k
    }
    /// What the list is (or is being computed) for.
    pub fn target(&self) -> &Option<Target> {
        &self.target
    }
    /// The neighbours shown.
    pub fn answer(&self) -> &Option<Answer> {
        &self.answer
    }
    /// The highlighted line of the list.
    pub fn selected(&self) -> usize {
        self.selected
    }
    /// Why the last request failed.
    pub fn error(&self) -> &Option<String> {
        &self.error
    }
    /// The highlighted row.
    pub fn highlighted(&self) -> Option<u32> {
        self.answer
            .as_ref()?
            .hits
            .get(self.selected)
            .map(|h| h.index)
    }
    /// The number of lines in the list.
    pub fn len(&self) -> usize {
        self.answer.as_ref().map_or(0, |a| a.hits.len())
    }
    /// True when the list is empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// Moves the highlight by `delta` lines, within the list.
    pub(crate) fn move_by(&mut self, delta: isize) {
        self.selected = super::search::moved(self.selected, delta, self.len());
    }
    /// Highlights line `i` (a click).
    pub(crate) fn select(&mut self, i: usize) {
        self.selected = i;
    }
    /// A new word is focused: the highlight goes back to the top.
    pub(crate) fn highlight_first(&mut self) {
        self.selected = 0;
    }
    /// The rows mean other words now: the list is dropped until it is asked for again.
    pub(crate) fn clear(&mut self) {
        self.target = None;
        self.answer = None;
    }
}
