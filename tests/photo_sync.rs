//! Photos follow the records: thumbnails first, then the send versions (the wire variant
//! `original`), each resumable. Over a link that cuts uploads mid-way, every photo's send
//! version still arrives on the county server byte for byte.

mod support;

use patrol_model::{PhotoAttachment, PhotoRole};
use support::fault_proxy::{FaultMix, FaultProxy};
use support::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn photos_arrive_whole_over_a_link_that_cuts_uploads() {
    let server = CountyServer::start();
    let post = server.add_post("田蓬联防所");
    let device = Device::new("李国华的手机");
    device.enroll(&server, &post).await;

    // Three noisy photos; their send versions (JPEG, what syncs) are several chunks each.
    let mut photos = Vec::new();
    for n in 0..3u32 {
        let sha256 = import_noisy_photo(
            &device,
            &format!("fence-{n}.png"),
            (1200, 900),
            0x9E37_79B9u32.wrapping_add(n),
        );
        let send_version = device
            .store
            .lock()
            .unwrap()
            .send_version_bytes(&sha256)
            .unwrap();
        assert!(
            send_version.len() > 3 * 128 * 1024,
            "{} B",
            send_version.len()
        );
        photos.push((sha256, send_version));
    }
    let attachments = photos
        .iter()
        .map(|(sha256, _)| PhotoAttachment {
            sha256: sha256.clone(),
            role: PhotoRole::Before,
        })
        .collect();
    let draft = patrol_model::parse_entry_draft(&hazard_json(2, "铁网冲毁,附照片"), None).unwrap();
    device
        .store
        .lock()
        .unwrap()
        .record_entry(draft, attachments)
        .unwrap();

    let proxy = FaultProxy::start(server.address(), 0x5eed).await;
    proxy.set_mix(FaultMix {
        delay: 0,
        cut_request: 35,
        cut_response: 35,
        replay: 0,
    });
    device.use_server_url(&proxy.url());
    let options = patrol_device::sync::SyncOptions {
        max_photo_chunk_bytes: 128 * 1024,
        ..Default::default()
    };
    let mut attempts = 0;
    loop {
        attempts += 1;
        assert!(attempts <= 200, "photos never finished uploading");
        if device.sync_with(&options).await.is_ok() {
            break;
        }
    }
    println!(
        "finished after {attempts} syncs; faults {:?}",
        proxy.fault_counts()
    );
    let status = device.store.lock().unwrap().sync_status().unwrap();
    assert_eq!(status.pending_photo_bytes, 0);
    assert_eq!(status.pending_records, 0);

    // The county keeps a post's photos under its id: photos/<post>/ab/<sha256>.<variant>.
    let post_photos = server.directory.path().join("data/photos").join(&post);
    for (sha256, bytes) in &photos {
        let hex = sha256.as_str();
        let path = post_photos.join(&hex[..2]).join(format!("{hex}.original"));
        assert_eq!(
            &std::fs::read(&path).unwrap(),
            bytes,
            "{hex} arrived damaged or not at all"
        );
        let thumbnail = post_photos.join(&hex[..2]).join(format!("{hex}.thumbnail"));
        let thumb = image::load_from_memory(&std::fs::read(&thumbnail).unwrap()).unwrap();
        assert!(thumb.width() <= 320);
    }
}

/// A noisy picture of `(width, height)` (so its send version is a real JPEG of some size),
/// imported on `device`.
fn import_noisy_photo(
    device: &Device,
    name: &str,
    (width, height): (u32, u32),
    seed: u32,
) -> patrol_model::PhotoHash {
    let path = device.path().join(name);
    let mut state = seed;
    image::RgbImage::from_fn(width, height, |_, _| {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        image::Rgb([state as u8, (state >> 8) as u8, (state >> 16) as u8])
    })
    .save(&path)
    .unwrap();
    device
        .store
        .lock()
        .unwrap()
        .import_photo(&path)
        .unwrap()
        .sha256
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_photo_added_on_an_edit_reaches_the_county_and_a_removed_one_leaves_the_entry() {
    let server = CountyServer::start();
    let post = server.add_post("田蓬联防所");
    let device = Device::new("李国华的手机");
    device.enroll(&server, &post).await;
    let before = import_noisy_photo(&device, "before.png", (400, 300), 7);
    let repair = r#"{"kind":"repair","occurred_at":"2024-03-05T10:00:00+08:00",
        "body":{"category":"fence","quantity":30,"description":"重新架设铁网30米"}}"#;
    let draft = || patrol_model::parse_entry_draft(repair, None).unwrap();
    let id = device
        .store
        .lock()
        .unwrap()
        .record_entry(
            draft(),
            vec![PhotoAttachment {
                sha256: before.clone(),
                role: PhotoRole::Before,
            }],
        )
        .unwrap()
        .id;
    device.sync().await.unwrap();

    // Hours later the member takes the "after" photo and adds it to the saved repair.
    let after = import_noisy_photo(&device, "after.png", (400, 300), 11);
    let photos = vec![
        PhotoAttachment {
            sha256: before.clone(),
            role: PhotoRole::Before,
        },
        PhotoAttachment {
            sha256: after.clone(),
            role: PhotoRole::After,
        },
    ];
    device
        .store
        .lock()
        .unwrap()
        .edit_entry_and_photos(id, draft(), photos)
        .unwrap();
    let report = device.sync().await.unwrap();
    assert_eq!(
        report.photos_uploaded, 2,
        "the new photo's thumbnail and send version"
    );
    let roles_at_county = |server: &CountyServer| -> Vec<(String, String)> {
        let exported = server.export();
        let entry = exported
            .iter()
            .find(|entry| entry["id"] == id.to_string())
            .unwrap();
        entry["photos"]
            .as_array()
            .unwrap()
            .iter()
            .map(|photo| {
                (
                    photo["sha256"].as_str().unwrap().to_string(),
                    photo["role"].as_str().unwrap().to_string(),
                )
            })
            .collect()
    };
    assert_eq!(
        roles_at_county(&server),
        [
            (before.to_string(), "before".to_string()),
            (after.to_string(), "after".to_string())
        ]
    );
    let sent = device
        .store
        .lock()
        .unwrap()
        .send_version_bytes(&after)
        .unwrap();
    let hex = after.as_str();
    let at_county = server
        .directory
        .path()
        .join("data/photos")
        .join(&post)
        .join(&hex[..2])
        .join(format!("{hex}.original"));
    assert_eq!(std::fs::read(at_county).unwrap(), sent, "byte for byte");

    // The wrong one removed: the county's entry lists only the other.
    device
        .store
        .lock()
        .unwrap()
        .edit_entry_and_photos(
            id,
            draft(),
            vec![PhotoAttachment {
                sha256: after.clone(),
                role: PhotoRole::After,
            }],
        )
        .unwrap();
    device.sync().await.unwrap();
    assert_eq!(
        roles_at_county(&server),
        [(after.to_string(), "after".to_string())]
    );
}

/// On 2G every round trip is a third of a second of a link that sends nothing: a photo never
/// sent before goes up without first asking the server how much of it it has.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_photo_goes_up_in_its_chunks_without_asking_first() {
    let server = CountyServer::start();
    let post = server.add_post("田蓬联防所");
    let device = Device::new("李国华的手机");
    device.enroll(&server, &post).await;
    let sha256 = import_noisy_photo(&device, "landslide.png", (1200, 900), 5);
    let send_version = device
        .store
        .lock()
        .unwrap()
        .send_version_bytes(&sha256)
        .unwrap();
    let draft = patrol_model::parse_entry_draft(&hazard_json(3, "塌方,附照片"), None).unwrap();
    device
        .store
        .lock()
        .unwrap()
        .record_entry(
            draft,
            vec![PhotoAttachment {
                sha256: sha256.clone(),
                role: PhotoRole::Before,
            }],
        )
        .unwrap();
    let chunk = 64 * 1024;
    let options = patrol_device::sync::SyncOptions {
        max_photo_chunk_bytes: chunk,
        ..Default::default()
    };
    let report = device.sync_with(&options).await.unwrap();
    let chunks = send_version.len().div_ceil(chunk) as u32;
    assert!(chunks >= 3, "{} B", send_version.len());
    assert_eq!(
        report.requests,
        1 + 1 + chunks,
        "the entry, the thumbnail, then {chunks} chunks of the send version, and no HEAD"
    );
    let hex = sha256.as_str();
    let stored = server
        .directory
        .path()
        .join("data/photos")
        .join(&post)
        .join(&hex[..2])
        .join(format!("{hex}.original"));
    assert_eq!(std::fs::read(stored).unwrap(), send_version);
    assert_eq!(
        device
            .store
            .lock()
            .unwrap()
            .sync_status()
            .unwrap()
            .pending_photo_bytes,
        0
    );
}
