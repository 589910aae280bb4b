//! The vocabulary scanned in parallel blocks of rows, with cancellation.
use crate::jobs::Progress;
use rayon::prelude::*;
use std::ops::Range;

/// Rows per block: large enough that a block is worth a task, small enough that a 2 million
/// word vocabulary is spread over every core.
const BLOCK: usize = 1 << 16;
/// Vocabularies smaller than this are scanned on the calling thread: a scan of GloVe's
/// 400,000 words takes a few milliseconds, less than handing blocks to other threads costs
/// on a busy machine.
const PARALLEL_FROM: usize = 1 << 20;
/// Rows between two looks at the cancel flag.
pub(super) const CHECK_EVERY: usize = 4096;

/// Runs `f` on consecutive blocks of the rows `0..len`, in parallel for large vocabularies.
/// The results come in block order; `None` when `f` gave up on a block because `progress`
/// was cancelled.
pub(super) fn in_blocks<T: Send>(
    len: usize,
    progress: &Progress,
    f: impl Fn(Range<usize>) -> Option<T> + Sync,
) -> Option<Vec<T>> {
    let block = |b: usize| {
        if progress.is_cancelled() {
            return None;
        }
        f(b * BLOCK..((b + 1) * BLOCK).min(len))
    };
    let blocks = len.div_ceil(BLOCK);
    if len < PARALLEL_FROM {
        (0..blocks).map(block).collect()
    } else {
        (0..blocks).into_par_iter().map(block).collect()
    }
}

/// Whether the scan of `row` should stop: every [`CHECK_EVERY`] rows, the cancel flag.
pub(super) fn stop(row: usize, progress: &Progress) -> bool {
    row.is_multiple_of(CHECK_EVERY) && progress.is_cancelled()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_cover_the_rows_in_order() {
        let p = Progress::new();
        for n in [3 * BLOCK + 5, PARALLEL_FROM + 7] {
            let parts = in_blocks(n, &p, Some).unwrap();
            assert_eq!(parts.len(), n.div_ceil(BLOCK));
            assert_eq!(parts[0], 0..BLOCK);
            assert_eq!(parts[parts.len() - 1], n / BLOCK * BLOCK..n);
            assert!(parts.windows(2).all(|w| w[0].end == w[1].start));
        }
        assert!(in_blocks(0, &p, Some).unwrap().is_empty());
        p.cancel();
        assert_eq!(in_blocks(3 * BLOCK, &p, Some), None);
        assert_eq!(in_blocks(PARALLEL_FROM, &p, Some), None);
    }
}
