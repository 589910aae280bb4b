//! Lanes of background work and their generations: each lane keeps only its latest request,
//! and a result is used only when it belongs to the lane's latest generation.

/// Kinds of background work; each kind keeps only its latest request (latest wins).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Lane {
    /// Loading a space.
    Load,
    /// Vocabulary search.
    Search,
    /// Neighbours of a word or a set of words.
    Neighbours,
    /// Analogies and vector expressions.
    Query,
    /// 2-D projections.
    Scatter,
    /// A training run (one at a time; it runs for long).
    Train,
    /// Snapshots of the weights under training.
    Live,
    /// Saving trained vectors.
    Save,
    /// Files the user asked for: exports, word lists, plots.
    Files,
    /// Building a big space's exact-search copy ahead of the queries.
    Prepare,
    /// Counting an N-gram model beside a language model.
    Count,
}

impl Lane {
    /// Every lane, in [`Lane::index`] order.
    pub const ALL: [Lane; 11] = [
        Lane::Load,
        Lane::Search,
        Lane::Neighbours,
        Lane::Query,
        Lane::Scatter,
        Lane::Train,
        Lane::Live,
        Lane::Save,
        Lane::Files,
        Lane::Prepare,
        Lane::Count,
    ];

    /// The lane's position in [`Lane::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }

    /// What the lane is doing, for a status line.
    pub fn name(self) -> &'static str {
        match self {
            Lane::Load => "loading",
            Lane::Search => "searching",
            Lane::Neighbours => "neighbours",
            Lane::Query => "query",
            Lane::Scatter => "projecting",
            Lane::Train => "training",
            Lane::Live => "snapshot",
            Lane::Save => "saving",
            Lane::Files => "writing",
            Lane::Prepare => "preparing fast search",
            Lane::Count => "counting n-grams",
        }
    }

    /// Lanes whose every job runs, in order: a file the user asked for is never dropped
    /// for a newer one. All other lanes keep only their latest job.
    pub fn keeps_all(self) -> bool {
        matches!(self, Lane::Save | Lane::Files)
    }

    /// Long-running lanes: the event loop does not poll fast for their results.
    pub fn is_background(self) -> bool {
        matches!(self, Lane::Train | Lane::Live | Lane::Prepare)
    }
}

/// Generation and running flag of each lane.
#[derive(Debug, Clone, Default)]
pub struct Generations {
    gens: [u64; Lane::ALL.len()],
    running: [bool; Lane::ALL.len()],
}

impl Generations {
    /// A new generation for `lane`, which is now running.
    pub fn start(&mut self, lane: Lane) -> u64 {
        let i = lane.index();
        self.gens[i] += 1;
        self.running[i] = true;
        self.gens[i]
    }

    /// True (and the lane marked idle) when `gen` is the lane's latest request.
    pub fn finish(&mut self, lane: Lane, gen: u64) -> bool {
        let i = lane.index();
        if self.gens[i] != gen {
            return false;
        }
        self.running[i] = false;
        true
    }

    /// True while `lane` has a request whose result has not come back.
    pub fn is_running(&self, lane: Lane) -> bool {
        self.running[lane.index()]
    }

    /// The lanes with work under way.
    pub fn running(&self) -> impl Iterator<Item = Lane> + '_ {
        Lane::ALL.into_iter().filter(|l| self.is_running(*l))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_latest_generation_finishes() {
        let mut g = Generations::default();
        let first = g.start(Lane::Search);
        let second = g.start(Lane::Search);
        assert!(g.is_running(Lane::Search));
        assert!(!g.finish(Lane::Search, first));
        assert!(g.is_running(Lane::Search));
        assert!(g.finish(Lane::Search, second));
        assert_eq!(g.running().count(), 0);
    }
}
