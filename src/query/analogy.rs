//! Neighbours of words and word analogies, scored as gensim's `KeyedVectors` does.
use super::knn::{dot_impl, select, top_k, Exclude, Hit, Scorer};
use super::{sorted_rows, term_of, unit_combination, Answer, Method};
use crate::error::{Error, Result};
use crate::space::{Lookup, Space};

/// The `k` nearest neighbours of one word, or of the mean of several words.
///
/// Like gensim's `most_similar(positive=words)`: the words' unit vectors are averaged and the
/// mean is normalised; scores are cosines. The query words themselves are excluded. Words
/// outside the vocabulary are used when the space builds them from subwords (they are marked
/// `subword` and exclude nothing); otherwise the result is [`Error::UnknownWord`].
///
/// A word with spaces (`"new york"`) is a phrase, as in an expression: looked up as is, then
/// with `_` for the spaces, and otherwise the normalised mean of its words (as `similarity`
/// reads a phrase); its words are excluded.
pub fn similar(space: &Space, words: &[&str], k: usize) -> Result<Answer> {
    if words.is_empty() {
        return Err(Error::Invalid("no query words given".into()));
    }
    let tokens = words
        .iter()
        .map(|w| super::expr::resolve_token(space, w, 1.0))
        .collect::<Result<Vec<_>>>()?;
    let query = unit_combination(
        space.dim(),
        tokens.iter().map(|(_, unit, _)| (unit.as_slice(), 1.0)),
    )?;
    let excluded = sorted_rows(
        tokens
            .iter()
            .flat_map(|(_, _, rows)| rows.clone())
            .collect(),
    );
    let terms = tokens.into_iter().map(|(term, _, _)| term).collect();
    Ok(neighbours_of(space, terms, &query, excluded, k))
}

/// [`similar`] for words given by their rows (rows outside the vocabulary are an error):
/// the neighbours of one row, or of the normalised mean of several.
pub fn similar_rows(space: &Space, rows: &[u32], k: usize) -> Result<Answer> {
    if rows.is_empty() {
        return Err(Error::Invalid("no query words given".into()));
    }
    if let Some(r) = rows.iter().find(|&&r| r as usize >= space.len()) {
        return Err(Error::Invalid(format!(
            "row {r} is outside the vocabulary of {} words",
            space.len()
        )));
    }
    let terms = rows
        .iter()
        .map(|&r| term_of(space.word(r as usize), &Lookup::Known(r), 1.0))
        .collect();
    let query = unit_combination(
        space.dim(),
        rows.iter().map(|&r| (space.unit(r as usize), 1.0)),
    )?;
    Ok(neighbours_of(
        space,
        terms,
        &query,
        sorted_rows(rows.to_vec()),
        k,
    ))
}

fn neighbours_of(
    space: &Space,
    terms: Vec<super::Term>,
    query: &[f32],
    excluded: Vec<u32>,
    k: usize,
) -> Answer {
    let hits = top_k(space, query, k, &excluded, None);
    Answer {
        terms,
        hits,
        excluded,
    }
}

/// Solves `a : b :: c : ?` ("man is to king as woman is to ?": `analogy(man, king, woman)`).
///
/// - [`Method::Add`] (3CosAdd) ranks by cos(row, unit(b) − unit(a) + unit(c)), exactly as
///   gensim's `most_similar(positive=[b, c], negative=[a])`, including its scores.
/// - [`Method::Mul`] (3CosMul) scores every row as gensim's
///   `most_similar_cosmul(positive=[b, c], negative=[a])`: each cosine is mapped to
///   `(1 + cos) / 2` and the score is `pos_b · pos_c / (neg_a + 1e-6)`.
///
/// `a`, `b` and `c` are excluded from the hits unless `include_query` is set.
///
/// Note the argument order: fastText's `analogies` command reads `A B C` as `A − B + C`, so
/// fastText's `king man woman` is `analogy(man, king, woman)` here.
pub fn analogy(
    space: &Space,
    a: &str,
    b: &str,
    c: &str,
    k: usize,
    method: Method,
    include_query: bool,
) -> Result<Answer> {
    // Each term as an expression reads it: a word, a phrase ("new york") or Chinese the
    // space lacks as written (打开文件), cut into words.
    let [ta, tb, tc] = [(a, -1.0), (b, 1.0), (c, 1.0)]
        .map(|(w, weight)| super::expr::resolve_token(space, w, weight));
    let (ta, tb, tc) = (ta?, tb?, tc?);
    let excluded = if include_query {
        Vec::new()
    } else {
        sorted_rows(
            [&ta.2, &tb.2, &tc.2]
                .into_iter()
                .flatten()
                .copied()
                .collect(),
        )
    };
    let parts = [
        (tb.1.as_slice(), 1.0),
        (tc.1.as_slice(), 1.0),
        (ta.1.as_slice(), -1.0),
    ];
    let hits = match method {
        Method::Add => {
            let query = unit_combination(space.dim(), parts)?;
            top_k(space, &query, k, &excluded, None)
        }
        Method::Mul => cos_mul(space, k, &excluded, &parts),
    };
    let terms = vec![ta.0, tb.0, tc.0];
    Ok(Answer {
        terms,
        hits,
        excluded,
    })
}

/// The `k` best rows by 3CosMul over weighted unit vectors, as gensim's
/// `most_similar_cosmul(positive, negative)`: each cosine is mapped to `p = (1 + cos) / 2`,
/// and the score is the product of the positive terms' `p` over the product of the negative
/// terms' `p` plus 1e-6. A weight other than ±1 is an exponent (`2 king` counts king twice,
/// as a word given twice to gensim does).
pub(super) fn cos_mul(
    space: &Space,
    k: usize,
    excluded: &[u32],
    terms: &[(&[f32], f32)],
) -> Vec<Hit> {
    let side = |positive: bool| -> Vec<(&[f32], f32)> {
        terms
            .iter()
            .filter(|(_, w)| (*w > 0.0) == positive && *w != 0.0)
            .map(|&(u, w)| (u, w.abs()))
            .collect()
    };
    let scorer = CosMul {
        pos: side(true),
        neg: side(false),
    };
    let ex = Exclude::new(excluded);
    select(space, space.len(), k, &ex, true, &scorer)
}

/// The 3CosMul score of a row from its cosines with the positive and negative terms (unit
/// vectors, each with its exponent).
struct CosMul<'a> {
    pos: Vec<(&'a [f32], f32)>,
    neg: Vec<(&'a [f32], f32)>,
}

impl Scorer for CosMul<'_> {
    #[inline(always)]
    fn score<const K: u8>(&self, row: &[f32]) -> f32 {
        let product = |terms: &[(&[f32], f32)]| {
            terms.iter().fold(1.0f32, |acc, &(u, w)| {
                let p = (1.0 + dot_impl::<K>(row, u)) / 2.0;
                acc * if w == 1.0 { p } else { p.powf(w) }
            })
        };
        product(&self.pos) / (product(&self.neg) + 1e-6)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::test_util::{random_space, space, with_subwords};
    use crate::query::Hit;

    fn words(space: &Space, a: &Answer) -> Vec<String> {
        a.hits
            .iter()
            .map(|h| space.word(h.index as usize).to_string())
            .collect()
    }

    fn royals() -> Space {
        space(&[
            ("king", &[1.0, 1.0, 0.1]),
            ("queen", &[1.0, -1.0, 0.1]),
            ("man", &[0.1, 1.0, 0.0]),
            ("woman", &[0.1, -1.0, 0.0]),
            ("apple", &[0.0, 0.0, 1.0]),
            ("King", &[0.9, 1.0, 0.1]),
        ])
    }

    fn cos(a: &[f32], b: &[f32]) -> f32 {
        let n = |v: &[f32]| v.iter().map(|x| x * x).sum::<f32>().sqrt();
        a.iter().zip(b).map(|(x, y)| x * y).sum::<f32>() / (n(a) * n(b))
    }

    #[test]
    fn similar_excludes_the_query_and_scores_cosines() {
        let s = royals();
        let a = similar(&s, &["king"], 10).unwrap();
        assert_eq!(a.excluded, [0]);
        assert_eq!(a.hits.len(), 5);
        assert_eq!(words(&s, &a)[0], "King");
        assert!((a.hits[0].score - cos(s.unit(0), s.unit(5))).abs() < 1e-6);
        assert_eq!(a.terms[0].index, Some(0));
        assert!(similar(&s, &["king"], 0).unwrap().hits.is_empty());
        assert!(matches!(similar(&s, &[], 3), Err(Error::Invalid(_))));
    }

    #[test]
    fn similar_rows_answers_as_the_words_of_those_rows() {
        let s = royals();
        for rows in [&[0u32][..], &[0, 2], &[1, 3, 4]] {
            let words: Vec<&str> = rows.iter().map(|&r| s.word(r as usize)).collect();
            let by_word = similar(&s, &words, 4).unwrap();
            let by_row = similar_rows(&s, rows, 4).unwrap();
            assert_eq!(by_row.hits, by_word.hits);
            assert_eq!(by_row.excluded, by_word.excluded);
        }
        assert!(similar_rows(&s, &[], 3).is_err());
        assert!(similar_rows(&s, &[99], 3).is_err());
    }

    #[test]
    fn similar_averages_unit_vectors() {
        let s = random_space(300, 6, 9);
        let a = similar(&s, &["w1", "w2", "w3"], 5).unwrap();
        assert_eq!(a.excluded, [1, 2, 3]);
        let mean: Vec<f32> = (0..6)
            .map(|d| s.unit(1)[d] + s.unit(2)[d] + s.unit(3)[d])
            .collect();
        let mut want: Vec<Hit> = (4..300)
            .chain([0])
            .map(|i| Hit {
                index: i as u32,
                score: cos(s.unit(i), &mean),
            })
            .collect();
        want.sort_by(|x, y| y.score.total_cmp(&x.score));
        for (g, w) in a.hits.iter().zip(&want) {
            assert_eq!(g.index, w.index);
            assert!((g.score - w.score).abs() < 1e-5);
        }
    }

    #[test]
    fn unknown_words_come_with_suggestions() {
        let s = royals();
        match similar(&s, &["kng"], 3) {
            Err(Error::UnknownWord {
                word, suggestions, ..
            }) => {
                assert_eq!(word, "kng");
                assert_eq!(suggestions, ["king", "King"]);
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            analogy(&s, "man", "king", "wman", 3, Method::Add, false),
            Err(Error::UnknownWord { word, .. }) if word == "wman"
        ));
    }

    #[test]
    fn subword_words_are_allowed_and_exclude_nothing() {
        let s = with_subwords(&royals());
        let a = similar(&s, &["xqueen"], 3).unwrap();
        assert!(a.terms[0].subword && a.terms[0].index.is_none());
        assert!(a.excluded.is_empty());
        assert_eq!(words(&s, &a)[0], "queen");
        assert!((a.hits[0].score - 1.0).abs() < 1e-6);
    }

    #[test]
    fn cosadd_matches_gensim_formula() {
        let s = royals();
        let a = analogy(&s, "man", "king", "woman", 3, Method::Add, false).unwrap();
        assert_eq!(words(&s, &a)[0], "queen");
        assert_eq!(a.excluded, [0, 2, 3]);
        let w: Vec<f32> = a.terms.iter().map(|t| t.weight).collect();
        assert_eq!(w, [-1.0, 1.0, 1.0]);
        let q: Vec<f32> = (0..3)
            .map(|d| s.unit(0)[d] - s.unit(2)[d] + s.unit(3)[d])
            .collect();
        for h in &a.hits {
            assert!((h.score - cos(s.unit(h.index as usize), &q)).abs() < 1e-6);
        }
        let inc = analogy(&s, "man", "king", "woman", 10, Method::Add, true).unwrap();
        assert!(inc.excluded.is_empty());
        assert_eq!(inc.hits.len(), 6);
        assert!(inc.hits.iter().any(|h| h.index == 3));
    }

    #[test]
    fn cosmul_matches_direct_computation() {
        let s = random_space(70_000, 8, 21);
        let (a, b, c) = (4usize, 9usize, 17usize);
        let got = analogy(&s, "w4", "w9", "w17", 10, Method::Mul, false).unwrap();
        let mut want: Vec<Hit> = (0..s.len())
            .filter(|i| ![a, b, c].contains(i))
            .map(|i| {
                let d = |j: usize| {
                    s.unit(i)
                        .iter()
                        .zip(s.unit(j))
                        .map(|(x, y)| f64::from(*x) * f64::from(*y))
                        .sum::<f64>()
                };
                let p = |j| (1.0 + d(j)) / 2.0;
                Hit {
                    index: i as u32,
                    score: (p(b) * p(c) / (p(a) + 1e-6)) as f32,
                }
            })
            .collect();
        want.sort_by(|x, y| y.score.total_cmp(&x.score));
        assert_eq!(got.hits.len(), 10);
        for (g, w) in got.hits.iter().zip(&want) {
            assert_eq!(g.index, w.index);
            assert!((g.score - w.score).abs() < 1e-4 * w.score.abs().max(1.0));
        }
        let small = royals();
        let m = analogy(&small, "man", "king", "woman", 1, Method::Mul, false).unwrap();
        assert_eq!(words(&small, &m), ["queen"]);
    }
}
