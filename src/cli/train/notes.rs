//! What `embx train` says on stderr besides its progress: how the corpus is cut into words
//! (said before the long read), how the user dictionary's words fared (said once the corpus
//! is read, before training), and what was trained and written.
use super::ModelFile;
use crate::format::Format;
use crate::text::{escape, thousands};
use crate::train::segment::user_dict;
use crate::train::{self, Config, DictionaryUse, Segment};

/// What becomes of one word and of several that training leaves out.
pub(crate) const NO_VECTOR: [&str; 2] = ["gets no vector", "get no vector"];

/// Dictionary words named in a note before it says "…".
const EXAMPLES: usize = 5;

/// The notes on segmentation (`embx train` and `embx ngram`), known as soon as
/// [`train::will_segment`] has looked at the corpus: Chinese found (and so cut) by `--segment auto`, or a `--user-dict` left unused.
pub(crate) fn segmenting(config: &Config, segment: bool) -> Vec<&'static str> {
    let mut out = Vec::new();
    if config.segment == Segment::Auto && segment {
        out.push(CHINESE_FOUND);
    }
    if config.user_dict.is_some() && !segment {
        out.push(
            "note: --user-dict was not used: no Chinese text was found, so nothing is cut into \
             words (--segment zh cuts all the same)",
        );
    }
    out
}

const CHINESE_FOUND: &str = "note: Chinese text found, so it is cut into words with jieba \
                             (--segment off keeps whitespace tokens)";

/// A note on the user dictionary's words that `--min-count` or `--max-vocab` (`cut`) leave
/// out (`consequence` says what becomes of one and of several, e.g. "gets no vector" and "get
/// no vector") or that the corpus never has; `None` when every word is kept.
fn dictionary(
    u: &DictionaryUse,
    (min_count, max_vocab): (u64, Option<usize>),
    consequence: [&str; 2],
) -> Option<String> {
    let counted = |list: &[(String, u64)]| {
        let list: Vec<String> = list
            .iter()
            .map(|(w, c)| format!("{} ({c})", escape(w)))
            .collect();
        examples(&list)
    };
    let absent: Vec<String> = u.absent.iter().map(|w| escape(w).into_owned()).collect();
    let occur = |n: usize| if n == 1 { "occurs" } else { "occur" };
    let are = |n: usize| if n == 1 { "is" } else { "are" };
    let then = |n: usize| consequence[usize::from(n != 1)];
    let max_vocab = thousands(max_vocab.unwrap_or(0));
    // Each way out: how many, what is said of them first and after another, and who.
    let mut ways: Vec<(usize, String, String, String)> = Vec::new();
    if let n @ 1.. = u.rare.len() {
        let said = format!(
            "{} in the corpus fewer than --min-count {min_count} times",
            occur(n)
        );
        ways.push((n, format!("{said} and {}", then(n)), said, counted(&u.rare)));
    }
    if let n @ 1.. = u.cut.len() {
        let said = format!(
            "{} beyond the --max-vocab {max_vocab} most frequent words",
            are(n)
        );
        ways.push((n, format!("{said} and {}", then(n)), said, counted(&u.cut)));
    }
    if let n @ 1.. = u.absent.len() {
        let said = format!("never {}", occur(n));
        let first = format!("{said} in the corpus as cut");
        ways.push((n, first, said, examples(&absent)));
    }
    let ((n, first, _, who), rest) = ways.split_first()?;
    let mut note = format!(
        "note: {} of the {} user-dictionary words {first}: {who}",
        thousands(*n),
        thousands(u.words)
    );
    for (n, _, said, who) in rest {
        note.push_str(&format!("; {} more {said}: {who}", thousands(*n)));
    }
    Some(note)
}

/// The first few of `items`, comma-separated, with "…" when there are more.
fn examples(items: &[String]) -> String {
    let mut s = items[..items.len().min(EXAMPLES)].join(", ");
    if items.len() > EXAMPLES {
        s.push_str(", …");
    }
    s
}

/// The note on `config.user_dict`'s words in `corpus` (read with `config`) that occur fewer
/// than `min_count` times or are beyond the `max_vocab` most frequent words (`cut`;
/// `consequence` says what becomes of them) or never occur; words of the
/// vectors `base` continues keep theirs. `None` when there is nothing to say.
pub(crate) fn corpus_dictionary(
    corpus: &train::Corpus,
    config: &Config,
    (cut, consequence): ((u64, Option<usize>), [&str; 2]),
    base: Option<&crate::space::Space>,
) -> Option<String> {
    let dict = config.user_dict.as_deref()?;
    if !corpus.stats().segmented {
        return None;
    }
    // The dictionary was read when the corpus was: an error now only loses the note.
    let u = user_dict::dictionary_use(corpus, dict, config.lowercase, cut).ok()?;
    let u = match base {
        Some(space) => u.except(|w| space.index(w).is_some()),
        None => u,
    };
    dictionary(&u, cut, consequence)
}

/// What was trained and written, and the notes that go with it.
pub(crate) fn say_trained(
    trained: &train::Trained,
    config: &Config,
    output: &std::path::Path,
    format: Format,
    model: &ModelFile,
) {
    let r = &trained.report;
    eprintln!(
        "{} {} words × {} ({} corpus tokens, {:.2} epochs) in {:.1} s, {} words/s; wrote {} ({})",
        if r.completed {
            "trained"
        } else {
            "interrupted:"
        },
        thousands(trained.space.len()),
        trained.space.dim(),
        thousands(r.corpus.tokens as usize),
        r.epochs_done,
        r.seconds,
        thousands(r.words_per_second.round() as usize),
        output.display(),
        format.describe()
    );
    match model {
        ModelFile::Written(path) => eprintln!(
            "wrote the language model (hidden and output layers too) to {}; `embx predict {} WORDS…` gives the next word",
            path.display(),
            output.display()
        ),
        ModelFile::Removed(path) => eprintln!(
            "removed {}: it was the language model of the vectors this run replaced",
            path.display()
        ),
        ModelFile::Untouched => {}
    }
    if let Some(s) = config.subwords.filter(|_| format.keeps_subwords()) {
        note_buckets(s.buckets, trained.space.len(), trained.space.dim());
    }
    if r.corpus.invalid_utf8 > 0 {
        eprintln!(
            "warning: {} invalid UTF-8 sequences in the corpus were replaced by U+FFFD",
            r.corpus.invalid_utf8
        );
    }
}

/// A note when the n-gram buckets dwarf the vocabulary: they are most of the output file.
fn note_buckets(buckets: usize, words: usize, dim: usize) {
    let suggested = (words * 10).next_power_of_two().max(1 << 14);
    // (Not for a number of buckets that is already about the one suggested.)
    if buckets <= 10 * words.max(1) || buckets <= suggested {
        return;
    }
    let mib = (buckets * dim * 4) >> 20;
    eprintln!(
        "note: the {} n-gram buckets take {} MiB of the output for {} words; --buckets {} would suit a vocabulary this size",
        thousands(buckets),
        thousands(mib),
        thousands(words),
        suggested
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dictionary_notes() {
        let mut u = DictionaryUse {
            words: 40,
            ..DictionaryUse::default()
        };
        assert_eq!(dictionary(&u, (5, None), NO_VECTOR), None);
        u.absent = vec!["甲".into(), "乙".into()];
        let n = dictionary(&u, (5, None), NO_VECTOR).unwrap();
        assert_eq!(
            n,
            "note: 2 of the 40 user-dictionary words never occur in the corpus as cut: 甲, 乙"
        );
        u.rare = (1..=7).rev().map(|c| (format!("词{c}"), c)).collect();
        let n = dictionary(&u, (8, None), NO_VECTOR).unwrap();
        assert_eq!(
            n,
            "note: 7 of the 40 user-dictionary words occur in the corpus fewer than \
             --min-count 8 times and get no vector: 词7 (7), 词6 (6), 词5 (5), 词4 (4), \
             词3 (3), …; 2 more never occur: 甲, 乙"
        );
        u.cut = vec![("丙".into(), 30)];
        let n = dictionary(&u, (8, Some(1000)), NO_VECTOR).unwrap();
        assert!(
            n.ends_with(
                "词3 (3), …; 1 more is beyond the --max-vocab 1,000 most frequent words: 丙 (30); \
                 2 more never occur: 甲, 乙"
            ),
            "{n}"
        );
        u.rare.clear();
        let n = dictionary(&u, (8, Some(1000)), NO_VECTOR).unwrap();
        assert!(
            n.starts_with(
                "note: 1 of the 40 user-dictionary words is beyond the --max-vocab 1,000 most \
                 frequent words and gets no vector: 丙 (30); 2 more"
            ),
            "{n}"
        );
    }
}
