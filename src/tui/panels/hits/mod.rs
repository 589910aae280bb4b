//! A ranked list of words with a highlight: the component the neighbours panel and the
//! analogy / expression panel share (their answer, the highlighted line, moving it, clicks).
//! The drawing of its rows is [`view::hit_lines`].
pub mod view;

use crate::query::Answer;

/// Moves `selected` by `delta` within a list of `len` rows.
pub(crate) fn moved(selected: usize, delta: isize, len: usize) -> usize {
    let max = len.saturating_sub(1) as isize;
    (selected as isize).saturating_add(delta).clamp(0, max) as usize
}

/// An answer (ranked hits) and the highlighted line in it.
#[derive(Debug, Clone, Default)]
pub struct HitList {
    answer: Option<Answer>,
    selected: usize,
}

impl HitList {
    /// The answer shown.
    pub fn answer(&self) -> &Option<Answer> {
        &self.answer
    }
    /// The highlighted line.
    pub fn selected(&self) -> usize {
        self.selected
    }
    /// The row of the highlighted hit.
    pub fn highlighted(&self) -> Option<u32> {
        self.answer
            .as_ref()?
            .hits
            .get(self.selected)
            .map(|h| h.index)
    }
    /// The number of lines.
    pub fn len(&self) -> usize {
        self.answer.as_ref().map_or(0, |a| a.hits.len())
    }
    /// True when there is nothing to show.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// Moves the highlight by `delta` lines, within the list.
    pub(crate) fn move_by(&mut self, delta: isize) {
        self.selected = moved(self.selected, delta, self.len());
    }
    /// Highlights line `i` (a click), within the list.
    pub(crate) fn select(&mut self, i: usize) {
        self.selected = i.min(self.len().saturating_sub(1));
    }
    /// The highlight goes back to the first line.
    pub(crate) fn highlight_first(&mut self) {
        self.selected = 0;
    }
    /// A new answer; the highlight stays where it was when the answer is long enough.
    pub(crate) fn set(&mut self, answer: Answer) {
        self.selected = self.selected.min(answer.hits.len().saturating_sub(1));
        self.answer = Some(answer);
    }
    /// No answer (an error, or the rows mean other words now).
    pub(crate) fn clear(&mut self) {
        self.answer = None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::Hit;

    fn answer(n: usize) -> Answer {
        Answer {
            hits: (0..n as u32)
                .map(|i| Hit {
                    index: i * 10,
                    score: 1.0 - i as f32 / 10.0,
                })
                .collect(),
            terms: Vec::new(),
            excluded: Vec::new(),
        }
    }

    #[test]
    fn the_highlight_stays_in_the_list() {
        let mut l = HitList::default();
        assert_eq!((l.len(), l.highlighted()), (0, None));
        l.move_by(3);
        assert_eq!(l.selected(), 0);
        l.set(answer(5));
        l.move_by(3);
        assert_eq!(l.highlighted(), Some(30));
        l.move_by(10);
        assert_eq!(l.selected(), 4);
        l.set(answer(2));
        assert_eq!(l.selected(), 1, "a shorter answer pulls the highlight in");
        l.select(9);
        assert_eq!(l.selected(), 1);
        l.highlight_first();
        l.move_by(-1);
        assert_eq!(l.highlighted(), Some(0));
        l.clear();
        assert!(l.is_empty());
        assert_eq!(moved(2, isize::MIN / 2, 7), 0);
        assert_eq!(moved(2, isize::MAX / 2, 7), 6);
    }
}
