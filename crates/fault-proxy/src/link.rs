//! The shape of the emulated link, shared by every connection through one proxy: a rate per
//! direction (one radio link, so connections share it), a fixed one-way delay, outages on a
//! schedule that goes on for as long as the proxy lives, and byte counters.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::watch;
use tokio::time::Instant;

/// Outages on a fixed schedule: every `every`, the link goes dark for `lasting`. At the start of
/// each outage every open connection is cut both ways; a connection opened during one waits,
/// as a phone's retried SYN does, until the link is back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CutSchedule {
    pub every: Duration,
    pub lasting: Duration,
}

/// What the link does to bytes. [`LinkProfile::CLEAN`] does nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LinkProfile {
    /// Client → server, bytes per second; `None` is unlimited.
    pub up_bytes_per_second: Option<u64>,
    /// Server → client, bytes per second; `None` is unlimited.
    pub down_bytes_per_second: Option<u64>,
    /// Added to every byte in each direction (the round trip is twice this).
    pub one_way_delay: Duration,
    pub cuts: Option<CutSchedule>,
}

impl LinkProfile {
    pub const CLEAN: LinkProfile = LinkProfile {
        up_bytes_per_second: None,
        down_bytes_per_second: None,
        one_way_delay: Duration::ZERO,
        cuts: None,
    };

    /// The border post's 2G: 64 kbit/s each way, 300 ms round trip, no cuts.
    pub const EDGE_2G: LinkProfile = LinkProfile {
        up_bytes_per_second: Some(8_000),
        down_bytes_per_second: Some(8_000),
        one_way_delay: Duration::from_millis(150),
        cuts: None,
    };

    /// [`LinkProfile::EDGE_2G`] cut every 20 s for 2 s, for as long as the proxy runs.
    pub const EDGE_2G_CUTTING: LinkProfile = LinkProfile {
        cuts: Some(CutSchedule {
            every: Duration::from_secs(20),
            lasting: Duration::from_secs(2),
        }),
        ..LinkProfile::EDGE_2G
    };

    pub fn is_clean(&self) -> bool {
        *self == LinkProfile::CLEAN
    }
}

/// Bytes and events counted by the proxy since it started.
#[derive(Debug, Default)]
pub struct LinkCounters {
    /// Bytes the clients put on the link (read from them), whether or not they arrived.
    pub bytes_up: AtomicU64,
    /// Bytes the server put on the link towards the clients.
    pub bytes_down: AtomicU64,
    /// Outages so far.
    pub cuts: AtomicU64,
    /// Connections cut by an outage.
    pub connections_cut: AtomicU64,
}

/// A snapshot of [`LinkCounters`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LinkTotals {
    pub bytes_up: u64,
    pub bytes_down: u64,
    pub cuts: u64,
    pub connections_cut: u64,
}

impl LinkCounters {
    pub fn totals(&self) -> LinkTotals {
        LinkTotals {
            bytes_up: self.bytes_up.load(Ordering::Relaxed),
            bytes_down: self.bytes_down.load(Ordering::Relaxed),
            cuts: self.cuts.load(Ordering::Relaxed),
            connections_cut: self.connections_cut.load(Ordering::Relaxed),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Up,
    Down,
}

/// One direction's serialiser: the time the link is next free, shared by every connection.
#[derive(Debug)]
struct Serialiser {
    next_free: Mutex<Instant>,
}

impl Serialiser {
    fn new() -> Self {
        Serialiser {
            next_free: Mutex::new(Instant::now()),
        }
    }

    /// Reserves the link for `bytes` at `rate`; returns when their last byte has left.
    fn reserve(&self, bytes: usize, rate: u64) -> Instant {
        let cost = Duration::from_secs_f64(bytes as f64 / rate.max(1) as f64);
        let mut next_free = self.next_free.lock().unwrap();
        let start = (*next_free).max(Instant::now());
        *next_free = start + cost;
        *next_free
    }
}

/// The link state one proxy's connections share.
#[derive(Debug)]
pub(crate) struct Link {
    profile: Mutex<LinkProfile>,
    up: Serialiser,
    down: Serialiser,
    pub(crate) counters: LinkCounters,
    /// Counts outages; a connection opened in generation `g` dies when it changes.
    generation: watch::Sender<u64>,
    /// True while the link is dark.
    dark: watch::Sender<bool>,
}

impl Link {
    pub(crate) fn new() -> Arc<Link> {
        Arc::new(Link {
            profile: Mutex::new(LinkProfile::CLEAN),
            up: Serialiser::new(),
            down: Serialiser::new(),
            counters: LinkCounters::default(),
            generation: watch::channel(0).0,
            dark: watch::channel(false).0,
        })
    }

    pub(crate) fn profile(&self) -> LinkProfile {
        *self.profile.lock().unwrap()
    }

    /// Sets the profile; a new cut schedule starts counting from now.
    pub(crate) fn set_profile(self: &Arc<Self>, profile: LinkProfile) {
        let previous = std::mem::replace(&mut *self.profile.lock().unwrap(), profile);
        if profile.cuts.is_some() && profile.cuts != previous.cuts {
            let link = Arc::downgrade(self);
            let schedule = profile.cuts;
            tokio::spawn(async move { run_cuts(link, schedule).await });
        }
    }

    pub(crate) fn generation(&self) -> watch::Receiver<u64> {
        self.generation.subscribe()
    }

    /// Waits while the link is dark (a connection opened during an outage).
    pub(crate) async fn wait_until_lit(&self) {
        let mut dark = self.dark.subscribe();
        let _ = dark.wait_for(|dark| !*dark).await;
    }

    /// Counts `bytes` taken from a sender and returns when they arrive at the other end.
    pub(crate) fn carry(&self, direction: Direction, bytes: usize) -> Instant {
        let profile = self.profile();
        let (serialiser, rate, counter) = match direction {
            Direction::Up => (
                &self.up,
                profile.up_bytes_per_second,
                &self.counters.bytes_up,
            ),
            Direction::Down => (
                &self.down,
                profile.down_bytes_per_second,
                &self.counters.bytes_down,
            ),
        };
        counter.fetch_add(bytes as u64, Ordering::Relaxed);
        let sent = match rate {
            Some(rate) => serialiser.reserve(bytes, rate),
            None => Instant::now(),
        };
        sent + profile.one_way_delay
    }

    /// The rate of a direction (for the size of the reads that feed it).
    pub(crate) fn rate(&self, direction: Direction) -> Option<u64> {
        let profile = self.profile();
        match direction {
            Direction::Up => profile.up_bytes_per_second,
            Direction::Down => profile.down_bytes_per_second,
        }
    }
}

/// The outage loop of one schedule; ends when the proxy is gone or the schedule changes.
async fn run_cuts(link: std::sync::Weak<Link>, schedule: Option<CutSchedule>) {
    let Some(schedule) = schedule else { return };
    loop {
        tokio::time::sleep(schedule.every.saturating_sub(schedule.lasting)).await;
        let Some(live) = link.upgrade() else { return };
        if live.profile().cuts != Some(schedule) {
            return;
        }
        live.counters.cuts.fetch_add(1, Ordering::Relaxed);
        live.dark.send_replace(true);
        live.generation.send_modify(|generation| *generation += 1);
        drop(live);
        tokio::time::sleep(schedule.lasting).await;
        let Some(live) = link.upgrade() else { return };
        live.dark.send_replace(false);
    }
}
