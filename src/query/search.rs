//! Vocabulary search: prefix, substring, regular expression and fuzzy (subsequence) matching.
//!
//! Matching is smart-case: a query without capitals ignores case. Results come in frequency
//! order (the row), except fuzzy matches, which are ranked by their score first. The scan
//! checks for cancellation every few thousand words, so a newer query stops an old one.
//! Regular expressions need the library feature `regex` (on with the explorer); without it a
//! regex search is an error message.
use crate::jobs::Progress;
use crate::space::Space;

/// At most this many hits are kept (the total count is still exact).
pub const MAX_HITS: usize = 1000;
const CHECK_EVERY: usize = 4096;

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
    /// Words that hold the query's characters in order, best matches first.
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
        SearchMode::Substring => scan(space, fold, progress, |w| w.contains(&q)),
        SearchMode::Regex => return regex_search(space, query, fold, progress),
        SearchMode::Fuzzy => fuzzy(space, &q, fold, progress),
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
    pred: impl Fn(&str) -> bool,
) -> Option<Found> {
    let mut found = Found::default();
    let mut lower = String::new();
    for row in 0..space.len() {
        if row % CHECK_EVERY == 0 && progress.is_cancelled() {
            return None;
        }
        let w = folded(space.word(row), fold, &mut lower);
        if pred(w) {
            found.total += 1;
            if found.hits.len() < MAX_HITS {
                found.hits.push(row as u32);
            }
        }
    }
    Some(found)
}

fn folded<'a>(word: &'a str, fold: bool, buf: &'a mut String) -> &'a str {
    if fold && word.chars().any(char::is_uppercase) {
        buf.clear();
        buf.extend(word.chars().flat_map(char::to_lowercase));
        buf
    } else {
        word
    }
}

/// Fuzzy matches ranked by [`fuzzy_score`] (higher first), then by row.
fn fuzzy(space: &Space, q: &str, fold: bool, progress: &Progress) -> Option<Found> {
    let query: Vec<char> = q.chars().collect();
    let mut scored: Vec<(i64, u32)> = Vec::new();
    let mut lower = String::new();
    for row in 0..space.len() {
        if row % CHECK_EVERY == 0 && progress.is_cancelled() {
            return None;
        }
        let w = folded(space.word(row), fold, &mut lower);
        if let Some(s) = fuzzy_score(&query, w) {
            scored.push((s, row as u32));
        }
    }
    let total = scored.len();
    scored.sort_unstable_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    scored.truncate(MAX_HITS);
    Some(Found {
        hits: scored.into_iter().map(|(_, r)| r).collect(),
        total,
    })
}

/// Scores `word` as a match of the characters of `query` in order (a subsequence), or `None`.
/// Consecutive matches and a match at the start score more; gaps and length cost a little.
pub fn fuzzy_score(query: &[char], word: &str) -> Option<i64> {
    let mut score = 0i64;
    let mut qi = 0;
    let mut last: Option<usize> = None;
    let mut len = 0;
    for (i, c) in word.chars().enumerate() {
        len = i + 1;
        if qi < query.len() && c == query[qi] {
            score += 10;
            match last {
                Some(l) if l + 1 == i => score += 15,
                Some(l) => score -= (i - l - 1).min(10) as i64,
                None if i == 0 => score += 20,
                None => score -= i.min(10) as i64,
            }
            last = Some(i);
            qi += 1;
        }
    }
    (qi == query.len()).then(|| score - (len - query.len()) as i64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::format::Format;
    use crate::space::{SourceInfo, Storage, Vocab};

    fn space(words: &[&str]) -> Space {
        let mut vocab = Vocab::new();
        for w in words {
            vocab.push(w).unwrap();
        }
        let source = SourceInfo {
            path: "t".into(),
            format: Format::Glove,
            storage: Storage::Array,
            metadata: None,
            file_bytes: 0,
        };
        let data = (0..words.len()).map(|i| i as f32 + 1.0).collect();
        Space::from_raw(vocab, 1, data, source)
    }

    fn run(s: &Space, q: &str, mode: SearchMode) -> Vec<&'static str> {
        let p = Progress::new();
        let f = search(s, q, mode, &p).unwrap().unwrap();
        f.hits
            .iter()
            .map(|&r| s.word(r as usize).to_string().leak() as &str)
            .collect()
    }

    #[test]
    fn modes() {
        let s = space(&["the", "King", "kingdom", "北京", "北京市", "walking", "kg"]);
        assert_eq!(run(&s, "king", SearchMode::Prefix), ["King", "kingdom"]);
        assert_eq!(run(&s, "King", SearchMode::Prefix), ["King"]);
        assert_eq!(
            run(&s, "king", SearchMode::Substring),
            ["King", "kingdom", "walking"]
        );
        assert_eq!(run(&s, "北京", SearchMode::Prefix), ["北京", "北京市"]);
        #[cfg(feature = "regex")]
        assert_eq!(run(&s, "^k.*g$", SearchMode::Regex), ["King", "kg"]);
        assert_eq!(run(&s, "kg", SearchMode::Fuzzy)[0], "kg");
        assert_eq!(run(&s, "", SearchMode::Fuzzy).len(), 7);
        let p = Progress::new();
        assert!(search(&s, "(", SearchMode::Regex, &p).is_err());
        p.cancel();
        assert_eq!(search(&s, "k", SearchMode::Prefix, &p), Ok(None));
    }

    #[test]
    fn the_word_typed_comes_first() {
        let s = space(&["many", "manner", "man", "woman"]);
        assert_eq!(
            run(&s, "man", SearchMode::Prefix),
            ["man", "many", "manner"]
        );
        assert_eq!(
            run(&s, "man", SearchMode::Substring),
            ["man", "many", "manner", "woman"]
        );
        assert_eq!(run(&s, "ma", SearchMode::Prefix), ["many", "manner", "man"]);
    }

    #[test]
    fn fuzzy_prefers_tight_early_matches() {
        let q: Vec<char> = "kng".chars().collect();
        let king = fuzzy_score(&q, "king").unwrap();
        let walking = fuzzy_score(&q, "walking").unwrap();
        assert!(king > walking);
        assert_eq!(fuzzy_score(&q, "kg"), None);
    }
}
