//! Evaluation sets bundled with embx (see assets/README.md for sources and licences), so
//! `--analogies google` and `--pairs wordsim353` work from any folder.

/// `(name, file name, bytes)` of the bundled analogy sets.
pub const ANALOGY_SETS: &[(&str, &str, &[u8])] = &[(
    "google",
    "questions-words.txt",
    include_bytes!("../../assets/eval/questions-words.txt"),
)];

/// `(name, file name, bytes)` of the bundled word-pair sets.
pub const PAIR_SETS: &[(&str, &str, &[u8])] = &[
    (
        "wordsim353",
        "wordsim353.tsv",
        include_bytes!("../../assets/eval/wordsim353.tsv"),
    ),
    (
        "simlex999",
        "simlex999.txt",
        include_bytes!("../../assets/eval/simlex999.txt"),
    ),
];

/// The bundled set called `name` among `sets`.
pub fn find(
    sets: &'static [(&str, &str, &[u8])],
    name: &str,
) -> Option<(&'static str, &'static [u8])> {
    sets.iter().find(|s| s.0 == name).map(|s| (s.1, s.2))
}
