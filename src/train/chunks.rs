//! The corpus handed out to the workers in chunks of sentences, epoch after epoch.
//!
//! Cut into one fixed part per worker, the corpus leaves a worker idle at the end whenever its
//! part trains faster than the others' (fewer words kept by subsampling, shorter windows, less
//! contention): on the bench corpus one of two threads finished 0.2–0.4 s early out of 5.5 s.
//! Chunks of a few ten thousand words taken in turn keep every worker busy to the last chunk.
//! One worker takes every chunk in order, which is the corpus in order, epoch after epoch.
use std::ops::Range;
use std::sync::atomic::{AtomicUsize, Ordering};

/// About this many words per chunk with several workers (a chunk takes 20–50 ms to train).
const CHUNK_WORDS: usize = 32_768;
/// At least this many chunks per worker and epoch on small corpora.
const MIN_CHUNKS_PER_WORKER: usize = 8;

/// Consecutive sentences: `ends[sentences]`, the first starting at word `start`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Chunk {
    pub sentences: Range<usize>,
    pub start: usize,
}

/// The chunks of every epoch, each handed out once.
#[derive(Debug)]
pub(crate) struct Chunks<'a> {
    ends: &'a [usize],
    /// Sentence bounds of the chunks of one epoch (first 0, last `ends.len()`; just 0 when
    /// there are no sentences).
    bounds: Vec<usize>,
    epochs: usize,
    next: AtomicUsize,
}

impl<'a> Chunks<'a> {
    /// The sentences ending at `ends` (word positions, ascending), `epochs` times, for
    /// `workers` workers: one chunk per epoch for one worker, else chunks of about
    /// [`CHUNK_WORDS`] words (cut between sentences).
    pub(crate) fn new(ends: &'a [usize], epochs: usize, workers: usize) -> Self {
        let words = ends.last().copied().unwrap_or(0);
        let parts = if workers <= 1 {
            1
        } else {
            (words / CHUNK_WORDS).max(workers * MIN_CHUNKS_PER_WORKER)
        };
        let mut bounds = vec![0usize];
        for p in 1..parts {
            let s = ends.partition_point(|&e| e <= words * p / parts);
            if s > bounds[bounds.len() - 1] && s < ends.len() {
                bounds.push(s);
            }
        }
        if !ends.is_empty() {
            bounds.push(ends.len());
        }
        Chunks {
            ends,
            bounds,
            epochs,
            next: AtomicUsize::new(0),
        }
    }

    /// The next chunk not handed out yet, or `None` when every epoch's are.
    pub(crate) fn next(&self) -> Option<Chunk> {
        let per_epoch = self.bounds.len() - 1;
        let i = self.next.fetch_add(1, Ordering::Relaxed);
        if per_epoch == 0 || i >= per_epoch * self.epochs {
            return None;
        }
        let c = i % per_epoch;
        let first = self.bounds[c];
        Some(Chunk {
            sentences: first..self.bounds[c + 1],
            start: if first == 0 { 0 } else { self.ends[first - 1] },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(chunks: &Chunks<'_>) -> Vec<Chunk> {
        std::iter::from_fn(|| chunks.next()).collect()
    }

    #[test]
    fn one_worker_gets_the_corpus_once_per_epoch() {
        let ends = [3, 5, 9];
        let chunks = Chunks::new(&ends, 2, 1);
        let want = Chunk {
            sentences: 0..3,
            start: 0,
        };
        assert_eq!(all(&chunks), [want.clone(), want]);
        assert_eq!(chunks.next(), None);
        assert!(all(&Chunks::new(&[], 3, 2)).is_empty());
    }

    #[test]
    fn several_workers_get_every_sentence_once_per_epoch_in_order() {
        // 1,000 sentences of 1 to 7 words.
        let mut ends = Vec::new();
        let mut end = 0;
        for i in 0..1000 {
            end += 1 + i % 7;
            ends.push(end);
        }
        let chunks = Chunks::new(&ends, 3, 2);
        let got = all(&chunks);
        assert_eq!(got.len() % 3, 0);
        let per_epoch = got.len() / 3;
        assert_eq!(per_epoch, 2 * MIN_CHUNKS_PER_WORKER);
        for epoch in got.chunks(per_epoch) {
            let mut next = 0;
            for c in epoch {
                assert_eq!(c.sentences.start, next);
                assert!(!c.sentences.is_empty());
                let start = if next == 0 { 0 } else { ends[next - 1] };
                assert_eq!(c.start, start);
                next = c.sentences.end;
            }
            assert_eq!(next, ends.len());
        }
        // Handed out from several threads at once: each chunk once.
        let chunks = Chunks::new(&ends, 3, 2);
        let taken: Vec<Vec<Chunk>> = std::thread::scope(|s| {
            let hands: Vec<_> = (0..4).map(|_| s.spawn(|| all(&chunks))).collect();
            hands.into_iter().map(|h| h.join().unwrap()).collect()
        });
        assert_eq!(taken.iter().map(Vec::len).sum::<usize>(), got.len());
    }

    #[test]
    fn long_sentences_make_fewer_chunks() {
        let ends = [100_000, 100_001, 200_000];
        let got = all(&Chunks::new(&ends, 1, 2));
        let sentences: Vec<_> = got.iter().map(|c| c.sentences.clone()).collect();
        assert_eq!(sentences, [0..1, 1..2, 2..3]);
    }
}
