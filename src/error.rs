//! The library's error and warning types.
//!
//! Every error that comes from reading a file names the file and, where it can, the line or
//! byte offset at which the problem was found, so a user can open the file and look.
use std::fmt;
use std::path::{Path, PathBuf};

/// Where in a file something was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Location {
    /// The file as a whole.
    #[default]
    File,
    /// A 1-based line number (text formats).
    Line(u64),
    /// A 0-based byte offset (binary formats).
    Offset(u64),
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Location::File => Ok(()),
            Location::Line(n) => write!(f, ":{n}"),
            Location::Offset(n) => write!(f, ": byte offset {n}"),
        }
    }
}

/// Errors of the embx library.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The operating system refused or failed an operation on a file.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file the operation was on.
        path: PathBuf,
        /// The operating system's error.
        #[source]
        source: std::io::Error,
    },
    /// A file's content is not what its format requires.
    #[error("{}{location}: {message}", path.display())]
    Format {
        /// The file with the bad content.
        path: PathBuf,
        /// Where in the file the problem was found.
        location: Location,
        /// What is wrong, for a human reader.
        message: String,
    },
    /// A word that the space does not contain (and cannot build from subwords).
    #[error(
        "unknown word {word:?}{}{}",
        suggestion_text(suggestions),
        hint_text(hint)
    )]
    UnknownWord {
        /// The word as the caller gave it.
        word: String,
        /// Similarly spelled words of the space, best first (may be empty).
        suggestions: Vec<String>,
        /// What was probably meant instead, such as spaces around the sign of `king-man`.
        hint: Option<String>,
    },
    /// A query expression that does not parse.
    #[error("syntax error at column {column}: {message}\n  {input}\n  {}^", caret_pad(input, *column))]
    Syntax {
        /// The whole query text that failed to parse.
        input: String,
        /// 1-based column (in characters).
        column: usize,
        /// What the parser expected or found, for a human reader.
        message: String,
    },
    /// The caller's request makes no sense for this data (e.g. k = 0, dimensions differ).
    #[error("{0}")]
    Invalid(String),
    /// The operation was cancelled (Ctrl-C or a newer request).
    #[error("interrupted")]
    Interrupted,
}

fn suggestion_text(s: &[String]) -> String {
    if s.is_empty() {
        String::new()
    } else {
        format!(" (did you mean: {}?)", s.join(", "))
    }
}

/// The blanks that put a caret under character `column` (1-based) of `input` on a terminal:
/// as wide as the characters before it (a Chinese character takes two columns).
fn caret_pad(input: &str, column: usize) -> String {
    let before: String = input.chars().take(column.saturating_sub(1)).collect();
    " ".repeat(crate::text::width(&before))
}

fn hint_text(hint: &Option<String>) -> String {
    hint.as_ref().map_or_else(String::new, |h| format!("; {h}"))
}

impl Error {
    /// An I/O error on `path`.
    pub fn io(path: impl AsRef<Path>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.as_ref().to_path_buf(),
            source,
        }
    }

    /// A format error in `path` at `location`.
    pub fn format(path: impl AsRef<Path>, location: Location, message: impl Into<String>) -> Self {
        Error::Format {
            path: path.as_ref().to_path_buf(),
            location,
            message: message.into(),
        }
    }

    /// True when the error comes from bad input data (as opposed to an unknown word or a
    /// bad query); the command line maps these to exit status 2.
    pub fn is_bad_input(&self) -> bool {
        matches!(self, Error::Io { .. } | Error::Format { .. })
    }
}

/// Result with the library's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Something odd about an input that did not stop it from being read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    /// The file the warning is about.
    pub path: PathBuf,
    /// Where in the file the oddity was found.
    pub location: Location,
    /// What is odd, for a human reader.
    pub message: String,
}

impl Warning {
    /// A warning about `path` at `location`.
    pub fn new(path: impl AsRef<Path>, location: Location, message: impl Into<String>) -> Self {
        Warning {
            path: path.as_ref().to_path_buf(),
            location,
            message: message.into(),
        }
    }
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}{}: {}",
            self.path.display(),
            self.location,
            self.message
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn format_error_names_file_and_line() {
        let e = Error::format("v.txt", Location::Line(7), "expected 3 values, found 2");
        assert_eq!(e.to_string(), "v.txt:7: expected 3 values, found 2");
        let e = Error::format("v.bin", Location::Offset(12), "truncated");
        assert_eq!(e.to_string(), "v.bin: byte offset 12: truncated");
        assert!(e.is_bad_input());
    }

    #[test]
    fn syntax_error_points_at_column() {
        let e = Error::Syntax {
            input: "a + * b".into(),
            column: 5,
            message: "expected a word".into(),
        };
        assert_eq!(
            e.to_string(),
            "syntax error at column 5: expected a word\n  a + * b\n      ^"
        );
    }
}
