//! Measures the explorer's scatter while a layout animates, without a terminal: the real
//! `update`, the real worker lanes and the real drawing (into a ratatui `TestBackend`), on a
//! loop that draws at most every 33 ms as the explorer's does.
//!
//! `cargo run --release --example scatter_anim -- FILE [N] [tsne|umap] [WIDTH HEIGHT]`
//! prints: the time from asking to the first animated frame on screen, frames drawn per
//! second while the layout runs, the draw time, and the time from a cursor key to the screen
//! that shows it (a key every 250 ms), then the layout's total time and its kept figure.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a measurement program"
)]
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use embx::io::LoadOptions;
use embx::tui::panels::scatter::{Cmd, Field};
use embx::tui::worker::Worker;
use embx::tui::{drive, ui, update, Action, App, Command, Effect, Source};
use ratatui::backend::TestBackend;
use ratatui::Terminal;
use std::path::PathBuf;
use std::time::{Duration, Instant};

const FRAME: Duration = Duration::from_millis(33);

fn key(app: &mut App, code: KeyCode) {
    drive(app, Action::Key(KeyEvent::new(code, KeyModifiers::NONE)));
}

fn scatter(app: &mut App, c: Cmd) {
    drive(app, Action::Command(Command::Scatter(c)));
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let path = PathBuf::from(args.first().expect("FILE [N] [tsne|umap] [W H]"));
    let n: usize = args.get(1).map_or(5000, |a| a.parse().unwrap());
    let umap = args.get(2).is_some_and(|m| m == "umap");
    let w: u16 = args.get(3).map_or(120, |a| a.parse().unwrap());
    let h: u16 = args.get(4).map_or(40, |a| a.parse().unwrap());
    let mut app = set_up(path, n, umap);
    let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
    let (mut worker, results) = Worker::new();
    let asked = Instant::now();
    for e in update(
        &mut app,
        Action::Command(Command::Scatter(Cmd::CycleMethod)),
    ) {
        if let Effect::Run(job) = e {
            worker.submit(job);
        }
    }
    let mut m = Measure::default();
    let mut last_draw = Instant::now() - FRAME;
    let mut next_key = asked + Duration::from_millis(500);
    let mut key_at: Option<Instant> = None;
    while app.scatter.is_running() {
        let mut actions: Vec<Action> = results.try_iter().collect();
        actions.push(Action::Tick);
        if key_at.is_none() && Instant::now() >= next_key {
            key_at = Some(Instant::now());
            let dir = if m.keys % 2 == 0 {
                KeyCode::Right
            } else {
                KeyCode::Left
            };
            actions.push(Action::Key(KeyEvent::new(dir, KeyModifiers::NONE)));
            next_key += Duration::from_millis(250);
        }
        for a in actions {
            for e in update(&mut app, a) {
                if let Effect::Run(job) = e {
                    worker.submit(job);
                }
            }
        }
        if last_draw.elapsed() >= FRAME || key_at.is_some() {
            let t = Instant::now();
            terminal.draw(|f| ui::render(f, &app)).unwrap();
            last_draw = Instant::now();
            m.drawn(t, last_draw);
            let animated = app.scatter.fit().is_some_and(|f| f.progress().1 > 0);
            if animated && m.first.is_none() {
                m.first = Some(last_draw - asked);
            }
            if let Some(k) = key_at.take() {
                m.key(last_draw - k);
            }
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    report(&app, &m, asked.elapsed(), (w, h));
}

#[derive(Default)]
struct Measure {
    first: Option<Duration>,
    frames: u64,
    draw_total: Duration,
    draw_max: Duration,
    keys: u64,
    key_total: Duration,
    key_max: Duration,
}

impl Measure {
    fn drawn(&mut self, began: Instant, done: Instant) {
        self.frames += 1;
        self.draw_total += done - began;
        self.draw_max = self.draw_max.max(done - began);
    }

    fn key(&mut self, d: Duration) {
        self.keys += 1;
        self.key_total += d;
        self.key_max = self.key_max.max(d);
    }
}

fn report(app: &App, m: &Measure, total: Duration, (w, h): (u16, u16)) {
    let fit = app.scatter.fit().unwrap();
    let kept = fit.kept().map_or(f64::NAN, |k| k.mean);
    println!(
        "{} {} words at {w}x{h}: first frame {:.0} ms; {:.1} frames/s while it ran ({} frames in \
         {:.1} s); draw mean {:.1} ms, max {:.1} ms; key to screen mean {:.1} ms, max {:.1} ms \
         ({} keys); kept {:.3}; {} iterations",
        fit.method(),
        fit.items().len(),
        m.first.map_or(f64::NAN, |d| d.as_secs_f64() * 1e3),
        m.frames as f64 / total.as_secs_f64(),
        m.frames,
        total.as_secs_f64(),
        m.draw_total.as_secs_f64() * 1e3 / m.frames.max(1) as f64,
        m.draw_max.as_secs_f64() * 1e3,
        m.key_total.as_secs_f64() * 1e3 / m.keys.max(1) as f64,
        m.key_max.as_secs_f64() * 1e3,
        m.keys,
        kept,
        fit.progress().0,
    );
}

/// The space loaded and the scatter on the top `n` words (PCA, run synchronously); for UMAP
/// the method is one `m` short of it.
fn set_up(path: PathBuf, n: usize, umap: bool) -> App {
    let mut app = App::new(path.display().to_string(), true);
    let loading = Instant::now();
    drive(
        &mut app,
        Action::Load(Source::File {
            path,
            options: LoadOptions::default(),
            exact: false,
        }),
    );
    assert!(app.space.is_some(), "could not load: {:?}", app.status);
    eprintln!("loaded in {:.1} s", loading.elapsed().as_secs_f64());
    key(&mut app, KeyCode::Esc);
    key(&mut app, KeyCode::Char('v'));
    scatter(&mut app, Cmd::Form);
    while app.scatter.form() != Some(Field::Top) {
        scatter(&mut app, Cmd::Cursor(0, -1));
    }
    scatter(&mut app, Cmd::Edit);
    if let Some(p) = app.prompt.as_mut() {
        p.input = n.to_string();
    }
    drive(&mut app, Action::Command(Command::PromptAccept));
    scatter(&mut app, Cmd::Cancel);
    if umap {
        // m once: t-SNE (never run); the measured `m` is UMAP.
        drop(update(
            &mut app,
            Action::Command(Command::Scatter(Cmd::CycleMethod)),
        ));
    }
    app
}
