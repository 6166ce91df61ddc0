//! A damaged or empty store file is reported to the member and kept for recovery, never
//! silently replaced by a new store with a new device id. Only a missing file makes a new store.

use patrol_device::{DeviceError, DeviceStore, KEY_FILE_NAME, STORE_FILE_NAME};
use std::path::Path;

/// Opening must fail with the damaged-store error, in Chinese saying the file is damaged and
/// kept, and leave the file exactly as it was.
fn assert_reported_and_kept(directory: &Path, reason_zh: &str) {
    let path = directory.join(STORE_FILE_NAME);
    let before = std::fs::read(&path).unwrap();
    for attempt in 0..2 {
        let error = match DeviceStore::open(directory) {
            Err(error) => error,
            Ok(store) => panic!(
                "attempt {attempt}: a damaged store opened as device {}",
                store.device_id()
            ),
        };
        assert!(
            matches!(error, DeviceError::StoreDamaged { .. }),
            "attempt {attempt}: {error:?}"
        );
        assert_eq!(error.kind_code(), "damaged");
        let message = error.message_zh();
        for words in ["已损坏", "已原样保留", "联系县边防办", reason_zh] {
            assert!(message.contains(words), "{words:?} in {message}");
        }
        assert!(message.contains(&path.display().to_string()), "{message}");
        assert_eq!(
            std::fs::read(&path).unwrap(),
            before,
            "the file is kept as it was"
        );
    }
}

#[test]
fn a_zero_length_store_is_reported_and_kept() {
    let directory = tempfile::tempdir().unwrap();
    std::fs::write(directory.path().join(STORE_FILE_NAME), b"").unwrap();
    assert_reported_and_kept(directory.path(), "文件为空");
}

#[test]
fn a_file_that_is_not_a_database_is_reported_and_kept() {
    let directory = tempfile::tempdir().unwrap();
    std::fs::write(
        directory.path().join(STORE_FILE_NAME),
        "这不是数据库 this is not a database, but someone's notes".repeat(100),
    )
    .unwrap();
    assert_reported_and_kept(directory.path(), "不是数据库文件");
}

#[test]
fn a_database_without_the_stores_schema_is_reported_and_kept() {
    let directory = tempfile::tempdir().unwrap();
    let connection = rusqlite::Connection::open(directory.path().join(STORE_FILE_NAME)).unwrap();
    connection
        .execute_batch("CREATE TABLE notes (text TEXT); INSERT INTO notes VALUES ('别删');")
        .unwrap();
    drop(connection);
    assert_reported_and_kept(directory.path(), "空库");
}

#[test]
fn a_store_that_lost_its_device_id_is_not_given_a_new_one() {
    let directory = tempfile::tempdir().unwrap();
    let mut store = DeviceStore::open(directory.path()).unwrap();
    let draft = patrol_model::parse_entry_draft(
        r#"{"kind":"hazard","occurred_at":"2024-03-02T09:00:00+08:00","body":{"category":"fence","severity":"high","description":"铁网"}}"#,
        None,
    )
    .unwrap();
    store.record_entry(draft, vec![]).unwrap();
    drop(store);
    let connection = patrol_device::store::at_rest::open_raw_store(directory.path()).unwrap();
    connection
        .execute_batch("DELETE FROM device_identity; PRAGMA wal_checkpoint(TRUNCATE);")
        .unwrap();
    drop(connection);
    assert_reported_and_kept(directory.path(), "缺少本机设备编号");
}

#[test]
fn only_a_missing_file_makes_a_new_store_and_it_keeps_its_id() {
    let directory = tempfile::tempdir().unwrap();
    // What a crash while creating a store would leave: removed, never mistaken for a store.
    std::fs::write(directory.path().join("patrol.sqlite3.new"), b"half").unwrap();
    let first = DeviceStore::open(directory.path()).unwrap();
    let id = first.device_id();
    assert_eq!(first.integrity_check().unwrap(), "ok");
    drop(first);
    assert!(!directory.path().join("patrol.sqlite3.new").exists());
    let again = DeviceStore::open(directory.path()).unwrap();
    assert_eq!(again.device_id(), id, "reopening keeps the device id");
}

/// A store with one entry, closed; its directory.
fn store_with_an_entry() -> tempfile::TempDir {
    let directory = tempfile::tempdir().unwrap();
    let mut store = DeviceStore::open(directory.path()).unwrap();
    let draft = patrol_model::parse_entry_draft(
        r#"{"kind":"hazard","occurred_at":"2024-03-02T09:00:00+08:00","body":{"category":"fence","severity":"high","description":"铁网"}}"#,
        None,
    )
    .unwrap();
    store.record_entry(draft, vec![]).unwrap();
    drop(store);
    directory
}

#[test]
fn a_store_whose_key_file_is_lost_is_reported_and_kept_never_replaced() {
    let directory = store_with_an_entry();
    let key_file = directory.path().join(KEY_FILE_NAME);
    assert!(key_file.exists(), "no keystore here: the key is in a file");
    let key = std::fs::read(&key_file).unwrap();
    std::fs::remove_file(&key_file).unwrap();
    assert_reported_and_kept(directory.path(), "找不到它的密钥");
    assert!(
        !key_file.exists(),
        "no new key is made for a store that has one"
    );

    // The key back: everything is there.
    std::fs::write(&key_file, key).unwrap();
    let store = DeviceStore::open(directory.path()).unwrap();
    assert_eq!(store.pending_outbox_count().unwrap(), 1);
}

#[test]
fn a_wrong_key_is_reported_and_kept_never_replaced() {
    let directory = store_with_an_entry();
    let key_file = directory.path().join(KEY_FILE_NAME);
    let key = std::fs::read(&key_file).unwrap();
    std::fs::write(&key_file, format!("{}\n", "7".repeat(64))).unwrap();
    assert_reported_and_kept(directory.path(), "本机密钥解不开该文件");
    std::fs::write(&key_file, b"not a key").unwrap();
    let error = DeviceStore::open(directory.path()).map(|_| ()).unwrap_err();
    assert!(
        error.message_zh().contains("密钥文件已损坏"),
        "{}",
        error.message_zh()
    );

    std::fs::write(&key_file, key).unwrap();
    let store = DeviceStore::open(directory.path()).unwrap();
    assert_eq!(store.pending_outbox_count().unwrap(), 1);
}
