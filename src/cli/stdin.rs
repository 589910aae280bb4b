//! `embx similar FILE -` and `embx vectors FILE [-]`: load once, answer each line of stdin as
//! it arrives (as fastText's `nn` and `print-word-vectors`, word2vec's `distance`). A line
//! that cannot be answered (an unknown word) says so and the next line is read.
use super::{neighbours, output};
use crate::error::{Error, Result};
use crate::space::{Lookup, Space};
use serde_json::json;
use std::io::BufRead;

/// Runs `answer` on every non-blank line of stdin.
pub(super) fn each_line(answer: impl FnMut(&str) -> Result<()>) -> Result<()> {
    lines(true, answer)
}

/// [`each_line`] with the empty lines too, for answers that mean something for nothing
/// (`predict -`: the start of a sentence), so output lines pair with input lines.
pub(super) fn every_line(answer: impl FnMut(&str) -> Result<()>) -> Result<()> {
    lines(false, answer)
}

fn lines(skip_empty: bool, mut answer: impl FnMut(&str) -> Result<()>) -> Result<()> {
    let stdin = std::io::stdin();
    let mut line = String::new();
    let mut input = stdin.lock();
    loop {
        line.clear();
        let n = input
            .read_line(&mut line)
            .map_err(|e| Error::io("<stdin>", e))?;
        if n == 0 {
            return Ok(());
        }
        let query = line.trim();
        if !(skip_empty && query.is_empty()) {
            answer(query)?;
        }
    }
}

/// The whitespace-separated words of `line`, where a run in double quotes is one word (with
/// its spaces). Only `"` quotes: an apostrophe belongs to words such as `don't`, so a shell
/// splitter (which also takes `'` as a quote) would not do. An unclosed quote runs to the end.
fn quoted_words(line: &str) -> Vec<&str> {
    let mut words = Vec::new();
    let mut rest = line.trim_start();
    while !rest.is_empty() {
        let (word, after) = match rest.strip_prefix('"') {
            Some(inner) => match inner.find('"') {
                Some(end) => (inner[..end].trim(), &inner[end + 1..]),
                None => (inner.trim(), ""),
            },
            None => rest.split_at(rest.find(char::is_whitespace).unwrap_or(rest.len())),
        };
        if !word.is_empty() {
            words.push(word);
        }
        rest = after.trim_start();
    }
    words
}

/// A failed line: on stdout the JSON of a failed command with the line as `query`
/// (`{"query": …, "error": …, "kind": …}`, and the word and suggestions of an unknown word),
/// or a message on stderr.
pub(super) fn line_error(query: &str, e: Error, as_json: bool) -> Result<()> {
    if matches!(e, Error::Io { .. } | Error::Interrupted) {
        return Err(e);
    }
    if as_json {
        let mut line = super::error_json(&e);
        line["query"] = json!(query);
        return output::print(&format!("{line}\n"));
    }
    eprintln!("embx: {e}");
    Ok(())
}

/// `similar FILE -`: each line's words (averaged when several) → their neighbours. A phrase
/// in double quotes (`"new york" paris`) is one term, as on the command line.
pub fn similar(space: &Space, k: usize, as_json: bool, quiet: bool) -> Result<()> {
    each_line(|query| {
        let words = quoted_words(query);
        match crate::query::similar(space, &words, k) {
            Ok(answer) if as_json => {
                let v = neighbours::to_json(space, "similar", query, &answer, "cosine");
                output::print(&format!("{v}\n"))
            }
            Ok(answer) => neighbours::print(space, ("similar", query), &answer, false, quiet),
            Err(e) => line_error(query, e, as_json),
        }
    })
}

/// The vector of `word` as stored (not normalised): its row, or the subword vector.
fn raw_vector(space: &Space, word: &str) -> Option<Vec<f32>> {
    match space.lookup(word)? {
        Lookup::Known(i) => Some(space.vector(i as usize)),
        Lookup::Subword(unit) => Some(space.subwords().and_then(|s| s.embed(word)).unwrap_or(unit)),
    }
}

fn print_vector(space: &Space, word: &str, as_json: bool) -> Result<()> {
    let Some(v) = raw_vector(space, word) else {
        let e = crate::query::similar(space, &[word], 1)
            .err()
            .unwrap_or_else(|| Error::Invalid(format!("no vector for {word:?}")));
        return Err(e);
    };
    let text = if as_json {
        format!("{}\n", json!({"word": word, "vector": v}))
    } else {
        let mut s = String::with_capacity(word.len() + v.len() * 12);
        s.push_str(word);
        for x in &v {
            s.push(' ');
            s.push_str(&x.to_string());
        }
        s.push('\n');
        s
    };
    output::print(&text)
}

/// `vectors FILE WORD…` or `vectors FILE -`.
pub fn vectors(space: &Space, words: &[String], as_json: bool) -> Result<()> {
    if words == ["-"] {
        return each_line(|word| match print_vector(space, word, as_json) {
            Ok(()) => Ok(()),
            Err(e) => line_error(word, e, as_json),
        });
    }
    // Every word is printed, as fastText's print-word-vectors does; an unknown one is
    // reported and the exit status says that something was missing.
    let mut failed = None;
    for w in words {
        if let Err(e) = print_vector(space, w, as_json) {
            if let Some(earlier) = failed.replace(e) {
                eprintln!("embx: {earlier}");
            }
        }
    }
    failed.map_or(Ok(()), Err)
}

#[cfg(test)]
mod tests {
    use super::quoted_words;

    #[test]
    fn double_quotes_keep_a_phrase_and_apostrophes_stay_in_words() {
        assert_eq!(
            quoted_words(r#" "new york"  don't "  los angeles " x"#),
            ["new york", "don't", "los angeles", "x"]
        );
        assert_eq!(quoted_words(r#"a "b c"#), ["a", "b c"]);
        assert_eq!(quoted_words(r#""" a"#), ["a"]);
        assert!(quoted_words("   ").is_empty());
    }
}
