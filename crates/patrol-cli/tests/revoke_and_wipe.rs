//! A lost phone, revoked and wiped (停用并清除), end to end with the real `patrol` and
//! `county-server` binaries: the phone delivers some entries and holds others with a photo; the
//! county orders the wipe (`county-server device revoke --wipe`); on its next sync the phone
//! deletes its store, key and photos, says so in Chinese with what it still held, and reports
//! the counts, which the county's device list shows. Nothing of the old store can be read
//! afterwards: its key is gone from the disk. The phone then starts afresh and enrols anew.

mod common;

use common::county::County;
use common::*;
use serde_json::Value;

fn hazard(description: &str) -> String {
    HAZARD.replace("铁网被洪水冲毁约30米", description)
}

/// The line of `device list` for `device_id`, split in its columns.
fn device_row(county: &County, device_id: &str) -> Vec<String> {
    county
        .admin(&["device", "list"])
        .lines()
        .find(|line| line.starts_with(device_id))
        .unwrap_or_else(|| panic!("{device_id} is listed"))
        .split('\t')
        .map(str::to_string)
        .collect()
}

fn status(phone: &Patrol) -> Value {
    serde_json::from_str(&phone.ok(&["status", "--json"], "")).unwrap()
}

#[test]
fn a_wiped_phone_deletes_its_store_and_photos_and_the_county_sees_what_was_unsent() {
    let county = County::start();
    let (post, phone) = county.post_with_phone("田蓬联防所");
    phone.ok(&["record", "--json", "-"], &hazard("已送达的隐患"));
    phone.ok(&["sync"], "");
    let device_id = status(&phone)["device_id"].as_str().unwrap().to_string();

    // Held on the phone: two entries (one edited twice) and a photo, never sent.
    let photo = phone.path().join("landslide.png");
    image::RgbImage::from_fn(1200, 900, |x, y| {
        image::Rgb([(x % 256) as u8, (y % 256) as u8, 90])
    })
    .save(&photo)
    .unwrap();
    let held = phone
        .ok(
            &[
                "record",
                "hazard",
                "--json",
                "-",
                "--photo",
                photo.to_str().unwrap(),
            ],
            &hazard("未送达的塌方界碑旁"),
        )
        .trim()
        .to_string();
    phone.ok(&["record", "--json", "-"], &hazard("未送达的第二处"));
    std::fs::remove_file(&photo).unwrap();
    let unsent_photo_bytes: i64 = patrol_device::store::at_rest::open_raw_store(phone.path())
        .unwrap()
        .query_row(
            "SELECT SUM(byte_len) FROM photos WHERE original_uploaded = 0",
            [],
            |row| row.get(0),
        )
        .unwrap();
    assert!(unsent_photo_bytes > 10_000, "{unsent_photo_bytes}");
    let old_key = std::fs::read_to_string(phone.path().join("store.key")).unwrap();
    let old_photo_files = phone.photo_files();
    assert_eq!(old_photo_files.len(), 2, "send version and camera file");

    let ordered = county.admin(&["device", "revoke", "--wipe", &device_id]);
    assert!(ordered.contains("wipes its data"), "{ordered}");
    assert_eq!(device_row(&county, &device_id)[8], "wipe_ordered");

    let wiped = phone.run(&["sync"], "");
    let stderr = String::from_utf8_lossy(&wiped.stderr);
    assert_eq!(wiped.status.code(), Some(10), "wiped: {stderr}");
    assert!(
        stderr.contains("本机数据已按县边防办的要求清除")
            && stderr.contains("尚有 2 条记录、1 张照片未上传"),
        "{stderr}"
    );

    // The old store is gone: its key is nowhere on the disk, its photo files are deleted, and
    // what is left is a fresh, empty, unenrolled store with a new device id.
    for file in files_under(phone.path()) {
        let bytes = std::fs::read(&file).unwrap();
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            !text.contains(old_key.trim()),
            "the old key survives in {}",
            file.display()
        );
        for secret in ["未送达的塌方界碑旁", "已送达的隐患", held.as_str()] {
            assert!(!text.contains(secret), "{secret} in {}", file.display());
        }
    }
    for file in &old_photo_files {
        assert!(!file.exists(), "{} survives", file.display());
    }
    assert!(phone.photo_files().is_empty());
    let after = status(&phone);
    assert_ne!(after["device_id"], device_id.as_str());
    assert_eq!(after["enrolment"], Value::Null);
    assert_eq!(after["pending_records"], 0);
    assert_eq!(after["wiped"]["unsent"]["unsent_entries"], 2, "{after}");
    assert_eq!(after["wiped"]["unsent"]["unsent_photos"], 1);
    assert_eq!(after["wiped"]["reported"], true, "{after}");
    let listed: Value = serde_json::from_str(&phone.ok(&["list", "--json"], "")).unwrap();
    assert_eq!(listed["entries"], Value::Array(vec![]), "{listed}");
    let notice = phone.ok(&["status"], "");
    assert!(
        notice.contains("按县边防办的要求清除") && notice.contains("已报给县边防办"),
        "{notice}"
    );

    // The county knows what was lost, once.
    let row = device_row(&county, &device_id);
    assert_eq!(row[8], "wiped", "{row:?}");
    assert_eq!(
        row[9],
        format!("entries=2 photos=1 photo_bytes={unsent_photo_bytes}")
    );
    assert_eq!(county.exported_descriptions(), ["已送达的隐患"]);
    let again = phone.run(&["sync"], "");
    assert_eq!(again.status.code(), Some(5), "not enrolled any more");
    assert_eq!(device_row(&county, &device_id)[9], row[9]);

    // The phone goes on as a new device once the county gives it a code.
    let fresh = county.admin(&["enroll-code", &post]).trim().to_string();
    phone.ok(&["enroll", &county.url, &fresh], "");
    phone.ok(&["record", "--json", "-"], &hazard("清除后的新隐患"));
    phone.ok(&["sync"], "");
    assert_eq!(
        status(&phone)["wiped"],
        Value::Null,
        "the notice has done its work"
    );
    assert_eq!(
        county.exported_descriptions(),
        ["已送达的隐患", "清除后的新隐患"]
    );
}
