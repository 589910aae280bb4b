//! The explorer's switch between a file's neighbour index and the exact scan: `a` leaves the
//! index aside and asks again, `a` again uses it, the status line says which, a file without
//! an index says so, the choice holds for files opened with `o`, and a layout of neighbours
//! follows the switch.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test code: a failed unwrap is a failed test"
)]
mod support;
mod tui_support;

use crossterm::event::KeyCode;
use embx::space::NeighbourIndex;
use embx::tui::{drive, Action, App, Source};
use embx::Space;
use std::sync::Arc;
use tui_support::*;

/// An index that proposes the last rows of the space only: its answers differ from the
/// exact ones, so a test can tell which answered.
struct LastRows;

impl NeighbourIndex for LastRows {
    fn candidates(&self, space: &Space, _: &[f32], want: usize) -> Vec<u32> {
        let n = space.len() as u32;
        (n.saturating_sub(want as u32)..n).rev().collect()
    }
    fn describe(&self) -> String {
        "HNSW index tiny.txt.embx-hnsw (M 16, ef 64)".into()
    }
}

fn app_with(space: Space) -> App {
    let mut app = App::new("tiny.txt", false);
    drive(&mut app, Action::Load(Source::Ready(space)));
    press(&mut app, KeyCode::Esc);
    // Focus "king" through the search.
    press(&mut app, KeyCode::Char('/'));
    typed(&mut app, "king");
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Esc);
    // k = 1: the index proposes the last two rows, and "prince", the exact answer, is not
    // one of them.
    for _ in 0..3 {
        press(&mut app, KeyCode::Char('-'));
    }
    app
}

fn status(app: &App) -> String {
    app.status
        .as_ref()
        .map(|m| m.text.clone())
        .unwrap_or_default()
}

#[test]
fn a_switches_between_the_index_and_every_word() {
    let space = space();
    assert!(space.attach_index(Arc::new(LastRows)));
    let mut app = app_with(space.clone());
    assert_eq!(app.focused, Some(row("king")));
    let indexed = neighbour_words(&app);
    assert_eq!(indexed, ["apple"]);
    press(&mut app, KeyCode::Char('a'));
    assert!(app.exact);
    assert!(
        space.neighbour_index().is_none(),
        "left aside for every clone"
    );
    assert!(space.attached_index().is_some());
    assert!(
        status(&app).contains("every word scanned (exact)"),
        "{}",
        status(&app)
    );
    assert_eq!(neighbour_words(&app), ["prince"]);
    // And back.
    press(&mut app, KeyCode::Char('a'));
    assert!(!app.exact);
    assert!(space.neighbour_index().is_some());
    assert!(status(&app).contains("HNSW index"), "{}", status(&app));
    assert_eq!(neighbour_words(&app), indexed);
}

#[test]
fn without_an_index_a_says_the_search_is_exact() {
    let mut app = app_with(space());
    press(&mut app, KeyCode::Char('a'));
    assert!(!app.exact);
    assert!(status(&app).contains("no index"), "{}", status(&app));
    assert_eq!(neighbour_words(&app), ["prince"]);
}

#[test]
fn a_lays_out_the_focus_and_its_neighbours_again() {
    use embx::tui::keymap::Command;
    use embx::tui::panels::scatter::{Cmd, Field, Points};
    let space = space();
    assert!(space.attach_index(Arc::new(LastRows)));
    let mut app = app_with(space);
    press(&mut app, KeyCode::Char('v'));
    // The form's neighbours field: the focus and 1 neighbour.
    let cmd = |app: &mut App, c: Cmd| drive(app, Action::Command(Command::Scatter(c)));
    cmd(&mut app, Cmd::Form);
    while app.scatter.form() != Some(Field::Neighbours) {
        cmd(&mut app, Cmd::Cursor(0, -1));
    }
    cmd(&mut app, Cmd::Edit);
    drive(&mut app, ctrl('u'));
    typed(&mut app, "1");
    press(&mut app, KeyCode::Enter);
    cmd(&mut app, Cmd::Cancel);
    assert_eq!(app.scatter.settings().points, Points::Neighbours);
    assert_eq!(scatter_words(&app), ["king", "apple"]);
    // a: the exact neighbour, in the list and in the layout; the focus stays the same word
    // even after the cursor moves.
    app.focused = Some(row("paris"));
    press(&mut app, KeyCode::Char('a'));
    assert_eq!(scatter_words(&app), ["king", "prince"]);
    press(&mut app, KeyCode::Char('a'));
    assert_eq!(scatter_words(&app), ["king", "apple"]);
}
