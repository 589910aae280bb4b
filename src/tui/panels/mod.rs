//! One folder per panel. Each owns its state, the actions it handles (`update`) and its
//! drawing (`view`); panels talk to each other only through the shared context in
//! [`super::App`] (space, focus, selection, jobs, status) and through returned effects.
pub mod hits;
pub mod inspect;
pub mod neighbours;
pub mod phrases;
pub mod query;
pub mod scatter;
pub mod search;
pub mod train;
