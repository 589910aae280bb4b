//! The neighbours panel: the nearest words of the focused word or of the selection's centroid.
pub mod update;
pub mod view;

use super::hits::HitList;
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
    list: HitList,
    error: Option<String>,
}

impl Default for NeighboursState {
    fn default() -> Self {
        NeighboursState {
            k: 15,
            target: None,
            list: HitList::default(),
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
    /// The neighbours shown and the highlight.
    pub fn list(&self) -> &HitList {
        &self.list
    }
    /// The neighbours shown.
    pub fn answer(&self) -> &Option<Answer> {
        self.list.answer()
    }
    /// The highlighted line of the list.
    pub fn selected(&self) -> usize {
        self.list.selected()
    }
    /// Why the last request failed.
    pub fn error(&self) -> &Option<String> {
        &self.error
    }
    /// The highlighted row.
    pub fn highlighted(&self) -> Option<u32> {
        self.list.highlighted()
    }
    /// The list, for moving its highlight.
    pub(crate) fn list_mut(&mut self) -> &mut HitList {
        &mut self.list
    }
    /// The rows mean other words now: the list is dropped until it is asked for again.
    pub(crate) fn clear(&mut self) {
        self.target = None;
        self.list.clear();
    }
}
