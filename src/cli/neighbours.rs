//! Printing the answer of `similar`, `analogy` and `query`.
use super::output;
use super::table::{escape, Align, Table};
use crate::error::Result;
use crate::query::{Answer, Method};
use crate::space::Space;
use serde_json::{json, Value};

/// The name of the score column: cosine, or 3CosMul for `--method mul`.
pub fn score_name(method: Method) -> &'static str {
    match method {
        Method::Mul => "3CosMul",
        Method::Add => "cosine",
    }
}

/// `k` capped at the vocabulary size, with a note on stderr when it was larger.
pub fn cap_k(space: &Space, k: usize, quiet: bool) -> usize {
    let n = space.len().max(1);
    if k > n && !quiet {
        eprintln!(
            "note: -k {k} is more than the {n} words of the space; showing at most {n}, less the query's own words"
        );
    }
    k.min(n)
}

/// Quoted phrases of the query that are not words, with the words they were averaged from.
fn averaged(answer: &Answer) -> Vec<(&str, Vec<&str>)> {
    answer
        .terms
        .iter()
        .filter(|t| t.index.is_none() && t.word.contains(char::is_whitespace))
        .map(|t| (t.word.as_str(), t.word.split_whitespace().collect()))
        .collect()
}

/// The JSON object of an answer; `rare_words` lists the query's words that are rare and one
/// edit from a frequent word (see [`crate::query::hints::rare_word`]).
pub fn to_json(space: &Space, kind: &str, title: &str, answer: &Answer, score: &str) -> Value {
    // 3CosMul scores every word, whatever index there is.
    let search = super::index::search_kind(space, score == score_name(Method::Add));
    let word = |i: u32| space.word(i as usize);
    let hits: Vec<_> = answer
        .hits
        .iter()
        .enumerate()
        .map(|(r, h)| json!({"rank": r + 1, "word": word(h.index), "index": h.index, "score": h.score}))
        .collect();
    let excluded: Vec<_> = answer.excluded.iter().map(|&i| word(i)).collect();
    let phrases: Vec<_> = averaged(answer)
        .into_iter()
        .map(|(p, words)| json!({"phrase": p, "averaged_from": words}))
        .collect();
    json!({
        "kind": kind,
        "query": title,
        "terms": answer.terms,
        "excluded": excluded,
        "score": score,
        "averaged_phrases": phrases,
        "rare_words": crate::query::rare_words(space, &answer.terms),
        "search": search,
        "approximate": search != "exact",
        "results": hits,
    })
}

/// Prints `answer` as a table (or JSON) under `title`, with cosine scores.
pub fn print(
    space: &Space,
    (kind, title): (&str, &str),
    answer: &Answer,
    json: bool,
    quiet: bool,
) -> Result<()> {
    damaged(space, answer);
    print_scored(space, (kind, title), answer, json, "cosine", quiet)
}

/// Warns when a cosine is outside [−1, 1]: the file's rows are not the unit vectors it says
/// they are (a `.fifu` with stored norms is trusted, not normalised again), so it is damaged.
fn damaged(space: &Space, answer: &Answer) {
    if let Some(h) = answer.hits.iter().find(|h| h.score.abs() > 1.001) {
        eprintln!(
            "warning: {}: the cosine of \"{}\" is {}, outside [-1, 1]: rows of the file are not \
             unit length although it says they are, so the file is damaged",
            space.source().path.display(),
            escape(space.word(h.index as usize)),
            h.score
        );
    }
}

/// Prints `answer` as a table (or JSON) under `title`; `score` heads the score column. A
/// rare query word one edit from a frequent one gets a note on stderr (unless `quiet`), or
/// is listed in the JSON.
pub fn print_scored(
    space: &Space,
    (kind, title): (&str, &str),
    answer: &Answer,
    json: bool,
    score: &str,
    quiet: bool,
) -> Result<()> {
    let word = |i: u32| space.word(i as usize);
    if json {
        return output::print_json(&to_json(space, kind, title, answer, score));
    }
    if !quiet {
        // A rare query word one typo from a frequent one (`quen`) gets a note.
        for r in crate::query::rare_words(space, &answer.terms) {
            eprintln!("note: {r}");
        }
    }
    let mut text = format!("{}\n", escape(title));
    for (phrase, words) in averaged(answer) {
        let words: Vec<_> = words.iter().map(|w| escape(w).into_owned()).collect();
        text.push_str(&format!(
            "({} is not a word: averaged from {})\n",
            escape(phrase),
            words.join(", ")
        ));
    }
    // Of a phrase, only its words the vocabulary lacks were built from subwords.
    let subword: Vec<_> = answer
        .terms
        .iter()
        .filter(|t| t.subword)
        .flat_map(|t| {
            let unknown: Vec<&str> = (t.word.split_whitespace())
                .filter(|w| space.index(w).is_none())
                .collect();
            match unknown.is_empty() {
                true => vec![t.word.as_str()],
                false => unknown,
            }
        })
        .map(|w| escape(w).into_owned())
        .collect();
    if !subword.is_empty() {
        text.push_str(&format!("(built from subwords: {})\n", subword.join(", ")));
    }
    let mut t =
        Table::new(&[Align::Right, Align::Left, Align::Right]).header(&["#", "word", score]);
    for (r, h) in answer.hits.iter().enumerate() {
        t.row(vec![
            (r + 1).to_string(),
            escape(word(h.index)).into_owned(),
            format!("{:.4}", h.score),
        ]);
    }
    text.push_str(&t.render());
    if answer.hits.is_empty() {
        text.push_str("(no neighbours)\n");
    }
    output::print(&text)
}
