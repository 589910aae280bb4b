//! The scatter's layouts in the explorer: point sets, t-SNE / UMAP on the worker with frames,
//! pause and cancel, the cursor, custom axes, the honesty figure, and snapshots of a
//! 2,000-point layout of generated clustered data.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test code: a failed unwrap is a failed test"
)]
mod support;
mod tui_support;

use crossterm::event::KeyCode;
use embx::project::quality::kept_neighbours;
use embx::project::rows::Rows;
use embx::tui::panels::scatter::{Cmd, Field, Kind, Method, Points};
use embx::tui::{drive, execute, ui, update, Action, App, Command, Effect, JobKind, Source};
use ratatui::backend::TestBackend;
use ratatui::Terminal;
use std::time::{Duration, Instant};
use tui_support::*;

const CLUSTERS: usize = 8;
const DIM: usize = 16;

/// `n` words in `CLUSTERS` clusters: word `c{k}w{i}` is cluster k's centre plus noise
/// (deterministic; a small xorshift generator).
fn clustered(n: usize) -> embx::Space {
    let mut state = 0x9e37_79b9_7f4a_7c15u64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state >> 11) as f32 / (1u64 << 53) as f32 - 0.5
    };
    let centres: Vec<Vec<f32>> = (0..CLUSTERS)
        .map(|_| (0..DIM).map(|_| next() * 4.0).collect())
        .collect();
    let mut words = Vec::new();
    let mut data = Vec::new();
    for i in 0..n {
        let k = i % CLUSTERS;
        words.push(format!("c{k}w{i}"));
        data.extend(centres[k].iter().map(|c| c + next() * 0.8));
    }
    let refs: Vec<&str> = words.iter().map(String::as_str).collect();
    support::space_from("clusters.txt", &refs, DIM, data)
}

fn app_on(space: embx::Space) -> App {
    let mut app = App::new("clusters.txt", false);
    drive(&mut app, Action::Load(Source::Ready(space)));
    press(&mut app, KeyCode::Esc);
    app
}

fn cmd(app: &mut App, c: Cmd) {
    drive(app, Action::Command(Command::Scatter(c)));
}

/// Sets a field of the form through its prompt.
fn set_field(app: &mut App, field: Field, value: &str) {
    cmd(app, Cmd::Form);
    while app.scatter.form() != Some(field) {
        cmd(app, Cmd::Cursor(0, -1));
    }
    cmd(app, Cmd::Edit);
    drive(app, ctrl('u'));
    typed(app, value);
    press(app, KeyCode::Enter);
    cmd(app, Cmd::Cancel);
}

fn screen(app: &App, w: u16, h: u16) -> String {
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    t.draw(|f| ui::render(f, app)).unwrap();
    t.backend()
        .buffer()
        .content
        .iter()
        .map(|c| c.symbol())
        .collect()
}

/// The 2,000 words laid out by t-SNE (300 iterations), the focus on one word.
fn layout_app() -> App {
    let mut app = app_on(clustered(2000));
    press(&mut app, KeyCode::Char('v'));
    set_field(&mut app, Field::Iterations, "300");
    set_field(&mut app, Field::Top, "2000");
    assert_eq!(app.scatter.settings().points, Points::Top);
    cmd(&mut app, Cmd::CycleMethod);
    assert_eq!(app.scatter.settings().method, Method::Tsne);
    // The cursor starts at the word nearest the middle and makes it the focus.
    cmd(&mut app, Cmd::Cursor(1, 0));
    assert!(app.focused.is_some());
    app
}

#[test]
fn a_2000_word_tsne_separates_the_clusters_and_shows_its_honesty() {
    let app = layout_app();
    let fit = app.scatter.fit().unwrap();
    assert_eq!(fit.items().len(), 2000);
    assert_eq!(fit.method(), "t-SNE");
    assert_eq!(fit.progress(), (300, 300));
    // The figure on screen is the library's, computed again here from the final points.
    let rows: Vec<u32> = fit.items().iter().map(|it| it.row).collect();
    let space = app.space.as_ref().unwrap();
    let points: Vec<[f32; 2]> = fit.items().iter().map(|it| it.at).collect();
    let want = kept_neighbours(&Rows::from_space(space, &rows).unwrap(), &points, 10).unwrap();
    let kept = fit.kept().unwrap();
    assert_eq!(kept.per_point, want.per_point);
    assert!(
        kept.mean > 0.2,
        "clusters keep their neighbours: {}",
        kept.mean
    );
    // Every word's 10 nearest in the layout are mostly of its own cluster.
    let cluster = |i: usize| app.word(fit.items()[i].row)[1..2].to_string();
    let mut same = 0;
    for (i, p) in points.iter().enumerate().step_by(37) {
        let mut d: Vec<(f32, usize)> = points
            .iter()
            .enumerate()
            .filter(|(j, _)| *j != i)
            .map(|(j, q)| ((q[0] - p[0]).powi(2) + (q[1] - p[1]).powi(2), j))
            .collect();
        d.sort_by(|a, b| a.0.total_cmp(&b.0));
        same += d[..10]
            .iter()
            .filter(|e| cluster(e.1) == cluster(i))
            .count();
    }
    assert!(same as f64 / (54.0 * 10.0) > 0.95, "{same}");
    let s = screen(&app, 120, 40);
    let pct = format!("kept {:.0} % of 10 nn", kept.mean * 100.0);
    assert!(s.contains(&pct), "{s}");
    let focus = app.word(app.focused.unwrap()).to_string();
    let i = fit.index_of(app.focused.unwrap()).unwrap();
    let line = format!(
        "{focus}: {} of its 10 neighbours are near it here",
        kept.per_point[i]
    );
    assert!(s.contains(&line), "{line} not in {s}");
    assert!(s.contains("t-SNE · top 2,000 words"), "{s}");
}

#[test]
fn layout_2000_80x24() {
    let app = layout_app();
    insta::assert_snapshot!(screen_lines(&app, 80, 24));
}

#[test]
fn layout_2000_120x40() {
    let mut app = layout_app();
    cmd(&mut app, Cmd::ToggleClusters);
    insta::assert_snapshot!(screen_lines(&app, 120, 40));
}

fn screen_lines(app: &App, w: u16, h: u16) -> String {
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    t.draw(|f| ui::render(f, app)).unwrap();
    format!("{:?}", t.backend())
}

/// Starts the layout the scatter asks for and returns its job (not run yet).
fn layout_job(fx: Vec<Effect>) -> embx::tui::Job {
    fx.into_iter()
        .find_map(|e| match e {
            Effect::Run(job) if matches!(job.kind, JobKind::Scatter(_)) => Some(job),
            _ => None,
        })
        .expect("a layout job")
}

fn wait_for(app: &mut App, what: &str, ok: impl Fn(&App) -> bool) {
    let until = Instant::now() + Duration::from_secs(60);
    while !ok(app) {
        assert!(Instant::now() < until, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(5));
        drive(app, Action::Tick);
    }
}

#[test]
fn tsne_streams_frames_and_can_be_paused_restarted_and_cancelled() {
    let mut app = app_on(clustered(600));
    press(&mut app, KeyCode::Char('v'));
    set_field(&mut app, Field::Top, "600");
    set_field(&mut app, Field::Iterations, "100000");
    let fx = update(
        &mut app,
        Action::Command(Command::Scatter(Cmd::CycleMethod)),
    );
    let job = layout_job(fx);
    assert!(app.scatter.is_running());
    let worker = std::thread::spawn(move || execute(job));
    // Frames arrive while it runs: the iteration count grows on screen.
    wait_for(&mut app, "a frame", |a| {
        a.scatter.fit().is_some_and(|f| f.progress().0 > 20)
    });
    let first = app.scatter.fit().unwrap().progress().0;
    wait_for(&mut app, "a later frame", |a| {
        a.scatter.fit().unwrap().progress().0 > first
    });
    assert!(screen(&app, 120, 40).contains("· running"));
    // Paused: no new frames.
    press(&mut app, KeyCode::Char('z'));
    assert!(app.scatter.is_paused());
    std::thread::sleep(Duration::from_millis(100));
    drive(&mut app, Action::Tick);
    let held = app.scatter.fit().unwrap().progress().0;
    std::thread::sleep(Duration::from_millis(300));
    drive(&mut app, Action::Tick);
    assert_eq!(app.scatter.fit().unwrap().progress().0, held);
    assert!(screen(&app, 120, 40).contains("· paused"));
    // Resumed, then cancelled: the last frame stays, and the lane's answer says so.
    press(&mut app, KeyCode::Char('z'));
    wait_for(&mut app, "frames again", |a| {
        a.scatter.fit().unwrap().progress().0 > held
    });
    press(&mut app, KeyCode::Esc);
    drive(&mut app, worker.join().unwrap());
    assert!(!app.scatter.is_running());
    let status = app.status.clone().unwrap();
    assert!(
        status.text.contains("layout cancelled at iteration"),
        "{status:?}"
    );
    let at: Vec<[f32; 2]> = app
        .scatter
        .fit()
        .unwrap()
        .items()
        .iter()
        .map(|i| i.at)
        .collect();
    assert_eq!(at.len(), 600);
    // A changed parameter restarts from the layout on screen.
    set_field(&mut app, Field::Iterations, "1");
    let restarted = app.scatter.fit().unwrap();
    assert_eq!(restarted.progress(), (1, 1));
    let moved: f32 = restarted
        .items()
        .iter()
        .zip(&at)
        .map(|(a, b)| (a.at[0] - b[0]).abs() + (a.at[1] - b[1]).abs())
        .sum::<f32>()
        / 600.0;
    let spread = at.iter().map(|p| p[0].abs()).sum::<f32>() / 600.0;
    assert!(
        moved < spread * 0.2,
        "went on from the screen: moved {moved} of {spread}"
    );
}

#[test]
fn a_new_layout_cancels_the_one_under_way() {
    let mut app = app_on(clustered(400));
    press(&mut app, KeyCode::Char('v'));
    set_field(&mut app, Field::Top, "400");
    set_field(&mut app, Field::Iterations, "100000");
    let old = layout_job(update(
        &mut app,
        Action::Command(Command::Scatter(Cmd::CycleMethod)),
    ));
    let worker = std::thread::spawn(move || execute(old));
    wait_for(&mut app, "a frame", |a| a.scatter.fit().is_some());
    // m again: UMAP replaces t-SNE; the old job stops by itself, and its answer is stale.
    let new = layout_job(update(
        &mut app,
        Action::Command(Command::Scatter(Cmd::CycleMethod)),
    ));
    drive(&mut app, worker.join().unwrap());
    assert!(app.scatter.is_running(), "the stale answer is dropped");
    drive(&mut app, execute(new));
    assert_eq!(app.scatter.fit().unwrap().method(), "UMAP");
    assert!(!app.scatter.is_running());
}

#[test]
fn every_point_set() {
    let mut app = app();
    press(&mut app, KeyCode::Char('v'));
    let words = |app: &App| -> Vec<String> {
        app.scatter
            .fit()
            .unwrap()
            .items()
            .iter()
            .map(|it| app.word(it.row).to_string())
            .collect()
    };
    // Focus + N neighbours.
    app.focused = Some(row("king"));
    set_field(&mut app, Field::Neighbours, "3");
    assert_eq!(app.scatter.settings().points, Points::Neighbours);
    let w = words(&app);
    assert_eq!(w.len(), 4);
    assert_eq!(w[0], "king");
    assert!(w.contains(&"queen".to_string()), "{w:?}");
    // Top N.
    set_field(&mut app, Field::Top, "5");
    assert_eq!(words(&app), ["the", "king", "queen", "man", "woman"]);
    // The search matches (taken when chosen).
    press(&mut app, KeyCode::Char('/'));
    typed(&mut app, "prin");
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Char('v'));
    cmd(&mut app, Cmd::CyclePoints);
    assert_eq!(app.scatter.settings().points, Points::Search);
    assert_eq!(words(&app), ["prince", "princess"]);
    // A word list: o asks for the file.
    let dir = tempfile::tempdir().unwrap();
    let list = support::write(dir.path(), "words.txt", "paris\nnope\nfrance\n北京\n");
    cmd(&mut app, Cmd::CyclePoints);
    assert_eq!(app.prompt.as_ref().unwrap().input, "");
    typed(&mut app, &list.display().to_string());
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.scatter.settings().points, Points::List);
    assert_eq!(words(&app), ["paris", "france", "北京"]);
    let status = app.status.clone().unwrap();
    assert!(
        status
            .text
            .contains("left out, not in the vocabulary: nope"),
        "{}",
        status.text
    );
    // Back to the selection (empty): the hint.
    cmd(&mut app, Cmd::CyclePoints);
    assert_eq!(app.scatter.settings().points, Points::Selection);
    assert!(app.scatter.fit().is_none());
}

#[test]
fn custom_axes_put_known_words_on_their_sides() {
    let mut app = app();
    for w in ["king", "queen", "prince", "princess", "paris"] {
        app.selection.push(row(w));
    }
    press(&mut app, KeyCode::Char('v'));
    // m three times: PCA → t-SNE → UMAP → axes, which asks for them.
    cmd(&mut app, Cmd::CycleMethod);
    cmd(&mut app, Cmd::CycleMethod);
    cmd(&mut app, Cmd::CycleMethod);
    assert!(app.prompt.is_some(), "axes ask for x first");
    typed(&mut app, "man:woman");
    press(&mut app, KeyCode::Enter);
    typed(&mut app, "france:paris");
    press(&mut app, KeyCode::Enter);
    assert!(app.scatter.form().is_none() && app.prompt.is_none());
    let fit = app.scatter.fit().unwrap();
    assert_eq!(fit.method(), "axes");
    assert_eq!(fit.axis_titles(), ["man → woman", "france → paris"]);
    let at = |w: &str| fit.items()[fit.index_of(row(w)).unwrap()].at;
    assert!(at("queen")[0] > at("king")[0]);
    assert!(at("princess")[0] > at("prince")[0]);
    assert!(at("paris")[1] > at("king")[1]);
    // The words that define the axes are drawn in.
    for w in ["man", "woman", "france"] {
        assert!(fit.index_of(row(w)).is_some(), "{w}");
    }
    // Each axis is an arrow from its first word to its second (paris was selected already).
    let i = |w: &str| fit.index_of(row(w)).unwrap();
    assert_eq!(
        fit.arrows(),
        [(i("man"), i("woman")), (i("france"), i("paris"))]
    );
    assert!(fit.items()[i("paris")].kind == Kind::Analogy);
    let s = screen(&app, 120, 40);
    assert!(s.contains("man → woman") && s.contains("france → paris"));
}

#[test]
fn the_cursor_walks_to_the_nearest_word_and_moves_the_focus() {
    let mut app = app();
    for w in ["king", "queen", "man", "woman", "paris"] {
        app.selection.push(row(w));
    }
    press(&mut app, KeyCode::Char('v'));
    cmd(&mut app, Cmd::Rerun);
    press(&mut app, KeyCode::Right);
    let start = app.focused.expect("the cursor focuses a word");
    let fit = app.scatter.fit().unwrap().clone();
    let here = fit.items()[fit.index_of(start).unwrap()].at;
    press(&mut app, KeyCode::Right);
    match app.focused {
        Some(r) if r != start => {
            let there = fit.items()[fit.index_of(r).unwrap()].at;
            assert!(there[0] > here[0]);
            // The neighbours panel follows the focus.
            assert!(!app.neighbours.answer().as_ref().unwrap().hits.is_empty());
            // Space selects / unselects the word under the cursor.
            let selected = app.is_selected(r);
            press(&mut app, KeyCode::Char(' '));
            assert_eq!(app.is_selected(r), !selected);
        }
        _ => {
            // Nothing further right: the focus stays, with a note.
            assert_eq!(app.focused, Some(start));
            assert!(app
                .status
                .as_ref()
                .unwrap()
                .text
                .contains("no word further"));
        }
    }
}

#[test]
fn the_scatter_follows_the_selection_at_once() {
    let mut app = app();
    press(&mut app, KeyCode::Char('v'));
    let title = |app: &App| {
        let s = screen(app, 80, 24);
        s.split("Scatter")
            .nth(1)
            .unwrap_or("")
            .chars()
            .take(30)
            .collect::<String>()
    };
    app.selection.push(row("king"));
    press(&mut app, KeyCode::Tab); // search
    press(&mut app, KeyCode::Esc);
    // Space in the search list adds the highlighted word.
    press(&mut app, KeyCode::Char('v'));
    for w in ["queen", "man"] {
        press(&mut app, KeyCode::Char('/'));
        drive(&mut app, ctrl('u'));
        typed(&mut app, w);
        press(&mut app, KeyCode::Esc);
        press(&mut app, KeyCode::Char(' '));
    }
    press(&mut app, KeyCode::Char('v'));
    assert!(title(&app).contains("3 words"), "{}", title(&app));
    // L loads a list: the plot has the new words at once.
    let dir = tempfile::tempdir().unwrap();
    let list = support::write(dir.path(), "sel.txt", "paris\nfrance\n");
    press(&mut app, KeyCode::Char('L'));
    drive(&mut app, ctrl('u'));
    typed(&mut app, &list.display().to_string());
    press(&mut app, KeyCode::Enter);
    assert!(title(&app).contains("5 words"), "{}", title(&app));
    // x clears it: the plot empties at once.
    press(&mut app, KeyCode::Char('x'));
    assert!(app.scatter.fit().is_none());
    assert!(screen(&app, 80, 24).contains("Space on a word adds it here"));
}

#[test]
fn a_new_space_lays_the_most_frequent_words_out_again() {
    let mut app = app();
    press(&mut app, KeyCode::Char('v'));
    set_field(&mut app, Field::Top, "5");
    assert_eq!(app.scatter.settings().points, Points::Top);
    assert_eq!(app.scatter.fit().unwrap().items().len(), 5);
    // Another file is opened: its most frequent words are laid out without a key.
    let other = clustered(40);
    drive(&mut app, Action::Load(Source::Ready(other)));
    let fit = app.scatter.fit().expect("laid out again on the new space");
    let words: Vec<&str> = fit.items().iter().map(|it| app.word(it.row)).collect();
    assert_eq!(words, ["c0w0", "c1w1", "c2w2", "c3w3", "c4w4"]);
    // The focus's neighbours have no focus in the new space: the hint says what to do.
    set_field(&mut app, Field::Neighbours, "3");
    drive(&mut app, Action::Load(Source::Ready(clustered(30))));
    assert!(app.scatter.fit().is_none());
    let s = screen(&app, 120, 40);
    assert!(s.contains("Enter on a word, then r"), "{s}");
}

#[test]
fn the_export_shows_what_the_zoom_shows() {
    let mut app = layout_app();
    let whole = embx::tui::panels::scatter::plot(&app).unwrap();
    assert_eq!(whole.points.len(), 2000);
    for _ in 0..5 {
        cmd(&mut app, Cmd::ZoomIn);
    }
    let zoomed = embx::tui::panels::scatter::plot(&app).unwrap();
    let n = zoomed.points.len();
    assert!(n > 0 && n < 1000, "{n}");
    assert!(zoomed.title.contains("zoomed ×3.05"), "{}", zoomed.title);
    cmd(&mut app, Cmd::ToggleClusters);
    let coloured = embx::tui::panels::scatter::plot(&app).unwrap();
    assert_eq!(coloured.clusters.map(|c| c.len()), Some(n));
}
