//! The words a layout shows: the selection, a word and its nearest neighbours, the N most
//! frequent words, the matches of a search, or a word-list file.
use crate::error::{Error, Location, Result};
use crate::space::Space;
use std::path::{Path, PathBuf};

/// Most words a layout takes.
pub const MAX_POINTS: usize = 10_000;

/// Which words to lay out.
#[derive(Debug, Clone, PartialEq)]
pub enum PointSet {
    /// These words (the selection, or `--words`).
    Words(Vec<String>),
    /// A word and its `k` nearest neighbours.
    Neighbours {
        /// The word at the centre.
        word: String,
        /// How many neighbours to add.
        k: usize,
    },
    /// The `n` first rows (the most frequent words in frequency-sorted files).
    Top(usize),
    /// Rows already chosen (for example the matches of a search).
    Rows(Vec<u32>),
    /// The words of a file, one a line (blank lines and `#` comments skipped).
    List(PathBuf),
}

/// The rows of a point set and what could not be used.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Points {
    /// Rows of the space, without duplicates, in the order first given.
    pub rows: Vec<u32>,
    /// Words that are not in the vocabulary, with the list file's line when there is one.
    pub missing: Vec<(String, Option<u64>)>,
}

impl PointSet {
    /// The rows of `space` this set names. Words outside the vocabulary are reported in
    /// `missing`; more than [`MAX_POINTS`] rows is an error.
    pub fn resolve(&self, space: &Space) -> Result<Points> {
        let mut out = Points::default();
        match self {
            PointSet::Words(words) => {
                for w in words {
                    out.add_word(space, w, None);
                }
            }
            PointSet::Neighbours { word, k } => {
                let l = crate::query::resolve(space, word)?;
                let own = space.index(word);
                let hits =
                    crate::query::top_k(space, space.lookup_unit(&l), *k, own.as_slice(), None);
                out.rows.extend(own);
                out.rows.extend(hits.iter().map(|h| h.index));
            }
            PointSet::Top(n) => out.rows.extend(0..(*n).min(space.len()) as u32),
            PointSet::Rows(rows) => out
                .rows
                .extend(rows.iter().filter(|&&r| (r as usize) < space.len())),
            PointSet::List(path) => read_list(space, path, &mut out)?,
        }
        let mut seen = hashbrown::HashSet::with_capacity(out.rows.len());
        out.rows.retain(|r| seen.insert(*r));
        if out.rows.len() > MAX_POINTS {
            return Err(Error::Invalid(format!(
                "{} words is more than a layout takes ({MAX_POINTS}); ask for fewer (--top \
                 {MAX_POINTS}, say)",
                out.rows.len()
            )));
        }
        Ok(out)
    }
}

impl Points {
    fn add_word(&mut self, space: &Space, word: &str, line: Option<u64>) {
        match space.index(word) {
            Some(r) => self.rows.push(r),
            None => self.missing.push((word.to_string(), line)),
        }
    }
}

fn read_list(space: &Space, path: &Path, out: &mut Points) -> Result<()> {
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    let text = std::str::from_utf8(&bytes).map_err(|e| {
        let line = bytes[..e.valid_up_to()]
            .iter()
            .filter(|&&b| b == b'\n')
            .count() as u64
            + 1;
        Error::format(path, Location::Line(line), "not valid UTF-8")
    })?;
    for (i, line) in text.lines().enumerate() {
        let word = line.trim_end_matches('\r');
        let word = word.split('\t').next().unwrap_or("");
        if word.trim().is_empty() || word.starts_with('#') {
            continue;
        }
        out.add_word(space, word.trim(), Some(i as u64 + 1));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::test_util::space;

    fn demo() -> Space {
        space(&[
            ("a", &[1.0, 0.0, 0.0]),
            ("b", &[0.9, 0.1, 0.0]),
            ("c", &[0.0, 1.0, 0.0]),
            ("d", &[0.8, 0.0, 0.2]),
            ("e", &[0.0, 0.0, 1.0]),
        ])
    }

    #[test]
    fn every_kind_of_set() {
        let s = demo();
        let words = PointSet::Words(vec!["c".into(), "zz".into(), "a".into(), "c".into()]);
        let p = words.resolve(&s).unwrap();
        assert_eq!(p.rows, vec![2, 0]);
        assert_eq!(p.missing, vec![("zz".to_string(), None)]);
        let n = PointSet::Neighbours {
            word: "a".into(),
            k: 2,
        }
        .resolve(&s)
        .unwrap();
        assert_eq!(n.rows, vec![0, 1, 3]);
        assert_eq!(PointSet::Top(3).resolve(&s).unwrap().rows, vec![0, 1, 2]);
        assert_eq!(PointSet::Top(99).resolve(&s).unwrap().rows.len(), 5);
        assert_eq!(
            PointSet::Rows(vec![4, 9, 1]).resolve(&s).unwrap().rows,
            vec![4, 1]
        );
        let dir = tempfile::tempdir().unwrap();
        let list = dir.path().join("list.txt");
        std::fs::write(&list, "# words\ne\n\nnope\nb\t3\n").unwrap();
        let l = PointSet::List(list.clone()).resolve(&s).unwrap();
        assert_eq!(l.rows, vec![4, 1]);
        assert_eq!(l.missing, vec![("nope".to_string(), Some(4))]);
        std::fs::write(&list, b"a\n\xff\n").unwrap();
        let err = PointSet::List(list).resolve(&s).unwrap_err().to_string();
        assert!(err.contains("list.txt:2") && err.contains("UTF-8"), "{err}");
        assert!(matches!(
            PointSet::Neighbours {
                word: "zz".into(),
                k: 2
            }
            .resolve(&s),
            Err(Error::UnknownWord { .. })
        ));
    }
}
