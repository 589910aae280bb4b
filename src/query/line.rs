//! The analogy / expression line: `man : king :: woman : ?` or `king - man + woman`.
//!
//! One line of user input read as either an analogy or a vector expression, answered, and
//! every error turned into a message with the column it points at.
use super::{analogy, expression_with, Answer, Method};
use crate::error::Error;
use crate::space::Space;

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
}

/// The answer to one line (or why there is none).
#[derive(Debug, Clone)]
pub struct Outcome {
    /// The line as asked.
    pub asked: String,
    /// True when the line was (or tried to be) an analogy.
    pub analogy: bool,
    /// The answer, or the error with its column.
    pub result: Result<Answer, LineError>,
}

/// Reads the line. A line with `::` must be an analogy `a : b :: c : ?` (the `?` may be left
/// out); errors carry the 1-based column of the part that is wrong. The full-width `：` and
/// `？` of CJK input methods count as `:` and `?` (`文件：目录：：文件名：？`).
pub fn parse(line: &str) -> Result<Parsed, LineError> {
    let line = &ascii_colons(line);
    let Some(split) = line.find("::") else {
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

/// `line` with full-width colons and question marks as ASCII ones (one character for one, so
/// columns stay where they were).
fn ascii_colons(line: &str) -> String {
    line.replace('：', ":").replace('？', "?")
}

/// Parses and answers `line` with `k` hits.
pub fn run(space: &Space, line: &str, method: Method, k: usize) -> Outcome {
    let parsed = parse(line);
    let analogy_form =
        matches!(parsed, Ok(Parsed::Analogy { .. })) || ascii_colons(line).contains("::");
    let result = parsed.and_then(|p| {
        let answer = match &p {
            Parsed::Analogy { a, b, c } => analogy(space, a, b, c, k, method, false),
            Parsed::Expression(e) => expression_with(space, e, k, false, method),
        };
        answer.map_err(|e| describe(line, e))
    });
    Outcome {
        asked: line.to_string(),
        analogy: analogy_form,
        result,
    }
}

/// A library error as a message with a column where one is known.
fn describe(line: &str, e: Error) -> LineError {
    match e {
        Error::Syntax {
            column, message, ..
        } => LineError {
            message: format!("syntax error: {message}"),
            column: Some(column),
        },
        Error::UnknownWord { word, suggestions } => {
            let column = line.find(&word).map(|b| line[..b].chars().count() + 1);
            let mut message = format!("unknown word \"{word}\"");
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
}
