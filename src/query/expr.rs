//! Vector expressions such as `king - man + woman` or `0.5 * (paris + "new york")`.
//!
//! The grammar (whitespace between tokens is free):
//!
//! ```text
//! expr    := sum
//! sum     := product (('+' | '-') product)*
//! product := unary (('*' unary) | unary)*      -- `2 king` multiplies too
//! unary   := ('-' | '+')* atom
//! atom    := number | word | quoted | '(' sum ')'
//! ```
//!
//! A bare word is a run of characters other than whitespace and `+ * ( ) " '`; a `-` or `'`
//! inside a word (`well-known`, `don't`) belongs to it, while a `-` that starts a token is the
//! operator. A bare token that starts with a digit or `.` and parses as a number is a number
//! (quote it, `"1990"`, to mean the word). Quotes (`"new york"`, `'北京'`) allow spaces and
//! operator characters. The full-width operators of CJK input methods (`＋ － ＊ （ ）`) and
//! the minus sign `−` work as their ASCII forms, and are operators even inside a word.
//!
//! An expression evaluates to a linear combination of word unit vectors; numbers may only
//! scale it, so `2 + king` and `king * queen` are errors.
use super::analogy::cos_mul;
use super::knn::top_k;
use super::{resolve, sorted_rows, term_of, unit_combination, Answer, Method, Term};
use crate::error::{Error, Result};
use crate::space::{Lookup, Space};

mod lex;
use lex::{syntax, tokenize, Tok, Token};

/// Deepest nesting of parentheses accepted.
const MAX_DEPTH: usize = 200;

/// Ranks the rows by cosine with the normalised value of `expr` (word vectors enter as unit
/// vectors), returning the `k` best. Words of the expression are excluded from the hits unless
/// `include_query` is set; `terms` lists each word once with its total weight (words whose
/// weights cancel out are left out of `terms` but still excluded).
///
/// A quoted token with spaces is looked up as is, then with `_` for the spaces
/// (`"new york"` → `new_york`), and otherwise stands for the normalised mean of its words'
/// unit vectors.
///
/// Errors: [`Error::Syntax`] (with the 1-based character column) for malformed input,
/// [`Error::UnknownWord`] for words without a vector, [`Error::Invalid`] when the combination
/// is the zero vector (`king - king`).
pub fn expression(space: &Space, expr: &str, k: usize, include_query: bool) -> Result<Answer> {
    expression_with(space, expr, k, include_query, Method::Add)
}

/// [`expression`] ranked by `method`: 3CosAdd (the cosine with the combination) or 3CosMul,
/// where each term's weight is the exponent of its `(1 + cos) / 2` (gensim's
/// `most_similar_cosmul` with the `+` terms positive and the `−` terms negative).
pub fn expression_with(
    space: &Space,
    expr: &str,
    k: usize,
    include_query: bool,
    method: Method,
) -> Result<Answer> {
    let parsed = parse(expr)?;
    let mut vectors: Vec<(Vec<f32>, f32)> = Vec::new();
    let mut terms = Vec::new();
    let mut rows = Vec::new();
    for (word, weight) in parsed {
        let (term, unit, known) = resolve_token(space, &word, weight)?;
        rows.extend(known);
        if weight != 0.0 {
            terms.push(term);
            vectors.push((unit, weight));
        }
    }
    let weighted: Vec<(&[f32], f32)> = vectors.iter().map(|(v, w)| (v.as_slice(), *w)).collect();
    let query = unit_combination(space.dim(), weighted.iter().copied())?;
    let excluded = if include_query {
        Vec::new()
    } else {
        sorted_rows(rows)
    };
    let hits = match method {
        Method::Add => top_k(space, &query, k, &excluded, None),
        Method::Mul => cos_mul(space, k, &excluded, &weighted),
    };
    Ok(Answer {
        terms,
        hits,
        excluded,
    })
}

/// The term, unit vector and vocabulary rows of one word (or quoted phrase) of an expression.
pub(super) fn resolve_token(
    space: &Space,
    word: &str,
    weight: f32,
) -> Result<(Term, Vec<f32>, Vec<u32>)> {
    // Chinese the space lacks as written is cut into words: `打开文件` = `"打开 文件"`.
    let spaced = crate::train::segment::spaced_unknown(word, |w| space.index(w).is_some());
    let typed = word;
    let word = spaced.as_deref().unwrap_or(word);
    if word.contains(char::is_whitespace) {
        let joined = word.split_whitespace().collect::<Vec<_>>().join("_");
        for w in [word, joined.as_str()] {
            if let Some(i) = space.index(w) {
                let l = Lookup::Known(i);
                return Ok((
                    term_of(w, &l, weight),
                    space.unit(i as usize).to_vec(),
                    vec![i],
                ));
            }
        }
        let parts = word
            .split_whitespace()
            .map(|w| resolve(space, w))
            .collect::<Result<Vec<_>>>()
            .map_err(|e| match e {
                // A Chinese word cut into pieces: the word typed is the unknown one (文仵 is
                // a misspelt 文件, not an unknown 仵).
                Error::UnknownWord { .. } if spaced.is_some() => Error::UnknownWord {
                    word: typed.to_string(),
                    suggestions: super::suggest(space, typed, 3),
                    hint: None,
                },
                e => e,
            })?;
        let unit = unit_combination(
            space.dim(),
            parts.iter().map(|l| (space.lookup_unit(l), 1.0)),
        )
        .map_err(|_| Error::Invalid(format!("the words of {word:?} add up to zero")))?;
        let rows = parts
            .iter()
            .filter_map(|l| match l {
                Lookup::Known(i) => Some(*i),
                Lookup::Subword(_) => None,
            })
            .collect();
        let term = Term {
            word: word.to_string(),
            index: None,
            subword: parts.iter().any(|l| matches!(l, Lookup::Subword(_))),
            weight,
        };
        return Ok((term, unit, rows));
    }
    let l = resolve(space, word)?;
    let rows = match l {
        Lookup::Known(i) => vec![i],
        Lookup::Subword(_) => Vec::new(),
    };
    Ok((
        term_of(word, &l, weight),
        space.lookup_unit(&l).to_vec(),
        rows,
    ))
}

/// The value of a subexpression: a number, or a combination of words (ids into
/// `Parser::words`) with weights.
#[derive(Debug, Clone)]
enum Value {
    Num(f32),
    Vector(Vec<(usize, f32)>),
}

impl Value {
    fn scale(self, s: f32) -> Value {
        match self {
            Value::Num(v) => Value::Num(v * s),
            Value::Vector(t) => Value::Vector(t.into_iter().map(|(w, x)| (w, x * s)).collect()),
        }
    }
}

struct Parser<'a> {
    input: &'a str,
    toks: Vec<Token>,
    pos: usize,
    /// Distinct words in order of first appearance.
    words: Vec<String>,
    end_col: usize,
}

impl Parser<'_> {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.pos).map(|t| &t.tok)
    }

    fn col(&self) -> usize {
        self.toks.get(self.pos).map_or(self.end_col, |t| t.col)
    }

    fn err(&self, col: usize, message: impl Into<String>) -> Error {
        syntax(self.input, col, message)
    }

    fn sum(&mut self, depth: usize) -> Result<Value> {
        let mut acc = self.product(depth)?;
        while let Some(op @ (Tok::Plus | Tok::Minus)) = self.peek() {
            let sign = if *op == Tok::Plus { 1.0 } else { -1.0 };
            let col = self.col();
            self.pos += 1;
            self.one_sign()?;
            let rhs = self.product(depth)?.scale(sign);
            acc = match (acc, rhs) {
                (Value::Num(a), Value::Num(b)) => Value::Num(a + b),
                (Value::Vector(mut a), Value::Vector(b)) => {
                    a.extend(b);
                    Value::Vector(a)
                }
                _ => return Err(self.err(col, "cannot add a number and a word vector")),
            };
        }
        Ok(acc)
    }

    fn product(&mut self, depth: usize) -> Result<Value> {
        let mut acc = self.unary(depth)?;
        loop {
            let col = self.col();
            let explicit = match self.peek() {
                Some(Tok::Star) => true,
                Some(Tok::Num(_) | Tok::Word(_) | Tok::Open) => false,
                _ => return Ok(acc),
            };
            if explicit {
                self.pos += 1;
            }
            let rhs = self.unary(depth)?;
            acc = match (acc, rhs) {
                (Value::Num(a), b) => b.scale(a),
                (a, Value::Num(b)) => a.scale(b),
                _ if explicit => return Err(self.err(col, "cannot multiply two word vectors")),
                _ => {
                    return Err(self.err(
                        col,
                        "expected '+', '-' or '*' (quote phrases: \"new york\")",
                    ))
                }
            };
        }
    }

    /// One optional sign, then an atom. Two signs in a row (`king - - man`) are a typo more
    /// often than a double negation, so they are an error.
    fn unary(&mut self, depth: usize) -> Result<Value> {
        let mut sign = 1.0f32;
        if let Some(op @ (Tok::Plus | Tok::Minus)) = self.peek() {
            if *op == Tok::Minus {
                sign = -sign;
            }
            self.pos += 1;
            self.one_sign()?;
        }
        Ok(self.atom(depth)?.scale(sign))
    }

    /// An error when a sign follows the one just read (`king - - man`).
    fn one_sign(&self) -> Result<()> {
        match self.peek() {
            Some(Tok::Plus | Tok::Minus) => Err(self.err(
                self.col(),
                "two signs in a row (write one, or use parentheses)",
            )),
            _ => Ok(()),
        }
    }

    fn atom(&mut self, depth: usize) -> Result<Value> {
        let col = self.col();
        let Some(tok) = self.peek().cloned() else {
            return Err(self.err(col, "expected a word or '('"));
        };
        self.pos += 1;
        match tok {
            Tok::Num(v) => Ok(Value::Num(v)),
            Tok::Word(w) => {
                let id = match self.words.iter().position(|x| *x == w) {
                    Some(id) => id,
                    None => {
                        self.words.push(w);
                        self.words.len() - 1
                    }
                };
                Ok(Value::Vector(vec![(id, 1.0)]))
            }
            Tok::Open => {
                if depth >= MAX_DEPTH {
                    return Err(self.err(col, "parentheses nested too deeply"));
                }
                let v = self.sum(depth + 1)?;
                match self.peek() {
                    Some(Tok::Close) => {
                        self.pos += 1;
                        Ok(v)
                    }
                    _ => Err(self.err(col, "unclosed parenthesis")),
                }
            }
            Tok::Plus | Tok::Minus | Tok::Star | Tok::Close => {
                Err(self.err(col, "expected a word or '('"))
            }
        }
    }
}

/// Parses `input` into its distinct words (in order of first appearance) with their total
/// weights. Errors are [`Error::Syntax`] with a 1-based character column.
pub fn parse(input: &str) -> Result<Vec<(String, f32)>> {
    let toks = tokenize(input)?;
    if toks.is_empty() {
        return Err(syntax(input, 1, "empty expression"));
    }
    let mut p = Parser {
        input,
        toks,
        pos: 0,
        words: Vec::new(),
        end_col: input.chars().count() + 1,
    };
    let value = p.sum(0)?;
    if p.pos < p.toks.len() {
        // Only an unmatched ')' can stop a complete sum.
        return Err(p.err(p.col(), "unmatched ')'"));
    }
    match value {
        Value::Num(_) => Err(syntax(input, 1, "the expression has no words")),
        Value::Vector(parts) => {
            let mut weights = vec![0.0f32; p.words.len()];
            for (id, w) in parts {
                weights[id] += w;
            }
            Ok(p.words.into_iter().zip(weights).collect())
        }
    }
}

#[cfg(test)]
mod tests;
