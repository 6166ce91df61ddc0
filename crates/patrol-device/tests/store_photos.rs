//! Photos sized for the link: a camera photo imports to a send version (long edge 1600 px, JPEG,
//! upright) that is what the sync uploads, while the camera file is kept byte for byte with the
//! capture time and position its EXIF held; originals are pruned after their time.
//!
//! The camera files are made here: smooth gradients with sensor-like noise, encoded as JPEG, with
//! an EXIF block (APP1) written byte by byte.

mod common;

use chrono::{Duration, Utc};
use common::{fresh_store, hazard};
use patrol_device::{CaptureTime, DeviceError, DeviceStore, PhotoMediaType, StoredPhoto};
use patrol_model::{PhotoAttachment, PhotoRole};
use sha2::{Digest, Sha256};
use std::path::Path;
use std::time::Instant;

// ---------------------------------------------------------------------------------------------
// Camera files

/// A photo-like picture: gradients with detail at several scales (leaves, gravel, sensor
/// noise), which JPEG compresses about as it does a field photo, and a red block in its
/// top-left corner to tell which way it was turned.
fn camera_picture(width: u32, height: u32) -> image::RgbImage {
    // A fixed pseudo-random value per cell of a grid of `cell` px.
    let cell_noise = |x: u32, y: u32, cell: u32, amplitude: i32| {
        let mut hash = (x / cell).wrapping_mul(0x9E37_79B1) ^ (y / cell).wrapping_mul(0x85EB_CA77);
        hash ^= hash >> 15;
        hash = hash.wrapping_mul(0x2C1B_3C6D);
        hash ^= hash >> 12;
        (hash % (2 * amplitude as u32 + 1)) as i32 - amplitude
    };
    image::RgbImage::from_fn(width, height, |x, y| {
        if x < width / 8 && y < height / 8 {
            return image::Rgb([230, 20, 20]);
        }
        let detail = cell_noise(x, y, 1, 5) + cell_noise(x, y, 3, 10) + cell_noise(x, y, 11, 20);
        let channel =
            |value: u32, weight: i32| (value as i32 + detail * weight / 4).clamp(0, 255) as u8;
        image::Rgb([
            channel(40 + 150 * x / width, 3),
            channel(90 + 120 * y / height, 4),
            channel(60 + 60 * (x + y) / (width + height), 2),
        ])
    })
}

fn jpeg_of(picture: &image::RgbImage, quality: u8) -> Vec<u8> {
    let mut jpeg = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, quality)
        .encode_image(picture)
        .unwrap();
    jpeg
}

/// One TIFF field: tag, type (2 ASCII, 3 SHORT, 4 LONG, 5 RATIONAL, 1 BYTE), count, value bytes.
type Field = (u16, u16, u32, Vec<u8>);

fn ascii(tag: u16, text: &str) -> Field {
    let mut bytes = text.as_bytes().to_vec();
    bytes.push(0);
    (tag, 2, bytes.len() as u32, bytes)
}

fn rationals(tag: u16, values: &[(u32, u32)]) -> Field {
    let bytes = values
        .iter()
        .flat_map(|(numerator, denominator)| {
            [numerator.to_le_bytes(), denominator.to_le_bytes()].concat()
        })
        .collect();
    (tag, 5, values.len() as u32, bytes)
}

/// Degrees, minutes and seconds × 100.
type Dms = (u32, u32, u32);

/// What the test cameras write into EXIF.
struct CameraExif<'a> {
    orientation: u16,
    taken: &'a str,
    offset: Option<&'a str>,
    /// Latitude N and longitude E as (degrees, minutes, seconds × 100), altitude in metres.
    gps: Option<(Dms, Dms, u32)>,
}

/// A little-endian TIFF block: IFD0 (orientation, pointers), the Exif IFD, the GPS IFD.
fn exif_tiff(camera: &CameraExif<'_>) -> Vec<u8> {
    let mut exif_fields = vec![ascii(0x9003, camera.taken)];
    if let Some(offset) = camera.offset {
        exif_fields.push(ascii(0x9011, offset));
    }
    let gps_fields = camera.gps.map(|(lat, lon, altitude)| {
        let dms = |(d, m, s): Dms| [(d, 1), (m, 1), (s, 100)];
        vec![
            ascii(0x0001, "N"),
            rationals(0x0002, &dms(lat)),
            ascii(0x0003, "E"),
            rationals(0x0004, &dms(lon)),
            (0x0005, 1, 1, vec![0]),
            rationals(0x0006, &[(altitude, 1)]),
        ]
    });
    let ifd_size = |fields: usize| 2 + 12 * fields as u32 + 4;
    let ifd0_fields = 2 + usize::from(gps_fields.is_some());
    let exif_offset = 8 + ifd_size(ifd0_fields);
    let gps_offset = exif_offset + ifd_size(exif_fields.len());
    let mut ifd0 = vec![
        (0x0112, 3, 1, camera.orientation.to_le_bytes().to_vec()),
        (0x8769, 4, 1, exif_offset.to_le_bytes().to_vec()),
    ];
    let mut ifds = vec![];
    let mut data_offset = gps_offset;
    if let Some(gps_fields) = gps_fields {
        ifd0.push((0x8825, 4, 1, gps_offset.to_le_bytes().to_vec()));
        data_offset += ifd_size(gps_fields.len());
        ifds.push(gps_fields);
    }
    ifds.insert(0, exif_fields);
    ifds.insert(0, ifd0);

    let mut tiff = b"II\x2a\x00\x08\x00\x00\x00".to_vec();
    let mut data = Vec::new();
    for fields in &ifds {
        tiff.extend((fields.len() as u16).to_le_bytes());
        for (tag, kind, count, value) in fields {
            tiff.extend(tag.to_le_bytes());
            tiff.extend(kind.to_le_bytes());
            tiff.extend(count.to_le_bytes());
            if value.len() <= 4 {
                let mut inline = value.clone();
                inline.resize(4, 0);
                tiff.extend(inline);
            } else {
                tiff.extend((data_offset + data.len() as u32).to_le_bytes());
                data.extend(value);
                if data.len() % 2 == 1 {
                    data.push(0);
                }
            }
        }
        tiff.extend(0u32.to_le_bytes());
    }
    assert_eq!(tiff.len() as u32, data_offset);
    tiff.extend(data);
    tiff
}

/// The JPEG with an APP1 Exif segment put right after its start-of-image marker.
fn with_exif(jpeg: &[u8], tiff: &[u8]) -> Vec<u8> {
    assert_eq!(&jpeg[..2], [0xFF, 0xD8]);
    let mut out = jpeg[..2].to_vec();
    out.extend([0xFF, 0xE1]);
    out.extend(((2 + 6 + tiff.len()) as u16).to_be_bytes());
    out.extend(b"Exif\0\0");
    out.extend(tiff);
    out.extend(&jpeg[2..]);
    out
}

/// A 12 MP phone photo held sideways: stored 4000×3000, EXIF orientation 6 (turn right to
/// show), taken at 09:41:07 +08:00 at 23°37'30.36"N 105°37'52.32"E, 1,420 m.
fn phone_photo() -> Vec<u8> {
    let camera = CameraExif {
        orientation: 6,
        taken: "2024:03:02 09:41:07",
        offset: Some("+08:00"),
        gps: Some(((23, 37, 3036), (105, 37, 5232), 1420)),
    };
    with_exif(
        &jpeg_of(&camera_picture(4000, 3000), 92),
        &exif_tiff(&camera),
    )
}

fn write(directory: &Path, name: &str, bytes: &[u8]) -> std::path::PathBuf {
    let path = directory.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// Every file under the store's `photos/`.
fn photo_files(store: &DeviceStore) -> Vec<std::path::PathBuf> {
    fn walk(directory: &Path, found: &mut Vec<std::path::PathBuf>) {
        let Ok(entries) = std::fs::read_dir(directory) else {
            return;
        };
        for entry in entries {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, found);
            } else {
                found.push(path);
            }
        }
    }
    let mut found = Vec::new();
    walk(&store.data_dir().join("photos"), &mut found);
    found.sort();
    found
}

fn attach(store: &mut DeviceStore, photo: &StoredPhoto) -> patrol_model::Entry {
    store
        .record_entry(
            hazard("2024-03-02", "fence", "铁网被洪水冲毁约30米"),
            vec![PhotoAttachment {
                sha256: photo.sha256.clone(),
                role: PhotoRole::Before,
            }],
        )
        .unwrap()
}

/// Marks every variant uploaded, as the sync does when the server has them whole.
fn upload_everything(store: &mut DeviceStore) {
    for upload in store.photos_to_upload().unwrap() {
        store.mark_photo_uploaded(&upload).unwrap();
    }
}

// ---------------------------------------------------------------------------------------------
// Import

#[test]
fn a_phone_photo_syncs_as_an_upright_1600_px_jpeg_and_its_original_stays_whole() {
    let (directory, mut store) = fresh_store();
    let camera_file = phone_photo();
    let source = write(directory.path(), "IMG_0001.jpg", &camera_file);

    let started = Instant::now();
    let photo = store.import_photo(&source).unwrap();
    let import_time = started.elapsed();
    let send = store.send_version_bytes(&photo.sha256).unwrap();
    println!(
        "12 MP import (test profile: this crate opt-level 0, dependencies opt-level 1): {:.2} s; \
         camera file {} B, send version {} B ({}×{}), thumbnail {} B",
        import_time.as_secs_f64(),
        camera_file.len(),
        send.len(),
        photo.width,
        photo.height,
        store.photo_thumbnail(&photo.sha256).unwrap().unwrap().len()
    );

    // The send version: upright (turned right: portrait), long edge 1600, a JPEG that decodes,
    // named by its own SHA-256, much smaller than the camera file.
    assert_eq!((photo.width, photo.height), (1200, 1600));
    assert_eq!(photo.media_type, PhotoMediaType::Jpeg);
    assert_eq!(photo.sha256.as_str(), sha256_hex(&send));
    assert_eq!(photo.byte_len, send.len() as u64);
    assert!(
        send.len() * 4 < camera_file.len(),
        "send version {} B against a {} B camera file",
        send.len(),
        camera_file.len()
    );
    let shown = image::load_from_memory_with_format(&send, image::ImageFormat::Jpeg)
        .unwrap()
        .to_rgb8();
    assert_eq!(shown.dimensions(), (1200, 1600));
    // The camera's top-left corner (red) is at the top right once turned right.
    let red = |pixel: &image::Rgb<u8>| pixel.0[0] > 180 && pixel.0[1] < 80 && pixel.0[2] < 80;
    assert!(red(shown.get_pixel(1200 - 40, 40)), "top right is red");
    assert!(!red(shown.get_pixel(40, 40)), "top left is not");
    assert!(
        !red(shown.get_pixel(1200 - 40, 1600 - 40)),
        "bottom right is not"
    );
    // The send version carries no EXIF (the phone keeps what the camera said).
    assert!(!send.windows(6).any(|window| window == b"Exif\0\0"));

    // The thumbnail is made from the send version: upright too.
    let thumbnail = store.photo_thumbnail(&photo.sha256).unwrap().unwrap();
    let thumbnail = image::load_from_memory(&thumbnail).unwrap();
    assert_eq!((thumbnail.width(), thumbnail.height()), (240, 320));

    // The camera original is kept byte for byte, with its own hash, length and size.
    assert_ne!(photo.original.path, photo.path);
    assert!(photo
        .original
        .path
        .starts_with(store.data_dir().join("photos/originals")));
    assert_eq!(
        store.original_bytes(&photo.sha256).unwrap().unwrap(),
        camera_file
    );
    assert_eq!(photo.original.sha256.as_str(), sha256_hex(&camera_file));
    assert_eq!(photo.original.byte_len, camera_file.len() as u64);
    assert_eq!((photo.original.width, photo.original.height), (3000, 4000));
    assert!(photo.original.kept);

    // The capture time and position the camera wrote are kept with the photo.
    assert_eq!(
        photo.camera.captured_at.map(|time| time.to_text()),
        Some("2024-03-02T09:41:07+08:00".to_string())
    );
    let position = photo.camera.position.unwrap();
    assert!((position.lat - (23.0 + 37.0 / 60.0 + 30.36 / 3600.0)).abs() < 1e-9);
    assert!((position.lon - (105.0 + 37.0 / 60.0 + 52.32 / 3600.0)).abs() < 1e-9);
    assert_eq!(position.altitude_m, Some(1420.0));

    // And they are read back the same after the store is opened again.
    drop(store);
    let store = DeviceStore::open(directory.path()).unwrap();
    assert_eq!(store.photo(&photo.sha256).unwrap().unwrap(), photo);
}

#[test]
fn the_sync_counts_and_sends_the_send_version_not_the_camera_file() {
    let (directory, mut store) = fresh_store();
    let source = write(directory.path(), "IMG_0002.jpg", &phone_photo());
    let photo = store.import_photo(&source).unwrap();
    attach(&mut store, &photo);

    let thumbnail_len = store.photo_thumbnail(&photo.sha256).unwrap().unwrap().len() as u64;
    let status = store.sync_status().unwrap();
    assert_eq!(status.pending_photo_bytes, photo.byte_len + thumbnail_len);

    let uploads = store.photos_to_upload().unwrap();
    let variants: Vec<_> = uploads.iter().map(|u| (u.variant, u.byte_len)).collect();
    assert_eq!(
        variants,
        [("thumbnail", thumbnail_len), ("original", photo.byte_len)]
    );
    let sent = store.photo_bytes(&uploads[1]).unwrap();
    assert_eq!(sent, store.send_version_bytes(&photo.sha256).unwrap());
    assert_eq!(sha256_hex(&sent), photo.sha256.as_str());

    upload_everything(&mut store);
    assert_eq!(store.sync_status().unwrap().pending_photo_bytes, 0);
}

#[test]
fn a_variant_is_begun_from_its_first_chunk_until_it_is_uploaded() {
    let (directory, mut store) = fresh_store();
    let source = write(directory.path(), "IMG_0004.jpg", &phone_photo());
    let photo = store.import_photo(&source).unwrap();
    attach(&mut store, &photo);
    let uploads = store.photos_to_upload().unwrap();
    for upload in &uploads {
        assert!(
            !store.photo_upload_begun(upload).unwrap(),
            "{}",
            upload.variant
        );
    }
    store.begin_photo_upload(&uploads[1]).unwrap();
    store.begin_photo_upload(&uploads[1]).unwrap();
    assert!(!store.photo_upload_begun(&uploads[0]).unwrap());
    assert!(store.photo_upload_begun(&uploads[1]).unwrap());
    store.mark_photo_uploaded(&uploads[1]).unwrap();
    assert!(!store.photo_upload_begun(&uploads[1]).unwrap());
    assert_eq!(
        store.photos_to_upload().unwrap().len(),
        1,
        "the thumbnail is left"
    );
}

#[test]
fn the_same_camera_file_imported_again_is_the_same_photo() {
    let (directory, mut store) = fresh_store();
    let source = write(directory.path(), "IMG_0003.jpg", &phone_photo());
    let first = store.import_photo(&source).unwrap();
    let files = photo_files(&store);
    let second = store.import_photo(&source).unwrap();
    assert_eq!(first, second);
    assert_eq!(photo_files(&store), files);
    assert_eq!(
        files.len(),
        2,
        "one send version and one original: {files:?}"
    );
    assert_eq!(store.photos_to_upload().unwrap().len(), 2);
}

#[test]
fn a_small_upright_jpeg_is_sent_as_it_is_and_never_enlarged() {
    let (directory, mut store) = fresh_store();
    let camera = CameraExif {
        orientation: 1,
        taken: "2024:03:02 10:05:00",
        offset: None,
        gps: None,
    };
    let small = with_exif(
        &jpeg_of(&camera_picture(1000, 750), 80),
        &exif_tiff(&camera),
    );
    assert!(small.len() <= 400 * 1024, "{} B", small.len());
    let source = write(directory.path(), "small.jpg", &small);
    let photo = store.import_photo(&source).unwrap();

    assert_eq!((photo.width, photo.height), (1000, 750));
    assert_eq!(store.send_version_bytes(&photo.sha256).unwrap(), small);
    assert_eq!(photo.sha256.as_str(), sha256_hex(&small));
    assert_eq!(photo.original.sha256, photo.sha256);
    assert_eq!(photo.original.path, photo.path);
    assert_eq!(photo_files(&store), std::slice::from_ref(&photo.path));
    // Without an offset the camera's wall-clock time is kept as it is.
    assert_eq!(
        photo.camera.captured_at.map(|time| time.to_text()),
        Some("2024-03-02T10:05:00".to_string())
    );
    assert!(matches!(
        photo.camera.captured_at,
        Some(CaptureTime::Local(_))
    ));
    assert_eq!(photo.camera.position, None);
}

#[test]
fn a_small_photo_that_must_be_turned_is_encoded_upright_at_its_own_size() {
    let (directory, mut store) = fresh_store();
    let camera = CameraExif {
        orientation: 6,
        taken: "2024:03:02 10:06:00",
        offset: None,
        gps: None,
    };
    let sideways = with_exif(
        &jpeg_of(&camera_picture(1000, 750), 80),
        &exif_tiff(&camera),
    );
    let photo = store
        .import_photo(&write(directory.path(), "side.jpg", &sideways))
        .unwrap();
    assert_eq!((photo.width, photo.height), (750, 1000));
    let shown = image::load_from_memory(&store.send_version_bytes(&photo.sha256).unwrap()).unwrap();
    assert_eq!((shown.width(), shown.height()), (750, 1000));
    assert_eq!(
        store.original_bytes(&photo.sha256).unwrap().unwrap(),
        sideways
    );
}

#[test]
fn a_png_screenshot_is_sent_as_a_jpeg_of_its_own_size() {
    let (directory, mut store) = fresh_store();
    let screenshot = image::RgbaImage::from_fn(1080, 720, |x, y| {
        let alpha = if x < 100 { 0 } else { 255 };
        image::Rgba([(x % 256) as u8, (y % 256) as u8, 90, alpha])
    });
    let source = directory.path().join("screenshot.png");
    screenshot.save(&source).unwrap();
    let png = std::fs::read(&source).unwrap();
    let photo = store.import_photo(&source).unwrap();

    assert_eq!(photo.media_type, PhotoMediaType::Jpeg);
    assert_eq!(photo.original.media_type, PhotoMediaType::Png);
    assert_eq!((photo.width, photo.height), (1080, 720));
    let send = store.send_version_bytes(&photo.sha256).unwrap();
    assert_eq!(
        image::guess_format(&send).unwrap(),
        image::ImageFormat::Jpeg
    );
    let shown = image::load_from_memory(&send).unwrap().to_rgb8();
    // The transparent strip is laid on white.
    assert!(shown.get_pixel(20, 20).0.iter().all(|&c| c > 240));
    assert_eq!(store.original_bytes(&photo.sha256).unwrap().unwrap(), png);
}

#[test]
fn a_bad_file_gets_the_chinese_error_and_stores_nothing() {
    let (directory, mut store) = fresh_store();
    let camera_file = phone_photo();
    for (name, bytes, reason) in [
        ("notes.txt", "铁网".as_bytes().to_vec(), "不是 JPEG 或 PNG"),
        ("cut.jpg", camera_file[..300].to_vec(), "照片已损坏"),
        ("cut.png", cut_png(), "照片已损坏"),
    ] {
        let source = write(directory.path(), name, &bytes);
        let error = store.import_photo(&source).unwrap_err();
        assert!(matches!(error, DeviceError::Photo { .. }), "{error:?}");
        assert!(
            error.message_zh().contains(reason),
            "{}",
            error.message_zh()
        );
        assert!(error.message_zh().contains(name), "{}", error.message_zh());

        let error = patrol_device::PreparedPhoto::from_bytes(name, bytes).unwrap_err();
        match error {
            DeviceError::Invalid(report) => {
                assert_eq!(report.problems[0].field, "photos");
                assert!(report.problems[0].message_zh.contains(reason), "{report}");
            }
            other => panic!("expected invalid, got {other:?}"),
        }
    }
    assert_eq!(photo_files(&store), Vec::<std::path::PathBuf>::new());
    assert!(store.photos_to_upload().unwrap().is_empty());
    assert_eq!(store.sync_status().unwrap().pending_photo_bytes, 0);
}

/// A PNG cut short, as a transfer that stopped half-way leaves it.
fn cut_png() -> Vec<u8> {
    let mut png = Vec::new();
    image::DynamicImage::ImageRgb8(camera_picture(640, 480))
        .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
        .unwrap();
    png.truncate(png.len() / 3);
    png
}

// ---------------------------------------------------------------------------------------------
// Keeping originals

#[test]
fn an_original_is_pruned_180_days_after_its_send_version_was_uploaded() {
    let (directory, mut store) = fresh_store();
    let camera_file = phone_photo();
    let photo = store
        .import_photo(&write(directory.path(), "IMG_0004.jpg", &camera_file))
        .unwrap();
    attach(&mut store, &photo);
    let now = Utc::now();

    // Not uploaded yet: kept however long it waits.
    let pruned = store
        .prune_photo_originals(now + Duration::days(400))
        .unwrap();
    assert_eq!(pruned.originals, 0);
    upload_everything(&mut store);
    let pruned = store
        .prune_photo_originals(now + Duration::days(179))
        .unwrap();
    assert_eq!(pruned.originals, 0);
    assert!(photo.original.path.exists());

    let pruned = store
        .prune_photo_originals(now + Duration::days(181))
        .unwrap();
    assert_eq!(pruned.originals, 1);
    assert_eq!(pruned.bytes, camera_file.len() as u64);
    assert!(!photo.original.path.exists());
    let after = store.photo(&photo.sha256).unwrap().unwrap();
    assert!(!after.original.kept);
    // The send version, its thumbnail and the camera metadata stay.
    assert_eq!(
        store.send_version_bytes(&after.sha256).unwrap(),
        store.send_version_bytes(&photo.sha256).unwrap()
    );
    assert!(store.photo_thumbnail(&photo.sha256).unwrap().is_some());
    assert_eq!(after.camera, photo.camera);
    assert_eq!(
        store
            .prune_photo_originals(now + Duration::days(182))
            .unwrap()
            .originals,
        0
    );

    // Imported again, the original is kept again.
    let again = store
        .import_photo(&write(directory.path(), "IMG_0004.jpg", &camera_file))
        .unwrap();
    assert_eq!(again.sha256, photo.sha256);
    assert!(again.original.kept);
    assert_eq!(
        store.original_bytes(&again.sha256).unwrap().unwrap(),
        camera_file
    );
}

#[test]
fn an_original_goes_when_the_member_deletes_its_entry() {
    let (directory, mut store) = fresh_store();
    let kept = store
        .import_photo(&write(directory.path(), "IMG_0005.jpg", &phone_photo()))
        .unwrap();
    attach(&mut store, &kept);
    let other_file = jpeg_of(&camera_picture(2000, 1500), 92);
    let deleted = store
        .import_photo(&write(directory.path(), "IMG_0006.jpg", &other_file))
        .unwrap();
    assert_ne!(deleted.original.sha256, kept.original.sha256);
    let entry = attach(&mut store, &deleted);
    store.delete_entry(entry.id).unwrap();

    let pruned = store.prune_photo_originals(Utc::now()).unwrap();
    assert_eq!(pruned.originals, 1);
    assert!(!deleted.original.path.exists());
    assert!(
        deleted.path.exists(),
        "the send version stays for the tombstone"
    );
    assert!(kept.original.path.exists(), "a live entry's original stays");
}

#[test]
fn an_original_that_is_itself_the_send_version_is_never_pruned() {
    let (directory, mut store) = fresh_store();
    let small = jpeg_of(&camera_picture(800, 600), 80);
    let photo = store
        .import_photo(&write(directory.path(), "small.jpg", &small))
        .unwrap();
    let entry = attach(&mut store, &photo);
    upload_everything(&mut store);
    store.delete_entry(entry.id).unwrap();
    let pruned = store
        .prune_photo_originals(Utc::now() + Duration::days(365))
        .unwrap();
    assert_eq!(pruned.originals, 0);
    assert_eq!(store.send_version_bytes(&photo.sha256).unwrap(), small);
}
