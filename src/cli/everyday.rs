//! `embx similarity`, `embx doesnt-match` and `embx rank`: gensim's everyday comparisons.
use super::output;
use super::table::{escape, Align, Table};
use crate::error::Result;
use crate::query::compare::Item;
use crate::space::Space;
use serde_json::json;

/// How an item was made, for the text output ("" for a plain word).
fn made_of(item: &Item) -> String {
    match &item.averaged {
        Some(words) => format!(
            "  ({:?} is not a word: averaged from {})",
            item.text,
            words.join(", ")
        ),
        None if item.subword => format!("  ({:?} built from subwords)", item.text),
        None => String::new(),
    }
}

fn item_json(item: &Item) -> serde_json::Value {
    json!({
        "text": item.text,
        "index": item.index,
        "subword": item.subword,
        "averaged_from": item.averaged,
    })
}

pub fn similarity(space: &Space, a: &str, b: &str, as_json: bool) -> Result<()> {
    let (a, b, c) = crate::query::similarity(space, a, b)?;
    if as_json {
        return output::print_json(&json!({
            "kind": "similarity",
            "a": item_json(&a),
            "b": item_json(&b),
            "cosine": c,
        }));
    }
    let mut text = format!("{c:.4}\n");
    for item in [&a, &b] {
        let note = made_of(item);
        if !note.is_empty() {
            text.push_str(note.trim_start());
            text.push('\n');
        }
    }
    output::print(&text)
}

pub fn doesnt_match(space: &Space, words: &[String], as_json: bool) -> Result<()> {
    let words: Vec<&str> = words.iter().map(String::as_str).collect();
    let odd = crate::query::doesnt_match(space, &words)?;
    if as_json {
        let scores: Vec<_> = odd
            .scores
            .iter()
            .map(|(w, c)| json!({"word": w, "cosine_to_mean": c}))
            .collect();
        return output::print_json(&json!({
            "kind": "doesnt_match",
            "answer": odd.word,
            "scores": scores,
            "ignored": odd.ignored,
        }));
    }
    let mut text = format!("{}\n", escape(&odd.word));
    let mut t = Table::new(&[Align::Left, Align::Right]).header(&["word", "cosine to mean"]);
    for (w, c) in &odd.scores {
        t.row(vec![escape(w).into_owned(), format!("{c:.4}")]);
    }
    text.push_str(&t.render());
    if !odd.ignored.is_empty() {
        let names: Vec<_> = odd.ignored.iter().map(|w| escape(w).into_owned()).collect();
        text.push_str(&format!("(unknown, left out: {})\n", names.join(", ")));
    }
    output::print(&text)
}

pub fn rank(space: &Space, a: &str, b: &str, as_json: bool) -> Result<()> {
    let (rank, cosine) = crate::query::rank(space, a, b)?;
    if as_json {
        return output::print_json(&json!({
            "kind": "rank",
            "a": a,
            "b": b,
            "rank": rank,
            "cosine": cosine,
            "of": space.len(),
        }));
    }
    output::print(&format!(
        "{rank}\n({} is neighbour {rank} of {} among {} words, cosine {cosine:.4})\n",
        escape(b),
        escape(a),
        crate::text::thousands(space.len())
    ))
}
