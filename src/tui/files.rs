//! Files (part of `update`): saving and loading the selection as a word list, and exporting
//! the neighbour list or the analogy answer as CSV or JSON. A one-line prompt in the status
//! line asks for the file name; writes are atomic ([`crate::io::atomic_write`]).
//!
//! The files are small (a selection, at most a few hundred hits), so they are read and written
//! here rather than on a worker.
use super::app::{App, Message, Panel};
use super::keymap::{self, Command, Context};
use super::Effect;
use crate::error::Result;
use crate::io::atomic_write;
use crate::query::Answer;
use crate::tui::panels::neighbours;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use serde::Serialize;
use std::io::Write;
use std::path::{Path, PathBuf};

pub const SELECTION_FILE: &str = "embx-selection.txt";
pub const NEIGHBOURS_FILE: &str = "embx-neighbours.csv";
pub const ANALOGY_FILE: &str = "embx-analogy.csv";

/// What the prompt asks a file name for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PromptKind {
    SaveSelection,
    LoadSelection,
    /// Export the analogy answer (true) or the neighbour list (false).
    Export {
        analogy: bool,
    },
    /// A value of the train panel's form.
    TrainField(crate::tui::panels::train::Field),
    /// The watch words (space-separated).
    WatchWords,
    /// Where to save the vectors under training (or just trained).
    SaveTrained,
}

impl PromptKind {
    pub fn label(self) -> &'static str {
        match self {
            PromptKind::SaveSelection => "save the selection to",
            PromptKind::LoadSelection => "load a selection from",
            PromptKind::Export { analogy: true } => "export the analogy answer (.csv/.json) to",
            PromptKind::Export { analogy: false } => "export the neighbours (.csv/.json) to",
            PromptKind::TrainField(f) => f.question(),
            PromptKind::WatchWords => "watch words (empty: the defaults)",
            PromptKind::SaveTrained => "save the vectors (.fifu .bin .vec .txt) to",
        }
    }
}

/// The open prompt: what it is for and the file name typed so far.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prompt {
    pub kind: PromptKind,
    pub input: String,
}

/// Carries out the file commands.
pub(super) fn command(app: &mut App, c: Command, fx: &mut Vec<Effect>) {
    match c {
        Command::SaveSelection => open(app, PromptKind::SaveSelection, SELECTION_FILE),
        Command::LoadSelection => open(app, PromptKind::LoadSelection, SELECTION_FILE),
        Command::Export => {
            let analogy = export_analogy(app);
            let name = if analogy {
                ANALOGY_FILE
            } else {
                NEIGHBOURS_FILE
            };
            open(app, PromptKind::Export { analogy }, name)
        }
        Command::PromptAccept => accept(app, fx),
        Command::PromptCancel => app.prompt = None,
        _ => {}
    }
}

/// The analogy answer is exported when its panel is focused and has one.
fn export_analogy(app: &App) -> bool {
    app.focus == Panel::Query && app.query.answer.is_some()
}

fn open(app: &mut App, kind: PromptKind, default: &str) {
    app.prompt = Some(Prompt {
        kind,
        input: default.to_string(),
    });
}

/// A key while the prompt is open: its bindings (and the global ones), else a typed character.
pub(super) fn prompt_key(app: &mut App, ev: &KeyEvent, fx: &mut Vec<Effect>) {
    match keymap::resolve_in(&[Context::Global, Context::Prompt], ev) {
        Some(c @ (Command::DeleteBack | Command::DeleteWord | Command::ClearInput)) => {
            return edit(app, c)
        }
        Some(c) => return super::update::command(app, c, fx),
        None => {}
    }
    let plain = !ev
        .modifiers
        .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT);
    if let (true, KeyCode::Char(c), Some(p)) = (plain, ev.code, app.prompt.as_mut()) {
        p.input.push(c);
    }
}

/// The editing commands on the prompt's line.
fn edit(app: &mut App, c: Command) {
    let Some(p) = app.prompt.as_mut() else { return };
    match c {
        Command::DeleteBack => {
            p.input.pop();
        }
        Command::DeleteWord => {
            let keep = p
                .input
                .trim_end_matches(['/', ' '])
                .rfind(['/', ' '])
                .map_or(0, |i| i + 1);
            p.input.truncate(keep);
        }
        Command::ClearInput => p.input.clear(),
        _ => {}
    }
}

fn accept(app: &mut App, fx: &mut Vec<Effect>) {
    let Some(p) = app.prompt.take() else { return };
    match p.kind {
        PromptKind::TrainField(_) | PromptKind::WatchWords => {
            return crate::tui::panels::train::prompt_accepted(app, p.kind, &p.input, fx)
        }
        PromptKind::SaveTrained => {
            let path = expand(p.input.trim()).display().to_string();
            return crate::tui::panels::train::prompt_accepted(app, p.kind, &path, fx);
        }
        _ => {}
    }
    let name = p.input.trim();
    if name.is_empty() {
        app.status = Some(failed("no file name given"));
        return;
    }
    let path = expand(name);
    app.status = Some(match p.kind {
        PromptKind::SaveSelection => save_selection(app, &path),
        PromptKind::LoadSelection => load_selection(app, &path, fx),
        PromptKind::Export { analogy } => export(app, analogy, &path),
        // Handled above.
        PromptKind::TrainField(_) | PromptKind::WatchWords | PromptKind::SaveTrained => return,
    });
}

/// `~/x` → `$HOME/x`; anything else as typed (relative to the current folder).
fn expand(name: &str) -> PathBuf {
    match (name.strip_prefix("~/"), std::env::var_os("HOME")) {
        (Some(rest), Some(home)) => Path::new(&home).join(rest),
        _ => PathBuf::from(name),
    }
}

fn done(text: String) -> Message {
    Message { text, error: false }
}

fn failed(text: &str) -> Message {
    Message {
        text: text.to_string(),
        error: true,
    }
}

/// Writes the selected words, one a line.
fn save_selection(app: &App, path: &Path) -> Message {
    if app.selection.is_empty() {
        return failed("the selection is empty: Space adds words to it");
    }
    let words: Vec<&str> = app.selection.iter().map(|&r| app.word(r)).collect();
    let r = atomic_write(path, |w| {
        for word in &words {
            writeln!(w, "{word}").map_err(|e| crate::Error::io(path, e))?;
        }
        Ok(())
    });
    match r {
        Ok(()) => done(format!("saved {} words to {}", words.len(), path.display())),
        Err(e) => failed(&format!("could not save: {e}")),
    }
}

/// Adds the known words of a word list to the selection; reports the unknown ones.
fn load_selection(app: &mut App, path: &Path, fx: &mut Vec<Effect>) -> Message {
    let Some(space) = app.space.clone() else {
        return failed("no vectors loaded yet");
    };
    let text = match std::fs::read(path) {
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(t) => t,
            Err(_) => return failed(&format!("{} is not UTF-8 text", path.display())),
        },
        Err(e) => return failed(&format!("could not read {}: {e}", path.display())),
    };
    let mut added = 0;
    let mut unknown: Vec<&str> = Vec::new();
    for line in text.lines() {
        let word = line.trim_end_matches('\r');
        if word.trim().is_empty() {
            continue;
        }
        match space.index(word).or_else(|| space.index(word.trim())) {
            Some(row) if !app.selection.contains(&row) => {
                app.selection.push(row);
                added += 1;
            }
            Some(_) => {}
            None => unknown.push(word),
        }
    }
    if app.centroid && added > 0 {
        neighbours::update::request(app, fx);
    }
    let mut text = format!("added {added} words from {}", path.display());
    if !unknown.is_empty() {
        let shown: Vec<String> = unknown.iter().take(5).map(|w| format!("{w:?}")).collect();
        let more = unknown.len().saturating_sub(shown.len());
        text.push_str(&format!(
            "; {} unknown: {}",
            unknown.len(),
            shown.join(", ")
        ));
        if more > 0 {
            text.push_str(&format!(" and {more} more"));
        }
    }
    Message {
        text,
        error: !unknown.is_empty(),
    }
}

/// One exported row.
#[derive(Debug, Serialize)]
struct Row<'a> {
    rank: usize,
    word: &'a str,
    row: u32,
    score: f32,
}

fn export(app: &App, analogy: bool, path: &Path) -> Message {
    let answer: Option<&Answer> = if analogy {
        app.query.answer.as_ref()
    } else {
        app.neighbours.answer.as_ref()
    };
    let Some(answer) = answer else {
        return failed("nothing to export: focus a word (or run an analogy) first");
    };
    let rows: Vec<Row> = answer
        .hits
        .iter()
        .enumerate()
        .map(|(i, h)| Row {
            rank: i + 1,
            word: app.word(h.index),
            row: h.index,
            score: h.score,
        })
        .collect();
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    let r = match ext.as_str() {
        "json" => atomic_write(path, |w| write_json(w, &rows, path)),
        "csv" => atomic_write(path, |w| write_csv(w, &rows, path)),
        _ => return failed("the file name must end in .csv or .json"),
    };
    match r {
        Ok(()) => done(format!(
            "exported {} rows to {}",
            rows.len(),
            path.display()
        )),
        Err(e) => failed(&format!("could not export: {e}")),
    }
}

fn write_json(w: &mut impl Write, rows: &[Row], path: &Path) -> Result<()> {
    serde_json::to_writer_pretty(&mut *w, rows)
        .map_err(|e| crate::Error::io(path, std::io::Error::other(e)))?;
    writeln!(w).map_err(|e| crate::Error::io(path, e))
}

fn write_csv(w: &mut impl Write, rows: &[Row], path: &Path) -> Result<()> {
    let io = |e| crate::Error::io(path, e);
    writeln!(w, "rank,word,row,score").map_err(io)?;
    for r in rows {
        writeln!(w, "{},{},{},{}", r.rank, csv_field(r.word), r.row, r.score).map_err(io)?;
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

    #[test]
    fn home_is_expanded() {
        if let Some(home) = std::env::var_os("HOME") {
            assert_eq!(expand("~/a.txt"), Path::new(&home).join("a.txt"));
        }
        assert_eq!(expand("a.txt"), PathBuf::from("a.txt"));
    }
}
