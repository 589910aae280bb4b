//! The train panel, drawn over everything above the status line: on the left the form (no run
//! under way) or the progress of the run (gauge, epoch, words/s/thread, learning rate, loss,
//! time, cost of the snapshots) over the loss curve; on the right the watch words with their
//! neighbours and, when there is room, the scatter of their trails.
use super::view_watch as train_watch;
use crate::train::{MonitorSnapshot, Phase as MonitorPhase};
use crate::tui::app::{App, Panel};
use crate::tui::panels::train::{Field, Mode, Phase, TrainState};
use crate::tui::ui::text;
use crate::tui::ui::theme::Theme;
use crate::tui::ui::{panel_block, row};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Sparkline};
use ratatui::Frame;

/// Columns of a label in the form and the progress block.
const LABEL: usize = 15;
/// Rows of the progress block (with its border).
const PROGRESS_ROWS: u16 = 10;

/// Draws the panel over `screen` minus its last row (the status line).
pub fn render(frame: &mut Frame, app: &App, theme: &Theme, screen: Rect) {
    let area = Rect {
        height: screen.height.saturating_sub(1),
        ..screen
    };
    frame.render_widget(Clear, area);
    if area.height < 3 || area.width < 12 {
        return;
    }
    let share = if area.width >= 110 { 40 } else { 50 };
    let [left, right] = if area.width >= 60 {
        Layout::horizontal([Constraint::Percentage(share), Constraint::Min(0)]).areas(area)
    } else {
        Layout::vertical([Constraint::Percentage(50), Constraint::Min(0)]).areas(area)
    };
    let t = &app.train;
    let top = if t.shows_form() {
        (Field::ALL.len() as u16 + 2).min(left.height)
    } else {
        PROGRESS_ROWS.min(left.height)
    };
    let [top_area, loss_area] =
        Layout::vertical([Constraint::Length(top), Constraint::Min(0)]).areas(left);
    if t.shows_form() {
        form(frame, app, theme, top_area);
    } else {
        progress(frame, app, theme, top_area);
    }
    loss(frame, t, theme, loss_area);
    train_watch::render(frame, app, theme, right);
}

fn title_of(t: &TrainState) -> String {
    let state = match &t.phase {
        Phase::Idle => "ready".to_string(),
        Phase::Running => "training".into(),
        Phase::Paused => "paused".into(),
        Phase::Stopping => "stopping…".into(),
        Phase::Finished { completed: true } => "done".into(),
        Phase::Finished { completed: false } => "stopped".into(),
        Phase::Failed(_) => "failed".into(),
    };
    // A run says what it trains (the form's objective row says it before).
    match &t.run {
        Some(run) => format!(
            " Train in place · {state} · {} ",
            super::form::objective(&run.config)
        ),
        None => format!(" Train in place · {state} "),
    }
}

/// The block of the panel's left part, with the keys that matter now along its bottom.
fn keys_block<'a>(app: &App, theme: &Theme, area: Rect) -> (ratatui::widgets::Block<'a>, Rect) {
    let (block, inner) = panel_block(app, theme, Panel::Train, title_of(&app.train), area);
    let keys = match app.train.phase {
        Phase::Running => " Space pause · x stop · w save ",
        Phase::Paused => " Space resume · x stop · w save ",
        Phase::Stopping => " stopping… ",
        _ => " Enter change · s start · w save ",
    };
    let keys = text::fit(keys, area.width.saturating_sub(2) as usize);
    (block.title_bottom(Line::styled(keys, theme.dim())), inner)
}

fn form(frame: &mut Frame, app: &App, theme: &Theme, area: Rect) {
    let t = &app.train;
    let (block, inner) = keys_block(app, theme, area);
    frame.render_widget(block, area);
    let w = inner.width as usize;
    let open_dim = app.space.as_ref().map(|s| s.dim());
    let focused = app.focus == Panel::Train && !app.help && app.prompt.is_none();
    for (i, field) in Field::ALL.iter().enumerate() {
        let line = if *field == Field::Start {
            let what = match t.form.mode {
                Mode::Scratch => "▶ start training (s)",
                Mode::Continue => "▶ continue training (s)",
            };
            text::pad(what, w)
        } else {
            let value = t.form.value(*field, open_dim);
            let locked = *field == Field::Dim && t.form.mode == Mode::Continue;
            let mut value = if locked {
                value
            } else {
                text::escape(&value).into_owned()
            };
            // The row under the cursor says that Enter steps through its choices (the
            // objective row holds nine: skip-gram/CBOW × NS/HS × subwords, and the NNLM).
            if i == t.selected && field.is_toggle() && !locked {
                value.push_str("  (Enter: next)");
            }
            text::pad(
                &format!(" {}{value}", text::pad(field.label(), LABEL - 1)),
                w,
            )
        };
        let style = if i == t.selected {
            theme.highlight(focused)
        } else if *field == Field::Start {
            theme.accent()
        } else {
            Style::new()
        };
        frame.render_widget(Paragraph::new(line).style(style), row(inner, i as u16));
    }
}

/// "1:05" or "1:02:03".
fn clock(seconds: f64) -> String {
    let s = seconds.max(0.0) as u64;
    if s >= 3600 {
        format!("{}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
    } else {
        format!("{}:{:02}", s / 60, s % 60)
    }
}

/// The lines of the progress block for the counters `s`.
pub fn progress_lines(t: &TrainState, s: &MonitorSnapshot, w: usize) -> Vec<Line<'static>> {
    let field =
        |label: &str, value: String| Line::from(format!(" {}{value}", text::pad(label, LABEL)));
    let pct = s.fraction() * 100.0;
    let gauge = format!(
        " {} {pct:5.1} %",
        text::bar(s.fraction() as f32, w.saturating_sub(10))
    );
    if s.phase == MonitorPhase::Reading {
        return vec![
            Line::from(format!(" reading the corpus… {pct:.0} %")),
            Line::from(gauge),
            field("read", format!("{} of {} MB", s.done >> 20, s.total >> 20)),
        ];
    }
    let state = match t.phase {
        Phase::Paused => "❚❚ paused",
        Phase::Stopping => "■ stopping",
        Phase::Finished { .. } => "■ ended",
        _ => "● training",
    };
    let threads = s.threads.max(1);
    let rate = s.words_per_second();
    let eta = if rate > 0.0 && matches!(t.phase, Phase::Running) {
        format!(
            " · {} left",
            clock(s.total.saturating_sub(s.done) as f64 / rate)
        )
    } else {
        String::new()
    };
    let snapshot = match t.snapshot_ms {
        Some((copy, all)) => match super::results::snapshot_wait(t.snapshot_total_ms, s.seconds) {
            // Slow snapshots (a big space) are spaced out: say when the next one comes.
            wait if !wait.is_zero() && t.run.is_some() => {
                format!("{all:.0} ms · next in {:.0} s", wait.as_secs_f64().ceil())
            }
            _ => format!("{all:.0} ms (copy {copy:.0}) · #{}", t.snapshots),
        },
        None => "–".into(),
    };
    vec![
        Line::from(format!(" {state}   epoch {}/{}", s.epoch(), s.epochs)),
        Line::from(gauge),
        field(
            "words/s/thread",
            format!(
                "{} ({threads} threads)",
                text::thousands((rate / threads as f64) as usize)
            ),
        ),
        field("learning rate", format!("{:.6}", s.alpha)),
        field("loss", s.loss.map_or("–".into(), |l| format!("{l:.4}"))),
        field("time", format!("{}{eta}", clock(s.seconds))),
        field("snapshot", snapshot),
        field(
            "words done",
            format!(
                "{} / {}",
                text::thousands(s.done as usize),
                text::thousands(s.total as usize)
            ),
        ),
    ]
}

fn progress(frame: &mut Frame, app: &App, theme: &Theme, area: Rect) {
    let t = &app.train;
    let (block, inner) = keys_block(app, theme, area);
    frame.render_widget(block, area);
    let lines = match &t.seen {
        Some(s) => progress_lines(t, s, inner.width as usize),
        None => vec![Line::from(" starting…")],
    };
    let lines: Vec<Line> = lines
        .into_iter()
        .map(|l| {
            let s: String = l.spans.iter().map(|s| s.content.as_ref()).collect();
            Line::from(text::fit(&s, inner.width as usize))
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), inner);
}

/// `points` in at most `w` columns: the whole run, each column the mean of its share.
pub fn squeeze(points: &[f32], w: usize) -> Vec<f32> {
    if points.len() <= w || w == 0 {
        return points.to_vec();
    }
    (0..w)
        .map(|i| {
            let part = &points[i * points.len() / w..(i + 1) * points.len() / w];
            part.iter().sum::<f32>() / part.len().max(1) as f32
        })
        .collect()
}

/// Fewer `bars` than `w` columns (a short run's) widened to fill them, each bar repeated
/// over its share of the columns, as a long run's points are squeezed.
pub fn widen(bars: Vec<u64>, w: usize) -> Vec<u64> {
    if bars.is_empty() || bars.len() >= w {
        return bars;
    }
    (0..w).map(|c| bars[c * bars.len() / w]).collect()
}

/// The share of the loss curve's points (the newest) that sets its y-axis.
const RECENT: usize = 2;
/// At least this many of the newest points set the y-axis.
const RECENT_MIN: usize = 8;

/// The y-axis of the loss curve: the range of its recent points (the newest half, at least
/// `RECENT_MIN`) with a tenth of margin, so that progress late in a run stays visible
/// instead of being squashed flat under the high loss of the start. Older points above the
/// axis are drawn at the top.
pub fn loss_axis(points: &[f32]) -> (f32, f32) {
    let n = points.len();
    let recent = &points[n - (n / RECENT).max(RECENT_MIN).min(n)..];
    let finite = || recent.iter().copied().filter(|x| x.is_finite());
    let lo = finite().fold(f32::MAX, f32::min);
    let hi = finite().fold(f32::MIN, f32::max);
    if lo > hi {
        return (0.0, 1.0);
    }
    let margin = ((hi - lo) * 0.1).max(hi.abs() * 1e-4).max(1e-6);
    ((lo - margin).max(0.0_f32.min(lo)), hi + margin)
}

/// Bar heights 1..=100 of the points on the axis `lo..hi` (points beyond it at the edges).
pub fn loss_bars(points: &[f32], lo: f32, hi: f32) -> Vec<u64> {
    let span = (hi - lo).max(1e-9);
    points
        .iter()
        .map(|&l| 1 + ((l - lo) / span * 99.0).clamp(0.0, 99.0) as u64)
        .collect()
}

/// The loss curve: the windowed loss, one point per half second of training (the whole run,
/// squeezed or widened to the width), newest right, on the y-axis of [`loss_axis`].
fn loss(frame: &mut Frame, t: &TrainState, theme: &Theme, area: Rect) {
    if area.height < 3 {
        return;
    }
    let title = match t.loss.last() {
        Some(last) => {
            let min = t.loss.iter().copied().fold(f32::MAX, f32::min);
            let (lo, hi) = loss_axis(&squeeze(&t.loss, area.width.saturating_sub(2) as usize));
            let full = format!(" Loss {last:.4} · min {min:.3} · y {lo:.3}–{hi:.3} ");
            if text::width(&full) + 2 <= area.width as usize {
                full
            } else {
                format!(" Loss {last:.4} · y {lo:.3}–{hi:.3} ")
            }
        }
        None => " Loss ".into(),
    };
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.border(false))
        .title(text::fit(&title, area.width.saturating_sub(2) as usize));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let mut lines = Vec::new();
    if let Phase::Failed(e) = &t.phase {
        lines.push(Line::from(Span::styled(format!(" {e}"), theme.error())));
    } else if let Some(r) = &t.report {
        let epochs = match (r.completed, r.epochs_done) {
            (true, 1.0) => "1 epoch".to_string(),
            (true, e) => format!("{e:.0} epochs"),
            (false, e) => format!("{e:.2} epochs"),
        };
        lines.push(Line::from(format!(
            " last run: {} {epochs}, {} words/s",
            if r.completed {
                "trained"
            } else {
                "stopped after"
            },
            text::thousands(r.words_per_second as usize)
        )));
    }
    if let Some(p) = &t.saved {
        lines.push(Line::from(format!(" saved to {}", p.display())));
    }
    let curve = Rect {
        y: inner.y + lines.len() as u16,
        height: inner.height.saturating_sub(lines.len() as u16),
        ..inner
    };
    frame.render_widget(Paragraph::new(lines), inner);
    if t.loss.is_empty() {
        if t.report.is_none() && t.saved.is_none() && curve.height > 0 {
            let hint = "the loss curve appears once training runs";
            let p = Paragraph::new(hint).style(theme.dim());
            let p = p.wrap(ratatui::widgets::Wrap { trim: true });
            let curve = Rect {
                x: curve.x + 1,
                width: curve.width.saturating_sub(1),
                ..curve
            };
            frame.render_widget(p, curve);
        }
        return;
    }
    let w = curve.width as usize;
    let tail = squeeze(&t.loss, w);
    let (lo, hi) = loss_axis(&tail);
    let data = widen(loss_bars(&tail, lo, hi), w);
    let spark = Sparkline::default().data(&data).max(100).style(theme.bar());
    frame.render_widget(spark, curve);
}

#[cfg(test)]
mod tests {
    use super::{loss_axis, loss_bars, widen};

    #[test]
    fn a_short_run_fills_the_width() {
        assert_eq!(widen(vec![9, 5, 1], 7), [9, 9, 9, 5, 5, 1, 1]);
        assert_eq!(widen(vec![4], 3), [4, 4, 4]);
        assert_eq!(widen(vec![3, 2, 1], 3), [3, 2, 1]);
        assert_eq!(widen(vec![], 5), Vec::<u64>::new());
        // Every bar keeps a share of the columns, in order.
        let wide = widen((0..11).collect(), 46);
        assert_eq!(wide.len(), 46);
        assert!(wide.windows(2).all(|p| p[0] <= p[1]) && wide[45] == 10);
    }

    #[test]
    fn the_loss_axis_follows_the_recent_points() {
        // A steep fall from 8 and then slow progress from 2.10 to 2.00.
        let mut points: Vec<f32> = (0..20).map(|i| 8.0 - 0.3 * i as f32).collect();
        points.extend((0..80).map(|i| 2.10 - 0.1 * i as f32 / 79.0));
        let (lo, hi) = loss_axis(&points);
        // The newest half spans about 2.062..2.0: the axis is that with a margin.
        assert!(
            lo > 1.99 && lo < 2.0 && hi > 2.062 && hi < 2.07,
            "{lo} {hi}"
        );
        let bars = loss_bars(&points, lo, hi);
        // The early loss is at the top, and the last half still climbs down the full axis.
        assert!(bars[..20].iter().all(|&b| b == 100));
        let last = &bars[50..];
        assert!(last[0] > 80 && *last.last().unwrap() < 20, "{last:?}");
        // The old, whole-range axis squashed the same 50 points into a bar height or two.
        let whole = loss_bars(&points, 2.0, 8.0);
        assert!(whole[50] - whole[99] <= 1);
        // Few points: all of them; flat or empty curves get a usable axis.
        assert_eq!(loss_axis(&[3.0, 1.0]).0.floor(), 0.0);
        let (a, b) = loss_axis(&[0.5; 4]);
        assert!(a < 0.5 && b > 0.5);
        assert_eq!(loss_axis(&[]), (0.0, 1.0));
        assert_eq!(loss_axis(&[f32::NAN]), (0.0, 1.0));
    }
}
