//! A run's life in the panel: idle → running → paused → stopped → saved; its questions and saves.
use super::{
    command, corpus, finished_run, metadata_of, panel_with_corpus, tui_support, words_done, Live,
};
use embx::train::Phase as MonitorPhase;
use embx::tui::panels::train::{Field, Mode, Phase, TrainCmd};
use embx::tui::{drive, Action, App, Command};
use std::time::Duration;

#[test]
fn idle_running_paused_stopped_saved() {
    let dir = tempfile::tempdir().unwrap();
    let path = corpus(dir.path(), 4000);
    let settings = [
        (Field::Dim, "16"),
        (Field::MinCount, "1"),
        (Field::Sample, "0"),
        (Field::Epochs, "2000"),
        (Field::Threads, "2"),
    ];
    let mut app = panel_with_corpus(&path, &settings);
    assert_eq!(app.train.phase(), &Phase::Idle);
    let c = app.train.form().config();
    assert_eq!((c.dim, c.sample, c.epochs, c.threads), (16, 0.0, 2000, 2));
    let mut live = Live::new();

    live.apply(&mut app, command(TrainCmd::Start));
    assert_eq!(app.train.phase(), &Phase::Running);
    live.until(&mut app, "training with a snapshot", |a| {
        a.train
            .seen()
            .is_some_and(|s| s.phase == MonitorPhase::Training && s.done > 0)
            && a.space.is_some()
            && !a.train.watch().is_empty()
            && !a.train.loss().is_empty()
    });
    assert_eq!(app.space.as_ref().unwrap().len(), 16);
    assert!(app.train.watch().iter().all(|r| r.known));

    live.apply(&mut app, command(TrainCmd::Pause));
    assert_eq!(app.train.phase(), &Phase::Paused);
    // Each worker stops at its next check (within 10,000 words); wait until both wait.
    live.until(&mut app, "the pause to take hold", |a| {
        a.train
            .run()
            .is_some_and(|r| r.monitor().parked_workers() == 2)
    });
    live.apply(&mut app, Action::Tick);
    let paused_at = words_done(&app);
    std::thread::sleep(Duration::from_millis(300));
    live.apply(&mut app, Action::Tick);
    assert_eq!(
        words_done(&app),
        paused_at,
        "words were trained while paused"
    );
    assert!(app.train.seen().unwrap().paused);

    // A snapshot saved while paused says how far training got.
    let snap_path = dir.path().join("paused.fifu");
    live.apply(&mut app, command(TrainCmd::Save));
    app.prompt.as_mut().unwrap().input = snap_path.display().to_string();
    live.apply(&mut app, Action::Command(Command::PromptAccept));
    live.until(&mut app, "the paused save", |a| a.train.saved().is_some());
    let meta = metadata_of(&snap_path);
    assert!(meta.contains("completed = false"), "{meta}");
    assert!(
        meta.contains(&format!("words_processed = {paused_at}")),
        "{meta}"
    );

    live.apply(&mut app, command(TrainCmd::Pause));
    assert_eq!(app.train.phase(), &Phase::Running);
    live.until(&mut app, "training after resuming", |a| {
        words_done(a) > paused_at
    });

    live.apply(&mut app, command(TrainCmd::Stop));
    assert_eq!(app.train.phase(), &Phase::Stopping);
    live.until(&mut app, "the end of the run", |a| !a.train.is_active());
    assert_eq!(app.train.phase(), &Phase::Finished { completed: false });
    let report = app.train.report().cloned().unwrap();
    assert!(!report.completed && report.epochs_done < 2000.0);
    assert!(app.train.has_output_weights());

    let final_path = dir.path().join("stopped.vec");
    live.apply(&mut app, command(TrainCmd::Save));
    app.prompt.as_mut().unwrap().input = final_path.display().to_string();
    live.apply(&mut app, Action::Command(Command::PromptAccept));
    live.until(&mut app, "the final save", |a| {
        a.train.saved() == Some(final_path.as_path())
    });
    let text = std::fs::read_to_string(&final_path).unwrap();
    assert!(
        text.starts_with("16 16\n"),
        "{}",
        &text[..40.min(text.len())]
    );
}

#[test]
fn the_start_from_choice_is_kept_when_the_panel_is_left() {
    let mut app = tui_support::app();
    drive(&mut app, command(TrainCmd::Toggle));
    assert_eq!(app.train.form().mode(), Mode::Continue);
    drive(&mut app, Action::Command(Command::PromptCancel));
    while app.train.selected_field() != Field::Mode {
        drive(&mut app, Action::Command(Command::Down));
    }
    drive(&mut app, command(TrainCmd::Activate));
    assert_eq!(app.train.form().mode(), Mode::Scratch);
    // Back to the panels and in again: the choice stands.
    drive(&mut app, command(TrainCmd::Toggle));
    assert_ne!(app.focus, embx::tui::Panel::Train);
    drive(&mut app, command(TrainCmd::Toggle));
    assert_eq!(app.train.form().mode(), Mode::Scratch);
}

#[test]
fn quitting_after_an_unsaved_run_asks_first() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = finished_run(dir.path());
    assert_eq!(app.train.phase(), &Phase::Finished { completed: true });
    drive(&mut app, Action::Command(Command::Quit));
    assert!(!app.quit, "the trained vectors are only in memory");
    let said = app
        .status
        .as_ref()
        .map(|m| m.text.clone())
        .unwrap_or_default();
    assert!(said.contains("not saved"), "{said}");
    drive(&mut app, Action::Command(Command::Quit));
    assert!(app.quit, "q again quits");
}

/// Saves are never dropped for newer ones, and quitting waits for them.
#[test]
fn every_save_asked_for_is_written_even_when_quitting() {
    use embx::tui::panels::train::session::{SaveRequest, Vectors};
    use embx::tui::worker::{Job, JobKind, Worker};
    let dir = tempfile::tempdir().unwrap();
    let space = embx::demo::load().unwrap().space;
    let (mut worker, results) = Worker::new();
    let paths: Vec<_> = (0..3)
        .map(|i| dir.path().join(format!("s{i}.fifu")))
        .collect();
    for (i, path) in paths.iter().enumerate() {
        worker.submit(Job {
            gen: i as u64 + 1,
            kind: JobKind::Save(Box::new(SaveRequest {
                vectors: Vectors::Ready(space.clone()),
                path: path.clone(),
                format: None,
                note: String::new(),
                model: None,
                replace: true,
            })),
            progress: embx::jobs::Progress::new(),
        });
    }
    // As the explorer does on quit: cancel the rest, stop listening, wait for the saves.
    worker.cancel_all();
    drop(results);
    worker.finish_saves();
    for p in &paths {
        let meta = std::fs::metadata(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
        assert!(meta.len() > 1_000_000, "{}", p.display());
    }
}

#[test]
fn saving_over_an_existing_file_asks_first() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = finished_run(dir.path());
    let target = dir.path().join("mine.fifu");
    std::fs::write(&target, "a file of the user's").unwrap();
    let save_to = |app: &mut App| {
        drive(app, command(TrainCmd::Save));
        app.prompt.as_mut().unwrap().input = target.display().to_string();
        drive(app, Action::Command(Command::PromptAccept));
        app.status
            .as_ref()
            .map(|m| m.text.clone())
            .unwrap_or_default()
    };
    let said = save_to(&mut app);
    assert!(said.contains("exists"), "{said}");
    assert_eq!(
        std::fs::read_to_string(&target).unwrap(),
        "a file of the user's"
    );
    // The same name again replaces it; saving there later needs no second asking.
    let said = save_to(&mut app);
    assert!(said.starts_with("saved"), "{said}");
    assert!(metadata_of(&target).contains("completed = true"));
    let said = save_to(&mut app);
    assert!(said.starts_with("saved"), "{said}");
}

/// Enter on the corpus question with nothing typed keeps the question open (it closed
/// silently, and the path typed next went to the search box).
#[test]
fn an_empty_corpus_answer_keeps_the_question() {
    let mut app = App::new("tiny", false);
    drive(&mut app, command(TrainCmd::Toggle));
    let asked = |app: &App| app.prompt.as_ref().map(|p| p.kind);
    let corpus = Some(embx::tui::files::PromptKind::TrainField(Field::Corpus));
    assert_eq!(asked(&app), corpus);
    drive(&mut app, Action::Command(Command::PromptAccept));
    assert_eq!(asked(&app), corpus);
    drive(
        &mut app,
        tui_support::key(crossterm::event::KeyCode::Char('/')),
    );
    assert_eq!(app.prompt.as_ref().unwrap().input, "/");
}
