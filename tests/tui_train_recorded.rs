//! Continuing vectors in the explorer: the train panel offers to continue vectors `embx train`
//! made the way they were trained (the settings from their metadata, the corpus prompt
//! starting from their corpus files), and `embx train --tui --from` opens on the vectors and
//! starts once they are in.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test code: a failed unwrap is a failed test"
)]
mod support;
mod tui_support;

use embx::train::{self, Config, Model, Monitor};
use embx::tui::panels::train::Phase;
use embx::tui::panels::train::{Mode, TrainCmd};
use embx::tui::{drive, training_app, Action, Command, TrainLaunch};

fn command(c: TrainCmd) -> Action {
    Action::Command(Command::Train(c))
}

/// Vectors trained with CBOW, window 3, 12 dimensions on a small corpus file.
fn trained(dir: &std::path::Path) -> (embx::Space, std::path::PathBuf, Config) {
    let path = dir.join("royal corpus.txt");
    let text = "the king and the queen rule the land\nthe prince rides to the palace\n".repeat(40);
    std::fs::write(&path, text).unwrap();
    let config = Config {
        model: Model::Cbow,
        window: 3,
        dim: 12,
        min_count: 1,
        epochs: 2,
        threads: 1,
        ..Config::default()
    };
    let t =
        train::train_files(std::slice::from_ref(&path), &config, &Monitor::new(), None).unwrap();
    (t.space, path, config)
}

#[test]
fn the_form_starts_from_the_recorded_run() {
    let dir = tempfile::tempdir().unwrap();
    let (space, path, config) = trained(dir.path());
    let mut app = tui_support::app();
    app.space = Some(space);
    drive(&mut app, command(TrainCmd::Toggle));
    assert_eq!(app.train.form().mode(), Mode::Continue);
    let form = app.train.form().config();
    assert_eq!(form.model, Model::Cbow);
    assert_eq!((form.window, form.dim, form.epochs), (3, 12, 2));
    assert_eq!(form.alpha(), config.alpha());
    // The threads are this machine's choice, not the recorded run's.
    assert_eq!(form.threads, Config::default().threads);
    let prompt = app.prompt.as_ref().expect("the corpus is asked for");
    assert_eq!(prompt.input, path.display().to_string());
}

#[test]
fn a_form_already_changed_or_other_vectors_keep_their_settings() {
    // The bundled test space has no training metadata: the defaults, an empty corpus prompt.
    let mut app = tui_support::app();
    drive(&mut app, command(TrainCmd::Toggle));
    assert_eq!(app.train.form().config(), &Config::default());
    assert_eq!(app.prompt.as_ref().unwrap().input, "");
    // Settings changed before the trained vectors open are kept.
    let dir = tempfile::tempdir().unwrap();
    let (space, _, _) = trained(dir.path());
    drive(&mut app, Action::Command(Command::PromptCancel));
    tui_support::set_train_field(&mut app, embx::tui::panels::train::Field::Window, "9");
    drive(&mut app, command(TrainCmd::Toggle));
    app.space = Some(space);
    drive(&mut app, command(TrainCmd::Toggle));
    assert_eq!(app.train.form().config().model, Model::SkipGram);
    assert_eq!(app.train.form().config().window, 9);
}

#[test]
fn train_tui_from_opens_the_vectors_and_continues_them() {
    let dir = tempfile::tempdir().unwrap();
    let (base, _, config) = trained(dir.path());
    let more = dir.path().join("more.txt");
    std::fs::write(&more, "the king and the new throne\n".repeat(30)).unwrap();
    let launch = TrainLaunch {
        corpus: vec![more],
        config: Config {
            min_count: 1,
            ..config
        },
        output: None,
        format: None,
        base: Some(base.clone()),
    };
    let (mut app, first) = training_app(launch, false);
    assert_eq!(app.train.form().mode(), Mode::Continue);
    // The vectors load first; the run starts once they are in and continues them.
    assert!(matches!(first, Action::Load(_)));
    drive(&mut app, first);
    assert_eq!(app.train.phase(), &Phase::Finished { completed: true });
    let after = app.space.clone().unwrap();
    for row in 0..base.len() {
        assert_eq!(after.word(row), base.word(row));
    }
    let added: Vec<&str> = (base.len()..after.len()).map(|r| after.word(r)).collect();
    assert_eq!(added, ["new", "throne"]);
}
