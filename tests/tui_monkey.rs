//! A monkey at the keyboard: random keys (the key table's and any others, with modifiers),
//! mouse events anywhere and resizes down to 1×1, through `update` and the renderer on a
//! TestBackend, on the bundled demo space and on a small space with CJK, control characters,
//! combining marks, emoji and a very long word. Jobs are run the way the worker can deliver
//! them: at once, later, out of order, or never (superseded). After every event the state
//! must satisfy `App::check_invariants` and the frame must draw without a panic.
//!
//! Seeded: a failure prints the seed and the event number. `EMBX_MONKEY_EVENTS` sets the
//! number of events in all (default 100,000: 65 % on the odd space, 35 % on the demo, about a
//! minute on two busy cores); `EMBX_MONKEY_SEED` the
//! seed (hex); `EMBX_MONKEY_TRACE=1` prints every event with the state it led to.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test code: a failed unwrap is a failed test"
)]

mod support;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers, MouseButton, MouseEvent, MouseEventKind};
use embx::tui::{drive, execute, ui, update, Action, App, Effect, Job, Source};
use embx::Space;
use ratatui::backend::TestBackend;
use ratatui::Terminal;
use std::collections::VecDeque;
use std::time::Instant;

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Words that are hard to draw and to type: CJK, controls, combining marks, emoji, RTL, a
/// long word, and words that look like syntax.
fn odd_space() -> Space {
    let long = "ab".repeat(150);
    let words = [
        "the",
        "北京",
        "中国",
        "東京",
        "tab\tword",
        "nl\nword",
        "bell\u{7}",
        "esc\u{1b}[31m",
        "e\u{301}",
        "🙂",
        "👩\u{200d}👩\u{200d}👧",
        "مرحبا",
        "a-b",
        "\"quoted\"",
        "(x)",
        ":",
        "0.5",
        "*",
        "\u{feff}bom",
        &long,
        "ｆｕｌｌ",
        "ß",
        "İstanbul",
        "x",
    ];
    let dim = 5;
    let mut data = Vec::new();
    for i in 0..words.len() {
        for d in 0..dim {
            // One all-zero row (index 23) to exercise zero vectors.
            let v = if i == 23 {
                0.0
            } else {
                ((i * 7 + d * 3) % 11) as f32 - 5.0
            };
            data.push(v);
        }
    }
    support::space_from("odd.txt", &words, dim, data)
}

const CHARS: &[char] = &[
    'q', '/', ':', '?', ' ', '[', ']', '+', '-', '=', 'c', 'v', 'n', 'E', 'S', 'L', 'p', 'a', 'd',
    'x', 'j', 'k', 'h', 'l', 'g', 'G', 'i', 'z', 'Z', '0', '5', '*', '(', ')', '"', '\'', '北',
    '京', 'é', '🙂', '\t', 'y', 'u', 'w', 'o', 'r', 's', 'f', 'b', 'm', 't',
];

/// Typed sequences that make sense on both spaces (`\n` is Enter, `\x1b` Esc, `\x15`
/// Ctrl-U, which clears an input line).
const MACROS: &[&str] = &[
    "\x1b\x1b:\x15the - x + 2 the\n",
    "\x1b\x1b:\x15the : x :: x : ?\n",
    "\x1b\x1b:\x150.5 * (the + \"a-b\") - -x\n",
    "\x1b\x1b/\x15th\n",
    "\x1b\x1b/\x15北\n \t \n",
    "\x1b\x1b/\x15the\n v",
    "\x1b\x1b/\x15x\n n",
    "\x1b\x1bp\x15the x\n",
    "\x1b\x1b?",
    "\x1b\x1b/\x15the\n c",
];

fn key(rng: &mut Rng) -> KeyEvent {
    let code = match rng.below(10) {
        0..=5 => KeyCode::Char(CHARS[rng.below(CHARS.len())]),
        6 => KeyCode::Char(char::from_u32(rng.below(0x3000) as u32).unwrap_or('x')),
        _ => [
            KeyCode::Enter,
            KeyCode::Esc,
            KeyCode::Tab,
            KeyCode::BackTab,
            KeyCode::Backspace,
            KeyCode::Delete,
            KeyCode::Up,
            KeyCode::Down,
            KeyCode::Left,
            KeyCode::Right,
            KeyCode::PageUp,
            KeyCode::PageDown,
            KeyCode::Home,
            KeyCode::End,
            KeyCode::F(1),
            KeyCode::Insert,
        ][rng.below(16)],
    };
    let modifiers = match rng.below(12) {
        0 => KeyModifiers::CONTROL,
        1 => KeyModifiers::SHIFT,
        2 => KeyModifiers::ALT,
        _ => KeyModifiers::NONE,
    };
    KeyEvent::new(code, modifiers)
}

fn mouse(rng: &mut Rng, (w, h): (u16, u16)) -> MouseEvent {
    let button = [MouseButton::Left, MouseButton::Right, MouseButton::Middle][rng.below(3)];
    let kind = match rng.below(8) {
        0 | 1 => MouseEventKind::Down(button),
        2 => MouseEventKind::Up(button),
        3 => MouseEventKind::Drag(button),
        4 => MouseEventKind::ScrollUp,
        5 => MouseEventKind::ScrollDown,
        6 => MouseEventKind::Moved,
        _ => MouseEventKind::ScrollLeft,
    };
    // Mostly on the screen, sometimes beyond it (events can lag a resize).
    let column = rng.below(w as usize + 3) as u16;
    let row = rng.below(h as usize + 3) as u16;
    MouseEvent {
        kind,
        column,
        row,
        modifiers: KeyModifiers::NONE,
    }
}

fn resize(rng: &mut Rng) -> (u16, u16) {
    match rng.below(4) {
        0 => (1 + rng.below(10) as u16, 1 + rng.below(6) as u16),
        1 => (80, 24),
        _ => (1 + rng.below(200) as u16, 1 + rng.below(60) as u16),
    }
}

/// Runs the jobs the way the worker may deliver them.
fn deliver(app: &mut App, queue: &mut VecDeque<Job>, rng: &mut Rng) -> Result<(), String> {
    let mut results = Vec::new();
    match rng.below(10) {
        0 => {} // not yet
        1 => {
            // Superseded: a job with a newer one in the same lane may never be delivered
            // (the worker skips it), as the latest request wins.
            let lanes: Vec<_> = queue.iter().map(|j| j.kind.lane()).collect();
            if let Some(i) = (0..lanes.len()).find(|&i| lanes[i + 1..].contains(&lanes[i])) {
                queue.remove(i);
            }
        }
        2 if queue.len() > 1 => {
            // Out of order: the newest first.
            results.push(execute(queue.pop_back().unwrap()));
        }
        _ => results.extend(queue.drain(..).map(execute)),
    }
    for action in results {
        for effect in update(app, action) {
            if let Effect::Run(job) = effect {
                queue.push_back(job);
            }
        }
        app.check_invariants()?;
    }
    Ok(())
}

#[allow(
    clippy::too_many_lines,
    reason = "the monkey's event loop: one random event, then the checks, in order"
)]
fn monkey(source: Source, seed: u64, events: usize, dir: &std::path::Path) {
    let mut rng = Rng(seed);
    let mut app = App::new("monkey", false);
    app.dir = dir.to_path_buf();
    drive(&mut app, Action::Load(source));
    assert!(app.space.is_some(), "the space did not load");
    let mut term = Terminal::new(TestBackend::new(80, 24)).unwrap();
    let mut queue = VecDeque::new();
    let start = Instant::now();
    // How often interesting states were reached: neighbours, analogy/expression answers,
    // a scatter fit, phrases, the file prompt, help.
    let mut reached = [0usize; 6];
    let mut typing: VecDeque<KeyEvent> = VecDeque::new();
    for i in 0..events {
        // Now and then the monkey types something meaningful, so that deep states (answers,
        // scatter fits, phrases) are reached from random ones.
        if typing.is_empty() && rng.below(100) == 0 {
            let m = MACROS[rng.below(MACROS.len())];
            typing.extend(m.chars().map(|c| match c {
                '\n' => KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE),
                '\x1b' => KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE),
                '\x15' => KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL),
                c => KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE),
            }));
        }
        let action = match rng.below(100) {
            _ if !typing.is_empty() => Action::Key(typing.pop_front().unwrap()),
            0..=74 => Action::Key(key(&mut rng)),
            75..=94 => Action::Mouse(mouse(&mut rng, app.size)),
            _ => {
                let (w, h) = resize(&mut rng);
                term.backend_mut().resize(w, h);
                Action::Resize(w, h)
            }
        };
        let what = format!("{action:?}");
        let checked = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            for effect in update(&mut app, action) {
                if let Effect::Run(job) = effect {
                    queue.push_back(job);
                }
            }
            app.check_invariants()?;
            deliver(&mut app, &mut queue, &mut rng)?;
            term.draw(|f| ui::render(f, &app))
                .map_err(|e| e.to_string())?;
            Ok::<(), String>(())
        }));
        match checked {
            Ok(Ok(())) => {}
            Ok(Err(broken)) => {
                panic!("seed {seed:#x}, event {i} ({what}): invariant broken: {broken}")
            }
            Err(_) => panic!("seed {seed:#x}, event {i} ({what}) panicked (message above)"),
        }
        let states = [
            app.neighbours.answer().is_some(),
            app.query.answer().is_some(),
            app.scatter.fit().is_some(),
            !app.phrases.phrases().is_empty(),
            app.prompt.is_some(),
            app.help,
        ];
        if std::env::var("EMBX_MONKEY_TRACE").is_ok() {
            eprintln!(
                "{i}: {what} focus {:?} editing {} prompt {} focused {:?} hits {} jobs {} status {:?}",
                app.focus,
                app.editing,
                app.prompt.is_some(),
                app.focused,
                app.search.hits().len(),
                queue.len(),
                app.status.as_ref().map(|m| &m.text)
            );
        }
        for (n, on) in reached.iter_mut().zip(states) {
            *n += on as usize;
        }
    }
    // The scatter export (`e`, an SVG and a 1200×900 PNG) costs ~50 ms, so it is not among
    // the random keys: it runs once, on whatever state the monkey left.
    for c in ['v', 'e'] {
        for effect in update(&mut app, Action::Key(KeyEvent::from(KeyCode::Char(c)))) {
            if let Effect::Run(job) = effect {
                queue.push_back(job);
            }
        }
        while !queue.is_empty() {
            deliver(&mut app, &mut queue, &mut rng).unwrap();
        }
        app.check_invariants().unwrap();
    }
    // A monkey that never gets anywhere tests nothing.
    assert!(
        reached.iter().all(|&n| n > 0),
        "states never reached: {reached:?}"
    );
    eprintln!(
        "monkey: {events} events (seed {seed:#x}) in {:.1} s; events in states \
         [neighbours, answer, scatter, phrases, prompt, help]: {reached:?}",
        start.elapsed().as_secs_f64()
    );
}

fn events() -> usize {
    std::env::var("EMBX_MONKEY_EVENTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000)
}

fn seed(base: u64) -> u64 {
    std::env::var("EMBX_MONKEY_SEED")
        .ok()
        .and_then(|v| u64::from_str_radix(v.trim_start_matches("0x"), 16).ok())
        .unwrap_or(base)
}

/// Exports and list files go to the explorer's working folder, here a read-only scratch
/// folder (no chdir: the test process's own folder is never the target).
fn read_only_folder() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o555)).unwrap();
    }
    dir
}

/// The `embx-*` files in `dir`.
fn embx_files(dir: &std::path::Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("embx-"))
        .collect();
    names.sort();
    names
}

#[test]
fn monkey_on_the_demo_and_an_odd_space() {
    let dir = read_only_folder();
    let here = std::env::current_dir().unwrap();
    let before = embx_files(&here);
    // The demo's 50,000 rows make its events about twice as dear: it gets 35 % of them.
    let total = events();
    let demo = total * 35 / 100;
    monkey(
        Source::Ready(odd_space()),
        seed(0x0dd5_eed1),
        total - demo,
        dir.path(),
    );
    monkey(Source::Demo, seed(0xde30_5eed), demo, dir.path());
    // Nothing was written where the test runs, and the explorer's writes to its read-only
    // working folder failed cleanly (a user who may write anywhere, such as root, is not
    // stopped by the folder's mode: then only the check on the test's folder applies).
    assert_eq!(std::env::current_dir().unwrap(), here);
    assert_eq!(embx_files(&here), before);
    if std::fs::write(dir.path().join("probe"), "x").is_err() {
        let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert!(left.is_empty(), "files in the read-only folder: {left:?}");
    }
}
