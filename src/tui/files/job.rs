//! The file jobs of the explorer, run on the worker's file lane (never in `update`): writing
//! the selection, exporting a list as CSV or JSON, reading a word list, and writing the
//! scatter plot as SVG and PNG. Every write is atomic ([`crate::io::atomic_write`]).
use crate::error::Result;
use crate::io::atomic_write;
use crate::project::{self, svg};
use crate::tui::app::Message;
use serde::Serialize;
use std::io::Write;
use std::path::{Path, PathBuf};

/// One exported row of a neighbour list or an analogy answer.
#[derive(Debug, Clone, Serialize)]
pub struct ExportRow {
    pub rank: usize,
    pub word: String,
    pub row: u32,
    pub score: f32,
}

/// A file to read or write, with everything needed to do it.
#[derive(Debug, Clone)]
pub enum FileJob {
    /// The selected words, one a line.
    SaveSelection { path: PathBuf, words: Vec<String> },
    /// A word list to add to the selection.
    ReadSelection { path: PathBuf },
    /// A list as JSON (`json`) or CSV.
    Export {
        path: PathBuf,
        rows: Vec<ExportRow>,
        json: bool,
    },
    /// The scatter plot as SVG at `path` and as PNG beside it.
    Scatter { path: PathBuf, plot: svg::Plot },
    /// Tab in a prompt: the file name typed, completed from its folder's entries.
    Complete {
        typed: String,
        base: PathBuf,
        several: bool,
    },
}

/// What a file job gives back.
#[derive(Debug)]
pub enum FileDone {
    /// The line for the status bar.
    Status(Message),
    /// A prompt's file name, completed.
    Completed(super::Completion),
    /// The text of a word list (or why it could not be read).
    SelectionRead {
        path: PathBuf,
        text: std::result::Result<String, String>,
    },
}

/// Runs `job` (on a worker thread; tests call it through `execute`).
pub fn run(job: FileJob) -> FileDone {
    match job {
        FileJob::SaveSelection { path, words } => FileDone::Status(save_selection(&path, &words)),
        FileJob::ReadSelection { path } => {
            let text = read_text(&path);
            FileDone::SelectionRead { path, text }
        }
        FileJob::Export { path, rows, json } => FileDone::Status(export(&path, &rows, json)),
        FileJob::Scatter { path, plot } => FileDone::Status(scatter(&path, &plot)),
        FileJob::Complete {
            typed,
            base,
            several,
        } => FileDone::Completed(super::complete::complete(&typed, &base, several)),
    }
}

fn done(text: String) -> Message {
    Message { text, error: false }
}

fn failed(text: String) -> Message {
    Message { text, error: true }
}

fn save_selection(path: &Path, words: &[String]) -> Message {
    let r = atomic_write(path, |w| {
        for word in words {
            writeln!(w, "{word}").map_err(|e| crate::Error::io(path, e))?;
        }
        Ok(())
    });
    match r {
        Ok(()) => done(format!("saved {} words to {}", words.len(), path.display())),
        Err(e) => failed(format!("could not save: {e}")),
    }
}

fn read_text(path: &Path) -> std::result::Result<String, String> {
    match std::fs::read(path) {
        Ok(bytes) => {
            String::from_utf8(bytes).map_err(|_| format!("{} is not UTF-8 text", path.display()))
        }
        Err(e) => Err(format!("could not read {}: {e}", path.display())),
    }
}

fn export(path: &Path, rows: &[ExportRow], json: bool) -> Message {
    let r = if json {
        atomic_write(path, |w| write_json(w, rows, path))
    } else {
        atomic_write(path, |w| write_csv(w, rows, path))
    };
    match r {
        Ok(()) => done(format!(
            "exported {} rows to {}",
            rows.len(),
            path.display()
        )),
        Err(e) => failed(format!("could not export: {e}")),
    }
}

fn write_json(w: &mut impl Write, rows: &[ExportRow], path: &Path) -> Result<()> {
    serde_json::to_writer_pretty(&mut *w, rows)
        .map_err(|e| crate::Error::io(path, std::io::Error::other(e)))?;
    writeln!(w).map_err(|e| crate::Error::io(path, e))
}

fn write_csv(w: &mut impl Write, rows: &[ExportRow], path: &Path) -> Result<()> {
    let io = |e| crate::Error::io(path, e);
    writeln!(w, "rank,word,row,score").map_err(io)?;
    for r in rows {
        writeln!(w, "{},{},{},{}", r.rank, csv_field(&r.word), r.row, r.score).map_err(io)?;
    }
    Ok(())
}

/// A CSV field, quoted (RFC 4180) when it holds a comma, a quote, a line break or spaces at
/// either end.
pub fn csv_field(s: &str) -> String {
    let needs = s.contains([',', '"', '\n', '\r']) || s.trim() != s;
    if needs {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// Writes the plot as SVG to `path` and as PNG beside it (same name, `.png`).
fn scatter(path: &Path, plot: &svg::Plot) -> Message {
    let text = svg::render(plot);
    let written = atomic_write(path, |w| {
        w.write_all(text.as_bytes())
            .map_err(|e| crate::Error::io(path, e))
    });
    if let Err(e) = written {
        return failed(format!("could not save the scatter: {e}"));
    }
    let shown = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let png_path = path.with_extension("png");
    let png_name = png_path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    match project::png::write(plot, &png_path) {
        Ok(()) => {
            let note =
                project::png::undrawable_note(plot).map_or(String::new(), |n| format!("; {n}"));
            done(format!(
                "scatter saved to {} and {png_name}{note}",
                shown.display()
            ))
        }
        Err(e) => failed(format!(
            "scatter saved to {}, but not as PNG: {e}",
            shown.display()
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_fields_are_quoted_when_needed() {
        assert_eq!(csv_field("king"), "king");
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_field(" x"), "\" x\"");
        assert_eq!(csv_field("北京"), "北京");
    }
}
