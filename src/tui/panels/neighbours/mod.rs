//! The neighbours panel: the nearest words of the focused word or of the selection's centroid.
pub mod update;
pub mod view;

use crate::query::Answer;

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
