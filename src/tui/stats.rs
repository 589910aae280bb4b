//! Timings of the event loop, for measuring the explorer while it trains: frames drawn per
//! second while a run is under way, how long a frame takes, and how long a key waits from
//! being read to being on screen. `EMBX_TUI_STATS=1` prints them to stderr on exit.
use std::time::{Duration, Instant};

#[derive(Debug, Clone, Default)]
pub struct LoopStats {
    /// Frames drawn while training, and when the first and last of them were.
    pub train_frames: u64,
    first: Option<Instant>,
    last: Option<Instant>,
    pub frames: u64,
    pub draw_total: Duration,
    pub draw_max: Duration,
    /// The oldest key read and not yet drawn.
    key_waiting: Option<Instant>,
    pub keys: u64,
    pub key_total: Duration,
    pub key_max: Duration,
    /// Time the loop spent working (not waiting for input) while training.
    pub busy: Duration,
}

impl LoopStats {
    /// A key event was read.
    pub fn key_read(&mut self) {
        self.key_waiting.get_or_insert_with(Instant::now);
    }

    /// A frame that began at `began` is on screen; `training`: a run was under way.
    pub fn drawn(&mut self, began: Instant, training: bool) {
        let now = Instant::now();
        let took = now - began;
        self.frames += 1;
        self.draw_total += took;
        self.draw_max = self.draw_max.max(took);
        if training {
            self.train_frames += 1;
            self.first.get_or_insert(now);
            self.last = Some(now);
        }
        if let Some(read) = self.key_waiting.take() {
            let wait = now - read;
            self.keys += 1;
            self.key_total += wait;
            self.key_max = self.key_max.max(wait);
        }
    }

    /// One turn of the loop took `work` (not counting the wait for input).
    pub fn worked(&mut self, work: Duration, training: bool) {
        if training {
            self.busy += work;
        }
    }

    /// Frames per second while training (0 without two such frames).
    pub fn training_fps(&self) -> f64 {
        match (self.first, self.last) {
            (Some(a), Some(b)) if b > a => (self.train_frames - 1) as f64 / (b - a).as_secs_f64(),
            _ => 0.0,
        }
    }

    pub fn summary(&self) -> String {
        let ms = |d: Duration| d.as_secs_f64() * 1e3;
        let mean = |total: Duration, n: u64| if n == 0 { 0.0 } else { ms(total) / n as f64 };
        let span = match (self.first, self.last) {
            (Some(a), Some(b)) => (b - a).as_secs_f64().max(1e-9),
            _ => f64::INFINITY,
        };
        format!(
            "tui: {:.1} frames/s while training or laying out ({} frames); draw mean {:.2} ms, max {:.2} ms; \
             key to screen mean {:.1} ms, max {:.1} ms ({} keys); event loop busy {:.1} ms/s",
            self.training_fps(),
            self.train_frames,
            mean(self.draw_total, self.frames),
            ms(self.draw_max),
            mean(self.key_total, self.keys),
            ms(self.key_max),
            self.keys,
            ms(self.busy) / span
        )
    }
}
