//! The one key table: it drives the key handling ([`resolve`]) and the help overlay
//! ([`help_sections`]), so the two cannot disagree.
use super::app::{App, Panel};
use super::scatter::Cmd;
use super::training::TrainCmd;
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
    Back,
    Forward,
    DeleteBack,
    DeleteWord,
    ClearInput,
    /// Open / close the phrases view.
    TogglePhrases,
    AddPhrase,
    RemovePhrase,
    SaveSelection,
    LoadSelection,
    /// Export the neighbours (or the analogy answer) to CSV / JSON.
    Export,
    PromptAccept,
    PromptCancel,
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
    /// The scatter panel.
    Scatter,
    /// The train panel.
    Train,
}

impl Context {
    pub fn active(self, app: &App) -> bool {
        let panels = !app.help;
        let commands = panels && !app.editing;
        let typing = panels && app.editing && app.has_input();
        match self {
            Context::Global => true,
            Context::Help => app.help,
            Context::Any => panels,
            Context::Commands => commands,
            Context::Typing => typing,
            Context::Search => panels && app.focus == Panel::Search,
            Context::Neighbours => panels && app.focus == Panel::Neighbours,
            Context::Query => panels && app.focus == Panel::Query,
            Context::QueryCommands => commands && app.focus == Panel::Query,
            Context::QueryTyping => typing && app.focus == Panel::Query,
            Context::PhrasesCommands => commands && app.focus == Panel::Phrases,
            Context::PhrasesTyping => typing && app.focus == Panel::Phrases,
            Context::Prompt => app.prompt.is_some(),
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
            Context::Search => "search panel",
            Context::Neighbours => "neighbours panel",
            Context::Query => "analogy / expression panel",
            Context::QueryCommands => "analogy panel, not typing",
            Context::QueryTyping => "analogy panel, typing",
            Context::PhrasesCommands => "phrases view, not typing",
            Context::PhrasesTyping => "phrases view, typing",
            Context::Prompt => "file name prompt",
            Context::Scatter => "scatter panel",
            Context::Train => "train panel (t): train in place",
        }
    }
}

/// One key with its modifiers (Shift is ignored for characters: `?` is Shift-/).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Key {
    pub code: KeyCode,
    pub ctrl: bool,
}

const fn key(code: KeyCode) -> Key {
    Key { code, ctrl: false }
}

const fn ch(c: char) -> Key {
    key(KeyCode::Char(c))
}

const fn ctrl(c: char) -> Key {
    Key {
        code: KeyCode::Char(c),
        ctrl: true,
    }
}

impl Key {
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
pub struct Binding {
    pub key: Key,
    pub context: Context,
    pub command: Command,
    pub help: &'static str,
}

const fn bind(key: Key, context: Context, command: Command, help: &'static str) -> Binding {
    Binding {
        key,
        context,
        command,
        help,
    }
}

use Command as C;
use Context as X;
use KeyCode as K;

/// The key table. The first binding whose key matches and whose context is active wins, so
/// specific contexts come before general ones.
pub const KEYS: &[Binding] = &[
    bind(ctrl('c'), X::Global, C::Quit, "quit"),
    bind(key(K::Esc), X::Help, C::CloseHelp, "close the help"),
    bind(ch('?'), X::Help, C::CloseHelp, "close the help"),
    bind(ch('q'), X::Help, C::CloseHelp, "close the help"),
    bind(key(K::F(1)), X::Help, C::CloseHelp, "close the help"),
    bind(key(K::Down), X::Help, C::Down, "scroll"),
    bind(ch('j'), X::Help, C::Down, "scroll"),
    bind(key(K::Up), X::Help, C::Up, "scroll"),
    bind(ch('k'), X::Help, C::Up, "scroll"),
    bind(key(K::PageDown), X::Help, C::PageDown, "scroll a page"),
    bind(key(K::PageUp), X::Help, C::PageUp, "scroll a page"),
    bind(
        key(K::Tab),
        X::QueryTyping,
        C::ToggleMethod,
        "3CosAdd ↔ 3CosMul",
    ),
    bind(key(K::Enter), X::QueryTyping, C::Activate, "run the line"),
    bind(
        key(K::Enter),
        X::QueryCommands,
        C::Activate,
        "focus the highlighted answer",
    ),
    bind(ch('i'), X::QueryCommands, C::Edit, "edit the line"),
    bind(ctrl('t'), X::Query, C::ToggleMethod, "3CosAdd ↔ 3CosMul"),
    bind(
        key(K::Esc),
        X::Typing,
        C::StopEditing,
        "stop typing: keys become commands",
    ),
    bind(
        key(K::Backspace),
        X::Typing,
        C::DeleteBack,
        "delete a character",
    ),
    bind(ctrl('w'), X::Typing, C::DeleteWord, "delete a word"),
    bind(ctrl('u'), X::Typing, C::ClearInput, "clear the line"),
    bind(
        ctrl('t'),
        X::Search,
        C::CycleSearchMode,
        "mode: prefix, substring, regex, fuzzy",
    ),
    bind(
        key(K::Enter),
        X::Search,
        C::Activate,
        "focus the highlighted word",
    ),
    bind(
        ch(' '),
        X::Search,
        C::ToggleSelect,
        "add to / remove from the selection",
    ),
    bind(
        key(K::Enter),
        X::Neighbours,
        C::Activate,
        "walk to the highlighted neighbour",
    ),
    bind(
        ch(' '),
        X::Neighbours,
        C::ToggleSelect,
        "add to / remove from the selection",
    ),
    // The train panel (before the general bindings, which it overrides).
    bind(
        key(K::Enter),
        X::Train,
        C::Train(TrainCmd::Activate),
        "change the highlighted setting (or start)",
    ),
    bind(
        ch('s'),
        X::Train,
        C::Train(TrainCmd::Start),
        "start training",
    ),
    bind(
        ch(' '),
        X::Train,
        C::Train(TrainCmd::Pause),
        "pause / resume",
    ),
    bind(
        ch('x'),
        X::Train,
        C::Train(TrainCmd::Stop),
        "stop (keeps what was learnt)",
    ),
    bind(
        ch('w'),
        X::Train,
        C::Train(TrainCmd::Save),
        "save the vectors now (atomic, with metadata)",
    ),
    bind(
        ch('e'),
        X::Train,
        C::Train(TrainCmd::Watch),
        "edit the watch words",
    ),
    bind(
        ch('f'),
        X::Train,
        C::Train(TrainCmd::Refit),
        "fit the scatter plane again (trails restart)",
    ),
    bind(
        key(K::Esc),
        X::Train,
        C::Train(TrainCmd::Toggle),
        "back to the panels (training goes on)",
    ),
    bind(
        ch('t'),
        X::Train,
        C::Train(TrainCmd::Toggle),
        "back to the panels (training goes on)",
    ),
    // The scatter panel (before the general bindings, which it overrides).
    bind(ch('+'), X::Scatter, C::Scatter(Cmd::ZoomIn), "zoom in"),
    bind(ch('='), X::Scatter, C::Scatter(Cmd::ZoomIn), "zoom in"),
    bind(ch('-'), X::Scatter, C::Scatter(Cmd::ZoomOut), "zoom out"),
    bind(
        key(K::Left),
        X::Scatter,
        C::Scatter(Cmd::Pan(-1, 0)),
        "pan left",
    ),
    bind(ch('h'), X::Scatter, C::Scatter(Cmd::Pan(-1, 0)), "pan left"),
    bind(
        key(K::Right),
        X::Scatter,
        C::Scatter(Cmd::Pan(1, 0)),
        "pan right",
    ),
    bind(ch('l'), X::Scatter, C::Scatter(Cmd::Pan(1, 0)), "pan right"),
    bind(key(K::Up), X::Scatter, C::Scatter(Cmd::Pan(0, 1)), "pan up"),
    bind(ch('k'), X::Scatter, C::Scatter(Cmd::Pan(0, 1)), "pan up"),
    bind(
        key(K::Down),
        X::Scatter,
        C::Scatter(Cmd::Pan(0, -1)),
        "pan down",
    ),
    bind(ch('j'), X::Scatter, C::Scatter(Cmd::Pan(0, -1)), "pan down"),
    bind(
        ch('0'),
        X::Scatter,
        C::Scatter(Cmd::Reset),
        "reset the view",
    ),
    bind(
        ch('n'),
        X::Scatter,
        C::Scatter(Cmd::ToggleNeighbours),
        "show / hide the top 5 neighbours of each selected word",
    ),
    bind(
        ch('e'),
        X::Scatter,
        C::Scatter(Cmd::Export),
        "export as embx-scatter.svg and .png",
    ),
    bind(
        ch('t'),
        X::Commands,
        C::Train(TrainCmd::Toggle),
        "train in place: the train panel",
    ),
    bind(
        ch('v'),
        X::Commands,
        C::Scatter(Cmd::Show),
        "the scatter of the selection (PCA)",
    ),
    bind(key(K::Tab), X::Any, C::FocusNext, "next panel"),
    bind(key(K::BackTab), X::Any, C::FocusPrev, "previous panel"),
    bind(key(K::F(1)), X::Any, C::Help, "this help"),
    bind(key(K::Up), X::Any, C::Up, "move up"),
    bind(key(K::Down), X::Any, C::Down, "move down"),
    bind(key(K::PageUp), X::Any, C::PageUp, "page up"),
    bind(key(K::PageDown), X::Any, C::PageDown, "page down"),
    bind(ch('q'), X::Commands, C::Quit, "quit"),
    bind(ch('?'), X::Commands, C::Help, "this help"),
    bind(
        ch('/'),
        X::Commands,
        C::StartSearch,
        "search the vocabulary",
    ),
    bind(
        ch(':'),
        X::Commands,
        C::StartQuery,
        "type an analogy or expression",
    ),
    bind(ch('k'), X::Commands, C::Up, "move up"),
    bind(ch('j'), X::Commands, C::Down, "move down"),
    bind(ch('g'), X::Commands, C::Top, "first row"),
    bind(key(K::Home), X::Commands, C::Top, "first row"),
    bind(ch('G'), X::Commands, C::Bottom, "last row"),
    bind(key(K::End), X::Commands, C::Bottom, "last row"),
    bind(ch('+'), X::Commands, C::MoreK, "more neighbours"),
    bind(ch('='), X::Commands, C::MoreK, "more neighbours"),
    bind(ch('-'), X::Commands, C::LessK, "fewer neighbours"),
    bind(
        ch('c'),
        X::Commands,
        C::ToggleCentroid,
        "neighbours of the selection's centroid",
    ),
    bind(
        ch('x'),
        X::Commands,
        C::ClearSelection,
        "clear the selection",
    ),
    bind(ch('['), X::Commands, C::Back, "back in the focus history"),
    bind(
        key(K::Backspace),
        X::Commands,
        C::Back,
        "back in the focus history",
    ),
    bind(
        ch(']'),
        X::Commands,
        C::Forward,
        "forward in the focus history",
    ),
    // Phrases view, selection files and export.
    bind(key(K::Enter), X::Prompt, C::PromptAccept, "accept"),
    bind(key(K::Esc), X::Prompt, C::PromptCancel, "cancel"),
    bind(
        key(K::Backspace),
        X::Prompt,
        C::DeleteBack,
        "delete a character",
    ),
    bind(ctrl('w'), X::Prompt, C::DeleteWord, "delete a path part"),
    bind(ctrl('u'), X::Prompt, C::ClearInput, "clear the line"),
    bind(
        key(K::Enter),
        X::PhrasesTyping,
        C::AddPhrase,
        "add the sentence",
    ),
    bind(
        key(K::Enter),
        X::PhrasesCommands,
        C::Edit,
        "type a sentence",
    ),
    bind(ch('i'), X::PhrasesCommands, C::Edit, "type a sentence"),
    bind(
        ch('d'),
        X::PhrasesCommands,
        C::RemovePhrase,
        "remove the highlighted sentence",
    ),
    bind(
        key(K::Delete),
        X::PhrasesCommands,
        C::RemovePhrase,
        "remove the highlighted sentence",
    ),
    bind(
        key(K::Esc),
        X::PhrasesCommands,
        C::TogglePhrases,
        "back to the panels",
    ),
    bind(
        ch('p'),
        X::Commands,
        C::TogglePhrases,
        "phrases: compare sentences",
    ),
    bind(
        ch('S'),
        X::Commands,
        C::SaveSelection,
        "save the selection to a word list",
    ),
    bind(
        ch('L'),
        X::Commands,
        C::LoadSelection,
        "load a word list into the selection",
    ),
    bind(
        ch('E'),
        X::Commands,
        C::Export,
        "export neighbours/analogy: .csv .json",
    ),
];

/// The command `ev` means in the current state, if any.
pub fn resolve(app: &App, ev: &KeyEvent) -> Option<Command> {
    if ev.kind == KeyEventKind::Release {
        return None;
    }
    KEYS.iter()
        .find(|b| b.key.matches(ev) && b.context.active(app))
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
    type Merged = (Vec<String>, Command, &'static str);
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
