//! The scatter panel's state and logic (part of `update`): which words are projected, the
//! PCA fit requested from the worker, the view (zoom and pan), and the SVG export.
//!
//! The projected words are the selection, optionally each selected word's top
//! [`NEIGHBOURS`] neighbours, and the four words of the last answered analogy
//! (`a : b :: c : answer`, drawn as the arrows a→b and c→answer).
pub mod view;

use crate::error::Result;
use crate::project::{self, svg, Basis};
use crate::query::line::{parse, Parsed};
use crate::query::similar;
use crate::space::Space;
use crate::tui::app::{App, Lane, Message, Panel};
use crate::tui::files::{self, FileJob};
use crate::tui::requests::start;
use crate::tui::update::{info, set_focus};
use crate::tui::worker::JobKind;
use crate::tui::Effect;
use std::path::PathBuf;

/// Neighbours shown per selected word when they are switched on.
pub const NEIGHBOURS: usize = 5;
const ZOOM_RANGE: (f64, f64) = (0.25, 64.0);
const ZOOM_STEP: f64 = 1.25;
/// One pan step, as a share of the visible extent.
const PAN_STEP: f64 = 0.1;

/// Why a word is in the plot.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Selected,
    /// One of the four words of the analogy (not selected).
    Analogy,
    /// A neighbour of a selected word (drawn dimmer).
    Neighbour,
}

/// One projected word.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    pub row: u32,
    pub at: [f32; 2],
    pub kind: Kind,
}

/// A finished fit.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Fit {
    pub items: Vec<Item>,
    /// Explained variance ratio of each axis.
    pub explained: [f64; 2],
    pub basis: Basis,
    /// Arrows between items (indices): a→b and c→answer.
    pub arrows: Vec<(usize, usize)>,
}

impl Fit {
    /// Axis titles such as `PC1 (38.2 %)`.
    pub fn axis_titles(&self) -> [String; 2] {
        [0, 1].map(|k| format!("PC{} ({:.1} %)", k + 1, self.explained[k] * 100.0))
    }
}

/// What the worker needs for a fit.
#[derive(Debug, Clone)]
pub struct Request {
    pub space: Space,
    pub selection: Vec<u32>,
    pub neighbours: bool,
    /// Rows of a, b, c and the answer.
    pub analogy: Option<[u32; 4]>,
    pub previous: Option<Basis>,
}

/// Scatter commands of the key table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cmd {
    /// Focus the scatter panel (and show it in place of the neighbours on narrow screens).
    Show,
    ZoomIn,
    ZoomOut,
    /// Move the view by steps right and up.
    Pan(i8, i8),
    Reset,
    ToggleNeighbours,
    Export,
}

/// The scatter panel.
#[derive(Debug, Clone)]
pub struct ScatterState {
    /// Shown in the neighbours' place (screens too narrow for both); follows the focus.
    pub shown: bool,
    /// Include the top neighbours of each selected word.
    pub neighbours: bool,
    pub zoom: f64,
    /// View centre offset, in multiples of the data's extent.
    pub pan: [f64; 2],
    pub fit: Option<Fit>,
    pub error: Option<String>,
    /// Where `e` writes the SVG.
    pub export_path: PathBuf,
}

impl Default for ScatterState {
    fn default() -> Self {
        ScatterState {
            shown: false,
            neighbours: false,
            zoom: 1.0,
            pan: [0.0, 0.0],
            fit: None,
            error: None,
            export_path: PathBuf::from("embx-scatter.svg"),
        }
    }
}

/// The focus moved to `panel`: the scatter and the neighbours share a place on narrow screens,
/// and the one focused last is shown.
pub(crate) fn focus_changed(app: &mut App, panel: Panel) {
    match panel {
        Panel::Scatter => app.scatter.shown = true,
        Panel::Neighbours => app.scatter.shown = false,
        _ => {}
    }
}

pub(crate) fn command(app: &mut App, c: Cmd, fx: &mut Vec<Effect>) {
    let s = &mut app.scatter;
    match c {
        Cmd::Show => set_focus(app, Panel::Scatter),
        Cmd::ZoomIn => s.zoom = (s.zoom * ZOOM_STEP).min(ZOOM_RANGE.1),
        Cmd::ZoomOut => s.zoom = (s.zoom / ZOOM_STEP).max(ZOOM_RANGE.0),
        Cmd::Pan(dx, dy) => {
            let step = PAN_STEP / s.zoom;
            s.pan[0] += dx as f64 * step;
            s.pan[1] += dy as f64 * step;
        }
        Cmd::Reset => {
            s.zoom = 1.0;
            s.pan = [0.0, 0.0];
        }
        Cmd::ToggleNeighbours => {
            s.neighbours = !s.neighbours;
            request(app, fx);
        }
        Cmd::Export => ask_export_path(app),
    }
}

/// The rows of the last answered analogy: a, b, c and the best answer.
fn analogy_rows(app: &App) -> Option<[u32; 4]> {
    let space = app.space.as_ref()?;
    let (asked, answer) = app.query.analogy_answer()?;
    let answer = answer.hits.first()?.index;
    let Ok(Parsed::Analogy { a, b, c }) = parse(asked) else {
        return None;
    };
    Some([space.index(&a)?, space.index(&b)?, space.index(&c)?, answer])
}

/// Asks for a new fit of the current words (or clears the plot when there are none).
pub(crate) fn request(app: &mut App, fx: &mut Vec<Effect>) {
    let Some(space) = app.space.clone() else {
        return;
    };
    let analogy = analogy_rows(app);
    if app.selection.is_empty() && analogy.is_none() {
        // Nothing to plot; a fit still under way is now stale.
        let gen = app.jobs.start(Lane::Scatter);
        app.jobs.finish(Lane::Scatter, gen);
        app.scatter.fit = None;
        app.scatter.error = None;
        return;
    }
    let req = Request {
        space,
        selection: app.selection.clone(),
        neighbours: app.scatter.neighbours,
        analogy,
        previous: app.scatter.fit.as_ref().map(|f| f.basis.clone()),
    };
    start(app, JobKind::Scatter(Box::new(req)), fx);
}

/// Runs on the worker: gathers the words and fits the projection.
pub fn compute(req: &Request) -> Result<Fit> {
    let space = &req.space;
    let mut items: Vec<(u32, Kind)> = Vec::new();
    let add = |items: &mut Vec<(u32, Kind)>, row: u32, kind: Kind| -> usize {
        match items.iter().position(|(r, _)| *r == row) {
            Some(i) => i,
            None => {
                items.push((row, kind));
                items.len() - 1
            }
        }
    };
    for &row in req
        .selection
        .iter()
        .filter(|&&r| (r as usize) < space.len())
    {
        add(&mut items, row, Kind::Selected);
    }
    let mut arrows = Vec::new();
    if let Some(rows) = req
        .analogy
        .filter(|r| r.iter().all(|&x| (x as usize) < space.len()))
    {
        let [a, b, c, d] = rows.map(|r| add(&mut items, r, Kind::Analogy));
        arrows = vec![(a, b), (c, d)];
    }
    if req.neighbours {
        for &row in &req.selection {
            if (row as usize) >= space.len() {
                continue;
            }
            let answer = similar(space, &[space.word(row as usize)], NEIGHBOURS)?;
            for hit in answer.hits {
                add(&mut items, hit.index, Kind::Neighbour);
            }
        }
    }
    let vectors: Vec<&[f32]> = items.iter().map(|(r, _)| space.unit(*r as usize)).collect();
    let p = project::fit(&vectors, req.previous.as_ref())?;
    let items = items
        .into_iter()
        .zip(p.points)
        .map(|((row, kind), at)| Item { row, at, kind })
        .collect();
    Ok(Fit {
        items,
        explained: p.explained,
        basis: p.basis,
        arrows,
    })
}

/// A fit arrived (the latest one).
pub(crate) fn done(app: &mut App, result: Result<Fit>) {
    match result {
        Ok(fit) => {
            app.scatter.fit = Some(fit);
            app.scatter.error = None;
        }
        Err(e) => {
            app.scatter.error = Some(e.to_string());
            app.status = Some(Message {
                text: format!("scatter: {e}"),
                error: true,
            });
        }
    }
}

/// The plot as the SVG module draws it.
pub fn plot(app: &App) -> Option<svg::Plot> {
    let fit = app.scatter.fit.as_ref()?;
    let [x_title, y_title] = fit.axis_titles();
    let points = fit
        .items
        .iter()
        .map(|it| svg::PlotPoint {
            at: it.at,
            label: app.word(it.row).to_string(),
            faint: it.kind == Kind::Neighbour,
        })
        .collect();
    let arrows = fit
        .arrows
        .iter()
        .filter_map(|&(a, b)| Some((fit.items.get(a)?.at, fit.items.get(b)?.at)))
        .collect();
    Some(svg::Plot {
        title: format!("embx scatter of {}", app.name),
        x_title,
        y_title,
        points,
        arrows,
    })
}

/// Opens the prompt for where to export, with the last path (or `embx-scatter.svg`).
fn ask_export_path(app: &mut App) {
    if app.scatter.fit.is_none() {
        app.status = Some(info(
            "nothing to export: Space on a word adds it to the scatter",
        ));
        return;
    }
    app.prompt = Some(files::Prompt {
        kind: files::PromptKind::ScatterExport,
        input: app.scatter.export_path.display().to_string(),
    });
}

/// Asks the file lane to write the plot as SVG to the export path and as PNG beside it.
pub(crate) fn export(app: &mut App, fx: &mut Vec<Effect>) {
    let Some(plot) = plot(app) else {
        app.status = Some(info(
            "nothing to export: Space on a word adds it to the scatter",
        ));
        return;
    };
    let path = app.dir.join(&app.scatter.export_path);
    files::request(app, FileJob::Scatter { path, plot }, fx);
}
