//! Leaving abnormally: SIGTERM, SIGINT, SIGHUP and panics still restore the terminal.
use super::loaded_marker;
use super::session::Session;
use std::time::{Duration, Instant};

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
