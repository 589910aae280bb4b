//! embx — explore, query and evaluate word embeddings.
//!
//! The library is the product's core and knows nothing of terminals:
//! - [`space`]: the vector space (vocabulary, unit vectors, norms, subwords);
//! - [`io`]: reading and writing finalfusion, word2vec, GloVe and fastText files;
//! - [`query`]: neighbours, analogies and vector expressions;
//! - [`jobs`]: progress counters and cancellation for long work;
//! - [`eval`]: analogy and word-pair evaluation with the references' counting rules;
//! - [`project`]: 2-D projections (PCA with stable axes) and SVG plots;
//! - [`train`]: word2vec training (skip-gram, CBOW) from text corpora;
//! - [`text`]: display width and escaping of words for terminals.
pub mod demo;
pub mod error;
pub mod eval;
pub mod format;
pub mod index;
pub mod io;
pub mod jobs;
pub mod project;
pub mod query;
pub mod space;
pub mod text;
pub mod train;

pub use error::{Error, Location, Result, Warning};
pub use format::Format;
pub use space::{Lookup, Space};

#[cfg(feature = "cli")]
#[allow(missing_docs, reason = "a front end, not the library's API")]
pub mod cli;
#[cfg(feature = "tui")]
#[allow(missing_docs, reason = "a front end, not the library's API")]
pub mod tui;
