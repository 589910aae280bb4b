//! The neighbours panel: the top k of the focused word (or of the selection's centroid),
//! with cosines as bars.
use crate::tui::app::{App, Panel, Target};
use crate::tui::panels::hits::view::hit_lines;
use crate::tui::ui::text;
use crate::tui::ui::theme::Theme;
use crate::tui::ui::{below, panel_block, row};
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::Paragraph;
use ratatui::Frame;

pub fn list_area(inner: Rect) -> Rect {
    below(inner, 1)
}

fn heading(app: &App) -> String {
    let n = &app.neighbours;
    match &n.target {
        Some(Target::Word(r)) => {
            format!(" Neighbours of {} (k={}) ", text::escape(app.word(*r)), n.k)
        }
        Some(Target::Centroid(rows)) => {
            format!(
                " Neighbours of the centroid of {} words (k={}) ",
                rows.len(),
                n.k
            )
        }
        None => format!(" Neighbours (k={}) ", n.k),
    }
}

pub fn render(frame: &mut Frame, app: &App, theme: &Theme, area: Rect) {
    let (block, inner) = panel_block(app, theme, Panel::Neighbours, heading(app), area);
    frame.render_widget(block, area);
    let n = &app.neighbours;
    let info = match (&n.target, &n.error) {
        (_, Some(e)) => Line::styled(text::fit(e, inner.width as usize), theme.error()),
        (None, _) if app.space.is_some() => Line::styled(
            text::fit(
                "Enter on a word in the search focuses it",
                inner.width as usize,
            ),
            theme.dim(),
        ),
        (Some(Target::Centroid(rows)), _) => {
            let words: Vec<String> = rows
                .iter()
                .map(|&r| text::escape(app.word(r)).into_owned())
                .collect();
            Line::styled(
                text::fit(
                    &format!("mean of {}", words.join(", ")),
                    inner.width as usize,
                ),
                theme.dim(),
            )
        }
        _ => Line::styled(trail(app, inner.width as usize), theme.dim()),
    };
    frame.render_widget(Paragraph::new(info), row(inner, 0));
    let Some(answer) = n.list.answer() else {
        return;
    };
    let focused = app.focus == Panel::Neighbours && !app.help;
    let lines = hit_lines(
        app,
        theme,
        &answer.hits,
        n.list.selected(),
        focused,
        list_area(inner),
    );
    frame.render_widget(Paragraph::new(lines), list_area(inner));
}

/// The focus history in one line, ending at the focused word: "walked: king › man › woman ·
/// 2 ahead · [ ] list" (older words give way to `…` when the line is short).
pub fn trail(app: &App, w: usize) -> String {
    let h = &app.history;
    let (Some(pos), true) = (h.position(), h.entries().len() > 1) else {
        return text::fit("Enter walks to a neighbour · +/- k · [ ] history", w);
    };
    let ahead = h.forward_len();
    let mut tail = String::new();
    if ahead > 0 {
        tail.push_str(&format!(" · {ahead} ahead"));
    }
    tail.push_str(" · [ ] list");
    let budget = w.saturating_sub(text::width(&tail) + text::width("walked: "));
    let mut words: Vec<String> = Vec::new();
    let mut used = 0;
    for (n, &r) in h.entries()[..=pos].iter().rev().enumerate() {
        let word = text::escape(app.word(r)).into_owned();
        let cost = text::width(&word) + if n == 0 { 0 } else { 3 };
        if used + cost + 4 > budget && n > 0 {
            words.push("…".into());
            break;
        }
        used += cost;
        words.push(word);
    }
    words.reverse();
    text::fit(&format!("walked: {}{tail}", words.join(" › ")), w)
}
