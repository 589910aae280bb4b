//! The focus history: the words walked through, in order, with the one focused now. `[` and
//! `]` open it as a list (see `ui::history`) and move through it; Enter jumps to the word
//! under the cursor. Jumping moves along the walk without changing it (as a browser's back and
//! forward do); focusing a new word from anywhere drops what lay ahead and adds the word.

/// At most this many words are remembered (the oldest go first).
pub const MAX_WORDS: usize = 200;

/// The focus history.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct History {
    /// The rows walked through, oldest first.
    walk: Vec<u32>,
    /// Where the focused word is in `walk` (meaningless while it is empty).
    pos: usize,
    /// The line under the cursor while the list is open.
    cursor: Option<usize>,
}

impl History {
    /// The rows walked through, oldest first.
    pub fn entries(&self) -> &[u32] {
        &self.walk
    }
    /// Where the focused word is in [`Self::entries`].
    pub fn position(&self) -> Option<usize> {
        (!self.walk.is_empty()).then_some(self.pos)
    }
    /// The line under the cursor while the list is open (None: closed).
    pub fn cursor(&self) -> Option<usize> {
        self.cursor
    }
    /// True while the list is shown.
    pub fn is_open(&self) -> bool {
        self.cursor.is_some()
    }
    /// Words before the focused one.
    pub fn back_len(&self) -> usize {
        self.position().unwrap_or(0)
    }
    /// Words after the focused one.
    pub fn forward_len(&self) -> usize {
        self.walk.len().saturating_sub(self.pos + 1)
    }

    /// `row` is focused from outside the history: what lay ahead is dropped and `row` is the
    /// newest word.
    pub(crate) fn visit(&mut self, row: u32) {
        if self.walk.get(self.pos) == Some(&row) {
            return;
        }
        if !self.walk.is_empty() {
            self.walk.truncate(self.pos + 1);
        }
        self.walk.push(row);
        if self.walk.len() > MAX_WORDS {
            self.walk.remove(0);
        }
        self.pos = self.walk.len() - 1;
    }

    /// Opens the list with the cursor `delta` lines from the focused word (`[`: -1, `]`: +1),
    /// or moves the cursor when it is open. False when there is nothing to show.
    pub(crate) fn step(&mut self, delta: isize) -> bool {
        if self.walk.is_empty() {
            return false;
        }
        let from = self.cursor.unwrap_or(self.pos);
        let max = self.walk.len() as isize - 1;
        self.cursor = Some((from as isize).saturating_add(delta).clamp(0, max) as usize);
        true
    }

    /// Closes the list.
    pub(crate) fn close(&mut self) {
        self.cursor = None;
    }

    /// Closes the list and makes the word under its cursor the current one; returns its row.
    pub(crate) fn jump(&mut self) -> Option<u32> {
        let i = self.cursor.take()?;
        let row = *self.walk.get(i)?;
        self.pos = i;
        Some(row)
    }

    /// The rows mean other words now: each is mapped (or dropped when `map` gives None).
    pub(crate) fn remap(&mut self, map: impl Fn(u32) -> Option<u32>) {
        let mut pos = 0;
        let mut walk = Vec::with_capacity(self.walk.len());
        for (i, &r) in self.walk.iter().enumerate() {
            if let Some(m) = map(r) {
                if i <= self.pos {
                    pos = walk.len();
                }
                walk.push(m);
            }
        }
        self.walk = walk;
        self.pos = pos;
        self.cursor = None;
    }

    /// Forgets everything (another space was opened).
    pub(crate) fn clear(&mut self) {
        *self = History::default();
    }

    /// Rows within `rows`, the position and the cursor within the walk.
    pub(crate) fn check(&self, rows: usize) -> Result<(), String> {
        if let Some(r) = self.walk.iter().find(|&&r| r as usize >= rows) {
            return Err(format!("history row {r} of {rows}"));
        }
        let len = self.walk.len().max(1);
        if self.pos >= len || self.cursor.is_some_and(|c| c >= len) {
            return Err(format!(
                "history position {} / cursor {:?} of {}",
                self.pos,
                self.cursor,
                self.walk.len()
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_walk_with_back_forward_and_a_new_branch() {
        let mut h = History::default();
        assert!(!h.step(-1), "nothing to show yet");
        for r in [1, 2, 3] {
            h.visit(r);
        }
        h.visit(3);
        assert_eq!((h.entries(), h.position()), (&[1, 2, 3][..], Some(2)));
        assert!(h.step(-1) && h.step(-1) && h.step(-1));
        assert_eq!(h.cursor(), Some(0), "the cursor stops at the oldest word");
        h.step(1);
        assert_eq!(h.jump(), Some(2));
        assert_eq!((h.position(), h.cursor()), (Some(1), None));
        assert_eq!((h.back_len(), h.forward_len()), (1, 1));
        // A new word from elsewhere drops what lay ahead (3).
        h.visit(7);
        assert_eq!(h.entries(), &[1, 2, 7]);
        h.step(5);
        assert_eq!(h.cursor(), Some(2));
        h.close();
        assert_eq!(h.jump(), None);
        // Remapping keeps the position on the same word, or the one before it.
        h.remap(|r| (r != 2).then_some(r * 10));
        assert_eq!((h.entries(), h.position()), (&[10, 70][..], Some(1)));
        assert!(h.check(71).is_ok() && h.check(70).is_err());
    }

    #[test]
    fn the_oldest_words_go_first() {
        let mut h = History::default();
        for r in 0..(MAX_WORDS as u32 + 5) {
            h.visit(r);
        }
        assert_eq!(h.entries().len(), MAX_WORDS);
        assert_eq!(h.entries()[0], 5);
        assert_eq!(h.position(), Some(MAX_WORDS - 1));
    }
}
