//! Printing the answer of `similar`, `analogy` and `query`.
use super::output;
use super::table::{escape, Align, Table};
use crate::error::Result;
use crate::query::Answer;
use crate::space::Space;
use serde_json::json;

/// Prints `answer` as a table (or JSON) under `title`.
pub fn print(space: &Space, kind: &str, title: &str, answer: &Answer, json: bool) -> Result<()> {
    let word = |i: u32| space.word(i as usize);
    if json {
        let hits: Vec<_> = answer
            .hits
            .iter()
            .enumerate()
            .map(|(r, h)| json!({"rank": r + 1, "word": word(h.index), "index": h.index, "score": h.score}))
            .collect();
        let excluded: Vec<_> = answer.excluded.iter().map(|&i| word(i)).collect();
        return output::print_json(&json!({
            "kind": kind,
            "query": title,
            "terms": answer.terms,
            "excluded": excluded,
            "results": hits,
        }));
    }
    let mut text = format!("{}\n", escape(title));
    let subword: Vec<_> = answer
        .terms
        .iter()
        .filter(|t| t.subword)
        .map(|t| escape(&t.word).into_owned())
        .collect();
    if !subword.is_empty() {
        text.push_str(&format!("(built from subwords: {})\n", subword.join(", ")));
    }
    let mut t =
        Table::new(&[Align::Right, Align::Left, Align::Right]).header(&["#", "word", "cosine"]);
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
