//! How long one sync keeps trying: a cut or a stalled request is tried again after a short,
//! growing wait, for as long as the sync keeps making progress. It gives up only after
//! `give_up_after` with nothing delivered — never after a fixed total time, so a month of
//! backlog goes through a link that cuts every 20 s.

use super::backoff::Backoff;
use crate::error::DeviceError;
use std::time::{Duration, Instant};

pub(crate) struct Persistence {
    give_up_after: Duration,
    last_progress: Instant,
    backoff: Backoff,
    /// Requests tried again in this sync.
    pub(crate) retries: u32,
}

impl Persistence {
    pub(crate) fn new(give_up_after: Duration) -> Self {
        Persistence {
            give_up_after,
            last_progress: Instant::now(),
            backoff: Self::fresh_backoff(),
            retries: 0,
        }
    }

    fn fresh_backoff() -> Backoff {
        Backoff::new(Duration::from_millis(500), Duration::from_secs(8))
    }

    /// Something was delivered: the clock of "no progress" starts again.
    pub(crate) fn progressed(&mut self) {
        self.last_progress = Instant::now();
        self.backoff = Self::fresh_backoff();
    }

    /// After a failed request: waits and returns `Ok` when it is worth trying again (the link
    /// was cut or stalled, and the sync has not gone `give_up_after` without progress);
    /// otherwise returns the error, which ends the sync.
    pub(crate) async fn try_again(&mut self, error: DeviceError) -> Result<(), DeviceError> {
        let transient = matches!(error, DeviceError::Unreachable { .. });
        if !transient || self.last_progress.elapsed() >= self.give_up_after {
            return Err(error);
        }
        let left = self
            .give_up_after
            .saturating_sub(self.last_progress.elapsed());
        tokio::time::sleep(self.backoff.next_delay().min(left)).await;
        self.retries += 1;
        Ok(())
    }
}
