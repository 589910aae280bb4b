//! `embx train --tui`: the loss changes on screen, and quitting while training asks first.
use super::session::Session;
use std::path::Path;
use std::time::{Duration, Instant};

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
