//! The county server dies (SIGKILL) in the middle of a large sync and comes back: nothing the
//! device sent is lost or doubled, and the device finishes on its next sync.

mod support;

use patrol_device::sync::SyncOptions;
use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::Duration;
use support::*;

const ENTRIES: usize = 20_000;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_killed_mid_sync_loses_and_doubles_nothing() {
    let mut server = CountyServer::start();
    let post = server.add_post("田蓬联防所");
    let device = Arc::new(Device::new("所长的电脑"));
    device.enroll(&server, &post).await;

    let drafts: Vec<_> = (0..ENTRIES)
        .map(|n| {
            patrol_model::parse_entry_draft(
                &hazard_json(1 + (n % 28) as u32, &format!("第{n}处 塌方")),
                None,
            )
            .unwrap()
        })
        .collect();
    let recorded: BTreeSet<String> = device
        .store
        .lock()
        .unwrap()
        .record_entries(drafts)
        .unwrap()
        .into_iter()
        .map(|entry| entry.id.to_string())
        .collect();
    assert_eq!(device.pending(), ENTRIES as u64);

    // Small batches, so the sync is many requests and the kill lands between and inside them.
    // The sync gives up once the killed server has not answered for 3 s.
    let options = SyncOptions {
        first_request_bytes: 4 * 1024,
        max_request_bytes: 16 * 1024,
        max_in_flight: 2,
        give_up_after: std::time::Duration::from_secs(3),
        ..SyncOptions::default()
    };
    let syncing = {
        let device = device.clone();
        let options = options.clone();
        tokio::spawn(async move { device.sync_with(&options).await })
    };
    let some_acknowledged = {
        let device = device.clone();
        tokio::task::spawn_blocking(move || {
            wait_until(Duration::from_secs(120), || {
                device.pending() < ENTRIES as u64
            })
        })
        .await
        .unwrap()
    };
    assert!(some_acknowledged, "the sync never got going");
    server.kill();
    let outcome = syncing.await.unwrap();
    let left = device.pending();
    assert!(
        outcome.is_err(),
        "the sync cannot succeed with its server killed"
    );
    assert!(left > 0, "the kill came too late to be mid-sync");
    println!("killed with {left} of {ENTRIES} records unacknowledged");

    server.launch();
    device.use_server_url(&server.url);
    device.sync_with(&options).await.unwrap();
    assert_eq!(device.pending(), 0);

    assert_exactly_once(&server, &recorded);
}
