//! How long work has left when its steps get dearer (or cheaper) as it goes.
//!
//! A progress bar's usual estimate carries the recent rate on to the end. For work whose
//! steps slow down, such as inserting rows into an HNSW graph (each search runs over a bigger
//! graph that fits the processor's caches less and less), that estimate is too low all along:
//! on 400,000 GloVe rows the last rows cost three times what those of the first tenth did, and
//! at a tenth of the build the usual estimate said 12 s where 40 s were left. [`Eta`] fits
//! the time elapsed as a power of the work done, `t = a · done^p`, over the later half of the
//! work so far, and follows that curve to the total: `p = 1` is a steady rate, `p > 1` a
//! slowing one. Near the end the curve is followed over a short stretch only, so its errors
//! shrink as the work ends.

/// Samples kept; beyond this, every other one is dropped (the latest is always kept).
const MAX_SAMPLES: usize = 1024;
/// Samples in the fitted window needed before an estimate is given.
const MIN_SAMPLES: usize = 5;
/// Seconds the fitted window must span before an estimate is given.
const MIN_SPAN: f64 = 0.5;
/// The exponents allowed: a burst of other load on the machine bends the curve for a while,
/// and should not throw the estimate far.
const EXPONENTS: (f64, f64) = (0.8, 2.5);

/// The time-left estimate of one piece of work, from samples of its progress.
#[derive(Debug, Clone, Default)]
pub struct Eta {
    /// (units done, seconds since the work started), both increasing.
    samples: Vec<(f64, f64)>,
}

impl Eta {
    /// An estimate with nothing recorded yet.
    pub fn new() -> Eta {
        Eta::default()
    }

    /// Records that `done` units were done `seconds` after the work started (a sample that
    /// does not move forward is ignored).
    pub fn record(&mut self, seconds: f64, done: u64) {
        let done = done as f64;
        if done <= 0.0 || seconds <= 0.0 {
            return;
        }
        if let Some(&(d, s)) = self.samples.last() {
            if done <= d || seconds <= s {
                return;
            }
        }
        if self.samples.len() >= MAX_SAMPLES {
            let last = self.samples.len() - 1;
            let mut i = 0;
            self.samples.retain(|_| {
                i += 1;
                i % 2 == 0 || i - 1 == last
            });
        }
        self.samples.push((done, seconds));
    }

    /// Seconds left until `total` units are done, following the fitted curve; `None` while
    /// too little has been seen to tell (under half a second of the later half of the work).
    pub fn remaining(&self, total: u64) -> Option<f64> {
        let &(done, seconds) = self.samples.last()?;
        let total = total as f64;
        if done >= total {
            return Some(0.0);
        }
        let window: Vec<(f64, f64)> = self
            .samples
            .iter()
            .filter(|s| s.0 >= done / 2.0)
            .map(|&(d, s)| (d.ln(), s.ln()))
            .collect();
        let first = self.samples.iter().find(|s| s.0 >= done / 2.0)?;
        if window.len() < MIN_SAMPLES || seconds - first.1 < MIN_SPAN {
            return None;
        }
        let p = slope(&window)?.clamp(EXPONENTS.0, EXPONENTS.1);
        Some(seconds * ((total / done).powf(p) - 1.0))
    }
}

/// The least-squares slope of `y` on `x` (`None` when every `x` is the same).
fn slope(points: &[(f64, f64)]) -> Option<f64> {
    let n = points.len() as f64;
    let mx = points.iter().map(|p| p.0).sum::<f64>() / n;
    let my = points.iter().map(|p| p.1).sum::<f64>() / n;
    let sxx: f64 = points.iter().map(|p| (p.0 - mx).powi(2)).sum();
    let sxy: f64 = points.iter().map(|p| (p.0 - mx) * (p.1 - my)).sum();
    (sxx > 0.0).then(|| sxy / sxx)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An Eta fed with `t = a · done^p` every 0.05 s up to `done`.
    fn fed(p: f64, a: f64, upto: u64) -> Eta {
        let mut e = Eta::new();
        let mut t = 0.05;
        loop {
            let d = (t / a).powf(1.0 / p) as u64;
            if d > upto {
                return e;
            }
            e.record(t, d);
            t += 0.05;
        }
    }

    #[test]
    fn a_slowing_build_is_followed_to_its_end() {
        // 1,000,000 units in 100 s, slowing as t = a · done^1.4.
        let a = 100.0 / 1e6f64.powf(1.4);
        for at in [100_000u64, 500_000, 900_000] {
            let e = fed(1.4, a, at);
            let (d, s) = *e.samples.last().unwrap();
            let truth = 100.0 - s;
            let got = e.remaining(1_000_000).unwrap();
            assert!(
                (got - truth).abs() < 0.03 * truth + 0.1,
                "{d}: {got} vs {truth}"
            );
            // The steady-rate estimate is far too low early on.
            let steady = s * (1e6 / d - 1.0);
            assert!(at > 500_000 || steady < 0.8 * truth, "{steady} vs {truth}");
        }
    }

    #[test]
    fn a_steady_rate_is_a_straight_line() {
        let e = fed(1.0, 1e-4, 30_000);
        let got = e.remaining(60_000).unwrap();
        assert!((got - 3.0).abs() < 0.05, "{got}");
        let done = e.samples.last().unwrap().0 as u64;
        assert_eq!(e.remaining(done), Some(0.0));
    }

    #[test]
    fn no_estimate_before_enough_is_seen() {
        let mut e = Eta::new();
        assert_eq!(e.remaining(100), None);
        e.record(0.1, 1);
        e.record(0.2, 2);
        assert_eq!(e.remaining(100), None);
        // Samples that do not move forward are ignored; many samples are thinned.
        e.record(0.2, 3);
        e.record(0.3, 2);
        assert_eq!(e.samples.len(), 2);
        for i in 0..5000u64 {
            e.record(0.3 + i as f64 * 0.01, 3 + i);
        }
        assert!(e.samples.len() <= MAX_SAMPLES);
        assert_eq!(e.samples.last(), Some(&(5002.0, 0.3 + 4999.0 * 0.01)));
        assert!(e.remaining(10_000).is_some());
    }
}
