//! The key table itself (see [`super::keymap`]): the first binding whose key matches and
//! whose context is active wins, so specific contexts come before general ones. It is written
//! in three parts, joined in this order: the overlays and input boxes ([`MODAL`]), the panels
//! (`panels.rs`), and the keys that work anywhere ([`GENERAL`]).
use super::keymap::{bind, ch, ctrl, key, Binding, Command, Context};
use crate::tui::panels::phrases::PhrasesCmd as P;
use crate::tui::panels::scatter::Cmd;
use crate::tui::panels::train::TrainCmd;
use crossterm::event::KeyCode;

use Command as C;
use Context as X;
use KeyCode as K;

mod panels;

/// What the analogy panel's method key switches (on a next-word line, the language model).
const METHOD: &str = "3CosAdd ↔ 3CosMul, NNLM ↔ N-gram";

/// The key table, specific contexts first (see the module's documentation).
pub const KEYS: &[Binding] = &join::<{ MODAL.len() + panels::PANELS.len() + GENERAL.len() }>([
    MODAL,
    panels::PANELS,
    GENERAL,
]);

/// `parts` one after the other, in one array of their total length `N`.
const fn join<const N: usize>(parts: [&[Binding]; 3]) -> [Binding; N] {
    let mut out = [bind(ctrl('c'), X::Global, C::Quit, ""); N];
    let (mut at, mut p) = (0, 0);
    while p < parts.len() {
        let mut i = 0;
        while i < parts[p].len() {
            out[at] = parts[p][i];
            at += 1;
            i += 1;
        }
        p += 1;
    }
    assert!(at == N, "the key table's length");
    out
}

/// The overlays (messages, history, help) and the input boxes, before any panel's keys.
const MODAL: &[Binding] = &[
    bind(ctrl('c'), X::Global, C::Quit, "quit"),
    bind(
        key(K::Enter),
        X::Alert,
        C::DismissAlert,
        "close the message",
    ),
    bind(key(K::Esc), X::Alert, C::DismissAlert, "close the message"),
    bind(ch('['), X::History, C::Back, "up: an older word"),
    bind(key(K::Up), X::History, C::Back, "up: an older word"),
    bind(ch('k'), X::History, C::Back, "up: an older word"),
    bind(ch(']'), X::History, C::Forward, "down: a newer word"),
    bind(key(K::Down), X::History, C::Forward, "down: a newer word"),
    bind(ch('j'), X::History, C::Forward, "down: a newer word"),
    bind(
        key(K::Enter),
        X::History,
        C::HistoryJump,
        "focus that word (the list keeps it)",
    ),
    bind(key(K::Esc), X::History, C::HistoryClose, "close the list"),
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
    bind(key(K::Home), X::Help, C::Top, "to the start"),
    bind(key(K::End), X::Help, C::Bottom, "to the end"),
    bind(key(K::Enter), X::QueryTyping, C::Activate, "run the line"),
    bind(
        key(K::Enter),
        X::QueryCommands,
        C::Activate,
        "focus the highlighted answer",
    ),
    bind(ch('i'), X::QueryCommands, C::Edit, "edit the line"),
    bind(ch('m'), X::QueryCommands, C::ToggleMethod, METHOD),
    bind(ctrl('t'), X::Query, C::ToggleMethod, METHOD),
    bind(
        key(K::Esc),
        X::Typing,
        C::StopEditing,
        "leave the box: keys become commands",
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
        "focus the highlighted word (the box stays ready for the next one)",
    ),
    bind(ctrl('n'), X::Search, C::Down, "next hit"),
    bind(ctrl('p'), X::Search, C::Up, "previous hit"),
    bind(
        ch(' '),
        X::SearchCommands,
        C::ToggleSelect,
        "add to / remove from the selection",
    ),
    bind(
        ch('i'),
        X::SearchCommands,
        C::Edit,
        "edit the search (/ starts a new one)",
    ),
];

/// Keys that work in any panel, after the panels' own.
const GENERAL: &[Binding] = &[
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
        "the scatter (PCA, t-SNE, UMAP, axes); again: back to the neighbours",
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
        ch('a'),
        X::Commands,
        C::ToggleIndex,
        "neighbours from the HNSW index (approximate) or every word (exact)",
    ),
    bind(
        ch('x'),
        X::Commands,
        C::ClearSelection,
        "clear the selection",
    ),
    bind(
        ch('['),
        X::Commands,
        C::Back,
        "history list, on the word before",
    ),
    bind(
        ch(']'),
        X::Commands,
        C::Forward,
        "history list, on the word after",
    ),
    // Selection files, export, the prompt.
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
        key(K::Tab),
        X::Prompt,
        C::CompletePath,
        "complete a file name",
    ),
    bind(
        ch('p'),
        X::Commands,
        C::Phrases(P::Toggle),
        "phrases: compare sentences",
    ),
    bind(ch('o'), X::Commands, C::Open, "open another vector file"),
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
