//! Evaluation: analogy sets (Google `questions-words.txt` layout) and word-pair similarity
//! sets (WordSim353, SimLex-999), with presets that reproduce the counting of gensim,
//! word2vec and finalfusion.
mod analogy;
mod analogy_set;
pub mod bundled;
mod pairs;
pub mod scan;
pub mod stats;

pub use analogy::{
    evaluate_analogies, AnalogyOptions, AnalogyReport, Outcome, Preset, Score, SectionScore, Status,
};
pub use analogy_set::{AnalogySet, Question, Section};
pub use pairs::{evaluate_pairs, Pair, PairOptions, PairOutcome, PairReport, PairSet};
