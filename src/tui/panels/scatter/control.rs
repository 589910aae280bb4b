//! The scatter's part of `update`: its commands, starting layouts on the worker, taking in
//! their frames on each tick, and the form's answers.
use super::job::{self, Live, Request};
use super::settings::{Field, Method, Points};
use super::words::{analogy_rows, point_set};
use super::{ask_export_path, Cmd, ScatterState, NEIGHBOURS};
use crate::project::points::PointSet;
use crate::tui::app::{App, Lane, Message, Panel, While};
use crate::tui::files::{Prompt, PromptKind};
use crate::tui::requests::start;
use crate::tui::update::{focus_word, info, set_focus};
use crate::tui::worker::JobKind;
use crate::tui::Effect;
use std::sync::Arc;

const ZOOM_RANGE: (f64, f64) = (0.25, 256.0);
const ZOOM_STEP: f64 = 1.25;
/// One pan step, as a share of the visible extent.
const PAN_STEP: f64 = 0.1;

/// Carries out a scatter command.
pub fn command(app: &mut App, c: Cmd, fx: &mut Vec<Effect>) {
    let s = &mut app.scatter;
    match c {
        // `v` again goes back to the neighbours (on narrow screens the two share a place).
        Cmd::Show if app.focus == Panel::Scatter => set_focus(app, Panel::Neighbours),
        Cmd::Show => set_focus(app, Panel::Scatter),
        Cmd::ZoomIn => s.zoom = (s.zoom * ZOOM_STEP).min(ZOOM_RANGE.1),
        Cmd::ZoomOut => s.zoom = (s.zoom / ZOOM_STEP).max(ZOOM_RANGE.0),
        Cmd::Pan(dx, dy) => {
            let step = PAN_STEP / s.zoom;
            s.pan[0] += f64::from(dx) * step;
            s.pan[1] += f64::from(dy) * step;
        }
        Cmd::Reset => {
            s.zoom = 1.0;
            s.pan = [0.0, 0.0];
        }
        Cmd::Cursor(dx, dy) if s.form.is_some() => {
            let n = Field::ALL.len() as isize;
            let i = s.form.unwrap_or(0) as isize - isize::from(dy) + isize::from(dx);
            s.form = Some(i.rem_euclid(n) as usize);
        }
        Cmd::Cursor(dx, dy) => cursor(app, dx, dy, fx),
        Cmd::ToggleNeighbours | Cmd::ToggleClusters | Cmd::ToggleAnalogy => toggle(app, c, fx),
        Cmd::Export => ask_export_path(app),
        Cmd::CyclePoints => {
            // Another set of points, or (below) another method, is another picture: the view
            // starts whole again.
            (s.zoom, s.pan) = (1.0, [0.0, 0.0]);
            s.undo = Some(s.settings.clone());
            s.settings.points = s.settings.points.next();
            if s.settings.points == Points::List && s.settings.list.is_none() && s.list_declined {
                // Esc on the list's prompt last time: `o` goes on round the cycle.
                s.settings.points = Points::List.next();
            }
            if s.settings.points == Points::List && s.settings.list.is_none() {
                open_field(app, Field::List);
            } else {
                run(app, true, false, fx);
            }
        }
        Cmd::CycleMethod => {
            (s.zoom, s.pan) = (1.0, [0.0, 0.0]);
            s.undo = Some(s.settings.clone());
            s.settings.method = s.settings.method.next();
            if s.settings.method == Method::Axes && !s.settings.has_axes() {
                open_field(app, Field::XAxis);
            } else {
                run(app, false, false, fx);
            }
        }
        Cmd::Form => s.form = if s.form.is_some() { None } else { Some(0) },
        Cmd::Edit => match app.scatter.form() {
            Some(f) => {
                app.scatter.undo = Some(app.scatter.settings.clone());
                open_field(app, f)
            }
            None => app.scatter.form = Some(0),
        },
        Cmd::Rerun => run(app, false, true, fx),
        Cmd::Pause => pause(app),
        Cmd::Cancel => cancel(app),
    }
}

/// The scatter's switches: neighbours of the selection (`n`), cluster colours (`C`), the last
/// analogy's words (`A`).
fn toggle(app: &mut App, c: Cmd, fx: &mut Vec<Effect>) {
    let s = &mut app.scatter;
    match c {
        Cmd::ToggleNeighbours => {
            s.neighbours = !s.neighbours;
            if s.settings.points != Points::Selection {
                app.status = Some(info("n adds neighbours to the selection's scatter (o)"));
            }
            request(app, fx);
        }
        Cmd::ToggleClusters => {
            s.clusters = !s.clusters;
            if s.clusters && s.fit.as_ref().is_some_and(|f| f.clusters().is_none()) {
                app.status = Some(info("clusters: k-means runs once the first frame is in"));
            }
        }
        Cmd::ToggleAnalogy => {
            s.hide_analogy = !s.hide_analogy;
            app.status = Some(info(if s.hide_analogy {
                "the last analogy's words are left out (A draws them again)"
            } else {
                "the last analogy's words are drawn, with arrows (A leaves them out)"
            }));
            run(app, false, false, fx);
        }
        _ => {}
    }
}

fn pause(app: &mut App) {
    let s = &mut app.scatter;
    let Some(live) = &s.running else {
        app.status = Some(info("no layout is running (r runs one)"));
        return;
    };
    if !live.has_started() {
        app.status = Some(info("the layout is starting: z pauses it once it runs"));
        return;
    }
    s.paused = !s.paused;
    if s.paused {
        live.control().pause();
    } else {
        live.control().resume();
    }
}

fn cancel(app: &mut App) {
    let s = &mut app.scatter;
    if s.form.take().is_some() {
        return;
    }
    match &s.running {
        // The lane answers with the cancellation; the last frame stays on screen.
        Some(live) => live.control().cancel(),
        None => app.status = Some(info("v goes back to the neighbours, Tab to the next panel")),
    }
}

/// Moves the cursor to the nearest point in the direction `(dx, dy)` (y up) and makes its
/// word the focus; the view follows when it leaves the screen.
fn cursor(app: &mut App, dx: i8, dy: i8, fx: &mut Vec<Effect>) {
    let s = &app.scatter;
    let Some(fit) = &s.fit else { return };
    let here = app.focused.and_then(|r| fit.index_of(r));
    let next = match here {
        Some(i) => fit.step(i, f64::from(dx), f64::from(dy)),
        None => {
            // From the middle of the view.
            let [x0, x1, y0, y1] = fit.bounds();
            let extent = (x1 - x0).max(y1 - y0);
            let c = [
                (x0 + x1) / 2.0 + s.pan[0] * extent,
                (y0 + y1) / 2.0 + s.pan[1] * extent,
            ];
            fit.nearest(c)
        }
    };
    let Some(i) = next else {
        app.status = Some(info("no word further that way"));
        return;
    };
    let item = &fit.items[i];
    let (row, at) = (item.row, item.at);
    follow(&mut app.scatter, at);
    focus_word(app, row, fx);
}

/// Pans so that `at` is on screen, keeping the zoom (it then sits in the middle).
fn follow(s: &mut ScatterState, at: [f32; 2]) {
    let Some(fit) = &s.fit else { return };
    let [x0, x1, y0, y1] = fit.bounds();
    let extent = (x1 - x0).max(y1 - y0);
    if extent <= 1e-12 {
        return;
    }
    let half = 0.5 / s.zoom;
    let off = [
        (f64::from(at[0]) - (x0 + x1) / 2.0) / extent,
        (f64::from(at[1]) - (y0 + y1) / 2.0) / extent,
    ];
    if (0..2).any(|k| (off[k] - s.pan[k]).abs() > half * 0.9) {
        s.pan = off;
    }
}

/// The selection or the analogy changed: the selection's scatter follows at once (other
/// point sets keep their words until `r`).
pub fn request(app: &mut App, fx: &mut Vec<Effect>) {
    if app.scatter.settings.points == Points::Selection {
        run(app, false, false, fx);
    }
}

/// The neighbour search switched between the file's index and the exact scan (`a`): a layout
/// of the focus's neighbours, or of the selection with its neighbours' lines, is asked again
/// for the same words (from the layout on screen), so that it shows what the lists show.
pub fn neighbours_switched(app: &mut App, fx: &mut Vec<Effect>) {
    let s = &app.scatter;
    let shown = s.fit.is_some() || s.running.is_some();
    let from_neighbours = match s.settings.points {
        Points::Neighbours => true,
        Points::Selection => s.neighbours,
        _ => false,
    };
    if shown && from_neighbours {
        run(app, false, true, fx);
    }
}

/// The explorer's space was replaced (another file, or a run from scratch) and the layout
/// forgotten: the sets that do not depend on the focus or the search (the most frequent
/// words, a word list) are laid out again on the new space; the selection's follows its
/// words as always.
pub fn renew(app: &mut App, fx: &mut Vec<Effect>) {
    let s = &app.scatter;
    if s.fit.is_some() || s.running.is_some() {
        return;
    }
    match s.settings.points {
        Points::Selection if !app.selection.is_empty() => run(app, false, false, fx),
        Points::Top | Points::List => run(app, false, false, fx),
        _ => {}
    }
}

/// Asks for a layout of the current set with the current method. `retake`: take the focus's
/// neighbours / the search matches anew; `restart`: t-SNE and UMAP go on from the layout on
/// screen (when the words are the same).
fn run(app: &mut App, retake: bool, restart: bool, fx: &mut Vec<Effect>) {
    let Some(space) = app.space.clone() else {
        return;
    };
    if let Some(old) = app.scatter.running.take() {
        old.control().cancel();
    }
    app.scatter.paused = false;
    let analogy = analogy_rows(app).filter(|_| !app.scatter.hide_analogy);
    let set = match point_set(app, retake) {
        Ok(set) => set,
        Err(m) => {
            // Said in the panel too, in place of the layout of another set.
            app.scatter.error = Some(m.text.clone());
            if app.focused.is_none() && app.scatter.settings.points == Points::Neighbours {
                return app.say_while(m, While::NothingFocused);
            }
            return app.status = Some(m);
        }
    };
    let s = &mut app.scatter;
    let empty = matches!(&set, PointSet::Words(w) if w.is_empty())
        || matches!(&set, PointSet::Rows(r) if r.is_empty());
    if empty && analogy.is_none() {
        // Nothing to plot; a layout still under way is now stale.
        let gen = app.jobs.start(Lane::Scatter);
        app.jobs.finish(Lane::Scatter, gen);
        s.fit = None;
        s.error = None;
        return;
    }
    if let Err(e) = job::check(&s.settings) {
        s.error = Some(e.to_string());
        return;
    }
    let start = match (&s.fit, restart) {
        (Some(f), true) => Some((
            f.items.iter().map(|it| it.row).collect(),
            f.items.iter().map(|it| it.at).collect(),
        )),
        _ => None,
    };
    let live = Arc::new(Live::default());
    s.running = Some(live.clone());
    s.error = None;
    let req = Request {
        space,
        settings: s.settings.clone(),
        set,
        neighbours: (s.neighbours && s.settings.points == Points::Selection).then_some(NEIGHBOURS),
        analogy,
        basis: s.fit.as_ref().and_then(|f| f.basis().cloned()),
        start,
        live,
    };
    start_job(app, req, fx);
}

fn start_job(app: &mut App, req: Request, fx: &mut Vec<Effect>) {
    start(app, JobKind::Scatter(Box::new(req)), fx);
}

/// Picks up the newest frame of the layout under way (on each tick of the loop).
pub fn tick(app: &mut App) {
    let s = &mut app.scatter;
    if let Some(frame) = s.running.as_ref().and_then(|l| l.take()) {
        s.fit = Some(frame);
    }
}

fn open_field(app: &mut App, f: Field) {
    app.prompt = Some(Prompt::new(
        PromptKind::ScatterField(f),
        f.value(&app.scatter.settings),
    ));
}

/// The prompt answered a field of the form: set it and lay out again (t-SNE and UMAP go
/// on from the current layout when the words stay the same).
pub fn prompt_accepted(app: &mut App, f: Field, input: &str, fx: &mut Vec<Effect>) {
    let s = &mut app.scatter;
    if let Err(m) = f.set(&mut s.settings, input) {
        s.undo_prompt();
        app.status = Some(Message {
            text: m,
            error: true,
        });
        return;
    }
    match f {
        Field::List => s.settings.points = Points::List,
        Field::XAxis | Field::YAxis => {
            if !s.settings.has_axes() {
                // The y axis comes next.
                return open_field(app, Field::YAxis);
            }
            s.settings.method = Method::Axes;
        }
        Field::Neighbours => s.settings.points = Points::Neighbours,
        Field::Top => s.settings.points = Points::Top,
        _ => {}
    }
    app.scatter.undo = None;
    let same_words = !matches!(f, Field::List | Field::Neighbours | Field::Top);
    run(app, !same_words, same_words, fx);
}

/// Esc in a field's prompt: the settings go back to what they were before it opened (`o`
/// towards a word list, or `m` towards custom axes, changes nothing then).
pub fn prompt_cancelled(app: &mut App, f: Field) {
    let s = &mut app.scatter;
    if s.undo_prompt() {
        app.status = Some(info(if f == Field::List {
            "no word list (f picks one)"
        } else {
            "the scatter keeps its points and method"
        }));
    }
    if f == Field::List {
        s.list_declined = true;
    }
}
