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
