//! Writers for word2vec binary and the text formats.
//!
//! Vectors are written with their original length (`unit × norm`). Text uses Rust's shortest
//! round-trip formatting of f32, so reading the file back gives the same numbers.
use super::atomic::put;
use crate::error::{Error, Result};
use crate::format::Format;
use crate::jobs::{Progress, ProgressExt};
use crate::space::Space;
use rayon::prelude::*;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;

/// Rows between progress updates (and per formatting task for text).
const BATCH: usize = 4096;

pub(super) fn word2vec_binary(
    space: &Space,
    w: &mut BufWriter<File>,
    path: &Path,
    progress: Option<&Progress>,
) -> Result<()> {
    check_words(space, path, "word2vec binary")?;
    put(w, header(space).as_bytes(), path)?;
    let mut buf = Vec::new();
    for start in (0..space.len()).step_by(BATCH) {
        progress.check()?;
        let end = (start + BATCH).min(space.len());
        buf.clear();
        for row in start..end {
            buf.extend_from_slice(space.word(row).as_bytes());
            buf.push(b' ');
            let norm = space.norms()[row];
            for &u in space.unit(row) {
                buf.extend_from_slice(&(u * norm).to_le_bytes());
            }
            buf.push(b'\n');
        }
        put(w, &buf, path)?;
        progress.add((end - start) as u64);
    }
    Ok(())
}

/// A text format: GloVe (no header), word2vec text (a `rows dims` header), or fastText's
/// `.vec` (the header, and a space after each row's last value, as fastText writes it).
pub(super) fn text(
    space: &Space,
    w: &mut BufWriter<File>,
    path: &Path,
    format: Format,
    progress: Option<&Progress>,
) -> Result<()> {
    let header = format != Format::Glove;
    let trailing = format == Format::FastTextVec;
    check_words(space, path, format.describe())?;
    if header {
        put(w, self::header(space).as_bytes(), path)?;
    }
    // Formatting floats is the slow part: format blocks of rows in parallel, write in order.
    let round = BATCH * 2 * rayon::current_num_threads().max(1);
    for start in (0..space.len()).step_by(round) {
        progress.check()?;
        let end = (start + round).min(space.len());
        let starts: Vec<usize> = (start..end).step_by(BATCH).collect();
        let blocks: Vec<Vec<u8>> = starts
            .into_par_iter()
            .map(|s| format_rows(space, s, (s + BATCH).min(end), trailing))
            .collect();
        for block in blocks {
            put(w, &block, path)?;
        }
        progress.add((end - start) as u64);
    }
    Ok(())
}

fn header(space: &Space) -> String {
    format!("{} {}\n", space.len(), space.dim())
}

/// Rows `start..end` as text lines (with a space before each newline when `trailing`).
fn format_rows(space: &Space, start: usize, end: usize, trailing: bool) -> Vec<u8> {
    let mut buf = Vec::with_capacity((end - start) * (space.dim() * 10 + 16));
    for row in start..end {
        buf.extend_from_slice(space.word(row).as_bytes());
        let norm = space.norms()[row];
        for &u in space.unit(row) {
            // Writing to a Vec cannot fail.
            let _ = write!(buf, " {}", u * norm);
        }
        if trailing {
            buf.push(b' ');
        }
        buf.push(b'\n');
    }
    buf
}

/// Rejects words that the line-based formats cannot hold: the file would read back wrong.
fn check_words(space: &Space, path: &Path, format: &str) -> Result<()> {
    for (row, word) in space.vocab().iter().enumerate() {
        let problem = if word.is_empty() {
            "is empty"
        } else if word.contains(' ') {
            "contains a space"
        } else if word.contains('\t') {
            "contains a tab"
        } else if word.contains(['\n', '\r']) {
            "contains a line break"
        } else {
            continue;
        };
        return Err(Error::Invalid(format!(
            "cannot write {} as {format}: the word {:?} (row {}) {problem}, which the \
             format cannot hold; choose fifu instead",
            path.display(),
            word,
            row + 1
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::format::Format;
    use crate::io::atomic_write;
    use crate::space::{SourceInfo, Storage, Vocab};

    fn space(words: &[&str], dim: usize, data: Vec<f32>) -> Space {
        let mut vocab = Vocab::new();
        for w in words {
            vocab.push(w).unwrap();
        }
        let source = SourceInfo {
            path: "mem".into(),
            format: Format::Glove,
            storage: Storage::Array,
            metadata: None,
            file_bytes: 0,
        };
        Space::from_raw(vocab, dim, data, source)
    }

    #[test]
    fn text_and_binary_layout() {
        let dir = tempfile::tempdir().unwrap();
        let s = space(&["a", "北京"], 2, vec![3.0, 4.0, 0.5, 0.0]);
        let p = dir.path().join("v.txt");
        atomic_write(&p, |w| text(&s, w, &p, Format::Word2VecText, None)).unwrap();
        assert_eq!(
            std::fs::read_to_string(&p).unwrap(),
            "2 2\na 3 4\n北京 0.5 0\n"
        );
        // fastText's .vec ends each row with a space (which is how it is told apart).
        atomic_write(&p, |w| text(&s, w, &p, Format::FastTextVec, None)).unwrap();
        assert_eq!(
            std::fs::read_to_string(&p).unwrap(),
            "2 2\na 3 4 \n北京 0.5 0 \n"
        );
        atomic_write(&p, |w| text(&s, w, &p, Format::Glove, None)).unwrap();
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "a 3 4\n北京 0.5 0\n");
        let p = dir.path().join("v.bin");
        atomic_write(&p, |w| word2vec_binary(&s, w, &p, None)).unwrap();
        let mut want = b"2 2\na ".to_vec();
        [3.0f32, 4.0]
            .iter()
            .for_each(|v| want.extend(v.to_le_bytes()));
        want.extend("\n北京 ".as_bytes());
        [0.5f32, 0.0]
            .iter()
            .for_each(|v| want.extend(v.to_le_bytes()));
        want.push(b'\n');
        assert_eq!(std::fs::read(&p).unwrap(), want);
    }

    #[test]
    fn unwritable_words_are_errors() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("out.vec");
        for bad in ["at home", "a\tb", "a\nb", ""] {
            let s = space(&["ok", bad], 1, vec![1.0, 2.0]);
            let e = atomic_write(&p, |w| text(&s, w, &p, Format::Word2VecText, None)).unwrap_err();
            let e = e.to_string();
            assert!(e.contains("out.vec") && e.contains("(row 2)"), "{e}");
            assert!(e.contains(&format!("{bad:?}")), "{e}");
            assert!(atomic_write(&p, |w| word2vec_binary(&s, w, &p, None)).is_err());
        }
        assert!(!p.exists());
    }

    #[test]
    fn cancelled_write_stops() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("out.txt");
        let s = space(&["a"], 1, vec![1.0]);
        let progress = Progress::new();
        progress.cancel();
        let r = atomic_write(&p, |w| text(&s, w, &p, Format::Glove, Some(&progress)));
        assert!(matches!(r, Err(Error::Interrupted)));
        let r = atomic_write(&p, |w| word2vec_binary(&s, w, &p, Some(&progress)));
        assert!(matches!(r, Err(Error::Interrupted)));
    }
}
