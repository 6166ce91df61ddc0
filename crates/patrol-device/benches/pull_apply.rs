//! Applying the post's changes pulled from the server (`DeviceStore::apply_sync_response`), the
//! goal of issue 10 [≤ 50 µs per entry]:
//!
//! - `apply_pulled_10k/fresh_pull`: a second device of the post pulls 10,000 entries it has never
//!   seen, in pages of 500 (the sync's pull limit), one answer per transaction, fsync included.
//! - `apply_pulled_10k/re_pull`: the same pages again into the store that holds them (a pull
//!   repeated after a cut): every entry is compared and skipped.
//! - `apply_pulled_10k/reviewed_pull`: the county reviewed every entry: each is a new version.
//! - `apply_pulled_10k/sqlite_floor`: what SQLite needs to insert the same rows (`entries` with
//!   its derived columns, indexes and search trigger, and `entry_versions`) with no logic at
//!   all, in the same pages and transactions: the floor the fresh pull is compared with.
//!
//! The entries are the generated log of `device_store` (patrols, hazards, repairs with Chinese
//! text), recorded on a first device and sent as the server sends them (with the post).
//! Run with `cargo bench -p patrol-device --bench pull_apply`; it prints µs per entry and the
//! time on a CPU for each case. Under `cargo test --all-targets` every case runs once on 300.

use chrono::{TimeZone, Utc};
use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use patrol_device::DeviceStore;
use patrol_model::sync::{PulledChange, SyncResponse};
use patrol_model::{Entry, PostId, Review, ReviewDecision};
use rusqlite::Connection;
use std::path::Path;
use std::time::{Duration, Instant};

mod common;

use common::*;

/// Entries per answer: the sync's default pull limit.
const PAGE: usize = 500;

fn pulled_entries() -> usize {
    if measuring() {
        10_000
    } else {
        300
    }
}

/// The entries of the post as the server sends them: recorded on another device, with the post.
fn server_entries(total: usize) -> Vec<Entry> {
    let directory = tempfile::tempdir().unwrap();
    let mut store = DeviceStore::open(directory.path()).unwrap();
    store
        .set_setting(patrol_device::CURRENT_MEMBER_SETTING, "王明")
        .unwrap();
    let post_id = PostId::new_v7();
    let mut generator = LogGenerator::new(0x5eed_0010, total);
    let mut entries = Vec::with_capacity(total);
    while generator.remaining() > 0 {
        let recorded = store.record_entries(generator.batch(FILL_BATCH)).unwrap();
        generator.remember(&recorded);
        entries.extend(recorded.into_iter().map(|entry| Entry {
            post_id: Some(post_id),
            ..entry
        }));
    }
    entries
}

/// The county's review of `entry`, as a new version of it.
fn reviewed(entry: &Entry, comment: &str) -> Entry {
    Entry {
        revision: entry.revision + 1,
        review: Some(Review {
            decision: ReviewDecision::Approved,
            comment: comment.to_string(),
            reviewer: "张科长".into(),
            decided_at: Utc.with_ymd_and_hms(2025, 1, 6, 2, 0, 0).unwrap(),
        }),
        ..entry.clone()
    }
}

/// The server's answers carrying `entries`, a page each, cursors counting on from `first_cursor`.
fn answers(entries: &[Entry], first_cursor: usize) -> Vec<SyncResponse> {
    entries
        .chunks(PAGE)
        .enumerate()
        .map(|(page, chunk)| {
            let changes: Vec<PulledChange> = chunk
                .iter()
                .enumerate()
                .map(|(index, entry)| PulledChange {
                    cursor: (first_cursor + page * PAGE + index + 1).to_string(),
                    entry: serde_json::to_value(entry).unwrap(),
                })
                .collect();
            SyncResponse {
                protocol: 1,
                acknowledged_through: 0,
                rejected: Vec::new(),
                missing: Vec::new(),
                next_cursor: changes.last().map(|change| change.cursor.clone()),
                more_changes: (page + 1) * PAGE < entries.len(),
                changes,
                server_time: Utc::now(),
                clock_offset_ms: 0,
                clock_flagged: false,
                pin_resets: Vec::new(),
            }
        })
        .collect()
}

/// Applies every answer; returns how many entries became new versions.
fn apply_all(store: &mut DeviceStore, answers: &[SyncResponse]) -> u64 {
    answers
        .iter()
        .map(|answer| store.apply_sync_response(answer).unwrap().pulled)
        .sum()
}

/// The rows a pull wrote, read back to be inserted again with no logic.
struct StoredRows {
    entries: Vec<Vec<rusqlite::types::Value>>,
    versions: Vec<Vec<rusqlite::types::Value>>,
}

const ENTRY_COLUMNS: &str = "id, kind, category, status, occurred_at_ms, occurred_offset_min,
    local_date, ended_at_ms, lat, lon, quantity, unit, closes_hazard, author, search_text,
    revision, created_at_ms, updated_at_ms, deleted, document";
const VERSION_COLUMNS: &str = "entry_id, revision, change, changed_at_ms, document, source";

fn read_rows(database: &Path) -> StoredRows {
    let connection =
        patrol_device::store::at_rest::open_raw_store(database.parent().unwrap()).unwrap();
    let read = |sql: &str, columns: usize| -> Vec<Vec<rusqlite::types::Value>> {
        let mut statement = connection.prepare(sql).unwrap();
        statement
            .query_map([], |row| {
                (0..columns).map(|column| row.get(column)).collect()
            })
            .unwrap()
            .map(Result::unwrap)
            .collect()
    };
    StoredRows {
        entries: read(
            &format!("SELECT {ENTRY_COLUMNS} FROM entries ORDER BY entry_rowid"),
            20,
        ),
        versions: read(
            "SELECT v.entry_id, v.revision, v.change, v.changed_at_ms, v.document, v.source
             FROM entry_versions v JOIN entries e ON e.id = v.entry_id
             ORDER BY e.entry_rowid, v.revision",
            6,
        ),
    }
}

/// A connection to the empty store at `database`, set up as the store's own (WAL,
/// `synchronous=FULL`, foreign keys checked).
fn floor_connection(database: &Path) -> Connection {
    let connection =
        patrol_device::store::at_rest::open_raw_store(database.parent().unwrap()).unwrap();
    connection
        .execute_batch(
            "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;
             PRAGMA temp_store = MEMORY;",
        )
        .unwrap();
    connection
}

/// Inserts `rows`, a page per transaction, with statements prepared once.
fn insert_rows(connection: &mut Connection, rows: &StoredRows) {
    let entry_sql = format!(
        "INSERT INTO entries ({ENTRY_COLUMNS}) VALUES ({})",
        placeholders(20)
    );
    let version_sql = format!(
        "INSERT INTO entry_versions ({VERSION_COLUMNS}) VALUES ({})",
        placeholders(6)
    );
    for (entries, versions) in rows.entries.chunks(PAGE).zip(rows.versions.chunks(PAGE)) {
        let transaction = connection.transaction().unwrap();
        {
            let mut insert_entry = transaction.prepare_cached(&entry_sql).unwrap();
            let mut insert_version = transaction.prepare_cached(&version_sql).unwrap();
            for (entry, version) in entries.iter().zip(versions) {
                insert_entry
                    .execute(rusqlite::params_from_iter(entry))
                    .unwrap();
                insert_version
                    .execute(rusqlite::params_from_iter(version))
                    .unwrap();
            }
        }
        transaction.commit().unwrap();
    }
}

fn placeholders(count: usize) -> String {
    (1..=count)
        .map(|index| format!("?{index}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Runs `call` once and prints its time per entry: wall, on a CPU, and waiting for a CPU.
fn per_entry<T>(name: &str, entries: usize, call: impl FnOnce() -> T) -> T {
    let before = ThreadTimes::now();
    let started = Instant::now();
    let result = call();
    let wall = started.elapsed();
    let spent = ThreadTimes::now().since(before);
    let micros = |time: Duration| time.as_secs_f64() * 1e6 / entries as f64;
    eprintln!(
        "{name}: {entries} entries in {wall:.2?}: {:.1} µs per entry (on a CPU {:.1} µs, \
         waiting for a CPU {:.1} µs)",
        micros(wall),
        micros(spent.on_cpu),
        micros(spent.waiting),
    );
    result
}

fn apply_pulled(c: &mut Criterion) {
    let total = pulled_entries();
    let entries = server_entries(total);
    let fresh = answers(&entries, 0);
    let reviews: [Vec<SyncResponse>; 2] = ["核实无误", "已归档"].map(|comment| {
        let reviewed: Vec<Entry> = entries
            .iter()
            .map(|entry| reviewed(entry, comment))
            .collect();
        answers(&reviewed, total)
    });

    // One pass of each case, timed on its own, with the checks that it did what it says.
    let directory = directory_on_disk();
    let mut store = DeviceStore::open(&directory.path().join("pulled")).unwrap();
    let pulled = per_entry("fresh_pull", total, || apply_all(&mut store, &fresh));
    assert_eq!(pulled, total as u64, "every entry is new");
    let pulled = per_entry("re_pull", total, || apply_all(&mut store, &fresh));
    assert_eq!(pulled, 0, "nothing is new the second time");
    let pulled = per_entry("reviewed_pull", total, || {
        apply_all(&mut store, &reviews[0])
    });
    assert_eq!(pulled, total as u64, "every review is a new version");
    let rows = {
        let mut first = DeviceStore::open(&directory.path().join("first")).unwrap();
        apply_all(&mut first, &fresh);
        read_rows(&first.database_path())
    };
    let database = DeviceStore::open(&directory.path().join("floor"))
        .unwrap()
        .database_path();
    let mut connection = floor_connection(&database);
    per_entry("sqlite_floor", total, || {
        insert_rows(&mut connection, &rows)
    });
    drop(connection);

    let mut group = c.benchmark_group("apply_pulled_10k");
    group
        .sample_size(10)
        .warm_up_time(Duration::from_millis(100))
        .measurement_time(Duration::from_secs(if measuring() { 60 } else { 1 }))
        .throughput(Throughput::Elements(total as u64));
    let mut stores = 0;
    let mut new_store = |name: &str| {
        stores += 1;
        DeviceStore::open(&directory.path().join(format!("{name}-{stores}"))).unwrap()
    };
    group.bench_function("fresh_pull", |b| {
        b.iter_batched(
            || new_store("fresh"),
            // The store is returned so that closing it (a checkpoint) is not timed.
            |mut store| (apply_all(&mut store, &fresh), store),
            BatchSize::PerIteration,
        )
    });
    group.bench_function("re_pull", |b| b.iter(|| apply_all(&mut store, &fresh)));
    let mut round = 0;
    group.bench_function("reviewed_pull", |b| {
        b.iter(|| {
            // Alternating two reviews: each pass is a new version of every entry.
            round += 1;
            apply_all(&mut store, &reviews[round % 2])
        })
    });
    group.bench_function("sqlite_floor", |b| {
        b.iter_batched(
            || floor_connection(&new_store("floor").database_path()),
            |mut connection| {
                insert_rows(&mut connection, &rows);
                connection
            },
            BatchSize::PerIteration,
        )
    });
    group.finish();
}

criterion_group!(benches, apply_pulled);
criterion_main!(benches);
