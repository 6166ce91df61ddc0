//! The device's data at rest, with the real `patrol` and `county-server` binaries: only the
//! owner can read the data directory (folders 0700, files 0600), whether made now or by an
//! older version; the token never goes over plain HTTP off this machine unless allowed;
//! nothing of an entry, the token or a photo is readable in any file of the data directory;
//! a plain store of the previous version is encrypted in place, whatever step a crash stops it
//! at, keeping every entry, its history and the outbox, and then syncs.

mod common;

use common::county::County;
use common::*;
use patrol_device::store::at_rest::migrate::{encrypt_plain_store_until, EncryptionStep};
use patrol_device::store::at_rest::sealed_files::unseal;
use patrol_device::store::at_rest::{open_raw_store, StoreKey};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

/// Every folder and file under `directory` (itself included) with its permission bits.
fn modes_under(directory: &Path) -> Vec<(PathBuf, bool, u32)> {
    let mut found = Vec::new();
    let metadata = std::fs::symlink_metadata(directory).unwrap();
    found.push((
        directory.to_path_buf(),
        true,
        metadata.permissions().mode() & 0o7777,
    ));
    for entry in std::fs::read_dir(directory).unwrap() {
        let path = entry.unwrap().path();
        let metadata = std::fs::symlink_metadata(&path).unwrap();
        if metadata.is_dir() {
            found.extend(modes_under(&path));
        } else {
            found.push((path, false, metadata.permissions().mode() & 0o7777));
        }
    }
    found
}

fn assert_owner_only(data_dir: &Path) {
    let modes = modes_under(data_dir);
    for (path, is_dir, mode) in &modes {
        let wanted = if *is_dir { 0o700 } else { 0o600 };
        assert_eq!(
            *mode,
            wanted,
            "{} is {mode:o}, wanted {wanted:o}",
            path.display()
        );
    }
}

fn camera_photo(directory: &Path) -> PathBuf {
    let photo = directory.join("IMG_0001.jpg");
    image::RgbImage::from_fn(2400, 1800, |x, y| {
        image::Rgb([(x % 256) as u8, (y % 256) as u8, 40])
    })
    .save(&photo)
    .unwrap();
    photo
}

/// Enrols `patrol` with a fresh code of a new post of `county`.
fn enrol(patrol: &Patrol, county: &County) {
    let post = county
        .admin(&["post", "add", "田蓬联防所"])
        .trim()
        .to_string();
    let code = county.admin(&["enroll-code", &post]).trim().to_string();
    patrol.ok(&["enroll", &county.url, &code], "");
}

#[test]
fn the_data_dir_is_readable_by_its_owner_only_after_enrol_record_photo_and_sync() {
    let county = County::start();
    let patrol = Patrol::new();
    let outside = tempfile::tempdir().unwrap();
    let photo = camera_photo(outside.path());
    enrol(&patrol, &county);
    patrol.ok(
        &[
            "record",
            "hazard",
            "--json",
            "-",
            "--photo",
            photo.to_str().unwrap(),
        ],
        HAZARD,
    );
    patrol.ok(&["sync"], "");

    let modes = modes_under(patrol.path());
    let names: Vec<String> = modes
        .iter()
        .map(|(path, _, _)| {
            path.strip_prefix(patrol.path())
                .unwrap()
                .display()
                .to_string()
        })
        .collect();
    assert!(
        names.iter().any(|name| name == "patrol.sqlite3"),
        "{names:?}"
    );
    assert!(
        names
            .iter()
            .any(|name| name.starts_with("photos/originals/")),
        "the camera original is kept: {names:?}"
    );
    assert!(
        names
            .iter()
            .filter(|name| name.starts_with("photos/") && !name.starts_with("photos/originals"))
            .count()
            >= 2,
        "a send version in its folder: {names:?}"
    );
    assert_owner_only(patrol.path());
}

#[test]
fn a_store_left_readable_by_an_older_version_is_tightened_on_open() {
    let patrol = Patrol::new();
    let outside = tempfile::tempdir().unwrap();
    let photo = camera_photo(outside.path());
    patrol.ok(
        &[
            "record",
            "hazard",
            "--json",
            "-",
            "--photo",
            photo.to_str().unwrap(),
        ],
        HAZARD,
    );
    // What the previous version left: 0755 folders, 0644 files.
    for (path, is_dir, _) in modes_under(patrol.path()) {
        let mode = if is_dir { 0o755 } else { 0o644 };
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).unwrap();
    }
    let listed = patrol.ok(&["list"], "");
    assert!(listed.contains("铁网"), "{listed}");
    assert_owner_only(patrol.path());
}

/// An address of this machine that is not loopback (the one a route out leaves from).
fn non_loopback_address() -> std::net::IpAddr {
    for probe in ["192.0.2.1:9", "10.255.255.1:9", "8.8.8.8:53"] {
        let socket = std::net::UdpSocket::bind("0.0.0.0:0").unwrap();
        if socket.connect(probe).is_ok() {
            let address = socket.local_addr().unwrap().ip();
            if !address.is_loopback() && !address.is_unspecified() {
                return address;
            }
        }
    }
    panic!("this machine has no non-loopback IPv4 address to test plain HTTP against");
}

/// A listener on `address` that records whether anything connected to it.
struct ConnectionRecorder {
    url: String,
    connected: std::sync::Arc<std::sync::atomic::AtomicBool>,
}

impl ConnectionRecorder {
    fn start(address: std::net::IpAddr) -> ConnectionRecorder {
        let listener = std::net::TcpListener::bind((address, 0)).unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let connected = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let flag = connected.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                flag.store(true, std::sync::atomic::Ordering::SeqCst);
                drop(stream);
            }
        });
        ConnectionRecorder { url, connected }
    }

    fn was_connected(&self) -> bool {
        // A connection the client made is accepted within this time on a loaded machine.
        std::thread::sleep(std::time::Duration::from_millis(300));
        self.connected.load(std::sync::atomic::Ordering::SeqCst)
    }
}

#[test]
fn enrolment_over_plain_http_off_this_machine_is_refused_before_any_byte_is_sent() {
    let recorder = ConnectionRecorder::start(non_loopback_address());
    let patrol = Patrol::new();
    let output = patrol.run(&["enroll", &recorder.url, "K7QX-2M4P"], "");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(9), "{stderr}");
    assert!(stderr.contains("不安全的连接"), "{stderr}");
    assert!(
        stderr.contains(&recorder.url),
        "the address is named: {stderr}"
    );
    assert!(stderr.contains("不是本机"), "and why: {stderr}");
    assert!(
        !recorder.was_connected(),
        "the code must not leave the device: a connection reached {}",
        recorder.url
    );
    let status = patrol.ok(&["status", "--json"], "");
    let status: serde_json::Value = serde_json::from_str(&status).unwrap();
    assert!(status["enrolment"].is_null(), "not enrolled: {status}");

    // With the flag the device does connect (here to a listener that is no county server).
    let output = patrol.run(
        &[
            "enroll",
            "--allow-insecure-http",
            &recorder.url,
            "K7QX-2M4P",
        ],
        "",
    );
    assert_ne!(output.status.code(), Some(9));
    assert!(
        recorder.was_connected(),
        "with the flag the device connects"
    );
}

#[test]
fn with_the_insecure_flag_a_device_enrols_over_plain_http_and_later_syncs_honour_it() {
    let address = non_loopback_address();
    let county = County::start_on(&format!("{address}:0"), &["--plain-http-behind-proxy"]);
    assert!(county.url.contains(&address.to_string()), "{}", county.url);
    let post = county
        .admin(&["post", "add", "田蓬联防所"])
        .trim()
        .to_string();
    let code = county.admin(&["enroll-code", &post]).trim().to_string();
    let patrol = Patrol::new();
    patrol.ok(&["enroll", "--allow-insecure-http", &county.url, &code], "");
    patrol.ok(&["record", "--json", "-"], HAZARD);
    let synced = patrol.ok(&["sync"], "");
    assert!(synced.contains("确认 1 条"), "{synced}");
    assert_eq!(
        county.exported_descriptions(),
        ["铁网被洪水冲毁约30米"],
        "the entry reached the county"
    );
}

/// Every file under `directory`, recursively.
fn files_under(directory: &Path) -> Vec<PathBuf> {
    modes_under(directory)
        .into_iter()
        .filter(|(_, is_dir, _)| !is_dir)
        .map(|(path, _, _)| path)
        .collect()
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty()
        && haystack
            .windows(needle.len())
            .any(|window| window == needle)
}

/// The files under `data_dir` that hold `needle`.
fn files_holding(data_dir: &Path, needle: &[u8]) -> Vec<PathBuf> {
    files_under(data_dir)
        .into_iter()
        .filter(|path| contains(&std::fs::read(path).unwrap(), needle))
        .collect()
}

const SECRET_FINDING: &str = "界碑XK-4471以北发现可疑脚印三行";
const SECRET_WORD: &str = "XK-4471";

fn secret_hazard() -> String {
    HAZARD.replace("铁网被洪水冲毁约30米", SECRET_FINDING)
}

#[test]
fn no_entry_text_token_or_photo_is_readable_anywhere_under_the_data_dir() {
    let county = County::start();
    let patrol = Patrol::new();
    let outside = tempfile::tempdir().unwrap();
    let photo = camera_photo(outside.path());
    let camera_file = std::fs::read(&photo).unwrap();
    enrol(&patrol, &county);
    // Held open so the store keeps its `-wal` between the commands, as the app does.
    let watcher = open_raw_store(patrol.path()).unwrap();
    let _: i64 = watcher
        .query_row("SELECT count(*) FROM entries", [], |row| row.get(0))
        .unwrap();
    patrol.ok(
        &[
            "record",
            "hazard",
            "--json",
            "-",
            "--photo",
            photo.to_str().unwrap(),
        ],
        &secret_hazard(),
    );
    patrol.ok(
        &["record", "--json", "-"],
        &PATROL.replace("界碑123附近发现新踩踏便道", SECRET_FINDING),
    );
    patrol.ok(&["sync"], "");
    patrol.ok(&["record", "--json", "-"], &secret_hazard());

    let token: String = watcher
        .query_row(
            "SELECT value FROM device_settings WHERE key = 'device_token'",
            [],
            |row| row.get(0),
        )
        .unwrap();
    assert!(token.len() >= 20, "{token}");
    let wal = patrol.path().join("patrol.sqlite3-wal");
    assert!(
        std::fs::metadata(&wal).map(|m| m.len()).unwrap_or(0) > 0,
        "the -wal is there to be searched too"
    );
    let store = patrol_device::DeviceStore::open(patrol.path()).unwrap();
    let photo_row = store
        .list_entries(&Default::default())
        .unwrap()
        .entries
        .iter()
        .find_map(|entry| {
            let id = entry.id.parse().unwrap();
            store
                .entry(id)
                .unwrap()
                .photos
                .first()
                .map(|photo| photo.sha256.clone())
        })
        .unwrap();
    let send_version = store.send_version_bytes(&photo_row).unwrap();
    let thumbnail = store.photo_thumbnail(&photo_row).unwrap().unwrap();
    drop(store);

    let needles: Vec<(&str, Vec<u8>)> = vec![
        ("the entry's text", SECRET_FINDING.as_bytes().to_vec()),
        ("a word of it", SECRET_WORD.as_bytes().to_vec()),
        (
            "the member's words in UTF-16",
            "可疑脚印"
                .encode_utf16()
                .flat_map(u16::to_le_bytes)
                .collect(),
        ),
        ("the device token", token.as_bytes().to_vec()),
        ("a JFIF JPEG header", b"JFIF\0".to_vec()),
        ("an EXIF header", b"Exif\0\0".to_vec()),
        ("the camera file's start", camera_file[..64].to_vec()),
        ("the send version's start", send_version[..64].to_vec()),
        ("the thumbnail's start", thumbnail[..64].to_vec()),
        ("the SQLite header", b"SQLite format 3\0".to_vec()),
    ];
    let files = files_under(patrol.path());
    assert!(
        files.len() >= 5,
        "store, key, -wal, -shm, photos: {files:?}"
    );
    for (what, needle) in &needles {
        let found = files_holding(patrol.path(), needle);
        assert!(found.is_empty(), "{what} is readable in {found:?}");
    }
    // The search works: the same needles are found in the plain files they came from.
    assert!(contains(&camera_file, b"JFIF\0"));
    assert!(contains(&send_version, b"JFIF\0") || send_version.starts_with(&[0xFF, 0xD8, 0xFF]));
    drop(watcher);
}

/// The key of the store in `data_dir` (from its key file: no keystore in tests).
fn key_of(data_dir: &Path) -> StoreKey {
    StoreKey::from_hex(&std::fs::read_to_string(data_dir.join("store.key")).unwrap()).unwrap()
}

/// Turns the store in `data_dir` into what the previous version left: a plain SQLite file of
/// the same schema and plain photo files, no key.
fn make_plain_as_the_previous_version_did(data_dir: &Path) {
    let key = key_of(data_dir);
    let plain = data_dir.join("plain.sqlite3");
    {
        let connection = open_raw_store(data_dir).unwrap();
        connection
            .execute_batch("PRAGMA wal_checkpoint(TRUNCATE)")
            .unwrap();
        let version: i64 = connection
            .query_row("PRAGMA user_version", [], |row| row.get(0))
            .unwrap();
        connection
            .execute(
                "ATTACH DATABASE ?1 AS plain KEY ''",
                [plain.to_str().unwrap()],
            )
            .unwrap();
        connection
            .query_row("SELECT sqlcipher_export('plain')", [], |_| Ok(()))
            .unwrap();
        connection
            .execute_batch(&format!(
                "PRAGMA plain.user_version = {version};
                 DELETE FROM plain.device_settings WHERE key = 'photos_sealed';
                 DETACH DATABASE plain;"
            ))
            .unwrap();
    }
    for suffix in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(data_dir.join(format!("patrol.sqlite3{suffix}")));
    }
    std::fs::rename(&plain, data_dir.join("patrol.sqlite3")).unwrap();
    for path in files_under(&data_dir.join("photos")) {
        let place = path
            .strip_prefix(data_dir)
            .unwrap()
            .to_str()
            .unwrap()
            .to_string();
        let plain = unseal(&key, &place, &path, &std::fs::read(&path).unwrap()).unwrap();
        std::fs::write(&path, plain).unwrap();
    }
    std::fs::remove_file(data_dir.join("store.key")).unwrap();
}

/// Every row of the plain store, as `Patrol::snapshot` lists them.
fn plain_snapshot(data_dir: &Path) -> Vec<String> {
    let connection = rusqlite::Connection::open(data_dir.join("patrol.sqlite3")).unwrap();
    let mut rows = Vec::new();
    for table in [
        "entries",
        "entry_versions",
        "outbox",
        "photos",
        "track_points",
        "patrol_tracks",
    ] {
        let mut statement = connection
            .prepare(&format!("SELECT * FROM {table} ORDER BY 1, 2"))
            .unwrap();
        let columns = statement.column_count();
        let mut query = statement.query([]).unwrap();
        while let Some(row) = query.next().unwrap() {
            let values: Vec<String> = (0..columns)
                .map(|i| format!("{:?}", row.get_ref(i).unwrap()))
                .collect();
            rows.push(format!("{table}: {}", values.join(" | ")));
        }
    }
    rows
}

/// A plain store as the previous version left it, enrolled with `county`: a hazard with a
/// photo, edited; a patrol; one entry synced, the rest pending. Its rows, and the plain photo
/// files with their bytes.
fn previous_versions_store(
    patrol: &Patrol,
    county: &County,
) -> (Vec<String>, Vec<(PathBuf, Vec<u8>)>) {
    let outside = tempfile::tempdir().unwrap();
    let photo = camera_photo(outside.path());
    enrol(patrol, county);
    patrol.ok(&["record", "--json", "-"], PATROL);
    patrol.ok(&["sync"], "");
    let hazard_id = patrol
        .ok(
            &[
                "record",
                "hazard",
                "--json",
                "-",
                "--photo",
                photo.to_str().unwrap(),
            ],
            &secret_hazard(),
        )
        .trim()
        .to_string();
    let mut edited: serde_json::Value = serde_json::from_str(&secret_hazard()).unwrap();
    edited["body"]["severity"] = "medium".into();
    patrol.ok(&["edit", &hazard_id, "--json", "-"], &edited.to_string());
    make_plain_as_the_previous_version_did(patrol.path());

    let header = std::fs::read(patrol.path().join("patrol.sqlite3")).unwrap();
    assert!(
        header.starts_with(b"SQLite format 3\0"),
        "the store is plain"
    );
    assert!(
        contains(&header, SECRET_WORD.as_bytes()),
        "its text readable"
    );
    let rows = plain_snapshot(patrol.path());
    assert!(
        rows.iter()
            .filter(|row| row.starts_with("entry_versions"))
            .count()
            >= 3,
        "{rows:?}"
    );
    assert!(
        rows.iter().filter(|row| row.starts_with("outbox")).count() >= 3,
        "{rows:?}"
    );
    let photos: Vec<(PathBuf, Vec<u8>)> = files_under(&patrol.path().join("photos"))
        .into_iter()
        .map(|path| {
            let bytes = std::fs::read(&path).unwrap();
            (path, bytes)
        })
        .collect();
    assert_eq!(photos.len(), 2, "a send version and its camera original");
    assert!(photos
        .iter()
        .all(|(_, bytes)| bytes.starts_with(&[0xFF, 0xD8, 0xFF])));
    (rows, photos)
}

/// After the migration: the same rows, every photo opens to its old bytes, nothing readable,
/// and the pending entries sync with their photo.
fn assert_migrated_keeping_everything(
    patrol: &Patrol,
    county: &County,
    rows: &[String],
    photos: &[(PathBuf, Vec<u8>)],
) {
    let listed = patrol.ok(&["list"], "");
    assert!(listed.contains(SECRET_WORD), "{listed}");
    assert_eq!(
        patrol.snapshot(),
        rows,
        "every entry, version, outbox row and photo row kept"
    );
    for (path, _) in photos {
        let sealed = std::fs::read(path).unwrap();
        assert!(
            !sealed.starts_with(&[0xFF, 0xD8]),
            "{} is sealed",
            path.display()
        );
    }
    {
        let store = patrol_device::DeviceStore::open(patrol.path()).unwrap();
        for (path, bytes) in photos {
            let place = path
                .strip_prefix(patrol.path())
                .unwrap()
                .to_str()
                .unwrap()
                .to_string();
            let opened = unseal(
                &key_of(patrol.path()),
                &place,
                path,
                &std::fs::read(path).unwrap(),
            )
            .unwrap();
            assert_eq!(&opened, bytes, "{} opens to what it was", path.display());
        }
        assert_eq!(store.sync_status().unwrap().pending_records, 2);
    }
    assert!(files_holding(patrol.path(), SECRET_WORD.as_bytes()).is_empty());
    assert!(files_holding(patrol.path(), b"SQLite format 3\0").is_empty());
    assert_owner_only(patrol.path());

    let synced = patrol.ok(&["sync"], "");
    assert!(synced.contains("确认 2 条"), "{synced}");
    let status: serde_json::Value =
        serde_json::from_str(&patrol.ok(&["status", "--json"], "")).unwrap();
    assert_eq!(status["pending_records"], 0, "{status}");
    assert_eq!(
        status["pending_photo_bytes"], 0,
        "the photo reached the county: {status}"
    );
    let exported = county.admin(&["export", "--format", "jsonl"]);
    assert!(exported.contains(SECRET_FINDING), "{exported}");
}

#[test]
fn a_plain_store_of_the_previous_version_is_encrypted_in_place_keeping_everything_and_syncs() {
    let county = County::start();
    let patrol = Patrol::new();
    let (rows, photos) = previous_versions_store(&patrol, &county);
    assert_migrated_keeping_everything(&patrol, &county, &rows, &photos);
}

#[test]
fn a_crash_at_any_step_of_the_encryption_leaves_a_store_that_opens_and_finishes() {
    for step in [
        EncryptionStep::KeyKept,
        EncryptionStep::Exported,
        EncryptionStep::Renamed,
        EncryptionStep::OnePhotoSealed,
    ] {
        let county = County::start();
        let patrol = Patrol::new();
        let (rows, photos) = previous_versions_store(&patrol, &county);
        encrypt_plain_store_until(patrol.path(), step).unwrap();
        if step < EncryptionStep::Renamed {
            assert_eq!(
                plain_snapshot(patrol.path()),
                rows,
                "{step:?}: the plain store is whole"
            );
        }
        if step == EncryptionStep::OnePhotoSealed {
            let sealed = photos
                .iter()
                .filter(|(path, bytes)| &std::fs::read(path).unwrap() != bytes)
                .count();
            assert_eq!(sealed, 1, "stopped with one photo sealed, one not");
        }
        assert_migrated_keeping_everything(&patrol, &county, &rows, &photos);
    }
}

#[test]
fn a_session_bus_that_does_not_answer_falls_back_to_the_key_file_at_once() {
    let patrol = Patrol::new();
    let started = std::time::Instant::now();
    let output = patrol
        .command()
        .args(["record", "--json", "-"])
        .env(
            "DBUS_SESSION_BUS_ADDRESS",
            "unix:path=/nonexistent/patrol-test-bus",
        )
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .and_then(|mut child| {
            use std::io::Write;
            child.stdin.take().unwrap().write_all(HAZARD.as_bytes())?;
            child.wait_with_output()
        })
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        started.elapsed() < std::time::Duration::from_secs(8),
        "no hang: {:?}",
        started.elapsed()
    );
    let key_file = patrol.path().join("store.key");
    assert!(key_file.exists(), "the key went to the file");
    let mode = std::fs::metadata(&key_file).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    assert!(patrol.ok(&["list"], "").contains("铁网"));
}
