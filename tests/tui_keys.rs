//! One meaning per key, driven through `update`: printable keys in any text box only type,
//! Esc leaves a box, Tab moves between panels everywhere, 3CosAdd / 3CosMul has a key of its
//! own, and the bottom line and the help say how to get out of the focused panel and where
//! to. The focus history list (`[`, `]`, Enter). Snapshots of the list and of the help.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test code: a failed unwrap is a failed test"
)]
mod support;
mod tui_support;

use crossterm::event::KeyCode;
use embx::query::Method;
use embx::tui::keymap::{ways_out, Context, KEYS};
use embx::tui::{drive, App, Panel};
use tui_support::*;

fn bottom_line(app: &App, w: u16) -> String {
    screen(app, w, 24).lines().last().unwrap().to_string()
}

/// Every printable key that the key table binds anywhere.
fn printable_keys() -> Vec<char> {
    let mut keys: Vec<char> = KEYS
        .iter()
        .filter(|b| b.key.is_printable())
        .filter_map(|b| match b.key.code {
            KeyCode::Char(c) => Some(c),
            _ => None,
        })
        .collect();
    keys.sort_unstable();
    keys.dedup();
    keys
}

/// What a key must not change while it is typed into a box.
fn outside(app: &App) -> String {
    format!(
        "{:?} {} {:?} {:?} {} {:?} {} {:?} {:?}",
        app.focus,
        app.editing,
        app.selection,
        app.focused,
        app.help,
        app.prompt,
        app.centroid,
        app.query.method(),
        app.history.cursor(),
    )
}

#[test]
fn printable_keys_only_type_in_every_box() {
    let keys = printable_keys();
    assert!(keys.len() > 20, "{keys:?}");
    let text: String = keys.iter().collect();
    // The search box (as the explorer starts), the analogy line after an answer, and the
    // phrases line.
    let mut search = fresh_app();
    let mut query = app();
    press(&mut query, KeyCode::Char(':'));
    typed(&mut query, "man : king :: woman : ?");
    press(&mut query, KeyCode::Enter);
    assert!(query.query.answer().is_some());
    drive(&mut query, ctrl('u'));
    let mut phrases = app();
    press(&mut phrases, KeyCode::Char('p'));
    for (app, input) in [
        (
            &mut search,
            (|a: &App| a.search.query().to_string()) as fn(&App) -> String,
        ),
        (&mut query, |a: &App| a.query.input().to_string()),
        (&mut phrases, |a: &App| a.phrases.input().to_string()),
    ] {
        let before = outside(app);
        for &c in &keys {
            assert!(!press(app, KeyCode::Char(c)), "{c} quit from a box");
        }
        assert_eq!(input(app), text, "in the {:?} box", app.focus);
        assert_eq!(outside(app), before, "a key did more than type");
        // Esc leaves the box: the same keys are commands now.
        press(app, KeyCode::Esc);
        assert!(!app.editing, "Esc leaves the {:?} box", app.focus);
    }
}

#[test]
fn tab_moves_between_panels_everywhere() {
    // From the search box, typing.
    let mut app = fresh_app();
    assert!(app.editing);
    press(&mut app, KeyCode::Tab);
    assert_eq!(app.focus, Panel::Neighbours);
    // From the analogy line, typing (Tab used to switch 3CosAdd / 3CosMul there).
    press(&mut app, KeyCode::Char(':'));
    assert!(app.editing);
    let method = app.query.method();
    press(&mut app, KeyCode::Tab);
    assert_eq!(app.focus, Panel::Inspect);
    assert_eq!(app.query.method(), method);
    press(&mut app, KeyCode::BackTab);
    assert_eq!(app.focus, Panel::Query);
    // From the phrases view, typing or not: to the panel after the one it was opened from.
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Char('p'));
    assert_eq!(app.focus, Panel::Phrases);
    press(&mut app, KeyCode::Tab);
    assert_eq!(app.focus, Panel::Inspect);
    press(&mut app, KeyCode::Char('p'));
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::BackTab);
    assert_eq!(app.focus, Panel::Query);
}

#[test]
fn tab_goes_round_the_panels_on_screen_in_their_places() {
    // 80 columns: the scatter and the neighbours share the top right; the one not shown is
    // passed over, and the one shown has that place's turn.
    let mut app = app();
    let ring = |app: &mut App, key| {
        (0..4)
            .map(|_| {
                press(app, key);
                app.focus
            })
            .collect::<Vec<_>>()
    };
    use Panel::*;
    assert_eq!(
        ring(&mut app, KeyCode::BackTab),
        [Inspect, Query, Neighbours, Search]
    );
    assert_eq!(
        ring(&mut app, KeyCode::Tab),
        [Neighbours, Query, Inspect, Search]
    );
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Char('v'));
    assert_eq!(app.focus, Scatter);
    assert_eq!(
        ring(&mut app, KeyCode::Tab),
        [Query, Inspect, Search, Scatter]
    );
    // Both ways out fit at 80 columns: back to the neighbours (v), and where Tab goes.
    let line = bottom_line(&app, 80);
    assert!(line.contains("v → Neighbours"), "{line}");
    assert!(line.contains("Tab → Analogy / expression"), "{line}");
    // Wide enough for the scatter's own column: all five, the scatter last.
    drive(&mut app, embx::tui::Action::Resize(160, 40));
    press(&mut app, KeyCode::Tab);
    assert_eq!(app.focus, Search);
    assert_eq!(
        ring(&mut app, KeyCode::Tab),
        [Neighbours, Query, Inspect, Scatter]
    );
}

#[test]
fn the_analogy_method_has_its_own_key() {
    let mut app = app();
    press(&mut app, KeyCode::Char(':'));
    typed(&mut app, "man : king :: woman : ?");
    press(&mut app, KeyCode::Enter);
    // Ctrl-T while typing, `m` once out of the box; either asks again.
    drive(&mut app, ctrl('t'));
    assert_eq!(app.query.method(), Method::Mul);
    assert!(app.query.answer().as_ref().unwrap().hits[0].score > 1.0);
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Char('m'));
    assert_eq!(app.query.method(), Method::Add);
    assert!(app.query.answer().as_ref().unwrap().hits[0].score <= 1.0);
    // Nowhere else does `m` or Ctrl-T touch the method.
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Char('m'));
    drive(&mut app, ctrl('t'));
    assert_eq!(app.query.method(), Method::Add);
}

#[test]
fn the_bottom_line_says_how_to_get_out_and_where_to() {
    let mut app = fresh_app();
    let out = ways_out(&app);
    assert_eq!(out[0], ("Esc".to_string(), "leave the box".to_string()));
    assert!(
        out.contains(&("Tab".into(), "→ Neighbours".into())),
        "{out:?}"
    );
    let line = bottom_line(&app, 120);
    assert!(
        line.contains("Esc leave the box · Tab → Neighbours"),
        "{line}"
    );
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Tab);
    let line = bottom_line(&app, 120);
    assert!(
        line.contains("Tab → Analogy / expression") && line.contains("q quit"),
        "{line}"
    );
    // The phrases view: Esc goes back to the panel it was opened from.
    press(&mut app, KeyCode::Char('p'));
    press(&mut app, KeyCode::Esc);
    let out = ways_out(&app);
    assert_eq!(
        out[0],
        ("Esc".into(), "back to Neighbours".into()),
        "{out:?}"
    );
    assert!(bottom_line(&app, 120).contains("Esc back to Neighbours"));
    // Even at 80 columns the way out of a box is on the line.
    let app = fresh_app();
    assert!(bottom_line(&app, 80).contains("Esc leave the box"));
}

#[test]
fn help_starts_with_the_way_out_of_the_focused_panel() {
    let mut app = fresh_app();
    press(&mut app, KeyCode::F(1));
    assert!(app.help);
    let s = screen(&app, 120, 40);
    assert!(s.contains("here: Search panel, typing in its box"), "{s}");
    assert!(
        s.contains("leave the box") && s.contains("→ Neighbours"),
        "{s}"
    );
    insta::assert_snapshot!("help_here_120x40", s);
    // Help keys do not type into the box under it.
    press(&mut app, KeyCode::Char('j'));
    press(&mut app, KeyCode::Esc);
    assert!(!app.help);
    assert!(app.search.query().is_empty());
}

#[test]
fn help_in_columns_scrolls_a_column_at_a_time() {
    let mut app = fresh_app();
    drive(&mut app, embx::tui::Action::Resize(120, 40));
    press(&mut app, KeyCode::F(1));
    // The popup's two columns of 58 start at x = 2 and 60, between rows 1 and 38.
    let column = |s: &str, x: usize| -> Vec<String> {
        let rows: Vec<&str> = s.lines().collect();
        rows[1..39]
            .iter()
            .map(|r| {
                r.chars()
                    .skip(x)
                    .take(58)
                    .collect::<String>()
                    .trim_end()
                    .to_string()
            })
            .collect()
    };
    let before = screen(&app, 120, 40);
    press(&mut app, KeyCode::Down);
    let after = screen(&app, 120, 40);
    // ↓ moves every line a column to the left: nothing jumps on its own.
    assert_eq!(column(&after, 2), column(&before, 60), "{before}\n{after}");
    assert!(
        column(&before, 60)[0].starts_with("(continued)"),
        "{before}"
    );
    press(&mut app, KeyCode::Up);
    assert_eq!(screen(&app, 120, 40), before);
    // End stops with the last line in sight, and ↓ goes no further.
    for size in [(120, 40), (80, 24)] {
        drive(&mut app, embx::tui::Action::Resize(size.0, size.1));
        press(&mut app, KeyCode::End);
        let end = screen(&app, size.0, size.1);
        assert!(end.contains("close the message"), "{end}");
        press(&mut app, KeyCode::Down);
        assert_eq!(screen(&app, size.0, size.1), end);
        press(&mut app, KeyCode::Home);
    }
}

#[test]
fn every_context_of_the_key_table_has_a_help_heading() {
    // The help is the key table: a binding in a new context shows up under a heading.
    for b in KEYS {
        assert!(!b.context.heading().is_empty());
        assert!(!b.help.is_empty(), "{:?}", b.command);
    }
    assert!(KEYS.iter().any(|b| b.context == Context::History));
    assert!(KEYS.iter().any(|b| b.context == Context::Alert));
}

/// Focuses king, paris and apple from the search box, then walks to apple's first neighbour
/// in the neighbours panel.
fn walked() -> App {
    let mut app = fresh_app();
    for w in ["king", "paris", "apple"] {
        typed(&mut app, w);
        press(&mut app, KeyCode::Enter);
    }
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Enter);
    app
}

#[test]
fn the_focus_history_is_a_list_to_move_through() {
    let mut app = walked();
    let walk: Vec<u32> = app.history.entries().to_vec();
    assert_eq!(walk.len(), 4);
    assert_eq!(walk[..3], [row("king"), row("paris"), row("apple")]);
    assert_eq!(app.history.position(), Some(3));
    // The trail in the neighbours panel.
    let s = screen(&app, 120, 40);
    assert!(s.contains("walked: king › paris › apple › "), "{s}");
    // `[` twice: the cursor two words back; nothing moves yet.
    press(&mut app, KeyCode::Char('['));
    press(&mut app, KeyCode::Char('['));
    assert_eq!(app.history.cursor(), Some(1));
    assert_eq!(app.focused, Some(walk[3]));
    // Keys of the panels wait while the list is open.
    press(&mut app, KeyCode::Char(' '));
    assert!(app.selection.is_empty());
    let s = screen(&app, 120, 40);
    assert!(s.contains("History 2/4"), "{s}");
    insta::assert_snapshot!("history_list_120x40", s);
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.focused, Some(walk[1]));
    assert_eq!(app.history.entries(), &walk[..], "the walk is kept");
    assert_eq!(app.history.forward_len(), 2);
    let s = screen(&app, 120, 40);
    assert!(s.contains("2 ahead"), "{s}");
    // `]` from there, Enter: forward again.
    press(&mut app, KeyCode::Char(']'));
    press(&mut app, KeyCode::Char(']'));
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.focused, Some(walk[3]));
    // A new word from the list of neighbours drops what lay ahead.
    press(&mut app, KeyCode::Char('['));
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Down);
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.history.entries().len(), 4);
    assert_eq!(app.history.entries()[..3], walk[..3]);
    assert_eq!(app.history.forward_len(), 0);
    app.check_invariants().unwrap();
}

#[test]
fn the_history_list_at_80x24() {
    let mut app = walked();
    press(&mut app, KeyCode::Char(']'));
    assert_eq!(app.history.cursor(), Some(3), "] stops at the newest word");
    insta::assert_snapshot!("history_list_80x24", screen(&app, 80, 24));
    press(&mut app, KeyCode::Esc);
    assert!(!app.history.is_open());
    // An empty history says so.
    let mut app = tui_support::app();
    press(&mut app, KeyCode::Char('['));
    assert!(!app.history.is_open());
    assert!(app
        .status
        .as_ref()
        .unwrap()
        .text
        .contains("history is empty"));
}

#[test]
fn leaving_a_whole_screen_view_lands_on_a_panel_ready_for_commands() {
    // The train panel, opened from the search box: Esc cancels its corpus prompt, Esc goes
    // back, and `q` then quits rather than typing into the search box.
    let mut app = app();
    press(&mut app, KeyCode::Char('/'));
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Char('t'));
    assert_eq!(app.focus, Panel::Train);
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Esc);
    assert_eq!((app.focus, app.editing), (Panel::Search, false));
    press(&mut app, KeyCode::Char('q'));
    assert!(app.quit);
    // The phrases view alike: `p` opens it typing; Esc, then `p` closes it.
    let mut other = tui_support::app();
    press(&mut other, KeyCode::Esc);
    press(&mut other, KeyCode::Char('p'));
    press(&mut other, KeyCode::Esc);
    press(&mut other, KeyCode::Char('p'));
    assert_eq!((other.focus, other.editing), (Panel::Search, false));
    // `/` still starts typing in the search box.
    press(&mut other, KeyCode::Char('/'));
    assert!(other.editing);
}
