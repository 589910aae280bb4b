//! The analogy / expression panel: the input line, what was asked (terms, method, excluded
//! words) or the error under its column, then the answers.
use crate::query::{Answer, Method};
use crate::tui::app::{App, Panel, QueryError};
use crate::tui::panels::hits::view::hit_lines;
use crate::tui::ui::text;
use crate::tui::ui::text::tail_fit;
use crate::tui::ui::theme::Theme;
use crate::tui::ui::{below, panel_block, row};
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

const PROMPT: &str = "› ";

pub fn list_area(_app: &App, inner: Rect) -> Rect {
    below(inner, 3)
}

fn method_name(m: Method) -> &'static str {
    match m {
        Method::Add => "3CosAdd",
        Method::Mul => "3CosMul",
    }
}

pub fn render(frame: &mut Frame, app: &App, theme: &Theme, area: Rect) {
    let q = &app.query;
    let next_word = app.language_model.is_some()
        && (crate::query::line::asks_next_word(&q.input) || (q.next_word && q.asked == q.input));
    let title = if next_word {
        format!(" Next word [{}] ", super::ngram::chosen(app))
    } else {
        format!(" Analogy / expression [{}] ", method_name(q.method))
    };
    let (block, inner) = panel_block(app, theme, Panel::Query, title, area);
    frame.render_widget(block, area);
    let w = inner.width as usize;
    let input = text::escape(&q.input);
    let shown = tail_fit(&input, w.saturating_sub(text::width(PROMPT) + 1));
    let scrolled = shown != *input;
    let line = Line::from(vec![
        Span::styled(PROMPT, theme.accent()),
        Span::raw(shown.clone()),
    ]);
    let input_row = row(inner, 0);
    frame.render_widget(Paragraph::new(line), input_row);
    let typing = app.focus == Panel::Query && app.editing && !app.help;
    if typing && input_row.height > 0 {
        let x = input_row.x + (text::width(PROMPT) + text::width(&shown)) as u16;
        if x < input_row.x + input_row.width {
            frame.set_cursor_position(Position { x, y: input_row.y });
        }
    }
    let current = q.asked == q.input;
    let (first, second) = match (&q.error, q.list.answer()) {
        (Some(e), _) if current => error_lines(theme, e, &q.input, scrolled, w),
        (_, Some(a)) => answer_lines(app, theme, a, w),
        _ => hint_lines(theme, w, app.language_model.is_some()),
    };
    frame.render_widget(Paragraph::new(first), row(inner, 1));
    frame.render_widget(Paragraph::new(second), row(inner, 2));
    if let Some(a) = q.list.answer() {
        let focused = app.focus == Panel::Query && !app.help && !app.editing;
        let list = list_area(app, inner);
        let lines = hit_lines(app, theme, &a.hits, q.list.selected(), focused, list);
        frame.render_widget(Paragraph::new(lines), list);
    }
}

fn hint_lines<'a>(theme: &Theme, w: usize, next_word: bool) -> (Line<'a>, Line<'a>) {
    // With a language model (an NNLM's), `words _` asks for the next word. Each line has a
    // shorter form for narrow screens (80 columns).
    let (example, keys): ([&str; 2], [&str; 2]) = if next_word {
        (
            [
                "e.g. man : king :: woman : ?  or  the united _",
                "e.g. man:king::woman:?  or  the united _",
            ],
            [
                ": to type, Enter to run, Ctrl-T: 3CosAdd / 3CosMul, NNLM / N-gram",
                ": type · Enter runs · Ctrl-T method, NNLM/N-gram",
            ],
        )
    } else {
        (
            [
                "e.g. man : king :: woman : ?   or   king - man + woman",
                "e.g. man:king::woman:?  or  king - man + woman",
            ],
            [
                ": to type, Enter to run, Ctrl-T: 3CosAdd / 3CosMul",
                ": type · Enter runs · Ctrl-T 3CosAdd/3CosMul",
            ],
        )
    };
    let fitting = |forms: [&str; 2]| {
        let shown = forms.into_iter().find(|f| text::width(f) <= w);
        text::fit(shown.unwrap_or(forms[1]), w)
    };
    (
        Line::styled(fitting(example), theme.dim()),
        Line::styled(fitting(keys), theme.dim()),
    )
}

fn error_lines<'a>(
    theme: &Theme,
    e: &QueryError,
    input: &str,
    scrolled: bool,
    w: usize,
) -> (Line<'a>, Line<'a>) {
    let marker = match e.column {
        Some(col) if !scrolled => {
            let before: String = input.chars().take(col.saturating_sub(1)).collect();
            let pad = text::width(PROMPT) + text::width(&text::escape(&before));
            format!("{}^", " ".repeat(pad))
        }
        Some(col) => format!("at column {col}"),
        None => String::new(),
    };
    (
        Line::styled(text::fit(&marker, w), theme.error()),
        Line::styled(text::fit(&e.message, w), theme.error()),
    )
}

fn answer_lines<'a>(app: &App, theme: &Theme, a: &Answer, w: usize) -> (Line<'a>, Line<'a>) {
    let q = &app.query;
    if q.next_word {
        return next_word_lines(app, theme, a, w);
    }
    let mut spans = Vec::new();
    if q.analogy {
        spans.push(Span::styled(
            format!("{} ", method_name(q.answer_method)),
            theme.accent(),
        ));
    }
    for t in &a.terms {
        let sign = if t.weight < 0.0 { "−" } else { "+" };
        let mag = t.weight.abs();
        let weight = if (mag - 1.0).abs() < 1e-6 {
            String::new()
        } else {
            format!("{mag}·")
        };
        let name = format!("{sign}{weight}{}", text::escape(&t.word));
        spans.push(Span::raw(name));
        if t.subword {
            spans.push(Span::styled("(subword)", theme.accent()));
        }
        spans.push(Span::raw(" "));
    }
    let first = Line::from(text::fit_spans(spans, w));
    let excluded: Vec<String> = a
        .excluded
        .iter()
        .map(|&r| text::escape(app.word(r)).into_owned())
        .collect();
    let second = if excluded.is_empty() {
        Line::styled("nothing excluded", theme.dim())
    } else {
        Line::styled(
            text::fit(&format!("excluded: {}", excluded.join(", ")), w),
            theme.dim(),
        )
    };
    (first, second)
}

/// The lines over a language model's next words: the context it read, and what the scores are.
fn next_word_lines<'a>(app: &App, theme: &Theme, a: &Answer, w: usize) -> (Line<'a>, Line<'a>) {
    let terms = || a.terms.iter().map(|t| (t.word.as_str(), t.index.is_some()));
    let unknown: Vec<&str> = terms().filter(|t| !t.1).map(|t| t.0).collect();
    let ctx = app
        .language_model
        .as_ref()
        .map_or(0, |m| m.weights.dims.ctx);
    let used = app
        .language_model
        .as_ref()
        .map_or(Vec::new(), |m| m.used(terms()));
    let after = app
        .language_model
        .as_ref()
        .map_or_else(String::new, |m| m.describe_context(&used, a.terms.len()));
    let first = Line::styled(
        text::fit(&format!("next word after {after}"), w),
        theme.accent(),
    );
    let second = match app.query.answered_by_ngram() {
        _ if !unknown.is_empty() => {
            format!("not in the vocabulary, left out: {}", unknown.join(" "))
        }
        Some(c) => format!(
            "probability of each word (Kneser-Ney {}-gram counted in {})",
            c.order,
            c.corpus_names()
        ),
        None => format!(
            "probability of each word (NNLM of order {}, reading up to {ctx} words)",
            ctx + 1
        ),
    };
    (first, Line::styled(text::fit(&second, w), theme.dim()))
}
