//! Snapshots of the train panel from a fixed synthetic state (no clock, no threads): a run
//! under way at 80×24 and 120×40 (progress, loss curve, watch words with entered and left
//! neighbours, trails), and the form before a run.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test code: a failed unwrap is a failed test"
)]
mod support;
mod tui_support;

use embx::project::Basis;
use embx::train::Config;
use embx::train::{MonitorSnapshot, Phase as MonitorPhase};
use embx::tui::panels::train::watch::{Neighbour, WatchRow};
use embx::tui::panels::train::{Field, Fixture, Form, Mode, Phase};
use embx::tui::{ui, App, Panel};
use ratatui::backend::TestBackend;
use ratatui::Terminal;

fn draw(app: &App, w: u16, h: u16) -> Terminal<TestBackend> {
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    t.draw(|f| ui::render(f, app)).unwrap();
    t
}

fn row(word: &str, list: &[(&str, bool)], left: &[&str], trail: &[[f32; 2]]) -> WatchRow {
    WatchRow {
        word: word.into(),
        known: true,
        neighbours: list
            .iter()
            .enumerate()
            .map(|(i, (w, new))| Neighbour {
                word: w.to_string(),
                score: 0.9 - i as f32 * 0.1,
                new: *new,
            })
            .collect(),
        left: left.iter().map(|w| w.to_string()).collect(),
        trail: trail.to_vec(),
    }
}

/// The explorer with the train panel in front, showing `fixture`.
fn app_showing(fixture: Fixture) -> App {
    let mut app = tui_support::app();
    app.focus = Panel::Train;
    app.train = fixture.build();
    app
}

/// A run in its second epoch, paused after 37 % of the words.
fn running() -> Fixture {
    let mut t = Fixture {
        phase: Phase::Paused,
        ..Fixture::default()
    };
    t.seen = Some(MonitorSnapshot {
        phase: MonitorPhase::Training,
        done: 3_700_000,
        total: 10_000_000,
        epochs: 5,
        threads: 2,
        alpha: 0.015_75,
        loss: Some(2.4183),
        seconds: 42.0,
        paused: true,
    });
    t.loss = (0..90)
        .map(|i| 2.4 + 1.8 * (-(i as f32) / 20.0).exp())
        .collect();
    t.snapshot_ms = Some((12.0, 31.0));
    t.snapshots = 41;
    t.basis = Some(Basis {
        centre: vec![0.0; 8],
        axes: [vec![0.0; 8], vec![0.0; 8]],
    });
    t.explained = [0.342, 0.215];
    t.watch = vec![
        row(
            "king",
            &[
                ("queen", false),
                ("prince", false),
                ("throne", true),
                ("royal", false),
            ],
            &["apple"],
            &[[0.0, 0.0], [0.3, 0.2], [0.5, 0.3], [0.6, 0.5]],
        ),
        row(
            "北京",
            &[("中国", false), ("上海", true), ("city", false)],
            &[],
            &[[1.0, -0.5], [0.9, -0.3], [0.8, -0.2]],
        ),
        row(
            "paris",
            &[
                ("france", false),
                ("lyon", true),
                ("river", true),
                ("street", false),
            ],
            &["king", "crown"],
            &[[-0.5, 0.4], [-0.6, 0.5]],
        ),
        WatchRow {
            word: "zebra".into(),
            ..WatchRow::default()
        },
    ];
    t
}

fn running_app() -> App {
    app_showing(running())
}

#[test]
fn train_running_80x24() {
    insta::assert_snapshot!(
        "train_running_80x24",
        draw(&running_app(), 80, 24).backend()
    );
}

#[test]
fn train_running_120x40() {
    insta::assert_snapshot!(
        "train_running_120x40",
        draw(&running_app(), 120, 40).backend()
    );
}

#[test]
fn train_form_80x24() {
    let config = Config {
        threads: 2,
        ..Config::default()
    };
    let app = app_showing(Fixture {
        form: Form::new("corpus/wiki-新闻.txt".into(), Mode::Continue, config),
        selected: Field::ALL[2],
        ..Fixture::default()
    });
    insta::assert_snapshot!("train_form_80x24", draw(&app, 80, 24).backend());
}

#[test]
fn tiny_screens_do_not_panic() {
    let app = running_app();
    for (w, h) in [(1, 1), (10, 3), (30, 8), (59, 20), (60, 10)] {
        draw(&app, w, h);
    }
}

/// Eight watch words ending close together on the plane: the labels that are drawn never
/// overlap (each appears whole on the screen), the less important (later) ones are dropped or
/// moved when there is no room, and the loss axis follows the recent points.
#[test]
fn train_crowded_plane_120x40() {
    let mut t = running();
    let words = [
        "king", "queen", "prince", "princess", "throne", "crown", "royal", "palace",
    ];
    t.watch = words
        .iter()
        .enumerate()
        .map(|(i, w)| {
            let d = i as f32 * 0.01;
            row(
                w,
                &[("city", false)],
                &[],
                &[[-1.0, 1.0], [0.2 + d, 0.1 - d]],
            )
        })
        .collect();
    // A long, slow tail after a steep start.
    t.loss = (0..300)
        .map(|i| 2.0 + 6.0 * (-(i as f32) / 10.0).exp() - 0.001 * i as f32)
        .collect();
    let term = draw(&app_showing(t), 120, 40);
    let screen: Vec<String> = {
        let buf = term.backend().buffer();
        (0..buf.area.height)
            .map(|y| {
                (0..buf.area.width)
                    .map(|x| buf[(x, y)].symbol().to_string())
                    .collect()
            })
            .collect()
    };
    // The plot is the lower right; its labels are the words followed by no other letter.
    let plot: Vec<&String> = screen.iter().skip(20).collect();
    let shown = words
        .iter()
        .filter(|w| {
            plot.iter()
                .any(|l| l.split(|c: char| !c.is_alphanumeric()).any(|t| t == **w))
        })
        .count();
    assert!(
        shown >= 4,
        "{}",
        plot.iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    );
    insta::assert_snapshot!("train_crowded_plane_120x40", term.backend());
}

/// A space trained with subwords (n-grams 3–4 in 1,000 buckets) on a tiny corpus.
fn subword_space() -> embx::Space {
    use embx::train::{Config, Corpus, Monitor, ReadOptions, Subwords};
    let text = "the king and the queen\nthe queen rules\nthe king rules the land\n".repeat(20);
    let config = Config {
        dim: 8,
        min_count: 1,
        epochs: 1,
        threads: 1,
        subwords: Some(Subwords {
            minn: 3,
            maxn: 4,
            buckets: 1000,
        }),
        ..Config::default()
    };
    let corpus = Corpus::from_text(&text, ReadOptions::default());
    embx::train::train(&corpus, &config, &Monitor::new())
        .unwrap()
        .space
}

/// Typing a word the vocabulary lacks into the search box of a subword space: the inspector
/// shows the n-grams (with their buckets) whose rows build its vector, then the vector.
#[test]
fn inspector_shows_the_ngrams_of_an_unknown_word_120x40() {
    use embx::tui::{drive, Action, Source};
    let space = subword_space();
    let mut app = App::new("sub.fifu", false);
    drive(&mut app, Action::Load(Source::Ready(space.clone())));
    tui_support::typed(&mut app, "queenly");
    let term = draw(&app, 120, 40);
    let screen = format!("{:?}", term.backend());
    assert!(
        screen.contains("Inspect queenly (not in the vocabulary)"),
        "{screen}"
    );
    // fastText's n-grams of <queenly> (9 characters) from 3 to 4: 7 + 6, each with its bucket.
    assert!(screen.contains("mean of 13 n-gram rows (3–4)"), "{screen}");
    assert!(screen.contains("bucket of 1,000"), "{screen}");
    let s = embx::train::subword::of_space(&space).unwrap();
    for (g, b) in embx::train::subword::ngram_list("queenly", &s) {
        assert!(
            screen.contains(&format!("{g}·{b}")),
            "{g}·{b} missing:\n{screen}"
        );
    }
    insta::assert_snapshot!("inspector_unknown_word_120x40", term.backend());
    // Enter asks the analogy line for its neighbours (nothing matched as typed; the box stays
    // ready), as the command line's `similar` answers them.
    assert!(app.search.closest());
    tui_support::press(&mut app, crossterm::event::KeyCode::Enter);
    assert_eq!(app.query.input(), "queenly");
    assert_eq!(app.focus, embx::tui::Panel::Search);
    let hits = &app.query.answer().as_ref().expect("an answer").hits;
    let want = embx::query::expression(&space, "queenly", hits.len(), false).unwrap();
    assert_eq!(hits, &want.hits);
    assert_eq!(app.focused, None);
    // A word that starts others is a search: Enter focuses the first.
    tui_support::typed(&mut app, "quee");
    tui_support::press(&mut app, crossterm::event::KeyCode::Enter);
    assert_eq!(app.focused, space.index("queen"));
}
