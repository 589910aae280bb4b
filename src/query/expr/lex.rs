//! The tokens of an expression: operators, numbers, words and quoted phrases, each with its
//! column.
use crate::error::{Error, Result};

#[derive(Debug, Clone, PartialEq)]
pub(super) enum Tok {
    Plus,
    Minus,
    Star,
    Open,
    Close,
    Num(f32),
    Word(String),
}

#[derive(Debug, Clone)]
pub(super) struct Token {
    pub(super) tok: Tok,
    /// 1-based column in characters.
    pub(super) col: usize,
}

pub(super) fn syntax(input: &str, column: usize, message: impl Into<String>) -> Error {
    Error::Syntax {
        input: input.to_string(),
        column,
        message: message.into(),
    }
}

fn ends_bare_word(c: char) -> bool {
    c.is_whitespace() || matches!(c, '+' | '*' | '(' | ')' | '"') || wide_operator(c).is_some()
}

/// The operator of a full-width character as a Chinese or Japanese input method types it
/// (`目录－文件＋文件名`), or of the mathematical minus `−`. Unlike the ASCII `-`, which
/// belongs to a word it is inside (`well-known`), these are always operators.
fn wide_operator(c: char) -> Option<Tok> {
    Some(match c {
        '＋' => Tok::Plus,
        '－' | '−' => Tok::Minus,
        '＊' => Tok::Star,
        '（' => Tok::Open,
        '）' => Tok::Close,
        _ => return None,
    })
}

pub(super) fn tokenize(input: &str) -> Result<Vec<Token>> {
    let chars: Vec<char> = input.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let col = i + 1;
        let simple = match c {
            '+' => Some(Tok::Plus),
            '-' => Some(Tok::Minus),
            '*' => Some(Tok::Star),
            '(' => Some(Tok::Open),
            ')' => Some(Tok::Close),
            _ => wide_operator(c),
        };
        if let Some(tok) = simple {
            out.push(Token { tok, col });
            i += 1;
        } else if c.is_whitespace() {
            i += 1;
        } else if c == '"' || c == '\'' {
            let Some(len) = chars[i + 1..].iter().position(|&q| q == c) else {
                return Err(syntax(input, col, "unterminated quote"));
            };
            let text: String = chars[i + 1..i + 1 + len].iter().collect();
            if text.trim().is_empty() {
                return Err(syntax(input, col, "empty quoted word"));
            }
            out.push(Token {
                tok: Tok::Word(text),
                col,
            });
            i += len + 2;
        } else {
            let len = chars[i..]
                .iter()
                .position(|&c| ends_bare_word(c))
                .unwrap_or(chars.len() - i);
            let text: String = chars[i..i + len].iter().collect();
            let tok = if c.is_ascii_digit() || c == '.' {
                match text.parse::<f32>() {
                    Ok(v) if v.is_finite() => Tok::Num(v),
                    Ok(_) => return Err(syntax(input, col, "number out of range")),
                    Err(_) => Tok::Word(text),
                }
            } else {
                Tok::Word(text)
            };
            out.push(Token { tok, col });
            i += len;
        }
    }
    Ok(out)
}
