//! A load that fails after the explorer is up (the `o` prompt, a word list) leaves an alert
//! on screen until it is dismissed, and the space before stays usable; a load that works
//! replaces the space. Driven through `update`, with snapshots of the alert.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test code: a failed unwrap is a failed test"
)]
mod support;
mod tui_support;

use crossterm::event::KeyCode;
use embx::tui::{drive, Action, App};
use tui_support::*;

/// `o`, the file name instead of the default, Enter (the load runs synchronously).
fn open(app: &mut App, path: &std::path::Path) {
    press(app, KeyCode::Char('o'));
    assert!(app.prompt.is_some(), "o opens the prompt");
    drive(app, ctrl('u'));
    typed(app, path.to_str().unwrap());
    press(app, KeyCode::Enter);
}

/// The explorer on the test space with king focused and two words selected.
fn busy_app() -> App {
    let mut app = fresh_app();
    typed(&mut app, "king");
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Char(' '));
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Char(' '));
    assert_eq!(app.selection.len(), 2);
    app
}

#[test]
fn a_file_that_is_not_vectors_leaves_an_alert_and_the_space_before() {
    let dir = tempfile::tempdir().unwrap();
    let bad = support::write(
        dir.path(),
        "notvec.txt",
        "This is a note, not a vector file.\nIt has words but no numbers.\n",
    );
    let mut app = busy_app();
    let before = (app.name.clone(), app.focused, app.selection.clone());
    open(&mut app, &bad);
    let alert = app.alert.clone().expect("an alert");
    assert_eq!(alert.title, "could not open notvec.txt");
    assert!(alert.text.contains("notvec.txt"), "{alert:?}");
    assert!(alert.text.contains("tiny.txt stays open"), "{alert:?}");
    // Nothing else changed: the name, the space, the focus, the selection.
    assert_eq!(
        (app.name.clone(), app.focused, app.selection.clone()),
        before
    );
    assert_eq!(app.space.as_ref().unwrap().len(), ROWS.len());
    // The temporary folder's name changes from run to run: the same number of characters
    // stands for it in the snapshots.
    let folder = dir.path().display().to_string();
    let fixed: String = "/tmp/folder"
        .chars()
        .chain(std::iter::repeat('_'))
        .take(folder.chars().count())
        .collect();
    let s = screen(&app, 80, 24).replace(&folder, &fixed);
    assert!(s.contains("could not open notvec.txt"), "{s}");
    insta::assert_snapshot!("alert_80x24", s);
    let s = screen(&app, 120, 40).replace(&folder, &fixed);
    insta::assert_snapshot!("alert_120x40", s);
    // It stays through ticks and other keys, until Enter or Esc.
    drive(&mut app, Action::Tick);
    press(&mut app, KeyCode::Char('x'));
    assert_eq!(app.selection.len(), 2);
    assert!(app.alert.is_some());
    press(&mut app, KeyCode::Enter);
    assert!(app.alert.is_none());
    assert!(!screen(&app, 80, 24).contains("could not open"));
    // The space before is usable: search, neighbours.
    press(&mut app, KeyCode::Char('/'));
    typed(&mut app, "pari");
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.focused, Some(row("paris")));
    assert_eq!(neighbour_words(&app)[0], "北京");
    app.check_invariants().unwrap();
}

#[test]
fn a_missing_file_says_so_and_esc_closes_it() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = busy_app();
    open(&mut app, &dir.path().join("nothing-here.vec"));
    let alert = app.alert.clone().expect("an alert");
    assert!(alert.title.contains("nothing-here.vec"), "{alert:?}");
    press(&mut app, KeyCode::Esc);
    assert!(app.alert.is_none());
    assert_eq!(app.name, "tiny.txt");
}

#[test]
fn a_file_that_opens_replaces_the_space() {
    let dir = tempfile::tempdir().unwrap();
    let good = support::write(
        dir.path(),
        "three.txt",
        "3 2\nred 1.0 0.0\ngreen 0.0 1.0\nblue 0.7 0.7\n",
    );
    let mut app = busy_app();
    press(&mut app, KeyCode::Char('o'));
    // The prompt starts empty for a space without a folder (the test space's name).
    assert_eq!(app.prompt.as_ref().unwrap().input, "");
    press(&mut app, KeyCode::Esc);
    open(&mut app, &good);
    assert!(app.alert.is_none(), "{:?}", app.alert);
    assert_eq!(app.name, "three.txt");
    assert_eq!(app.space.as_ref().unwrap().len(), 3);
    // Rows of the old space mean nothing here: focus, selection and history go.
    assert_eq!(app.focused, None);
    assert!(app.selection.is_empty());
    assert!(app.history.entries().is_empty());
    assert!(app.neighbours.answer().is_none());
    // The search runs again on the new words ("king", still in the box, is not one).
    assert_eq!(app.search.query(), "king");
    assert_eq!(app.search.total(), 0);
    app.check_invariants().unwrap();
    // The prompt now starts in the file's folder.
    press(&mut app, KeyCode::Char('o'));
    let start = app.prompt.as_ref().unwrap().input.clone();
    assert_eq!(start, format!("{}/", dir.path().display()));
}

#[test]
fn a_first_file_that_fails_leaves_a_hint_and_tab_completes_the_next_name() {
    let dir = tempfile::tempdir().unwrap();
    let bad = support::write(dir.path(), "bad.txt", "3 2\nred 1.0 0.0\ngreen x 1.0\n");
    support::write(dir.path(), "good-vectors.txt", "1 2\nred 1.0 0.0\n");
    let mut app = App::new("bad.txt", false);
    let source = embx::tui::Source::File {
        path: bad,
        options: embx::io::LoadOptions::default(),
        exact: false,
    };
    drive(&mut app, Action::Load(source));
    assert!(app.space.is_none());
    let alert = app.alert.as_ref().expect("the failure is shown");
    assert!(
        alert.text.contains("o opens another file"),
        "{}",
        alert.text
    );
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.name, "no file open");
    assert!(screen(&app, 80, 24).contains("No vectors are open"));
    // Tab completes the file name in the prompt.
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Char('o'));
    drive(&mut app, ctrl('u'));
    typed(&mut app, &format!("{}/go", dir.path().display()));
    press(&mut app, KeyCode::Tab);
    let want = format!("{}/good-vectors.txt", dir.path().display());
    assert_eq!(app.prompt.as_ref().unwrap().input, want);
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.space.as_ref().map(|s| s.len()), Some(1));
}
