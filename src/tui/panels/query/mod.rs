//! The analogy / expression panel: one input line (`a : b :: c : ?` or `king - man + woman`),
//! read and answered by the library's [`crate::query::line`].
pub mod ngram;
pub mod update;
pub mod view;

use super::hits::HitList;
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
    /// The answer is a language model's next words (probabilities, not cosines).
    next_word: bool,
    /// The method of the line last sent, and of the answer shown.
    sent_method: Method,
    answer_method: Method,
    list: HitList,
    error: Option<QueryError>,
    /// `:` opened the line for a new one: the first character typed replaces the old line
    /// (which stays on screen until then; `i` edits it instead).
    fresh: bool,
    /// Next-word lines are answered by the N-gram model instead of the NNLM.
    use_ngram: bool,
    /// The N-gram model, counted or being counted.
    ngram: Option<ngram::Ngram>,
    /// The N-gram model that answered the line last sent, and the one shown (None: the NNLM).
    sent_ngram: Option<std::sync::Arc<crate::train::nnlm::Counted>>,
    answer_ngram: Option<std::sync::Arc<crate::train::nnlm::Counted>>,
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
    /// How the analogy shown was scored (the method may have changed since).
    pub fn answer_method(&self) -> Method {
        self.answer_method
    }
    /// The line the answer or the error belongs to.
    pub fn asked(&self) -> &str {
        &self.asked
    }
    /// True when the line asked was an analogy.
    pub fn is_analogy(&self) -> bool {
        self.analogy
    }
    /// The answer shown and its highlight.
    pub fn list(&self) -> &HitList {
        &self.list
    }
    /// The answer shown.
    pub fn answer(&self) -> &Option<Answer> {
        self.list.answer()
    }
    /// The highlighted line of the answer.
    pub fn selected(&self) -> usize {
        self.list.selected()
    }
    /// Why the line has no answer, with the column it points at.
    pub fn error(&self) -> &Option<QueryError> {
        &self.error
    }
    /// The highlighted row.
    pub fn highlighted(&self) -> Option<u32> {
        self.list.highlighted()
    }
    /// The analogy line asked and its answer, when the answer shown is an analogy's.
    pub fn analogy_answer(&self) -> Option<(&str, &Answer)> {
        self.list
            .answer()
            .as_ref()
            .filter(|_| self.analogy)
            .map(|a| (self.asked.as_str(), a))
    }
    /// True when the answer shown belongs to the line as it is now.
    pub fn answers_input(&self) -> bool {
        self.list.answer().is_some() && self.asked == self.input
    }
    /// The input line, for typing into.
    pub(crate) fn input_mut(&mut self) -> &mut String {
        &mut self.input
    }
    /// The line changed: its old error no longer applies.
    pub(crate) fn edited(&mut self) {
        self.error = None;
        self.fresh = false;
    }
    /// `:` asks for a new line: the next character typed replaces this one.
    pub(crate) fn start_fresh(&mut self) {
        self.fresh = !self.input.is_empty();
    }
    /// Clears the old line when a character is typed after `:`.
    pub(crate) fn take_fresh(&mut self) -> bool {
        std::mem::take(&mut self.fresh)
    }
    /// The rows mean other words now: the answer and error go (the line stays, to run again).
    pub(crate) fn forget_answer(&mut self) {
        self.list.clear();
        self.list.highlight_first();
        self.error = None;
        self.asked.clear();
    }
    /// The N-gram model that answered the next words shown (None: the NNLM did).
    pub fn answered_by_ngram(&self) -> Option<&crate::train::nnlm::Counted> {
        self.answer_ngram.as_deref()
    }
    /// The answer, for moving its highlight.
    pub(crate) fn list_mut(&mut self) -> &mut HitList {
        &mut self.list
    }
}
