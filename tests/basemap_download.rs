//! The county basemap reaches a device without anyone copying files (docs/maps.md): the real
//! `county-server` builds its archive (`map build`), and the device downloads it with the
//! real client over the repo's link emulator. Over the border 2G with a cut in the middle, the
//! download resumes where it was (the wire carries well under 1.5× the archive) and ends
//! byte-identical to the county's file, and a download stopped by a dead link goes on in the
//! next run from the bytes kept; a map rebuilt between two chunks is noticed by its ETag and
//! the device ends with the new one, never a mix; a download when current costs one tiny
//! request; no basemap on the server is said so and installs nothing; records waiting and a
//! link too slow hold the map back; `patrol map import` installs a good file and refuses a junk
//! or empty one naming the file and the reason, keeping the map there was.

mod support;

use patrol_device::basemap::{
    basemap_status, download_basemap, installed_basemap_path, BasemapDownload,
    BasemapDownloadOptions, BasemapOutcome, BasemapProgress, BasemapSource,
};
use patrol_device::DeviceError;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use support::fault_proxy::{CutSchedule, FaultProxy, LinkProfile};
use support::*;

/// Around the post, as the county's `map build --area` takes it.
const POST_AREA: &str = "105.15,23.25,105.40,23.45";
/// A smaller area: the county's map after a rebuild.
const REBUILT_AREA: &str = "105.15,23.25,105.30,23.40";

/// The county's archive as built: its version and bytes.
struct CountyArchive {
    version: String,
    bytes: Vec<u8>,
}

fn server_data_dir(server: &CountyServer) -> PathBuf {
    server.directory.path().join("data")
}

/// `county-server map build` over `area` into the data dir the running server serves.
fn build_county_map(server: &CountyServer, area: &str) -> CountyArchive {
    let data_dir = server_data_dir(server);
    let built: Value = serde_json::from_str(&server.admin(&[
        "map",
        "build",
        "--data-dir",
        data_dir.to_str().unwrap(),
        "--area",
        area,
    ]))
    .unwrap();
    assert_eq!(built["built"], true, "{built}");
    CountyArchive {
        version: built["version"].as_str().unwrap().to_string(),
        bytes: std::fs::read(data_dir.join("basemap/county.pmtiles")).unwrap(),
    }
}

/// A server with a post and an enrolled device.
async fn enrolled_device(server: &CountyServer) -> Device {
    let post = server.add_post("田蓬联防所");
    let device = Device::new("李国华的手机");
    device.enroll(server, &post).await;
    device
}

async fn download(device: &Device, options: &BasemapDownloadOptions) -> BasemapDownload {
    try_download(device, options).await.unwrap()
}

async fn try_download(
    device: &Device,
    options: &BasemapDownloadOptions,
) -> Result<BasemapDownload, DeviceError> {
    download_basemap(&device.store, None, options, &|_| {}).await
}

fn installed_bytes(device: &Device) -> Vec<u8> {
    std::fs::read(installed_basemap_path(device.path())).unwrap()
}

/// The bytes on the link both ways since `before`.
fn wire_bytes_since(link: &FaultProxy, before: (u64, u64)) -> (u64, u64) {
    let totals = link.totals();
    (totals.bytes_up - before.0, totals.bytes_down - before.1)
}

/// Cuts the link once, as soon as `bytes_down` have crossed it, then lets it be 2G again.
fn cut_once_after(link: Arc<FaultProxy>, bytes_down: u64, dark_for: Duration) {
    tokio::spawn(async move {
        while link.totals().bytes_down < bytes_down {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        link.set_link(LinkProfile {
            cuts: Some(CutSchedule {
                every: dark_for + Duration::from_millis(20),
                lasting: dark_for,
            }),
            ..LinkProfile::EDGE_2G
        });
        while link.totals().cuts == 0 {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        link.set_link(LinkProfile::EDGE_2G);
    });
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn over_2g_a_download_cut_in_the_middle_resumes_and_installs_the_countys_file_byte_for_byte()
{
    let server = CountyServer::start();
    let county = build_county_map(&server, POST_AREA);
    let device = enrolled_device(&server).await;
    let link = Arc::new(FaultProxy::start(server.address(), 7).await);
    link.set_link(LinkProfile::EDGE_2G);
    device.use_server_url(&link.url());
    let archive_bytes = county.bytes.len() as u64;
    cut_once_after(link.clone(), archive_bytes / 2, Duration::from_millis(300));

    let started = Instant::now();
    let progress_seen = Mutex::new(Vec::new());
    let progress = |progress: &BasemapProgress| {
        progress_seen.lock().unwrap().push(progress.bytes_done);
    };
    let outcome = download_basemap(
        &device.store,
        None,
        &BasemapDownloadOptions::default(),
        &progress,
    )
    .await
    .unwrap();
    let elapsed = started.elapsed();
    let totals = link.totals();
    println!(
        "2G download of a {archive_bytes} B archive: {:.1} s, {} B down and {} B up on the wire \
         ({:.2}× the archive), {} requests, {} retried, {} cut(s) cutting {} connection(s)",
        elapsed.as_secs_f64(),
        totals.bytes_down,
        totals.bytes_up,
        totals.bytes_down as f64 / archive_bytes as f64,
        outcome.requests,
        outcome.retries,
        totals.cuts,
        totals.connections_cut
    );

    assert_eq!(outcome.outcome, BasemapOutcome::Installed, "{outcome:?}");
    assert!(outcome.installed);
    assert_eq!(outcome.version.as_deref(), Some(county.version.as_str()));
    assert_eq!(outcome.bytes_total, archive_bytes);
    assert!(
        totals.cuts >= 1 && totals.connections_cut >= 1 && outcome.retries >= 1,
        "the cut did not land on the download: {totals:?}, {outcome:?}"
    );
    assert!(
        (totals.bytes_down as f64) < 1.5 * archive_bytes as f64,
        "{} B came down the link for a {archive_bytes} B archive: the download began again",
        totals.bytes_down
    );
    assert!(
        installed_bytes(&device) == county.bytes,
        "not the county's file"
    );
    let seen = progress_seen.lock().unwrap();
    assert!(seen.windows(2).all(|pair| pair[0] <= pair[1]), "{seen:?}");
    assert_eq!(seen.last(), Some(&archive_bytes));

    let status = basemap_status(device.path()).unwrap();
    let installed = status.installed.unwrap();
    assert_eq!(installed.version, county.version);
    assert_eq!(installed.bytes, archive_bytes);
    assert_eq!(installed.source, BasemapSource::Download);
    assert!(status.download.is_none(), "{:?}", status.download);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_download_stopped_by_a_dead_link_goes_on_in_the_next_run_from_the_bytes_kept() {
    let server = CountyServer::start();
    let county = build_county_map(&server, POST_AREA);
    let device = enrolled_device(&server).await;
    let link = Arc::new(FaultProxy::start(server.address(), 11).await);
    link.set_link(LinkProfile::EDGE_2G);
    device.use_server_url(&link.url());
    let archive_bytes = county.bytes.len() as u64;

    // Half way the link goes dark for longer than this run keeps trying.
    let dark = link.clone();
    tokio::spawn(async move {
        while dark.totals().bytes_down < archive_bytes / 2 {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        dark.set_link(LinkProfile {
            cuts: Some(CutSchedule {
                every: Duration::from_millis(2_510),
                lasting: Duration::from_millis(2_500),
            }),
            ..LinkProfile::EDGE_2G
        });
    });
    let impatient = BasemapDownloadOptions {
        stall_timeout: Duration::from_millis(500),
        give_up_after: Duration::from_millis(500),
        ..BasemapDownloadOptions::default()
    };
    let stopped = try_download(&device, &impatient).await;
    assert!(
        matches!(stopped, Err(DeviceError::Unreachable { .. })),
        "{stopped:?}"
    );
    let kept = basemap_status(device.path())
        .unwrap()
        .download
        .expect("the part is kept");
    assert_eq!(kept.version, county.version);
    assert_eq!(kept.bytes_total, archive_bytes);
    assert!(
        kept.bytes_done > 0 && kept.bytes_done < archive_bytes,
        "{kept:?}"
    );

    // The next run (the app started again, the link back): the rest, and only the rest.
    link.set_link(LinkProfile::EDGE_2G);
    let started = Instant::now();
    let resumed = download(&device, &BasemapDownloadOptions::default()).await;
    assert_eq!(resumed.outcome, BasemapOutcome::Installed, "{resumed:?}");
    println!(
        "stopped at {} of {archive_bytes} B; the next run received {} B in {:.1} s",
        kept.bytes_done,
        resumed.bytes_received,
        started.elapsed().as_secs_f64()
    );
    assert_eq!(resumed.bytes_received, archive_bytes - kept.bytes_done);
    assert!(installed_bytes(&device) == county.bytes);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_map_rebuilt_between_two_chunks_is_noticed_and_the_device_ends_with_the_new_one_whole() {
    let server = CountyServer::start();
    let old = build_county_map(&server, POST_AREA);
    let device = enrolled_device(&server).await;
    let small_chunks = BasemapDownloadOptions {
        min_chunk_bytes: 4 * 1024,
        max_chunk_bytes: 8 * 1024,
        ..BasemapDownloadOptions::default()
    };
    let rebuilt = Mutex::new(None::<CountyArchive>);
    let seen_before_rebuild = AtomicBool::new(false);
    let progress = |progress: &BasemapProgress| {
        if progress.chunks_done == 1 && !seen_before_rebuild.swap(true, Ordering::SeqCst) {
            assert_eq!(progress.version, old.version);
            *rebuilt.lock().unwrap() = Some(build_county_map(&server, REBUILT_AREA));
        }
    };
    let outcome = download_basemap(&device.store, None, &small_chunks, &progress)
        .await
        .unwrap();
    let new = rebuilt
        .into_inner()
        .unwrap()
        .expect("rebuilt after a chunk");
    assert_ne!(new.version, old.version);
    assert_eq!(outcome.outcome, BasemapOutcome::Installed, "{outcome:?}");
    assert_eq!(outcome.version.as_deref(), Some(new.version.as_str()));
    assert_eq!(outcome.restarts, 1, "{outcome:?}");
    let installed = installed_bytes(&device);
    assert!(installed == new.bytes, "not the rebuilt map");
    assert!(installed != old.bytes);
    assert_eq!(
        basemap_status(device.path())
            .unwrap()
            .installed
            .unwrap()
            .version,
        new.version
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_second_download_when_up_to_date_transfers_only_a_few_hundred_bytes() {
    let server = CountyServer::start();
    let county = build_county_map(&server, POST_AREA);
    let device = enrolled_device(&server).await;
    let link = FaultProxy::start(server.address(), 3).await;
    device.use_server_url(&link.url());
    let first = download(&device, &BasemapDownloadOptions::default()).await;
    assert_eq!(first.outcome, BasemapOutcome::Installed);

    let before = (link.totals().bytes_up, link.totals().bytes_down);
    let second = download(&device, &BasemapDownloadOptions::default()).await;
    let (up, down) = wire_bytes_since(&link, before);
    println!(
        "up to date: {up} B up, {down} B down, {} request(s)",
        second.requests
    );
    assert_eq!(second.outcome, BasemapOutcome::UpToDate, "{second:?}");
    assert!(second.installed);
    assert_eq!(second.version.as_deref(), Some(county.version.as_str()));
    assert_eq!(second.requests, 1);
    assert!(
        up + down < 1_500,
        "{up} B up + {down} B down to learn nothing changed"
    );
    assert!(installed_bytes(&device) == county.bytes);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_no_basemap_on_the_server_the_outcome_says_so_and_nothing_is_installed() {
    let server = CountyServer::start();
    let device = enrolled_device(&server).await;
    let outcome = download(&device, &BasemapDownloadOptions::default()).await;
    assert_eq!(outcome.outcome, BasemapOutcome::NotBuilt, "{outcome:?}");
    assert!(!outcome.installed);
    assert!(outcome.message_zh.contains("县里尚未生成底图"));
    let status = basemap_status(device.path()).unwrap();
    assert!(
        status.installed.is_none() && status.download.is_none(),
        "{status:?}"
    );
    assert!(!installed_basemap_path(device.path()).exists());

    // The command says so too, and it is not a failure.
    let output = patrol(device.path(), &["map", "download"]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    assert!(
        text(&output.stdout).contains("县里尚未生成底图"),
        "{}",
        text(&output.stdout)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn records_waiting_go_first_and_a_link_the_sync_measured_too_slow_is_not_tried() {
    let server = CountyServer::start();
    let county = build_county_map(&server, POST_AREA);
    let device = enrolled_device(&server).await;
    device.record(&hazard_json(2, "铁网被冲毁"));

    let waiting = download(&device, &BasemapDownloadOptions::default()).await;
    assert_eq!(
        waiting.outcome,
        BasemapOutcome::WaitingForSync,
        "{waiting:?}"
    );
    assert_eq!(waiting.requests, 0);
    device.sync().await.unwrap();

    let slow = BasemapDownloadOptions {
        measured_link_bytes_per_second: Some(1_500),
        ..BasemapDownloadOptions::default()
    };
    let too_slow = download(&device, &slow).await;
    assert_eq!(
        too_slow.outcome,
        BasemapOutcome::LinkTooSlow,
        "{too_slow:?}"
    );
    assert_eq!(too_slow.requests, 0);

    let good = BasemapDownloadOptions {
        measured_link_bytes_per_second: Some(8_000),
        ..BasemapDownloadOptions::default()
    };
    assert_eq!(
        download(&device, &good).await.outcome,
        BasemapOutcome::Installed
    );
    assert!(installed_bytes(&device) == county.bytes);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn map_import_installs_a_good_file_and_refuses_junk_and_empty_ones_keeping_the_map() {
    let server = CountyServer::start();
    let county = build_county_map(&server, POST_AREA);
    let device = enrolled_device(&server).await;
    let stick = tempfile::tempdir().unwrap();
    let good = stick.path().join("县底图.pmtiles");
    std::fs::write(&good, &county.bytes).unwrap();

    let imported = patrol(device.path(), &["map", "import", good.to_str().unwrap()]);
    assert!(imported.status.success(), "{}", text(&imported.stderr));
    assert!(installed_bytes(&device) == county.bytes);
    let status: Value =
        serde_json::from_slice(&patrol(device.path(), &["map", "status"]).stdout).unwrap();
    assert_eq!(
        status["installed"]["version"],
        county.version.as_str(),
        "{status}"
    );
    assert_eq!(status["installed"]["source"], "import");
    assert_eq!(status["installed"]["bytes"], county.bytes.len());

    let junk = stick.path().join("照片.pmtiles");
    std::fs::write(&junk, b"\xFF\xD8\xFF\xE0 a JPEG, not a map").unwrap();
    let empty = stick.path().join("empty.pmtiles");
    std::fs::write(&empty, b"").unwrap();
    let mut cut_short = county.bytes.clone();
    cut_short.truncate(county.bytes.len() / 2);
    let half = stick.path().join("half.pmtiles");
    std::fs::write(&half, &cut_short).unwrap();
    for (file, reason) in [
        (&junk, "不是 PMTiles 底图文件"),
        (&empty, "文件是空的"),
        (&half, "文件不完整"),
    ] {
        let refused = patrol(device.path(), &["map", "import", file.to_str().unwrap()]);
        let stderr = text(&refused.stderr);
        assert_eq!(
            refused.status.code(),
            Some(3),
            "{}: {stderr}",
            file.display()
        );
        assert!(
            stderr.contains(file.to_str().unwrap()) && stderr.contains(reason),
            "{}: {stderr}",
            file.display()
        );
        assert!(stderr.contains("原有底图未改动"), "{stderr}");
        assert!(installed_bytes(&device) == county.bytes, "the map changed");
    }

    // The file it was given is the county's map: the download finds it current.
    let current = download(&device, &BasemapDownloadOptions::default()).await;
    assert_eq!(current.outcome, BasemapOutcome::UpToDate, "{current:?}");
}

/// Runs the `patrol` binary on the device's data dir.
fn patrol(data_dir: &Path, args: &[&str]) -> Output {
    Command::new(workspace_binary("patrol"))
        .arg("--data-dir")
        .arg(data_dir)
        .args(args)
        .output()
        .unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}
