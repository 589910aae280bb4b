//! Drawing: the layout, and one module per panel. Everything here reads `&App` only.
mod alert;
pub mod help;
mod history;
mod prompt;
mod status;
pub mod text;
pub mod theme;

use super::app::{App, Panel};
use super::panels::{inspect, neighbours, phrases, query, scatter, search, train};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::widgets::{Block, Borders};
use ratatui::Frame;
use theme::Theme;

pub use scatter::view::place as scatter_areas;

/// Where everything goes on a screen of a given size.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Areas {
    pub search: Rect,
    pub neighbours: Rect,
    pub query: Rect,
    pub inspect: Rect,
    pub status: Rect,
    /// Empty when the scatter panel is not on screen (see [`scatter_areas`]).
    pub scatter: Rect,
}

impl Areas {
    pub fn panel(&self, p: Panel) -> Rect {
        match p {
            Panel::Search => self.search,
            Panel::Neighbours => self.neighbours,
            Panel::Query => self.query,
            Panel::Inspect => self.inspect,
            Panel::Phrases | Panel::Train => Rect::default(),
            Panel::Scatter => self.scatter,
        }
    }

    /// The panel under the cell (x, y).
    pub fn panel_at(&self, x: u16, y: u16) -> Option<Panel> {
        let pos = ratatui::layout::Position { x, y };
        Panel::ALL
            .into_iter()
            .find(|&p| self.panel(p).contains(pos))
    }
}

/// The layout: two columns (search over inspector, neighbours over the query line) from 60
/// columns up, one column below; the status line at the bottom.
pub fn areas(area: Rect) -> Areas {
    let [body, status] = Layout::vertical([Constraint::Min(0), Constraint::Length(1)]).areas(area);
    if body.height == 0 {
        return Areas {
            status,
            ..Areas::default()
        };
    }
    if area.width >= 60 {
        let [left, right] =
            Layout::horizontal([Constraint::Percentage(36), Constraint::Min(0)]).areas(body);
        let lower = if body.height >= 18 {
            (body.height / 3).clamp(9, 14)
        } else {
            body.height / 2
        };
        let [search, inspect] =
            Layout::vertical([Constraint::Min(0), Constraint::Length(lower)]).areas(left);
        let [neighbours, query] =
            Layout::vertical([Constraint::Min(0), Constraint::Length(lower)]).areas(right);
        Areas {
            search,
            neighbours,
            query,
            inspect,
            status,
            ..Areas::default()
        }
    } else {
        let [search, neighbours, query, inspect] =
            Layout::vertical([Constraint::Ratio(1, 4); 4]).areas(body);
        Areas {
            search,
            neighbours,
            query,
            inspect,
            status,
            ..Areas::default()
        }
    }
}

/// Draws the whole screen.
pub fn render(frame: &mut Frame, app: &App) {
    let theme = Theme::new(app.color);
    let a = scatter_areas(app, areas(frame.area()));
    search::view::render(frame, app, &theme, a.search);
    neighbours::view::render(frame, app, &theme, a.neighbours);
    query::view::render(frame, app, &theme, a.query);
    inspect::view::render(frame, app, &theme, a.inspect);
    scatter::view::render(frame, app, &theme, a.scatter);
    if app.focus == Panel::Phrases {
        phrases::view::render(frame, app, &theme, frame.area());
    }
    if app.focus == Panel::Train {
        train::view::render(frame, app, &theme, frame.area());
    }
    status::render(frame, app, &theme, a.status);
    prompt::render(frame, app, &theme, a.status);
    if app.help {
        help::render(frame, app, &theme, frame.area());
    }
    history::render(frame, app, &theme, a.neighbours);
    let above_status = Rect {
        height: frame.area().height.saturating_sub(1),
        ..frame.area()
    };
    alert::render(frame, app, &theme, above_status);
}

/// The bordered block of `panel` with `title`, highlighted when focused; returns the block
/// and the area inside it.
pub(crate) fn panel_block<'a>(
    app: &App,
    theme: &Theme,
    panel: Panel,
    title: String,
    area: Rect,
) -> (Block<'a>, Rect) {
    let focused = app.focus == panel && !app.help;
    let block = Block::default()
        .borders(Borders::ALL)
        .border_type(theme.border_type(focused))
        .border_style(theme.border(focused))
        .title(text::fit(&title, area.width.saturating_sub(2) as usize))
        .title_style(theme.title(focused));
    let inner = block.inner(area);
    (block, inner)
}

/// The first row shown of a list of `len` rows with `selected` highlighted in `height`
/// rows: the view follows the highlight.
pub fn scroll_offset(selected: usize, len: usize, height: usize) -> usize {
    if height == 0 || selected < height {
        return 0;
    }
    (selected + 1 - height).min(len.saturating_sub(height))
}

/// The area of the clickable list inside `panel`'s border.
pub fn list_area(app: &App, panel: Panel, inner: Rect) -> Rect {
    match panel {
        Panel::Search => search::view::list_area(app, inner),
        Panel::Neighbours => neighbours::view::list_area(inner),
        Panel::Query => query::view::list_area(app, inner),
        Panel::Inspect | Panel::Phrases | Panel::Scatter | Panel::Train => Rect::default(),
    }
}

/// Rows `top..` of `area` (empty when it has fewer).
pub(crate) fn below(area: Rect, top: u16) -> Rect {
    let top = top.min(area.height);
    Rect {
        y: area.y + top,
        height: area.height - top,
        ..area
    }
}

/// Row `n` of `area` as a one-row rectangle (empty when outside).
pub(crate) fn row(area: Rect, n: u16) -> Rect {
    if n >= area.height {
        return Rect { height: 0, ..area };
    }
    Rect {
        y: area.y + n,
        height: 1,
        ..area
    }
}
