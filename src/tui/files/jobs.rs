//! The file jobs the prompt asks for (saving and loading the selection, exporting the
//! neighbours or the analogy), and what the explorer does with their results.
use super::{completed, failed, ExportRow, FileDone, FileJob};
use crate::query::Answer;
use crate::tui::app::{App, Message, While};
use crate::tui::panels::neighbours;
use crate::tui::Effect;
use std::path::{Path, PathBuf};

/// The selected words, to be written one a line.
pub(super) fn save_selection(app: &App, path: PathBuf) -> Result<FileJob, Message> {
    if app.selection.is_empty() {
        return Err(failed("the selection is empty: Space adds words to it"));
    }
    let words = app
        .selection
        .iter()
        .map(|&r| app.word(r).to_string())
        .collect();
    Ok(FileJob::SaveSelection { path, words })
}

pub(super) fn load_selection(app: &App, path: PathBuf) -> Result<FileJob, Message> {
    if app.space.is_none() {
        return Err(failed("no vectors loaded yet"));
    }
    Ok(FileJob::ReadSelection { path })
}

pub(super) fn export(app: &App, analogy: bool, path: PathBuf) -> Result<FileJob, Message> {
    let answer: Option<&Answer> = if analogy {
        app.query.answer().as_ref()
    } else {
        app.neighbours.answer().as_ref()
    };
    let Some(answer) = answer else {
        return Err(failed(
            "nothing to export: focus a word (or run an analogy) first",
        ));
    };
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    let json = match ext.as_str() {
        "json" => true,
        "csv" => false,
        _ => return Err(failed("the file name must end in .csv or .json")),
    };
    let rows = answer
        .hits
        .iter()
        .enumerate()
        .map(|(i, h)| ExportRow {
            rank: i + 1,
            word: app.word(h.index).to_string(),
            row: h.index,
            score: h.score,
        })
        .collect();
    Ok(FileJob::Export { path, rows, json })
}

/// A file job finished: show its outcome; a word list read is added to the selection.
pub(crate) fn done(app: &mut App, done: FileDone, fx: &mut Vec<Effect>) {
    match done {
        FileDone::Status(message) if message.error => {
            crate::tui::requests::alert(app, "a file could not be written".into(), message.text)
        }
        FileDone::Status(message) => app.status = Some(message),
        FileDone::Completed(c) => completed(app, c),
        FileDone::SelectionRead { path, text } => match text {
            Ok(text) => add_selection(app, &path, &text, fx),
            Err(message) => crate::tui::requests::alert(
                app,
                format!("could not read the word list {}", path.display()),
                message,
            ),
        },
    }
}

/// Adds the known words of a word list to the selection; reports the unknown ones.
fn add_selection(app: &mut App, path: &Path, text: &str, fx: &mut Vec<Effect>) {
    let Some(space) = app.space.clone() else {
        app.status = Some(failed("no vectors loaded yet"));
        return;
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
    if added > 0 {
        // The scatter of the selection shows the new words at once.
        crate::tui::panels::scatter::request(app, fx);
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
    let message = Message {
        text,
        error: !unknown.is_empty(),
    };
    if added > 0 {
        // "added 6 words" is true while the selection has words.
        app.say_while(message, While::Selected);
    } else {
        app.status = Some(message);
    }
}
