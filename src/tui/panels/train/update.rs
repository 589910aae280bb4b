//! The train panel's commands and prompt answers (part of `update`).
use super::control::{pause, save, start_run, stop};
use super::results::refresh_final;
use super::{error, Ctx, Field, Mode, Outcome, TrainCmd, TrainState, SAVE_FILE};
use crate::tui::app::Panel;
use crate::tui::files::PromptKind;
use crate::tui::update::info;

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
    // Continuing the open vectors is the first offer; a choice made since is kept. An NNLM's
    // vectors cannot be continued: the offer is a new NNLM.
    let mut corpus = String::new();
    if let Some(space) = cx.space.filter(|_| t.runs == 0 && !t.form.mode_chosen) {
        if trained_as_nnlm(space) {
            t.form.mode = Mode::Scratch;
            if t.form.config.nnlm.is_none() {
                t.form.config.nnlm = Some(crate::train::NnlmConfig::default());
            }
        } else {
            t.form.mode = Mode::Continue;
            corpus = offer_recorded(t, space, cx);
        }
    }
    // The watch words as the open vectors have them, to compare with once training runs.
    if t.watch.is_empty() && !t.is_active() {
        refresh_final(t, cx);
    }
    if t.shows_form() && t.form.corpus.is_empty() {
        t.selected = 0;
        cx.ask(PromptKind::TrainField(Field::Corpus), corpus);
    }
    Outcome::Focus(Panel::Train)
}

/// Vectors `embx train` made are continued the way they were trained: an untouched form takes
/// the settings their metadata records (the threads stay this machine's), and the corpus
/// prompt starts from the files they were trained on (returned, joined by spaces).
fn offer_recorded(t: &mut TrainState, space: &crate::Space, cx: &mut Ctx) -> String {
    let untouched = t.form.corpus.is_empty() && t.form.config == crate::train::Config::default();
    let recorded = space.source().metadata.as_deref();
    let Some(then) = recorded
        .and_then(crate::train::recorded)
        .filter(|_| untouched)
    else {
        return String::new();
    };
    let threads = t.form.config.threads;
    t.form.config = crate::train::Config {
        threads,
        ..then.config
    };
    cx.say(info(&format!(
        "the form holds the settings {} was trained with",
        cx.name
    )));
    let files: Vec<String> = then
        .corpus
        .iter()
        .map(|p| p.display().to_string())
        .collect();
    files.join(" ")
}

/// Whether `space` was trained as an NNLM (its metadata says so).
fn trained_as_nnlm(space: &crate::Space) -> bool {
    let meta = space.source().metadata.as_deref();
    meta.and_then(crate::train::recorded_model).as_deref() == Some("nnlm")
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
        if t.form.config.nnlm.is_some() && t.form.mode == Mode::Continue {
            t.form.mode = Mode::Scratch;
            t.form.mode_chosen = true;
            cx.say(info(
                "the NNLM trains from scratch: continuing is for skip-gram and CBOW",
            ));
        }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::app::{Jobs, Message};
    use crate::tui::files::Prompt;
    use crate::tui::Effect;

    /// The shared context's pieces, owned by the test.
    #[derive(Default)]
    struct Shared {
        jobs: Jobs,
        status: Option<Message>,
        prompt: Option<Prompt>,
        status_while: Option<(Message, crate::tui::app::While)>,
        fx: Vec<Effect>,
    }

    impl Shared {
        fn cx(&mut self, focus: Panel) -> Ctx<'_> {
            Ctx {
                space: None,
                name: "test",
                focus,
                jobs: &mut self.jobs,
                status: &mut self.status,
                status_while: &mut self.status_while,
                prompt: &mut self.prompt,
                fx: &mut self.fx,
            }
        }
    }

    #[test]
    fn toggle_hands_the_focus_back_and_asks_for_a_corpus() {
        let (mut t, mut s) = (TrainState::default(), Shared::default());
        let out = command(&mut t, &mut s.cx(Panel::Neighbours), TrainCmd::Toggle);
        assert!(matches!(out, Some(Outcome::Focus(Panel::Train))), "{out:?}");
        let kind = s.prompt.as_ref().map(|p| p.kind);
        assert_eq!(kind, Some(PromptKind::TrainField(Field::Corpus)));
        assert_eq!(t.selected_field(), Field::Corpus);
        // Nothing is open: no watch words to refresh, no job.
        assert!(s.fx.is_empty());
        let out = command(&mut t, &mut s.cx(Panel::Train), TrainCmd::Toggle);
        assert!(
            matches!(out, Some(Outcome::Focus(Panel::Neighbours))),
            "{out:?}"
        );
        assert_eq!(t.back(), Panel::Search, "the way back is used once");
    }

    /// A space trained on a tiny corpus with `nnlm` or skip-gram (its metadata says which).
    fn trained(nnlm: bool) -> crate::Space {
        let text = "a b c d e f\n".repeat(40);
        let corpus = crate::train::Corpus::from_text(&text, Default::default());
        let config = crate::train::Config {
            nnlm: nnlm.then(crate::train::NnlmConfig::default),
            dim: 8,
            min_count: 1,
            epochs: 1,
            threads: 1,
            ..Default::default()
        };
        let monitor = crate::train::Monitor::new();
        crate::train::train(&corpus, &config, &monitor)
            .unwrap()
            .space
    }

    #[test]
    fn an_nnlm_is_trained_anew_not_continued() {
        // The panel opened over `space`.
        let opened = |space: &crate::Space| {
            let (mut t, mut s) = (TrainState::default(), Shared::default());
            let mut cx = s.cx(Panel::Neighbours);
            cx.space = Some(space);
            command(&mut t, &mut cx, TrainCmd::Toggle);
            (t, s)
        };
        // Vectors of an NNLM: the offer is a new NNLM.
        let (t, _) = opened(&trained(true));
        assert_eq!(t.form.mode, Mode::Scratch);
        assert!(t.form.config.nnlm.is_some());
        // Skip-gram's: continuing them is offered; choosing the NNLM starts from scratch.
        let (mut t, mut s) = opened(&trained(false));
        assert_eq!(t.form.mode, Mode::Continue);
        t.selected = Field::ALL.iter().position(|&f| f == Field::Model).unwrap();
        while t.form.config.nnlm.is_none() {
            command(&mut t, &mut s.cx(Panel::Train), TrainCmd::Activate);
        }
        assert_eq!(t.form.mode, Mode::Scratch);
        let said = s
            .status
            .as_ref()
            .map(|m| m.text.clone())
            .unwrap_or_default();
        assert!(said.contains("from scratch"), "{said}");
    }

    #[test]
    fn commands_without_a_run_or_a_corpus_say_why_and_start_nothing() {
        let (mut t, mut s) = (TrainState::default(), Shared::default());
        assert!(command(&mut t, &mut s.cx(Panel::Train), TrainCmd::Start).is_none());
        assert!(s
            .status
            .as_ref()
            .is_some_and(|m| m.error && m.text.contains("corpus")));
        command(&mut t, &mut s.cx(Panel::Train), TrainCmd::Pause);
        assert!(s
            .status
            .as_ref()
            .is_some_and(|m| m.text.contains("nothing is training")));
        prompt_accepted(
            &mut t,
            &mut s.cx(Panel::Train),
            PromptKind::SaveTrained,
            "x.fifu",
        );
        assert!(s
            .status
            .as_ref()
            .is_some_and(|m| m.text == "nothing to save"));
        assert!(s.fx.is_empty() && t.phase() == &super::super::Phase::Idle);
    }

    #[test]
    fn a_bad_value_keeps_the_form_and_says_why() {
        let (mut t, mut s) = (TrainState::default(), Shared::default());
        let kind = PromptKind::TrainField(Field::Epochs);
        prompt_accepted(&mut t, &mut s.cx(Panel::Train), kind, "0");
        assert!(s.status.as_ref().is_some_and(|m| m.error), "{:?}", s.status);
        assert_eq!(
            t.form().config().epochs,
            crate::train::Config::default().epochs
        );
        prompt_accepted(&mut t, &mut s.cx(Panel::Train), kind, "3");
        assert_eq!(t.form().config().epochs, 3);
    }
}
