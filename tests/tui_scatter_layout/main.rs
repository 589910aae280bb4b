//! The scatter's layouts in the explorer: point sets, t-SNE / UMAP on the worker with frames,
//! pause and cancel, the cursor, custom axes, the honesty figure, and snapshots of a
//! 2,000-point layout of generated clustered data.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test code: a failed unwrap is a failed test"
)]
#[path = "../support/mod.rs"]
mod support;
#[path = "../tui_support/mod.rs"]
mod tui_support;

mod jobs;
mod points;

use crossterm::event::KeyCode;
use embx::project::quality::kept_neighbours;
use embx::project::rows::Rows;
use embx::tui::panels::scatter::{Cmd, Field, Method, Points};
use embx::tui::{drive, ui, Action, App, Command, Source};
use ratatui::backend::TestBackend;
use ratatui::Terminal;
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
    let pct = format!("{:.0} % of neighbours kept", kept.mean * 100.0);
    assert!(s.contains(&pct), "{s}");
    let focus = app.word(app.focused.unwrap()).to_string();
    let i = fit.index_of(app.focused.unwrap()).unwrap();
    let line = format!(
        "{focus} keeps {} of its 10 neighbours here",
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
