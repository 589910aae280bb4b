//! The terminal going away: its window closed, its tmux session killed, an SSH connection
//! lost. Standard input then hangs up, and reading it returns end-of-file (or an error) at
//! once, for ever; crossterm's reader retries such a read without end, spinning a core
//! inside `event::poll`, where neither the loop nor its signal flag is ever looked at again.
//!
//! A watcher thread waits in poll(2) for the hangup. It raises a flag that the loop polls as
//! it polls the signal flag, and swaps standard input for an empty non-blocking pipe, so a
//! reader inside crossterm sees "nothing to read" and returns. The loop then quits as for
//! SIGHUP: saves under way are finished, and the status is 129.
use std::io;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Once;

static HUNG_UP: AtomicBool = AtomicBool::new(false);

/// The exit status after a hangup (128 + SIGHUP).
pub const STATUS: i32 = 129;

/// Starts (once) the thread that watches standard input for a hangup.
#[cfg(unix)]
pub fn watch() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let spawned = std::thread::Builder::new()
            .name("embx-hangup".into())
            .spawn(|| loop {
                match stdin_state(-1) {
                    Ok(Stdin::Open) => continue,
                    Ok(Stdin::Gone) => {
                        HUNG_UP.store(true, Ordering::SeqCst);
                        detach_stdin();
                        return;
                    }
                    Err(_) => return,
                }
            });
        // Without the watcher the explorer still runs; it only misses a vanished terminal.
        drop(spawned);
    });
}

/// True once standard input has hung up (the watcher saw it, or a look right now does).
pub fn hung_up() -> bool {
    #[cfg(unix)]
    let now = matches!(stdin_state(0), Ok(Stdin::Gone));
    #[cfg(not(unix))]
    let now = false;
    HUNG_UP.load(Ordering::SeqCst) || now
}

/// True once the watcher saw standard input hang up (no system call: for every turn of the
/// loop).
pub fn seen() -> bool {
    HUNG_UP.load(Ordering::SeqCst)
}

#[cfg(unix)]
enum Stdin {
    Open,
    Gone,
}

/// Waits up to `timeout_ms` (-1: for ever) for standard input to hang up or fail. Asks for
/// no events, so input waiting to be read does not wake it: only POLLHUP, POLLERR and
/// POLLNVAL, which poll(2) always reports.
#[cfg(unix)]
fn stdin_state(timeout_ms: libc::c_int) -> io::Result<Stdin> {
    let mut fd = libc::pollfd {
        fd: libc::STDIN_FILENO,
        events: 0,
        revents: 0,
    };
    // SAFETY: `fd` is one valid, initialised pollfd that lives across the call, and the
    // count passed is 1.
    let n = unsafe { libc::poll(&mut fd, 1, timeout_ms) };
    if n < 0 {
        let e = io::Error::last_os_error();
        return if e.kind() == io::ErrorKind::Interrupted {
            Ok(Stdin::Open)
        } else {
            Err(e)
        };
    }
    let gone = fd.revents & (libc::POLLHUP | libc::POLLERR | libc::POLLNVAL) != 0;
    Ok(if gone { Stdin::Gone } else { Stdin::Open })
}

/// Puts the read end of an empty, non-blocking pipe in place of standard input (its write
/// end stays open and is never written), so reads say "would block" instead of returning
/// end-of-file or an error at once, again and again.
#[cfg(unix)]
fn detach_stdin() {
    let mut ends = [0 as libc::c_int; 2];
    // SAFETY: `ends` has room for the two descriptors pipe(2) writes.
    if unsafe { libc::pipe(ends.as_mut_ptr()) } != 0 {
        return;
    }
    // SAFETY: fcntl on a descriptor pipe(2) just gave us; O_NONBLOCK on the read end only.
    unsafe {
        libc::fcntl(ends[0], libc::F_SETFL, libc::O_NONBLOCK);
        libc::fcntl(ends[1], libc::F_SETFD, libc::FD_CLOEXEC);
    }
    // SAFETY: both descriptors were just created by pipe(2) and are ours; dup2 atomically
    // replaces descriptor 0 (a reader in another thread keeps the old file until it returns),
    // and the read end's own descriptor is closed once it has been duplicated. The write end
    // is deliberately left open for the life of the process.
    unsafe {
        libc::dup2(ends[0], libc::STDIN_FILENO);
        libc::close(ends[0]);
    }
}

/// Elsewhere there is no watcher.
#[cfg(not(unix))]
pub fn watch() {}
