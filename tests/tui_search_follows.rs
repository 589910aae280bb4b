//! Issue 12, items 3 and 8: fuzzy search forgives typos, through `update` as a user types;
//! and after train-in-place grows the vocabulary, the search list and its counts follow the
//! space: the title counts the grown vocabulary, and its new words are found.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test code: a failed unwrap is a failed test"
)]
mod support;
mod tui_support;

use crossterm::event::KeyCode;
use embx::tui::panels::train::{Field, TrainCmd};
use embx::tui::{drive, Action, App, Command, Panel};
use tui_support::*;

fn hit_words(app: &App) -> Vec<String> {
    let hits = app.search.hits().iter();
    hits.map(|&r| app.word(r).to_string()).collect()
}

#[test]
fn fuzzy_search_forgives_a_typo() {
    let mut app = fresh_app();
    // Ctrl-T: prefix → substring → regex → fuzzy.
    for _ in 0..3 {
        drive(&mut app, ctrl('t'));
    }
    assert_eq!(app.search.mode().name(), "fuzzy");
    typed(&mut app, "kingg");
    assert_eq!(hit_words(&app)[0], "king");
    drive(&mut app, ctrl('u'));
    typed(&mut app, "qeen");
    assert_eq!(hit_words(&app)[0], "queen");
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.focused, Some(row("queen")));
    // Prefix search stays exact while something matches; a typo that matches nothing shows
    // the closest spellings, and the title says so.
    drive(&mut app, ctrl('t'));
    drive(&mut app, ctrl('u'));
    typed(&mut app, "kin");
    assert!(!app.search.closest());
    assert!(hit_words(&app).iter().all(|w| w.starts_with("kin")));
    typed(&mut app, "gg");
    assert!(app.search.closest());
    assert_eq!(hit_words(&app)[0], "king");
    assert!(screen(&app, 80, 24).contains("closest spellings"));
}

#[test]
fn the_search_follows_a_vocabulary_grown_by_training() {
    let dir = tempfile::tempdir().unwrap();
    // The test space's words and eight it lacks (crown, throne, …).
    let topic = [
        "king", "queen", "prince", "crown", "throne", "royal", "palace", "paris", "street",
        "market", "river", "france",
    ];
    let mut text = String::new();
    for s in 0..300usize {
        let words: Vec<&str> = (0..10)
            .map(|i| topic[(s * 7 + i * 5) % topic.len()])
            .collect();
        text.push_str(&words.join(" "));
        text.push('\n');
    }
    let corpus = dir.path().join("corpus.txt");
    std::fs::write(&corpus, text).unwrap();

    let mut app = app();
    let before = app.space.as_ref().unwrap().len();
    assert_eq!(app.search.total(), before);
    assert!(screen(&app, 120, 40).contains(&format!("{before} of {before}")));
    drive(&mut app, Action::Command(Command::Train(TrainCmd::Toggle)));
    app.prompt.as_mut().unwrap().input = corpus.display().to_string();
    drive(&mut app, Action::Command(Command::PromptAccept));
    set_train_field(&mut app, Field::MinCount, "1");
    set_train_field(&mut app, Field::Epochs, "1");
    set_train_field(&mut app, Field::Threads, "1");
    drive(&mut app, Action::Command(Command::Train(TrainCmd::Start)));
    let after = app.space.as_ref().unwrap().len();
    assert!(after > before, "the corpus adds words: {before} → {after}");
    // Back from the train panel: the list and its count are the grown vocabulary's.
    drive(&mut app, Action::Command(Command::Train(TrainCmd::Toggle)));
    assert_ne!(app.focus, Panel::Train);
    assert_eq!(app.search.total(), after);
    assert_eq!(app.search.hits().len(), after);
    let shown = screen(&app, 120, 40);
    assert!(shown.contains(&format!("{after} of {after}")), "{shown}");
    // A new word is found.
    drive(&mut app, key(KeyCode::Char('/')));
    drive(&mut app, ctrl('u'));
    typed(&mut app, "thro");
    assert_eq!(hit_words(&app), ["throne"]);
}
