//! Phrase vectors: a sentence as the normalised mean of the unit vectors of its words, and the
//! cosine similarities between sentences.
//!
//! Words are the whitespace-separated tokens of the text; tokens made only of punctuation are
//! ignored. A token is looked up as written, then without the punctuation around it
//! (`land.` → `land`), then in lower case (`The` → `the`); when none of these is in the
//! vocabulary, a space with subwords (fastText) builds a vector for it, which is flagged.
//! Words without a vector are listed, not guessed.
use super::dot;
use crate::space::{Lookup, Space};

/// How one token of a phrase was found.
#[derive(Debug, Clone, PartialEq)]
pub enum Found {
    /// The vocabulary's row of `form` (the token, perhaps trimmed or lower-cased).
    Known {
        /// The word's row in the space.
        row: u32,
        /// The vocabulary word matched.
        form: String,
    },
    /// Built from subwords (the space has no row for it).
    Subword,
    /// No vector: the token does not count.
    Unknown,
}

/// One token of a phrase as written, and how it was found.
#[derive(Debug, Clone, PartialEq)]
pub struct Token {
    /// The token as written.
    pub text: String,
    /// How the token was found.
    pub found: Found,
}

/// A phrase with its tokens and its unit vector.
#[derive(Debug, Clone, PartialEq)]
pub struct Phrase {
    /// The phrase as given.
    pub text: String,
    /// Its tokens in order (punctuation-only tokens left out).
    pub tokens: Vec<Token>,
    /// The normalised mean of the tokens' unit vectors; `None` when no token has a vector
    /// (or they cancel out to the zero vector).
    pub vector: Option<Vec<f32>>,
}

impl Phrase {
    /// The tokens without a vector, in order (repeats kept once).
    pub fn unknown(&self) -> Vec<&str> {
        self.words_where(|f| matches!(f, Found::Unknown))
    }

    /// The tokens whose vector was built from subwords.
    pub fn subword(&self) -> Vec<&str> {
        self.words_where(|f| matches!(f, Found::Subword))
    }

    /// How many tokens have a vector.
    pub fn known_count(&self) -> usize {
        self.tokens
            .iter()
            .filter(|t| !matches!(t.found, Found::Unknown))
            .count()
    }

    fn words_where(&self, pred: impl Fn(&Found) -> bool) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        for t in self.tokens.iter().filter(|t| pred(&t.found)) {
            if !out.contains(&t.text.as_str()) {
                out.push(&t.text);
            }
        }
        out
    }
}

/// True when `token` has no letter, digit or other word character (e.g. `,` or `--`).
fn punctuation_only(token: &str) -> bool {
    token.chars().all(|c| !c.is_alphanumeric())
}

/// The whitespace-separated tokens of `text` that are not only punctuation.
pub fn tokens(text: &str) -> impl Iterator<Item = &str> {
    text.split_whitespace().filter(|t| !punctuation_only(t))
}

/// Finds `token` in `space`, with its unit vector.
fn find(space: &Space, token: &str) -> (Found, Option<Lookup>) {
    let trimmed = token.trim_matches(|c: char| !c.is_alphanumeric());
    let lower = trimmed.to_lowercase();
    for form in [token, trimmed, lower.as_str()] {
        if let Some(row) = space.index(form) {
            let found = Found::Known {
                row,
                form: form.to_string(),
            };
            return (found, Some(Lookup::Known(row)));
        }
    }
    match space.lookup(token) {
        Some(l @ Lookup::Subword(_)) => (Found::Subword, Some(l)),
        Some(Lookup::Known(row)) => (
            Found::Known {
                row,
                form: token.to_string(),
            },
            Some(Lookup::Known(row)),
        ),
        None => (Found::Unknown, None),
    }
}

/// The phrase vector of `text` in `space`.
pub fn phrase(space: &Space, text: &str) -> Phrase {
    let mut sum = vec![0.0f64; space.dim()];
    let mut tokens_out = Vec::new();
    let mut any = false;
    // Chinese the space lacks as written is cut into words, so `打开文件` = `打开 文件`.
    let known = |w: &str| space.index(w).is_some();
    for token in tokens(text).flat_map(|t| crate::train::segment::split_unknown(t, known)) {
        let (found, lookup) = find(space, token);
        if let Some(l) = &lookup {
            any = true;
            for (s, x) in sum.iter_mut().zip(space.lookup_unit(l)) {
                *s += f64::from(*x);
            }
        }
        tokens_out.push(Token {
            text: token.to_string(),
            found,
        });
    }
    let norm = sum.iter().map(|x| x * x).sum::<f64>().sqrt();
    let vector = (any && norm > 0.0 && norm.is_finite())
        .then(|| sum.iter().map(|x| (x / norm) as f32).collect());
    Phrase {
        text: text.to_string(),
        tokens: tokens_out,
        vector,
    }
}

/// Pairwise cosine similarities: `m[i][j]` is the cosine of phrases `i` and `j`, `None` when
/// either has no vector. The matrix is symmetric by construction.
pub fn similarity_matrix(phrases: &[Phrase]) -> Vec<Vec<Option<f32>>> {
    let n = phrases.len();
    let mut m = vec![vec![None; n]; n];
    for i in 0..n {
        for j in i..n {
            if let (Some(a), Some(b)) = (&phrases[i].vector, &phrases[j].vector) {
                let c = dot(a, b).clamp(-1.0, 1.0);
                m[i][j] = Some(c);
                m[j][i] = Some(c);
            }
        }
    }
    m
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::test_util::{space, with_subwords};

    fn tiny() -> Space {
        space(&[
            ("the", &[1.0, 1.0, 0.0]),
            ("king", &[3.0, 0.0, 0.0]),
            ("queen", &[0.0, 4.0, 0.0]),
            ("fish", &[0.0, 0.0, 2.0]),
        ])
    }

    fn close(a: f32, b: f32) -> bool {
        (a - b).abs() < 1e-5
    }

    #[test]
    fn mean_of_unit_vectors_normalised() {
        let s = tiny();
        // king and queen are orthogonal unit vectors: the mean points at 45°.
        let p = phrase(&s, "king queen");
        let v = p.vector.as_ref().unwrap();
        let h = std::f32::consts::FRAC_1_SQRT_2;
        assert!(
            close(v[0], h) && close(v[1], h) && close(v[2], 0.0),
            "{v:?}"
        );
        // Raw lengths do not matter (king is 3 long, queen 4).
        let q = phrase(&s, "queen queen king king");
        assert_eq!(q.vector, p.vector);
        assert_eq!(p.known_count(), 2);
        assert!(p.unknown().is_empty());
    }

    #[test]
    fn unknown_words_punctuation_and_case() {
        let s = tiny();
        let p = phrase(&s, "The king , rules -- the king. rules");
        let texts: Vec<&str> = p.tokens.iter().map(|t| t.text.as_str()).collect();
        assert_eq!(texts, ["The", "king", "rules", "the", "king.", "rules"]);
        assert_eq!(p.unknown(), ["rules"]);
        assert_eq!(p.known_count(), 4);
        assert_eq!(
            p.tokens[0].found,
            Found::Known {
                row: 0,
                form: "the".into()
            }
        );
        assert_eq!(
            p.tokens[4].found,
            Found::Known {
                row: 1,
                form: "king".into()
            }
        );
        // Only unknown words: no vector, and its similarities are missing.
        let none = phrase(&s, "rules land");
        assert_eq!(none.vector, None);
        assert_eq!(none.unknown(), ["rules", "land"]);
    }

    #[test]
    fn empty_sentence() {
        let s = tiny();
        for text in ["", "   ", ", . !"] {
            let p = phrase(&s, text);
            assert!(p.tokens.is_empty(), "{text:?}");
            assert_eq!(p.vector, None);
        }
        assert!(similarity_matrix(&[]).is_empty());
    }

    #[test]
    fn matrix_of_known_vectors() {
        let s = tiny();
        let ps: Vec<Phrase> = ["king", "queen", "king queen", "rules", "fish"]
            .iter()
            .map(|t| phrase(&s, t))
            .collect();
        let m = similarity_matrix(&ps);
        assert_eq!(m.len(), 5);
        assert!(close(m[0][0].unwrap(), 1.0));
        assert!(close(m[0][1].unwrap(), 0.0));
        assert!(close(m[0][2].unwrap(), std::f32::consts::FRAC_1_SQRT_2));
        assert_eq!(m[2][0], m[0][2]);
        assert_eq!(m[3][0], None);
        assert_eq!(m[3][3], None);
        assert!(close(m[4][2].unwrap(), 0.0));
    }

    #[test]
    fn subword_vectors_are_flagged() {
        let s = with_subwords(&tiny());
        let p = phrase(&s, "xking queen zzz");
        assert_eq!(p.tokens[0].found, Found::Subword);
        assert_eq!(p.subword(), ["xking"]);
        assert_eq!(p.unknown(), ["zzz"]);
        let plain = phrase(&s, "king queen");
        assert_eq!(p.vector.is_some(), plain.vector.is_some());
        let (a, b) = (p.vector.unwrap(), plain.vector.unwrap());
        assert!(a.iter().zip(&b).all(|(x, y)| close(*x, *y)));
    }
}
