//! What the train panel's update gets of the shared context, and what it hands back.
use crate::space::Space;
use crate::tui::app::{Jobs, Message, Panel, While};
use crate::tui::files::{Prompt, PromptKind};
use crate::tui::requests::start_on;
use crate::tui::worker::JobKind;
use crate::tui::Effect;

/// The pieces of the explorer's shared context the train panel's update uses: it reads the
/// open space, its name and the focus, starts jobs, says things on the status line, opens
/// the prompt, and leaves effects for the caller.
pub(crate) struct Ctx<'a> {
    /// The explorer's space (a new one is handed back as [`Outcome::Adopt`]).
    pub space: Option<&'a Space>,
    /// The open space's name (what a continued run continues).
    pub name: &'a str,
    pub focus: Panel,
    pub jobs: &'a mut Jobs,
    pub status: &'a mut Option<Message>,
    /// The state a status message lasts while (see `App::say_while`).
    pub status_while: &'a mut Option<(Message, While)>,
    pub prompt: &'a mut Option<Prompt>,
    pub fx: &'a mut Vec<Effect>,
}

impl Ctx<'_> {
    /// Starts `kind` on its lane (a new generation and an effect).
    pub fn start(&mut self, kind: JobKind) {
        start_on(self.jobs, kind, self.fx);
    }

    /// Shows `m` on the status line.
    pub fn say(&mut self, m: Message) {
        *self.status = Some(m);
    }

    /// Shows `m` on the status line while `state` holds (keys do not take it away).
    pub fn say_while(&mut self, m: Message, state: While) {
        *self.status = Some(m.clone());
        *self.status_while = Some((m, state));
    }

    /// Opens the prompt of `kind`, starting from `input`.
    pub fn ask(&mut self, kind: PromptKind, input: String) {
        *self.prompt = Some(Prompt::new(kind, input));
    }
}

/// What the train panel asks of the explorer around it (carried out by `tui::adopt`).
#[derive(Debug)]
pub(crate) enum Outcome {
    /// Give the focus to this panel.
    Focus(Panel),
    /// Make `space` the explorer's space (`remap`: its rows may mean other words), renamed
    /// `name` when given.
    Adopt {
        space: Space,
        remap: bool,
        name: Option<String>,
    },
}
