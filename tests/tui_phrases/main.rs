//! The phrases view, selection files and export, driven through `update`; snapshots of the
//! phrases view.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test code: a failed unwrap is a failed test"
)]
mod support;
mod tui_support;

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

/// Opens the prompt with `key`, replaces the default name with `path` and accepts it.
fn prompt(app: &mut App, key: char, path: &std::path::Path) {
    press(app, KeyCode::Char(key));
    assert!(app.prompt.is_some(), "{key} opens the prompt");
    drive(app, ctrl('u'));
    typed(app, path.to_str().unwrap());
    press(app, KeyCode::Enter);
    assert!(app.prompt.is_none());
}

#[test]
fn save_and_load_the_selection() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("sel.txt");
    let mut app = app();
    press(&mut app, KeyCode::Char('/'));
    typed(&mut app, "prince");
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Char(' '));
    press(&mut app, KeyCode::Down);
    press(&mut app, KeyCode::Char(' '));
    // The default name, and Esc cancels.
    press(&mut app, KeyCode::Char('S'));
    assert_eq!(app.prompt.as_ref().unwrap().input, "embx-selection.txt");
    assert!(
        !press(&mut app, KeyCode::Char('q')),
        "q is text in the prompt"
    );
    press(&mut app, KeyCode::Esc);
    assert!(app.prompt.is_none());
    prompt(&mut app, 'S', &file);
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        "prince\nprincess\n"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&file).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o644, "a new file is readable by others");
    }
    let status = app.status.clone().unwrap();
    assert!(
        !status.error && status.text.contains("sel.txt"),
        "{status:?}"
    );
    // Load a list with an unknown word into an empty selection.
    std::fs::write(&file, "queen\r\nnotaword\n\n北京\nqueen\n").unwrap();
    press(&mut app, KeyCode::Char('x'));
    assert!(app.selection.is_empty());
    prompt(&mut app, 'L', &file);
    assert_eq!(app.selection, vec![row("queen"), row("北京")]);
    let status = app.status.clone().unwrap();
    assert!(status.error, "{status:?}");
    assert!(
        status.text.contains("added 2 words") && status.text.contains("1 unknown: \"notaword\""),
        "{status:?}"
    );
    // A missing file is an error that stays on screen until dismissed; the selection is
    // unchanged and the space stays usable.
    prompt(&mut app, 'L', &dir.path().join("missing.txt"));
    assert!(app.status.as_ref().unwrap().text.contains("could not read"));
    let alert = app.alert.clone().expect("an alert");
    assert!(alert.title.contains("missing.txt"), "{alert:?}");
    assert_eq!(app.selection.len(), 2);
    press(&mut app, KeyCode::Char('x'));
    assert_eq!(
        app.selection.len(),
        2,
        "keys wait until the alert is closed"
    );
    press(&mut app, KeyCode::Enter);
    assert!(app.alert.is_none());
    assert!(app.space.is_some());
    // An empty selection is not saved.
    press(&mut app, KeyCode::Char('x'));
    prompt(&mut app, 'S', &file);
    assert!(app.status.as_ref().unwrap().error);
    assert!(std::fs::read_to_string(&file).unwrap().starts_with("queen"));
}

#[test]
fn export_neighbours_and_analogy_to_csv_and_json() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = app();
    press(&mut app, KeyCode::Char('/'));
    typed(&mut app, "king");
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Esc);
    let hits = app.neighbours.answer().clone().unwrap().hits;
    press(&mut app, KeyCode::Char('E'));
    assert_eq!(app.prompt.as_ref().unwrap().input, "embx-neighbours.csv");
    press(&mut app, KeyCode::Esc);
    let csv = dir.path().join("n.csv");
    prompt(&mut app, 'E', &csv);
    let status = app.status.clone().unwrap();
    assert!(!status.error && status.text.contains("n.csv"), "{status:?}");
    let text = std::fs::read_to_string(&csv).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "rank,word,row,score");
    assert_eq!(lines.len(), hits.len() + 1);
    for (i, (line, hit)) in lines[1..].iter().zip(&hits).enumerate() {
        let f: Vec<&str> = line.split(',').collect();
        assert_eq!(f[0], (i + 1).to_string());
        assert_eq!(f[1], app.word(hit.index));
        assert_eq!(f[2], hit.index.to_string());
        assert_eq!(f[3].parse::<f32>().unwrap(), hit.score);
    }
    assert!(lines[1].starts_with("1,prince,5,0.91"), "{}", lines[1]);
    // JSON, by the extension.
    let json = dir.path().join("n.JSON");
    prompt(&mut app, 'E', &json);
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).expect("valid JSON");
    let rows = v.as_array().unwrap();
    assert_eq!(rows.len(), hits.len());
    assert_eq!(rows[0]["rank"], 1);
    assert_eq!(rows[0]["word"], "prince");
    assert_eq!(rows[0]["row"], row("prince"));
    assert!((rows[0]["score"].as_f64().unwrap() - f64::from(hits[0].score)).abs() < 1e-6);
    // Other extensions are refused; nothing is written.
    prompt(&mut app, 'E', &dir.path().join("n.txt"));
    assert!(app.status.as_ref().unwrap().error);
    assert!(!dir.path().join("n.txt").exists());
    // The analogy answer, when its panel is focused.
    press(&mut app, KeyCode::Char(':'));
    typed(&mut app, "man : king :: woman : ?");
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Char('E'));
    assert_eq!(app.prompt.as_ref().unwrap().input, "embx-analogy.csv");
    press(&mut app, KeyCode::Esc);
    let a = dir.path().join("a.csv");
    prompt(&mut app, 'E', &a);
    let text = std::fs::read_to_string(&a).unwrap();
    assert_eq!(
        text.lines().nth(1).unwrap().split(',').nth(1),
        Some("queen")
    );
}

#[test]
fn export_quotes_odd_words() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = app();
    press(&mut app, KeyCode::Char('/'));
    typed(&mut app, "apple");
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Esc);
    let csv = dir.path().join("odd.csv");
    prompt(&mut app, 'E', &csv);
    // "tab\tword" needs no quotes (no comma or quote); every line has four fields.
    let text = std::fs::read_to_string(&csv).unwrap();
    assert!(text.lines().all(|l| l.split(',').count() == 4), "{text}");
    assert!(text.contains("tab\tword"));
}

#[test]
fn nothing_to_export_without_an_answer() {
    let mut app = app();
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Char('E'));
    press(&mut app, KeyCode::Enter);
    let status = app.status.clone().unwrap();
    assert!(status.error && status.text.contains("nothing to export"));
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

/// `update` only asks for files: the export is an effect, and the file appears only when
/// that effect runs (on the worker's file lane; here by hand).
#[test]
fn no_file_appears_until_the_effect_runs() {
    use embx::tui::{execute, update, Action, Command, Effect, JobKind, Lane};
    let dir = tempfile::tempdir().unwrap();
    let mut app = app();
    app.dir = dir.path().to_path_buf();
    press(&mut app, KeyCode::Char('/'));
    typed(&mut app, "king");
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Char('E'));
    assert_eq!(app.prompt.as_ref().unwrap().input, "embx-neighbours.csv");
    let effects = update(&mut app, Action::Command(Command::PromptAccept));
    let file = dir.path().join("embx-neighbours.csv");
    assert!(!file.exists(), "update wrote the file itself");
    let [Effect::Run(job)] = effects.as_slice() else {
        panic!("expected one job, got {effects:?}");
    };
    assert!(matches!(job.kind, JobKind::File(_)));
    assert_eq!(job.kind.lane(), Lane::Files);
    assert!(app.jobs.is_running(Lane::Files));
    assert!(!file.exists());
    let done = execute(job.clone());
    assert!(file.exists(), "the effect did not write the file");
    assert!(update(&mut app, done).is_empty());
    assert!(!app.jobs.is_running(Lane::Files));
    let status = app.status.clone().unwrap();
    assert!(
        !status.error && status.text.contains("exported"),
        "{status:?}"
    );
    let csv = std::fs::read_to_string(&file).unwrap();
    assert!(csv.starts_with("rank,word,row,score\n1,prince,"), "{csv}");
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
