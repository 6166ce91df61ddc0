//! Hybrid logical clocks: a wall time that never goes backwards on one device, a counter for
//! events in the same millisecond, and the device id to break ties. Ordered as (wall, counter,
//! device); written `0001732853400123-00000-<device uuid>` so text order is clock order.

use crate::ids::DeviceId;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Hlc {
    pub wall_ms: i64,
    pub counter: u32,
    pub device: DeviceId,
}

impl Hlc {
    /// The clock of a new local event: after `last`, and at least `now_ms` (the device's clock
    /// corrected by its last measured offset from the server).
    pub fn tick(last: Option<Hlc>, now_ms: i64, device: DeviceId) -> Hlc {
        match last {
            Some(last) if last.wall_ms >= now_ms => Hlc {
                wall_ms: last.wall_ms,
                counter: last.counter.saturating_add(1),
                device,
            },
            _ => Hlc {
                wall_ms: now_ms.max(0),
                counter: 0,
                device,
            },
        }
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
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:016}-{:05}-{}",
            self.wall_ms, self.counter, self.device
        )
    }
}

impl FromStr for Hlc {
    type Err = String;
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let bad = || format!("not a hybrid logical clock: {text:?}");
        let mut parts = text.splitn(3, '-');
        let wall_ms = parts.next().and_then(|p| p.parse().ok()).ok_or_else(bad)?;
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
    }
}
