//! jieba user dictionaries: one word a line, optionally followed by its frequency and a
//! part-of-speech tag (`云计算 5 n`). Blank lines and lines starting with `#` are skipped; a
//! UTF-8 byte-order mark at the start is ignored.
use crate::error::{Error, Location, Result};
use std::path::Path;

/// One line of a user dictionary.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Entry<'a> {
    pub word: &'a str,
    /// The frequency, when the line gives one.
    pub freq: Option<usize>,
    /// The part-of-speech tag, when the line gives one.
    pub tag: Option<&'a str>,
}

/// The text of the dictionary at `path`, which must be UTF-8.
pub(crate) fn read(path: &Path) -> Result<String> {
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    String::from_utf8(bytes).map_err(|e| Error::Format {
        path: path.to_path_buf(),
        location: Location::Offset(e.utf8_error().valid_up_to() as u64),
        message: "a user dictionary must be UTF-8".into(),
    })
}

/// The entries of a dictionary's `text` (read from `path`, named in errors), in order.
pub(crate) fn parse<'a>(text: &'a str, path: &Path) -> Result<Vec<Entry<'a>>> {
    let mut out = Vec::new();
    for (i, line) in text.trim_start_matches('\u{feff}').lines().enumerate() {
        let mut parts = line.split_whitespace();
        let Some(word) = parts.next().filter(|w| !w.starts_with('#')) else {
            continue;
        };
        let freq = match parts.next() {
            Some(f) => Some(f.parse::<usize>().map_err(|_| Error::Format {
                path: path.to_path_buf(),
                location: Location::Line(i as u64 + 1),
                message: format!("the frequency of {word:?} is not a whole number: {f:?}"),
            })?),
            None => None,
        };
        out.push(Entry {
            word,
            freq,
            tag: parts.next(),
        });
    }
    Ok(out)
}

/// The words of the user dictionary at `path`, in its order, each once.
pub fn words(path: &Path) -> Result<Vec<String>> {
    let text = read(path)?;
    let mut seen = hashbrown::HashSet::new();
    Ok(parse(&text, path)?
        .into_iter()
        .filter(|e| seen.insert(e.word))
        .map(|e| e.word.to_string())
        .collect())
}

/// How the words of a user dictionary fared in a corpus cut with it: a word the corpus has
/// fewer than `min_count` times is left out of the vocabulary as any rare word is.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DictionaryUse {
    /// Distinct words in the dictionary (lowercased first when the corpus was).
    pub words: usize,
    /// The words the corpus has at least once but fewer than `min_count` times, with their
    /// counts, most frequent first (ties in dictionary order).
    pub rare: Vec<(String, u64)>,
    /// The words the corpus has at least `min_count` times that `max_vocab` leaves out all
    /// the same (it keeps the most frequent words), with their counts, most frequent first.
    pub cut: Vec<(String, u64)>,
    /// The words the corpus never has as a token, in dictionary order.
    pub absent: Vec<String>,
}

impl DictionaryUse {
    /// Leaves out of [`DictionaryUse::rare`] and [`DictionaryUse::absent`] the words `keep`
    /// says are kept all the same (e.g. the words of vectors that training continues).
    pub fn except(mut self, keep: impl Fn(&str) -> bool) -> DictionaryUse {
        self.rare.retain(|(w, _)| !keep(w));
        self.cut.retain(|(w, _)| !keep(w));
        self.absent.retain(|w| !keep(w));
        self
    }
}

/// Counts the words of the user dictionary at `dict` in `corpus` (read with it): which occur
/// fewer than `min_count` times, which often enough but beyond the `max_vocab` most frequent
/// words, and which never. With `lowercase` the words are lowercased first, as the corpus's
/// tokens were.
pub fn dictionary_use(
    corpus: &crate::train::Corpus,
    dict: &Path,
    lowercase: bool,
    (min_count, max_vocab): (u64, Option<usize>),
) -> Result<DictionaryUse> {
    let mut listed = words(dict)?;
    if lowercase {
        let mut seen = hashbrown::HashSet::new();
        listed = listed
            .into_iter()
            .map(|w| w.to_lowercase())
            .filter(|w| seen.insert(w.clone()))
            .collect();
    }
    let refs: Vec<&str> = listed.iter().map(String::as_str).collect();
    let counts = corpus.counts_of(&refs);
    let mut out = DictionaryUse {
        words: listed.len(),
        ..DictionaryUse::default()
    };
    let vocabulary = max_vocab.map(|m| corpus.vocabulary(min_count, Some(m)));
    let kept: Option<hashbrown::HashSet<&str>> = vocabulary
        .as_ref()
        .map(|v| v.words.iter().map(String::as_str).collect());
    for (w, c) in listed.into_iter().zip(counts) {
        match c {
            0 => out.absent.push(w),
            c if c < min_count => out.rare.push((w, c)),
            c if kept.as_ref().is_some_and(|k| !k.contains(w.as_str())) => out.cut.push((w, c)),
            _ => {}
        }
    }
    out.rare.sort_by_key(|r| std::cmp::Reverse(r.1));
    out.cut.sort_by_key(|r| std::cmp::Reverse(r.1));
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_comments_and_errors() {
        let p = Path::new("dict.txt");
        let text = "\u{feff}云计算 5 n\n\n# a comment\n区块链\n  大模型 3 \n云计算\n";
        let e = parse(text, p).unwrap();
        let words: Vec<&str> = e.iter().map(|e| e.word).collect();
        assert_eq!(words, ["云计算", "区块链", "大模型", "云计算"]);
        assert_eq!(e[0].freq, Some(5));
        assert_eq!(e[0].tag, Some("n"));
        assert_eq!((e[1].freq, e[1].tag), (None, None));
        assert_eq!((e[2].freq, e[2].tag), (Some(3), None));
        let err = parse("好 1\n坏 many\n", p).unwrap_err().to_string();
        assert!(err.contains("dict.txt:2"), "{err}");
    }

    #[test]
    fn words_are_read_once_each() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("d.txt");
        std::fs::write(&p, "云计算 5 n\n区块链\n云计算 9\n").unwrap();
        assert_eq!(words(&p).unwrap(), ["云计算", "区块链"]);
        std::fs::write(&p, b"\xff\xfe").unwrap();
        assert!(words(&p).unwrap_err().to_string().contains("UTF-8"));
        assert!(words(&dir.path().join("none.txt")).is_err());
    }

    #[test]
    fn rare_and_absent_words_of_a_corpus() {
        use crate::train::{Corpus, ReadOptions};
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("d.txt");
        std::fs::write(&p, "Aa 5\nbb\ncc\ndd\nee\naa\n").unwrap();
        let corpus = Corpus::from_text("aa aa bb\nbb bb cc\nx dd dd\n", ReadOptions::default());
        let u = dictionary_use(&corpus, &p, false, (3, None)).unwrap();
        assert_eq!(u.words, 6);
        let rare = [("dd", 2), ("aa", 2), ("cc", 1)].map(|(w, c)| (w.to_string(), c));
        assert_eq!(u.rare, rare);
        assert_eq!(u.absent, ["Aa", "ee"]);
        let opts = ReadOptions {
            lowercase: true,
            ..ReadOptions::default()
        };
        let corpus = Corpus::from_text("AA aa aa bb\n", opts);
        let u = dictionary_use(&corpus, &p, true, (3, None)).unwrap();
        assert_eq!(u.words, 5);
        assert_eq!(u.rare, [("bb".to_string(), 1)]);
        assert_eq!(u.absent, ["cc", "dd", "ee"]);
        let u = u.except(|w| w == "bb" || w == "ee");
        assert_eq!((u.rare.len(), u.absent.len()), (0, 2));
        // --max-vocab 2 keeps aa (4) and x (3): bb (3) comes after x, which occurs first.
        let corpus = Corpus::from_text("x aa aa bb x aa\nbb x bb aa cc\n", ReadOptions::default());
        let u = dictionary_use(&corpus, &p, false, (2, Some(2))).unwrap();
        assert_eq!(u.cut, [("bb".to_string(), 3)]);
        assert_eq!(u.rare, [("cc".to_string(), 1)]);
        assert_eq!(u.absent, ["Aa", "dd", "ee"]);
        let u = dictionary_use(&corpus, &p, false, (2, Some(3))).unwrap();
        assert_eq!((u.cut.len(), u.rare.len()), (0, 1));
    }
}
