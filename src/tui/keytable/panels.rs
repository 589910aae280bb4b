//! The panels' keys in the key table (see [`super`]): neighbours, training, the scatter and the
//! phrase list, in that order.
use crate::tui::keymap::{bind, ch, ctrl, key, Binding, Command, Context, Key};
use crate::tui::panels::phrases::PhrasesCmd as P;
use crate::tui::panels::scatter::Cmd;
use crate::tui::panels::train::TrainCmd;
use crossterm::event::KeyCode;

use Command as C;
use Context as X;
use KeyCode as K;

/// The panels' keys, between the overlays' and the general ones.
pub(super) const PANELS: &[Binding] = &[
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
        C::Scatter(Cmd::Cursor(-1, 0)),
        "cursor to the nearest word left (it becomes the focus)",
    ),
    bind(
        ch('h'),
        X::Scatter,
        C::Scatter(Cmd::Cursor(-1, 0)),
        "cursor to the nearest word left (it becomes the focus)",
    ),
    bind(
        key(K::Right),
        X::Scatter,
        C::Scatter(Cmd::Cursor(1, 0)),
        "cursor to the nearest word right",
    ),
    bind(
        ch('l'),
        X::Scatter,
        C::Scatter(Cmd::Cursor(1, 0)),
        "cursor to the nearest word right",
    ),
    bind(
        key(K::Up),
        X::Scatter,
        C::Scatter(Cmd::Cursor(0, 1)),
        "cursor up (in the form: the field above)",
    ),
    bind(
        ch('k'),
        X::Scatter,
        C::Scatter(Cmd::Cursor(0, 1)),
        "cursor up (in the form: the field above)",
    ),
    bind(
        key(K::Down),
        X::Scatter,
        C::Scatter(Cmd::Cursor(0, -1)),
        "cursor down (in the form: the field below)",
    ),
    bind(
        ch('j'),
        X::Scatter,
        C::Scatter(Cmd::Cursor(0, -1)),
        "cursor down (in the form: the field below)",
    ),
    bind(
        Key {
            code: K::Left,
            ctrl: true,
        },
        X::Scatter,
        C::Scatter(Cmd::Pan(-1, 0)),
        "pan left",
    ),
    bind(
        Key {
            code: K::Right,
            ctrl: true,
        },
        X::Scatter,
        C::Scatter(Cmd::Pan(1, 0)),
        "pan right",
    ),
    bind(
        Key {
            code: K::Up,
            ctrl: true,
        },
        X::Scatter,
        C::Scatter(Cmd::Pan(0, 1)),
        "pan up",
    ),
    bind(
        Key {
            code: K::Down,
            ctrl: true,
        },
        X::Scatter,
        C::Scatter(Cmd::Pan(0, -1)),
        "pan down",
    ),
    bind(
        ch('0'),
        X::Scatter,
        C::Scatter(Cmd::Reset),
        "reset the view",
    ),
    bind(
        ch(' '),
        X::Scatter,
        C::ToggleSelect,
        "add the word under the cursor to / remove it from the selection",
    ),
    bind(
        ch('o'),
        X::Scatter,
        C::Scatter(Cmd::CyclePoints),
        "points: selection, focus + N neighbours, top N, search matches, word list",
    ),
    bind(
        ch('m'),
        X::Scatter,
        C::Scatter(Cmd::CycleMethod),
        "method: PCA, t-SNE, UMAP, custom axes",
    ),
    bind(
        ch('f'),
        X::Scatter,
        C::Scatter(Cmd::Form),
        "the form of parameters (N, perplexity, axes…)",
    ),
    bind(
        key(K::Enter),
        X::Scatter,
        C::Scatter(Cmd::Edit),
        "edit the form's field (opens the form)",
    ),
    bind(
        ch('r'),
        X::Scatter,
        C::Scatter(Cmd::Rerun),
        "run again (t-SNE / UMAP go on from the current layout)",
    ),
    bind(
        ch('z'),
        X::Scatter,
        C::Scatter(Cmd::Pause),
        "pause / resume the layout under way",
    ),
    bind(
        key(K::Esc),
        X::Scatter,
        C::Scatter(Cmd::Cancel),
        "close the form, or cancel the layout under way",
    ),
    bind(
        ch('C'),
        X::Scatter,
        C::Scatter(Cmd::ToggleClusters),
        "colour by cluster (k-means over the vectors)",
    ),
    bind(
        ch('n'),
        X::Scatter,
        C::Scatter(Cmd::ToggleNeighbours),
        "show / hide the top 5 neighbours of each selected word",
    ),
    bind(
        ch('A'),
        X::Scatter,
        C::Scatter(Cmd::ToggleAnalogy),
        "draw / leave out the last analogy's words and arrows",
    ),
    bind(
        ch('e'),
        X::Scatter,
        C::Scatter(Cmd::Export),
        "export as SVG and PNG (asks where)",
    ),
    // The phrases view (before the general bindings, which it overrides).
    bind(
        key(K::Enter),
        X::PhrasesTyping,
        C::Phrases(P::Add),
        "add the sentence",
    ),
    bind(
        ctrl('t'),
        X::PhrasesTyping,
        C::Phrases(P::Weighting),
        "weighting: plain mean ↔ SIF",
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
        C::Phrases(P::Remove),
        "remove the highlighted sentence",
    ),
    bind(
        key(K::Delete),
        X::PhrasesCommands,
        C::Phrases(P::Remove),
        "remove the highlighted sentence",
    ),
    bind(
        ch('w'),
        X::PhrasesCommands,
        C::Phrases(P::Weighting),
        "weighting: plain mean ↔ SIF",
    ),
    bind(
        ctrl('t'),
        X::PhrasesCommands,
        C::Phrases(P::Weighting),
        "weighting: plain mean ↔ SIF",
    ),
    bind(
        ch('s'),
        X::PhrasesCommands,
        C::Phrases(P::Stopwords),
        "stopwords: keep ↔ drop",
    ),
    bind(
        ch('c'),
        X::PhrasesCommands,
        C::Phrases(P::RemovePc),
        "first principal component: keep ↔ remove",
    ),
    bind(
        key(K::Esc),
        X::PhrasesCommands,
        C::Phrases(P::Toggle),
        "back to the panels",
    ),
    bind(
        ch('p'),
        X::PhrasesCommands,
        C::Phrases(P::Toggle),
        "back to the panels",
    ),
];
