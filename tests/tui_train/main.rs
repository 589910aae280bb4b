//! Train in place, driven through `update`: a run on a small generated corpus goes idle →
//! running → paused → stopped → saved with the real background worker; continuing the open
//! vectors and `embx train --tui`'s start run synchronously with `drive`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test code: a failed unwrap is a failed test"
)]
mod support;
mod tui_support;

use embx::train::Phase as MonitorPhase;
use embx::tui::panels::train::{Field, Mode, Phase, TrainCmd};
use embx::tui::worker::Worker;
use embx::tui::{drive, training_app, update, Action, App, Command, Effect, TrainLaunch};
use std::path::{Path, PathBuf};
use std::sync::mpsc::Receiver;
use std::time::{Duration, Instant};

/// Sentences about royalty or cities, with words of both topics' vocabularies; words of the
/// test space (king, queen, paris…) and words it lacks (crown, street…).
fn corpus(dir: &Path, sentences: usize) -> PathBuf {
    const TOPICS: [&[&str]; 2] = [
        &[
            "king", "queen", "prince", "princess", "crown", "throne", "royal", "palace",
        ],
        &[
            "paris", "france", "北京", "中国", "street", "market", "city", "river",
        ],
    ];
    let mut state: u64 = 12345;
    let mut next = || {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (state >> 33) as usize
    };
    let mut text = String::new();
    for s in 0..sentences {
        let topic = TOPICS[s % 2];
        let words: Vec<&str> = (0..12).map(|_| topic[next() % topic.len()]).collect();
        text.push_str(&words.join(" "));
        text.push('\n');
    }
    let path = dir.join("corpus.txt");
    std::fs::write(&path, text).unwrap();
    path
}

fn command(c: TrainCmd) -> Action {
    Action::Command(Command::Train(c))
}

/// The explorer with its real worker: effects start jobs on threads, results come back.
struct Live {
    worker: Worker,
    results: Receiver<Action>,
}

impl Live {
    fn new() -> Self {
        let (worker, results) = Worker::new();
        Live { worker, results }
    }

    fn apply(&mut self, app: &mut App, action: Action) {
        for effect in update(app, action) {
            if let Effect::Run(job) = effect {
                self.worker.submit(job);
            }
        }
    }

    /// Ticks and takes in results until `done` holds (panics after 60 s).
    fn until(&mut self, app: &mut App, what: &str, done: impl Fn(&App) -> bool) {
        let start = Instant::now();
        while !done(app) {
            assert!(
                start.elapsed() < Duration::from_secs(60),
                "timed out: {what}"
            );
            let results: Vec<Action> = self.results.try_iter().collect();
            for a in results {
                self.apply(app, a);
            }
            self.apply(app, Action::Tick);
            std::thread::sleep(Duration::from_millis(5));
        }
    }
}

fn words_done(app: &App) -> u64 {
    app.train.seen().map_or(0, |s| s.done)
}

/// An explorer without vectors, its train panel opened (which asks for a corpus: `path`),
/// then the form's `settings` set through their rows.
fn panel_with_corpus(path: &Path, settings: &[(Field, &str)]) -> App {
    let mut app = App::new("tiny", false);
    drive(&mut app, command(TrainCmd::Toggle));
    assert_eq!(app.focus, embx::tui::Panel::Train);
    app.prompt.as_mut().unwrap().input = path.display().to_string();
    drive(&mut app, Action::Command(Command::PromptAccept));
    for &(field, value) in settings {
        tui_support::set_train_field(&mut app, field, value);
    }
    app
}

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

fn metadata_of(path: &Path) -> String {
    let loaded = embx::io::load(path, &Default::default()).unwrap();
    loaded.space.source().metadata.clone().unwrap_or_default()
}

#[test]
fn continue_the_open_vectors() {
    let dir = tempfile::tempdir().unwrap();
    let path = corpus(dir.path(), 400);
    let mut app = tui_support::app();
    let before = app.space.clone().unwrap();
    drive(&mut app, command(TrainCmd::Toggle));
    // With vectors open and no corpus yet, the panel asks for one and offers to continue.
    assert!(app.prompt.is_some());
    assert_eq!(app.train.form().mode(), Mode::Continue);
    app.prompt.as_mut().unwrap().input = path.display().to_string();
    drive(&mut app, Action::Command(Command::PromptAccept));
    tui_support::set_train_field(&mut app, Field::MinCount, "1");
    tui_support::set_train_field(&mut app, Field::Epochs, "2");
    tui_support::set_train_field(&mut app, Field::Threads, "1");
    drive(&mut app, command(TrainCmd::Start));
    assert_eq!(app.train.phase(), &Phase::Finished { completed: true });
    let after = app.space.clone().unwrap();
    assert_eq!(after.dim(), 8, "a continued run keeps the dimensions");
    // The open words keep their rows; the corpus' new words come after them.
    for row in 0..before.len() {
        assert_eq!(after.word(row), before.word(row));
    }
    assert_eq!(after.len(), before.len() + 8, "crown, throne, … are added");
    let king = tui_support::row("king") as usize;
    assert_ne!(after.unit(king), before.unit(king), "king was trained");
    let apple = tui_support::row("apple") as usize;
    assert_eq!(
        after.unit(apple),
        before.unit(apple),
        "apple is not in the corpus"
    );
    assert!(app.name.contains("corpus.txt"), "{}", app.name);
    assert!(!app.train.watch().is_empty());
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

/// The panel after a short run from scratch on a corpus in `dir` (nothing saved).
fn finished_run(dir: &Path) -> App {
    let path = corpus(dir, 300);
    let mut app = panel_with_corpus(
        &path,
        &[
            (Field::MinCount, "1"),
            (Field::Epochs, "1"),
            (Field::Threads, "1"),
        ],
    );
    drive(&mut app, command(TrainCmd::Start));
    app
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

#[test]
fn train_flag_starts_and_writes_the_output() {
    let dir = tempfile::tempdir().unwrap();
    let path = corpus(dir.path(), 300);
    let out = dir.path().join("out.fifu");
    let config = embx::train::Config {
        dim: 10,
        min_count: 1,
        epochs: 1,
        threads: 1,
        ..Default::default()
    };
    let (mut app, start) = training_app(
        TrainLaunch {
            corpus: vec![path],
            config,
            output: Some(out.clone()),
            format: None,
            base: None,
        },
        false,
    );
    assert_eq!(app.focus, embx::tui::Panel::Train);
    drive(&mut app, start);
    assert_eq!(app.train.phase(), &Phase::Finished { completed: true });
    assert_eq!(app.space.as_ref().unwrap().len(), 16);
    assert_eq!(app.train.saved(), Some(out.as_path()));
    assert!(metadata_of(&out).contains("completed = true"));
}

#[test]
fn an_nnlm_run_writes_its_language_model_beside_the_vectors() {
    use embx::train::lm::NextWordModel;
    let dir = tempfile::tempdir().unwrap();
    let path = corpus(dir.path(), 300);
    let out = dir.path().join("lm.fifu");
    let config = embx::train::Config {
        dim: 10,
        min_count: 1,
        epochs: 1,
        threads: 1,
        nnlm: Some(embx::train::NnlmConfig {
            order: 3,
            hidden: 8,
        }),
        ..Default::default()
    };
    let launch = TrainLaunch {
        corpus: vec![path],
        config,
        output: Some(out.clone()),
        format: None,
        base: None,
    };
    let (mut app, start) = training_app(launch, false);
    drive(&mut app, start);
    assert_eq!(app.train.phase(), &Phase::Finished { completed: true });
    assert_eq!(app.train.saved(), Some(out.as_path()));
    let model =
        embx::train::nnlm::file::load(&dir.path().join("lm.fifu.nnlm.safetensors")).unwrap();
    assert_eq!(model.words().len(), app.space.as_ref().unwrap().len());
    let said = app
        .status
        .as_ref()
        .map(|m| m.text.clone())
        .unwrap_or_default();
    assert!(said.contains("language model"), "{said}");
    // The analogy line answers `words _` with the run's model.
    assert!(app.language_model.is_some());
    let first = app.space.as_ref().unwrap().word(0).to_string();
    next_word_is_answered(&mut app, &first);
    // Opening the saved file finds its model beside it.
    let mut opened = tui_support::fresh_app();
    let source = embx::tui::Source::File {
        path: out,
        options: Default::default(),
    };
    drive(&mut opened, Action::Load(source));
    assert!(opened.language_model.is_some(), "{:?}", opened.status);
    next_word_is_answered(&mut opened, &first);
    // Ctrl-T: the Kneser-Ney model counted in the training corpus answers instead, and again:
    // the NNLM.
    drive(&mut opened, tui_support::ctrl('t'));
    let counted = opened
        .query
        .answered_by_ngram()
        .expect("the N-gram model answered");
    assert_eq!(counted.order, 3);
    let model = opened.language_model.as_deref().unwrap();
    let log_p = NextWordModel::log_probabilities(&counted.kn, &model.encode(&[first]));
    let hits = &opened.query.answer().as_ref().unwrap().hits;
    let expected = embx::train::lm::top_k(&log_p, hits.len());
    let got: Vec<(u32, f32)> = hits.iter().map(|h| (h.index, h.score)).collect();
    let want: Vec<(u32, f32)> = expected.iter().map(|&(i, p)| (i, p as f32)).collect();
    assert_eq!(got, want);
    drive(&mut opened, tui_support::ctrl('t'));
    assert!(opened.query.answered_by_ngram().is_none());
}

/// `:` then `WORD _` and Enter: the answer is a list of next words.
fn next_word_is_answered(app: &mut App, word: &str) {
    use crossterm::event::KeyCode;
    tui_support::press(app, KeyCode::Esc);
    tui_support::press(app, KeyCode::Char(':'));
    tui_support::typed(app, &format!("{word} _"));
    tui_support::press(app, KeyCode::Enter);
    let hits = app.query.answer().as_ref().map_or(0, |a| a.hits.len());
    assert!(hits > 0, "{:?}", app.query.error());
    let answer = app.query.answer().as_ref().unwrap();
    let sum: f32 = answer.hits.iter().map(|h| h.score).sum();
    assert!(sum > 0.0 && sum <= 1.0 + 1e-5, "probabilities: {sum}");
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

/// Continuing a space trained with subwords keeps its n-grams and buckets, whatever the form
/// says: the continued space still has the same fastText subword model, and the unknown words'
/// vectors start from the trained buckets.
#[test]
fn continuing_a_subword_space_keeps_its_buckets() {
    use embx::train::{subword, Config, Monitor, ReadOptions, Subwords};
    let dir = tempfile::tempdir().unwrap();
    let path = corpus(dir.path(), 400);
    let text = std::fs::read_to_string(&path).unwrap();
    let subwords = Subwords {
        minn: 2,
        maxn: 4,
        buckets: 300,
    };
    let config = Config {
        dim: 8,
        min_count: 1,
        epochs: 1,
        threads: 1,
        subwords: Some(subwords),
        ..Config::default()
    };
    let corpus = embx::train::Corpus::from_text(&text, ReadOptions::default());
    let first = embx::train::train(&corpus, &config, &Monitor::new()).unwrap();
    let mut app = App::new("sub.fifu", false);
    drive(
        &mut app,
        Action::Load(embx::tui::Source::Ready(first.space.clone())),
    );
    drive(&mut app, tui_support::key(crossterm::event::KeyCode::Esc));
    drive(&mut app, command(TrainCmd::Toggle));
    assert_eq!(app.train.form().mode(), Mode::Continue);
    app.prompt.as_mut().unwrap().input = path.display().to_string();
    drive(&mut app, Action::Command(Command::PromptAccept));
    tui_support::set_train_field(&mut app, Field::MinCount, "1");
    tui_support::set_train_field(&mut app, Field::Epochs, "1");
    tui_support::set_train_field(&mut app, Field::Threads, "1");
    // The form holds the subwords the space was trained with, as its metadata records them.
    assert_eq!(app.train.form().config().subwords, Some(subwords));
    drive(&mut app, command(TrainCmd::Start));
    assert_eq!(app.train.phase(), &Phase::Finished { completed: true });
    let after = app.space.clone().unwrap();
    assert_eq!(subword::of_space(&after), Some(subwords));
    assert_eq!(after.len(), first.space.len());
    let embed = |s: &embx::Space| s.subwords().unwrap().embed("queenly").unwrap();
    // Trained on: the buckets moved from where the first run left them, not from scratch.
    let (a, b) = (embed(&first.space), embed(&after));
    let cos = a.iter().zip(&b).map(|(x, y)| x * y).sum::<f32>()
        / (a.iter().map(|x| x * x).sum::<f32>() * b.iter().map(|x| x * x).sum::<f32>()).sqrt();
    assert!(a != b && cos > 0.5, "cosine {cos}");
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
