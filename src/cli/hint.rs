//! What the query commands add to an answer about what was probably meant: a note on a rare
//! query word one typo from a frequent one (`quen`). (Where the spaces go in an expression
//! typed without them, `king-man`, is part of the unknown-word error itself.)
use crate::query::{rare_words, Answer};
use crate::space::Space;

/// Says on stderr, as a note, each rare word of the query of `answer` (see
/// [`rare_word`](crate::query::hints::rare_word)).
pub fn say_rare(space: &Space, answer: &Answer) {
    for r in rare_words(space, &answer.terms) {
        eprintln!("note: {r}");
    }
}
