//! The wipe on the county's order, at the store: a wipe that a crash interrupted after its
//! notice was written is finished by the next open, which deletes the old store, its key,
//! photos and basemap, keeps a member's own files, and opens a fresh store; what was unsent is counted.

mod common;

use common::*;
use patrol_device::store::wipe::{read_wipe_notice, write_wipe_notice};
use patrol_device::{DeviceStore, WipeNotice, KEY_FILE_NAME, STORE_FILE_NAME};

#[test]
fn a_wipe_interrupted_by_a_crash_is_finished_by_the_next_open() {
    let (directory, mut store) = fresh_store();
    store
        .record_entry(hazard("2024-03-02", "fence", "界碑旁铁网被冲毁"), vec![])
        .unwrap();
    store
        .record_entry(hazard("2024-03-03", "road", "塌方"), vec![])
        .unwrap();
    let unsent = store.unsent_at_wipe().unwrap();
    assert_eq!(
        (unsent.unsent_entries, unsent.unsent_photos),
        (2, 0),
        "both entries are unsent"
    );
    let old_device = store.device_id();
    let old_key = std::fs::read_to_string(directory.path().join(KEY_FILE_NAME)).unwrap();
    let members_file = directory.path().join("my-notes.txt");
    std::fs::write(&members_file, "not the store's").unwrap();
    // The county's map holds the post's trails: it goes with the store.
    let basemap = directory.path().join("basemap");
    std::fs::create_dir_all(&basemap).unwrap();
    std::fs::write(
        basemap.join("county.pmtiles"),
        b"PMTiles\x03 the post's trails",
    )
    .unwrap();

    // The crash: the notice is written, nothing deleted yet.
    let notice = WipeNotice {
        wiped_at: chrono::Utc::now(),
        wiped_device_id: old_device,
        server_url: "https://county.example".to_string(),
        device_token: "pl1_old".to_string(),
        unsent,
        allow_insecure_http: false,
        finished: false,
        reported: false,
    };
    write_wipe_notice(directory.path(), &notice).unwrap();
    drop(store);

    let reopened = DeviceStore::open(directory.path()).unwrap();
    assert_ne!(reopened.device_id(), old_device, "a fresh store");
    assert_eq!(reopened.pending_entry_count().unwrap(), 0);
    let new_key = std::fs::read_to_string(directory.path().join(KEY_FILE_NAME)).unwrap();
    assert_ne!(new_key, old_key, "the old key is destroyed");
    assert!(directory.path().join(STORE_FILE_NAME).exists());
    assert!(
        !basemap.exists(),
        "the basemap with the post's trails is deleted"
    );
    assert_eq!(
        std::fs::read_to_string(&members_file).unwrap(),
        "not the store's",
        "a member's own file is left alone"
    );
    let kept = read_wipe_notice(directory.path()).unwrap().unwrap();
    assert!(kept.finished && !kept.reported);
    assert_eq!(kept.unsent, unsent);
    let summary = reopened.wipe_summary().unwrap().unwrap();
    assert!(
        summary.message_zh.contains("2 条记录"),
        "{}",
        summary.message_zh
    );
}

#[test]
fn wiping_on_the_order_replaces_the_store_with_a_fresh_one() {
    let (directory, mut store) = fresh_store();
    store
        .record_entry(hazard("2024-03-02", "fence", "界碑旁铁网被冲毁"), vec![])
        .unwrap();
    let old_device = store.device_id();
    let notice = store.wipe_on_county_order().unwrap();
    assert!(notice.finished);
    assert_eq!(notice.wiped_device_id, old_device);
    assert_eq!(notice.unsent.unsent_entries, 1);
    assert_ne!(store.device_id(), old_device);
    assert_eq!(store.pending_entry_count().unwrap(), 0);
    assert!(store.enrolment().unwrap().is_none());
    assert_eq!(
        store.sync_status().unwrap().wiped.unwrap().unsent,
        notice.unsent
    );
    drop(store);
    let reopened = DeviceStore::open(directory.path()).unwrap();
    assert_eq!(reopened.pending_entry_count().unwrap(), 0, "it stays wiped");
}
