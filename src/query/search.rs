//! Vocabulary search: prefix, substring, regular expression and fuzzy matching.
//!
//! Matching is smart-case: a query without capitals ignores case. Results come in frequency
//! order (the row), except fuzzy matches, which are ranked by `nucleo-matcher`'s score and
//! merged with the query's close spellings, so that typos are forgiven (see [`fuzzy`]). The
//! word typed, when the vocabulary has it, always comes first. The vocabulary is scanned in
//! parallel blocks that check for cancellation every few thousand words, so a newer query
//! stops an old one. Regular expressions need the library feature `regex` (on with the
//! explorer); without it a regex search is an error message.
mod blocks;
pub mod fuzzy;

use crate::jobs::Progress;
use crate::space::Space;
use blocks::{in_blocks, stop};

/// At most this many hits are kept (the total count is still exact).
pub const MAX_HITS: usize = 1000;

/// How the query is matched against the words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SearchMode {
    /// Words that start with the query.
    #[default]
    Prefix,
    /// Words that contain the query.
    Substring,
    /// Words a regular expression matches (anywhere in the word).
    Regex,
    /// Words that hold the query's characters in order, and close spellings of the query
    /// (typos), best matches first.
    Fuzzy,
}

impl SearchMode {
    /// The mode's name as shown to the user.
    pub fn name(self) -> &'static str {
        match self {
            SearchMode::Prefix => "prefix",
            SearchMode::Substring => "substring",
            SearchMode::Regex => "regex",
            SearchMode::Fuzzy => "fuzzy",
        }
    }

    /// The next mode in the cycle prefix → substring → regex → fuzzy → prefix.
    pub fn next(self) -> SearchMode {
        match self {
            SearchMode::Prefix => SearchMode::Substring,
            SearchMode::Substring => SearchMode::Regex,
            SearchMode::Regex => SearchMode::Fuzzy,
            SearchMode::Fuzzy => SearchMode::Prefix,
        }
    }
}

/// The result of one search.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Found {
    /// Matching rows, best first (at most [`MAX_HITS`]).
    pub hits: Vec<u32>,
    /// How many words matched in all.
    pub total: usize,
    /// Nothing matched as asked (prefix or substring), so the hits are the closest spellings
    /// (fuzzy), as the CLI's "did you mean" does for a typo.
    pub closest: bool,
}

/// Searches the vocabulary of `space`. An empty query lists the most frequent words.
/// Returns `Err` with a message for a bad regular expression, `Ok(None)` when cancelled.
pub fn search(
    space: &Space,
    query: &str,
    mode: SearchMode,
    progress: &Progress,
) -> Result<Option<Found>, String> {
    if query.is_empty() {
        let n = space.len().min(MAX_HITS);
        return Ok(Some(Found {
            hits: (0..n as u32).collect(),
            total: space.len(),
            closest: false,
        }));
    }
    let fold = !query.chars().any(char::is_uppercase);
    let q = if fold {
        query.to_lowercase()
    } else {
        query.to_string()
    };
    let found = match mode {
        SearchMode::Prefix => scan(space, fold, progress, |w| w.starts_with(&q)),
        SearchMode::Substring => {
            // One searcher for all words (`str::contains` builds one per word).
            let finder = memchr::memmem::Finder::new(q.as_bytes());
            scan(space, fold, progress, |w| {
                finder.find(w.as_bytes()).is_some()
            })
        }
        SearchMode::Regex => return regex_search(space, query, fold, progress),
        SearchMode::Fuzzy => fuzzy::fuzzy(space, query, fold, progress),
    };
    let found = match found {
        // A typo finds nothing as a prefix or substring: the closest spellings instead.
        Some(f) if f.total == 0 && mode != SearchMode::Regex && mode != SearchMode::Fuzzy => {
            fuzzy::fuzzy(space, query, fold, progress).map(|mut f| {
                f.closest = !f.hits.is_empty();
                f
            })
        }
        other => other,
    };
    Ok(found.map(|f| exact_first(space, f, query, &q)))
}

/// Puts the word typed, when the vocabulary has it, at the top of the hits: "man" should
/// not hide behind the more frequent "many".
fn exact_first(space: &Space, mut found: Found, query: &str, folded: &str) -> Found {
    let Some(row) = space.index(query).or_else(|| space.index(folded)) else {
        return found;
    };
    if let Some(pos) = found.hits.iter().position(|&r| r == row) {
        found.hits.remove(pos);
    } else if found.hits.len() >= MAX_HITS {
        found.hits.pop();
    }
    found.hits.insert(0, row);
    found
}

#[cfg(feature = "regex")]
fn regex_search(
    space: &Space,
    query: &str,
    fold: bool,
    progress: &Progress,
) -> Result<Option<Found>, String> {
    let re = regex::RegexBuilder::new(query)
        .case_insensitive(fold)
        .size_limit(1 << 20)
        .build()
        .map_err(|e| first_line(&e.to_string()))?;
    Ok(scan(space, false, progress, |w| re.is_match(w)))
}

#[cfg(not(feature = "regex"))]
fn regex_search(
    _space: &Space,
    _query: &str,
    _fold: bool,
    _progress: &Progress,
) -> Result<Option<Found>, String> {
    Err("regex search needs embx built with the `regex` feature".to_string())
}

#[cfg_attr(not(feature = "regex"), allow(dead_code))]
fn first_line(s: &str) -> String {
    s.lines()
        .rfind(|l| !l.trim().is_empty())
        .unwrap_or(s)
        .trim()
        .to_string()
}

/// Rows whose (case-folded) word satisfies `pred`, in row order.
fn scan(
    space: &Space,
    fold: bool,
    progress: &Progress,
    pred: impl Fn(&str) -> bool + Sync,
) -> Option<Found> {
    let parts = in_blocks(space.len(), progress, |rows| {
        let mut part = Found::default();
        let mut lower = String::new();
        for row in rows {
            if stop(row, progress) {
                return None;
            }
            if pred(folded(space.word(row), fold, &mut lower)) {
                part.total += 1;
                if part.hits.len() < MAX_HITS {
                    part.hits.push(row as u32);
                }
            }
        }
        Some(part)
    })?;
    let mut found = Found::default();
    for part in parts {
        found.total += part.total;
        let room = MAX_HITS - found.hits.len();
        found.hits.extend(part.hits.into_iter().take(room));
    }
    Some(found)
}

/// `word` in lower case when `fold` (in `buf` when that changes it).
pub(super) fn folded<'a>(word: &'a str, fold: bool, buf: &'a mut String) -> &'a str {
    if !fold {
        return word;
    }
    if word.is_ascii() {
        if !word.bytes().any(|b| b.is_ascii_uppercase()) {
            return word;
        }
        buf.clear();
        buf.push_str(word);
        buf.make_ascii_lowercase();
        return buf;
    }
    if word.chars().any(char::is_uppercase) {
        buf.clear();
        buf.extend(word.chars().flat_map(char::to_lowercase));
        buf
    } else {
        word
    }
}

#[cfg(test)]
mod tests;
