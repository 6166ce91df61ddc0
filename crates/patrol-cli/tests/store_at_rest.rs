//! The device's data at rest, with the real `patrol` and `county-server` binaries: only the
//! owner can read the data directory (folders 0700, files 0600), whether made now or by an
//! older version.

mod common;

use common::county::County;
use common::*;
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
