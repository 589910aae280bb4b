//! Counting the rows that were odd in some way (spaces in words, control characters, invalid
//! UTF-8, NaN or infinite values, repeated words), for one warning per kind.
use super::{shown, Input, LocKind, Warning, BAD_UTF8, NON_FINITE, ODD_CHARS, SPACES};

/// The first row and count of rows with some property.
#[derive(Default)]
struct Tally {
    count: usize,
    first: u64,
    word: String,
}

impl Tally {
    fn note(&mut self, loc: u64, word: &str) {
        if self.count == 0 {
            self.first = loc;
            self.word = word.to_string();
        }
        self.count += 1;
    }

    fn warn(&self, input: &Input, kind: LocKind, out: &mut Vec<Warning>, what: &str) {
        if self.count > 0 {
            let msg = format!(
                "{} {what}, first at {}: {}",
                self.count,
                kind.describe(self.first),
                shown(self.word.as_bytes())
            );
            out.push(input.warning(kind.location(self.first), msg));
        }
    }
}

/// What was odd about the rows, by kind.
#[derive(Default)]
pub(super) struct Tallies {
    spaces: Tally,
    odd: Tally,
    utf8: Tally,
    nonfinite: Tally,
    dups: Tally,
}

impl Tallies {
    /// Notes the row at `loc` as repeating an earlier row's word.
    pub(super) fn repeat(&mut self, loc: u64, word: &str) {
        self.dups.note(loc, word);
    }

    /// Notes the row at `loc` under each kind its `flags` name.
    pub(super) fn note(&mut self, flags: u8, loc: u64, word: &str) {
        if flags == 0 {
            return;
        }
        for (flag, tally) in [
            (SPACES, &mut self.spaces),
            (ODD_CHARS, &mut self.odd),
            (BAD_UTF8, &mut self.utf8),
            (NON_FINITE, &mut self.nonfinite),
        ] {
            if flags & flag != 0 {
                tally.note(loc, word);
            }
        }
    }

    /// One warning per kind that occurred.
    pub(super) fn warn(&self, input: &Input, kind: LocKind, warnings: &mut Vec<Warning>) {
        let tallies: [(&Tally, &str); 5] = [
            (&self.spaces, "words contain spaces (read as one word)"),
            (
                &self.odd,
                "words contain control characters or non-breaking spaces",
            ),
            (
                &self.utf8,
                "words are not valid UTF-8 (decoded with U+FFFD)",
            ),
            (
                &self.nonfinite,
                "rows hold NaN or infinite values (set to zero)",
            ),
            (
                &self.dups,
                "duplicate words skipped (the first occurrence is kept)",
            ),
        ];
        for (tally, what) in tallies {
            tally.warn(input, kind, warnings, what);
        }
    }
}
