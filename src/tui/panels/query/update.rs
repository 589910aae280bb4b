//! The analogy / expression panel's actions: running the line, taking in its answer,
//! switching the analogy method.
use crate::query::line::Outcome;
use crate::query::Method;
use crate::tui::app::App;
use crate::tui::requests::start;
use crate::tui::worker::JobKind;
use crate::tui::Effect;

/// Runs the input line (nothing for an empty line).
pub(crate) fn request(app: &mut App, fx: &mut Vec<Effect>) {
    let Some(space) = app.space.clone() else {
        return;
    };
    if app.query.input.trim().is_empty() {
        return;
    }
    if app.language_model.is_none()
        && crate::query::line::asks_next_word(&app.query.input)
        && app.train.run().is_some_and(|r| r.is_nnlm())
    {
        // The live view has the vectors only; the whole model comes when the run ends.
        let outcome = Outcome {
            asked: app.query.input.clone(),
            analogy: false,
            next_word: true,
            result: Err(crate::query::line::LineError {
                message: "the NNLM under training answers once its run ends (or x stops it)".into(),
                column: None,
            }),
        };
        app.query.sent_ngram = None;
        return done(app, outcome);
    }
    app.query.sent_method = app.query.method;
    let ngram = super::ngram::ready(app).filter(|_| app.query.use_ngram);
    app.query.sent_ngram = ngram.clone();
    let kind = JobKind::Query {
        space,
        model: app.language_model.clone(),
        ngram,
        line: app.query.input.clone(),
        method: app.query.method,
        k: app.neighbours.k(),
    };
    start(app, kind, fx);
}

/// The answer (or the error) of a line arrived (the caller has the scatter follow it).
pub(crate) fn done(app: &mut App, outcome: Outcome) {
    let q = &mut app.query;
    // The same line again (the vectors changed under training): keep the highlight.
    if outcome.asked != q.asked {
        q.list.highlight_first();
    }
    q.asked = outcome.asked;
    q.answer_method = q.sent_method;
    q.answer_ngram = q.sent_ngram.clone();
    q.analogy = outcome.analogy;
    q.next_word = outcome.next_word;
    match outcome.result {
        Ok(answer) => {
            q.list.set(answer);
            q.error = None;
        }
        Err(e) => {
            q.list.clear();
            q.error = Some(e);
        }
    }
}

/// 3CosAdd ⇄ 3CosMul; an analogy or expression on screen is asked again. On a next-word
/// line (with a language model): NNLM ⇄ N-gram model.
pub(crate) fn toggle_method(app: &mut App, fx: &mut Vec<Effect>) {
    if crate::query::line::asks_next_word(&app.query.input) {
        // A next-word line has no analogy method; with a language model, Ctrl-T picks it.
        if app.language_model.is_some() {
            return super::ngram::toggle(app, fx);
        }
        app.status = Some(crate::tui::update::info(
            "no language model here to switch: an NNLM's answers next-word lines, and the \
             N-gram model is counted beside it",
        ));
        return;
    }
    app.query.method = match app.query.method {
        Method::Add => Method::Mul,
        Method::Mul => Method::Add,
    };
    if app.query.asked == app.query.input {
        request(app, fx);
    }
}
