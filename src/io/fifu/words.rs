//! finalfusion word lists: a u32 byte length and the UTF-8 bytes of each word.
use super::bytes::Reader;
use crate::error::{Location, Result, Warning};
use crate::io::Input;
use crate::jobs::{Progress, ProgressExt};
use crate::space::{Vocab, LAZY_MIN_WORDS};

/// The words of a list, with the rows (in the file) that repeated an earlier word.
pub(crate) struct WordList {
    pub vocab: Vocab,
    /// Number of words in the file, duplicates included.
    pub file_rows: usize,
    /// File rows dropped because they repeat an earlier word, ascending.
    pub duplicates: Vec<usize>,
}

impl WordList {
    /// The file row of every kept word, in order (empty when no word was dropped, i.e. the
    /// rows are the file's).
    pub(crate) fn kept_rows(&self) -> Vec<usize> {
        if self.duplicates.is_empty() {
            return Vec::new();
        }
        let mut d = self.duplicates.iter().peekable();
        (0..self.file_rows)
            .filter(|r| {
                if d.peek() == Some(&r) {
                    d.next();
                    false
                } else {
                    true
                }
            })
            .collect()
    }
}

// Lists of at least `LAZY_MIN_WORDS` words are read into a lazy vocabulary (no hash index
// at open, see `Vocab::lazy_with_capacity`): repeated words are then not looked for, and
// keep their rows (lookups find the first).

/// Reads `count` words. Invalid UTF-8 is replaced (with a warning); duplicates are dropped
/// (keeping the first) with one warning, except in lists of [`LAZY_MIN_WORDS`] or more.
pub(crate) fn read_words(
    input: &Input,
    r: &mut Reader<'_>,
    count: u64,
    what: &str,
    progress: Option<&Progress>,
    warnings: &mut Vec<Warning>,
) -> Result<WordList> {
    let fits = matches!(count.checked_mul(4), Some(n) if n <= r.remaining() as u64);
    if !fits {
        return Err(r.error(format!(
            "{what} claims {count} words but only {} bytes remain",
            r.remaining()
        )));
    }
    let lazy = count >= LAZY_MIN_WORDS as u64;
    let count = count as usize;
    if lazy {
        if let Some(vocab) = read_valid(r, count, progress)? {
            return Ok(WordList {
                vocab,
                file_rows: count,
                duplicates: Vec::new(),
            });
        }
    }
    let text_bytes = r.remaining() - count * 4;
    let mut vocab = if lazy {
        Vocab::lazy_with_capacity(count, text_bytes)
    } else {
        Vocab::with_capacity(count, text_bytes)
    };
    let mut duplicates = Vec::new();
    let mut first_dup: Option<(usize, u32, String)> = None;
    let mut invalid = 0usize;
    let mut first_invalid = 0usize;
    for row in 0..count {
        if row % 65536 == 65535 {
            progress.check()?;
            if let Some(p) = progress {
                p.set_done(r.pos as u64);
            }
        }
        let at = r.pos;
        let len = r.u32("a word length")?;
        let bytes = r.take(u64::from(len), "a word")?;
        // Borrowed when the bytes are valid UTF-8, an owned copy with U+FFFD otherwise.
        let w = String::from_utf8_lossy(bytes);
        if let std::borrow::Cow::Owned(_) = w {
            if invalid == 0 {
                first_invalid = at;
            }
            invalid += 1;
        }
        let pushed = if lazy {
            vocab.push_unchecked(&w);
            Ok(0)
        } else {
            vocab.push(&w)
        };
        if let Err(earlier) = pushed {
            if first_dup.is_none() {
                first_dup = Some((at, earlier, String::from_utf8_lossy(bytes).into_owned()));
            }
            duplicates.push(row);
        }
    }
    if invalid > 0 {
        warnings.push(invalid_warning(input, first_invalid, invalid));
    }
    if let Some(first) = first_dup {
        warnings.push(duplicate_warning(input, first, duplicates.len()));
    }
    Ok(WordList {
        vocab,
        file_rows: count,
        duplicates,
    })
}

/// The warning about `count` words with invalid UTF-8, the first at byte `at`.
fn invalid_warning(input: &Input, at: usize, count: usize) -> Warning {
    input.warning(
        Location::Offset(at as u64),
        format!("{count} word(s) with invalid UTF-8; the bad bytes were replaced by U+FFFD"),
    )
}

/// The warning about `count` dropped duplicates, the first at byte `at` repeating row
/// `earlier`.
fn duplicate_warning(
    input: &Input,
    (at, earlier, word): (usize, u32, String),
    count: usize,
) -> Warning {
    input.warning(
        Location::Offset(at as u64),
        format!(
            "{count} duplicate word(s) dropped, keeping the first occurrence (first: {word:?}, \
             already in row {earlier})"
        ),
    )
}

/// A big list read in one pass: the bytes of the words are copied and the whole text is
/// checked as UTF-8 at once (the check of each word separately was a sixth of opening 2
/// million words). `None`, with the reader back where it was, when some word is not valid
/// UTF-8 on its own (its bytes are then replaced by the slower path).
fn read_valid(
    r: &mut Reader<'_>,
    count: usize,
    progress: Option<&Progress>,
) -> Result<Option<Vocab>> {
    let start = r.pos;
    let mut text: Vec<u8> = Vec::with_capacity(count.saturating_mul(12));
    let mut ends = Vec::with_capacity(count);
    for row in 0..count {
        if row % 65536 == 65535 {
            progress.check()?;
            if let Some(p) = progress {
                p.set_done(r.pos as u64);
            }
        }
        let len = r.u32("a word length")?;
        text.extend_from_slice(r.take(u64::from(len), "a word")?);
        ends.push(text.len());
    }
    let vocab = String::from_utf8(text)
        .ok()
        .and_then(|t| Vocab::lazy_from_parts(t, ends));
    if vocab.is_none() {
        r.pos = start;
    }
    Ok(vocab)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn list(words: &[&[u8]]) -> Input {
        let mut b = Vec::new();
        for w in words {
            b.extend_from_slice(&(w.len() as u32).to_le_bytes());
            b.extend_from_slice(w);
        }
        Input::from_vec(Path::new("words"), b)
    }

    #[test]
    fn a_valid_list_is_read_in_one_pass() {
        let words: [&[u8]; 4] = [b"king", "é".as_bytes(), b"", "日本".as_bytes()];
        let input = list(&words);
        let mut r = Reader::new(&input, 0, usize::MAX);
        let vocab = read_valid(&mut r, 4, None).unwrap().unwrap();
        assert_eq!(vocab.iter().collect::<Vec<_>>(), ["king", "é", "", "日本"]);
        assert_eq!(r.pos, input.bytes().len());
        assert_eq!(vocab.index("日本"), Some(3));
    }

    #[test]
    fn a_word_that_is_not_utf8_alone_goes_the_slow_way() {
        // "é" split over two words: the text is valid UTF-8, the words are not.
        let split: [&[u8]; 3] = [b"a", &[0xC3], &[0xA9, b'x']];
        let invalid: [&[u8]; 2] = [b"a", &[0xFF]];
        for words in [&split[..], &invalid[..]] {
            let input = list(words);
            let mut r = Reader::new(&input, 0, usize::MAX);
            assert!(read_valid(&mut r, words.len(), None).unwrap().is_none());
            assert_eq!(r.pos, 0);
            let mut warnings = Vec::new();
            let got = read_words(
                &input,
                &mut r,
                words.len() as u64,
                "list",
                None,
                &mut warnings,
            )
            .unwrap();
            assert_eq!(got.vocab.len(), words.len());
            assert!(got.vocab.iter().skip(1).all(|w| w.contains('\u{FFFD}')));
            assert_eq!(warnings.len(), 1);
        }
        let two: [&[u8]; 2] = [b"a", b"b"];
        let input = list(&two);
        let mut r = Reader::new(&input, 0, usize::MAX);
        assert!(read_valid(&mut r, 3, None).is_err());
    }
}
