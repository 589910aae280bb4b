//! Files (part of `update`): saving and loading the selection as a word list, and exporting
//! the neighbour list or the analogy answer as CSV or JSON. A one-line prompt in the status
//! line asks for the file name.
//!
//! `update` never touches the disk: accepting the prompt returns a [`FileJob`] effect, run on
//! the worker's file lane ([`run`]), and its [`FileDone`] comes back as an action. Relative
//! names are taken from the explorer's working folder ([`App::dir`]).
mod complete;
mod job;
mod jobs;

pub use complete::Completion;
pub use job::{csv_field, run, ExportRow, FileDone, FileJob};
pub(crate) use jobs::done;
use jobs::{export, load_selection, save_selection};

use super::app::{App, Message, Panel};
use super::keymap::{self, Command, Context};
use super::requests::start;
use super::worker::JobKind;
use super::Effect;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
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
    /// Where to write the scatter as SVG (and PNG beside it).
    ScatterExport,
    /// Another vector file to open (the open one stays until it is in).
    Open,
    /// A field of the scatter's form (a word list's path, a parameter, an axis).
    ScatterField(crate::tui::panels::scatter::Field),
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
            PromptKind::ScatterExport => "export the scatter as .svg (and .png beside it) to",
            PromptKind::Open => "open the vector file",
            PromptKind::ScatterField(f) => f.question(),
        }
    }
}

/// The open prompt: what it is for and the file name typed so far.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prompt {
    pub kind: PromptKind,
    pub input: String,
    /// The entries Tab found for the line `.0` (shown while the line is still that).
    pub choices: Option<(String, Vec<String>)>,
}

impl Prompt {
    pub fn new(kind: PromptKind, input: String) -> Self {
        Prompt {
            kind,
            input,
            choices: None,
        }
    }

    /// The entries Tab listed, while the line is still the one they complete.
    pub fn choices(&self) -> &[String] {
        match &self.choices {
            Some((line, c)) if *line == self.input => c,
            _ => &[],
        }
    }
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
        Command::Open => open_file_prompt(app),
        Command::PromptAccept => accept(app, fx),
        Command::CompletePath => ask_completion(app, fx),
        Command::PromptCancel => {
            if let Some(PromptKind::ScatterField(f)) = app.prompt.take().map(|p| p.kind) {
                crate::tui::panels::scatter::prompt_cancelled(app, f);
            }
        }
        _ => {}
    }
}

/// The analogy answer is exported when its panel is focused and has one.
fn export_analogy(app: &App) -> bool {
    app.focus == Panel::Query && app.query.answer().is_some()
}

/// A train panel's prompt was accepted with `text`.
fn train_prompt(app: &mut App, kind: PromptKind, text: &str, fx: &mut Vec<Effect>) {
    use crate::tui::panels::train;
    crate::tui::adopt::with_train(app, fx, |t, cx| {
        train::prompt_accepted(t, cx, kind, text);
        None
    });
}

/// The prompt for another vector file, starting from the folder of the open one.
fn open_file_prompt(app: &mut App) {
    if app.train.is_active() {
        app.status = Some(failed(
            "a training run is under way: stop it (t, then x) before opening another file",
        ));
        return;
    }
    let folder = app
        .space
        .as_ref()
        .and_then(|s| s.source().path.parent().map(Path::to_path_buf))
        .filter(|p| !p.as_os_str().is_empty())
        .map_or(String::new(), |p| format!("{}/", p.display()));
    open(app, PromptKind::Open, &folder);
}

fn open(app: &mut App, kind: PromptKind, default: &str) {
    app.prompt = Some(Prompt::new(kind, default.to_string()));
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
    let corpus = PromptKind::TrainField(crate::tui::panels::train::Field::Corpus);
    if p.kind == corpus && p.input.trim().is_empty() {
        // Nothing to train on yet: the question (which says how to answer it) stays.
        app.prompt = Some(p);
        return;
    }
    match p.kind {
        PromptKind::TrainField(_) | PromptKind::WatchWords | PromptKind::SaveTrained => {
            let text = match p.kind {
                PromptKind::SaveTrained => resolve(app, p.input.trim()).display().to_string(),
                _ => p.input,
            };
            return train_prompt(app, p.kind, &text, fx);
        }
        PromptKind::ScatterField(f) => {
            use crate::tui::panels::scatter;
            let list = f == scatter::Field::List && !p.input.trim().is_empty();
            let input = match list {
                true => resolve(app, p.input.trim()).display().to_string(),
                false => p.input,
            };
            return scatter::prompt_accepted(app, f, &input, fx);
        }
        _ => {}
    }
    let name = p.input.trim();
    if name.is_empty() {
        app.status = Some(failed("no file name given"));
        return;
    }
    let path = resolve(app, name);
    let job = match p.kind {
        PromptKind::SaveSelection => save_selection(app, path),
        PromptKind::LoadSelection => load_selection(app, path),
        PromptKind::Export { analogy } => export(app, analogy, path),
        PromptKind::ScatterExport => {
            app.scatter.set_export_path(path);
            return crate::tui::panels::scatter::export(app, fx);
        }
        PromptKind::Open => {
            // Searched as the open space is: exactly after `embx open --exact` or `a`.
            let source = super::Source::File {
                path,
                options: crate::io::LoadOptions::default(),
                exact: app.exact,
            };
            return super::requests::load(app, source, fx);
        }
        // Handled above.
        PromptKind::TrainField(_)
        | PromptKind::WatchWords
        | PromptKind::SaveTrained
        | PromptKind::ScatterField(_) => return,
    };
    match job {
        Ok(job) => request(app, job, fx),
        Err(message) => app.status = Some(message),
    }
}

/// Starts `job` on the file lane.
pub(crate) fn request(app: &mut App, job: FileJob, fx: &mut Vec<Effect>) {
    start(app, JobKind::File(Box::new(job)), fx);
}

/// Tab in a prompt that takes a file name: the folder is read on the file lane.
fn ask_completion(app: &mut App, fx: &mut Vec<Effect>) {
    use crate::tui::panels::train::Field;
    let Some(p) = &app.prompt else { return };
    let several = match p.kind {
        PromptKind::WatchWords => return,
        PromptKind::TrainField(Field::Corpus) => true,
        PromptKind::TrainField(_) => return,
        PromptKind::ScatterField(f) if f != crate::tui::panels::scatter::Field::List => return,
        _ => false,
    };
    let job = FileJob::Complete {
        typed: p.input.clone(),
        base: app.dir.clone(),
        several,
    };
    request(app, job, fx);
}

/// The folder was read: the prompt's line is completed, unless it changed meanwhile.
fn completed(app: &mut App, c: Completion) {
    let Some(p) = app.prompt.as_mut().filter(|p| p.input == c.typed) else {
        return;
    };
    p.input = c.line;
    p.choices = (!c.choices.is_empty()).then(|| (p.input.clone(), c.choices));
}

/// A file name as typed, `~/` expanded, relative names under the working folder.
pub(crate) fn resolve(app: &App, name: &str) -> PathBuf {
    app.dir.join(expand(name))
}

/// `~/x` → `$HOME/x`; anything else as typed (relative to the current folder). A name typed
/// after the folder the prompt offers starts over ([`restart`]).
fn expand(name: &str) -> PathBuf {
    let name = &name[restart(name)..];
    match (name.strip_prefix("~/"), std::env::var_os("HOME")) {
        (Some(rest), Some(home)) => Path::new(&home).join(rest),
        _ => PathBuf::from(name),
    }
}

/// Where the name really starts: a full path typed or pasted after the folder already on the
/// line starts over, as in Emacs's file prompts: `/data/en//tmp/v.bin` is `/tmp/v.bin`, and
/// `/data/en/~/v.bin` is `~/v.bin`.
fn restart(name: &str) -> usize {
    let root = name.rfind("//").map(|i| i + 1);
    let home = name.rfind("/~/").map(|i| i + 1);
    root.max(home).unwrap_or(0)
}

fn failed(text: &str) -> Message {
    Message {
        text: text.to_string(),
        error: true,
    }
}
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn home_is_expanded() {
        if let Some(home) = std::env::var_os("HOME") {
            assert_eq!(expand("~/a.txt"), Path::new(&home).join("a.txt"));
        }
        assert_eq!(expand("a.txt"), PathBuf::from("a.txt"));
    }

    #[test]
    fn a_full_path_after_the_offered_folder_starts_over() {
        assert_eq!(expand("/data/en//tmp/v.bin"), PathBuf::from("/tmp/v.bin"));
        assert_eq!(expand("/data/en/a//b//c"), PathBuf::from("/c"));
        if let Some(home) = std::env::var_os("HOME") {
            assert_eq!(expand("/data/en/~/v.bin"), Path::new(&home).join("v.bin"));
        }
        assert_eq!(expand("/data/en/v.bin"), PathBuf::from("/data/en/v.bin"));
        assert_eq!(expand("en/~x/v.bin"), PathBuf::from("en/~x/v.bin"));
    }
}
