//! The copies of the matrix that the exact neighbour search builds for big spaces (the int8
//! copy and the reduced copy, see `query::knn`), built lazily or ahead of the queries and
//! kept for the life of the space.
use super::{matrix, quant::Quantized, Space};

impl Space {
    /// The int8 copy of the matrix for the exact neighbour pre-filter, built (in parallel) on
    /// the first call and kept for the life of the space.
    ///
    /// The copy is built outside the cell's lock: with `get_or_init`, a rayon worker waiting
    /// for the cell could be the one the builder's parallel tasks need (or the builder itself,
    /// having stolen a task that asks for the copy again), which deadlocks. Concurrent first
    /// calls may build it twice; one copy is kept.
    pub(crate) fn quantized(&self) -> &Quantized {
        if let Some(q) = self.quantized_if_built() {
            return q;
        }
        let q = Quantized::build(self.matrix());
        // The closure only moves the copy in: no work runs under the cell's lock.
        self.0.quantized.get_or_init(|| q)
    }

    /// Counts a scan that could use the int8 copy; true from the second on. A single query
    /// (one `embx similar` from the shell) then reads the f32 rows once instead of building
    /// a copy it would use once.
    pub(crate) fn repeated_scan(&self) -> bool {
        self.0
            .scans
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed)
            > 0
    }

    /// The int8 copy when an earlier query built it (batch queries use it only then).
    pub(crate) fn quantized_if_built(&self) -> Option<&Quantized> {
        self.0.quantized.get()
    }

    /// The reduced copy of the matrix for the exact pre-filter, tried (in parallel) on the
    /// first call and kept; `None` when the matrix does not suit it. Built outside the cell's
    /// lock, as [`Space::quantized`] is.
    pub(crate) fn reduced(&self) -> Option<&matrix::Reduced> {
        if let Some(r) = self.0.reduced.get() {
            return r.as_ref();
        }
        let r = matrix::Reduced::build(self.matrix());
        self.0.reduced.get_or_init(|| r).as_ref()
    }

    /// Marks the pre-filter's copy as being built ahead of the queries (`true`) or no more.
    pub(crate) fn set_preparing(&self, on: bool) {
        self.0
            .preparing
            .store(on, std::sync::atomic::Ordering::Release);
    }

    /// True while a worker builds the pre-filter's copy ahead of the queries.
    pub(crate) fn preparing(&self) -> bool {
        self.0.preparing.load(std::sync::atomic::Ordering::Acquire)
    }

    /// The reduced copy when an earlier query built it.
    pub(crate) fn reduced_if_built(&self) -> Option<&matrix::Reduced> {
        self.0.reduced.get().and_then(Option::as_ref)
    }

    /// Sets the reduced copy (`None`: it does not suit the matrix) read back from a file;
    /// false when it was tried already.
    pub(crate) fn set_reduced(&self, r: Option<matrix::Reduced>) -> bool {
        self.0.reduced.set(r).is_ok()
    }

    /// Sets the int8 copy read back from a file; false when there was one already.
    pub(crate) fn set_quantized(&self, q: Quantized) -> bool {
        self.0.quantized.set(q).is_ok()
    }

    /// True when the reduced copy was tried (built, or found not to suit the matrix).
    pub(crate) fn reduced_tried(&self) -> bool {
        self.0.reduced.get().is_some()
    }
}
