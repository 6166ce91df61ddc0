//! What the sync knows of the link while it runs: the round trip and the upload rate measured
//! from the requests that completed, and from them the size of the next request (so it
//! completes in a few seconds), how many may be in flight, and how long what is left will take.
//! It starts small, grows while requests go well, and shrinks after a cut.

use std::time::Duration;

/// The smallest request budget: even on the worst link a request carries something.
const MIN_REQUEST_BYTES: usize = 4 * 1024;
/// How much a budget may grow after one good request.
const GROWTH: usize = 4;
/// Requests at most this big say nothing about the rate, only about the round trip.
const SMALL_REQUEST_BYTES: u64 = 2 * 1024;
/// A link that carries less than this is a slow link: the member is told so.
pub const SLOW_LINK_BYTES_PER_SECOND: f64 = 64_000.0;

/// The measured link and the budgets derived from it.
#[derive(Debug, Clone)]
pub struct LinkEstimate {
    target_request_time: Duration,
    max_request_bytes: usize,
    budget: usize,
    /// The shortest time a small request took: the round trip plus the server's answer.
    round_trip: Option<Duration>,
    /// Upload bytes per second, smoothed.
    upload_rate: Option<f64>,
}

impl LinkEstimate {
    pub fn new(first_request_bytes: usize, max_request_bytes: usize, target: Duration) -> Self {
        LinkEstimate {
            target_request_time: target,
            max_request_bytes: max_request_bytes.max(MIN_REQUEST_BYTES),
            budget: first_request_bytes.clamp(MIN_REQUEST_BYTES, max_request_bytes),
            round_trip: None,
            upload_rate: None,
        }
    }

    /// Bytes (as sent, compressed) the next request should carry.
    pub fn request_budget(&self) -> usize {
        self.budget
    }

    /// Upload bytes per second, once measured.
    pub fn upload_rate(&self) -> Option<f64> {
        self.upload_rate
    }

    pub fn round_trip(&self) -> Option<Duration> {
        self.round_trip
    }

    /// Requests allowed in flight: one on a link a full-size request would fill for longer
    /// than the target time, `max` on a faster one.
    pub fn requests_in_flight(&self, max: usize) -> usize {
        match self.upload_rate {
            Some(rate)
                if rate * self.target_request_time.as_secs_f64()
                    >= self.max_request_bytes as f64 =>
            {
                max.max(1)
            }
            _ => 1,
        }
    }

    /// True once the link is measured slower than [`SLOW_LINK_BYTES_PER_SECOND`].
    pub fn is_slow(&self) -> bool {
        self.upload_rate
            .is_some_and(|rate| rate < SLOW_LINK_BYTES_PER_SECOND)
    }

    /// The time `bytes` more will take on the measured link, if it is measured.
    pub fn time_for(&self, bytes: u64) -> Option<Duration> {
        let rate = self.upload_rate?;
        Some(Duration::from_secs_f64(bytes as f64 / rate.max(1.0)))
    }

    /// A request that completed: `bytes_up` sent in `elapsed`, answer included.
    pub fn completed(&mut self, bytes_up: u64, elapsed: Duration) {
        if bytes_up <= SMALL_REQUEST_BYTES {
            self.round_trip = Some(self.round_trip.map_or(elapsed, |known| known.min(elapsed)));
            return;
        }
        let overhead = self.round_trip.unwrap_or_default();
        let sending = elapsed
            .saturating_sub(overhead)
            .max(Duration::from_millis(1));
        let sample = bytes_up as f64 / sending.as_secs_f64();
        self.upload_rate = Some(match self.upload_rate {
            Some(rate) => 0.5 * rate + 0.5 * sample,
            None => sample,
        });
        let fits = self.upload_rate.unwrap_or(sample) * self.target_request_time.as_secs_f64();
        let grown = self.budget.saturating_mul(GROWTH);
        self.budget = (fits as usize)
            .min(grown)
            .clamp(MIN_REQUEST_BYTES, self.max_request_bytes);
    }

    /// Bytes of the next photo chunk: `chunk_time` of the measured link, at most `max` (two
    /// request budgets until the link is measured). A cut does not shrink it: the server keeps
    /// what arrived of a cut chunk, so a cut loses only what was in flight whatever the chunk's
    /// size, and each chunk fewer saves the round trip its answer waits for.
    pub fn photo_chunk_bytes(&self, chunk_time: Duration, max: usize) -> usize {
        let bytes = match self.upload_rate {
            Some(rate) => (rate * chunk_time.as_secs_f64()) as usize,
            None => self.budget.saturating_mul(2),
        };
        bytes.clamp(MIN_REQUEST_BYTES, max.max(MIN_REQUEST_BYTES))
    }

    /// A request that was cut or stalled: the next ones are smaller, so the next cut loses less.
    pub fn failed(&mut self) {
        self.budget = (self.budget / 2).max(MIN_REQUEST_BYTES);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TARGET: Duration = Duration::from_secs(4);

    #[test]
    fn on_a_2g_link_requests_settle_at_a_few_seconds_of_it() {
        let mut link = LinkEstimate::new(16 * 1024, 1024 * 1024, TARGET);
        link.completed(300, Duration::from_millis(320));
        for _ in 0..8 {
            let bytes = link.request_budget() as u64;
            // 8,000 B/s plus the round trip.
            let elapsed = Duration::from_secs_f64(bytes as f64 / 8_000.0 + 0.32);
            link.completed(bytes, elapsed);
        }
        let budget = link.request_budget();
        assert!((28_000..=34_000).contains(&budget), "budget {budget}");
        assert_eq!(link.requests_in_flight(4), 1);
        assert!(link.is_slow());
        let left = link.time_for(80_000).unwrap().as_secs_f64();
        assert!((9.0..11.0).contains(&left), "{left} s for 80 kB");
    }

    #[test]
    fn on_a_fast_link_requests_grow_to_the_largest_and_go_several_at_once() {
        let mut link = LinkEstimate::new(16 * 1024, 1024 * 1024, TARGET);
        for _ in 0..6 {
            let bytes = link.request_budget() as u64;
            link.completed(bytes, Duration::from_millis(5));
        }
        assert_eq!(link.request_budget(), 1024 * 1024);
        assert_eq!(link.requests_in_flight(4), 4);
        assert!(!link.is_slow());
    }

    #[test]
    fn a_cut_halves_the_next_request_but_never_below_the_floor() {
        let mut link = LinkEstimate::new(64 * 1024, 1024 * 1024, TARGET);
        link.failed();
        assert_eq!(link.request_budget(), 32 * 1024);
        for _ in 0..10 {
            link.failed();
        }
        assert_eq!(link.request_budget(), MIN_REQUEST_BYTES);
    }

    #[test]
    fn photo_chunks_span_the_chunk_time_and_a_cut_leaves_them_as_they_are() {
        let chunk_time = Duration::from_secs(12);
        let mut link = LinkEstimate::new(32 * 1024, 1024 * 1024, TARGET);
        assert_eq!(link.photo_chunk_bytes(chunk_time, 1024 * 1024), 64 * 1024);
        link.completed(300, Duration::from_millis(320));
        link.completed(32_000, Duration::from_secs_f64(4.32));
        let measured = link.photo_chunk_bytes(chunk_time, 1024 * 1024);
        assert!((94_000..=98_000).contains(&measured), "{measured} B");
        link.failed();
        link.failed();
        assert_eq!(link.photo_chunk_bytes(chunk_time, 1024 * 1024), measured);
        assert_eq!(link.photo_chunk_bytes(chunk_time, 50_000), 50_000);
    }
}
