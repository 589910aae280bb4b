//! The terminal goes away under a running explorer: the test closes the master side of the
//! pseudo-terminal (as killing a tmux session or losing an SSH connection does) and sends no
//! signal itself. embx must exit within a second, without spinning while it does, with the
//! hangup status 129 (or 130 when the kernel's SIGHUP to a session leader wins the race).
//!
//! Two set-ups: embx as the session leader with the pty as its controlling terminal (the
//! kernel then also sends it SIGHUP), and embx in a session of its own with no controlling
//! terminal (no signal at all: only end-of-file on standard input).
//!
//! Skipped, with a note on stderr, when the machine cannot open a pseudo-terminal.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test code: a failed unwrap is a failed test"
)]
#![cfg(target_os = "linux")]

use std::os::unix::io::{FromRawFd, OwnedFd, RawFd};
use std::os::unix::process::CommandExt;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const ROWS: u16 = 24;
const COLS: u16 = 80;

fn write_space(dir: &std::path::Path) -> std::path::PathBuf {
    let mut text = String::new();
    for (i, w) in ["the", "of", "king", "queen", "man", "woman", "paris"]
        .iter()
        .enumerate()
    {
        text.push_str(w);
        for j in 0..4 {
            text.push_str(&format!(" {}", ((i * 7 + j * 3) % 5) as f32 + 0.5));
        }
        text.push('\n');
    }
    let path = dir.join("tiny.glove.txt");
    std::fs::write(&path, text).unwrap();
    path
}

/// A fresh pty: (master, slave), or None when the machine has none to give.
fn openpty() -> Option<(OwnedFd, OwnedFd)> {
    let (mut master, mut slave): (RawFd, RawFd) = (-1, -1);
    let size = libc::winsize {
        ws_row: ROWS,
        ws_col: COLS,
        ws_xpixel: 0,
        ws_ypixel: 0,
    };
    // SAFETY: openpty writes two descriptors into the integers it is given; the name and
    // termios pointers may be null; `size` outlives the call.
    let r = unsafe {
        libc::openpty(
            &mut master,
            &mut slave,
            std::ptr::null_mut(),
            std::ptr::null(),
            &size,
        )
    };
    if r != 0 {
        eprintln!(
            "note: skipping: cannot open a pseudo-terminal: {}",
            std::io::Error::last_os_error()
        );
        return None;
    }
    // Children must not inherit the master: it would stay open in them.
    for fd in [master, slave] {
        // SAFETY: fcntl on a descriptor openpty just gave us.
        unsafe { libc::fcntl(fd, libc::F_SETFD, libc::FD_CLOEXEC) };
    }
    // SAFETY: both descriptors were just opened by openpty and belong to nobody else.
    Some(unsafe { (OwnedFd::from_raw_fd(master), OwnedFd::from_raw_fd(slave)) })
}

/// Starts `embx open` on the pty's slave side; with `controlling`, the pty becomes its
/// controlling terminal (as in a terminal window), otherwise it has none.
fn spawn(slave: &OwnedFd, controlling: bool, file: &std::path::Path) -> Child {
    let io = || Stdio::from(slave.try_clone().unwrap());
    let mut cmd = Command::new(assert_cmd::cargo::cargo_bin("embx"));
    cmd.arg("open")
        .arg(file)
        .env("TERM", "xterm-256color")
        .env("NO_COLOR", "1")
        .env_remove("EMBX_TEST_PANIC")
        .stdin(io())
        .stdout(io())
        .stderr(io());
    // SAFETY: the closure only makes async-signal-safe system calls (setsid, ioctl).
    unsafe {
        cmd.pre_exec(move || {
            if libc::setsid() < 0 {
                return Err(std::io::Error::last_os_error());
            }
            if controlling && libc::ioctl(0, libc::TIOCSCTTY, 0) < 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    cmd.spawn().expect("start embx in the pty")
}

/// Reads what embx writes until `text` is on its screen (or panics after 20 s).
fn read_until(master: &OwnedFd, text: &str) {
    use std::os::unix::io::AsRawFd;
    let mut parser = vt100::Parser::new(ROWS, COLS, 0);
    let start = Instant::now();
    let mut buf = [0u8; 8192];
    while !parser.screen().contents().contains(text) {
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "timed out waiting for {text:?}; the screen:\n{}",
            parser.screen().contents()
        );
        let mut p = libc::pollfd {
            fd: master.as_raw_fd(),
            events: libc::POLLIN,
            revents: 0,
        };
        // SAFETY: one valid pollfd, count 1.
        if unsafe { libc::poll(&mut p, 1, 100) } <= 0 {
            continue;
        }
        // SAFETY: reads into `buf`, whose length is passed.
        let n = unsafe { libc::read(master.as_raw_fd(), buf.as_mut_ptr().cast(), buf.len()) };
        assert!(n > 0, "the pty closed before {text:?} appeared");
        parser.process(&buf[..n as usize]);
    }
}

/// The CPU time (user + system, in clock ticks) and state of process `pid`, read from
/// /proc without reaping it (a zombie still has both).
fn cpu_and_state(pid: u32) -> Option<(u64, char)> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name may hold spaces: fields are counted after its closing parenthesis.
    let rest = &stat[stat.rfind(')')? + 2..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let state = fields.first()?.chars().next()?;
    let utime: u64 = fields.get(11)?.parse().ok()?;
    let stime: u64 = fields.get(12)?.parse().ok()?;
    Some((utime + stime, state))
}

fn close_master_and_watch(controlling: bool) {
    let Some((master, slave)) = openpty() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let file = write_space(dir.path());
    let mut child = spawn(&slave, controlling, &file);
    drop(slave);
    read_until(&master, "7 words · 4 dims");
    // Let it settle into waiting for input.
    std::thread::sleep(Duration::from_millis(300));
    let (cpu_before, _) = cpu_and_state(child.id()).expect("embx's /proc entry");
    let closed = Instant::now();
    drop(master);
    let mut last_cpu = cpu_before;
    let exited = loop {
        match cpu_and_state(child.id()) {
            Some((cpu, 'Z')) | Some((cpu, 'X')) => {
                last_cpu = cpu;
                break true;
            }
            Some((cpu, _)) => last_cpu = cpu,
            None => break true,
        }
        if closed.elapsed() > Duration::from_secs(3) {
            break false;
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    let took = closed.elapsed();
    if !exited {
        let _ = child.kill();
        let _ = child.wait();
    }
    // SAFETY: sysconf has no preconditions.
    let ticks = unsafe { libc::sysconf(libc::_SC_CLK_TCK) }.max(1) as f64;
    let cpu = (last_cpu - cpu_before) as f64 / ticks;
    assert!(
        exited,
        "embx still runs 3 s after its terminal went away (cpu {cpu:.2} s)"
    );
    let status = child.wait().unwrap();
    assert!(
        took < Duration::from_secs(1),
        "embx took {took:?} to exit after its terminal went away"
    );
    // A spin for the whole time would use about as much CPU as time passed.
    assert!(
        cpu < 0.25,
        "embx used {cpu:.2} s of CPU in the {took:?} it took to exit: it spins"
    );
    let code = status.code();
    if controlling {
        assert!(
            matches!(code, Some(129 | 130)),
            "exit status {status:?}, not 129/130"
        );
    } else {
        assert_eq!(code, Some(129), "exit status {status:?}");
    }
}

#[test]
fn closing_the_terminal_ends_the_explorer_without_a_signal() {
    close_master_and_watch(false);
}

#[test]
fn closing_the_controlling_terminal_ends_the_explorer() {
    close_master_and_watch(true);
}

/// `embx open` on a file that is not vectors, on a terminal: the error goes to stderr and
/// the status is 2, and the screen was never taken (no alternate screen, no raw mode).
#[test]
fn a_bad_file_is_refused_before_the_screen_is_taken() {
    use std::os::unix::io::AsRawFd;
    let Some((master, slave)) = openpty() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let notvec = dir.path().join("notvec.txt");
    std::fs::write(&notvec, "Dear diary,\ntoday I wrote no vectors.\n").unwrap();
    let start = Instant::now();
    let mut child = spawn(&slave, true, &notvec);
    drop(slave);
    let status = child.wait().unwrap();
    assert!(start.elapsed() < Duration::from_secs(10));
    assert_eq!(status.code(), Some(2), "{status:?}");
    let mut out = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        // SAFETY: reads into `buf`, whose length is passed.
        let n = unsafe { libc::read(master.as_raw_fd(), buf.as_mut_ptr().cast(), buf.len()) };
        if n <= 0 {
            break;
        }
        out.extend_from_slice(&buf[..n as usize]);
    }
    let text = String::from_utf8_lossy(&out);
    assert!(text.contains("not a vector file"), "{text:?}");
    assert!(
        !text.contains("\x1b[?1049h"),
        "the screen was taken: {text:?}"
    );
}
