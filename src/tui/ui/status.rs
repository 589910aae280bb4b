//! The status line: file, size, running jobs, the last message, and key hints.
use super::text::{self, thousands};
use super::theme::Theme;
use crate::tui::app::{App, Lane, Panel};
use crate::tui::keymap;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

/// What the focused panel's main keys do (short, the help has the rest).
fn actions(app: &App) -> &'static str {
    use crate::tui::panels::train::Phase;
    let typing = app.editing && app.has_input();
    match app.focus {
        _ if app.help => "↑↓ scroll",
        Panel::Train => match app.train.phase() {
            Phase::Running => "Space pause · x stop · w save · e watch",
            Phase::Paused => "Space resume · x stop · w save",
            Phase::Stopping => "stopping…",
            _ => "Enter change · s start · ? help",
        },
        Panel::Phrases if typing => "Enter add · Ctrl-T weighting · F1 help",
        Panel::Phrases => "w weighting · s stopwords · c PC · d delete · i type · ? help",
        // A line ending in a blank asks the language model: no analogy method to switch.
        Panel::Query if typing && crate::query::line::asks_next_word(app.query.input()) => {
            if app.language_model.is_some() {
                "Enter next words · Ctrl-T NNLM/N-gram · F1 help"
            } else {
                "Enter next words · F1 help"
            }
        }
        Panel::Query if typing => "Enter run · Ctrl-T add/mul · F1 help",
        Panel::Search if typing => "Enter focus · ↑↓ move · F1 help",
        _ if app.train.is_active() => "t training · ? help · / search",
        _ => "? help · / search · : analogy",
    }
}

/// Key hints, longest first: the panel's main keys and how to get out and where to (from the
/// key table), then fewer; the status line shows the first that fits.
fn hints(app: &App) -> Vec<String> {
    if app.prompt.is_some() {
        return vec!["Enter accept · Esc cancel".into()];
    }
    if app.alert.is_some() {
        return vec!["Enter/Esc close the message".into()];
    }
    if app.history.is_open() {
        return vec![
            "[ ] move · Enter jump · Esc close".into(),
            "Esc close".into(),
        ];
    }
    let out: Vec<String> = keymap::ways_out(app)
        .into_iter()
        .map(|(k, what)| format!("{k} {what}"))
        .collect();
    // The panel's keys with as many ways out as fit, then the ways out alone.
    let mut all = Vec::new();
    // (Two ways out at least: Esc / Tab and where they lead matter more than the keys.)
    for n in (out.len().min(2)..=out.len()).rev().filter(|&n| n > 0) {
        all.push(format!("{} · {}", actions(app), out[..n].join(" · ")));
    }
    for n in (1..=out.len()).rev() {
        all.push(out[..n].join(" · "));
    }
    if out.is_empty() {
        all.push(actions(app).to_string());
    }
    if !app.help {
        all.push(LAST_HINT.into());
    }
    all
}

/// The hint kept even beside a long message (F1 opens the help from anywhere, typing or not).
const LAST_HINT: &str = "F1 help";

/// A status message keeps at least this many columns before it gives room to a hint.
const MESSAGE_MIN: usize = 16;

/// A file's name cut to this many columns when a message needs the room.
const SHORT_NAME: usize = 20;

/// From this many words the status line says how neighbours are found.
const BIG: usize = 100_000;

/// How a big space's neighbours are found: "HNSW index · ef 64", "PQ codes" or "exact search"
/// (`None` for small spaces, which are always scanned and quickly).
fn search_method(space: &crate::space::Space) -> Option<String> {
    if space.len() < BIG {
        return None;
    }
    if space.matrix().pq().is_some() {
        return Some("PQ codes".into());
    }
    Some(match space.neighbour_index() {
        Some(index) => {
            // The description ends "(M 16, ef 64)".
            let d = index.describe();
            match d.rsplit_once("ef ") {
                Some((_, ef)) => format!("HNSW index · ef {}", ef.trim_end_matches(')')),
                None => "approximate index".into(),
            }
        }
        None => "exact search".into(),
    })
}

pub fn render(frame: &mut Frame, app: &App, theme: &Theme, area: Rect) {
    if area.height == 0 || area.width == 0 {
        return;
    }
    let w = area.width as usize;
    let jobs = jobs(app);
    let hints = hints(app);
    let msg = message(app, &jobs, theme);
    // A message is what just happened: the file's details give it room first.
    let keep = match hints.last() {
        Some(h) if h == LAST_HINT => text::width(h) + 3,
        _ => 0,
    };
    let wanted = msg.as_ref().map_or(0, |m| text::width(&m.content) + keep);
    let lefts = lefts(app, &jobs);
    let left = lefts
        .iter()
        .find(|l| text::width(l) + wanted <= w)
        .or(lefts.last())
        .cloned()
        .unwrap_or_default();
    let mut used = text::width(&left);
    let mut spans = vec![Span::styled(left, theme.status())];
    if let Some(mut msg) = msg {
        // A long message still leaves room for "F1 help", so a key is always in sight (a
        // prompt's or an alert's own box says what its keys do).
        let room = w.saturating_sub(used);
        let room = match room.checked_sub(keep) {
            Some(r) if r >= MESSAGE_MIN => r,
            _ => room,
        };
        msg.content = text::fit(&msg.content, room).into();
        used += text::width(&msg.content);
        spans.push(msg);
    }
    let room = w.saturating_sub(used);
    let hint = hints.into_iter().find(|h| room >= text::width(h) + 3);
    let fill = match hint {
        Some(hint) => format!("{}{hint} ", " ".repeat(room - text::width(&hint) - 1)),
        None => " ".repeat(room),
    };
    spans.push(Span::styled(fill, theme.status()));
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// The file, the space and the running jobs, longest first: all of it, then without how
/// neighbours are found, without the dimensions, without the word count, and with the file's
/// name cut short. The selection and the jobs stay in all.
fn lefts(app: &App, jobs: &[String]) -> Vec<String> {
    let name = text::escape(&app.name);
    let mut details = Vec::new();
    if let Some(space) = &app.space {
        details.push(format!("{} words", thousands(space.len())));
        details.push(format!("{} dims", space.dim()));
        details.extend(search_method(space));
    }
    let mut tail = String::new();
    if !app.selection.is_empty() {
        tail.push_str(&format!(" · {} selected", app.selection.len()));
    }
    if !jobs.is_empty() {
        tail.push_str(&format!(" · {}", jobs.join(", ")));
    }
    let mut out: Vec<String> = (0..=details.len())
        .rev()
        .map(|n| {
            let shown: String = details[..n].iter().map(|d| format!(" · {d}")).collect();
            format!(" {name}{shown}{tail}")
        })
        .collect();
    if text::width(&name) > SHORT_NAME {
        out.push(format!(" {}{tail}", text::fit(&name, SHORT_NAME)));
    }
    out
}

/// What the running jobs say (the train panel shows its own run, and the live view none).
fn jobs(app: &App) -> Vec<String> {
    app.jobs
        .running()
        .filter(|lane| *lane != Lane::Live && !(*lane == Lane::Train && app.focus == Panel::Train))
        .map(|lane| match (lane, &app.loading) {
            (Lane::Train, _) => app.train.status_text(),
            (Lane::Neighbours, _) => match &app.space {
                // Without an index a big space's neighbours take a scan of every row.
                Some(s) if s.len() >= BIG && s.neighbour_index().is_none() => {
                    format!("scanning {} words…", thousands(s.len()))
                }
                _ => "neighbours…".into(),
            },
            (Lane::Count, _) => crate::tui::panels::query::ngram::counting(app)
                .unwrap_or_else(|| "counting n-grams…".into()),
            (Lane::Load, Some(l)) if l.seen.total > 0 => {
                let pct = l.seen.done.min(l.seen.total) * 100 / l.seen.total;
                format!("loading {pct}%")
            }
            _ => format!("{}…", lane.name()),
        })
        .collect()
}

/// The status message (what `jobs` do not already say), whole, as " · message".
fn message<'a>(app: &App, jobs: &[String], theme: &Theme) -> Option<Span<'a>> {
    let m = app.status.as_ref()?;
    let text = unsaid(m.text.lines().next()?, jobs)?;
    let style = if m.error {
        theme.status().patch(theme.error())
    } else {
        theme.status()
    };
    Some(Span::styled(format!(" · {text}"), style))
}

/// The part of a status message that the job notes do not already say: one message per
/// state, so "paused 34% · epoch 2/5" and the message "paused · Space resumes" show as
/// "paused 34% · epoch 2/5 · Space resumes". None when nothing is left.
fn unsaid<'a>(message: &'a str, notes: &[String]) -> Option<&'a str> {
    fn word(s: &str) -> &str {
        s.split_whitespace()
            .next()
            .unwrap_or("")
            .trim_end_matches(['…', '.', ':', ','])
    }
    let first = word(message);
    let said = !first.is_empty() && notes.iter().any(|n| word(n) == first);
    if !said {
        return (!message.is_empty()).then_some(message);
    }
    let rest = message
        .trim_start()
        .split_once(char::is_whitespace)
        .map_or("", |(_, r)| r)
        .trim_start();
    let rest = rest.strip_prefix("· ").unwrap_or(rest).trim();
    (!rest.is_empty()).then_some(rest)
}

#[cfg(test)]
mod tests {
    use super::{render, search_method, unsaid};
    use crate::query::test_util::random_space;
    use crate::space::{NeighbourIndex, Space};
    use crate::tui::app::App;
    use crate::tui::ui::theme::Theme;
    use ratatui::backend::TestBackend;
    use ratatui::Terminal;
    use std::sync::Arc;

    struct Fake;
    impl NeighbourIndex for Fake {
        fn candidates(&self, _: &Space, _: &[f32], want: usize) -> Vec<u32> {
            (0..want as u32).collect()
        }
        fn describe(&self) -> String {
            "HNSW index /x/big.fifu.embx-hnsw (M 16, ef 64)".into()
        }
    }

    fn line(app: &App, width: u16) -> String {
        let mut t = Terminal::new(TestBackend::new(width, 1)).unwrap();
        let theme = Theme::new(false);
        t.draw(|f| render(f, app, &theme, f.area())).unwrap();
        let buf = t.backend().buffer();
        (0..width).map(|x| buf[(x, 0)].symbol()).collect()
    }

    #[test]
    fn a_big_space_says_how_its_neighbours_are_found() {
        assert_eq!(search_method(&random_space(50, 4, 1)), None);
        let big = random_space(100_000, 2, 1);
        assert_eq!(search_method(&big).as_deref(), Some("exact search"));
        let mut app = App::new("big", false);
        app.space = Some(big.clone());
        let shown = line(&app, 120);
        assert!(
            shown.contains("big · 100,000 words · 2 dims · exact search"),
            "{shown}"
        );
        assert!(big.attach_index(Arc::new(Fake)));
        let shown = line(&app, 120);
        assert!(shown.contains("2 dims · HNSW index · ef 64"), "{shown}");
    }

    #[test]
    fn a_long_message_leaves_a_key_in_sight() {
        let mut app = App::new("tiny", false);
        app.space = Some(random_space(50, 4, 1));
        app.status = Some(crate::tui::app::Message {
            text: "saved 23,480 words and the language model to /tmp/a/very/long/path.fifu".into(),
            error: false,
        });
        // At 80 columns the space's details give the message their room.
        let shown = line(&app, 80);
        assert!(shown.starts_with(" tiny · saved 23,480"), "{shown}");
        assert!(shown.trim_end().ends_with("F1 help"), "{shown}");
        // Wide enough, all of it shows, with the panel's keys.
        let shown = line(&app, 200);
        assert!(
            shown.contains("long/path.fifu") && shown.contains("Esc"),
            "{shown}"
        );
        // A short message leaves them.
        app.status = Some(crate::tui::app::Message {
            text: "saved".into(),
            error: false,
        });
        let shown = line(&app, 80);
        assert!(
            shown.starts_with(" tiny · 50 words · 4 dims · saved"),
            "{shown}"
        );
    }

    #[test]
    fn details_give_way_to_a_message_at_80_columns() {
        let mut app = App::new("glove.6B.50d.with-a-long-name.txt", false);
        app.space = Some(random_space(100_000, 2, 1));
        let full = line(&app, 80);
        assert!(
            full.contains("100,000 words · 2 dims · exact search"),
            "{full}"
        );
        app.status = Some(crate::tui::app::Message {
            text: "q again quits, dropping the run (w saves it)".into(),
            error: false,
        });
        let shown = line(&app, 80);
        assert!(shown.contains("dropping the run (w saves it)"), "{shown}");
        assert!(shown.trim_end().ends_with("F1 help"), "{shown}");
        // Only as much as needed goes: here the name is cut short too.
        assert!(shown.starts_with(" glove.6B.50d.with-a…"), "{shown}");
        app.name = "g.txt".into();
        let shown = line(&app, 80);
        assert!(
            shown.starts_with(" g.txt · 100,000 words · q again"),
            "{shown}"
        );
    }

    #[test]
    fn a_next_word_line_hints_no_analogy_method() {
        let mut app = App::new("tiny", false);
        app.space = Some(random_space(50, 4, 1));
        app.focus = crate::tui::app::Panel::Query;
        app.editing = true;
        *app.query.input_mut() = "king - man".into();
        assert!(line(&app, 120).contains("Ctrl-T add/mul"));
        *app.query.input_mut() = "the united _".into();
        let shown = line(&app, 120);
        assert!(
            shown.contains("Enter next words") && !shown.contains("Ctrl-T"),
            "{shown}"
        );
    }

    #[test]
    fn a_state_is_said_once() {
        let notes = vec!["paused 34% · epoch 2/5".to_string()];
        assert_eq!(
            unsaid("paused · Space resumes · w saves · x stops", &notes),
            Some("Space resumes · w saves · x stops")
        );
        assert_eq!(unsaid("paused", &notes), None);
        let stopping = vec!["stopping 80% · epoch 5/5".to_string()];
        assert_eq!(
            unsaid("stopping… the vectors learnt so far stay open", &stopping),
            Some("the vectors learnt so far stay open")
        );
        assert_eq!(unsaid("resumed", &notes), Some("resumed"));
        assert_eq!(unsaid("sentence added", &[]), Some("sentence added"));
        assert_eq!(unsaid("", &[]), None);
    }
}
