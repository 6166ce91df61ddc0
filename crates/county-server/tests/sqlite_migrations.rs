//! A county SQLite file written by the first schema opens under the current one with nothing
//! lost: records, entries and their history as they were, and syncing goes on from there.

mod common;

use chrono::Utc;
use common::{hazard, record, request};
use county_server::secrets::sha256_hex;
use county_server::storage::sqlite::county_sqlite_migrations;
use patrol_model::sync::Hlc;
use patrol_model::{DeviceId, EntryId, PostId};
use rusqlite::{params, Connection};
use uuid::Uuid;

#[tokio::test]
async fn a_first_schema_county_file_migrates_and_keeps_syncing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("county.sqlite3");
    let (post, device, entry_id) = (PostId::new_v7(), DeviceId::new_v7(), EntryId::new_v7());
    let token = "pl1_migration-test-token";
    let first_record = Uuid::now_v7();
    let mut stored = hazard(entry_id, device, "high", "铁网被洪水冲毁约30米");
    stored["post_id"] = post.to_string().into();
    let created = Hlc {
        wall_ms: 1_000,
        counter: 0,
        device,
    };
    {
        let mut connection = Connection::open(&path).unwrap();
        county_sqlite_migrations()
            .to_version(&mut connection, 1)
            .unwrap();
        let old_clocks = serde_json::json!({"occurred_at": created.to_string(),
            "body.severity": created.to_string(), "body.description": created.to_string()});
        connection
            .execute_batch(&format!(
                "INSERT INTO posts (id, name, change_counter, created_at)
                     VALUES ('{post}', '坡头联防所', 1, '2026-11-01T00:00:00Z');
                 INSERT INTO devices (id, post_id, label, token_sha256, enrolled_at_ms,
                     highest_seq, acknowledged_through)
                     VALUES ('{device}', '{post}', '手机', '{}', 0, 2, 2);",
                sha256_hex(token)
            ))
            .unwrap();
        let document = stored.to_string();
        connection
            .execute(
                "INSERT INTO entries (id, post_id, kind, document, field_clocks, revision,
                     occurred_at_ms, occurred_correction_ms, deleted, change_cursor)
                 VALUES (?1, ?2, 'hazard', ?3, ?4, 1, 0, 0, 0, 1)",
                params![
                    entry_id.to_string(),
                    post.to_string(),
                    document,
                    old_clocks.to_string()
                ],
            )
            .unwrap();
        connection
            .execute(
                "INSERT INTO entry_versions (entry_id, revision, record_id, document, created_at_ms)
                 VALUES (?1, 1, ?2, ?3, 5)",
                params![entry_id.to_string(), first_record.to_string(), document],
            )
            .unwrap();
        for (seq, record_id, accepted) in [(1, first_record, true), (2, Uuid::now_v7(), false)] {
            connection
                .execute(
                    "INSERT INTO sync_records (device_id, seq, record_id, entry_id, change, hlc,
                         accepted, problems_json, record_json, received_at_ms)
                     VALUES (?1, ?2, ?3, ?4, 'create', ?5, ?6, ?7, '{\"kept\":true}', 5)",
                    params![
                        device.to_string(),
                        seq,
                        record_id.to_string(),
                        entry_id.to_string(),
                        created.to_string(),
                        accepted,
                        (!accepted).then_some("[]"),
                    ],
                )
                .unwrap();
        }
    }

    let storage = county_server::open_storage(&path.display().to_string())
        .await
        .unwrap();
    let authenticated = storage
        .authenticate(&sha256_hex(token))
        .await
        .unwrap()
        .expect("the device still authenticates");
    {
        let connection = Connection::open(&path).unwrap();
        let record_json: Vec<Option<String>> = connection
            .prepare("SELECT record_json FROM sync_records ORDER BY seq")
            .unwrap()
            .query_map([], |row| row.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(
            record_json,
            [None, Some("{\"kept\":true}".to_string())],
            "only the refused record keeps its JSON"
        );
        let current_record: String = connection
            .query_row("SELECT record_id FROM entries", [], |row| row.get(0))
            .unwrap();
        assert_eq!(current_record, first_record.to_string());
    }

    let mut edited = stored.clone();
    edited["body"]["severity"] = "critical".into();
    let answer = storage
        .sync(
            authenticated,
            request(vec![record(3, device, 2_000, Some(&stored), &edited)], None),
            Utc::now(),
        )
        .await
        .unwrap();
    assert_eq!(answer.acknowledged_through, 3);
    assert!(answer.rejected.is_empty(), "{:?}", answer.rejected);

    let connection = Connection::open(&path).unwrap();
    let versions: Vec<(i64, String)> = connection
        .prepare("SELECT revision, document FROM entry_versions ORDER BY revision")
        .unwrap()
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(versions.len(), 1, "the replaced version once: {versions:?}");
    assert!(versions[0].1.contains("\"high\""));
    let (revision, document): (i64, String) = connection
        .query_row("SELECT revision, document FROM entries", [], |row| {
            Ok((row.get(0)?, row.get(1)?))
        })
        .unwrap();
    assert_eq!(revision, 2);
    let document: serde_json::Value = serde_json::from_str(&document).unwrap();
    assert_eq!(document["body"]["severity"], "critical");
    assert_eq!(document["body"]["description"], "铁网被洪水冲毁约30米");
}
