//! The terminal guard: raw mode, the alternate screen and mouse capture, restored on every
//! way out — a normal quit, an error, a panic in any thread (the panic hook restores the
//! screen before the message is printed), and SIGTERM / SIGHUP / SIGINT (a flag that the
//! event loop polls; a second signal restores and exits at once). Ctrl-C typed in the
//! explorer is a key in raw mode and quits through the key table.
//! A terminal that goes away is noticed by [`super::hangup`].
use crossterm::event::{DisableMouseCapture, EnableMouseCapture};
use crossterm::terminal::{
    disable_raw_mode, enable_raw_mode, EnterAlternateScreen, LeaveAlternateScreen,
};
use crossterm::{cursor, execute};
use std::io::{self, stdout, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Once;

static ACTIVE: AtomicBool = AtomicBool::new(false);
static PANICKED: AtomicBool = AtomicBool::new(false);
static SIGNALLED: AtomicBool = AtomicBool::new(false);

/// Holds the terminal in the explorer's mode; dropping it restores the terminal.
pub struct Guard(());

impl Guard {
    pub fn enter() -> io::Result<Guard> {
        install_panic_hook();
        enable_raw_mode()?;
        ACTIVE.store(true, Ordering::SeqCst);
        let guard = Guard(());
        execute!(
            stdout(),
            EnterAlternateScreen,
            EnableMouseCapture,
            cursor::Hide
        )?;
        Ok(guard)
    }
}

impl Drop for Guard {
    fn drop(&mut self) {
        restore();
    }
}

/// Puts the terminal back as it was (once; later calls do nothing).
pub fn restore() {
    if ACTIVE.swap(false, Ordering::SeqCst) {
        let _ = execute!(
            stdout(),
            DisableMouseCapture,
            LeaveAlternateScreen,
            cursor::Show
        );
        let _ = disable_raw_mode();
    }
}

fn install_panic_hook() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            restore();
            PANICKED.store(true, Ordering::SeqCst);
            previous(info);
        }));
    });
}

/// True once any thread has panicked while the explorer ran.
pub fn panicked() -> bool {
    PANICKED.load(Ordering::SeqCst)
}

/// Catches SIGINT, SIGTERM and SIGHUP. Returns false when another handler is installed.
pub fn install_signal_handler() -> bool {
    ctrlc::set_handler(|| {
        if SIGNALLED.swap(true, Ordering::SeqCst) {
            restore();
            // Not eprintln!: it panics when the terminal is gone.
            let _ = writeln!(io::stderr(), "embx: interrupted");
            crate::io::exit_removing_temporaries(130);
        }
    })
    .is_ok()
}

/// True once a signal asked the explorer to stop.
pub fn signalled() -> bool {
    SIGNALLED.load(Ordering::SeqCst)
}
