//! The phrases view (part of `update`): sentences typed by the user, their sentence vectors
//! and the matrix of their pairwise cosines.
//!
//! The view takes the whole screen above the status line: a 12 × 12 matrix of signed
//! two-decimal cosines needs about 76 columns, more than any panel has at 80 × 24, and the
//! phrases do not depend on the focused word that the other panels show.
//!
//! Sentence vectors are the library's [`crate::query::sif`]: the plain mean of unit word
//! vectors or SIF weights, stopwords kept or dropped, the first principal component kept or
//! removed; the view says which. They are cheap (a few words × the dimension, for at most
//! [`MAX_SENTENCES`]), so they are computed here when a sentence or a setting changes, not on
//! a worker; the view only draws what is stored.
pub mod view;

use crate::query::sif::{self, Options, Probability, Weighting};
use crate::query::{similarity_matrix, Phrase};
use crate::tui::app::{App, Message, Panel};
use crate::tui::keymap::Command;
use crate::tui::panels::hits::moved;
use crate::tui::update::{info, set_focus};
use crossterm::event::{MouseEvent, MouseEventKind};

/// At most this many sentences.
pub const MAX_SENTENCES: usize = 12;

/// What the phrases view can be asked to change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PhrasesCmd {
    /// Open / close the view.
    Toggle,
    /// Add the typed sentence.
    Add,
    /// Remove the highlighted sentence.
    Remove,
    /// Plain mean ⇄ SIF weights.
    Weighting,
    /// Keep ⇄ drop English stopwords.
    Stopwords,
    /// Keep ⇄ remove the first principal component of the sentence vectors.
    RemovePc,
}

/// The state of the phrases view.
#[derive(Debug, Clone)]
pub struct PhrasesState {
    /// The sentence being typed.
    input: String,
    phrases: Vec<Phrase>,
    /// The weight of every token of every sentence.
    weights: Vec<Vec<f32>>,
    /// `matrix[i][j]`: cosine of phrases i and j (`None` when one has no vector).
    matrix: Vec<Vec<Option<f32>>>,
    /// How the sentence vectors are built.
    options: Options,
    /// Where SIF's word probabilities came from (None for the mean).
    probability: Option<Probability>,
    /// True when the first principal component was removed from the vectors shown.
    pc_removed: bool,
    /// The highlighted sentence.
    selected: usize,
    /// The panel to go back to when the view closes.
    back: Option<Panel>,
}

impl Default for PhrasesState {
    /// SIF weights, as `embx phrases` has by default.
    fn default() -> Self {
        PhrasesState {
            input: String::new(),
            phrases: Vec::new(),
            weights: Vec::new(),
            matrix: Vec::new(),
            options: Options {
                weighting: Weighting::Sif,
                ..Options::default()
            },
            probability: None,
            pc_removed: false,
            selected: 0,
            back: None,
        }
    }
}

impl PhrasesState {
    /// The sentence being typed.
    pub fn input(&self) -> &str {
        &self.input
    }
    /// The sentences with their vectors.
    pub fn phrases(&self) -> &[Phrase] {
        &self.phrases
    }
    /// The weights of the tokens of sentence `i` (empty when there is no such sentence).
    pub fn weights(&self, i: usize) -> &[f32] {
        self.weights.get(i).map_or(&[], Vec::as_slice)
    }
    /// `matrix()[i][j]`: cosine of sentences i and j (`None` when one has no vector).
    pub fn matrix(&self) -> &[Vec<Option<f32>>] {
        &self.matrix
    }
    /// The highlighted sentence.
    pub fn selected(&self) -> usize {
        self.selected
    }
    /// How the sentence vectors are built.
    pub fn options(&self) -> &Options {
        &self.options
    }
    /// What the vectors shown are, e.g. "SIF a=0.001, p(w) from the file's counts ·
    /// stopwords dropped · PC1 removed".
    pub fn weighting_note(&self) -> String {
        let o = &self.options;
        let mut parts = vec![match (o.weighting, self.probability) {
            (Weighting::Mean, _) => "plain mean".to_string(),
            (Weighting::Sif, Some(Probability::Counts)) => {
                format!("SIF a={}, p(w) from counts", o.a)
            }
            (Weighting::Sif, Some(Probability::Zipf)) => {
                format!("SIF a={}, p(w) from Zipf rank", o.a)
            }
            // Where p(w) comes from is known once the first sentence has been weighed.
            (Weighting::Sif, None) => format!("SIF a={}", o.a),
        }];
        parts.push(
            if o.drop_stopwords {
                "stopwords dropped"
            } else {
                "stopwords kept"
            }
            .into(),
        );
        parts.push(match (o.remove_pc, self.pc_removed) {
            (true, true) => "PC1 removed".into(),
            (true, false) => "PC1: nothing to remove".into(),
            (false, _) => "PC1 kept".into(),
        });
        parts.join(" · ")
    }
    /// The input line, for typing into.
    pub(crate) fn input_mut(&mut self) -> &mut String {
        &mut self.input
    }
    /// Moves the highlight by `delta` sentences, within the list.
    pub(crate) fn move_by(&mut self, delta: isize) {
        self.selected = moved(self.selected, delta, self.phrases.len());
    }
}

/// Carries out the phrases commands.
pub(crate) fn command(app: &mut App, c: PhrasesCmd) {
    match c {
        PhrasesCmd::Toggle => return toggle(app),
        PhrasesCmd::Add => return add(app),
        PhrasesCmd::Remove => return remove(app),
        _ => {}
    }
    let o = &mut app.phrases.options;
    match c {
        PhrasesCmd::Toggle | PhrasesCmd::Add | PhrasesCmd::Remove => {}
        PhrasesCmd::Weighting => {
            o.weighting = match o.weighting {
                Weighting::Mean => Weighting::Sif,
                Weighting::Sif => Weighting::Mean,
            }
        }
        PhrasesCmd::Stopwords => o.drop_stopwords = !o.drop_stopwords,
        PhrasesCmd::RemovePc => o.remove_pc = !o.remove_pc,
    }
    recompute(app);
    app.status = Some(info(&format!("phrases: {}", app.phrases.weighting_note())));
}

/// Opens the view (typing in its line) or closes it, back to the panel focused before.
fn toggle(app: &mut App) {
    if app.focus == Panel::Phrases {
        let back = app.phrases.back.take().unwrap_or(Panel::Search);
        crate::tui::update::return_to(app, back);
    } else {
        app.phrases.back = Some(app.focus);
        set_focus(app, Panel::Phrases);
        app.editing = true;
    }
}

/// The panel the view goes back to when it closes.
pub(crate) fn back(app: &App) -> Panel {
    app.phrases.back.unwrap_or(Panel::Search)
}

/// Adds the typed sentence to the list and recomputes the vectors and the matrix.
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
    let p = crate::query::phrase(space, &text);
    if app.phrases.phrases.len() >= MAX_SENTENCES {
        app.status = Some(error(&format!(
            "at most {MAX_SENTENCES} sentences: Esc, then d removes the highlighted one"
        )));
        return;
    }
    app.phrases.phrases.push(p);
    app.phrases.selected = app.phrases.phrases.len() - 1;
    app.phrases.input.clear();
    recompute(app);
    let Some(p) = app.phrases.phrases.last() else {
        return;
    };
    let unknown = p.unknown().len();
    app.status = Some(if p.vector.is_none() {
        error("no word of that sentence counts (unknown, or dropped stopwords): its similarities are blank")
    } else if unknown > 0 {
        info(&format!(
            "sentence added ({unknown} unknown words left out)"
        ))
    } else {
        info("sentence added")
    });
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
    if app.space.is_none() || app.phrases.phrases.is_empty() {
        return;
    }
    recompute(app);
}

/// The sentence vectors (all of them: the weights and the principal component depend on
/// every sentence shown) and their cosines, from the current space and options.
fn recompute(app: &mut App) {
    let s = &mut app.phrases;
    let Some(space) = &app.space else { return };
    let texts: Vec<&str> = s.phrases.iter().map(|p| p.text.as_str()).collect();
    let w = sif::weighted_phrases(space, &texts, &s.options);
    s.matrix = similarity_matrix(&w.phrases);
    s.phrases = w.phrases;
    s.weights = w.weights;
    s.probability = w.probability;
    s.pc_removed = w.pc_removed;
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
