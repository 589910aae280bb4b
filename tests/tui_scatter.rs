//! The scatter panel: fits requested through `update`, run by the worker code, and drawn.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test code: a failed unwrap is a failed test"
)]
mod support;
mod tui_support;

use crossterm::event::KeyCode;
use embx::tui::panels::scatter::{Cmd, Field, Kind, Points};
use embx::tui::{drive, execute, ui, update, Action, App, Command, Effect, JobKind, Lane, Panel};
use ratatui::backend::TestBackend;
use ratatui::Terminal;
use tui_support::*;

fn ctrl_key(code: KeyCode) -> Action {
    Action::Key(crossterm::event::KeyEvent::new(
        code,
        crossterm::event::KeyModifiers::CONTROL,
    ))
}

fn draw(app: &App, w: u16, h: u16) -> Terminal<TestBackend> {
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    t.draw(|f| ui::render(f, app)).unwrap();
    t
}

/// Searches `word` and adds its first hit to the selection.
fn select(app: &mut App, word: &str) {
    press(app, KeyCode::Char('/'));
    drive(app, ctrl('u'));
    typed(app, word);
    press(app, KeyCode::Esc);
    press(app, KeyCode::Char(' '));
}

#[test]
fn selecting_words_requests_a_fit_on_the_worker() {
    let mut app = app();
    select(&mut app, "king");
    select(&mut app, "queen");
    press(&mut app, KeyCode::Char('/'));
    drive(&mut app, ctrl('u'));
    typed(&mut app, "paris");
    press(&mut app, KeyCode::Esc);
    // Space asks the worker for a fit; nothing is projected on this thread.
    let fx = update(&mut app, key(KeyCode::Char(' ')));
    let job = fx
        .into_iter()
        .find_map(|e| match e {
            Effect::Run(job) if matches!(job.kind, JobKind::Scatter(_)) => Some(job),
            _ => None,
        })
        .expect("a scatter job");
    assert!(app.jobs.is_running(Lane::Scatter));
    assert_eq!(app.scatter.fit().map(|f| f.items().len()), Some(2));
    drive(&mut app, execute(job));
    assert!(!app.jobs.is_running(Lane::Scatter));
    assert_eq!(scatter_words(&app), ["king", "queen", "paris"]);
    let fit = app.scatter.fit().unwrap();
    assert!(fit.items().iter().all(|it| it.kind == Kind::Selected));
    let [x, y] = fit.axis_titles();
    assert!(x.starts_with("PC1 (") && y.starts_with("PC2 ("));
    let share = |t: &str| -> f64 { t[5..t.len() - 3].trim().parse().unwrap() };
    assert!(share(&x) >= share(&y) && share(&x) > 0.0, "{x} {y}");
    // A stale fit (an older generation) is dropped.
    let fx = update(&mut app, key(KeyCode::Char(' '))); // paris out again
    let old = fx.into_iter().find_map(|e| match e {
        Effect::Run(job) => Some(job),
        _ => None,
    });
    drive(&mut app, key(KeyCode::Char(' '))); // and in again, run at once
    drive(&mut app, execute(old.unwrap()));
    assert_eq!(scatter_words(&app), ["king", "queen", "paris"]);
    // Clearing the selection clears the plot.
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Char('x'));
    assert!(app.scatter.fit().is_none());
}

#[test]
fn adding_a_word_keeps_the_axes_orientation() {
    let mut app = app();
    for w in ["king", "queen", "man", "woman"] {
        select(&mut app, w);
    }
    let before = app.scatter.fit().cloned().unwrap();
    select(&mut app, "princess");
    let after = app.scatter.fit().cloned().unwrap();
    for k in 0..2 {
        let dot: f32 = before.basis().unwrap().axes[k]
            .iter()
            .zip(&after.basis().unwrap().axes[k])
            .map(|(a, b)| a * b)
            .sum();
        assert!(dot > 0.0, "axis {k} flipped ({dot})");
    }
    // king and queen stay on the same sides of each other.
    let side = |f: &embx::tui::panels::scatter::Fit, k: usize| {
        (f.items()[0].at[k] - f.items()[1].at[k]).signum()
    };
    assert_eq!(side(&before, 0), side(&after, 0));
    assert_eq!(side(&before, 1), side(&after, 1));
}

#[test]
fn neighbours_can_be_added_dimmer() {
    let mut app = app();
    select(&mut app, "king");
    drive(&mut app, Action::Command(Command::Scatter(Cmd::Show)));
    assert_eq!(app.focus, Panel::Scatter);
    press(&mut app, KeyCode::Char('n'));
    let fit = app.scatter.fit().unwrap();
    assert_eq!(fit.items().len(), 6);
    assert_eq!(fit.items()[0].kind, Kind::Selected);
    assert!(fit.items()[1..].iter().all(|it| it.kind == Kind::Neighbour));
    press(&mut app, KeyCode::Char('n'));
    assert_eq!(app.scatter.fit().unwrap().items().len(), 1);
}

#[test]
fn an_analogy_answer_adds_its_words_and_arrows() {
    let mut app = app();
    select(&mut app, "paris");
    press(&mut app, KeyCode::Char(':'));
    typed(&mut app, "man : king :: woman : ?");
    press(&mut app, KeyCode::Enter);
    assert_eq!(
        scatter_words(&app),
        ["paris", "man", "king", "woman", "queen"]
    );
    let fit = app.scatter.fit().unwrap();
    assert_eq!(fit.arrows(), [(1, 2), (3, 4)]);
    assert!(fit.items()[1..].iter().all(|it| it.kind == Kind::Analogy));
    let title = |app: &App| {
        screen(app, 160, 40)
            .lines()
            .find(|l| l.contains("Scatter ·"))
            .map(str::to_string)
    };
    let shown = title(&app).unwrap();
    assert!(shown.contains("· 1 word + 4 analogy words"), "{shown}");
    // A leaves them out (only the words asked for are laid out), and draws them again.
    drive(
        &mut app,
        Action::Command(Command::Scatter(Cmd::ToggleAnalogy)),
    );
    assert_eq!(scatter_words(&app), ["paris"]);
    assert!(app.scatter.fit().unwrap().arrows().is_empty());
    drive(
        &mut app,
        Action::Command(Command::Scatter(Cmd::ToggleAnalogy)),
    );
    assert_eq!(
        scatter_words(&app),
        ["paris", "man", "king", "woman", "queen"]
    );
    // The same analogy as a sum draws the same arrows.
    drive(&mut app, ctrl('u'));
    typed(&mut app, "king - man + woman");
    press(&mut app, KeyCode::Enter);
    assert_eq!(
        scatter_words(&app),
        ["paris", "man", "king", "woman", "queen"]
    );
    assert_eq!(app.scatter.fit().unwrap().arrows(), [(1, 2), (3, 4)]);
    // Other expressions draw none.
    drive(&mut app, ctrl('u'));
    typed(&mut app, "king - man");
    press(&mut app, KeyCode::Enter);
    assert_eq!(scatter_words(&app), ["paris"]);
    assert!(app.scatter.fit().unwrap().arrows().is_empty());
    // Without a selection, only the analogy's words are counted.
    press(&mut app, KeyCode::Esc);
    select(&mut app, "paris");
    drive(&mut app, ctrl('u'));
    press(&mut app, KeyCode::Char(':'));
    typed(&mut app, "man : king :: woman : ?");
    press(&mut app, KeyCode::Enter);
    let shown = title(&app).unwrap();
    assert!(shown.contains("PCA · 4 analogy words"), "{shown}");
    assert_eq!(app.scatter.fit().unwrap().arrows().len(), 2);
    // t-SNE keeps the words but not their offsets: no arrows.
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Char('v'));
    drive(
        &mut app,
        Action::Command(Command::Scatter(Cmd::CycleMethod)),
    );
    let fit = app.scatter.fit().unwrap();
    assert_eq!(fit.items().len(), 4);
    assert!(fit.arrows().is_empty());
}

#[test]
fn zoom_pan_and_reset_in_the_scatter_context() {
    let mut app = app();
    select(&mut app, "king");
    let k = app.neighbours.k();
    press(&mut app, KeyCode::Char('v'));
    press(&mut app, KeyCode::Char('+'));
    press(&mut app, KeyCode::Char('+'));
    assert!(app.scatter.zoom() > 1.5);
    assert_eq!(app.neighbours.k(), k, "+ zooms in the scatter");
    drive(&mut app, ctrl_key(KeyCode::Left));
    drive(&mut app, ctrl_key(KeyCode::Up));
    assert!(app.scatter.pan()[0] < 0.0 && app.scatter.pan()[1] > 0.0);
    press(&mut app, KeyCode::Char('0'));
    assert_eq!((app.scatter.zoom(), app.scatter.pan()), (1.0, [0.0, 0.0]));
    // Another method (or point set) is another picture: the view starts whole again.
    press(&mut app, KeyCode::Char('+'));
    press(&mut app, KeyCode::Char('m'));
    assert_eq!((app.scatter.zoom(), app.scatter.pan()), (1.0, [0.0, 0.0]));
    press(&mut app, KeyCode::Char('m'));
    press(&mut app, KeyCode::Char('m'));
    press(&mut app, KeyCode::Esc);
    // Elsewhere + still means more neighbours.
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Char('+'));
    // (k is at most the 16 words of the test space.)
    assert_eq!(app.neighbours.k(), (k + 5).min(ROWS.len()));
    assert!(app.neighbours.k() > k);
}

/// The test space with four words selected, the analogy answered and the scatter focused.
fn scatter_app() -> App {
    let mut app = app();
    for w in ["prince", "princess", "paris", "北京"] {
        select(&mut app, w);
    }
    press(&mut app, KeyCode::Char(':'));
    typed(&mut app, "man : king :: woman : ?");
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Char('v'));
    app
}

#[test]
fn scatter_80x24() {
    let app = scatter_app();
    insta::assert_snapshot!(draw(&app, 80, 24).backend());
}

#[test]
fn scatter_120x40() {
    let app = scatter_app();
    insta::assert_snapshot!(draw(&app, 120, 40).backend());
}

#[test]
fn scatter_beside_the_lists_from_140_columns() {
    let mut app = scatter_app();
    press(&mut app, KeyCode::Char('n'));
    let t = draw(&app, 150, 40);
    let screen: String = t
        .backend()
        .buffer()
        .content
        .iter()
        .map(|c| c.symbol())
        .collect();
    assert!(screen.contains("Neighbours"));
    assert!(screen.contains("Scatter"));
    assert!(screen.contains("PC1 ("));
}

/// Answers the open prompt with `path`.
fn answer_prompt(app: &mut App, path: &std::path::Path) {
    drive(app, ctrl('u'));
    typed(app, &path.display().to_string());
    press(app, KeyCode::Enter);
}

#[test]
fn the_export_writes_a_well_formed_svg_and_png() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = app();
    // Nothing selected: nothing to write, no prompt.
    press(&mut app, KeyCode::Char('v'));
    press(&mut app, KeyCode::Char('e'));
    assert!(app.prompt.is_none());
    assert!(app
        .status
        .as_ref()
        .unwrap()
        .text
        .contains("nothing to export"));
    select(&mut app, "king");
    select(&mut app, "北京");
    select(&mut app, "tab");
    press(&mut app, KeyCode::Char(':'));
    typed(&mut app, "man : king :: woman : ?");
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Char('v'));
    press(&mut app, KeyCode::Char('e'));
    // Nothing is written before the path is confirmed; the prompt offers the default.
    assert_eq!(app.prompt.as_ref().unwrap().input, "embx-scatter.svg");
    answer_prompt(&mut app, &dir.path().join("plot.svg"));
    let status = app.status.clone().unwrap();
    assert!(
        !status.error && status.text.contains("plot.svg"),
        "{status:?}"
    );
    let svg = std::fs::read_to_string(dir.path().join("plot.svg")).unwrap();
    assert!(svg.starts_with("<svg"));
    assert!(svg.trim_end().ends_with("</svg>"));
    // Titled as `embx layout` titles its pictures.
    assert!(
        svg.contains("<title>PCA of 6 words of tiny.txt</title>"),
        "{svg}"
    );
    for w in ["king", "北京", "queen", "PC1 (", "PC2 ("] {
        assert!(svg.contains(w), "{w} missing");
    }
    assert!(svg.contains("tab\tword"));
    assert_eq!(svg.matches("marker-end").count(), 2);
    // The same plot as a PNG beside it.
    assert!(status.text.contains("plot.png"), "{status:?}");
    let png = std::fs::read(dir.path().join("plot.png")).unwrap();
    assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"));
    // IHDR: length 13, type, then width and height big-endian.
    assert_eq!(&png[8..16], b"\0\0\0\x0dIHDR");
    assert_eq!(u32::from_be_bytes(png[16..20].try_into().unwrap()), 1200);
    assert_eq!(u32::from_be_bytes(png[20..24].try_into().unwrap()), 900);
    // The next export offers the last path; the title is escaped.
    app.name = "<a & b>".into();
    drive(&mut app, Action::Command(Command::Scatter(Cmd::Export)));
    let offered = app.prompt.as_ref().unwrap().input.clone();
    assert_eq!(offered, dir.path().join("plot.svg").display().to_string());
    answer_prompt(&mut app, &dir.path().join("escaped.svg"));
    let svg = std::fs::read_to_string(dir.path().join("escaped.svg")).unwrap();
    assert!(svg.contains("&lt;a &amp; b&gt;"));
    assert!(!svg.contains("<a & b>"));
}

#[test]
fn few_words_show_no_kept_figure_for_the_focus_either() {
    let mut app = scatter_app();
    press(&mut app, KeyCode::Char('/'));
    drive(&mut app, ctrl('u'));
    typed(&mut app, "paris");
    press(&mut app, KeyCode::Enter);
    assert!(app.focused.is_some());
    let screen = format!("{:?}", draw(&app, 120, 40).backend());
    assert!(screen.contains("too few words"), "{screen}");
    assert!(!screen.contains("neighbours are near it here"), "{screen}");
}

#[test]
fn v_again_goes_back_to_the_neighbours() {
    let mut app = scatter_app();
    assert_eq!(app.focus, Panel::Scatter);
    press(&mut app, KeyCode::Char('v'));
    assert_eq!(app.focus, Panel::Neighbours);
    // Below 140 columns the two share a place: the neighbours are back on screen.
    let screen = format!("{:?}", draw(&app, 120, 40).backend());
    assert!(screen.contains("Neighbours"), "{screen}");
    press(&mut app, KeyCode::Char('v'));
    assert_eq!(app.focus, Panel::Scatter);
}

/// A set that cannot be laid out says so in the panel (its title names that set, not the old
/// layout's), Esc in the prompt of `o` or `m` changes nothing, and a word list that cannot
/// be read is an alert.
#[test]
fn refused_and_cancelled_sets_leave_nothing_stale() {
    let scatter = |app: &mut App, c: Cmd| drive(app, Action::Command(Command::Scatter(c)));
    let mut app = app();
    select(&mut app, "king");
    select(&mut app, "queen");
    press(&mut app, KeyCode::Char('v'));
    assert_eq!(scatter_words(&app), ["king", "queen"]);
    // o: focus + neighbours, and no word is focused.
    app.focused = None;
    scatter(&mut app, Cmd::CyclePoints);
    let shown = format!("{:?}", draw(&app, 120, 40).backend());
    assert!(shown.contains("Scatter · focus + neighbours"), "{shown}");
    assert!(shown.contains("no word focused"), "{shown}");
    assert!(!shown.contains("2 words"), "{shown}");
    // The status line says so only while it is true.
    assert!(app
        .status
        .as_ref()
        .unwrap()
        .text
        .contains("no word focused"));
    press(&mut app, KeyCode::Char('/'));
    drive(&mut app, ctrl('u'));
    typed(&mut app, "paris");
    press(&mut app, KeyCode::Enter);
    assert!(
        app.focused.is_some(),
        "{:?} {:?}",
        app.search.query(),
        app.status
    );
    let said = app.status.as_ref().map_or("", |m| m.text.as_str());
    assert!(!said.contains("no word focused"), "{said}");
    // m towards custom axes (PCA → t-SNE → UMAP → axes), then Esc: UMAP stays.
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Char('v'));
    scatter(&mut app, Cmd::CycleMethod);
    scatter(&mut app, Cmd::CycleMethod);
    let method = app.scatter.settings().method;
    scatter(&mut app, Cmd::CycleMethod);
    assert!(app.prompt.is_some(), "custom axes ask for x");
    press(&mut app, KeyCode::Esc);
    assert_eq!(app.scatter.settings().method, method);
    // o towards a word list, then Esc: the points are what they were before that o.
    let mut before = app.scatter.settings().points;
    while app.prompt.is_none() {
        before = app.scatter.settings().points;
        scatter(&mut app, Cmd::CyclePoints);
    }
    press(&mut app, KeyCode::Esc);
    assert_eq!(app.scatter.settings().points, before);
    // o again does not ask again: it goes on round the cycle, past the list.
    scatter(&mut app, Cmd::CyclePoints);
    assert!(app.prompt.is_none());
    assert_eq!(app.scatter.settings().points, Points::List.next());
    // A list that is not there (chosen in the form): an alert.
    scatter(&mut app, Cmd::Form);
    while app.scatter.form() != Some(Field::List) {
        scatter(&mut app, Cmd::Cursor(0, -1));
    }
    scatter(&mut app, Cmd::Edit);
    typed(&mut app, "/no/such/words.txt");
    press(&mut app, KeyCode::Enter);
    let alert = app.alert.as_ref().expect("an alert");
    assert!(alert.text.contains("words.txt"), "{}", alert.text);
}
