//! The N-gram model beside the language model: on a next-word line (`the united _`) the
//! method key switches between the NNLM's next words and those of a Kneser-Ney model counted
//! in the corpus the NNLM was trained on (counted on a worker the first time it is asked for,
//! then kept while that language model is in use).
use super::update::request;
use crate::jobs::Progress;
use crate::train::nnlm::{Counted, LanguageModel};
use crate::tui::app::App;
use crate::tui::requests::{alert, start};
use crate::tui::update::info;
use crate::tui::worker::JobKind;
use crate::tui::Effect;
use std::sync::Arc;

/// The N-gram model of one language model.
#[derive(Debug, Clone)]
pub enum Ngram {
    /// Being counted (with its progress).
    Counting(Arc<LanguageModel>, Arc<Progress>),
    /// Counted.
    Ready(Arc<LanguageModel>, Arc<Counted>),
}

impl Ngram {
    fn model(&self) -> &Arc<LanguageModel> {
        match self {
            Ngram::Counting(m, _) | Ngram::Ready(m, _) => m,
        }
    }
}

/// The N-gram model counted for the language model in use, when there is one.
pub fn ready(app: &App) -> Option<Arc<Counted>> {
    match (&app.query.ngram, &app.language_model) {
        (Some(Ngram::Ready(of, c)), Some(m)) if Arc::ptr_eq(of, m) => Some(c.clone()),
        _ => None,
    }
}

/// Lets go of an N-gram model counted for a language model no longer in use (its rows meant
/// other words).
pub(crate) fn forget_stale(app: &mut App) {
    let current = match (&app.query.ngram, &app.language_model) {
        (Some(n), Some(m)) => Arc::ptr_eq(n.model(), m),
        _ => false,
    };
    if !current {
        app.query.ngram = None;
        app.query.use_ngram = false;
    }
}

/// "counting n-grams 40%" while the model is being counted for the language model in use.
pub fn counting(app: &App) -> Option<String> {
    match (&app.query.ngram, &app.language_model) {
        (Some(Ngram::Counting(of, p)), Some(m)) if Arc::ptr_eq(of, m) => {
            let s = p.snapshot();
            Some(match (s.done * 100).checked_div(s.total) {
                Some(pct) => format!("counting n-grams {}%", pct.min(100)),
                None => "counting n-grams…".into(),
            })
        }
        _ => None,
    }
}

/// What answers next-word lines, for the panel's title: "NNLM", "5-gram" or "N-gram" (not
/// counted yet).
pub fn chosen(app: &App) -> String {
    if !app.query.use_ngram {
        return "NNLM".into();
    }
    match ready(app) {
        Some(c) => format!("{}-gram", c.order),
        None => "N-gram".into(),
    }
}

/// NNLM ⇄ N-gram model for next-word lines. The first switch to the N-gram model counts it;
/// a next-word answer on screen is asked again.
pub(crate) fn toggle(app: &mut App, fx: &mut Vec<Effect>) {
    let Some(model) = app.language_model.clone() else {
        return;
    };
    app.query.use_ngram = !app.query.use_ngram;
    let counting =
        matches!(&app.query.ngram, Some(n @ Ngram::Counting(..)) if Arc::ptr_eq(n.model(), &model));
    if app.query.use_ngram && ready(app).is_none() && !counting {
        let vectors = app
            .space
            .as_ref()
            .map(|s| s.source().path.clone())
            .unwrap_or_default();
        let kind = JobKind::Count {
            model: model.clone(),
            vectors,
        };
        let progress = start(app, kind, fx);
        app.query.ngram = Some(Ngram::Counting(model, progress));
        app.status = Some(info(
            "the N-gram model answers once it is counted in the corpus the NNLM was trained on",
        ));
        return;
    }
    let which = if app.query.use_ngram {
        "the N-gram model"
    } else {
        "the NNLM"
    };
    app.status = Some(info(&format!("next words from {which}")));
    if app.query.next_word && app.query.answers_input() {
        request(app, fx);
    }
}

/// The N-gram model counted for `model` arrived (dropped when another language model is in use
/// by now).
pub(crate) fn done(
    app: &mut App,
    model: Arc<LanguageModel>,
    result: crate::error::Result<Counted>,
    fx: &mut Vec<Effect>,
) {
    if !app
        .language_model
        .as_ref()
        .is_some_and(|m| Arc::ptr_eq(m, &model))
    {
        return;
    }
    match result {
        Ok(counted) => {
            let total: usize = counted.kn.sizes().iter().sum();
            let text = match counted.warnings().first() {
                Some(w) => format!("warning: {w}"),
                None => format!(
                    "Kneser-Ney {}-gram model counted in {} ({} n-grams)",
                    counted.order,
                    counted.corpus_names(),
                    crate::text::thousands(total)
                ),
            };
            app.status = Some(info(&text));
            app.query.ngram = Some(Ngram::Ready(model, Arc::new(counted)));
            let q = &app.query;
            if q.use_ngram && q.next_word && q.answers_input() {
                request(app, fx);
            }
        }
        Err(e) => {
            app.query.ngram = None;
            app.query.use_ngram = false;
            alert(
                app,
                "no N-gram model".into(),
                format!(
                    "{e}.\n\nThe N-gram model beside the NNLM is counted in the corpus the NNLM \
                     was trained on. `embx predict FILE --ngram=CORPUS` counts it in another \
                     text."
                ),
            );
        }
    }
}
