//! The store at rest (issue 11): what encryption costs.
//!
//! - `at_rest_record_entry/{encrypted,plain}_into_10k`: one hazard and its outbox row, in its
//!   own transaction, fsync included, into a store of ~10,000 entries, on the SQLCipher store
//!   and on a plain one made the way every store was before [goal: encrypted within 20 % of
//!   plain's median].
//! - `at_rest_open/{encrypted,plain}_10k`: `DeviceStore::open` of that store, closed before
//!   (key file read, raw key so no key derivation, schema check, migrations up to date).
//!
//! Run with `cargo bench -p patrol-device --bench store_at_rest`. Stores are real files on a
//! real disk (see `benches/common`); under `cargo test --all-targets` each runs once on a small
//! store.

use criterion::{criterion_group, criterion_main, BatchSize, Criterion};
use patrol_device::DeviceStore;
use patrol_model::{parse_entry_draft, EntryDraft};
use serde_json::json;
use std::path::Path;
use std::time::{Duration, Instant};

mod common;

use common::*;

fn store_size() -> usize {
    if measuring() {
        10_000
    } else {
        300
    }
}

fn new_hazard(rng: &mut Rng) -> EntryDraft {
    let json = json!({
        "kind": "hazard",
        "occurred_at": format!("2024-12-31T{:02}:{:02}:00+08:00", rng.between(7, 18), rng.between(0, 59)),
        "location": {"lat": 23.4251, "lon": 105.8312, "accuracy_m": 8},
        "body": {
            "category": "fence",
            "severity": "high",
            "description": format!("{}号界碑附近,铁网被洪水冲毁约30米", rng.between(101, 158)),
        },
    });
    parse_entry_draft(&json.to_string(), None).unwrap()
}

/// `total` generated entries recorded into `store`.
fn fill(store: &mut DeviceStore, seed: u64, total: usize) {
    store
        .set_setting(patrol_device::CURRENT_MEMBER_SETTING, "李国华")
        .unwrap();
    let mut generator = LogGenerator::new(seed, total);
    let started = Instant::now();
    while generator.remaining() > 0 {
        let entries = store.record_entries(generator.batch(500)).unwrap();
        generator.remember(&entries);
    }
    eprintln!(
        "filled a store with {total} entries in {:.1} s: {:.0} MiB",
        started.elapsed().as_secs_f64(),
        store_file_mib(store)
    );
}

type Opener = fn(&Path) -> Result<DeviceStore, patrol_device::DeviceError>;

const STORES: [(&str, Opener); 2] = [
    ("encrypted", DeviceStore::open),
    ("plain", DeviceStore::open_plain_for_benchmarks),
];

fn record_and_open(c: &mut Criterion) {
    let size = store_size();
    let directories: Vec<_> = STORES
        .iter()
        .map(|(name, open)| {
            let directory = directory_on_disk();
            let mut store = open(directory.path()).unwrap();
            fill(&mut store, 0x5eed_0001, size);
            let header = std::fs::read(store.database_path()).unwrap();
            assert_eq!(
                header.starts_with(b"SQLite format 3\0"),
                *name == "plain",
                "{name} store"
            );
            (name, open, directory, store)
        })
        .collect();
    eprintln!(
        "stores on {} ({})",
        directories[0].2.path().display(),
        filesystem_of(directories[0].2.path())
    );

    let mut group = c.benchmark_group("at_rest_record_entry");
    group
        .sample_size(40)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(6));
    let mut directories = directories;
    for (name, _, _, store) in directories.iter_mut() {
        let mut rng = Rng::new(0x5eed_0002);
        group.bench_function(format!("{name}_into_10k"), |b| {
            b.iter_batched(
                || new_hazard(&mut rng),
                |draft| store.record_entry(draft, Vec::new()).unwrap(),
                BatchSize::SmallInput,
            )
        });
    }
    group.finish();

    let mut group = c.benchmark_group("at_rest_open");
    group
        .sample_size(30)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(5));
    for (name, open, directory, store) in directories {
        drop(store);
        group.bench_function(format!("{name}_10k"), |b| {
            b.iter(|| drop(open(directory.path()).unwrap()))
        });
    }
    group.finish();
}

criterion_group!(benches, record_and_open);
criterion_main!(benches);
