//! Exponential backoff with full jitter, for probing a county server that is out of reach
//! without draining the phone's battery or hammering the server when many phones come back.

use std::time::Duration;

#[derive(Debug, Clone)]
pub struct Backoff {
    attempt: u32,
    base: Duration,
    max: Duration,
}

impl Backoff {
    pub fn new(base: Duration, max: Duration) -> Self {
        Self {
            attempt: 0,
            base,
            max,
        }
    }

    /// The wait before the next try: a random time between half and all of
    /// `base · 2^attempt`, capped at `max`.
    pub fn next_delay(&mut self) -> Duration {
        let exponent = self.attempt.min(20);
        self.attempt = self.attempt.saturating_add(1);
        let ceiling = self
            .base
            .saturating_mul(1u32 << exponent)
            .min(self.max)
            .as_millis() as u64;
        let floor = ceiling / 2;
        Duration::from_millis(floor + fastrand::u64(0..=ceiling - floor))
    }

    /// Back to the shortest wait, after a success.
    pub fn reset(&mut self) {
        self.attempt = 0;
    }
}

impl Default for Backoff {
    fn default() -> Self {
        Self::new(Duration::from_secs(2), Duration::from_secs(300))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delays_grow_with_jitter_up_to_the_cap_and_reset() {
        let mut backoff = Backoff::new(Duration::from_millis(100), Duration::from_secs(5));
        let delays: Vec<u128> = (0..10).map(|_| backoff.next_delay().as_millis()).collect();
        assert!((50..=100).contains(&delays[0]), "{delays:?}");
        assert!((200..=400).contains(&delays[2]), "{delays:?}");
        assert!(delays[9] <= 5_000 && delays[9] >= 2_500, "{delays:?}");
        backoff.reset();
        assert!(backoff.next_delay().as_millis() <= 100);
    }
}
