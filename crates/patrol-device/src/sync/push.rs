//! The push step: the outbox's unacknowledged records, in seq order, in requests sized to the
//! measured link — one at a time on a slow link, several on a fast one. A small sync is one
//! request that also pulls. A cut request is sent again (the server stores records once), and
//! only what was in flight is sent twice.

use super::client::EncodedBody;
use super::engine::{lock, SyncPhase};
use super::run::SyncRun;
use crate::error::DeviceError;
use crate::store::DeviceStore;
use chrono::Utc;
use futures::stream::{FuturesUnordered, StreamExt};
use patrol_model::sync::{
    PullRequest, SyncRecord, SyncResponse, WireRecord, WireSyncRequest, PROTOCOL_VERSION,
};
use std::collections::VecDeque;
use std::sync::Mutex;

/// Most records read from the store at once (bounds memory for a huge backlog).
const RECORDS_PER_READ: usize = 20_000;
/// JSON bytes per compressed byte assumed before the first batch is compressed: patrol tracks
/// compress only about 1.7:1, so start low and learn.
const FIRST_COMPRESSION_RATIO: f64 = 1.5;
/// A batch that compresses to more than this share of its budget is split before it is sent.
const OVERSIZE: f64 = 1.5;
/// What a compact wire record adds to its entry's JSON (clock, change, the odd id), roughly.
const RECORD_OVERHEAD_BYTES: usize = 48;

/// Pushes every pending record, trying again after cuts while the sync makes progress.
pub(super) async fn push_records(run: &mut SyncRun<'_>) -> Result<(), DeviceError> {
    run.set_phase(SyncPhase::Records);
    let mut queue = RecordQueue::new();
    loop {
        match push_round(run, &mut queue).await {
            Ok(()) => return Ok(()),
            Err(error) => {
                run.failed(error).await?;
                queue.start_over();
            }
        }
    }
}

/// Sends batches until the outbox is empty or a request fails (the others in flight are still
/// awaited and applied, so nothing they carried is sent again).
async fn push_round(run: &mut SyncRun<'_>, queue: &mut RecordQueue) -> Result<(), DeviceError> {
    let (client, token, watch) = (run.client, run.token, run.watch.clone());
    let mut in_flight = FuturesUnordered::new();
    let mut first_failure = None;
    loop {
        while first_failure.is_none()
            && in_flight.len() < run.link.requests_in_flight(run.options.max_in_flight)
        {
            queue.read_more(run.store)?;
            let pull_now = !run.pulled && in_flight.is_empty() && queue.last_batch_fits(run);
            let Some(batch) = queue.next_batch(run, pull_now)? else {
                break;
            };
            run.record_bytes_left = queue.estimated_bytes_left();
            let watch = watch.clone();
            in_flight.push(async move {
                let answer = client.sync(token, batch.body, &watch).await;
                (answer, batch.records, batch.pull)
            });
        }
        let Some((answer, records, pulled)) = in_flight.next().await else {
            break;
        };
        match answer {
            Ok((response, transfer)) => {
                run.answered(transfer);
                run.apply(&response)?;
                note_pull(run, &response, pulled);
                run.progress.records_done =
                    (run.progress.records_done + records).min(run.progress.records_total);
                run.report_progress();
            }
            Err(error) => {
                first_failure.get_or_insert(error);
            }
        }
    }
    match first_failure {
        Some(error) => Err(error),
        None => Ok(()),
    }
}

fn note_pull(run: &mut SyncRun<'_>, response: &SyncResponse, pulled: bool) {
    if pulled {
        run.pulled = true;
        run.more_changes = response.more_changes;
    }
}

/// One request ready to go.
struct Batch {
    body: EncodedBody,
    records: u64,
    pull: bool,
}

/// The records still to send, read from the outbox a page at a time, each with the length of
/// its JSON; and the compression ratio learned from the batches made so far.
struct RecordQueue {
    waiting: VecDeque<(WireRecord, usize)>,
    waiting_json_bytes: usize,
    last_seq: u64,
    everything_read: bool,
    compression_ratio: f64,
}

impl RecordQueue {
    fn new() -> Self {
        RecordQueue {
            waiting: VecDeque::new(),
            waiting_json_bytes: 0,
            last_seq: 0,
            everything_read: false,
            compression_ratio: FIRST_COMPRESSION_RATIO,
        }
    }

    /// After a failure: read the outbox again from its first unacknowledged record.
    fn start_over(&mut self) {
        self.waiting.clear();
        self.waiting_json_bytes = 0;
        self.last_seq = 0;
        self.everything_read = false;
    }

    fn read_more(&mut self, store: &Mutex<DeviceStore>) -> Result<(), DeviceError> {
        if !self.waiting.is_empty() || self.everything_read {
            return Ok(());
        }
        let records = lock(store).pending_records(self.last_seq, RECORDS_PER_READ)?;
        self.everything_read = records.len() < RECORDS_PER_READ;
        if let Some(last) = records.last() {
            self.last_seq = last.seq;
        }
        for record in records {
            self.push_back(record);
        }
        Ok(())
    }

    fn push_back(&mut self, record: SyncRecord) {
        let record = record.into_wire();
        let size = json_len(&record.entry) + RECORD_OVERHEAD_BYTES;
        self.waiting_json_bytes += size;
        self.waiting.push_back((record, size));
    }

    fn estimated_bytes_left(&self) -> u64 {
        (self.waiting_json_bytes as f64 / self.compression_ratio) as u64
    }

    /// True when what is left of the outbox fits in the next request.
    fn last_batch_fits(&self, run: &SyncRun<'_>) -> bool {
        self.everything_read && self.estimated_bytes_left() <= run.link.request_budget() as u64
    }

    /// Takes about `budget` compressed bytes of records off the front and encodes them; a
    /// batch that compresses much worse than expected is split before it is sent.
    fn next_batch(
        &mut self,
        run: &SyncRun<'_>,
        pull_now: bool,
    ) -> Result<Option<Batch>, DeviceError> {
        if self.waiting.is_empty() {
            return Ok(None);
        }
        let budget = run.link.request_budget();
        let json_budget = (budget as f64 * self.compression_ratio) as usize;
        let mut records = Vec::new();
        let mut sizes = Vec::new();
        let mut json_bytes = 0;
        while let Some((_, size)) = self.waiting.front() {
            if !records.is_empty() && json_bytes + size > json_budget {
                break;
            }
            let (record, size) = self.waiting.pop_front().expect("front was there");
            json_bytes += size;
            self.waiting_json_bytes -= size;
            records.push(record);
            sizes.push(size);
        }
        loop {
            let pull = (pull_now && self.waiting.is_empty()).then(|| PullRequest {
                cursor: lock(run.store).pull_cursor().ok().flatten(),
                limit: Some(run.options.pull_limit),
            });
            let count = records.len() as u64;
            let request =
                WireSyncRequest::from_records(PROTOCOL_VERSION, Utc::now(), records, pull.clone());
            let body = EncodedBody::encode(&request)?;
            self.learn_ratio(&body);
            records = request.records;
            if records.len() > 1 && body.bytes.len() as f64 > budget as f64 * OVERSIZE {
                // Put the second half back and try the first half alone.
                restore_seqs(&mut records);
                let half = records.len() / 2;
                let back = records
                    .split_off(half)
                    .into_iter()
                    .zip(sizes.split_off(half));
                for (record, size) in back.rev() {
                    self.waiting_json_bytes += size;
                    self.waiting.push_front((record, size));
                }
                continue;
            }
            return Ok(Some(Batch {
                body,
                records: count,
                pull: pull.is_some(),
            }));
        }
    }

    fn learn_ratio(&mut self, body: &EncodedBody) {
        if body.bytes.len() >= 1024 {
            let ratio = body.json_len as f64 / body.bytes.len() as f64;
            self.compression_ratio = 0.5 * self.compression_ratio + 0.5 * ratio.clamp(1.0, 30.0);
        }
    }
}

/// Writes out every `seq` that the request's compact form left out.
fn restore_seqs(records: &mut [WireRecord]) {
    let mut previous: Option<u64> = None;
    for record in records {
        if record.seq.is_none() {
            record.seq = previous.map(|seq| seq + 1);
        }
        previous = record.seq;
    }
}

/// The length of `value` as JSON, without keeping the text.
fn json_len(value: &serde_json::Value) -> usize {
    struct Counter(usize);
    impl std::io::Write for Counter {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.0 += bytes.len();
            Ok(bytes.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut counter = Counter(0);
    match serde_json::to_writer(&mut counter, value) {
        Ok(()) => counter.0,
        Err(_) => 512,
    }
}
