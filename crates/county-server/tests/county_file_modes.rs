//! County files only their owner reads: the real `county-server` binary serves over a data
//! dir, a device syncs an entry with a photo (thumbnail and original) through the HTTP API, and
//! then every folder under the data dir is `0700` and every file (`county.sqlite3`, its
//! `-wal` / `-shm`, the photos) `0600`. A data dir left readable by others (by hand, or an
//! older version) is fixed when the server opens it again.
#![cfg(unix)]

mod admin;
mod common;

use common::hazard;
use common::process::{hex_sha256, walk, ServerProcess};
use patrol_model::EntryId;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

fn mode(path: &Path) -> u32 {
    std::fs::symlink_metadata(path)
        .unwrap()
        .permissions()
        .mode()
        & 0o7777
}

/// Every folder under `root` is 0700 and every file 0600; returns the files' names.
fn assert_owner_only(root: &Path) -> Vec<String> {
    let mut files = Vec::new();
    for path in walk(root) {
        let name = path.strip_prefix(root).unwrap().display().to_string();
        if path.is_dir() {
            assert_eq!(mode(&path), 0o700, "the folder {name:?} is owner-only");
        } else {
            assert_eq!(mode(&path), 0o600, "the file {name:?} is owner-only");
            files.push(name);
        }
    }
    files
}

/// A server whose device synced a hazard with one photo, both variants uploaded.
async fn server_with_a_photo() -> ServerProcess {
    let server = ServerProcess::start(None);
    server.cli(&["post", "add", "田蓬联防所"]);
    let mut device = server.enrol("田蓬联防所").await;
    let original = admin::test_picture(image::ImageFormat::Jpeg, 640, 480, 3);
    let thumbnail = admin::test_picture(image::ImageFormat::Jpeg, 320, 240, 3);
    let sha256 = hex_sha256(&original);
    let mut entry = hazard(EntryId::new_v7(), device.id, "high", "铁网被冲毁约30米");
    entry["photos"] = serde_json::json!([{"sha256": sha256, "role": "before"}]);
    server.sync(&mut device, &[entry]).await;
    server
        .upload_photo(&device, &sha256, "thumbnail", &thumbnail)
        .await;
    server
        .upload_photo(&device, &sha256, "original", &original)
        .await;
    server
}

#[tokio::test]
async fn after_a_sync_with_photos_every_county_file_is_owner_only() {
    let server = server_with_a_photo().await;
    let files = assert_owner_only(&server.data_dir());
    for expected in ["county.sqlite3", "county.sqlite3-wal", "county.sqlite3-shm"] {
        assert!(
            files.iter().any(|f| f == expected),
            "{expected} in {files:?}"
        );
    }
    let photos = files.iter().filter(|f| f.starts_with("photos/")).count();
    assert_eq!(
        photos, 2,
        "the thumbnail and the original are kept: {files:?}"
    );
}

#[tokio::test]
async fn a_data_dir_others_could_read_is_fixed_when_the_server_opens_it() {
    let mut server = server_with_a_photo().await;
    server.stop();
    for path in walk(&server.data_dir()) {
        let loose = if path.is_dir() { 0o755 } else { 0o644 };
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(loose)).unwrap();
    }
    server.launch();
    server.ready().await;
    let files = assert_owner_only(&server.data_dir());
    assert!(files.iter().any(|f| f == "county.sqlite3"), "{files:?}");

    // The CLI opens the same file: it stays owner-only, and a new database is born so.
    server.cli(&["post", "list"]);
    assert_owner_only(&server.data_dir());
    let fresh = tempfile::tempdir().unwrap();
    let database = fresh.path().join("new/county.sqlite3");
    let output = common::process::run_county_server(
        &database.display().to_string(),
        &["post", "add", "八布联防所"],
        "",
    );
    assert!(output.status.success());
    assert_owner_only(&fresh.path().join("new"));
}
