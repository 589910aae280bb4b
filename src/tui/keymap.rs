//! The one key table ([`KEYS`], written out in `keytable.rs`): it drives the key handling
//! ([`resolve`]) and the help overlay ([`help_sections`]), so the two cannot disagree.
use super::app::{App, Panel};
use crate::tui::panels::phrases::PhrasesCmd;
use crate::tui::panels::scatter::Cmd;
use crate::tui::panels::train::TrainCmd;
use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

/// What a key does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Command {
    Quit,
    Help,
    CloseHelp,
    FocusNext,
    FocusPrev,
    StartSearch,
    StartQuery,
    Edit,
    StopEditing,
    Up,
    Down,
    PageUp,
    PageDown,
    Top,
    Bottom,
    /// Enter: focus / walk to / run, depending on the panel.
    Activate,
    ToggleSelect,
    ClearSelection,
    CycleSearchMode,
    ToggleMethod,
    MoreK,
    LessK,
    ToggleCentroid,
    /// Neighbours from the HNSW index or from every word.
    ToggleIndex,
    /// `[`: open the focus history on the word before (or move its cursor up).
    Back,
    /// `]`: open the focus history on the word after (or move its cursor down).
    Forward,
    /// Focus the word under the history list's cursor.
    HistoryJump,
    /// Close the history list.
    HistoryClose,
    /// Close the alert.
    DismissAlert,
    /// Open another vector file (a prompt).
    Open,
    DeleteBack,
    DeleteWord,
    ClearInput,
    /// The phrases view: open / close, add, remove, weighting…
    Phrases(PhrasesCmd),
    SaveSelection,
    LoadSelection,
    /// Export the neighbours (or the analogy answer) to CSV / JSON.
    Export,
    PromptAccept,
    PromptCancel,
    /// Tab in a prompt: complete the file name.
    CompletePath,
    /// Zoom, pan, export… of the scatter panel.
    Scatter(Cmd),
    /// Train in place: start, pause, stop, save…
    Train(TrainCmd),
}

/// Where a key binding applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Context {
    /// Always, even over the help.
    Global,
    /// While the help is open.
    Help,
    /// Any panel, typing or not.
    Any,
    /// Not typing in an input line.
    Commands,
    /// Typing in an input line.
    Typing,
    Search,
    /// The search panel, not typing.
    SearchCommands,
    Neighbours,
    /// The analogy / expression panel, typing or not.
    Query,
    QueryCommands,
    QueryTyping,
    /// The phrases view, not typing.
    PhrasesCommands,
    PhrasesTyping,
    /// The file-name prompt is open (it takes all keys).
    Prompt,
    /// An alert is shown (it takes all keys).
    Alert,
    /// The focus history list is open (it takes all keys).
    History,
    /// The scatter panel.
    Scatter,
    /// The train panel.
    Train,
}

impl Context {
    pub fn active(self, app: &App) -> bool {
        // Overlays take the keys in this order: alert, prompt, history list, help.
        let alert = app.alert.is_some();
        let prompt = !alert && app.prompt.is_some();
        let list = !alert && !prompt && app.history.is_open();
        let help = !alert && !prompt && !list && app.help;
        let panels = !(alert || prompt || list || app.help);
        let commands = panels && !app.editing;
        let typing = panels && app.editing && app.has_input();
        match self {
            Context::Global => true,
            Context::Alert => alert,
            Context::History => list,
            Context::Help => help,
            Context::Any => panels,
            Context::Commands => commands,
            Context::Typing => typing,
            Context::Search => panels && app.focus == Panel::Search,
            Context::SearchCommands => commands && app.focus == Panel::Search,
            Context::Neighbours => panels && app.focus == Panel::Neighbours,
            Context::Query => panels && app.focus == Panel::Query,
            Context::QueryCommands => commands && app.focus == Panel::Query,
            Context::QueryTyping => typing && app.focus == Panel::Query,
            Context::PhrasesCommands => commands && app.focus == Panel::Phrases,
            Context::PhrasesTyping => typing && app.focus == Panel::Phrases,
            Context::Prompt => prompt,
            Context::Scatter => panels && app.focus == Panel::Scatter,
            Context::Train => panels && app.focus == Panel::Train,
        }
    }

    /// Where the context's section comes in the help (general before specific).
    fn help_rank(self) -> u8 {
        match self {
            Context::Global => 0,
            Context::Commands => 1,
            Context::Any => 2,
            Context::Search => 3,
            Context::SearchCommands => 3,
            Context::Neighbours => 4,
            Context::Query => 5,
            Context::QueryCommands => 6,
            Context::QueryTyping => 7,
            Context::Typing => 8,
            Context::Help => 9,
            Context::PhrasesCommands => 10,
            Context::PhrasesTyping => 11,
            Context::Prompt => 12,
            Context::Scatter => 13,
            Context::Train => 14,
            Context::History => 15,
            Context::Alert => 16,
        }
    }

    /// The heading of the context's section in the help.
    pub fn heading(self) -> &'static str {
        match self {
            Context::Global => "everywhere",
            Context::Help => "help",
            Context::Any => "all panels",
            Context::Commands => "not typing",
            Context::Typing => "typing in an input line",
            Context::Search => "search panel, typing (Esc leaves the box)",
            Context::SearchCommands => "search panel, not typing",
            Context::Neighbours => "neighbours panel",
            Context::Query => "analogy / expression panel",
            Context::QueryCommands => "analogy panel, not typing",
            Context::QueryTyping => "analogy panel, typing",
            Context::PhrasesCommands => "phrases view, not typing",
            Context::PhrasesTyping => "phrases view, typing",
            Context::Prompt => "file name prompt",
            Context::Scatter => "scatter panel",
            Context::Train => "train panel (t): train in place",
            Context::History => "focus history list ([ or ])",
            Context::Alert => "an error message",
        }
    }
}

/// One key with its modifiers (Shift is ignored for characters: `?` is Shift-/).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Key {
    pub code: KeyCode,
    pub ctrl: bool,
}

pub(super) const fn key(code: KeyCode) -> Key {
    Key { code, ctrl: false }
}

pub(super) const fn ch(c: char) -> Key {
    key(KeyCode::Char(c))
}

pub(super) const fn ctrl(c: char) -> Key {
    Key {
        code: KeyCode::Char(c),
        ctrl: true,
    }
}

impl Key {
    /// A character without Ctrl: in an input line it is typed.
    pub fn is_printable(&self) -> bool {
        matches!(self.code, KeyCode::Char(_)) && !self.ctrl
    }

    fn matches(&self, ev: &KeyEvent) -> bool {
        let ctrl = ev.modifiers.contains(KeyModifiers::CONTROL);
        let code = match ev.code {
            KeyCode::Char(c) if ctrl => KeyCode::Char(c.to_ascii_lowercase()),
            c => c,
        };
        code == self.code && ctrl == self.ctrl
    }

    /// How the help shows the key.
    pub fn label(&self) -> String {
        let base = match self.code {
            KeyCode::Char(' ') => "Space".to_string(),
            KeyCode::Char(c) => c.to_string(),
            KeyCode::Enter => "Enter".into(),
            KeyCode::Esc => "Esc".into(),
            KeyCode::Tab => "Tab".into(),
            KeyCode::BackTab => "Shift-Tab".into(),
            KeyCode::Backspace => "Backspace".into(),
            KeyCode::Up => "↑".into(),
            KeyCode::Down => "↓".into(),
            KeyCode::Left => "←".into(),
            KeyCode::Right => "→".into(),
            KeyCode::PageUp => "PgUp".into(),
            KeyCode::PageDown => "PgDn".into(),
            KeyCode::Home => "Home".into(),
            KeyCode::End => "End".into(),
            KeyCode::F(n) => format!("F{n}"),
            other => format!("{other:?}"),
        };
        if self.ctrl {
            format!("Ctrl-{}", base.to_uppercase())
        } else {
            base
        }
    }
}

/// A binding: key, where it applies, what it does, and the help text.
#[derive(Clone, Copy)]
pub struct Binding {
    pub key: Key,
    pub context: Context,
    pub command: Command,
    pub help: &'static str,
}

pub(super) const fn bind(
    key: Key,
    context: Context,
    command: Command,
    help: &'static str,
) -> Binding {
    Binding {
        key,
        context,
        command,
        help,
    }
}

pub use super::keytable::KEYS;

/// The command `ev` means in the current state, if any. While typing in an input line, a
/// printable key (no Ctrl) means no command: it is typed.
pub fn resolve(app: &App, ev: &KeyEvent) -> Option<Command> {
    if ev.kind == KeyEventKind::Release {
        return None;
    }
    let typing = Context::Typing.active(app);
    KEYS.iter()
        .find(|b| b.key.matches(ev) && b.context.active(app) && !(typing && b.key.is_printable()))
        .map(|b| b.command)
}

/// The command `ev` means among the bindings of `contexts` (active or not).
pub fn resolve_in(contexts: &[Context], ev: &KeyEvent) -> Option<Command> {
    if ev.kind == KeyEventKind::Release {
        return None;
    }
    KEYS.iter()
        .find(|b| b.key.matches(ev) && contexts.contains(&b.context))
        .map(|b| b.command)
}

/// One line of the help: keys, description.
pub type HelpLine = (String, &'static str);

/// The help, by context (general ones first): bindings of one context with the same command and
/// text are merged into one line (`k ↑  move up`).
pub fn help_sections() -> Vec<(&'static str, Vec<HelpLine>)> {
    named(sections())
}

/// [`help_sections`] for the help opened over `app`: the sections of the panel or overlay
/// the keys go to come first (the scatter's keys in the scatter), then the rest as usual.
pub fn help_sections_for(app: &App) -> Vec<(&'static str, Vec<HelpLine>)> {
    let mut all = sections();
    let general = [Context::Global, Context::Commands, Context::Any];
    all.sort_by_key(|(c, _)| !c.active(app) || general.contains(c));
    named(all)
}

type Merged = (Vec<String>, Command, &'static str);

/// The bindings by context, in help order.
fn sections() -> Vec<(Context, Vec<Merged>)> {
    let mut sections: Vec<(Context, Vec<Merged>)> = Vec::new();
    for b in KEYS {
        let pos = match sections.iter().position(|(c, _)| *c == b.context) {
            Some(p) => p,
            None => {
                sections.push((b.context, Vec::new()));
                sections.len() - 1
            }
        };
        let lines = &mut sections[pos].1;
        match lines
            .iter_mut()
            .find(|(_, c, h)| *c == b.command && *h == b.help)
        {
            Some(line) => line.0.push(b.key.label()),
            None => lines.push((vec![b.key.label()], b.command, b.help)),
        }
    }
    sections.sort_by_key(|(c, _)| c.help_rank());
    sections
}

fn named(sections: Vec<(Context, Vec<Merged>)>) -> Vec<(&'static str, Vec<HelpLine>)> {
    sections
        .into_iter()
        .map(|(c, lines)| {
            let lines = lines
                .into_iter()
                .map(|(keys, _, help)| (keys.join(" "), help))
                .collect();
            (c.heading(), lines)
        })
        .collect()
}

pub use super::ways::{here, ways_out};
