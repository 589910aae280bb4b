//! Comparing given words: the cosine of two words or phrases, the word that does not match
//! the others, and the rank of one word among another's neighbours (gensim's `similarity`,
//! `doesnt_match` and `rank`).
use super::dot;
use crate::error::{Error, Result};
use crate::space::Space;
use rayon::prelude::*;

/// The unit vector of a word or a phrase, and how it was made.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    /// The text as given.
    pub text: String,
    /// The unit-length vector.
    pub unit: Vec<f32>,
    /// Its row, when it is a word of the vocabulary (for phrases also `new_york`).
    pub index: Option<u32>,
    /// When the text is not a word but a phrase, the words whose unit vectors were averaged.
    pub averaged: Option<Vec<String>>,
    /// True when a word's vector was built from subwords.
    pub subword: bool,
}

/// Resolves `text`: a word of the vocabulary (or one built from subwords), or a phrase of
/// several words (`new york`), which is the word `new york` or `new_york` when the space has
/// it, else the normalised mean of its words' unit vectors, as an expression reads a quoted
/// phrase. Chinese the space lacks as written is cut into words first (`打开文件`).
pub fn item(space: &Space, text: &str) -> Result<Item> {
    let text = unquote(text);
    let (term, unit, _) = super::expr::resolve_token(space, text, 1.0)?;
    let averaged = (term.index.is_none() && term.word.contains(char::is_whitespace))
        .then(|| term.word.split_whitespace().map(str::to_owned).collect());
    Ok(Item {
        text: text.to_owned(),
        unit,
        index: term.index,
        averaged,
        subword: term.subword,
    })
}

/// `text` without one pair of surrounding quotes (`"new york"`, `'new york'`).
fn unquote(text: &str) -> &str {
    let t = text.trim();
    for q in ['"', '\''] {
        if let Some(inner) = t.strip_prefix(q).and_then(|r| r.strip_suffix(q)) {
            if !inner.is_empty() {
                return inner;
            }
        }
    }
    text
}

/// The cosine similarity of two words or phrases (gensim `similarity`).
pub fn similarity(space: &Space, a: &str, b: &str) -> Result<(Item, Item, f32)> {
    let a = item(space, a)?;
    let b = item(space, b)?;
    let c = dot(&a.unit, &b.unit).clamp(-1.0, 1.0);
    Ok((a, b, c))
}

/// The answer of [`doesnt_match`].
#[derive(Debug, Clone, PartialEq)]
pub struct Odd {
    /// The word furthest from the mean of all (gensim's answer).
    pub word: String,
    /// Every word used, with its cosine to the normalised mean of their unit vectors, from
    /// the least to the most similar.
    pub scores: Vec<(String, f32)>,
    /// Words that were left out because the space has no vector for them (gensim ignores
    /// them too).
    pub ignored: Vec<String>,
}

/// Which word does not match the others, as gensim's `doesnt_match`: the mean of the words'
/// unit vectors is normalised, and the word least similar to it is the answer. Unknown words
/// are left out; at least two known words are needed.
pub fn doesnt_match(space: &Space, words: &[&str]) -> Result<Odd> {
    let mut used = Vec::new();
    let mut ignored = Vec::new();
    for w in words {
        match space.lookup(w) {
            Some(l) => used.push((w.to_string(), space.lookup_unit(&l).to_vec())),
            None => ignored.push(w.to_string()),
        }
    }
    if used.len() < 2 {
        return Err(Error::Invalid(format!(
            "doesnt-match needs at least two known words ({} of {} are known)",
            used.len(),
            words.len()
        )));
    }
    let mut mean = vec![0f64; space.dim()];
    for (_, u) in &used {
        for (m, x) in mean.iter_mut().zip(u) {
            *m += f64::from(*x);
        }
    }
    let norm = mean.iter().map(|x| x * x).sum::<f64>().sqrt();
    if norm == 0.0 || !norm.is_finite() {
        return Err(Error::Invalid("the words' vectors add up to zero".into()));
    }
    let mean: Vec<f32> = mean.iter().map(|x| (x / norm) as f32).collect();
    let mut scores: Vec<(String, f32)> = used
        .into_iter()
        .map(|(w, u)| {
            let c = dot(&u, &mean);
            (w, c)
        })
        .collect();
    scores.sort_by(|a, b| a.1.total_cmp(&b.1).then_with(|| a.0.cmp(&b.0)));
    Ok(Odd {
        word: scores[0].0.clone(),
        scores,
        ignored,
    })
}

/// The rank of `b` among the neighbours of `a` (gensim `rank`): one more than the number of
/// vocabulary words other than `a` that are strictly more similar to `a` than `b` is.
/// Returns the rank and the cosine of `a` and `b`.
pub fn rank(space: &Space, a: &str, b: &str) -> Result<(usize, f32)> {
    let a = item(space, a)?;
    let b = item(space, b)?;
    let target = dot(&a.unit, &b.unit);
    let closer = (0..space.len())
        .into_par_iter()
        .with_min_len(4096)
        .filter(|&i| Some(i as u32) != a.index && dot(space.unit(i), &a.unit) > target)
        .count();
    Ok((closer + 1, target))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::{load_bytes, LoadOptions};

    fn space() -> Space {
        let text = "cat 1 0 0\ndog 0.9 0.1 0\nlion 0.8 0.3 0.1\ncar 0 0 1\nnew 0 1 0\nyork 0 1 1\n";
        load_bytes("v.txt", text.as_bytes().to_vec(), &LoadOptions::default())
            .unwrap()
            .space
    }

    #[test]
    fn similarity_of_words_and_phrases() {
        let s = space();
        let (_, _, c) = similarity(&s, "cat", "car").unwrap();
        assert!(c.abs() < 1e-6);
        let (_, _, c) = similarity(&s, "cat", "cat").unwrap();
        assert!((c - 1.0).abs() < 1e-6);
        let (a, _, c) = similarity(&s, "new york", "york").unwrap();
        assert_eq!(a.averaged, Some(vec!["new".into(), "york".into()]));
        // (0,1,0)+(0,1/√2,1/√2) normalised, against (0,1/√2,1/√2).
        let m = [0.0f32, 1.0 + 0.5f32.sqrt(), 0.5f32.sqrt()];
        let n = (m[1] * m[1] + m[2] * m[2]).sqrt();
        let want = (m[1] / n + m[2] / n) * 0.5f32.sqrt();
        assert!((c - want).abs() < 1e-6, "{c} {want}");
        assert!(similarity(&s, "cat", "zebra").is_err());
    }

    #[test]
    fn odd_one_out_and_rank() {
        let s = space();
        let odd = doesnt_match(&s, &["cat", "dog", "lion", "car", "zebra"]).unwrap();
        assert_eq!(odd.word, "car");
        assert_eq!(odd.ignored, ["zebra"]);
        assert_eq!(odd.scores.len(), 4);
        assert!(doesnt_match(&s, &["cat", "zebra"]).is_err());
        assert_eq!(rank(&s, "cat", "dog").unwrap().0, 1);
        assert_eq!(rank(&s, "cat", "lion").unwrap().0, 2);
        assert_eq!(rank(&s, "dog", "cat").unwrap().0, 1);
    }
}
