//! The store opens a file left by any older version of the app: migrations apply from every
//! older schema version, end at the same schema as a new store, and keep the data.

use patrol_device::migrations::{device_migrations, device_schema_version};
use patrol_device::store::at_rest::open_raw_store;
use patrol_device::{DeviceStore, EntryListQuery, STORE_FILE_NAME};
use rusqlite::Connection;

/// The schema as SQLite describes it, sorted, so two files can be compared.
fn schema_of(connection: &Connection) -> Vec<String> {
    let mut statement = connection
        .prepare(
            "SELECT type || ' ' || name || ' ' || COALESCE(sql, '') FROM sqlite_master ORDER BY 1",
        )
        .unwrap();
    statement
        .query_map([], |row| row.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

/// A plain (unencrypted) store file at schema `version`, as an app of that version left it: every
/// store of version 1 and later got its device id when first opened.
fn store_at_version(path: &std::path::Path, version: usize) -> Connection {
    let mut connection = Connection::open(path).unwrap();
    device_migrations()
        .to_version(&mut connection, version)
        .unwrap();
    connection
        .execute(
            "INSERT INTO device_identity (singleton, device_id, created_at_ms)
             VALUES (1, '0190f2c4-6a1e-7cc0-9a3b-000000000001', 1709341200000)",
            [],
        )
        .unwrap();
    connection
}

/// An entry as version 1 of the schema stored it, written with plain SQL.
fn insert_version_one_entry(connection: &Connection) {
    let document = r#"{"id":"0190f2c4-6a1e-7cc0-9a3b-5f0d2c1e4b7a","device_id":"0190f2c4-6a1e-7cc0-9a3b-000000000001",
        "occurred_at":"2024-03-02T09:00:00+08:00","kind":"hazard",
        "body":{"category":"fence","severity":"high","description":"铁网被洪水冲毁约30米"},
        "photos":[],"status":"open","revision":1,"created_at":"2024-03-02T01:00:00Z",
        "updated_at":"2024-03-02T01:00:00Z","deleted":false}"#;
    connection
        .execute_batch(&format!(
            "INSERT INTO entries (id, kind, category, status, occurred_at_ms, occurred_offset_min,
                 local_date, search_text, revision, created_at_ms, updated_at_ms, document)
             VALUES ('0190f2c4-6a1e-7cc0-9a3b-5f0d2c1e4b7a', 'hazard', 'fence', 'open',
                 1709341200000, 480, '2024-03-02', '隐患 铁网/围栏 高风险 铁网被洪水冲毁约30米', 1,
                 1709341200000, 1709341200000, '{document}');
             INSERT INTO entry_versions (entry_id, revision, change, changed_at_ms, document)
             VALUES ('0190f2c4-6a1e-7cc0-9a3b-5f0d2c1e4b7a', 1, 'create', 1709341200000, '{document}');
             INSERT INTO outbox (seq, record_id, entry_id, revision, change, created_at_ms)
             VALUES (1, '0190f2c4-6a1e-7cc0-9a3b-5f0d2c1e4b7b', '0190f2c4-6a1e-7cc0-9a3b-5f0d2c1e4b7a',
                 1, 'create', 1709341200000);"
        ))
        .unwrap();
}

#[test]
fn every_older_schema_version_upgrades_to_the_current_one_keeping_its_entries() {
    let latest = device_schema_version();
    let fresh_directory = tempfile::tempdir().unwrap();
    drop(DeviceStore::open(fresh_directory.path()).unwrap());
    let fresh_schema = schema_of(&open_raw_store(fresh_directory.path()).unwrap());

    // Version 0 is a file without any schema: no app ever left one behind (a new store is
    // made complete before it takes the store's name), so it is reported as damaged
    // (`store_damaged.rs`), not upgraded.
    for older in 1..latest {
        let directory = tempfile::tempdir().unwrap();
        let path = directory.path().join(STORE_FILE_NAME);
        {
            let connection = store_at_version(&path, older);
            insert_version_one_entry(&connection);
        }
        let mut store = DeviceStore::open(directory.path())
            .unwrap_or_else(|error| panic!("opening a version {older} store: {error}"));
        let upgraded_schema = schema_of(&open_raw_store(directory.path()).unwrap());
        assert_eq!(
            upgraded_schema, fresh_schema,
            "schema after upgrading from version {older}"
        );
        assert_eq!(store.integrity_check().unwrap(), "ok");

        {
            let found = store
                .list_entries(&EntryListQuery {
                    search: Some("洪水冲毁".into()),
                    ..Default::default()
                })
                .unwrap();
            assert_eq!(
                found.entries.len(),
                1,
                "an entry of version {older} is searchable after upgrading"
            );
            let id = found.entries[0].id.parse().unwrap();
            // And it can be edited further, continuing its history and the outbox sequence.
            store.delete_entry(id).unwrap();
            assert_eq!(store.entry_history(id).unwrap().len(), 2);
            let seqs: Vec<u64> = store.outbox(false).unwrap().iter().map(|r| r.seq).collect();
            assert_eq!(seqs, [1, 2]);
        }
    }
}

#[test]
fn a_store_from_a_newer_app_is_refused_rather_than_damaged() {
    let directory = tempfile::tempdir().unwrap();
    drop(DeviceStore::open(directory.path()).unwrap());
    let connection = open_raw_store(directory.path()).unwrap();
    connection.pragma_update(None, "user_version", 999).unwrap();
    drop(connection);
    assert!(DeviceStore::open(directory.path()).is_err());
}

#[test]
fn photos_stored_before_send_versions_stay_what_is_sent_and_are_never_pruned() {
    use sha2::{Digest, Sha256};
    // Version 5: the camera file itself was the photo, named by its hash.
    let directory = tempfile::tempdir().unwrap();
    let mut png = Vec::new();
    image::DynamicImage::ImageRgb8(image::RgbImage::from_fn(64, 48, |x, y| {
        image::Rgb([(x * 4) as u8, (y * 5) as u8, 90])
    }))
    .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
    .unwrap();
    let hex = hex::encode(Sha256::digest(&png));
    let file = directory.path().join("photos").join(&hex[..2]).join(&hex);
    std::fs::create_dir_all(file.parent().unwrap()).unwrap();
    std::fs::write(&file, &png).unwrap();
    {
        let connection = store_at_version(&directory.path().join(STORE_FILE_NAME), 5);
        connection
            .execute(
                "INSERT INTO photos (sha256, byte_len, media_type, width, height, thumbnail,
                     created_at_ms, thumbnail_uploaded, original_uploaded)
                 VALUES (?1, ?2, 'image/png', 64, 48, x'FFD8FFD9', 1709341200000, 1, 1)",
                rusqlite::params![hex, png.len() as i64],
            )
            .unwrap();
    }

    let mut store = DeviceStore::open(directory.path()).unwrap();
    let sha256 = patrol_model::PhotoHash::try_from(hex.clone()).unwrap();
    let photo = store.photo(&sha256).unwrap().unwrap();
    assert_eq!(photo.path, file);
    assert_eq!(photo.original.sha256, sha256);
    assert_eq!(photo.original.path, file);
    assert_eq!(photo.original.byte_len, png.len() as u64);
    assert_eq!((photo.original.width, photo.original.height), (64, 48));
    assert!(photo.original.kept);
    assert_eq!(photo.camera, patrol_device::CameraMetadata::default());

    let later = chrono::Utc::now() + chrono::Duration::days(1000);
    assert_eq!(store.prune_photo_originals(later).unwrap().originals, 0);
    assert_eq!(store.send_version_bytes(&sha256).unwrap(), png);
    // Importing the same file again finds the photo it already is: nothing new to send.
    let source = directory.path().join("again.png");
    std::fs::write(&source, &png).unwrap();
    assert_eq!(store.import_photo(&source).unwrap().sha256, sha256);
    assert!(store.photos_to_upload().unwrap().is_empty());
    assert!(!directory.path().join("photos/originals").exists());
}

#[test]
fn a_photo_not_yet_uploaded_in_an_older_store_resumes_by_asking_the_server() {
    // Version 13: no record of which uploads began, so one not finished may have begun.
    let directory = tempfile::tempdir().unwrap();
    {
        let connection = store_at_version(&directory.path().join(STORE_FILE_NAME), 13);
        for (hex, thumbnail_uploaded) in [("a".repeat(64), 1), ("b".repeat(64), 0)] {
            connection
                .execute(
                    "INSERT INTO photos (sha256, byte_len, media_type, width, height, thumbnail,
                         created_at_ms, thumbnail_uploaded, original_uploaded)
                     VALUES (?1, 4, 'image/jpeg', 64, 48, x'FFD8FFD9', 1709341200000, ?2, 0)",
                    rusqlite::params![hex, thumbnail_uploaded],
                )
                .unwrap();
        }
    }
    let store = DeviceStore::open(directory.path()).unwrap();
    let begun: Vec<_> = store
        .photos_to_upload()
        .unwrap()
        .iter()
        .map(|upload| {
            (
                upload.sha256.as_str()[..1].to_string(),
                upload.variant,
                store.photo_upload_begun(upload).unwrap(),
            )
        })
        .collect();
    assert_eq!(
        begun,
        [
            ("b".to_string(), "thumbnail", true),
            ("a".to_string(), "original", true),
            ("b".to_string(), "original", true),
        ]
    );
}

#[test]
fn the_roster_of_a_version_7_store_becomes_its_members_in_order_without_pins() {
    let directory = tempfile::tempdir().unwrap();
    {
        let connection = store_at_version(&directory.path().join(STORE_FILE_NAME), 7);
        connection
            .execute_batch(
                r#"INSERT INTO device_settings (key, value)
                   VALUES ('roster', '["李国华","王明","岩温"]'), ('current_member', '王明');"#,
            )
            .unwrap();
    }
    let store = DeviceStore::open(directory.path()).unwrap();
    let members = store.members().unwrap();
    let names: Vec<&str> = members.iter().map(|m| m.name.as_str()).collect();
    assert_eq!(names, ["李国华", "王明", "岩温"]);
    assert!(members.iter().all(|m| !m.has_pin && !m.leader));
    assert_eq!(
        store.setting("roster").unwrap(),
        None,
        "the old list is gone"
    );
    assert_eq!(
        store.app_settings().unwrap().current_member.as_deref(),
        Some("王明"),
        "the CLI's member is kept"
    );
}

#[test]
fn an_entry_the_county_returned_before_version_10_shows_on_home_and_under_the_filter() {
    let directory = tempfile::tempdir().unwrap();
    {
        let connection = store_at_version(&directory.path().join(STORE_FILE_NAME), 9);
        insert_version_one_entry(&connection);
        // The county's review as a version-9 store kept it: only inside the document.
        connection
            .execute(
                r#"UPDATE entries SET document = json_set(document, '$.review',
                       json('{"decision":"returned","comment":"请补充照片",
                              "reviewer":"县局张科长","decided_at":"2024-03-05T02:00:00Z"}'))"#,
                [],
            )
            .unwrap();
    }
    let store = DeviceStore::open(directory.path()).unwrap();
    let today = chrono::NaiveDate::from_ymd_opt(2024, 3, 6).unwrap();
    assert_eq!(store.home_summary(today).unwrap().returned_entries, 1);
    let returned = store
        .list_entries(&EntryListQuery {
            review: Some(patrol_model::ReviewDecision::Returned),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(returned.entries.len(), 1);
    let approved = store
        .list_entries(&EntryListQuery {
            review: Some(patrol_model::ReviewDecision::Approved),
            ..Default::default()
        })
        .unwrap();
    assert!(approved.entries.is_empty());
}
