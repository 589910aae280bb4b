//! The analogy / expression line: `man : king :: woman : ?`, `king - man + woman`, or, with
//! an NNLM's language model, `the united _` (the next word).
//!
//! One line of user input read as an analogy, a vector expression or a next-word question,
//! answered, and every error turned into a message with the column it points at.
use super::{analogy, expression_with, Answer, Hit, Method, Term};
use crate::error::Error;
use crate::space::Space;
use crate::train::lm;
use crate::train::nnlm::{Counted, LanguageModel};

/// What answers next-word lines (`the united _`): an NNLM, or the N-gram model counted beside
/// it (the NNLM still reads the context, as training read its corpus).
#[derive(Debug, Clone, Copy, Default)]
pub struct NextWords<'a> {
    /// The NNLM (its rows are the space's).
    pub model: Option<&'a LanguageModel>,
    /// When set, the N-gram model answers instead of the NNLM.
    pub ngram: Option<&'a Counted>,
}

/// An error of the line, with the 1-based character column the message points at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineError {
    /// What is wrong, for the user.
    pub message: String,
    /// 1-based character column the message points at.
    pub column: Option<usize>,
}

/// What the line asks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Parsed {
    /// `a : b :: c : ?`
    Analogy {
        /// The first term.
        a: String,
        /// The second term.
        b: String,
        /// The third term.
        c: String,
    },
    /// Anything else is a vector expression.
    Expression(String),
    /// `the united _`: the words before a blank, whose next word is asked of a language model.
    NextWord(String),
}

/// The answer to one line (or why there is none).
#[derive(Debug, Clone)]
pub struct Outcome {
    /// The line as asked.
    pub asked: String,
    /// True when the line was (or tried to be) an analogy.
    pub analogy: bool,
    /// True when the line asked for the next word (`words _`): the scores are probabilities.
    pub next_word: bool,
    /// The answer, or the error with its column.
    pub result: Result<Answer, LineError>,
}

/// Reads the line. A line with `::` must be an analogy `a : b :: c : ?` (the `?` may be left
/// out); errors carry the 1-based column of the part that is wrong. The full-width `：` and
/// `？` of CJK input methods count as `:` and `?` (`文件：目录：：文件名：？`).
pub fn parse(line: &str) -> Result<Parsed, LineError> {
    let line = &ascii_colons(line);
    let Some(split) = line.find("::") else {
        if let Some(context) = blank_at_end(line) {
            return Ok(Parsed::NextWord(context.trim().to_string()));
        }
        return Ok(Parsed::Expression(line.to_string()));
    };
    let (left, right) = (&line[..split], &line[split + 2..]);
    let col = |byte: usize| line[..byte].chars().count() + 1;
    let err = |byte: usize, message: &str| LineError {
        message: message.to_string(),
        column: Some(col(byte)),
    };
    let left_parts: Vec<&str> = left.split(':').collect();
    if left_parts.len() != 2 {
        return Err(err(0, "expected \"a : b\" before \"::\""));
    }
    let right_at = split + 2;
    if right.contains("::") {
        return Err(err(
            right_at + right.find("::").unwrap_or(0),
            "a second \"::\"",
        ));
    }
    let right_parts: Vec<&str> = right.split(':').collect();
    if right_parts.len() > 2 {
        return Err(err(right_at, "expected \"c : ?\" after \"::\""));
    }
    if let Some(raw) = right_parts.get(1) {
        let q = raw.trim();
        if !(q.is_empty() || q == "?") {
            let lead = raw.len() - raw.trim_start().len();
            let at = right_at + right.rfind(':').unwrap_or(0) + 1 + lead;
            return Err(err(at, "expected \"?\" as the fourth term"));
        }
    }
    let words = [
        (left_parts[0], 0),
        (left_parts[1], left_parts[0].len() + 1),
        (right_parts[0], right_at),
    ];
    for (w, at) in words {
        if w.trim().is_empty() {
            return Err(err(at.min(line.len()), "a word is missing here"));
        }
    }
    let [a, b, c] = words.map(|(w, _)| w.trim().to_string());
    Ok(Parsed::Analogy { a, b, c })
}

/// Whether `line` asks a language model for the next word (it ends in a blank, as
/// `the united _` and `用户可以＿` do).
pub fn asks_next_word(line: &str) -> bool {
    blank_at_end(line).is_some()
}

/// The words before a blank that ends `line`: `_` on its own (`the united _`), or right after
/// Chinese text, or the full-width `＿`, which no word contains (`用户可以＿`).
fn blank_at_end(line: &str) -> Option<&str> {
    let trimmed = line.trim_end();
    if let Some(context) = trimmed.strip_suffix('＿') {
        return Some(context);
    }
    let context = trimmed.strip_suffix('_')?;
    let before = context.chars().next_back();
    let own = before.is_none_or(|c| c.is_whitespace() || crate::train::segment::is_cjk(c));
    own.then_some(context)
}

/// Whether `line` is written as an analogy (`a : b :: c : ?`, full-width colons too), parsed
/// or not: a broken one is a syntax error, never an expression.
pub fn analogy_form(line: &str) -> bool {
    ascii_colons(line).contains("::")
}

/// `line` with full-width colons and question marks as ASCII ones (one character for one, so
/// columns stay where they were).
fn ascii_colons(line: &str) -> String {
    line.replace('：', ":").replace('？', "?")
}

/// Parses and answers `line` with `k` hits.
pub fn run(space: &Space, line: &str, method: Method, k: usize) -> Outcome {
    run_with(space, NextWords::default(), line, method, k)
}

/// Parses and answers `line` with `k` hits; `next` answers next-word lines.
pub fn run_with(space: &Space, next: NextWords, line: &str, method: Method, k: usize) -> Outcome {
    let parsed = parse(line);
    let as_analogy = matches!(parsed, Ok(Parsed::Analogy { .. })) || analogy_form(line);
    let next_word_form = matches!(parsed, Ok(Parsed::NextWord(_)));
    let result = parsed.and_then(|p| {
        let answer = match &p {
            Parsed::Analogy { a, b, c } => analogy(space, a, b, c, k, method, false),
            Parsed::Expression(e) => expression_with(space, e, k, false, method),
            Parsed::NextWord(context) => return next_word(next, context, k),
        };
        answer.map_err(|e| describe(line, e))
    });
    Outcome {
        asked: line.to_string(),
        analogy: as_analogy,
        next_word: next_word_form,
        result,
    }
}

/// The `k` likeliest next words after `context`, their probabilities as scores; the context's
/// words are the terms (unknown ones left out, as training leaves them out).
fn next_word(next: NextWords, context: &str, k: usize) -> Result<Answer, LineError> {
    let Some(model) = next.model else {
        return Err(LineError {
            message: "no language model here for \"words _\" (an NNLM's: t, objective nnlm)".into(),
            column: None,
        });
    };
    let tokens = model.tokens(context).map_err(|e| LineError {
        message: e.to_string(),
        column: None,
    })?;
    let ids = model.encode(&tokens);
    let terms = tokens
        .iter()
        .zip(&ids)
        .map(|(t, id)| Term {
            word: t.clone(),
            index: *id,
            subword: false,
            weight: if id.is_some() { 1.0 } else { 0.0 },
        })
        .collect();
    let predicted = match next.ngram {
        Some(c) => lm::top_k(&lm::NextWordModel::log_probabilities(&c.kn, &ids), k),
        None => model.predict(&ids, k),
    };
    let hits = predicted
        .into_iter()
        .map(|(index, p)| Hit {
            index,
            score: p as f32,
        })
        .collect();
    Ok(Answer {
        terms,
        hits,
        excluded: Vec::new(),
    })
}

/// A library error as a message with a column where one is known; an unknown word that is
/// an expression without spaces (`king-man`) says so.
fn describe(line: &str, e: Error) -> LineError {
    match e {
        Error::Syntax {
            column, message, ..
        } => LineError {
            message: format!("syntax error: {message}"),
            column: Some(column),
        },
        Error::UnknownWord {
            word,
            suggestions,
            hint,
        } => {
            let column = line.find(&word).map(|b| line[..b].chars().count() + 1);
            let mut message = format!("unknown word \"{word}\"");
            if let Some(hint) = hint {
                message.push_str(&format!("; {hint}"));
            }
            if !suggestions.is_empty() {
                message.push_str(&format!(" — did you mean {}?", suggestions.join(", ")));
            }
            LineError { message, column }
        }
        other => LineError {
            message: other.to_string(),
            column: None,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn analogy_of(a: &str, b: &str, c: &str) -> Parsed {
        Parsed::Analogy {
            a: a.into(),
            b: b.into(),
            c: c.into(),
        }
    }

    #[test]
    fn analogy_forms() {
        assert_eq!(
            parse("man : king :: woman : ?").unwrap(),
            analogy_of("man", "king", "woman")
        );
        assert_eq!(
            parse("巴黎:法国::北京").unwrap(),
            analogy_of("巴黎", "法国", "北京")
        );
        // Full-width colons and question mark, as a Chinese input method types them.
        assert_eq!(
            parse("文件：目录：：文件名：？").unwrap(),
            analogy_of("文件", "目录", "文件名")
        );
        assert_eq!(
            parse("king - man + woman").unwrap(),
            Parsed::Expression("king - man + woman".into())
        );
    }

    #[test]
    fn analogy_errors_have_columns() {
        let e = parse("man : :: woman : ?").unwrap_err();
        assert_eq!(e.column, Some(6));
        let e = parse("man : king :: woman : queen").unwrap_err();
        assert_eq!(e.column, Some(23));
        assert!(parse("man king :: woman").is_err());
        assert!(parse("a : b :: c :: d").is_err());
        let e = parse("a : b :: ").unwrap_err();
        assert_eq!(e.column, Some(9));
    }

    #[test]
    fn a_trailing_blank_asks_for_the_next_word() {
        let next = |s: &str| Parsed::NextWord(s.into());
        assert_eq!(parse("the united _").unwrap(), next("the united"));
        assert_eq!(parse("  _ ").unwrap(), next(""));
        assert_eq!(parse("用户可以＿").unwrap(), next("用户可以"));
        assert_eq!(parse("用户可以_").unwrap(), next("用户可以"));
        assert_eq!(parse("用户 可以 ＿").unwrap(), next("用户 可以"));
        // A word with an underscore is a word.
        assert_eq!(
            parse("new_york").unwrap(),
            Parsed::Expression("new_york".into())
        );
        assert_eq!(
            parse("a_ - b").unwrap(),
            Parsed::Expression("a_ - b".into())
        );
        // Without a language model: said, not an expression error.
        let space = crate::demo::load().unwrap().space;
        let out = run(&space, "the united _", Method::Add, 5);
        assert!(out.next_word && !out.analogy);
        assert!(out.result.unwrap_err().message.contains("language model"));
    }

    #[test]
    fn an_expression_without_spaces_says_where_they_go() {
        let space = crate::query::test_util::space(&[
            ("king", &[1.0, 0.0]),
            ("man", &[0.0, 1.0]),
            ("kingman", &[1.0, 1.0]),
        ]);
        let e = run(&space, "king-man + man", Method::Add, 2)
            .result
            .unwrap_err();
        assert_eq!(
            e.message,
            "unknown word \"king-man\"; to subtract, put spaces around the sign: king - man \
             — did you mean kingman?"
        );
        assert_eq!(e.column, Some(1));
    }

    #[test]
    fn next_words_come_from_the_model_with_their_probabilities() {
        use crate::train::{nnlm, Config, Corpus, Monitor, NnlmConfig, ReadOptions};
        let text = "a b c d\n".repeat(300);
        let corpus = Corpus::from_text(&text, ReadOptions::default());
        let config = Config {
            dim: 8,
            min_count: 1,
            sample: 0.0,
            epochs: 3,
            threads: 1,
            nnlm: Some(NnlmConfig {
                order: 3,
                hidden: 8,
            }),
            ..Config::default()
        };
        let trained = nnlm::train_model(&corpus, &config, &Monitor::new()).unwrap();
        let model = trained.language_model.as_deref().unwrap();
        let next = NextWords {
            model: Some(model),
            ngram: None,
        };
        let out = run_with(&trained.space, next, "zz a b _", Method::Add, 2);
        let answer = out.result.unwrap();
        assert_eq!(trained.space.word(answer.hits[0].index as usize), "c");
        let expected = model.predict(&model.encode(&["a".into(), "b".into()]), 2);
        assert_eq!(answer.hits[0].score, expected[0].1 as f32);
        // The terms are the context as read; the unknown word has no row.
        let terms: Vec<(&str, bool)> = answer
            .terms
            .iter()
            .map(|t| (t.word.as_str(), t.index.is_some()))
            .collect();
        assert_eq!(terms, [("zz", false), ("a", true), ("b", true)]);
    }
}
