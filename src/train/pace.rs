//! What every training worker (word2vec's and the NNLM's) does around its updates: counting
//! the words it reads, publishing them and its loss every [`REPORT_EVERY`] words, decaying
//! the learning rate linearly over the whole run as word2vec does, honouring pause and
//! cancel, and word2vec's subsampling of frequent words.
use super::sgns::Lcg;
use super::Monitor;

/// Words a worker reads between updates of the shared counters and the learning rate.
pub(crate) const REPORT_EVERY: u64 = 10_000;

/// One worker's counters and learning rate.
pub(crate) struct Pace<'a> {
    monitor: &'a Monitor,
    thread: usize,
    alpha0: f32,
    min_alpha: f32,
    total_words: u64,
    /// Words read so far (subsampled ones included).
    pub(crate) words: u64,
    reported: u64,
    /// The learning rate now.
    pub(crate) alpha: f32,
}

/// The loss summed over the updates sampled since the last report.
#[derive(Default)]
pub(crate) struct Loss {
    sum: f64,
    n: u64,
}

impl Loss {
    /// Adds one sampled update's loss.
    #[inline(always)]
    pub(crate) fn add(&mut self, loss: f32) {
        self.sum += f64::from(loss);
        self.n += 1;
    }

    /// The sum so far.
    #[cfg(test)]
    pub(crate) fn sum(&self) -> f64 {
        self.sum
    }

    /// Publishes the mean as `thread`'s loss, if any update was sampled, and starts anew.
    fn publish(&mut self, monitor: &Monitor, thread: usize) {
        if self.n > 0 {
            monitor.set_loss(thread, (self.sum / self.n as f64) as f32);
            *self = Loss::default();
        }
    }
}

impl<'a> Pace<'a> {
    /// Starts at learning rate `alpha`, which falls linearly to `min_alpha` as all workers
    /// together read `total_words`.
    pub(crate) fn new(
        monitor: &'a Monitor,
        thread: usize,
        (alpha, min_alpha): (f32, f32),
        total_words: u64,
    ) -> Self {
        Pace {
            monitor,
            thread,
            alpha0: alpha,
            min_alpha,
            total_words,
            words: 0,
            reported: 0,
            alpha,
        }
    }

    /// Whether [`REPORT_EVERY`] words were read since the last report.
    #[inline(always)]
    pub(crate) fn due(&self) -> bool {
        self.words - self.reported >= REPORT_EVERY
    }

    /// Counts one word read and reports when [`Pace::due`]; false when the run is cancelled.
    #[inline(always)]
    pub(crate) fn read_one(&mut self, loss: &mut Loss) -> bool {
        self.words += 1;
        !self.due() || self.report(loss)
    }

    /// Publishes the words read and the loss, sets the learning rate and waits while the run
    /// is paused; false when the run is cancelled.
    #[cold]
    pub(crate) fn report(&mut self, loss: &mut Loss) -> bool {
        let done = self.monitor.add_words(self.words - self.reported);
        self.reported = self.words;
        let left = 1.0 - done as f32 / (self.total_words + 1) as f32;
        self.alpha = (self.alpha0 * left).max(self.min_alpha);
        self.monitor.set_alpha(self.alpha);
        loss.publish(self.monitor, self.thread);
        self.monitor.wait_while_paused();
        !self.monitor.is_cancelled()
    }

    /// Publishes what is left at the end; returns the words this worker read.
    pub(crate) fn finish(self, loss: &mut Loss) -> u64 {
        self.monitor.add_words(self.words - self.reported);
        loss.publish(self.monitor, self.thread);
        self.words
    }
}

/// word2vec's subsampling: whether a word whose probability of being kept is `keep` stays,
/// from one draw of `rng` (16 bits of it, as word2vec's C code draws).
#[inline(always)]
pub(crate) fn kept(rng: &mut Lcg, keep: f32) -> bool {
    keep >= (rng.next_u64() & 0xFFFF) as f32 / 65536.0
}
