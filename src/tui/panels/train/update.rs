//! The train panel's commands and prompt answers (part of `update`).
use super::control::{pause, save, start_run, stop};
use super::results::refresh_final;
use super::{error, Ctx, Field, Mode, Outcome, TrainCmd, TrainState, SAVE_FILE};
use crate::tui::app::Panel;
use crate::tui::files::PromptKind;
use crate::tui::update::info;

pub(crate) use super::control::saved;

/// Carries out a train command.
pub(crate) fn command(t: &mut TrainState, cx: &mut Ctx, c: TrainCmd) -> Option<Outcome> {
    match c {
        TrainCmd::Toggle => return Some(toggle(t, cx)),
        TrainCmd::Activate => activate(t, cx),
        TrainCmd::Start => start_run(t, cx),
        TrainCmd::Pause => pause(t, cx),
        TrainCmd::Stop => stop(t, cx),
        TrainCmd::Save => {
            let default = t.output.clone().or(t.saved.clone());
            let default = default.map_or(SAVE_FILE.into(), |p| p.display().to_string());
            cx.ask(PromptKind::SaveTrained, default);
        }
        TrainCmd::Watch => {
            let words: Vec<&str> = t.watch.iter().map(|r| r.word.as_str()).collect();
            let words = words.join(" ");
            cx.ask(PromptKind::WatchWords, words);
        }
        TrainCmd::Refit => {
            t.basis = None;
            t.refit = true;
            cx.say(info(
                "the scatter plane is fitted again at the next refresh",
            ));
            if !t.is_active() {
                refresh_final(t, cx);
            }
        }
    }
    None
}

/// Opens the panel (asking for a corpus first when there is none), or goes back.
fn toggle(t: &mut TrainState, cx: &mut Ctx) -> Outcome {
    if cx.focus == Panel::Train {
        let back = t.back.take().unwrap_or(Panel::Search);
        return Outcome::Focus(back);
    }
    t.back = Some(cx.focus);
    if cx.space.is_some() && t.runs == 0 && t.form.corpus.is_empty() {
        t.form.mode = Mode::Continue;
    }
    // The watch words as the open vectors have them, to compare with once training runs.
    if t.watch.is_empty() && !t.is_active() {
        refresh_final(t, cx);
    }
    if t.shows_form() && t.form.corpus.is_empty() {
        t.selected = 0;
        cx.ask(PromptKind::TrainField(Field::Corpus), String::new());
    }
    Outcome::Focus(Panel::Train)
}

fn activate(t: &mut TrainState, cx: &mut Ctx) {
    if !t.shows_form() {
        return;
    }
    let field = t.selected_field();
    if field == Field::Start {
        start_run(t, cx);
    } else if field.is_toggle() {
        t.form.toggle(field);
    } else if field == Field::Dim && t.form.mode == Mode::Continue {
        cx.say(info(
            "a continued run keeps the dimensions of the open vectors",
        ));
    } else {
        let raw = t.form.raw(field);
        cx.ask(PromptKind::TrainField(field), raw);
    }
}

/// The prompt of a train kind was accepted with `text`.
pub(crate) fn prompt_accepted(t: &mut TrainState, cx: &mut Ctx, kind: PromptKind, text: &str) {
    match kind {
        PromptKind::TrainField(field) => match t.form.set(field, text) {
            Ok(()) if field == Field::Corpus && !text.trim().is_empty() => {
                // Next: the hyperparameters, or start right away.
                t.selected = Field::ALL.len() - 1;
                cx.say(info(
                    "Enter or s starts training · ↑↓ Enter change a setting",
                ));
            }
            Ok(()) => {}
            Err(e) => cx.say(error(&e)),
        },
        PromptKind::WatchWords => {
            t.watch_words = text.split_whitespace().map(str::to_string).collect();
            t.watch_chosen = !t.watch_words.is_empty();
            t.basis = None;
            t.refit = true;
            cx.say(info(if t.watch_words.is_empty() {
                "watching the default words"
            } else {
                "watch words changed"
            }));
            if !t.is_active() {
                refresh_final(t, cx);
            }
        }
        PromptKind::SaveTrained => save(t, cx, text.trim()),
        _ => {}
    }
}
