//! The scatter panel: a layout of a set of words (the selection, the focus and its
//! neighbours, the most frequent words, the search matches or a word list) by PCA, t-SNE,
//! UMAP or custom axes. Iterative layouts run on the scatter's worker lane and animate: the
//! lane leaves frames in a [`job::Live`] slot that [`tick`] picks up; they can be paused,
//! restarted from the current layout and cancelled. A cursor walks from point to point and
//! moves the explorer's focus; the kept-neighbours figure says how far to trust the picture.
//!
//! The state's fields are private: other parts of the explorer use the functions below.
mod control;
pub mod fit;
pub mod job;
pub mod settings;
pub mod view;
mod view_plot;
mod words;

pub use control::{
    command, neighbours_switched, prompt_accepted, prompt_cancelled, renew, request, tick,
};
pub use fit::{Fit, Item, Kind};
pub use settings::{Field, Method, Points, Settings};

use crate::error::Result;
use crate::project::svg;
use crate::tui::app::{App, Message, Panel};
use crate::tui::files::{self, FileJob};
use crate::tui::update::info;
use crate::tui::Effect;
use job::Live;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Neighbours shown per selected word when they are switched on.
pub const NEIGHBOURS: usize = 5;

/// Scatter commands of the key table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cmd {
    /// Focus the scatter panel (and show it in place of the neighbours on narrow screens).
    Show,
    ZoomIn,
    ZoomOut,
    /// Move the view by steps right and up.
    Pan(i8, i8),
    /// Move the cursor to the nearest point right (1, 0), up (0, 1)…; in the form, a field.
    Cursor(i8, i8),
    Reset,
    ToggleNeighbours,
    Export,
    /// The next point set.
    CyclePoints,
    /// The next method.
    CycleMethod,
    /// Open / close the form of parameters.
    Form,
    /// Edit the form's field.
    Edit,
    /// Run again: t-SNE / UMAP go on from the current layout.
    Rerun,
    Pause,
    /// Close the form, else cancel the layout under way.
    Cancel,
    ToggleClusters,
    /// Draw the last analogy's words and arrows, or leave them out.
    ToggleAnalogy,
}

/// The scatter panel.
#[derive(Debug, Clone)]
pub struct ScatterState {
    /// Shown in the neighbours' place (screens too narrow for both); follows the focus.
    shown: bool,
    /// Include the top neighbours of each selected word.
    neighbours: bool,
    /// Colour the points by k-means cluster.
    clusters: bool,
    /// Leave out the last analogy's words (drawn with arrows by default).
    hide_analogy: bool,
    zoom: f64,
    /// View centre offset, in multiples of the data's extent.
    pan: [f64; 2],
    fit: Option<Fit>,
    error: Option<String>,
    /// Where `e` writes the SVG.
    export_path: PathBuf,
    settings: Settings,
    /// A set taken when it was chosen (focus + neighbours, search matches).
    taken: Option<(Points, crate::project::points::PointSet)>,
    /// The layout under way.
    running: Option<Arc<Live>>,
    paused: bool,
    /// The form is open, with this field highlighted.
    form: Option<usize>,
    /// The settings before a field's prompt opened, for Esc to put back.
    undo: Option<Settings>,
    /// Esc was pressed on the word list's prompt: `o` passes the list by until one is chosen.
    list_declined: bool,
}

impl Default for ScatterState {
    fn default() -> Self {
        ScatterState {
            shown: false,
            neighbours: false,
            clusters: false,
            hide_analogy: false,
            zoom: 1.0,
            pan: [0.0, 0.0],
            fit: None,
            error: None,
            export_path: PathBuf::from("embx-scatter.svg"),
            settings: Settings::default(),
            taken: None,
            running: None,
            paused: false,
            form: None,
            undo: None,
            list_declined: false,
        }
    }
}

impl ScatterState {
    /// Puts back the settings from before a field's prompt; true when they changed.
    pub(crate) fn undo_prompt(&mut self) -> bool {
        match self.undo.take() {
            Some(before) if before != self.settings => {
                self.settings = before;
                true
            }
            _ => false,
        }
    }

    /// The layout on screen (the latest frame while one runs).
    pub fn fit(&self) -> Option<&Fit> {
        self.fit.as_ref()
    }

    /// The last error of a layout.
    pub fn error(&self) -> Option<&str> {
        self.error.as_deref()
    }

    pub fn zoom(&self) -> f64 {
        self.zoom
    }

    pub fn pan(&self) -> [f64; 2] {
        self.pan
    }

    /// The point set, method and parameters.
    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// True while a layout runs on the worker (the loop ticks to pick up its frames).
    pub fn is_running(&self) -> bool {
        self.running.is_some()
    }

    pub fn is_paused(&self) -> bool {
        self.paused
    }

    /// True while the points are coloured by cluster.
    pub fn shows_clusters(&self) -> bool {
        self.clusters
    }

    /// The highlighted field of the open form.
    pub fn form(&self) -> Option<Field> {
        self.form.and_then(|i| Field::ALL.get(i).copied())
    }

    /// Where `e` offers to write.
    pub fn export_path(&self) -> &Path {
        &self.export_path
    }

    /// Sets where `e` writes (the prompt's answer).
    pub(crate) fn set_export_path(&mut self, path: PathBuf) {
        self.export_path = path;
    }

    /// The space changed (training adopted a new one): the old rows mean nothing now.
    pub(crate) fn forget_layout(&mut self) {
        if let Some(live) = self.running.take() {
            live.control().cancel();
        }
        self.fit = None;
        self.error = None;
        self.taken = None;
        self.paused = false;
    }

    /// Checks the view's numbers (for the explorer's invariants).
    pub(crate) fn check(&self) -> std::result::Result<(), String> {
        let ok = self.zoom.is_finite() && self.zoom > 0.0 && self.pan.iter().all(|p| p.is_finite());
        if !ok {
            return Err(format!(
                "scatter view zoom {} pan {:?}",
                self.zoom, self.pan
            ));
        }
        if let Some(f) = &self.fit {
            if f.items
                .iter()
                .any(|it| !it.at.iter().all(|v| v.is_finite()))
            {
                return Err("a scatter point is not finite".into());
            }
        }
        Ok(())
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

/// The word under the scatter's cursor (the focused word, when it is in the plot): what
/// Space selects while the scatter has the focus.
pub(crate) fn cursor_row(app: &App) -> Option<u32> {
    let row = app.focused?;
    app.scatter.fit.as_ref()?.index_of(row).map(|_| row)
}

/// "left out, not in the vocabulary: qwerty, zzz and 3 more".
fn left_out(missing: &[String]) -> String {
    const SHOWN: usize = 5;
    let names: Vec<String> = missing
        .iter()
        .take(SHOWN)
        .map(|w| crate::tui::ui::text::escape(w).into_owned())
        .collect();
    let more = missing.len().saturating_sub(SHOWN);
    let more = if more > 0 {
        format!(" and {more} more")
    } else {
        String::new()
    };
    format!(
        "left out, not in the vocabulary: {}{more}",
        names.join(", ")
    )
}

/// A layout arrived (the latest one): finished, cancelled or failed.
pub(crate) fn done(app: &mut App, result: Result<Fit>) {
    let s = &mut app.scatter;
    s.running = None;
    s.paused = false;
    match result {
        Ok(fit) => {
            if !fit.missing.is_empty() {
                app.status = Some(info(&left_out(&fit.missing)));
            }
            s.fit = Some(fit);
            s.error = None;
        }
        Err(crate::Error::Interrupted) => {
            let at = s.fit.as_ref().map_or(0, |f| f.iteration);
            app.status = Some(info(&format!("layout cancelled at iteration {at}")));
        }
        Err(e) => {
            s.error = Some(e.to_string());
            if s.settings.points == Points::List {
                // A word list the user named: an alert, as for other files asked for.
                let title = "could not lay out the word list".to_string();
                return crate::tui::requests::alert(app, title, e.to_string());
            }
            app.status = Some(Message {
                text: format!("scatter: {e}"),
                error: true,
            });
        }
    }
}

/// The plot as the SVG module draws it.
pub fn plot(app: &App) -> Option<svg::Plot> {
    let s = &app.scatter;
    let fit = s.fit.as_ref()?;
    let [x_title, y_title] = fit.axis_titles();
    // Zoomed in or panned: the words in view, as on screen (a 4:3 window like the picture's).
    let zoomed = (s.zoom - 1.0).abs() > 1e-9 || s.pan != [0.0, 0.0];
    let window = view::view(fit, s.zoom, s.pan, 160, 60);
    let shown = |at: [f32; 2]| !zoomed || window.cell(at, 160, 60).is_some();
    let kept: Vec<usize> = (0..fit.items.len())
        .filter(|&i| shown(fit.items[i].at))
        .collect();
    let points = kept
        .iter()
        .map(|&i| {
            let it = &fit.items[i];
            svg::PlotPoint {
                at: it.at,
                label: app.word(it.row).to_string(),
                faint: it.kind == Kind::Neighbour,
                key: false,
            }
        })
        .collect();
    let arrows = fit
        .arrows
        .iter()
        .filter_map(|&(a, b)| Some((fit.items.get(a)?.at, fit.items.get(b)?.at)))
        .filter(|&(a, b)| shown(a) && shown(b))
        .collect();
    let zoom = if zoomed {
        format!(" (zoomed ×{:.2})", s.zoom)
    } else {
        String::new()
    };
    Some(svg::Plot {
        title: svg::picture_title(&fit.method, kept.len(), &app.name, fit.kept()) + &zoom,
        x_title,
        y_title,
        points,
        arrows,
        // Coloured as on screen: by cluster while `k` has them on.
        clusters: fit
            .clusters()
            .filter(|_| s.clusters)
            .map(|c| kept.iter().map(|&i| c[i]).collect()),
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
    app.prompt = Some(files::Prompt::new(
        files::PromptKind::ScatterExport,
        app.scatter.export_path.display().to_string(),
    ));
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
