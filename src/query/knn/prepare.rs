//! Preparing a big space for many exact queries: its pre-filter copy is built on a worker
//! ahead of the queries rather than by the query that first needs it.
use super::kept::{self, Kept};
use super::{quant, reduced};
use crate::space::Space;
use std::path::PathBuf;

/// Vocabularies from this size on are worth preparing ([`prepare_exact`]) when opened for
/// many queries: their f32 scan takes tens of milliseconds or more.
pub const PREPARE_MIN_ROWS: usize = 200_000;

/// Whether [`prepare_exact`] has work to do for `space`: a big vocabulary, searched exactly
/// (no attached index, not product-quantized, not a live view), whose copy is not built yet.
pub fn needs_prepare(space: &Space) -> bool {
    space.len() >= PREPARE_MIN_ROWS
        && space.neighbour_index().is_none()
        && space.matrix().pq().is_none()
        && !space.matrix().is_patched()
        && !space.reduced_tried()
        && space.quantized_if_built().is_none()
}

/// Marks `space` as about to be prepared when [`needs_prepare`] says so, and returns whether
/// it did; the caller then runs [`prepare_exact`] on a worker. Marking first means that
/// queries asked before that worker starts scan in f32 instead of building the copy too.
pub fn begin_prepare(space: &Space) -> bool {
    let needed = needs_prepare(space);
    if needed {
        space.set_preparing(true);
    }
    needed
}

/// What [`prepare_exact`] did.
#[derive(Debug)]
pub enum Prepared {
    /// Nothing to prepare.
    Nothing,
    /// The copy was read from the cache folder (see the `kept` module).
    Read(PathBuf),
    /// The copy was built.
    Built {
        /// Where it was kept for the next opening (`None`: nowhere, such as for a space not
        /// read from a file), or why keeping it failed.
        kept: std::result::Result<Option<PathBuf>, String>,
        /// Why the copy kept earlier could not be used, when there was one.
        stale: Option<String>,
    },
}

/// Makes ready the copy that the exact search of `space` uses for whole-vocabulary queries
/// (the reduced copy, else the int8 copy of whole rows), ahead of the queries, so that none
/// of them waits for it: the explorer runs it on a worker after opening a big space. The
/// copy kept from an earlier opening of the same file is read when there is one; otherwise
/// it is built and kept. Until it is done, [`super::top_k`] scans in f32 instead of building the
/// copy itself. Does nothing (but end a [`begin_prepare`]) when [`needs_prepare`] is false.
pub fn prepare_exact(space: &Space) -> Prepared {
    /// Ends the preparing, even when building panics.
    struct Mark<'a>(&'a Space);
    impl Drop for Mark<'_> {
        fn drop(&mut self) {
            self.0.set_preparing(false);
        }
    }
    let _mark = Mark(space);
    if !needs_prepare(space) {
        return Prepared::Nothing;
    }
    space.set_preparing(true);
    let stale = match kept::read(space) {
        Ok(Kept::Read(path)) => return Prepared::Read(path),
        Ok(Kept::Missing) => None,
        Ok(Kept::Stale(why)) => Some(why),
        Err(e) => Some(e.to_string()),
    };
    let (n, k) = (space.len(), 10);
    let built = if reduced::enabled() && reduced::applies(space, n, k) && space.reduced().is_some()
    {
        true
    } else if quant::applies(space, n, k) {
        space.quantized();
        true
    } else {
        false
    };
    if !built {
        return Prepared::Nothing;
    }
    Prepared::Built {
        kept: kept::keep(space).map_err(|e| e.to_string()),
        stale,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::test_util::random_space;
    use crate::query::{top_k, top_k_exact};

    #[test]
    fn queries_wait_for_nothing_and_answers_stay_exact() {
        // Eight dimensions: too narrow for the reduced copy, so the int8 copy is prepared.
        let space = random_space(PREPARE_MIN_ROWS, 8, 5);
        let small = random_space(1000, 8, 5);
        assert!(!begin_prepare(&small) && !small.preparing());
        assert!(begin_prepare(&space) && space.preparing());
        let q = space.unit(17).to_vec();
        let want = top_k_exact(&space, &q, 10, &[17], None);
        // While marked, repeated queries scan in f32 and build nothing.
        for _ in 0..3 {
            assert_eq!(top_k(&space, &q, 10, &[17], None), want);
        }
        assert!(space.quantized_if_built().is_none() && !space.reduced_tried());
        prepare_exact(&space);
        assert!(!space.preparing() && !needs_prepare(&space));
        assert!(space.quantized_if_built().is_some());
        assert_eq!(top_k(&space, &q, 10, &[17], None), want);
        // A second run has nothing to do and still ends the mark.
        assert!(!begin_prepare(&space));
        space.set_preparing(true);
        prepare_exact(&space);
        assert!(!space.preparing());
    }
}
