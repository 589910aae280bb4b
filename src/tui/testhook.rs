//! TEST HOOK, for tests/tui_pty/ only: `EMBX_TEST_PANIC=render` makes the explorer panic in
//! the render thread once the space is loaded; `EMBX_TEST_PANIC=worker` makes the first job
//! after loading panic on its worker thread. The variable is read once, at start-up, and has
//! no other effect; it exists so the tests can check that the terminal comes back and the
//! exit status is 101 after a panic anywhere.
use std::sync::OnceLock;

/// Where the hook asks for a panic.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PanicAt {
    Nowhere,
    Render,
    Worker,
}

pub(crate) fn panic_at() -> PanicAt {
    static AT: OnceLock<PanicAt> = OnceLock::new();
    *AT.get_or_init(|| match std::env::var("EMBX_TEST_PANIC").as_deref() {
        Ok("render") => PanicAt::Render,
        Ok("worker") => PanicAt::Worker,
        _ => PanicAt::Nowhere,
    })
}
