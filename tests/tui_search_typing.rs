//! Issue 12, item 2: the search box has the focus when the explorer starts and takes every
//! printable key, as a picker's does; arrows and Ctrl-N / Ctrl-P move in the list; Enter
//! focuses the highlighted word and leaves the box ready for the next one; Esc leaves it.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test code: a failed unwrap is a failed test"
)]
mod samples;
mod support;
mod tui_support;

use crossterm::event::KeyCode;
use embx::tui::{drive, Panel};
use tui_support::*;

#[test]
fn typing_at_start_searches() {
    let mut app = fresh_app();
    assert_eq!(app.focus, Panel::Search);
    assert!(app.editing, "the search box is ready at start");
    // "g", "q", "j", "k", "x" are commands elsewhere; here they are letters of the query.
    typed(&mut app, "kingq");
    assert_eq!(app.search.query(), "kingq");
    assert!(!app.quit);
    for _ in 0..1 {
        press(&mut app, KeyCode::Backspace);
    }
    assert_eq!(app.search.query(), "king");
    press(&mut app, KeyCode::Enter);
    assert_eq!(
        app.focused,
        Some(row("king")),
        "Enter focuses the hit, not `the`"
    );
    assert!(app.editing, "the box stays ready");
    // The next word replaces the last one.
    typed(&mut app, "queen");
    assert_eq!(app.search.query(), "queen");
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.focused, Some(row("queen")));
    // Space types too (no selection while typing).
    typed(&mut app, " ");
    assert!(app.selection.is_empty());
}

#[test]
fn arrows_and_ctrl_n_p_move_in_the_list() {
    let mut app = fresh_app();
    typed(&mut app, "prin");
    let words: Vec<&str> = app.search.hits().iter().map(|&r| app.word(r)).collect();
    assert_eq!(words, ["prince", "princess"]);
    drive(&mut app, ctrl('n'));
    assert_eq!(app.search.selected(), 1);
    drive(&mut app, ctrl('p'));
    assert_eq!(app.search.selected(), 0);
    press(&mut app, KeyCode::Down);
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.focused, Some(row("princess")));
    assert_eq!(app.search.query(), "prin", "j/k were not needed");
}

#[test]
fn esc_leaves_the_box_and_keys_become_commands() {
    let mut app = fresh_app();
    typed(&mut app, "king");
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Esc);
    assert!(!app.editing);
    press(&mut app, KeyCode::Char(' '));
    assert_eq!(
        app.selection,
        [row("king")],
        "Space selects once out of the box"
    );
    assert!(
        press(&mut app, KeyCode::Char('q')),
        "q quits once out of the box"
    );
}

#[test]
fn coming_back_to_the_search_panel_types_again() {
    let mut app = fresh_app();
    press(&mut app, KeyCode::Tab);
    assert_ne!(app.focus, Panel::Search);
    assert!(!app.editing);
    press(&mut app, KeyCode::Char('/'));
    assert!(app.editing);
    typed(&mut app, "paris");
    assert_eq!(app.search.query(), "paris");
}

#[test]
fn colon_starts_a_new_line_and_i_edits_the_old_one() {
    let mut app = app();
    press(&mut app, KeyCode::Char(':'));
    typed(&mut app, "king - man");
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Esc);
    // `:` again: the old line stays on screen until a character replaces it.
    press(&mut app, KeyCode::Char(':'));
    assert_eq!(app.query.input(), "king - man");
    typed(&mut app, "queen");
    assert_eq!(app.query.input(), "queen");
    // `i` edits the line as it is; so does Backspace after `:`.
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Char('i'));
    typed(&mut app, "s");
    assert_eq!(app.query.input(), "queens");
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Char(':'));
    press(&mut app, KeyCode::Backspace);
    typed(&mut app, "x");
    assert_eq!(app.query.input(), "queenx");
    // `:` right after an answer, still typing: a new line, not a colon on the old one.
    drive(&mut app, ctrl('u'));
    typed(&mut app, "man : king :: woman : ?");
    press(&mut app, KeyCode::Enter);
    assert!(app.editing && app.query.answers_input());
    typed(&mut app, ":paris - france");
    assert_eq!(app.query.input(), "paris - france");
    // While a line is being typed, colons are part of it.
    typed(&mut app, ":");
    assert_eq!(app.query.input(), "paris - france:");
}

/// Enter on a word the vocabulary lacks, in a space with subwords, asks the analogy line for
/// the neighbours of its vector from n-grams, whether or not a close spelling was found.
#[test]
fn enter_on_an_unknown_word_asks_for_its_subword_neighbours() {
    use embx::io::{load_bytes, LoadOptions};
    let loaded = load_bytes("m.bin", samples::fasttext_bin(), &LoadOptions::default());
    let mut app = embx::tui::App::new("m.bin", false);
    let space = loaded.unwrap().space;
    drive(
        &mut app,
        embx::tui::Action::Load(embx::tui::Source::Ready(space)),
    );
    for word in ["zzzzqqq", "zebraa"] {
        drive(&mut app, ctrl('u'));
        typed(&mut app, word);
        press(&mut app, KeyCode::Enter);
        assert_eq!(app.query.input(), word);
        let m = app.status.clone().unwrap().text;
        assert!(m.contains("not in the vocabulary"), "{word}: {m}");
        assert!(app.query.answer().is_some(), "{word}");
    }
}

#[test]
fn slash_starts_a_new_search_and_enter_on_nothing_says_so() {
    let mut app = fresh_app();
    // A word typed but not taken, then Esc: `/` and a new word replace it.
    typed(&mut app, "queen");
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Char('/'));
    assert_eq!(
        app.search.query(),
        "queen",
        "still in sight until a key is typed"
    );
    typed(&mut app, "paris");
    assert_eq!(app.search.query(), "paris");
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.focused, Some(row("paris")));
    // `i` goes on with the line instead.
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Char('i'));
    typed(&mut app, "qqqqqq");
    assert_eq!(app.search.query(), "parisqqqqqq");
    // Enter on a query that matches nothing: said, and the focus stays.
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.focused, Some(row("paris")));
    let status = app.status.clone().unwrap();
    assert!(status.error, "{status:?}");
    assert!(
        status.text.contains("no word matches \"parisqqqqqq\""),
        "{}",
        status.text
    );
}
