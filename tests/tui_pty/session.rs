//! The harness: `embx` started in a pseudo-terminal, its output parsed, the terminal checked.
use super::write_space;
use portable_pty::{native_pty_system, Child, CommandBuilder, ExitStatus, MasterPty, PtySize};
use std::io::{Read, Write};
use std::path::Path;
use std::sync::mpsc::{channel, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

const COLS: u16 = 100;
const ROWS: u16 = 30;
/// Longest wait for any one thing; a normal run takes well under a second per step.
const TIMEOUT: Duration = Duration::from_secs(20);

/// The explorer running in a pty, with everything it wrote so far.
pub(crate) struct Session {
    master: Box<dyn MasterPty + Send>,
    pub(crate) child: Box<dyn Child + Send + Sync>,
    writer: Box<dyn Write + Send>,
    chunks: Receiver<Vec<u8>>,
    /// Every byte the program wrote.
    bytes: Vec<u8>,
    pub(crate) parser: vt100::Parser,
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
    pub(crate) fn start() -> Option<Session> {
        Self::start_with(&[])
    }

    /// As [`Session::start`], with extra environment variables.
    pub(crate) fn start_with(env: &[(&str, &str)]) -> Option<Session> {
        Self::launch(env, |dir| {
            let file = write_space(dir);
            vec!["open".into(), file.into_os_string()]
        })
    }

    /// Starts embx with the arguments `args` makes (in a fresh folder it is given).
    pub(crate) fn start_args(
        args: impl FnOnce(&Path) -> Vec<std::ffi::OsString>,
    ) -> Option<Session> {
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

    pub(crate) fn screen_text(&self) -> String {
        self.parser.screen().contents()
    }

    /// Polls the parsed screen until `done` holds; panics with the screen after TIMEOUT.
    pub(crate) fn wait_for(&mut self, what: &str, done: impl Fn(&vt100::Screen) -> bool) {
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

    pub(crate) fn wait_for_text(&mut self, text: &str) {
        self.wait_for(&format!("{text:?} on the screen"), |s| {
            s.contents().contains(text)
        });
    }

    pub(crate) fn send(&mut self, keys: &str) {
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
    pub(crate) fn wait_exit(&mut self) -> ExitStatus {
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
    pub(crate) fn assert_raw_mode_on(&self) {
        if let Some((_, _, _, lflag)) = self.termios_now() {
            assert_eq!(lflag & libc::ICANON, 0, "raw mode is not on while running");
            assert_eq!(lflag & libc::ECHO, 0, "echo is on while running");
        }
    }

    /// The screen, the escape sequences at the end of the output and the pty's modes are
    /// as they were before the program started.
    pub(crate) fn assert_terminal_restored(&self) {
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
