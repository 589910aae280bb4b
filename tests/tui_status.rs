//! The status line tells the truth: one message per state (no "paused … · paused"), "q again
//! quits" goes once the run is no longer about to be dropped, "added 6 words" goes with the
//! selection. Driven through `update` (with the real worker for training) and drawn on
//! TestBackend.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test code: a failed unwrap is a failed test"
)]
mod support;
mod tui_support;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use embx::tui::panels::train::{Field, Phase, TrainCmd};
use embx::tui::worker::Worker;
use embx::tui::{drive, ui, update, Action, App, Command, Effect};
use ratatui::backend::TestBackend;
use ratatui::Terminal;
use std::sync::mpsc::Receiver;
use std::time::{Duration, Instant};
use tui_support::*;

fn status_line(app: &App, w: u16) -> String {
    let mut t = Terminal::new(TestBackend::new(w, 24)).unwrap();
    t.draw(|f| ui::render(f, app)).unwrap();
    let buf = t.backend().buffer().clone();
    (0..w).map(|x| buf[(x, 23)].symbol()).collect()
}

fn message(app: &App) -> String {
    app.status
        .as_ref()
        .map(|m| m.text.clone())
        .unwrap_or_default()
}

#[test]
fn added_words_go_with_the_selection() {
    let dir = tempfile::tempdir().unwrap();
    let list = support::write(dir.path(), "words.txt", "king\nqueen\nparis\n");
    let mut app = app();
    press(&mut app, KeyCode::Char('L'));
    drive(&mut app, ctrl('u'));
    typed(&mut app, list.to_str().unwrap());
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.selection.len(), 3);
    assert!(message(&app).contains("added 3 words"), "{}", message(&app));
    assert!(status_line(&app, 120).contains("added 3 words"));
    // Moving about keeps it (still true) …
    press(&mut app, KeyCode::Down);
    assert!(message(&app).contains("added 3 words"));
    // … clearing the selection takes it away.
    press(&mut app, KeyCode::Char('x'));
    assert!(app.selection.is_empty());
    assert!(
        !status_line(&app, 120).contains("added"),
        "{}",
        message(&app)
    );
    // The centroid note lasts while the selection is empty.
    press(&mut app, KeyCode::Char('c'));
    assert!(message(&app).contains("selection is empty"));
    press(&mut app, KeyCode::Char(' '));
    assert_eq!(app.selection.len(), 1);
    assert!(
        !message(&app).contains("selection is empty"),
        "{}",
        message(&app)
    );
}

/// A message that only informs goes at the next key, so the key hints come back; an error
/// stays until something replaces it.
#[test]
fn a_note_goes_at_the_next_key_and_an_error_stays() {
    let mut app = app();
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Char(' '));
    press(&mut app, KeyCode::Char('x'));
    assert!(message(&app).contains("selection cleared"));
    press(&mut app, KeyCode::Down);
    assert_eq!(message(&app), "");
    assert!(status_line(&app, 120).contains("q quit"));
    app.status = Some(embx::tui::Message {
        text: "something failed".into(),
        error: true,
    });
    press(&mut app, KeyCode::Down);
    assert!(message(&app).contains("something failed"));
}

/// The explorer with the real worker (training runs on threads).
struct Live {
    worker: Worker,
    results: Receiver<Action>,
}

impl Live {
    fn apply(&mut self, app: &mut App, action: Action) -> bool {
        let mut quit = false;
        for effect in update(app, action) {
            match effect {
                Effect::Run(job) => self.worker.submit(job),
                Effect::Quit => quit = true,
            }
        }
        quit
    }

    fn key(&mut self, app: &mut App, code: KeyCode) -> bool {
        self.apply(app, Action::Key(KeyEvent::new(code, KeyModifiers::NONE)))
    }

    fn until(&mut self, app: &mut App, what: &str, done: impl Fn(&App) -> bool) {
        let start = Instant::now();
        while !done(app) {
            assert!(
                start.elapsed() < Duration::from_secs(60),
                "timed out: {what}"
            );
            let results: Vec<Action> = self.results.try_iter().collect();
            for a in results {
                self.apply(app, a);
            }
            self.apply(app, Action::Tick);
            std::thread::sleep(Duration::from_millis(5));
        }
    }
}

#[test]
fn paused_is_said_once_and_q_again_goes_after_another_key() {
    let dir = tempfile::tempdir().unwrap();
    let line = "the king and the queen rule the land and the city of paris\n";
    let corpus = support::write(dir.path(), "corpus.txt", line.repeat(3000));
    let mut app = App::new("tiny", false);
    drive(&mut app, Action::Command(Command::Train(TrainCmd::Toggle)));
    app.prompt.as_mut().unwrap().input = corpus.display().to_string();
    drive(&mut app, Action::Command(Command::PromptAccept));
    for (field, value) in [
        (Field::Dim, "8"),
        (Field::MinCount, "1"),
        (Field::Sample, "0"),
        (Field::Epochs, "5000"),
        (Field::Threads, "1"),
    ] {
        set_train_field(&mut app, field, value);
    }
    let (worker, results) = Worker::new();
    let mut live = Live { worker, results };
    live.apply(&mut app, Action::Command(Command::Train(TrainCmd::Start)));
    live.until(&mut app, "training with a space", |a| {
        a.space.is_some() && a.train.seen().is_some_and(|s| s.done > 0)
    });
    live.key(&mut app, KeyCode::Char(' '));
    assert_eq!(app.train.phase(), &Phase::Paused);
    // Back to the panels: the training note says "paused", the message does not again.
    live.key(&mut app, KeyCode::Esc);
    live.apply(&mut app, Action::Tick);
    let line = status_line(&app, 120);
    assert_eq!(line.matches("paused").count(), 1, "{line}");
    assert!(line.contains("Space resumes"), "{line}");
    // q once arms (out of the search box, which has the focus again); any other key
    // disarms, and the message goes with it.
    live.key(&mut app, KeyCode::Esc);
    assert!(!live.key(&mut app, KeyCode::Char('q')));
    assert!(message(&app).contains("q again quits"));
    assert!(status_line(&app, 120).contains("q again quits"));
    live.key(&mut app, KeyCode::Char('t'));
    assert_eq!(app.focus, embx::tui::Panel::Train);
    assert!(!message(&app).contains("q again"), "{}", message(&app));
    // Resume, arm again, resume-and-pause: the message is gone after the other key.
    live.key(&mut app, KeyCode::Char(' '));
    assert_eq!(app.train.phase(), &Phase::Running);
    assert!(!live.key(&mut app, KeyCode::Char('q')));
    assert!(message(&app).contains("q again quits"));
    live.apply(&mut app, Action::Tick);
    assert!(
        message(&app).contains("q again quits"),
        "a tick is not a key"
    );
    live.key(&mut app, KeyCode::Char(' '));
    assert!(!status_line(&app, 120).contains("q again"));
    // q twice quits.
    assert!(!live.key(&mut app, KeyCode::Char('q')));
    assert!(live.key(&mut app, KeyCode::Char('q')));
}
