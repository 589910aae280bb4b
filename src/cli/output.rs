//! Writing to stdout: one write per result, and a closed pipe (`| head`) is not an error.
use crate::error::{Error, Result};
use std::io::Write;

/// Prints `text` to stdout.
pub fn print(text: &str) -> Result<()> {
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())
        .and_then(|()| out.flush())
        .map_err(|e| Error::io("<stdout>", e))
}

/// Prints `value` as pretty JSON followed by a newline.
pub fn print_json(value: &serde_json::Value) -> Result<()> {
    let mut s = serde_json::to_string_pretty(value).map_err(|e| Error::Invalid(e.to_string()))?;
    s.push('\n');
    print(&s)
}

/// True when `e` is a write to a closed pipe, which ends the program quietly.
pub fn is_broken_pipe(e: &Error) -> bool {
    matches!(e, Error::Io { source, .. } if source.kind() == std::io::ErrorKind::BrokenPipe)
}
