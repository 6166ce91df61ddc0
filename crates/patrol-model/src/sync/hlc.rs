//! Hybrid logical clocks: a wall time that never goes backwards on one device, a counter for
//! events in the same millisecond, and the device id to break ties. Ordered as (wall, counter,
//! device); written `0001732853400123-00000-<device uuid>` so text order is clock order.
//!
//! A clock is sane when its wall time is from 0 (1970) to the server's time plus
//! [`MAX_CLOCK_AHEAD_MS`]; the server refuses records with any other clock. The text form holds
//! wall times from 0 to [`MAX_WALL_MS`] and clamps anything outside, so every clock written
//! can be read back.

use crate::ids::DeviceId;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// How far ahead of the server's time a record's clock may be (a day: time zones and a phone
/// set by hand are well inside it). Beyond it the server refuses the record, and a device's
/// next local change no longer follows a clock that far ahead ([`Hlc::tick`]).
pub const MAX_CLOCK_AHEAD_MS: i64 = 24 * 60 * 60 * 1000;

/// The largest wall time the text form holds (16 digits, year 318857): text order stays
/// clock order up to it.
pub const MAX_WALL_MS: i64 = 9_999_999_999_999_999;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Hlc {
    pub wall_ms: i64,
    pub counter: u32,
    pub device: DeviceId,
}

impl Hlc {
    /// The clock of a new local event: after `last`, and at least `now_ms` (the device's clock
    /// corrected by its last measured offset from the server). A `last` more than
    /// [`MAX_CLOCK_AHEAD_MS`] ahead of `now_ms` came from a clock that was wrong (the server
    /// refused it): the new event starts again from `now_ms` instead of following it forever.
    pub fn tick(last: Option<Hlc>, now_ms: i64, device: DeviceId) -> Hlc {
        let now_ms = now_ms.clamp(0, MAX_WALL_MS);
        match last {
            Some(last)
                if last.wall_ms >= now_ms
                    && last.wall_ms - now_ms <= MAX_CLOCK_AHEAD_MS
                    && last.wall_ms <= MAX_WALL_MS =>
            {
                Hlc {
                    wall_ms: last.wall_ms,
                    counter: last.counter.saturating_add(1),
                    device,
                }
            }
            _ => Hlc {
                wall_ms: now_ms,
                counter: 0,
                device,
            },
        }
    }

    /// Whether a server at `server_now_ms` takes this clock: not before 1970, and not more
    /// than [`MAX_CLOCK_AHEAD_MS`] ahead of it.
    pub fn is_sane_at(&self, server_now_ms: i64) -> bool {
        self.wall_ms >= 0
            && self.wall_ms <= MAX_WALL_MS
            && self.wall_ms <= server_now_ms.saturating_add(MAX_CLOCK_AHEAD_MS)
    }

    /// The local clock after seeing a remote clock: later than both.
    pub fn observe(last: Option<Hlc>, remote: Hlc, now_ms: i64, device: DeviceId) -> Hlc {
        let floor = match last {
            Some(last) if last > remote => last,
            _ => remote,
        };
        Hlc::tick(Some(floor), now_ms, device)
    }
}

impl fmt::Display for Hlc {
    /// The wall time is clamped to 0..=[`MAX_WALL_MS`], so the text always parses back (the
    /// server never stores a clock outside that range: it refuses the record first).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:016}-{:05}-{}",
            self.wall_ms.clamp(0, MAX_WALL_MS),
            self.counter,
            self.device
        )
    }
}

impl FromStr for Hlc {
    type Err = String;
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let bad = || format!("not a hybrid logical clock: {text:?}");
        let mut parts = text.splitn(3, '-');
        let wall_ms = parts
            .next()
            .filter(|p| p.bytes().all(|b| b.is_ascii_digit()))
            .and_then(|p| p.parse::<i64>().ok())
            .ok_or_else(bad)?;
        let counter = parts.next().and_then(|p| p.parse().ok()).ok_or_else(bad)?;
        let device = parts.next().and_then(|p| p.parse().ok()).ok_or_else(bad)?;
        Ok(Hlc {
            wall_ms,
            counter,
            device,
        })
    }
}

impl TryFrom<String> for Hlc {
    type Error = String;
    fn try_from(text: String) -> Result<Self, Self::Error> {
        text.parse()
    }
}

impl From<Hlc> for String {
    fn from(hlc: Hlc) -> Self {
        hlc.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_never_go_backwards_even_when_the_clock_does() {
        let device = DeviceId::new_v7();
        let first = Hlc::tick(None, 1_000, device);
        let second = Hlc::tick(Some(first), 900, device);
        assert!(second > first);
        assert_eq!((second.wall_ms, second.counter), (1_000, 1));
        let third = Hlc::tick(Some(second), 2_000, device);
        assert_eq!((third.wall_ms, third.counter), (2_000, 0));
    }

    #[test]
    fn observing_a_remote_clock_moves_past_it() {
        let (a, b) = (DeviceId::new_v7(), DeviceId::new_v7());
        let remote = Hlc::tick(None, 5_000, b);
        let local = Hlc::observe(Some(Hlc::tick(None, 1_000, a)), remote, 1_001, a);
        assert!(local > remote);
    }

    #[test]
    fn text_order_is_clock_order() {
        let device: DeviceId = "0190f2c4-6a1e-7cc0-9a3b-5f0d2c1e4b7a".parse().unwrap();
        let small = Hlc {
            wall_ms: 99,
            counter: 7,
            device,
        };
        let large = Hlc {
            wall_ms: 1_732_853_400_123,
            counter: 0,
            device,
        };
        assert!(small.to_string() < large.to_string());
        assert_eq!(large.to_string().parse::<Hlc>().unwrap(), large);
        assert!("12-x".parse::<Hlc>().is_err());
        assert!(format!("-5-00000-{device}").parse::<Hlc>().is_err());
    }

    #[test]
    fn every_clock_is_written_in_a_form_that_reads_back() {
        let device: DeviceId = "0190f2c4-6a1e-7cc0-9a3b-5f0d2c1e4b7a".parse().unwrap();
        let at = |wall_ms| Hlc {
            wall_ms,
            counter: 3,
            device,
        };
        for wall_ms in [0, 1, 1_732_853_400_123, MAX_WALL_MS] {
            let text = at(wall_ms).to_string();
            assert_eq!(text.parse::<Hlc>().unwrap(), at(wall_ms), "{text}");
        }
        // Out of range (the server refuses such records before writing them): clamped, and
        // still readable and in order.
        for (wall_ms, written) in [(-5, 0), (i64::MIN, 0), (i64::MAX, MAX_WALL_MS)] {
            let text = at(wall_ms).to_string();
            assert_eq!(text.parse::<Hlc>().unwrap(), at(written), "{text}");
        }
        assert!(at(-5).to_string() < at(1).to_string());
        let json = serde_json::to_string(&at(-5)).unwrap();
        assert_eq!(serde_json::from_str::<Hlc>(&json).unwrap(), at(0));
    }

    #[test]
    fn a_clock_is_sane_from_1970_to_a_day_ahead_of_the_server() {
        let device = DeviceId::new_v7();
        let now = 1_732_853_400_123;
        let at = |wall_ms| Hlc {
            wall_ms,
            counter: 0,
            device,
        };
        assert!(at(0).is_sane_at(now) && at(now + MAX_CLOCK_AHEAD_MS).is_sane_at(now));
        assert!(!at(-5).is_sane_at(now));
        assert!(!at(now + MAX_CLOCK_AHEAD_MS + 1).is_sane_at(now));
        assert!(!at(i64::MAX).is_sane_at(i64::MAX));
    }

    #[test]
    fn a_clock_far_ahead_is_not_followed_once_the_device_is_corrected() {
        let device = DeviceId::new_v7();
        let now = 1_732_853_400_123;
        let fifty_years = 50 * 365 * 24 * 60 * 60 * 1000_i64;
        // Made while the phone was 50 years fast (the server refused it)...
        let wrong = Hlc::tick(None, now + fifty_years, device);
        // ...the next change, with the server's offset applied, has a sane clock.
        let next = Hlc::tick(Some(wrong), now, device);
        assert_eq!((next.wall_ms, next.counter), (now, 0));
        // A clock a little ahead (within the tolerance) is still never gone back on.
        let ahead = Hlc::tick(None, now + 60_000, device);
        assert!(Hlc::tick(Some(ahead), now, device) > ahead);
        assert_eq!(Hlc::tick(None, -5, device).wall_ms, 0);
    }
}
