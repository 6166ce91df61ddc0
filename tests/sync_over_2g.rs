//! The field link: two weeks of a post (patrols with real-length tracks, hazards, repairs, two
//! camera photos) synced over the emulated border 2G — 64 kbit/s each way, 300 ms round trip,
//! every connection cut every 20 s for 2 s, for as long as the test runs. The county server
//! ends with exactly the device's entries, once each, and the photos as the device sent them;
//! nothing is left pending; and the bytes the device put on the link are at most 1.25× what the
//! same data costs on a clean link.

mod support;

use patrol_device::sync::SyncOptions;
use std::time::Instant;
use support::fault_proxy::{FaultProxy, LinkProfile};
use support::*;
use sync_bench::field_log::{record_field_log, FieldLogPlan, RecordedLog};

/// Syncs until nothing is pending; returns the syncs it took.
async fn sync_until_done(device: &Device, limit: usize) -> usize {
    let options = SyncOptions::default();
    for run in 1..=limit {
        match device.sync_with(&options).await {
            Ok(_) if device.pending() == 0 => {
                let status = device.store.lock().unwrap().sync_status().unwrap();
                if status.pending_photo_bytes == 0 {
                    return run;
                }
            }
            Ok(report) => println!("sync {run} ended with work left: {report:?}"),
            Err(error) => println!("sync {run} failed: {error}"),
        }
    }
    panic!("{limit} syncs did not deliver the log");
}

/// A device of a fresh post on a fresh server with the plan recorded on it.
async fn recorded_device(server: &CountyServer) -> (Device, RecordedLog) {
    let post = server.add_post("田蓬联防所");
    let device = Device::new("李国华的手机");
    device.enroll(server, &post).await;
    let camera = tempfile::tempdir().unwrap();
    let log = record_field_log(
        &mut device.store.lock().unwrap(),
        &FieldLogPlan::TWO_WEEKS,
        camera.path(),
    )
    .unwrap();
    (device, log)
}

fn server_photo(server: &CountyServer, sha256: &str, variant: &str) -> Option<Vec<u8>> {
    let folder = server.directory.path().join("data/photos");
    walk_files(&folder)
        .into_iter()
        .find(|path| {
            path.file_name().and_then(|name| name.to_str()) == Some(&format!("{sha256}.{variant}"))
        })
        .map(|path| std::fs::read(path).unwrap())
}

fn walk_files(folder: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    for item in std::fs::read_dir(folder).into_iter().flatten().flatten() {
        let path = item.path();
        if path.is_dir() {
            files.extend(walk_files(&path));
        } else {
            files.push(path);
        }
    }
    files
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_weeks_of_a_post_arrive_once_over_a_2g_link_that_keeps_cutting() {
    // The same log over a clean link: what the data costs.
    let clean_server = CountyServer::start();
    let (clean_device, _) = recorded_device(&clean_server).await;
    let clean = FaultProxy::start(clean_server.address(), 1).await;
    clean_device.use_server_url(&clean.url());
    sync_until_done(&clean_device, 1).await;
    let clean_bytes = clean.totals().bytes_up;

    let server = CountyServer::start();
    let (device, log) = recorded_device(&server).await;
    let link = FaultProxy::start(server.address(), 2).await;
    link.set_link(LinkProfile::EDGE_2G_CUTTING);
    device.use_server_url(&link.url());
    let started = Instant::now();
    let syncs = sync_until_done(&device, 20).await;
    let elapsed = started.elapsed();
    let totals = link.totals();
    println!(
        "2G: {syncs} sync(s), {:.0} s, {} B up ({} B on a clean link, {:.3}×), {} B down, \
         {} cuts cutting {} connections; floor {:.0} s",
        elapsed.as_secs_f64(),
        totals.bytes_up,
        clean_bytes,
        totals.bytes_up as f64 / clean_bytes as f64,
        totals.bytes_down,
        totals.cuts,
        totals.connections_cut,
        clean_bytes as f64 / 8_000.0
    );

    // The link really cut the sync, more than once.
    assert!(
        totals.cuts >= 2,
        "only {} cuts: the test proves nothing",
        totals.cuts
    );
    assert!(totals.connections_cut >= 1, "no cut landed on a connection");

    // Exactly the device's entries, once each.
    let exported = assert_exactly_once(&server, &log.entry_ids);
    let patrols_with_tracks = exported
        .iter()
        .filter(|entry| entry["kind"] == "patrol" && entry["body"]["track"].is_string())
        .count();
    assert_eq!(patrols_with_tracks, FieldLogPlan::TWO_WEEKS.patrols);

    // The photos as the device sent them, byte for byte, and their thumbnails.
    assert_eq!(log.photos.len(), 2);
    for sha256 in &log.photos {
        let sent = device
            .store
            .lock()
            .unwrap()
            .send_version_bytes(sha256)
            .unwrap();
        let arrived = server_photo(&server, sha256.as_str(), "original")
            .unwrap_or_else(|| panic!("photo {sha256} did not arrive"));
        assert_eq!(
            arrived.len(),
            sent.len(),
            "photo {sha256} arrived at another size"
        );
        assert!(arrived == sent, "photo {sha256} arrived damaged");
        assert!(server_photo(&server, sha256.as_str(), "thumbnail").is_some());
    }

    // Nothing pending, nothing rejected.
    let status = device.store.lock().unwrap().sync_status().unwrap();
    assert_eq!(status.pending_records, 0);
    assert_eq!(status.pending_photo_bytes, 0);
    assert!(
        status.rejected.is_empty(),
        "rejected: {:?}",
        status.rejected
    );

    // What the cuts cost: at most a quarter more than the clean link.
    assert!(
        totals.bytes_up as f64 <= 1.25 * clean_bytes as f64,
        "{} B put on the 2G link for {} B of data",
        totals.bytes_up,
        clean_bytes
    );
}
