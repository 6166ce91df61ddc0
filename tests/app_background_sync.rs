//! The app's background sync task against the real county-server process: it sends what was
//! recorded without being asked, with progress; a recorded entry wakes it at once; when the
//! server goes away it says the device is offline and waits with backoff; after a sync it
//! fetches the county's basemap.

mod support;

use patrol_device::sync::{Backoff, SyncProgress};
use patrol_log_app::background_sync::{BackgroundSync, SyncEvents, SyncStateView, PULL_INTERVAL};
use std::sync::Mutex;
use std::time::{Duration, Instant};
use support::{hazard_json, CountyServer, Device};

#[derive(Default)]
struct Recorder {
    states: Mutex<Vec<SyncStateView>>,
    progress: Mutex<Vec<SyncProgress>>,
}

impl SyncEvents for Recorder {
    fn state(&self, state: &SyncStateView) {
        self.states.lock().unwrap().push(state.clone());
    }
    fn progress(&self, progress: &SyncProgress) {
        self.progress.lock().unwrap().push(progress.clone());
    }
}

async fn until(limit: Duration, mut condition: impl FnMut() -> bool) -> bool {
    let start = Instant::now();
    while start.elapsed() < limit {
        if condition() {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    false
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_task_sends_records_when_woken_and_reports_the_server_gone() {
    let mut server = CountyServer::start();
    server.add_post("岩脚联防所");
    let device = Device::new("李国华的手机");
    device.enroll(&server, "岩脚联防所").await;
    device.record(&hazard_json(1, "铁网破了"));
    device.record(&hazard_json(2, "界碑倾斜"));

    let sync = BackgroundSync::default();
    let events = Recorder::default();
    let mut backoff = Backoff::new(Duration::from_millis(100), Duration::from_secs(10));

    // Reachable and two records pending: one step sends them.
    let wait = sync.step(&device.store, &events, &mut backoff).await;
    assert_eq!(wait, PULL_INTERVAL);
    assert_eq!(device.pending(), 0);
    {
        let states = events.states.lock().unwrap();
        assert_eq!(states.first().map(|s| s.online), Some(Some(true)));
        assert!(states.iter().any(|state| state.syncing));
        let last = states.last().unwrap();
        assert!(
            !last.syncing && last.status.pending_records == 0 && last.status.last_error.is_none()
        );
        let progress = events.progress.lock().unwrap();
        assert!(
            progress.iter().all(|p| p.records_total == 2),
            "{progress:?}"
        );
        assert_eq!(progress.iter().map(|p| p.records_done).max(), Some(2));
    }
    assert_eq!(server.export().len(), 2);

    // Nothing pending and synced just now: the next step only probes.
    let states_before = events.states.lock().unwrap().len();
    let wait = sync.step(&device.store, &events, &mut backoff).await;
    assert!(wait <= PULL_INTERVAL && wait > PULL_INTERVAL - Duration::from_secs(60));
    assert_eq!(events.states.lock().unwrap().len(), states_before);

    // The running task: synced just now, so its first step only probes and then it sleeps for
    // minutes; a recorded entry wakes it and is sent at once.
    let running = sync.run(&device.store, &events);
    let driver = async {
        tokio::time::sleep(Duration::from_millis(500)).await;
        assert_eq!(
            events.states.lock().unwrap().len(),
            states_before,
            "no sync yet"
        );
        device.record(&hazard_json(3, "道路塌方"));
        sync.wake();
        until(Duration::from_secs(10), || device.pending() == 0).await
    };
    tokio::select! {
        _ = running => panic!("the task never ends"),
        woke_and_sent = driver => assert!(woke_and_sent, "the recorded entry was not sent after the wake"),
    }
    assert_eq!(server.export().len(), 3);

    // The member's "sync now" counts as a sync: the task does not sync again right after it.
    sync.sync_now(&device.store, &events).await.unwrap();
    let count = events.states.lock().unwrap().len();
    let wait = sync.step(&device.store, &events, &mut backoff).await;
    assert!(wait > PULL_INTERVAL - Duration::from_secs(60), "{wait:?}");
    assert_eq!(events.states.lock().unwrap().len(), count);

    // The server goes away: offline is told, and the task waits with backoff.
    server.kill();
    device.record(&hazard_json(4, "铁网又破"));
    let wait = sync.step(&device.store, &events, &mut backoff).await;
    assert!(
        wait <= Duration::from_millis(100),
        "first backoff wait {wait:?}"
    );
    let view = sync.state_view(&device.store).unwrap();
    assert_eq!(view.online, Some(false));
    assert_eq!(view.status.pending_records, 1);
    assert_eq!(
        events.states.lock().unwrap().last().unwrap().online,
        Some(false)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn after_a_sync_the_task_fetches_the_county_basemap() {
    let server = CountyServer::start();
    server.add_post("岩脚联防所");
    let data_dir = server.directory.path().join("data");
    server.admin(&[
        "map",
        "build",
        "--data-dir",
        data_dir.to_str().unwrap(),
        "--area",
        "105.15,23.25,105.40,23.45",
    ]);
    let county_archive = std::fs::read(data_dir.join("basemap/county.pmtiles")).unwrap();
    let device = Device::new("李国华的手机");
    device.enroll(&server, "岩脚联防所").await;
    device.record(&hazard_json(1, "铁网破了"));

    let sync = BackgroundSync::default();
    let events = Recorder::default();
    let mut backoff = Backoff::new(Duration::from_millis(100), Duration::from_secs(10));
    sync.step(&device.store, &events, &mut backoff).await;
    assert_eq!(device.pending(), 0, "the record went first");
    let installed = std::fs::read(device.path().join("basemap/county.pmtiles"))
        .expect("the map is installed after the sync");
    assert_eq!(installed, county_archive, "byte for byte the county's map");
}
