//! Searching: typing a word, Enter, and the neighbour list on screen.
use super::session::Session;
use super::{loaded_marker, WORDS};
use std::time::{Duration, Instant};

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
