//! A small deterministic space and key helpers for the explorer tests (built with the
//! shared fixture builders of `tests/support`).
#![allow(dead_code)]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test code: a failed unwrap is a failed test"
)]
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use embx::tui::{drive, Action, App, Source};
use embx::Space;

/// Sixteen words in frequency order; dimensions: royalty, male, female, city, country,
/// China, Japan, fruit.
pub const ROWS: &[(&str, [f32; 8])] = &[
    ("the", [1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0]),
    ("king", [5.0, 3.0, 0.0, 0.0, 0.5, 0.0, 0.0, 0.0]),
    ("queen", [5.0, 0.0, 3.0, 0.0, 0.5, 0.0, 0.0, 0.0]),
    ("man", [0.5, 3.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.2]),
    ("woman", [0.5, 0.0, 3.0, 0.0, 0.0, 0.0, 0.0, 0.2]),
    ("prince", [3.0, 3.0, 0.0, 0.0, 0.3, 0.0, 0.0, 1.5]),
    ("princess", [3.0, 0.0, 3.0, 0.0, 0.3, 0.0, 0.0, 1.5]),
    ("kingdom", [2.0, 0.5, 0.0, 0.0, 3.0, 0.0, 0.0, 0.0]),
    ("paris", [0.0, 0.0, 0.0, 4.0, 0.5, 0.0, 0.0, 0.3]),
    ("france", [0.0, 0.0, 0.0, 0.5, 4.0, 0.0, 0.0, 0.3]),
    ("北京", [0.0, 0.0, 0.0, 4.0, 0.5, 3.0, 0.0, 0.0]),
    ("中国", [0.0, 0.0, 0.0, 0.5, 4.0, 3.0, 0.0, 0.0]),
    ("东京", [0.0, 0.0, 0.0, 4.0, 0.5, 0.0, 3.0, 0.0]),
    ("日本", [0.0, 0.0, 0.0, 0.5, 4.0, 0.0, 3.0, 0.0]),
    ("apple", [0.0, 0.0, 0.0, 0.0, 0.0, 0.2, 0.0, 4.0]),
    ("tab\tword", [-1.0, -0.5, 0.2, -2.0, 0.1, 0.0, -0.3, 1.0]),
];

pub fn space() -> Space {
    let words: Vec<&str> = ROWS.iter().map(|(w, _)| *w).collect();
    let data = ROWS.iter().flat_map(|(_, v)| v.iter().copied()).collect();
    crate::support::space_from("tiny.txt", &words, 8, data)
}

pub fn row(word: &str) -> u32 {
    ROWS.iter().position(|(w, _)| *w == word).unwrap() as u32
}

/// An explorer with the test space loaded (no colours), jobs run synchronously, as it
/// starts: typing in the search box.
pub fn fresh_app() -> App {
    let mut app = App::new("tiny.txt", false);
    drive(&mut app, Action::Load(Source::Ready(space())));
    app
}

/// [`fresh_app`] after Esc left the search box, so keys are commands (the scripts of most
/// tests start from there).
pub fn app() -> App {
    let mut app = fresh_app();
    drive(&mut app, key(KeyCode::Esc));
    app
}

pub fn key(code: KeyCode) -> Action {
    Action::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

pub fn ctrl(c: char) -> Action {
    Action::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL))
}

/// Presses `code`; returns true when the app asked to quit.
pub fn press(app: &mut App, code: KeyCode) -> bool {
    drive(app, key(code))
}

pub fn typed(app: &mut App, text: &str) {
    for c in text.chars() {
        drive(app, key(KeyCode::Char(c)));
    }
}

/// The words of the neighbour list, best first.
pub fn neighbour_words(app: &App) -> Vec<String> {
    app.neighbours
        .answer()
        .as_ref()
        .map(|a| {
            a.hits
                .iter()
                .map(|h| app.word(h.index).to_string())
                .collect()
        })
        .unwrap_or_default()
}

/// The words of the scatter's layout, in its order.
pub fn scatter_words(app: &App) -> Vec<String> {
    let fit = app.scatter.fit().expect("a layout");
    fit.items()
        .iter()
        .map(|it| app.word(it.row).to_string())
        .collect()
}

/// Sets a row of the train panel's form as a user does: the highlight moves to the row,
/// Enter opens its prompt, Ctrl-U clears it, the value is typed and Enter accepts it. The
/// panel must be in front with no prompt open.
pub fn set_train_field(app: &mut App, field: embx::tui::panels::train::Field, value: &str) {
    use embx::tui::panels::train::{Field, TrainCmd};
    use embx::tui::Command;
    let at = |f: Field| Field::ALL.iter().position(|&g| g == f).unwrap();
    assert_eq!(app.focus, embx::tui::Panel::Train);
    assert!(app.prompt.is_none(), "a prompt is open");
    while app.train.selected_field() != field {
        let up = at(field) < at(app.train.selected_field());
        drive(
            app,
            Action::Command(if up { Command::Up } else { Command::Down }),
        );
    }
    drive(app, Action::Command(Command::Train(TrainCmd::Activate)));
    assert!(app.prompt.is_some(), "{field:?} has no prompt");
    drive(app, ctrl('u'));
    typed(app, value);
    press(app, KeyCode::Enter);
    assert!(app.prompt.is_none());
}

/// The explorer's screen at `w` × `h`, drawn with ratatui's `TestBackend`, one line per row.
pub fn screen(app: &App, w: u16, h: u16) -> String {
    let mut t = ratatui::Terminal::new(ratatui::backend::TestBackend::new(w, h)).unwrap();
    t.draw(|f| embx::tui::ui::render(f, app)).unwrap();
    let buf = t.backend().buffer().clone();
    (0..h)
        .map(|y| (0..w).map(|x| buf[(x, y)].symbol()).collect::<String>())
        .collect::<Vec<_>>()
        .join("\n")
}
