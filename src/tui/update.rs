//! `update`: the only place the explorer's state changes.
use super::adopt::with_train;
use super::app::{App, Lane, Message, Panel, While};
use super::keymap::{self, Command};
use super::requests::{done, load, toggle_index};
use super::{mouse, Action, Effect};
use crate::tui::panels::{neighbours, query, scatter, search, train};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

const PAGE: usize = 10;

/// Applies `action` to `app` and returns what the caller must do next.
pub fn update(app: &mut App, action: Action) -> Vec<Effect> {
    let mut fx = Vec::new();
    match action {
        Action::Load(source) => load(app, source, &mut fx),
        Action::Key(ev) => {
            app.fade_status();
            key(app, &ev, &mut fx)
        }
        Action::Mouse(ev) => {
            for c in mouse::handle(app, &ev) {
                command(app, c, &mut fx);
            }
        }
        Action::Resize(w, h) => app.size = (w, h),
        Action::Tick => {
            if let Some(l) = &mut app.loading {
                l.seen = l.progress.snapshot();
            }
            with_train(app, &mut fx, |t, cx| {
                train::tick(t, cx);
                None
            });
            scatter::tick(app);
        }
        Action::Command(c) => command(app, c, &mut fx),
        Action::Interrupted => quit(app, &mut fx),
        Action::Done { lane, gen, output } => {
            if app.jobs.finish(lane, gen) {
                done(app, output, &mut fx);
            }
        }
    }
    super::adopt::catch_up(app, &mut fx);
    app.tidy_status();
    fx
}

fn quit(app: &mut App, fx: &mut Vec<Effect>) {
    app.quit = true;
    fx.push(Effect::Quit);
}

fn key(app: &mut App, ev: &KeyEvent, fx: &mut Vec<Effect>) {
    // No binding uses Alt: an Alt key is Esc and a key that arrived together (a fast `Esc q`).
    if ev.modifiers.contains(KeyModifiers::ALT) {
        let esc = KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE);
        let rest = KeyEvent::new(ev.code, ev.modifiers - KeyModifiers::ALT);
        key(app, &esc, fx);
        key(app, &rest, fx);
        return;
    }
    if app.prompt.is_some() && app.alert.is_none() {
        return super::files::prompt_key(app, ev, fx);
    }
    if let Some(c) = keymap::resolve(app, ev) {
        command(app, c, fx);
        return;
    }
    if app.alert.is_some() || app.history.is_open() {
        // The overlay takes all keys: the others do nothing.
        return;
    }
    let plain = !ev.modifiers.contains(KeyModifiers::CONTROL);
    if let (true, true, KeyCode::Char(c)) =
        (app.editing && app.has_input() && !app.help, plain, ev.code)
    {
        let fresh = app.search.query().is_empty() || app.search.replaces_on_type();
        if app.focus == Panel::Search && c == '/' && fresh {
            // `/` (search) before a new query: the box is already searching.
            return;
        }
        if app.focus == Panel::Search && app.search.take_replace_on_type() {
            app.search.input_mut().clear();
        }
        if app.focus == Panel::Query && c == ':' && app.query.answers_input() {
            // `:` (a new line) right after a line was answered: no answered line goes on
            // with a colon, so this one starts the next (it stays in sight until then).
            app.query.start_fresh();
            return;
        }
        if app.focus == Panel::Query && app.query.take_fresh() {
            app.query.input_mut().clear();
        }
        input_mut(app).push(c);
        edited(app, fx);
    }
}

fn input_mut(app: &mut App) -> &mut String {
    match app.focus {
        Panel::Query => app.query.input_mut(),
        Panel::Phrases => app.phrases.input_mut(),
        _ => app.search.input_mut(),
    }
}

/// The input line changed: searching is incremental, the query line runs on Enter.
fn edited(app: &mut App, fx: &mut Vec<Effect>) {
    if app.focus == Panel::Search {
        app.search.edited();
        search::update::request(app, fx);
    } else if app.focus == Panel::Query {
        app.query.edited();
    }
}

/// Carries out one command of the key table: the one dispatch to the part that owns it.
pub(crate) fn command(app: &mut App, c: Command, fx: &mut Vec<Effect>) {
    let armed = app.train.take_quit_armed();
    match c {
        Command::Quit if app.train.would_lose_a_run() && !armed => {
            app.train.arm_quit();
            // Only true while armed: any other key takes the message away.
            let m = if app.train.is_active() {
                info("q again quits, dropping the run (w saves it)")
            } else {
                info("vectors not saved: q again quits, w saves")
            };
            app.say_while(m, While::QuitArmed);
        }
        Command::Quit => quit(app, fx),
        Command::Help
        | Command::CloseHelp
        | Command::FocusNext
        | Command::FocusPrev
        | Command::StartSearch
        | Command::StartQuery
        | Command::Edit
        | Command::StopEditing => screen_command(app, c),
        Command::Up => move_by(app, -1),
        Command::Down => move_by(app, 1),
        Command::PageUp => move_by(app, -(PAGE as isize)),
        Command::PageDown => move_by(app, PAGE as isize),
        Command::Top => move_by(app, isize::MIN / 2),
        Command::Bottom => move_by(app, isize::MAX / 2),
        Command::Activate => activate(app, fx),
        Command::ToggleSelect
        | Command::ClearSelection
        | Command::ToggleCentroid
        | Command::Back
        | Command::Forward
        | Command::HistoryJump
        | Command::HistoryClose => word_command(app, c, fx),
        Command::DismissAlert => app.alert = None,
        Command::CycleSearchMode => {
            app.search.cycle_mode();
            search::update::request(app, fx);
        }
        Command::ToggleMethod => query::update::toggle_method(app, fx),
        Command::ToggleIndex => toggle_index(app, fx),
        Command::MoreK => neighbours::update::change_k(app, true, fx),
        Command::LessK => neighbours::update::change_k(app, false, fx),
        Command::DeleteBack | Command::DeleteWord | Command::ClearInput => {
            input_command(app, c, fx)
        }
        Command::Phrases(c) => crate::tui::panels::phrases::command(app, c),
        Command::Open
        | Command::SaveSelection
        | Command::LoadSelection
        | Command::Export
        | Command::PromptAccept
        | Command::PromptCancel
        | Command::CompletePath => super::files::command(app, c, fx),
        Command::Scatter(c) => scatter::command(app, c, fx),
        Command::Train(c) => with_train(app, fx, |t, cx| train::command(t, cx, c)),
    }
}

/// Help, focus and editing.
fn screen_command(app: &mut App, c: Command) {
    match c {
        Command::Help => {
            app.help = true;
            app.help_scroll = 0;
        }
        Command::CloseHelp => app.help = false,
        Command::FocusNext => set_focus(app, super::ways::tab_target(app, true)),
        Command::FocusPrev => set_focus(app, super::ways::tab_target(app, false)),
        Command::StartSearch => {
            set_focus(app, Panel::Search);
            app.editing = true;
            // `/` starts a new search, as `:` starts a new line: what was left in the box stays
            // in sight until a key is typed (`i` edits it instead).
            if !app.search.query().is_empty() {
                app.search.replace_on_next_type();
            }
        }
        Command::StartQuery => {
            set_focus(app, Panel::Query);
            app.editing = true;
            app.query.start_fresh();
        }
        Command::Edit => {
            app.editing = app.has_input();
            if app.focus == Panel::Search {
                // `i` goes on with the line on screen; `/` would start a new one.
                app.search.take_replace_on_type();
            }
        }
        Command::StopEditing => app.editing = false,
        _ => {}
    }
}

/// The selection, the centroid switch and the focus history.
fn word_command(app: &mut App, c: Command, fx: &mut Vec<Effect>) {
    match c {
        Command::ToggleSelect => toggle_select(app, fx),
        Command::ClearSelection => {
            app.selection.clear();
            app.status = Some(info("selection cleared"));
            neighbours::update::request(app, fx);
            scatter::request(app, fx);
        }
        Command::ToggleCentroid => {
            app.centroid = !app.centroid;
            if app.centroid && app.selection.is_empty() {
                let m = info("the selection is empty: Space adds words to it");
                app.say_while(m, While::NothingSelected);
            }
            neighbours::update::request(app, fx);
        }
        Command::Back | Command::Forward => {
            let delta = if c == Command::Back { -1 } else { 1 };
            if !app.history.step(delta) {
                app.status = Some(info(
                    "the focus history is empty: Enter on a word focuses it",
                ));
            }
        }
        Command::HistoryJump => {
            if let Some(row) = app.history.jump() {
                show_word(app, row, fx);
            }
        }
        Command::HistoryClose => app.history.close(),
        _ => {}
    }
}

/// Editing the focused panel's input line.
fn input_command(app: &mut App, c: Command, fx: &mut Vec<Effect>) {
    let s = input_mut(app);
    match c {
        Command::DeleteBack => {
            s.pop();
        }
        Command::DeleteWord => {
            let keep = s
                .trim_end()
                .char_indices()
                .rev()
                .find(|(_, c)| c.is_whitespace())
                .map_or(0, |(i, c)| i + c.len_utf8());
            s.truncate(keep);
        }
        Command::ClearInput => s.clear(),
        _ => return,
    }
    edited(app, fx);
}

pub(crate) fn info(text: &str) -> Message {
    Message {
        text: text.to_string(),
        error: false,
    }
}

pub(crate) fn set_focus(app: &mut App, panel: Panel) {
    app.focus = panel;
    scatter::focus_changed(app, panel);
    // The search box takes typing as soon as it has the focus (as a picker's does).
    app.editing = panel == Panel::Search;
}

/// Back from a view over the whole screen (train, phrases) to `panel`, not typing: the key
/// that left the view was a command, and so is the next one (`q` quits, not searches).
pub(crate) fn return_to(app: &mut App, panel: Panel) {
    set_focus(app, panel);
    app.editing = false;
}

/// Moves the highlight of the focused panel's list by `delta` rows, within bounds.
fn move_by(app: &mut App, delta: isize) {
    if app.help {
        let max = super::ui::help::line_count(app).saturating_sub(1) as isize;
        app.help_scroll = (app.help_scroll as isize)
            .saturating_add(super::ui::help::scroll_by(app, delta))
            .clamp(0, max) as usize;
        return;
    }
    match app.focus {
        Panel::Search => app.search.move_by(delta),
        Panel::Neighbours => app.neighbours.list_mut().move_by(delta),
        Panel::Query => app.query.list_mut().move_by(delta),
        Panel::Inspect | Panel::Scatter => {}
        Panel::Train => app.train.move_by(delta),
        Panel::Phrases => app.phrases.move_by(delta),
    }
}

/// The row highlighted in the focused panel's list.
pub(crate) fn highlighted(app: &App) -> Option<u32> {
    match app.focus {
        Panel::Search => app.search.highlighted(),
        Panel::Neighbours => app.neighbours.highlighted(),
        Panel::Query => app.query.highlighted(),
        Panel::Scatter => scatter::cursor_row(app),
        Panel::Inspect | Panel::Phrases | Panel::Train => None,
    }
}

fn activate(app: &mut App, fx: &mut Vec<Effect>) {
    if app.focus == Panel::Query && app.editing {
        query::update::request(app, fx);
        return;
    }
    if app.focus == Panel::Search && app.jobs.is_running(Lane::Search) {
        // The hits on screen belong to an older query: wait for the new ones.
        app.search.wait_for_hits();
        app.search.replace_on_next_type();
        return;
    }
    if app.focus == Panel::Search && search::update::ask_unknown(app, fx) {
        return;
    }
    if let Some(row) = highlighted(app) {
        if app.focus == Panel::Search {
            // The box stays ready: the next word typed replaces this one.
            app.search.replace_on_next_type();
        }
        focus_word(app, row, fx);
    } else if app.focus == Panel::Search && !app.search.query().is_empty() {
        let query = crate::tui::ui::text::escape(app.search.query()).into_owned();
        // A query the mode cannot read (an unclosed `[` in a regex) matches nothing for that
        // reason: say it rather than that no word matches.
        let text = match app.search.error() {
            Some(e) => format!("{query:?} is not a valid query: {e} (Ctrl-T changes the mode)"),
            None => {
                format!("no word matches {query:?}: Ctrl-U clears the box, Ctrl-T changes the mode")
            }
        };
        app.status = Some(Message { text, error: true });
    }
}

fn toggle_select(app: &mut App, fx: &mut Vec<Effect>) {
    let Some(row) = highlighted(app) else { return };
    match app.selection.iter().position(|&r| r == row) {
        Some(i) => {
            app.selection.remove(i);
        }
        None => app.selection.push(row),
    }
    if app.centroid {
        neighbours::update::request(app, fx);
    }
    scatter::request(app, fx);
}

/// Makes `row` the focused word and the newest of the focus history.
/// Enter walks on from the centroid's neighbours too: the list shows the word's again.
pub fn focus_word(app: &mut App, row: u32, fx: &mut Vec<Effect>) {
    app.history.visit(row);
    let from_centroid = app.centroid && !app.selection.is_empty();
    if from_centroid {
        app.centroid = false;
        app.status = Some(info(
            "the neighbours of the focused word (c: of the centroid again)",
        ));
    }
    if app.focused == Some(row) && !from_centroid {
        return;
    }
    show_word(app, row, fx);
}

fn show_word(app: &mut App, row: u32, fx: &mut Vec<Effect>) {
    app.focused = Some(row);
    app.neighbours.list_mut().highlight_first();
    neighbours::update::request(app, fx);
}
