//! End to end: the real `embx open FILE` in a pseudo-terminal, its output read back through a
//! VT parser. It types a search, waits for the neighbours, quits (and, in the other tests, is
//! sent SIGTERM, SIGINT or SIGHUP, or panics in the render thread or a worker through the
//! `EMBX_TEST_PANIC` test hook), and checks that the terminal was put back: main screen,
//! cursor shown, mouse capture off, and the pty's termios as they were before (raw mode off).
//! Exit statuses: 130 for any of the three signals (they are caught alike), 101 for a panic.
//!
//! Skipped, with a note on stderr, when the machine cannot open a pseudo-terminal.
#![cfg(unix)]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test code: a failed unwrap is a failed test"
)]

use portable_pty::{native_pty_system, Child, CommandBuilder, ExitStatus, MasterPty, PtySize};
use std::io::{Read, Write};
use std::path::Path;
use std::sync::mpsc::{channel, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

const COLS: u16 = 100;
const ROWS: u16 = 30;
/// Longest wait for any one thing; a normal run takes well under a second per step.
const TIMEOUT: Duration = Duration::from_secs(20);

/// A small GloVe text space (no header). Dimensions: city, country, China, Japan, France,
/// royalty, male, female. 上海 is 北京's nearest neighbour by a clear margin.
const WORDS: &[(&str, [f32; 8])] = &[
    ("the", [1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0]),
    ("of", [0.9, 1.1, 0.8, 1.0, 1.2, 0.9, 1.0, 1.1]),
    ("king", [0.0, 0.5, 0.0, 0.0, 0.0, 5.0, 3.0, 0.0]),
    ("queen", [0.0, 0.5, 0.0, 0.0, 0.0, 5.0, 0.0, 3.0]),
    ("man", [0.0, 0.0, 0.0, 0.0, 0.0, 0.5, 3.0, 0.0]),
    ("woman", [0.0, 0.0, 0.0, 0.0, 0.0, 0.5, 0.0, 3.0]),
    ("paris", [4.0, 0.5, 0.0, 0.0, 3.0, 0.0, 0.0, 0.0]),
    ("france", [0.5, 4.0, 0.0, 0.0, 3.0, 0.0, 0.0, 0.0]),
    ("lyon", [3.5, 0.3, 0.0, 0.0, 2.5, 0.0, 0.0, 0.0]),
    ("北京", [4.0, 0.5, 3.0, 0.0, 0.0, 0.4, 0.0, 0.0]),
    ("上海", [4.0, 0.3, 3.0, 0.0, 0.0, 0.0, 0.0, 0.0]),
    ("中国", [0.5, 4.0, 3.0, 0.0, 0.0, 0.0, 0.0, 0.0]),
    ("东京", [4.0, 0.5, 0.0, 3.0, 0.0, 0.0, 0.0, 0.0]),
    ("日本", [0.5, 4.0, 0.0, 3.0, 0.0, 0.0, 0.0, 0.0]),
    ("apple", [0.0, 0.0, 0.3, 0.0, 0.0, 0.0, 0.0, 0.0]),
    ("river", [0.7, 0.6, 0.0, 0.0, 0.1, 0.0, 0.0, 0.0]),
    ("music", [0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.2, 0.2]),
    ("blue", [0.0, 0.2, 0.0, 0.1, 0.0, 0.0, 0.1, 0.0]),
    ("seven", [0.3, 0.0, 0.0, 0.0, 0.3, 0.0, 0.0, 0.1]),
    ("tokyo", [4.0, 0.5, 0.0, 2.9, 0.0, 0.0, 0.0, 0.1]),
];

fn write_space(dir: &Path) -> std::path::PathBuf {
    let mut text = String::new();
    for (word, v) in WORDS {
        text.push_str(word);
        for x in v {
            text.push_str(&format!(" {x:.3}"));
        }
        text.push('\n');
    }
    let path = dir.join("tiny.glove.txt");
    std::fs::write(&path, text).unwrap();
    path
}

/// The status line's "N words · D dims" once the space is loaded.
fn loaded_marker() -> String {
    format!("{} words · 8 dims", WORDS.len())
}

/// The explorer running in a pty, with everything it wrote so far.
struct Session {
    master: Box<dyn MasterPty + Send>,
    child: Box<dyn Child + Send + Sync>,
    writer: Box<dyn Write + Send>,
    chunks: Receiver<Vec<u8>>,
    /// Every byte the program wrote.
    bytes: Vec<u8>,
    parser: vt100::Parser,
    /// The termios of the pty before the program started: (iflag, oflag, cflag, lflag).
    termios_before: Option<Flags>,
    eof: bool,
    _dir: tempfile::TempDir,
}

type Flags = (
    libc::tcflag_t,
    libc::tcflag_t,
    libc::tcflag_t,
    libc::tcflag_t,
);

impl Session {
    /// Starts `embx open` on the test space; None (after a note) when no pty can be opened.
    fn start() -> Option<Session> {
        Self::start_with(&[])
    }

    /// As [`Session::start`], with extra environment variables.
    fn start_with(env: &[(&str, &str)]) -> Option<Session> {
        Self::launch(env, |dir| {
            let file = write_space(dir);
            vec!["open".into(), file.into_os_string()]
        })
    }

    /// Starts embx with the arguments `args` makes (in a fresh folder it is given).
    fn start_args(args: impl FnOnce(&Path) -> Vec<std::ffi::OsString>) -> Option<Session> {
        Self::launch(&[], args)
    }

    fn launch(
        env: &[(&str, &str)],
        args: impl FnOnce(&Path) -> Vec<std::ffi::OsString>,
    ) -> Option<Session> {
        let pair = match native_pty_system().openpty(PtySize {
            rows: ROWS,
            cols: COLS,
            pixel_width: 0,
            pixel_height: 0,
        }) {
            Ok(pair) => pair,
            Err(e) => {
                eprintln!("note: skipping the pty test: cannot open a pseudo-terminal: {e}");
                return None;
            }
        };
        let dir = tempfile::tempdir().unwrap();
        let mut cmd = CommandBuilder::new(assert_cmd::cargo::cargo_bin("embx"));
        for a in args(dir.path()) {
            cmd.arg(a);
        }
        cmd.cwd(dir.path());
        cmd.env("TERM", "xterm-256color");
        cmd.env("NO_COLOR", "1");
        cmd.env_remove("COLORTERM");
        cmd.env_remove("EMBX_TEST_PANIC");
        // A backtrace would scroll the panic message off the 30-line screen.
        cmd.env_remove("RUST_BACKTRACE");
        cmd.env_remove("RUST_LIB_BACKTRACE");
        for (k, v) in env {
            cmd.env(k, v);
        }
        let termios_before = pair.master.as_raw_fd().and_then(termios);
        let child = pair
            .slave
            .spawn_command(cmd)
            .expect("start embx in the pty");
        // Only the child holds the slave now: reads see EOF once it is gone.
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader().unwrap();
        let writer = pair.master.take_writer().unwrap();
        let (tx, chunks) = channel();
        std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            loop {
                match reader.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => {
                        if tx.send(buf[..n].to_vec()).is_err() {
                            break;
                        }
                    }
                }
            }
        });
        Some(Session {
            master: pair.master,
            child,
            writer,
            chunks,
            bytes: Vec::new(),
            parser: vt100::Parser::new(ROWS, COLS, 0),
            termios_before,
            eof: false,
            _dir: dir,
        })
    }

    /// Takes in output for at most `wait`; returns after the first chunk (and whatever else
    /// is already there).
    fn pump(&mut self, wait: Duration) {
        if self.eof {
            return;
        }
        match self.chunks.recv_timeout(wait) {
            Ok(chunk) => self.take(&chunk),
            Err(RecvTimeoutError::Timeout) => return,
            Err(RecvTimeoutError::Disconnected) => {
                self.eof = true;
                return;
            }
        }
        while let Ok(chunk) = self.chunks.try_recv() {
            self.take(&chunk);
        }
    }

    fn take(&mut self, chunk: &[u8]) {
        self.bytes.extend_from_slice(chunk);
        self.parser.process(chunk);
    }

    fn screen_text(&self) -> String {
        self.parser.screen().contents()
    }

    /// Polls the parsed screen until `done` holds; panics with the screen after TIMEOUT.
    fn wait_for(&mut self, what: &str, done: impl Fn(&vt100::Screen) -> bool) {
        let start = Instant::now();
        while !done(self.parser.screen()) {
            if start.elapsed() > TIMEOUT {
                panic!(
                    "timed out waiting for {what}; the screen:\n{}",
                    self.screen_text()
                );
            }
            if let Ok(Some(status)) = self.child.try_wait() {
                self.drain();
                if done(self.parser.screen()) {
                    break;
                }
                panic!(
                    "embx exited ({status:?}) while waiting for {what}; the screen:\n{}",
                    self.screen_text()
                );
            }
            self.pump(Duration::from_millis(50));
        }
    }

    fn wait_for_text(&mut self, text: &str) {
        self.wait_for(&format!("{text:?} on the screen"), |s| {
            s.contents().contains(text)
        });
    }

    fn send(&mut self, keys: &str) {
        self.writer.write_all(keys.as_bytes()).unwrap();
        self.writer.flush().unwrap();
    }

    /// Reads until the program's side of the pty is closed (or TIMEOUT).
    fn drain(&mut self) {
        let start = Instant::now();
        while !self.eof && start.elapsed() < TIMEOUT {
            self.pump(Duration::from_millis(100));
        }
    }

    /// Waits for the program to end, and for the rest of its output.
    fn wait_exit(&mut self) -> ExitStatus {
        let start = Instant::now();
        let status = loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                break status;
            }
            if start.elapsed() > TIMEOUT {
                let _ = self.child.kill();
                panic!("embx did not exit; the screen:\n{}", self.screen_text());
            }
            self.pump(Duration::from_millis(20));
        };
        self.drain();
        status
    }

    fn termios_now(&self) -> Option<Flags> {
        self.master.as_raw_fd().and_then(termios)
    }

    /// Checks that raw mode is on while the explorer runs (so the check after exit means
    /// something).
    fn assert_raw_mode_on(&self) {
        if let Some((_, _, _, lflag)) = self.termios_now() {
            assert_eq!(lflag & libc::ICANON, 0, "raw mode is not on while running");
            assert_eq!(lflag & libc::ECHO, 0, "echo is on while running");
        }
    }

    /// The screen, the escape sequences at the end of the output and the pty's modes are
    /// as they were before the program started.
    fn assert_terminal_restored(&self) {
        let screen = self.parser.screen();
        assert!(!screen.alternate_screen(), "still on the alternate screen");
        assert!(!screen.hide_cursor(), "the cursor is still hidden");
        assert_eq!(
            screen.mouse_protocol_mode(),
            vt100::MouseProtocolMode::None,
            "mouse capture still on"
        );
        assert_eq!(
            screen.mouse_protocol_encoding(),
            vt100::MouseProtocolEncoding::Default,
            "mouse encoding still set"
        );
        let out = &self.bytes;
        // Each mode the explorer turned on is turned off after it was last turned on.
        for (on, off) in [
            ("\x1b[?1049h", "\x1b[?1049l"),
            ("\x1b[?25l", "\x1b[?25h"),
            ("\x1b[?1000h", "\x1b[?1000l"),
            ("\x1b[?1002h", "\x1b[?1002l"),
            ("\x1b[?1003h", "\x1b[?1003l"),
            ("\x1b[?1006h", "\x1b[?1006l"),
        ] {
            let last_on = rfind(out, on.as_bytes()).unwrap_or_else(|| panic!("{on:?} never sent"));
            let last_off =
                rfind(out, off.as_bytes()).unwrap_or_else(|| panic!("{off:?} never sent"));
            assert!(
                last_off > last_on,
                "{off:?} is not sent after the last {on:?}"
            );
        }
        // The output ends with leaving the alternate screen and showing the cursor: after
        // that, only plain text (an error message) may follow.
        let leave = rfind(out, b"\x1b[?1049l").unwrap();
        let mut tail = &out[leave + b"\x1b[?1049l".len()..];
        tail = tail.strip_prefix(b"\x1b[?25h").unwrap_or_else(|| {
            panic!(
                "the cursor is not shown right after leaving the alternate screen: {:?}",
                String::from_utf8_lossy(tail)
            )
        });
        // After a panic in the render thread, ratatui's Terminal (dropped while unwinding,
        // after the panic hook restored the screen) shows the cursor once more: harmless.
        let tail = String::from_utf8_lossy(tail).replace("\x1b[?25h", "");
        let tail = tail.as_bytes();
        assert!(
            !tail.contains(&0x1b),
            "escape sequences after the terminal was restored: {:?}",
            String::from_utf8_lossy(tail)
        );
        // Raw mode off: the termios are exactly those from before the start.
        if let (Some(before), Some(after)) = (self.termios_before, self.termios_now()) {
            assert_eq!(after, before, "the pty's termios were not restored");
            assert_ne!(
                after.3 & libc::ICANON,
                0,
                "canonical mode is off after exit"
            );
            assert_ne!(after.3 & libc::ECHO, 0, "echo is off after exit");
        } else {
            eprintln!("note: cannot read the pty's termios; raw mode not checked");
        }
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

fn termios(fd: std::os::unix::io::RawFd) -> Option<Flags> {
    // SAFETY: tcgetattr writes a termios struct into the zeroed one it is given.
    unsafe {
        let mut t: libc::termios = std::mem::zeroed();
        (libc::tcgetattr(fd, &mut t) == 0).then_some((t.c_iflag, t.c_oflag, t.c_cflag, t.c_lflag))
    }
}

fn rfind(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).rposition(|w| w == needle)
}

/// The words of the neighbour list in the order shown: rows of the screen whose panel
/// segment starts with a rank ("│ 1 ●word   0.9150 ██").
fn neighbour_rows(screen: &vt100::Screen) -> Vec<(usize, String)> {
    let text = screen.contents();
    let mut rows = Vec::new();
    let mut inside = false;
    for line in text.lines() {
        if line.contains("Neighbours of") {
            inside = true;
            continue;
        }
        if !inside {
            continue;
        }
        for segment in line.split(['│', '┃']) {
            let mut parts = segment.split_whitespace();
            let (Some(rank), Some(word)) = (parts.next(), parts.next()) else {
                continue;
            };
            let Ok(rank) = rank.parse::<usize>() else {
                continue;
            };
            // A score must follow: this tells list rows from other numbered text.
            if parts.next().is_some_and(|s| s.parse::<f32>().is_ok()) {
                rows.push((rank, word.trim_start_matches('●').to_string()));
            }
        }
    }
    rows
}

#[test]
fn search_a_cjk_word_see_its_neighbours_and_quit() {
    let start = Instant::now();
    let Some(mut s) = Session::start() else {
        return;
    };
    s.wait_for_text(&loaded_marker());
    s.assert_raw_mode_on();
    // Type a search for 北京 (typed as UTF-8, like a real terminal sends it).
    s.send("/北京");
    // The search title: "Search [prefix] 1 of 20".
    s.wait_for_text(&format!("] 1 of {}", WORDS.len()));
    s.send("\r");
    s.wait_for("the neighbours of 北京", |screen| {
        screen.contents().contains("Neighbours of 北京") && !neighbour_rows(screen).is_empty()
    });
    let rows = neighbour_rows(s.parser.screen());
    assert_eq!(
        rows.first().map(|(rank, w)| (*rank, w.as_str())),
        Some((1, "上海")),
        "the nearest neighbour of 北京; the screen:\n{}",
        s.screen_text()
    );
    assert!(
        !rows.iter().any(|(_, w)| w == "北京"),
        "the word is its own neighbour"
    );
    // The search box still has the keys: Esc leaves it, q quits (a fast `Esc q` arrives as
    // Alt-q, which is the same).
    s.send("\x1bq");
    let status = s.wait_exit();
    assert!(
        status.success(),
        "exit status {status:?}; the screen:\n{}",
        s.screen_text()
    );
    s.assert_terminal_restored();
    assert!(
        start.elapsed() < Duration::from_secs(10),
        "took {:?}",
        start.elapsed()
    );
}

#[test]
fn sigterm_quits_and_restores_the_terminal() {
    let start = Instant::now();
    let Some(mut s) = Session::start() else {
        return;
    };
    s.wait_for_text(&loaded_marker());
    s.assert_raw_mode_on();
    let pid = s.child.process_id().expect("the child's pid") as libc::pid_t;
    // SAFETY: kill(2) on the pid of our own child, which has not been waited for yet.
    assert_eq!(unsafe { libc::kill(pid, libc::SIGTERM) }, 0);
    let status = s.wait_exit();
    // The explorer catches SIGTERM, restores the terminal and exits with 130.
    assert_eq!(
        status.exit_code(),
        130,
        "exit status {status:?}; the screen:\n{}",
        s.screen_text()
    );
    s.assert_terminal_restored();
    assert!(
        s.screen_text().contains("embx: interrupted"),
        "no message; the screen:\n{}",
        s.screen_text()
    );
    assert!(
        start.elapsed() < Duration::from_secs(10),
        "took {:?}",
        start.elapsed()
    );
}

/// SIGINT and SIGHUP from outside are caught like SIGTERM: terminal restored, status 130.
#[test]
fn sigint_and_sighup_quit_and_restore_the_terminal() {
    for signal in [libc::SIGINT, libc::SIGHUP] {
        let Some(mut s) = Session::start() else {
            return;
        };
        s.wait_for_text(&loaded_marker());
        s.assert_raw_mode_on();
        let pid = s.child.process_id().expect("the child's pid") as libc::pid_t;
        // SAFETY: kill(2) on the pid of our own child, which has not been waited for yet.
        assert_eq!(unsafe { libc::kill(pid, signal) }, 0);
        let status = s.wait_exit();
        assert_eq!(
            status.exit_code(),
            130,
            "signal {signal}: exit status {status:?}; the screen:\n{}",
            s.screen_text()
        );
        s.assert_terminal_restored();
        assert!(s.screen_text().contains("embx: interrupted"));
    }
}

/// A panic while drawing: the panic hook restores the terminal before the message is
/// printed, and the status is Rust's 101.
#[test]
fn panic_in_the_render_thread_restores_the_terminal() {
    let Some(mut s) = Session::start_with(&[("EMBX_TEST_PANIC", "render")]) else {
        return;
    };
    let status = s.wait_exit();
    assert_eq!(
        status.exit_code(),
        101,
        "exit status {status:?}; the screen:\n{}",
        s.screen_text()
    );
    s.assert_terminal_restored();
    assert!(
        s.screen_text().contains("panic in the render thread"),
        "no panic message; the screen:\n{}",
        s.screen_text()
    );
}

/// A panic in a worker thread (the first job after loading: the search that lists the words): the event loop
/// notices, restores the terminal and exits with 101.
#[test]
fn panic_in_a_worker_restores_the_terminal() {
    let Some(mut s) = Session::start_with(&[("EMBX_TEST_PANIC", "worker")]) else {
        return;
    };
    // Loading starts a search for the word list at once, so no key is needed.
    let status = s.wait_exit();
    assert_eq!(
        status.exit_code(),
        101,
        "exit status {status:?}; the screen:\n{}",
        s.screen_text()
    );
    s.assert_terminal_restored();
    let text = s.screen_text();
    assert!(
        text.contains("panic in a worker thread"),
        "the screen:\n{text}"
    );
    assert!(
        text.contains("embx: a background task panicked"),
        "the screen:\n{text}"
    );
}

/// A corpus of two topics (royalty, cities), 3000 sentences of 12 words.
fn write_corpus(dir: &Path) -> std::path::PathBuf {
    const TOPICS: [&[&str]; 2] = [
        &["king", "queen", "prince", "crown", "throne", "royal"],
        &["paris", "france", "北京", "中国", "street", "city"],
    ];
    let mut state: u64 = 7;
    let mut text = String::new();
    for s in 0..3000 {
        let topic = TOPICS[s % 2];
        for i in 0..12 {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            if i > 0 {
                text.push(' ');
            }
            text.push_str(topic[(state >> 33) as usize % topic.len()]);
        }
        text.push('\n');
    }
    let path = dir.join("corpus.txt");
    std::fs::write(&path, text).unwrap();
    path
}

/// The loss shown in the progress block (" loss           2.4183").
fn loss_on_screen(screen: &vt100::Screen) -> Option<String> {
    screen.contents().lines().find_map(|line| {
        let rest = line.split(['┃', '│']).nth(1)?.trim_start();
        let value = rest.strip_prefix("loss")?.split_whitespace().next()?;
        value.parse::<f32>().is_ok().then(|| value.to_string())
    })
}

#[test]
fn train_in_the_explorer_see_the_loss_change_and_quit() {
    let start = Instant::now();
    let Some(mut s) = Session::start_args(|dir| {
        let corpus = write_corpus(dir);
        [
            "train",
            "--tui",
            "--dim",
            "16",
            "--min-count",
            "1",
            "--epochs",
            "100000",
        ]
        .iter()
        .map(|a| a.into())
        .chain([corpus.into_os_string()])
        .collect()
    }) else {
        return;
    };
    s.wait_for_text("Train in place");
    s.assert_raw_mode_on();
    s.wait_for("a loss value", |screen| loss_on_screen(screen).is_some());
    let first = loss_on_screen(s.parser.screen()).unwrap();
    s.wait_for("the loss to change", |screen| {
        loss_on_screen(screen).is_some_and(|l| l != first)
    });
    s.wait_for_text("Watch words");
    // q while training asks first; the second q quits.
    s.send("q");
    s.wait_for_text("q again");
    s.send("q");
    let status = s.wait_exit();
    assert!(
        status.success(),
        "exit status {status:?}; the screen:\n{}",
        s.screen_text()
    );
    s.assert_terminal_restored();
    assert!(
        s.screen_text().contains("quit while training"),
        "no summary; the screen:\n{}",
        s.screen_text()
    );
    assert!(
        start.elapsed() < Duration::from_secs(20),
        "took {:?}",
        start.elapsed()
    );
}

/// Issue 12, item 2: typing at start goes into the search box (no `/` needed), Enter shows
/// the neighbours of the hit, and the box takes the next word at once.
#[test]
fn typing_at_start_searches_and_enter_focuses_the_hit() {
    let Some(mut s) = Session::start() else {
        return;
    };
    s.wait_for_text(&loaded_marker());
    // `g`, `q` and `j` would be commands outside a text box.
    s.send("lyon");
    s.wait_for_text(&format!("] 1 of {}", WORDS.len()));
    s.send("\r");
    s.wait_for("the neighbours of lyon", |screen| {
        screen.contents().contains("Neighbours of lyon") && !neighbour_rows(screen).is_empty()
    });
    s.send("queen\r");
    s.wait_for("the neighbours of queen", |screen| {
        screen.contents().contains("Neighbours of queen") && !neighbour_rows(screen).is_empty()
    });
    s.send("\x1bq");
    let status = s.wait_exit();
    assert!(
        status.success(),
        "exit status {status:?}; the screen:\n{}",
        s.screen_text()
    );
    s.assert_terminal_restored();
}
