//! Selection files and exports: saving and loading the selection, CSV and JSON, the file lane.
use super::tui_support::{app, ctrl, press, row, typed};
use crossterm::event::KeyCode;
use embx::tui::{drive, App};

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
