//! The inspect panel: the focused word's vector (norm, extremes, a strip of its components).
//! It has no state of its own: it shows the shared context's focused word.
pub mod view;
