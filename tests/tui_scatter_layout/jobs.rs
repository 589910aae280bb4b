//! t-SNE and UMAP on the worker: frames as they come, pause, restart from the screen, cancel.
use super::tui_support::press;
use super::{app_on, clustered, screen, set_field};
use crossterm::event::KeyCode;
use embx::tui::panels::scatter::{Cmd, Field};
use embx::tui::{drive, execute, update, Action, App, Command, Effect, JobKind};
use std::time::{Duration, Instant};

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
