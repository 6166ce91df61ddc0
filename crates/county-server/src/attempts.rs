//! Guessing made slow: failed logins and enrolment attempts back off per key (an account, a
//! client address), and password hashing runs at most a few at a time with a short queue, so
//! a flood of logins neither guesses fast nor takes the server's memory (argon2 needs ~19 MiB
//! per hash). Kept in memory per process: a restart forgets the counts (see docs/security.md).

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};
use tokio::sync::Semaphore;

/// How failures of one key are answered: `free` failures, then a wait that doubles from
/// `first_wait` up to `longest_wait`; a key with no failure for `forget_after` starts over.
#[derive(Debug, Clone, Copy)]
pub struct BackoffRule {
    pub free: u32,
    pub first_wait: Duration,
    pub longest_wait: Duration,
    pub forget_after: Duration,
}

/// One account, from anywhere: loose, so that a flood cannot lock the real admin out for long.
pub const PER_ACCOUNT: BackoffRule = BackoffRule {
    free: 10,
    first_wait: Duration::from_secs(1),
    longest_wait: Duration::from_secs(60),
    forget_after: Duration::from_secs(60 * 60),
};
/// One client address, whatever it tries: strict.
pub const PER_ADDRESS: BackoffRule = BackoffRule {
    free: 5,
    first_wait: Duration::from_secs(2),
    longest_wait: Duration::from_secs(15 * 60),
    forget_after: Duration::from_secs(60 * 60),
};
/// Keys remembered at most; past it the oldest are forgotten first.
const MOST_KEYS: usize = 100_000;

#[derive(Debug, Clone, Copy)]
struct Failures {
    count: u32,
    last: Instant,
}

/// Failures per key under one rule.
#[derive(Debug)]
pub struct Backoff<K> {
    rule: BackoffRule,
    failures: Mutex<HashMap<K, Failures>>,
}

impl<K: std::hash::Hash + Eq + Clone> Backoff<K> {
    pub fn new(rule: BackoffRule) -> Self {
        Self {
            rule,
            failures: Mutex::new(HashMap::new()),
        }
    }

    /// How long `key` must still wait before its next attempt (`None`: it may go on).
    pub fn wait_for(&self, key: &K, now: Instant) -> Option<Duration> {
        let failures = self.lock();
        let entry = failures.get(key)?;
        if entry.count < self.rule.free || now.duration_since(entry.last) >= self.rule.forget_after
        {
            return None;
        }
        let doublings = (entry.count - self.rule.free).min(20);
        let wait = self
            .rule
            .first_wait
            .saturating_mul(1 << doublings)
            .min(self.rule.longest_wait);
        (entry.last + wait)
            .checked_duration_since(now)
            .filter(|left| !left.is_zero())
    }

    pub fn failed(&self, key: K, now: Instant) {
        let mut failures = self.lock();
        if failures.len() >= MOST_KEYS && !failures.contains_key(&key) {
            self.forget_oldest(&mut failures, now);
        }
        let entry = failures.entry(key).or_insert(Failures {
            count: 0,
            last: now,
        });
        if now.duration_since(entry.last) >= self.rule.forget_after {
            entry.count = 0;
        }
        entry.count = entry.count.saturating_add(1);
        entry.last = now;
    }

    pub fn succeeded(&self, key: &K) {
        self.lock().remove(key);
    }

    fn forget_oldest(&self, failures: &mut HashMap<K, Failures>, now: Instant) {
        failures.retain(|_, entry| now.duration_since(entry.last) < self.rule.forget_after);
        if failures.len() >= MOST_KEYS {
            let oldest = failures
                .iter()
                .min_by_key(|(_, entry)| entry.last)
                .map(|(key, _)| key.clone());
            if let Some(oldest) = oldest {
                failures.remove(&oldest);
            }
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<K, Failures>> {
        self.failures
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// Why an attempt was not even tried.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AttemptRefused {
    /// Too many failures: wait this long.
    TooManyFailures { retry_after: Duration },
    /// Too many password checks are waiting already.
    Busy,
}

/// The server's guard on logins and enrolments.
pub struct AttemptGuard {
    logins_per_account: Backoff<String>,
    logins_per_address: Backoff<IpAddr>,
    enrolments_per_address: Backoff<IpAddr>,
}

impl Default for AttemptGuard {
    fn default() -> Self {
        Self {
            logins_per_account: Backoff::new(PER_ACCOUNT),
            logins_per_address: Backoff::new(PER_ADDRESS),
            enrolments_per_address: Backoff::new(PER_ADDRESS),
        }
    }
}

impl AttemptGuard {
    /// Whether a login of `account` from `address` may be tried now.
    pub fn may_log_in(&self, account: &str, address: IpAddr) -> Result<(), AttemptRefused> {
        let now = Instant::now();
        let waits = [
            self.logins_per_address.wait_for(&address, now),
            self.logins_per_account.wait_for(&account_key(account), now),
        ];
        match waits.into_iter().flatten().max() {
            Some(retry_after) => Err(AttemptRefused::TooManyFailures { retry_after }),
            None => Ok(()),
        }
    }

    pub fn login_failed(&self, account: &str, address: IpAddr) {
        let now = Instant::now();
        self.logins_per_address.failed(address, now);
        self.logins_per_account.failed(account_key(account), now);
    }

    pub fn login_succeeded(&self, account: &str, address: IpAddr) {
        self.logins_per_address.succeeded(&address);
        self.logins_per_account.succeeded(&account_key(account));
    }

    pub fn may_enrol(&self, address: IpAddr) -> Result<(), AttemptRefused> {
        match self
            .enrolments_per_address
            .wait_for(&address, Instant::now())
        {
            Some(retry_after) => Err(AttemptRefused::TooManyFailures { retry_after }),
            None => Ok(()),
        }
    }

    pub fn enrolment_failed(&self, address: IpAddr) {
        self.enrolments_per_address.failed(address, Instant::now());
    }
}

/// Password checks that wait for a turn at most; past it a login is told the server is busy.
pub const HASHING_QUEUE: usize = 32;

/// Turns at password hashing: as many at once as the machine has cores (at most 4), and
/// [`HASHING_QUEUE`] waiting.
pub struct HashingTurns {
    running: Semaphore,
    waiting: Semaphore,
    /// argon2's working memory, one buffer per turn, reused.
    memory: Mutex<Vec<Vec<argon2::Block>>>,
}

impl Default for HashingTurns {
    fn default() -> Self {
        let cores = std::thread::available_parallelism().map_or(2, |cores| cores.get());
        Self {
            running: Semaphore::new(cores.clamp(1, 4)),
            waiting: Semaphore::new(HASHING_QUEUE),
            memory: Mutex::default(),
        }
    }
}

impl HashingTurns {
    /// Runs `check` (a password hash, given a reused working-memory buffer) on a blocking
    /// thread when a turn is free; `Busy` at once when the queue is full.
    pub async fn run<T: Send + 'static>(
        &self,
        check: impl FnOnce(&mut Vec<argon2::Block>) -> T + Send + 'static,
    ) -> Result<T, AttemptRefused> {
        let _in_queue = self
            .waiting
            .try_acquire()
            .map_err(|_| AttemptRefused::Busy)?;
        let _turn = self
            .running
            .acquire()
            .await
            .map_err(|_| AttemptRefused::Busy)?;
        let mut memory = self.lock_memory().pop().unwrap_or_default();
        let (result, memory) = tokio::task::spawn_blocking(move || {
            let result = check(&mut memory);
            (result, memory)
        })
        .await
        .map_err(|_| AttemptRefused::Busy)?;
        self.lock_memory().push(memory);
        Ok(result)
    }

    fn lock_memory(&self) -> std::sync::MutexGuard<'_, Vec<Vec<argon2::Block>>> {
        self.memory
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// The process's turns at password hashing (every login shares them).
pub static PASSWORD_HASHING: std::sync::LazyLock<HashingTurns> =
    std::sync::LazyLock::new(HashingTurns::default);

/// Accounts are found by their trimmed name; so are their failures.
fn account_key(account: &str) -> String {
    account.trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    const RULE: BackoffRule = BackoffRule {
        free: 2,
        first_wait: Duration::from_secs(1),
        longest_wait: Duration::from_secs(8),
        forget_after: Duration::from_secs(100),
    };

    #[test]
    fn failures_past_the_free_ones_wait_longer_each_time_up_to_the_longest() {
        let backoff = Backoff::new(RULE);
        let start = Instant::now();
        backoff.failed("a", start);
        backoff.failed("a", start);
        assert_eq!(backoff.wait_for(&"a", start), Some(Duration::from_secs(1)));
        assert_eq!(backoff.wait_for(&"a", start + Duration::from_secs(1)), None);
        backoff.failed("a", start);
        assert_eq!(backoff.wait_for(&"a", start), Some(Duration::from_secs(2)));
        for _ in 0..10 {
            backoff.failed("a", start);
        }
        assert_eq!(backoff.wait_for(&"a", start), Some(Duration::from_secs(8)));
        assert_eq!(backoff.wait_for(&"b", start), None, "keys are apart");
        assert_eq!(
            backoff.wait_for(&"a", start + Duration::from_secs(100)),
            None
        );
        backoff.succeeded(&"a");
        assert_eq!(backoff.wait_for(&"a", start), None);
    }

    #[tokio::test]
    async fn a_full_hashing_queue_is_busy_at_once() {
        let guard = std::sync::Arc::new(HashingTurns::default());
        let (release, released) = std::sync::mpsc::channel::<()>();
        let released = std::sync::Arc::new(std::sync::Mutex::new(released));
        let mut waiting = Vec::new();
        for _ in 0..HASHING_QUEUE {
            let (guard, released) = (guard.clone(), released.clone());
            waiting.push(tokio::spawn(async move {
                guard
                    .run(move |_| {
                        let _ = released.lock().unwrap().recv();
                    })
                    .await
            }));
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
        assert_eq!(guard.run(|_| ()).await, Err(AttemptRefused::Busy));
        drop(release);
        for task in waiting {
            assert_eq!(task.await.unwrap(), Ok(()));
        }
        assert_eq!(guard.run(|_| 7).await, Ok(7));
    }
}
