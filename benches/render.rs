//! One frame of the explorer drawn on ratatui's `TestBackend`, at 200×60 and 80×24.
//!
//! `cargo bench --bench render`. The state is built the way a user gets there, through the
//! public `drive` API: the demo space (50,000 words) loaded, `king` focused with its
//! neighbours (k = 40, so a tall panel is full), an analogy answered, a word selected and the
//! search showing the hits of `prin`; colours on. Target: ≤ 5 ms per full frame at 200×60.
//!
//! Two measures per size: `draw` is `Terminal::draw` on an unchanged state (every panel
//! rendered into the buffer, nothing changed to send); `repaint` clears first, so every cell
//! is diffed and handed to the backend, as after a resize.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test code: a failed unwrap is a failed test"
)]
// criterion_group! and criterion_main! define undocumented public functions.
#![allow(missing_docs)]
use criterion::{criterion_group, criterion_main, Criterion};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use embx::tui::{drive, ui, Action, App, Source};
use ratatui::backend::TestBackend;
use ratatui::Terminal;
use std::time::Duration;

fn key(code: KeyCode) -> Action {
    Action::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

fn press(app: &mut App, code: KeyCode) {
    drive(app, key(code));
}

fn typed(app: &mut App, text: &str) {
    for c in text.chars() {
        press(app, KeyCode::Char(c));
    }
}

/// The busy explorer described at the top of the file.
pub fn busy_app(width: u16, height: u16) -> App {
    let space = embx::demo::load().expect("the demo space").space;
    let mut app = App::new(embx::demo::NAME, true);
    app.size = (width, height);
    drive(&mut app, Action::Load(Source::Ready(space)));
    // The search box has the focus and takes typing: Esc leaves it before commands.
    typed(&mut app, "king");
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Esc);
    for _ in 0..5 {
        press(&mut app, KeyCode::Char('+'));
    }
    press(&mut app, KeyCode::Char(':'));
    typed(&mut app, "man : king :: woman : ?");
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Char('/'));
    drive(
        &mut app,
        Action::Key(KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL)),
    );
    typed(&mut app, "prin");
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Char(' '));
    let answer = |a: &Option<embx::query::Answer>| a.as_ref().map_or(0, |a| a.hits.len());
    assert!(app.search.hits().len() > 10, "search hits");
    assert_eq!(answer(app.neighbours.answer()), 40, "neighbours");
    assert!(answer(app.query.answer()) > 0, "analogy answer");
    assert!(app.focused.is_some() && !app.selection.is_empty());
    app
}

fn bench_render(c: &mut Criterion) {
    let mut group = c.benchmark_group("render");
    group
        .measurement_time(Duration::from_secs(4))
        .warm_up_time(Duration::from_secs(1));
    for (w, h) in [(200u16, 60u16), (80, 24)] {
        let app = busy_app(w, h);
        let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
        terminal.draw(|f| ui::render(f, &app)).unwrap();
        let text = format!("{}", terminal.backend());
        assert!(text.contains("Neighbours of king"), "{text}");
        group.bench_function(format!("draw {w}x{h}"), |b| {
            b.iter(|| {
                terminal.draw(|f| ui::render(f, &app)).unwrap();
            })
        });
        group.bench_function(format!("repaint {w}x{h}"), |b| {
            b.iter(|| {
                terminal.clear().unwrap();
                terminal.draw(|f| ui::render(f, &app)).unwrap();
            })
        });
    }
    group.finish();
}

criterion_group!(benches, bench_render);
criterion_main!(benches);
