//! Whether the link is good enough for the basemap, and how big each chunk is. The map is the
//! least urgent thing the device fetches: it goes on only while the link carries at least
//! [`MIN_BASEMAP_LINK_BYTES_PER_SECOND`] (as the sync measured it, or as the chunks so far
//! did), and only while no record or photo waits to be sent. Chunks are sized by the sync's own
//! [`LinkEstimate`] — the photo upload's rule, the rate measured times a chunk time of about
//! 12 s — between 16 KiB and 1 MiB: a cut loses only what was in flight (the part keeps what
//! came), and each chunk fewer saves a round trip.

use super::download::BasemapDownloadOptions;
use crate::sync::LinkEstimate;
use std::time::Duration;

/// Below this rate (bytes per second) the basemap waits for a better link: about 2 KB/s, at
/// which a 3 MB map would hold the radio for half an hour.
pub const MIN_BASEMAP_LINK_BYTES_PER_SECOND: u64 = 2_000;

/// What the download has measured of the link, and the rules it follows from it.
#[derive(Debug, Clone)]
pub(super) struct BasemapLink {
    estimate: LinkEstimate,
    chunk_time: Duration,
    min_chunk_bytes: usize,
    max_chunk_bytes: usize,
    min_bytes_per_second: u64,
}

impl BasemapLink {
    pub fn new(options: &BasemapDownloadOptions) -> BasemapLink {
        let max_chunk_bytes = options.max_chunk_bytes.max(options.min_chunk_bytes);
        BasemapLink {
            // Before the link is measured the estimate answers two budgets: the first chunk is
            // the smallest one.
            estimate: LinkEstimate::new(
                options.min_chunk_bytes / 2,
                max_chunk_bytes,
                options.chunk_time,
            ),
            chunk_time: options.chunk_time,
            min_chunk_bytes: options.min_chunk_bytes,
            max_chunk_bytes,
            min_bytes_per_second: options.min_link_bytes_per_second,
        }
    }

    /// Bytes of the next chunk: about the chunk time of the measured link, within the bounds.
    pub fn next_chunk_bytes(&self) -> u64 {
        self.estimate
            .photo_chunk_bytes(self.chunk_time, self.max_chunk_bytes)
            .clamp(self.min_chunk_bytes, self.max_chunk_bytes) as u64
    }

    /// A request whose answer carried `bytes` (archive bytes) in `elapsed`, headers included.
    /// A tiny one (the version probe) measures the round trip; a chunk, the rate.
    pub fn answered(&mut self, bytes: u64, elapsed: Duration) {
        self.estimate.completed(bytes, elapsed);
    }

    /// A chunk that was cut: the next one is not smaller (the part kept what came).
    pub fn cut(&mut self) {
        self.estimate.failed();
    }

    /// The rate measured so far, bytes per second.
    pub fn measured_bytes_per_second(&self) -> Option<f64> {
        self.estimate.upload_rate()
    }

    /// How long `bytes` more should take.
    pub fn time_for(&self, bytes: u64) -> Option<Duration> {
        self.estimate.time_for(bytes)
    }

    /// Whether a link measured at `bytes_per_second` is too slow to go on with the map.
    pub fn too_slow(&self, bytes_per_second: Option<f64>) -> bool {
        bytes_per_second.is_some_and(|rate| rate < self.min_bytes_per_second as f64)
    }

    /// Whether the chunks so far showed the link too slow.
    pub fn measured_too_slow(&self) -> bool {
        self.too_slow(self.measured_bytes_per_second())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn link() -> BasemapLink {
        BasemapLink::new(&BasemapDownloadOptions::default())
    }

    #[test]
    fn the_first_chunk_is_the_smallest_then_chunks_span_the_chunk_time() {
        let mut link = link();
        assert_eq!(link.next_chunk_bytes(), 16 * 1024);
        // 2G: 8,000 B/s after a 300 ms round trip.
        link.answered(1, Duration::from_millis(320));
        link.answered(
            16 * 1024,
            Duration::from_secs_f64(16.0 * 1024.0 / 8_000.0 + 0.32),
        );
        let bytes = link.next_chunk_bytes();
        assert!((90_000..=100_000).contains(&bytes), "{bytes} B");
        assert!(!link.measured_too_slow());
    }

    #[test]
    fn chunks_stay_within_16_kib_and_1_mib() {
        let mut fast = link();
        fast.answered(16 * 1024, Duration::from_millis(2));
        assert_eq!(fast.next_chunk_bytes(), 1024 * 1024);
        let mut slow = link();
        slow.answered(16 * 1024, Duration::from_secs(60));
        assert_eq!(slow.next_chunk_bytes(), 16 * 1024);
        assert!(slow.measured_too_slow(), "273 B/s is too slow for the map");
    }

    #[test]
    fn a_link_the_sync_measured_under_2_kb_per_second_is_too_slow() {
        let link = link();
        assert!(link.too_slow(Some(1_500.0)));
        assert!(!link.too_slow(Some(8_000.0)));
        assert!(!link.too_slow(None), "an unmeasured link is tried");
    }
}
