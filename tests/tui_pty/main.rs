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

mod search;
mod session;
mod signals;
mod train;

use std::path::Path;

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
