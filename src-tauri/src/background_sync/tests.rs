//! The task against a server out of reach (against the real county server: see
//! `tests/app_background_sync.rs`).

use super::*;
use patrol_device::DeviceStore;
use patrol_model::sync::EnrolResponse;
use patrol_model::{parse_entry_draft, DeviceId, PostId};

#[derive(Default)]
struct Recorder {
    states: Mutex<Vec<SyncStateView>>,
}

impl SyncEvents for Recorder {
    fn state(&self, state: &SyncStateView) {
        self.states.lock().unwrap().push(state.clone());
    }
    fn progress(&self, _: &SyncProgress) {}
}

fn closed_port_url() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    format!("http://{}", listener.local_addr().unwrap())
}

#[tokio::test]
async fn an_unreachable_server_is_reported_offline_once_and_probed_with_growing_waits() {
    let directory = tempfile::tempdir().unwrap();
    let store: StoreState = Mutex::new(DeviceStore::open(directory.path()).unwrap());
    let sync = BackgroundSync::default();
    let events = Recorder::default();
    let mut backoff = Backoff::new(Duration::from_millis(100), Duration::from_secs(10));

    // Not enrolled: nothing to probe, nothing to tell.
    let wait = sync.step(&store, &events, &mut backoff).await;
    assert_eq!(wait, UNENROLLED_WAIT);
    assert!(events.states.lock().unwrap().is_empty());

    {
        let mut store = store.lock().unwrap();
        let response = EnrolResponse {
            device_id: DeviceId::new_v7(),
            post_id: PostId::new_v7(),
            post_name: "岩脚联防所".into(),
            device_token: "token".into(),
            server_time: chrono::Utc::now(),
        };
        store.save_enrolment(&closed_port_url(), &response).unwrap();
        let draft = parse_entry_draft(
            r#"{"kind":"hazard","occurred_at":"2024-03-02T09:00:00+08:00",
                "body":{"category":"fence","severity":"high","description":"铁网破"}}"#,
            None,
        )
        .unwrap();
        store.record_entry(draft, vec![]).unwrap();
    }
    let first = sync.step(&store, &events, &mut backoff).await;
    let second = sync.step(&store, &events, &mut backoff).await;
    assert!(
        (50..=100).contains(&first.as_millis()),
        "first wait {first:?}"
    );
    assert!(
        (100..=200).contains(&second.as_millis()),
        "second wait {second:?}"
    );
    {
        let states = events.states.lock().unwrap();
        assert_eq!(states.len(), 1, "offline is told once: {states:?}");
        assert_eq!(states[0].online, Some(false));
        assert_eq!(states[0].status.pending_records, 1);
        assert!(!states[0].syncing);
    }

    // "Sync now" tries at once, says so, and keeps the failure for the sync screen.
    let error = sync.sync_now(&store, &events).await.unwrap_err();
    assert_eq!(error.kind_code(), "unreachable");
    let states = events.states.lock().unwrap();
    assert_eq!(states.len(), 3, "{states:?}");
    assert!(states[1].syncing);
    assert!(!states[2].syncing);
    assert_eq!(states[2].online, Some(false));
    assert_eq!(states[2].status.pending_records, 1);
    assert!(states[2]
        .status
        .last_error
        .as_deref()
        .is_some_and(|error| error.contains("连不上")));
    let json = serde_json::to_value(&states[2]).unwrap();
    assert_eq!(json["syncing"], false);
    assert_eq!(
        json["pending_records"], 1,
        "the store's status is flattened"
    );
    assert_eq!(json["pending_entries"], 1);
}
