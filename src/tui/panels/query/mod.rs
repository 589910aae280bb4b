//! The analogy / expression panel: one input line (`a : b :: c : ?` or `king - man + woman`),
//! read and answered by the library's [`crate::query::line`].
pub mod update;
pub mod view;

use crate::query::line::LineError as QueryError;
use crate::query::{Answer, Method};

/// The analogy / expression panel.
#[derive(Debug, Clone, Default)]
pub struct QueryState {
    input: String,
    method: Method,
    /// The text the answer or error belongs to, and whether it was an analogy.
    asked: String,
    analogy: bool,
    answer: Option<Answer>,
    selected: usize,
    error: Option<QueryError>,
}

impl QueryState {
    /// The line typed so far.
    pub fn input(&self) -> &str {
        &self.input
    }
    /// How analogies are scored.
    pub fn method(&self) -> Method {
        self.method
    }
    /// The line the answer or the error belongs to.
    pub fn asked(&self) -> &str {
        &self.asked
    }
    /// True when the line asked was an analogy.
    pub fn is_analogy(&self) -> bool {
        self.analogy
    }
    /// The answer shown.
    pub fn answer(&self) -> &Option<Answer> {
        &self.answer
    }
    /// The highlighted line of the answer.
    pub fn selected(&self) -> usize {
        self.selected
    }
    /// Why the line has no answer, with the column it points at.
    pub fn error(&self) -> &Option<QueryError> {
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
    /// The number of lines in the answer.
    pub fn len(&self) -> usize {
        self.answer.as_ref().map_or(0, |a| a.hits.len())
    }
    /// True when there is no answer to show.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// The analogy line asked and its answer, when the answer shown is an analogy's.
    pub fn analogy_answer(&self) -> Option<(&str, &Answer)> {
        self.answer
            .as_ref()
            .filter(|_| self.analogy)
            .map(|a| (self.asked.as_str(), a))
    }
    /// True when the answer shown belongs to the line as it is now.
    pub fn answers_input(&self) -> bool {
        self.answer.is_some() && self.asked == self.input
    }
    /// The input line, for typing into.
    pub(crate) fn input_mut(&mut self) -> &mut String {
        &mut self.input
    }
    /// The line changed: its old error no longer applies.
    pub(crate) fn edited(&mut self) {
        self.error = None;
    }
    /// Moves the highlight by `delta` lines, within the answer.
    pub(crate) fn move_by(&mut self, delta: isize) {
        self.selected = super::search::moved(self.selected, delta, self.len());
    }
    /// Highlights line `i` (a click).
    pub(crate) fn select(&mut self, i: usize) {
        self.selected = i;
    }
}
