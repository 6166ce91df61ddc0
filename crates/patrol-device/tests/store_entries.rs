//! Recording, editing and deleting entries in a real SQLite store: every version is kept, every
//! change reaches the outbox in order, and a repair fixes (and un-fixes) its hazard.

mod common;

use common::*;
use patrol_device::{DeviceError, DeviceStore, EntryListQuery};
use patrol_model::{EntryBody, EntryStatus};

#[test]
fn a_recorded_entry_is_there_after_reopening_with_one_outbox_record() {
    let (directory, mut store) = fresh_store();
    let device_id = store.device_id();
    let recorded = store
        .record_entry(
            hazard("2024-03-02", "fence", "铁网被洪水冲毁约30米"),
            vec![],
        )
        .unwrap();
    drop(store);

    let store = DeviceStore::open(directory.path()).unwrap();
    assert_eq!(store.device_id(), device_id, "the device keeps its id");
    let entry = store.entry(recorded.id).unwrap();
    assert_eq!(entry, recorded);
    assert_eq!(entry.status, Some(EntryStatus::Open));
    let outbox = store.outbox(false).unwrap();
    assert_eq!(outbox.len(), 1);
    assert_eq!(
        (outbox[0].seq, outbox[0].entry_id, outbox[0].revision),
        (1, recorded.id, 1)
    );
    assert_eq!(store.integrity_check().unwrap(), "ok");
}

#[test]
fn edits_and_deletes_keep_every_version_and_append_to_the_outbox() {
    let (_directory, mut store) = fresh_store();
    let first = store
        .record_entry(hazard("2024-03-02", "fence", "铁网冲毁"), vec![])
        .unwrap();
    let edited = store
        .edit_entry(
            first.id,
            hazard("2024-03-02", "fence", "铁网冲毁约30米,需尽快修复"),
        )
        .unwrap();
    assert_eq!(edited.revision, 2);
    // An edit that changes nothing writes nothing.
    let same = store
        .edit_entry(
            first.id,
            hazard("2024-03-02", "fence", "铁网冲毁约30米,需尽快修复"),
        )
        .unwrap();
    assert_eq!(same.revision, 2);
    let deleted = store.delete_entry(first.id).unwrap();
    assert!(deleted.deleted);

    let history = store.entry_history(first.id).unwrap();
    let changes: Vec<(u32, &str)> = history
        .iter()
        .map(|version| (version.revision, version.change.as_str()))
        .collect();
    assert_eq!(changes, [(1, "create"), (2, "edit"), (3, "delete")]);
    let EntryBody::Hazard(body) = &history[0].entry.draft.body else {
        panic!()
    };
    assert_eq!(body.description, "铁网冲毁");

    let seqs: Vec<u64> = store.outbox(false).unwrap().iter().map(|r| r.seq).collect();
    assert_eq!(seqs, [1, 2, 3]);
    assert!(store
        .list_entries(&Default::default())
        .unwrap()
        .entries
        .is_empty());

    let again = store.edit_entry(first.id, hazard("2024-03-02", "fence", "x"));
    assert!(matches!(again, Err(DeviceError::NotAllowed { .. })));
    assert!(matches!(
        store.delete_entry(first.id),
        Err(DeviceError::NotAllowed { .. })
    ));
}

#[test]
fn a_repair_fixes_its_hazard_and_deleting_the_repair_reopens_it() {
    let (_directory, mut store) = fresh_store();
    let hazard_entry = store
        .record_entry(hazard("2024-03-02", "fence", "铁网冲毁"), vec![])
        .unwrap();
    let id = hazard_entry.id.to_string();
    let repair_entry = store
        .record_entry(repair("2024-03-05", "fence", 30.0, Some(&id)), vec![])
        .unwrap();
    let fixed = store.entry(hazard_entry.id).unwrap();
    assert_eq!(fixed.status, Some(EntryStatus::Fixed));
    assert_eq!(fixed.revision, 2);
    assert_eq!(
        store.entry_history(hazard_entry.id).unwrap()[1].change,
        "status"
    );

    store.delete_entry(repair_entry.id).unwrap();
    assert_eq!(
        store.entry(hazard_entry.id).unwrap().status,
        Some(EntryStatus::Open)
    );
    // hazard create, repair create, hazard fixed, repair delete, hazard reopened
    assert_eq!(store.outbox(true).unwrap().len(), 5);
}

#[test]
fn a_repair_must_close_an_existing_live_hazard_and_nothing_is_written_otherwise() {
    let (_directory, mut store) = fresh_store();
    let missing = "0190f2c4-6a1e-7cc0-9a3b-5f0d2c1e4b7a";
    let error = store
        .record_entry(repair("2024-03-05", "fence", 30.0, Some(missing)), vec![])
        .unwrap_err();
    let DeviceError::Invalid(report) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(report.problems[0].field, "body.closes_hazard");
    assert!(error.message_zh().contains("找不到隐患"));

    let patrol_entry = store
        .record_entry(patrol("2024-03-01", false, "正常"), vec![])
        .unwrap();
    let not_a_hazard = store.record_entry(
        repair(
            "2024-03-05",
            "fence",
            30.0,
            Some(&patrol_entry.id.to_string()),
        ),
        vec![],
    );
    assert!(matches!(not_a_hazard, Err(DeviceError::Invalid(_))));
    assert_eq!(
        store.outbox(false).unwrap().len(),
        1,
        "only the patrol was written"
    );
}

#[test]
fn the_author_defaults_to_the_member_using_the_phone() {
    let (_directory, mut store) = fresh_store();
    store.set_setting("current_member", "李国华").unwrap();
    let entry = store
        .record_entry(hazard("2024-03-02", "water", "水源浑浊"), vec![])
        .unwrap();
    assert_eq!(entry.draft.author.as_deref(), Some("李国华"));
}

#[test]
fn photos_are_stored_once_by_content_with_a_thumbnail() {
    let (directory, mut store) = fresh_store();
    let picture = image::RgbImage::from_fn(800, 600, |x, y| {
        image::Rgb([(x % 256) as u8, (y % 256) as u8, 90])
    });
    let source = directory.path().join("fence.png");
    picture.save(&source).unwrap();
    let stored = store.import_photo(&source).unwrap();
    let again = store.import_photo(&source).unwrap();
    assert_eq!(stored.sha256, again.sha256);
    assert_eq!((stored.width, stored.height), (800, 600));
    // The PNG is kept as it came; what syncs is a JPEG of it (tests/store_photos.rs).
    assert_eq!(
        store.original_bytes(&stored.sha256).unwrap().unwrap(),
        std::fs::read(&source).unwrap()
    );
    let send = store.send_version_bytes(&stored.sha256).unwrap();
    assert_eq!(
        image::guess_format(&send).unwrap(),
        image::ImageFormat::Jpeg
    );
    let thumbnail = store.photo_thumbnail(&stored.sha256).unwrap().unwrap();
    let thumb = image::load_from_memory(&thumbnail).unwrap();
    assert!(thumb.width() <= 320 && thumb.height() <= 320);

    let not_a_photo = directory.path().join("notes.txt");
    std::fs::write(&not_a_photo, "铁网").unwrap();
    let error = store.import_photo(&not_a_photo).unwrap_err();
    assert!(
        error.message_zh().contains("不是 JPEG 或 PNG"),
        "{}",
        error.message_zh()
    );

    let attachment = patrol_model::PhotoAttachment {
        sha256: stored.sha256.clone(),
        role: patrol_model::PhotoRole::Before,
    };
    let entry = store
        .record_entry(hazard("2024-03-02", "fence", "铁网"), vec![attachment])
        .unwrap();
    assert_eq!(store.entry(entry.id).unwrap().photos.len(), 1);
}

#[test]
fn a_patrol_track_survives_reopening_and_is_packed_when_it_ends() {
    let (directory, mut store) = fresh_store();
    let patrol_entry = store.start_patrol(None, None).unwrap();
    for i in 0..20 {
        let point = patrol_model::TrackPoint {
            recorded_at_ms: 1_709_338_200_000 + i * 5_000,
            lat: 23.6 + i as f64 * 0.0001,
            lon: 105.6,
            accuracy_m: Some(4.0),
            altitude_m: Some(1200.0),
        };
        store.append_track_point(patrol_entry.id, point).unwrap();
    }
    drop(store);
    let mut store = DeviceStore::open(directory.path()).unwrap();
    let running = store.running_patrols().unwrap();
    assert_eq!(running.len(), 1);
    let summary = store.track_summary(patrol_entry.id).unwrap();
    assert_eq!(summary.point_count, 20);
    assert!(
        (summary.distance_m - 211.3).abs() < 1.0,
        "{}",
        summary.distance_m
    );

    let ended = store.end_patrol(patrol_entry.id, None).unwrap();
    assert_eq!(ended.status, Some(EntryStatus::Ended));
    let EntryBody::Patrol(body) = &ended.draft.body else {
        panic!()
    };
    assert_eq!(body.distance_km, Some(0.21));
    assert_eq!(store.track_points(patrol_entry.id).unwrap().len(), 20);
    // The track travels with the entry, so the county's map can draw it.
    let carried = body.track_points().unwrap();
    assert_eq!(carried.len(), 20);
    assert_eq!(carried[19].lat, 23.6019);
    // A member's later edit (the form knows nothing of the track) keeps it.
    let mut edited_draft = ended.draft.clone();
    if let EntryBody::Patrol(edited) = &mut edited_draft.body {
        edited.findings = "界碑附近一切正常".into();
        edited.track = None;
    }
    let edited = store.edit_entry(patrol_entry.id, edited_draft).unwrap();
    let EntryBody::Patrol(edited_body) = &edited.draft.body else {
        panic!()
    };
    assert_eq!(edited_body.findings, "界碑附近一切正常");
    assert_eq!(edited_body.track, body.track);
    assert!(store.running_patrols().unwrap().is_empty());
    let bad_point = patrol_model::TrackPoint {
        recorded_at_ms: 0,
        lat: 95.0,
        lon: 105.0,
        accuracy_m: None,
        altitude_m: None,
    };
    assert!(matches!(
        store.append_track_point(patrol_entry.id, bad_point),
        Err(DeviceError::Invalid(_))
    ));
    let late_point = patrol_model::TrackPoint {
        lat: 23.0,
        ..bad_point
    };
    assert!(matches!(
        store.append_track_point(patrol_entry.id, late_point),
        Err(DeviceError::NotAllowed { .. })
    ));
}

#[test]
fn entries_recorded_before_enrolment_belong_to_the_post_after_it() {
    let (_directory, mut store) = fresh_store();
    let before = store
        .record_entry(hazard("2024-03-02", "fence", "铁网冲毁"), vec![])
        .unwrap();
    assert_eq!(before.post_id, None);
    let post = patrol_model::PostId::new_v7();
    store
        .save_enrolment(
            "http://127.0.0.1:8080",
            &patrol_model::sync::EnrolResponse {
                device_id: store.device_id(),
                post_id: post,
                post_name: "田蓬联防所".into(),
                device_token: "pl1_token".into(),
                server_time: chrono::Utc::now(),
            },
        )
        .unwrap();
    let after = store.entry(before.id).unwrap();
    assert_eq!(after.post_id, Some(post));
    assert_eq!(after.revision, before.revision, "not a new version");
    assert_eq!(store.outbox(true).unwrap().len(), 1, "nothing new to send");
    let later = store
        .record_entry(hazard("2024-03-03", "road", "塌方"), vec![])
        .unwrap();
    assert_eq!(later.post_id, Some(post));
}

#[test]
fn control_characters_are_refused_from_the_member_naming_the_field_and_nothing_is_written() {
    let (_directory, mut store) = fresh_store();
    let mut draft = hazard("2024-03-02", "fence", "铁网");
    if let EntryBody::Hazard(body) = &mut draft.body {
        body.description = "铁网\u{0}冲毁".into();
    }
    draft.author = Some("李\u{7}国华".into());
    let error = store.record_entry(draft, vec![]).unwrap_err();
    let DeviceError::Invalid(report) = &error else {
        panic!("{error:?}");
    };
    assert!(
        report.mentions("body.description") && report.mentions("author"),
        "{report}"
    );
    let message = error.message_zh();
    assert!(
        message.contains("body.description") && message.contains("控制字符"),
        "{message}"
    );
    assert!(store.outbox(false).unwrap().is_empty(), "nothing written");
}

#[test]
fn the_next_change_after_a_clock_far_ahead_is_corrected_gets_a_sane_clock() {
    use patrol_model::sync::{Hlc, MAX_CLOCK_AHEAD_MS};
    let (_directory, mut store) = fresh_store();
    let now = chrono::Utc::now().timestamp_millis();
    let fifty_years = 50 * 365 * 24 * 3_600_000_i64;
    // The phone's clock was 50 years fast when it made its last change (the server refused
    // it); now its clock, corrected by the offset the server measured, is right again.
    let wrong = Hlc::tick(None, now + fifty_years, store.device_id());
    store.set_setting("last_hlc", &wrong.to_string()).unwrap();
    store.set_setting("clock_offset_ms", "0").unwrap();
    store
        .record_entry(hazard("2024-03-02", "fence", "铁网"), vec![])
        .unwrap();
    let records = store.pending_records(0, 10).unwrap();
    let clock = records[0].hlc.wall_ms;
    assert!(
        (clock - now).abs() < MAX_CLOCK_AHEAD_MS,
        "a sane clock, not the one 50 years ahead: {clock} vs {now}"
    );
}

#[test]
fn a_hazard_recorded_during_a_patrol_is_listed_on_it_and_keeps_the_link_through_an_edit() {
    let (_directory, mut store) = fresh_store();
    let running = store.start_patrol(None, None).unwrap();
    let mut during = hazard("2024-03-02", "fence", "铁网被冲毁");
    during.patrol_id = Some(running.id);
    let found = store.record_entry(during, vec![]).unwrap();
    store
        .record_entry(hazard("2024-03-03", "road", "路面塌方"), vec![])
        .unwrap();

    let on_patrol = |store: &DeviceStore| {
        store
            .list_entries(&EntryListQuery {
                patrol: Some(running.id),
                ..Default::default()
            })
            .unwrap()
            .entries
            .into_iter()
            .map(|row| row.id)
            .collect::<Vec<_>>()
    };
    assert_eq!(on_patrol(&store), [found.id.to_string()]);

    // The form sends the edit without the link: it is kept.
    let mut edited = hazard("2024-03-02", "fence", "铁网被冲毁约30米");
    edited.patrol_id = None;
    let edited = store.edit_entry(found.id, edited).unwrap();
    assert_eq!(edited.draft.patrol_id, Some(running.id));
    store.end_patrol(running.id, None).unwrap();
    assert_eq!(on_patrol(&store), [found.id.to_string()]);
}

#[test]
fn an_entry_cannot_name_a_patrol_that_is_not_one_here_and_nothing_is_written() {
    let (_directory, mut store) = fresh_store();
    let other = store
        .record_entry(hazard("2024-03-01", "fence", "铁网"), vec![])
        .unwrap();
    for (patrol_id, expected) in [
        ("0190f2c4-6a1e-7cc0-9a3b-5f0d2c1e4b7a", "找不到巡逻"),
        (other.id.to_string().as_str(), "不是巡逻"),
    ] {
        let mut draft = hazard("2024-03-02", "road", "塌方");
        draft.patrol_id = Some(patrol_id.parse().unwrap());
        let error = store.record_entry(draft, vec![]).unwrap_err();
        let DeviceError::Invalid(report) = &error else {
            panic!("{error:?}")
        };
        assert_eq!(report.problems[0].field, "patrol_id");
        assert!(error.message_zh().contains(expected), "{error:?}");
    }
    assert_eq!(
        store.outbox(false).unwrap().len(),
        1,
        "only the first hazard"
    );
}

#[test]
fn poor_fixes_and_jumps_are_kept_on_the_track_but_left_out_of_its_distance() {
    let (_directory, mut store) = fresh_store();
    let patrol_entry = store.start_patrol(None, None).unwrap();
    let fix = |minute: i64, lat: f64, accuracy_m: f64| patrol_model::TrackPoint {
        recorded_at_ms: 1_709_338_200_000 + minute * 60_000,
        lat,
        lon: 105.6,
        accuracy_m: Some(accuracy_m),
        altitude_m: None,
    };
    // A walk north, 111 m a minute, with a fix 300 m uncertain under the trees and one that
    // jumps 11 km in two minutes from the last fix counted.
    for point in [
        fix(0, 23.600, 5.0),
        fix(1, 23.601, 5.0),
        fix(2, 23.602, 300.0),
        fix(3, 23.700, 8.0),
        fix(4, 23.603, 6.0),
    ] {
        store.append_track_point(patrol_entry.id, point).unwrap();
    }
    let summary = store.track_summary(patrol_entry.id).unwrap();
    assert_eq!(summary.point_count, 5);
    assert_eq!(summary.uncounted_point_count, 2);
    assert!(
        (summary.distance_m - 333.6).abs() < 1.0,
        "{}",
        summary.distance_m
    );
    let ended = store.end_patrol(patrol_entry.id, None).unwrap();
    let EntryBody::Patrol(body) = &ended.draft.body else {
        panic!()
    };
    assert_eq!(body.distance_km, Some(0.33));
    assert_eq!(body.track_points().unwrap().len(), 5, "every fix is kept");
}

#[test]
fn the_log_lists_one_members_entries_for_the_post_leader() {
    let (_directory, mut store) = fresh_store();
    let mut written = |author: &str, day: &str, text: &str| {
        let mut draft = hazard(day, "fence", text);
        draft.author = Some(author.into());
        store.record_entry(draft, vec![]).unwrap().id.to_string()
    };
    let first = written("王明", "2024-03-02", "铁网松动");
    written("李国华", "2024-03-03", "路面塌方");
    let second = written("王明", "2024-03-04", "水源浑浊");
    let by = |store: &DeviceStore, author: &str| {
        store
            .list_entries(&EntryListQuery {
                author: Some(author.into()),
                ..Default::default()
            })
            .map(|page| {
                page.entries
                    .into_iter()
                    .map(|row| row.id)
                    .collect::<Vec<_>>()
            })
    };
    assert_eq!(by(&store, "王明").unwrap(), [second, first], "newest first");
    assert_eq!(by(&store, " 王明 ").unwrap().len(), 2, "as typed, trimmed");
    assert!(by(&store, "张三").unwrap().is_empty());
    let too_long = by(&store, &"长".repeat(41)).unwrap_err();
    assert!(
        too_long.message_zh().contains("成员姓名太长"),
        "{}",
        too_long.message_zh()
    );
}
