//! The phrases view, selection files and export, driven through `update`; snapshots of the
//! phrases view.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test code: a failed unwrap is a failed test"
)]
#[path = "../support/mod.rs"]
mod support;
#[path = "../tui_support/mod.rs"]
mod tui_support;

mod files;

use crossterm::event::KeyCode;
use embx::tui::{drive, ui, App, Panel};
use ratatui::backend::TestBackend;
use ratatui::Terminal;
use tui_support::*;

fn draw(app: &App, w: u16, h: u16) -> Terminal<TestBackend> {
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    t.draw(|f| ui::render(f, app)).unwrap();
    t
}

fn add_sentences(app: &mut App, sentences: &[&str]) {
    if app.focus != Panel::Phrases {
        press(app, KeyCode::Char('p'));
    }
    for s in sentences {
        typed(app, s);
        press(app, KeyCode::Enter);
    }
}

fn cosine(a: &[f32], b: &[f32]) -> f32 {
    let dot: f32 = a.iter().zip(b).map(|(x, y)| x * y).sum();
    let n = |v: &[f32]| v.iter().map(|x| x * x).sum::<f32>().sqrt();
    dot / (n(a) * n(b))
}

fn vector(word: &str) -> [f32; 8] {
    ROWS[row(word) as usize].1
}

/// The sentences of the snapshots: unknown words, CJK, punctuation.
pub fn phrases_app() -> App {
    let mut app = app();
    add_sentences(
        &mut app,
        &[
            "the king rules the land",
            "a queen reigns over the country",
            "cats eat fish",
            "北京 , 中国 and 东京",
            "Prince, princess!",
        ],
    );
    app
}

#[test]
fn sentences_make_a_cosine_matrix() {
    let mut app = app();
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Char('p'));
    assert_eq!(app.focus, Panel::Phrases);
    assert!(app.editing, "the view opens typing");
    // Enter on an empty line adds nothing.
    press(&mut app, KeyCode::Enter);
    assert!(app.phrases.phrases().is_empty());
    add_sentences(&mut app, &["King .", "queen", "the xyz", "zzz"]);
    let s = &app.phrases;
    assert_eq!(s.phrases().len(), 4);
    assert_eq!(s.matrix().len(), 4);
    assert!(app.phrases.input().is_empty());
    let m = &s.matrix();
    // One-word phrases: the cosine of the two words ("King" is found as "king").
    let kq = cosine(&vector("king"), &vector("queen"));
    assert!((m[0][1].unwrap() - kq).abs() < 1e-5, "{:?}", m[0][1]);
    assert!((m[0][1].unwrap() - 0.7372).abs() < 1e-4);
    assert_eq!(m[1][0], m[0][1]);
    assert!((m[0][0].unwrap() - 1.0).abs() < 1e-5);
    // "the xyz" is "the"; "zzz" has no vector at all.
    let kt = cosine(&vector("king"), &vector("the"));
    assert!((m[0][2].unwrap() - kt).abs() < 1e-5);
    assert_eq!(s.phrases()[2].unknown(), ["xyz"]);
    assert_eq!(m[3], vec![None; 4]);
    assert!(app.status.as_ref().unwrap().error, "{:?}", app.status);
    // Delete the highlighted (last) one, then the first.
    press(&mut app, KeyCode::Esc);
    assert_eq!(app.phrases.selected(), 3);
    press(&mut app, KeyCode::Char('d'));
    assert_eq!(app.phrases.phrases().len(), 3);
    assert_eq!(app.phrases.selected(), 2);
    press(&mut app, KeyCode::Char('g'));
    press(&mut app, KeyCode::Delete);
    let texts: Vec<&str> = app
        .phrases
        .phrases()
        .iter()
        .map(|p| p.text.as_str())
        .collect();
    assert_eq!(texts, ["queen", "the xyz"]);
    assert_eq!(app.phrases.matrix().len(), 2);
    // `i` types again; twelve sentences at most.
    press(&mut app, KeyCode::Char('i'));
    assert!(app.editing);
    add_sentences(&mut app, &["man"; 12]);
    assert_eq!(app.phrases.phrases().len(), 12);
    assert!(app.status.as_ref().unwrap().text.contains("at most 12"));
    // Esc stops typing, Esc again goes back to the panel that was focused.
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Esc);
    assert_eq!(app.focus, Panel::Search);
    assert_eq!(app.phrases.phrases().len(), 12, "the sentences stay");
}

#[test]
fn typing_q_in_the_phrases_line_is_text() {
    let mut app = app();
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Char('p'));
    assert!(!press(&mut app, KeyCode::Char('q')));
    assert_eq!(app.phrases.input(), "q");
    press(&mut app, KeyCode::Backspace);
    assert_eq!(app.phrases.input(), "");
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Char('p'));
    assert_eq!(app.focus, Panel::Search);
    // Back on the search panel, not typing: the key that closed the view was a command, and
    // so is q.
    assert!(press(&mut app, KeyCode::Char('q')));
}

#[test]
fn phrases_80x24() {
    let app = phrases_app();
    insta::assert_snapshot!(draw(&app, 80, 24).backend());
}

#[test]
fn phrases_120x40() {
    let mut app = phrases_app();
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Up);
    insta::assert_snapshot!(draw(&app, 120, 40).backend());
}

#[test]
fn twelve_phrases_fit_at_80x24_and_prompt() {
    let mut app = app();
    let words = [
        "king", "queen", "man", "woman", "prince", "princess", "kingdom", "paris", "france",
        "apple", "北京", "日本",
    ];
    add_sentences(&mut app, &words);
    assert_eq!(app.phrases.phrases().len(), 12);
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Char('S'));
    insta::assert_snapshot!(draw(&app, 80, 24).backend());
}

#[test]
fn phrase_cells_are_shaded_only_with_colour() {
    let mut app = phrases_app();
    let coloured = |app: &App| {
        draw(app, 100, 30)
            .backend()
            .buffer()
            .content
            .iter()
            .any(|c| c.bg != ratatui::style::Color::Reset)
    };
    assert!(!coloured(&app));
    app.color = true;
    assert!(coloured(&app));
}

#[test]
fn sif_stopwords_and_the_first_component_change_the_matrix_as_the_library_does() {
    use embx::query::sif::{weighted_phrases, Options, Weighting};
    let texts = [
        "the king and the queen",
        "the prince and the princess",
        "the apple of paris",
    ];
    let mut app = app();
    add_sentences(&mut app, &texts);
    press(&mut app, KeyCode::Esc);
    let space = app.space.clone().unwrap();
    let expect = |o: &Options| {
        let w = weighted_phrases(&space, &texts, o);
        embx::query::similarity_matrix(&w.phrases)
    };
    // SIF (p from the Zipf rank: the test space has no counts), as `embx phrases` by default.
    let mut o = Options {
        weighting: Weighting::Sif,
        ..Options::default()
    };
    assert_eq!(*app.phrases.options(), o);
    assert_eq!(app.phrases.matrix(), &expect(&o)[..]);
    assert_ne!(expect(&o), expect(&Options::default()));
    // w: the plain mean, and back.
    press(&mut app, KeyCode::Char('w'));
    assert!(app.phrases.weighting_note().starts_with("plain mean"));
    assert_eq!(app.phrases.matrix(), &expect(&Options::default())[..]);
    press(&mut app, KeyCode::Char('w'));
    assert!(
        app.phrases
            .weighting_note()
            .contains("SIF a=0.001, p(w) from Zipf rank"),
        "{}",
        app.phrases.weighting_note()
    );
    // "the" (rank 1) weighs less than "queen" (rank 3).
    let w = app.phrases.weights(0);
    assert!(w[0] < w[4], "{w:?}");
    // s: stopwords weigh nothing.
    press(&mut app, KeyCode::Char('s'));
    o.drop_stopwords = true;
    assert_eq!(app.phrases.matrix(), &expect(&o)[..]);
    assert_eq!(app.phrases.weights(0)[0], 0.0);
    assert_eq!(app.phrases.weights(0)[2], 0.0, "and");
    // c: the first principal component goes.
    press(&mut app, KeyCode::Char('c'));
    o.remove_pc = true;
    assert_eq!(app.phrases.matrix(), &expect(&o)[..]);
    assert!(app.phrases.weighting_note().contains("PC1 removed"));
    // The view says which weighting is used, and the weights of the highlighted sentence.
    let t = draw(&app, 80, 24);
    let text: String = t
        .backend()
        .buffer()
        .content()
        .iter()
        .map(|c| c.symbol())
        .collect();
    assert!(text.contains("weighting: SIF a=0.001"), "{text}");
    assert!(text.contains("stopwords dropped"), "{text}");
    insta::assert_snapshot!("phrases_sif_80x24", t.backend());
    // Typing in the line: w s c are letters there.
    press(&mut app, KeyCode::Char('i'));
    typed(&mut app, "wsc");
    assert_eq!(app.phrases.input(), "wsc");
    assert_eq!(*app.phrases.options(), o);
    // Ctrl-T switches the weighting while typing too.
    drive(&mut app, ctrl('t'));
    assert_eq!(app.phrases.options().weighting, Weighting::Mean);
}
