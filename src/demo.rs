//! The demo space compiled into the binary: the 50,000 most frequent words of GloVe 6B 50d
//! (public domain, PDDL), so `embx … demo` works from any folder and after `cargo install`.
use crate::error::Result;
use crate::io::{self, Loaded};

/// The name that stands for the demo space where a file is expected.
pub const NAME: &str = "demo";

#[repr(C, align(64))]
struct Aligned<T: ?Sized>(T);

// Aligned so the matrix inside can be used in place, without a copy.
static DEMO: &Aligned<[u8]> = &Aligned(*include_bytes!("../assets/demo.fifu"));

/// The raw finalfusion bytes of the demo space.
pub fn bytes() -> &'static [u8] {
    &DEMO.0
}

/// Opens the demo space (no copy of the vectors is made).
pub fn load() -> Result<Loaded> {
    io::load_static(NAME, bytes())
}
