//! Train in place, driven through `update`: a run on a small generated corpus goes idle →
//! running → paused → stopped → saved with the real background worker; continuing the open
//! vectors and `embx train --tui`'s start run synchronously with `drive`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test code: a failed unwrap is a failed test"
)]
#[path = "../support/mod.rs"]
mod support;
#[path = "../tui_support/mod.rs"]
mod tui_support;

mod lifecycle;
mod starts;

use embx::tui::panels::train::{Field, TrainCmd};
use embx::tui::worker::Worker;
use embx::tui::{drive, update, Action, App, Command, Effect};
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

fn metadata_of(path: &Path) -> String {
    let loaded = embx::io::load(path, &Default::default()).unwrap();
    loaded.space.source().metadata.clone().unwrap_or_default()
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
