//! The vocabulary scanned in parallel blocks of rows, with cancellation.
use crate::jobs::Progress;
use rayon::prelude::*;
use std::ops::Range;

/// Rows per block: large enough that a block is worth a task, small enough that a 2 million
/// word vocabulary is spread over every core.
const BLOCK: usize = 1 << 15;
/// Rows between two looks at the cancel flag.
pub(super) const CHECK_EVERY: usize = 4096;

/// Runs `f` on consecutive blocks of the rows `0..len`, in parallel. The results come in
/// block order; `None` when `f` gave up on a block because `progress` was cancelled.
pub(super) fn in_blocks<T: Send>(
    len: usize,
    progress: &Progress,
    f: impl Fn(Range<usize>) -> Option<T> + Sync,
) -> Option<Vec<T>> {
    (0..len.div_ceil(BLOCK))
        .into_par_iter()
        .map(|b| {
            if progress.is_cancelled() {
                return None;
            }
            f(b * BLOCK..((b + 1) * BLOCK).min(len))
        })
        .collect()
}

/// Whether the scan of `row` should stop: every [`CHECK_EVERY`] rows, the cancel flag.
pub(super) fn stop(row: usize, progress: &Progress) -> bool {
    row % CHECK_EVERY == 0 && progress.is_cancelled()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_cover_the_rows_in_order() {
        let p = Progress::new();
        let n = 3 * BLOCK + 5;
        let parts = in_blocks(n, &p, |r| Some(r)).unwrap();
        assert_eq!(parts.len(), 4);
        assert_eq!(parts[0], 0..BLOCK);
        assert_eq!(parts[3], 3 * BLOCK..n);
        assert!(in_blocks(0, &p, |r| Some(r)).unwrap().is_empty());
        p.cancel();
        assert_eq!(in_blocks(n, &p, |r| Some(r)), None);
    }
}
