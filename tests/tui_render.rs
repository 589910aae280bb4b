//! The explorer drawn on a TestBackend: snapshots of the main screen, and every small size.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test code: a failed unwrap is a failed test"
)]
mod support;
mod tui_support;

use crossterm::event::KeyCode;
use embx::tui::panels::scatter::Cmd;
use embx::tui::{drive, ui, Action, App, Command};
use ratatui::backend::TestBackend;
use ratatui::Terminal;
use tui_support::*;

fn draw(app: &App, w: u16, h: u16) -> Terminal<TestBackend> {
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    t.draw(|f| ui::render(f, app)).unwrap();
    t
}

/// King focused with its neighbours, queen selected, an analogy answered, and the search
/// showing "prin".
fn busy_app() -> App {
    let mut app = app();
    press(&mut app, KeyCode::Char('/'));
    typed(&mut app, "king");
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Char(':'));
    typed(&mut app, "man : king :: woman : ?");
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Char('/'));
    drive(&mut app, ctrl('u'));
    typed(&mut app, "prin");
    // Space selects once out of the box; `/` goes back to typing.
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Char(' '));
    press(&mut app, KeyCode::Char('/'));
    app
}

#[test]
fn main_screen_80x24() {
    let app = busy_app();
    insta::assert_snapshot!(draw(&app, 80, 24).backend());
}

#[test]
fn main_screen_120x40() {
    let mut app = busy_app();
    // The whole vocabulary, with CJK words and an escaped tab.
    drive(&mut app, ctrl('u'));
    insta::assert_snapshot!(draw(&app, 120, 40).backend());
}

#[test]
fn query_error_and_help_80x24() {
    let mut app = app();
    press(&mut app, KeyCode::Char(':'));
    typed(&mut app, "巴黎 : france :: 北京 : ?");
    press(&mut app, KeyCode::Enter);
    insta::assert_snapshot!("query_error", draw(&app, 80, 24).backend());
    drive(&mut app, Action::Command(Command::Help));
    insta::assert_snapshot!("help", draw(&app, 80, 24).backend());
}

#[test]
fn every_small_size_and_some_large_ones_draw_without_panicking() {
    let mut states = vec![App::new("nothing", false), app(), busy_app()];
    let mut help = busy_app();
    drive(&mut help, Action::Command(Command::Help));
    states.push(help);
    let mut error = app();
    press(&mut error, KeyCode::Char(':'));
    typed(&mut error, "a : :: c");
    press(&mut error, KeyCode::Enter);
    states.push(error);
    // The phrases view with a long list, and the file-name prompt over the status line.
    let mut phrases = busy_app();
    press(&mut phrases, KeyCode::Esc);
    press(&mut phrases, KeyCode::Char('p'));
    for s in ["king rules", "北京 中国 apple", "zzz", "queen , princess"].repeat(3) {
        typed(&mut phrases, s);
        press(&mut phrases, KeyCode::Enter);
    }
    states.push(phrases.clone());
    press(&mut phrases, KeyCode::Esc);
    press(&mut phrases, KeyCode::Char('E'));
    states.push(phrases);
    let mut scatter = busy_app();
    press(&mut scatter, KeyCode::Esc);
    press(&mut scatter, KeyCode::Char('n'));
    drive(&mut scatter, Action::Command(Command::Scatter(Cmd::Show)));
    press(&mut scatter, KeyCode::Char('n'));
    states.push(scatter);
    let mut sizes: Vec<(u16, u16)> = (1..=30)
        .flat_map(|w| (1..=10).map(move |h| (w, h)))
        .collect();
    sizes.extend([
        (59, 20),
        (60, 17),
        (80, 24),
        (100, 30),
        (200, 60),
        (300, 5),
        (3, 100),
        (140, 30),
        (160, 8),
    ]);
    for app in &states {
        for &(w, h) in &sizes {
            let t = draw(app, w, h);
            assert_eq!(t.backend().buffer().area.width, w);
        }
    }
}

#[test]
fn no_color_draws_no_colours() {
    let app = busy_app();
    let t = draw(&app, 80, 24);
    let coloured = t
        .backend()
        .buffer()
        .content
        .iter()
        .any(|c| c.fg != ratatui::style::Color::Reset || c.bg != ratatui::style::Color::Reset);
    assert!(!coloured, "colours drawn with colour off");
    let mut app = busy_app();
    app.color = true;
    let t = draw(&app, 80, 24);
    assert!(t
        .backend()
        .buffer()
        .content
        .iter()
        .any(|c| c.fg != ratatui::style::Color::Reset));
}

/// At 80×24 a 50-dimensional word shows whole in the inspector: the extremes' line gives way
/// to the second pair of strip lines.
#[test]
fn the_inspector_shows_a_50_dim_vector_whole_at_80x24() {
    let words: Vec<String> = (0..30).map(|i| format!("w{i}")).collect();
    let refs: Vec<&str> = words.iter().map(String::as_str).collect();
    let data = (0..30 * 50)
        .map(|i| ((i * 7919 % 23) as f32 - 11.0) / 7.0)
        .collect();
    let space = support::space_from("fifty.txt", &refs, 50, data);
    let mut app = App::new("fifty.txt", false);
    drive(&mut app, Action::Load(embx::tui::Source::Ready(space)));
    typed(&mut app, "w3");
    press(&mut app, KeyCode::Enter);
    let shown = screen(&app, 80, 24);
    let inspect: Vec<&str> = shown
        .lines()
        .skip_while(|l| !l.contains("Inspect w3"))
        .take(8)
        .collect();
    assert!(inspect[3].contains("= one-hot(3) × W"), "{shown}");
    assert!(
        inspect
            .iter()
            .all(|l| !l.contains('…') && !l.contains("min ")),
        "{shown}"
    );
    // 26 columns a pair: the second pair holds dimensions 26–49.
    assert!(inspect[6].chars().any(|c| c != ' ' && c != '│'), "{shown}");
}
