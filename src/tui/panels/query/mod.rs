//! The analogy / expression panel: one input line (`a : b :: c : ?` or `king - man + woman`),
//! read and answered by the library's [`crate::query::line`].
pub mod update;
pub mod view;

use crate::query::line::LineError as QueryError;
use crate::query::{Answer, Method};

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
