//! The explorer's state machine driven by actions, with jobs run synchronously.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test code: a failed unwrap is a failed test"
)]
mod support;
mod tui_support;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers, MouseButton, MouseEvent, MouseEventKind};
use embx::query::search::SearchMode;
use embx::tui::keymap::{help_sections, KEYS};
use embx::tui::{drive, execute, update, Action, Command, Effect, Lane, Panel, Target};
use tui_support::*;

#[test]
fn search_focus_neighbours_walk_back_forward() {
    let mut app = app();
    assert_eq!(app.space.as_ref().unwrap().len(), ROWS.len());
    assert!(app.loading.is_none());
    // Empty query: the most frequent words.
    assert_eq!(app.search.hits().len(), ROWS.len());
    press(&mut app, KeyCode::Char('/'));
    typed(&mut app, "kin");
    let words: Vec<&str> = app.search.hits().iter().map(|&r| app.word(r)).collect();
    assert_eq!(words, ["king", "kingdom"]);
    assert_eq!(app.search.total(), 2);
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.focused, Some(row("king")));
    assert!(app.editing, "the search box stays ready");
    assert_eq!(*app.neighbours.target(), Some(Target::Word(row("king"))));
    assert_eq!(neighbour_words(&app)[0], "prince");
    assert!(!neighbour_words(&app).contains(&"king".to_string()));
    // Walk to the second neighbour.
    press(&mut app, KeyCode::Tab);
    assert_eq!(app.focus, Panel::Neighbours);
    press(&mut app, KeyCode::Char('j'));
    let second = neighbour_words(&app)[1].clone();
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.word(app.focused.unwrap()), second);
    let walked = [row("king"), app.focused.unwrap()];
    assert_eq!(app.history.entries(), &walked[..]);
    assert_eq!(app.history.position(), Some(1));
    // Back and forward: `[` opens the list on the word before, Enter jumps there.
    press(&mut app, KeyCode::Char('['));
    assert_eq!(app.history.cursor(), Some(0));
    assert_eq!(
        app.word(app.focused.unwrap()),
        second,
        "nothing moves before Enter"
    );
    press(&mut app, KeyCode::Enter);
    assert!(!app.history.is_open());
    assert_eq!(app.focused, Some(row("king")));
    assert_eq!(neighbour_words(&app)[0], "prince");
    assert_eq!(app.history.entries(), &walked[..], "jumping keeps the walk");
    press(&mut app, KeyCode::Char(']'));
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.word(app.focused.unwrap()), second);
    // Esc closes the list without a jump.
    press(&mut app, KeyCode::Char('['));
    press(&mut app, KeyCode::Esc);
    assert!(!app.history.is_open());
    assert_eq!(app.word(app.focused.unwrap()), second);
}

#[test]
fn k_changes_and_stays_in_range() {
    let mut app = app();
    drive(&mut app, Action::Command(Command::StartSearch));
    typed(&mut app, "queen");
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Esc);
    let k = app.neighbours.k();
    press(&mut app, KeyCode::Char('-'));
    assert_eq!(app.neighbours.k(), k - 5);
    assert_eq!(neighbour_words(&app).len(), k - 5);
    for _ in 0..10 {
        press(&mut app, KeyCode::Char('-'));
    }
    assert_eq!(app.neighbours.k(), 1);
    // As `-k` on the command line: at least 1, at most the words of the space, with a note.
    let note = |app: &embx::tui::App| {
        app.status
            .as_ref()
            .map(|m| m.text.clone())
            .unwrap_or_default()
    };
    assert!(note(&app).contains("at least 1"), "{}", note(&app));
    press(&mut app, KeyCode::Char('+'));
    assert_eq!(app.neighbours.k(), 6);
    for _ in 0..5 {
        press(&mut app, KeyCode::Char('+'));
    }
    assert_eq!(app.neighbours.k(), ROWS.len());
    assert!(note(&app).contains("at most 16"), "{}", note(&app));
}

#[test]
fn search_modes_cjk_and_regex_errors() {
    let mut app = app();
    press(&mut app, KeyCode::Char('/'));
    typed(&mut app, "北");
    assert_eq!(app.search.hits(), vec![row("北京")]);
    drive(&mut app, ctrl('u'));
    typed(&mut app, "京");
    // No word starts with 京: the hits are the closest spellings, and the panel says so.
    assert!(app.search.closest());
    assert!(app.search.hits().contains(&row("北京")));
    drive(&mut app, ctrl('t'));
    assert_eq!(app.search.mode(), SearchMode::Substring);
    assert_eq!(app.search.hits(), vec![row("北京"), row("东京")]);
    drive(&mut app, ctrl('t'));
    assert_eq!(app.search.mode(), SearchMode::Regex);
    drive(&mut app, ctrl('u'));
    typed(&mut app, "(");
    assert!(app.search.error().is_some());
    // Enter on it says why nothing matches, not that no word does.
    press(&mut app, KeyCode::Enter);
    let status = app.status.clone().unwrap();
    assert!(
        status.error && status.text.contains("is not a valid query"),
        "{status:?}"
    );
    press(&mut app, KeyCode::Backspace);
    typed(&mut app, "^p.*s$");
    assert_eq!(*app.search.error(), None);
    assert_eq!(app.search.hits(), vec![row("princess"), row("paris")]);
    drive(&mut app, ctrl('t'));
    assert_eq!(app.search.mode(), SearchMode::Fuzzy);
    drive(&mut app, ctrl('u'));
    typed(&mut app, "pncs");
    assert_eq!(app.search.hits(), vec![row("princess")]);
    // `q` is text while typing; Esc, then q quits.
    assert!(!press(&mut app, KeyCode::Char('q')));
    press(&mut app, KeyCode::Esc);
    assert!(press(&mut app, KeyCode::Char('q')));
}

/// Searches "prince" and selects its first two hits (prince, princess).
fn select_prince_and_princess(app: &mut embx::tui::App) {
    press(app, KeyCode::Char('/'));
    typed(app, "prince");
    press(app, KeyCode::Esc);
    press(app, KeyCode::Char(' '));
    press(app, KeyCode::Down);
    press(app, KeyCode::Char(' '));
}

#[test]
fn selection_and_centroid() {
    let mut app = app();
    select_prince_and_princess(&mut app);
    assert_eq!(app.selection, vec![row("prince"), row("princess")]);
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Char('c'));
    assert_eq!(
        *app.neighbours.target(),
        Some(Target::Centroid(vec![row("prince"), row("princess")]))
    );
    let words = neighbour_words(&app);
    assert!(!words.contains(&"prince".to_string()));
    assert!(words[..2].contains(&"king".to_string()));
    // Unselect one: the centroid follows.
    press(&mut app, KeyCode::Char('k'));
    press(&mut app, KeyCode::Char(' '));
    assert_eq!(app.selection, vec![row("princess")]);
    press(&mut app, KeyCode::Char('x'));
    assert!(app.selection.is_empty());
    assert_eq!(*app.neighbours.target(), None);
}

#[test]
fn enter_in_the_centroids_list_walks_on_to_the_word() {
    let mut app = app();
    select_prince_and_princess(&mut app);
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Char('c'));
    while app.focus != Panel::Neighbours {
        press(&mut app, KeyCode::Tab);
    }
    let first = neighbour_words(&app)[0].clone();
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.focused, Some(row(&first)));
    assert_eq!(*app.neighbours.target(), Some(Target::Word(row(&first))));
    assert!(!app.centroid);
    // c brings the centroid's list back; the selection was kept.
    press(&mut app, KeyCode::Char('c'));
    assert_eq!(
        *app.neighbours.target(),
        Some(Target::Centroid(vec![row("prince"), row("princess")]))
    );
}

#[test]
fn analogy_and_expression_line() {
    let mut app = app();
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Char(':'));
    assert_eq!(app.focus, Panel::Query);
    typed(&mut app, "man : king :: woman : ?");
    press(&mut app, KeyCode::Enter);
    let a = app.query.answer().as_ref().expect("an answer");
    assert_eq!(app.word(a.hits[0].index), "queen");
    assert_eq!(a.excluded, vec![row("king"), row("man"), row("woman")]);
    assert!(app.query.is_analogy());
    // Ctrl-T switches to 3CosMul and asks again (Tab moves to the next panel, as everywhere).
    drive(&mut app, ctrl('t'));
    assert_eq!(app.query.method(), embx::query::Method::Mul);
    let a = app.query.answer().as_ref().unwrap();
    assert_eq!(app.word(a.hits[0].index), "queen");
    assert!(a.hits[0].score > 1.0, "3CosMul scores are ratios");
    // Expressions.
    drive(&mut app, ctrl('u'));
    typed(&mut app, "paris - france + 中国");
    press(&mut app, KeyCode::Enter);
    let a = app.query.answer().as_ref().unwrap();
    assert_eq!(app.word(a.hits[0].index), "北京");
    assert!(!app.query.is_analogy());
    // Switching the method asks an expression on screen again too, as Enter would.
    let before = a.hits[0].score;
    drive(&mut app, ctrl('t'));
    assert_eq!(app.query.method(), embx::query::Method::Add);
    let toggled = app.query.answer().as_ref().unwrap().hits[0].score;
    assert_ne!(
        toggled, before,
        "3CosAdd scores an expression unlike 3CosMul"
    );
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.query.answer().as_ref().unwrap().hits[0].score, toggled);
    // Errors stay inline, with a column.
    drive(&mut app, ctrl('u'));
    typed(&mut app, "man : king :: wman : ?");
    press(&mut app, KeyCode::Enter);
    let e = app.query.error().as_ref().unwrap();
    assert_eq!(e.column, Some(15));
    assert!(e.message.contains("woman"), "{}", e.message);
    drive(&mut app, ctrl('u'));
    typed(&mut app, "king + * man");
    press(&mut app, KeyCode::Enter);
    let e = app.query.error().as_ref().unwrap();
    assert!(e.message.starts_with("syntax error"), "{}", e.message);
    assert!(e.column.is_some());
    drive(&mut app, ctrl('u'));
    typed(&mut app, "king - king");
    press(&mut app, KeyCode::Enter);
    assert!(app.query.error().is_some());
    // Enter on an answer (not typing) focuses it.
    drive(&mut app, ctrl('u'));
    typed(&mut app, "king - man + woman");
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.focused, Some(row("queen")));
}

#[test]
fn stale_results_are_dropped() {
    let mut app = app();
    drive(&mut app, Action::Command(Command::StartSearch));
    let first = update(&mut app, key(KeyCode::Char('k')));
    let second = update(&mut app, key(KeyCode::Char('x')));
    assert!(app.jobs.is_running(Lane::Search));
    let job = |fx: Vec<Effect>| match fx.into_iter().next() {
        Some(Effect::Run(job)) => job,
        other => panic!("expected a job, got {other:?}"),
    };
    let (first, second) = (job(first), job(second));
    assert!(second.gen > first.gen);
    // The newer search finishes first; the older one arrives late and is ignored.
    drive(&mut app, execute(second));
    assert!(app.search.hits().is_empty());
    assert!(!app.jobs.is_running(Lane::Search));
    drive(&mut app, execute(first));
    assert!(app.search.hits().is_empty());
}

#[test]
fn enter_before_the_hits_arrive_waits_for_them() {
    let mut app = app();
    drive(&mut app, Action::Command(Command::StartSearch));
    let fx = update(&mut app, key(KeyCode::Char('q')));
    // The list still shows the hits of the empty query ("the" first): Enter must not take it.
    assert!(update(&mut app, key(KeyCode::Enter)).is_empty());
    assert_eq!(app.focused, None);
    let Some(Effect::Run(job)) = fx.into_iter().next() else {
        panic!("expected a search job")
    };
    drive(&mut app, execute(job));
    assert_eq!(app.focused, Some(row("queen")));
    assert_eq!(*app.neighbours.target(), Some(Target::Word(row("queen"))));
}

#[test]
fn load_errors_stay_in_an_alert_until_dismissed() {
    let mut app = embx::tui::App::new("missing", false);
    let source = embx::tui::Source::File {
        path: "/nonexistent/embx-test.vec".into(),
        options: Default::default(),
        exact: false,
    };
    drive(&mut app, Action::Load(source));
    let status = app.status.as_ref().unwrap();
    assert!(
        status.error && status.text.contains("could not open"),
        "{status:?}"
    );
    let alert = app.alert.clone().expect("an alert");
    assert!(
        alert.title.contains("could not open embx-test.vec"),
        "{alert:?}"
    );
    assert!(alert.text.contains("embx-test.vec"), "{alert:?}");
    assert!(app.loading.is_none());
    // The alert takes the keys: they do nothing until Enter or Esc.
    press(&mut app, KeyCode::Char('x'));
    assert!(app.alert.is_some() && app.search.query().is_empty());
    drive(&mut app, Action::Tick);
    assert!(app.alert.is_some(), "time does not take it away");
    press(&mut app, KeyCode::Esc);
    assert!(app.alert.is_none());
    // Keys still work without a space.
    press(&mut app, KeyCode::Esc);
    assert!(press(&mut app, KeyCode::Char('q')));
}

#[test]
fn interrupt_and_ctrl_c_quit() {
    let mut app = app();
    assert!(drive(&mut app, ctrl('c')));
    let mut app = tui_support::app();
    assert!(drive(&mut app, Action::Interrupted));
    assert!(app.quit);
    // A fast `Esc q` arrives as Alt-q: it stops typing, then quits.
    let mut app = tui_support::app();
    press(&mut app, KeyCode::Char('/'));
    let alt_q = KeyEvent::new(KeyCode::Char('q'), KeyModifiers::ALT);
    assert!(drive(&mut app, Action::Key(alt_q)));
    assert!(app.search.query().is_empty());
}

#[test]
fn help_lists_every_binding_and_keys_close_it() {
    let sections = help_sections();
    for b in KEYS {
        let found = sections.iter().any(|(heading, lines)| {
            *heading == b.context.heading()
                && lines
                    .iter()
                    .any(|(keys, help)| *help == b.help && keys.contains(&b.key.label()))
        });
        assert!(found, "{:?} {} missing from the help", b.command, b.help);
    }
    let mut app = app();
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Char('?'));
    assert!(app.help);
    press(&mut app, KeyCode::Char('j'));
    assert_eq!(app.help_scroll, 1);
    // `q` closes the help rather than quitting.
    assert!(!press(&mut app, KeyCode::Char('q')));
    assert!(!app.help);
    press(&mut app, KeyCode::F(1));
    assert!(app.help);
}

#[test]
fn focus_cycles_with_tab_and_mouse() {
    let mut app = app();
    app.size = (80, 24);
    press(&mut app, KeyCode::Esc);
    let order: Vec<Panel> = (0..4)
        .map(|_| {
            press(&mut app, KeyCode::Tab);
            app.focus
        })
        .collect();
    // At 80 columns the scatter is not on screen until `v` shows it: Tab passes it over.
    assert_eq!(
        order,
        [
            Panel::Neighbours,
            Panel::Query,
            Panel::Inspect,
            Panel::Search
        ]
    );
    drive(&mut app, key(KeyCode::BackTab));
    assert_eq!(app.focus, Panel::Inspect);
    let click = |x, y| {
        Action::Mouse(MouseEvent {
            kind: MouseEventKind::Down(MouseButton::Left),
            column: x,
            row: y,
            modifiers: KeyModifiers::NONE,
        })
    };
    // Search is the top left panel; its list starts two rows below the top border.
    drive(&mut app, click(3, 4));
    assert_eq!(app.focus, Panel::Search);
    assert_eq!(app.search.selected(), 2);
    // A second click on the highlighted row focuses its word.
    drive(&mut app, click(3, 4));
    assert_eq!(app.focused, Some(app.search.hits()[2]));
    // A click on the query panel's input line starts typing there.
    drive(&mut app, click(60, 14));
    assert_eq!(app.focus, Panel::Query);
}
