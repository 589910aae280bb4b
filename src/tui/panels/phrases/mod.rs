//! The phrases view (part of `update`): sentences typed by the user, their phrase vectors and
//! the matrix of their pairwise cosines.
//!
//! The view takes the whole screen above the status line: a 12 × 12 matrix of signed
//! two-decimal cosines needs about 76 columns, more than any panel has at 80 × 24, and the
//! phrases do not depend on the focused word that the other panels show.
//!
//! Phrase vectors are cheap (a few words × the dimension), so they are computed here, when a
//! sentence is added, not on a worker; the view only draws what is stored.
pub mod view;

use crate::query::{phrase, similarity_matrix, Phrase};
use crate::tui::app::{App, Message, Panel};
use crate::tui::keymap::Command;
use crate::tui::update::{info, set_focus};
use crossterm::event::{MouseEvent, MouseEventKind};

/// At most this many sentences.
pub const MAX_SENTENCES: usize = 12;

/// The state of the phrases view.
#[derive(Debug, Clone, Default)]
pub struct PhrasesState {
    /// The sentence being typed.
    pub input: String,
    pub phrases: Vec<Phrase>,
    /// `matrix[i][j]`: cosine of phrases i and j (`None` when one has no vector).
    pub matrix: Vec<Vec<Option<f32>>>,
    /// The highlighted sentence.
    pub selected: usize,
    /// The panel to go back to when the view closes.
    pub back: Option<Panel>,
}

impl PhrasesState {
    /// Moves the highlight by `delta` sentences, within the list.
    pub(crate) fn move_by(&mut self, delta: isize) {
        self.selected = super::search::moved(self.selected, delta, self.phrases.len());
    }
}

/// Carries out the phrases commands.
pub(crate) fn command(app: &mut App, c: Command) {
    match c {
        Command::TogglePhrases => toggle(app),
        Command::AddPhrase => add(app),
        Command::RemovePhrase => remove(app),
        _ => {}
    }
}

/// Opens the view (typing in its line) or closes it, back to the panel focused before.
fn toggle(app: &mut App) {
    if app.focus == Panel::Phrases {
        let back = app.phrases.back.take().unwrap_or(Panel::Search);
        set_focus(app, back);
    } else {
        app.phrases.back = Some(app.focus);
        set_focus(app, Panel::Phrases);
        app.editing = true;
    }
}

/// Adds the typed sentence to the list and recomputes the matrix.
fn add(app: &mut App) {
    let text = app.phrases.input.trim().to_string();
    if text.is_empty() {
        app.status = Some(info("type a sentence first"));
        return;
    }
    let Some(space) = &app.space else {
        app.status = Some(error("no vectors loaded yet"));
        return;
    };
    if app.phrases.phrases.len() >= MAX_SENTENCES {
        app.status = Some(error(&format!(
            "at most {MAX_SENTENCES} sentences: Esc, then d removes the highlighted one"
        )));
        return;
    }
    let p = phrase(space, &text);
    let unknown = p.unknown().len();
    app.status = Some(if p.vector.is_none() {
        error("no word of that sentence has a vector: its similarities are blank")
    } else if unknown > 0 {
        info(&format!(
            "sentence added ({unknown} unknown words left out)"
        ))
    } else {
        info("sentence added")
    });
    app.phrases.phrases.push(p);
    app.phrases.selected = app.phrases.phrases.len() - 1;
    app.phrases.input.clear();
    recompute(app);
}

/// Removes the highlighted sentence.
fn remove(app: &mut App) {
    let s = &mut app.phrases;
    if s.selected >= s.phrases.len() {
        return;
    }
    s.phrases.remove(s.selected);
    s.selected = s.selected.min(s.phrases.len().saturating_sub(1));
    recompute(app);
}

/// The vectors changed (a training snapshot): each sentence's vector and the matrix again.
pub(crate) fn refresh(app: &mut App) {
    let Some(space) = &app.space else { return };
    if app.phrases.phrases.is_empty() {
        return;
    }
    let fresh = app
        .phrases
        .phrases
        .iter()
        .map(|p| phrase(space, &p.text))
        .collect();
    app.phrases.phrases = fresh;
    recompute(app);
}

fn recompute(app: &mut App) {
    app.phrases.matrix = similarity_matrix(&app.phrases.phrases);
}

fn error(text: &str) -> Message {
    Message {
        text: text.to_string(),
        error: true,
    }
}

/// Mouse input while the view is open: the wheel moves the highlight, a click types.
pub(crate) fn mouse(app: &mut App, ev: &MouseEvent) -> Vec<Command> {
    match ev.kind {
        MouseEventKind::ScrollDown => vec![Command::Down],
        MouseEventKind::ScrollUp => vec![Command::Up],
        MouseEventKind::Down(_) => {
            app.editing = true;
            Vec::new()
        }
        _ => Vec::new(),
    }
}
