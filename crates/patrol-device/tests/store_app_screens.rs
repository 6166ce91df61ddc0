//! The queries behind the app's screens: the home summary's counts and the open hazards a
//! repair may close (nearest first), and photos received as bytes.

mod common;

use chrono::NaiveDate;
use common::*;
use patrol_device::DeviceError;
use patrol_model::{CompassPoint, Location};

fn day(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
}

fn hazard_at(day: &str, description: &str, lat: f64, lon: f64) -> patrol_model::EntryDraft {
    draft(&format!(
        r#"{{"kind":"hazard","occurred_at":"{day}T09:00:00+08:00","location":{{"lat":{lat},"lon":{lon}}},
            "body":{{"category":"fence","severity":"high","description":"{description}"}}}}"#
    ))
}

#[test]
fn home_summary_counts_today_open_hazards_this_month_and_the_running_patrol() {
    let (_directory, mut store) = fresh_store();
    let empty = store.home_summary(day("2024-03-15")).unwrap();
    assert_eq!(
        (
            empty.patrols_today,
            empty.open_hazards,
            empty.repairs_this_month
        ),
        (0, 0, 0)
    );
    assert_eq!(empty.running_patrol_id, None);

    store
        .record_entry(patrol("2024-03-15", true, "无"), vec![])
        .unwrap();
    let deleted = store
        .record_entry(patrol("2024-03-15", false, "无"), vec![])
        .unwrap();
    store.delete_entry(deleted.id).unwrap();
    store
        .record_entry(patrol("2024-03-14", false, "无"), vec![])
        .unwrap();
    let fixed = store
        .record_entry(hazard("2024-03-01", "fence", "铁网"), vec![])
        .unwrap();
    store
        .record_entry(hazard("2024-02-01", "road", "塌方"), vec![])
        .unwrap();
    store
        .record_entry(hazard("2024-03-10", "road", "落石"), vec![])
        .unwrap();
    store
        .record_entry(
            repair("2024-03-12", "fence", 20.0, Some(&fixed.id.to_string())),
            vec![],
        )
        .unwrap();
    store
        .record_entry(repair("2024-03-02", "road", 1.5, None), vec![])
        .unwrap();
    store
        .record_entry(repair("2024-02-28", "road", 1.5, None), vec![])
        .unwrap();

    let summary = store.home_summary(day("2024-03-15")).unwrap();
    assert_eq!(summary.patrols_today, 1);
    assert_eq!(summary.open_hazards, 2, "the fixed hazard is not open");
    assert_eq!(summary.repairs_this_month, 2);
    assert_eq!(summary.running_patrol_id, None);

    let running = store.start_patrol(None, None).unwrap();
    let summary = store.home_summary(day("2024-03-15")).unwrap();
    assert_eq!(summary.running_patrol_id, Some(running.id));
    store.end_patrol(running.id, None).unwrap();
    assert_eq!(
        store
            .home_summary(day("2024-03-15"))
            .unwrap()
            .running_patrol_id,
        None
    );
    let next_month = store.home_summary(day("2024-04-01")).unwrap();
    assert_eq!(
        (next_month.patrols_today, next_month.repairs_this_month),
        (0, 0)
    );
}

#[test]
fn open_hazards_come_nearest_first_with_unplaced_ones_last() {
    let (_directory, mut store) = fresh_store();
    let far = store
        .record_entry(hazard_at("2024-03-01", "远处", 23.70, 105.70), vec![])
        .unwrap();
    let near = store
        .record_entry(hazard_at("2024-03-02", "近处", 23.6252, 105.6313), vec![])
        .unwrap();
    let middle = store
        .record_entry(hazard_at("2024-03-03", "中间", 23.64, 105.64), vec![])
        .unwrap();
    let unplaced = store
        .record_entry(
            draft(
                r#"{"kind":"hazard","occurred_at":"2024-03-04T09:00:00+08:00",
                    "body":{"category":"road","severity":"low","description":"无坐标"}}"#,
            ),
            vec![],
        )
        .unwrap();
    let closed = store
        .record_entry(hazard_at("2024-03-05", "已修", 23.6251, 105.6312), vec![])
        .unwrap();
    store
        .record_entry(
            repair("2024-03-06", "fence", 5.0, Some(&closed.id.to_string())),
            vec![],
        )
        .unwrap();

    let here = Location::new(23.6251, 105.6312);
    let choices = store.open_hazards(Some(&here), None).unwrap();
    let ids: Vec<_> = choices.iter().map(|choice| choice.id).collect();
    assert_eq!(ids, [near.id, middle.id, far.id, unplaced.id]);
    let distances: Vec<_> = choices.iter().map(|choice| choice.distance_m).collect();
    assert!(distances[0].unwrap() < 20.0, "{distances:?}");
    assert!(distances[1].unwrap() < distances[2].unwrap());
    assert_eq!(distances[3], None);
    // All three lie north-east of here; the unplaced one has no direction and no position.
    let directions: Vec<_> = choices.iter().map(|choice| choice.direction).collect();
    assert_eq!(
        directions,
        [
            Some(CompassPoint::NorthEast),
            Some(CompassPoint::NorthEast),
            Some(CompassPoint::NorthEast),
            None
        ]
    );
    assert_eq!(
        choices[2].location.map(|at| (at.lat, at.lon)),
        Some((23.70, 105.70))
    );
    assert_eq!(choices[3].location, None);
    assert_eq!(choices[0].category, "fence");
    assert!(choices[0].title.contains("近处"), "{}", choices[0].title);

    let newest_first: Vec<_> = store
        .open_hazards(None, Some(2))
        .unwrap()
        .iter()
        .map(|choice| choice.id)
        .collect();
    assert_eq!(newest_first, [unplaced.id, middle.id]);
    assert!(store
        .open_hazards(None, None)
        .unwrap()
        .iter()
        .all(|c| c.distance_m.is_none()));
}

#[test]
fn open_hazards_refuse_a_position_without_a_fix() {
    let (_directory, store) = fresh_store();
    let error = store
        .open_hazards(Some(&Location::new(0.0, 0.0)), None)
        .unwrap_err();
    assert!(
        matches!(&error, DeviceError::Invalid(report) if report.mentions("near")),
        "{error:?}"
    );
    let error = store
        .open_hazards(Some(&Location::new(95.0, 105.0)), None)
        .unwrap_err();
    assert!(
        matches!(&error, DeviceError::Invalid(report) if report.mentions("near.lat")),
        "{error:?}"
    );
}

#[test]
fn photos_received_as_bytes_are_checked_like_files() {
    let (_directory, mut store) = fresh_store();
    let picture = image::RgbImage::from_fn(640, 480, |x, y| {
        image::Rgb([(x % 256) as u8, (y % 256) as u8, 40])
    });
    let mut png = Vec::new();
    picture
        .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
        .unwrap();
    let prepared = patrol_device::PreparedPhoto::from_bytes("fence.png", png.clone()).unwrap();
    let stored = store.store_photo(prepared).unwrap();
    assert_eq!((stored.width, stored.height), (640, 480));
    // The PNG is kept as it came; what syncs is a JPEG of it.
    assert_eq!(store.original_bytes(&stored.sha256).unwrap().unwrap(), png);
    let send = store.send_version_bytes(&stored.sha256).unwrap();
    assert_eq!(
        image::guess_format(&send).unwrap(),
        image::ImageFormat::Jpeg
    );
    assert!(store.photo_thumbnail(&stored.sha256).unwrap().is_some());

    for (name, bytes) in [
        ("notes.txt", "铁网".as_bytes().to_vec()),
        ("broken.png", png[..png.len() / 3].to_vec()),
    ] {
        let error = patrol_device::PreparedPhoto::from_bytes(name, bytes).unwrap_err();
        match error {
            DeviceError::Invalid(report) => {
                assert_eq!(report.problems.len(), 1);
                assert_eq!(report.problems[0].field, "photos");
                assert!(report.problems[0].message_zh.contains(name), "{report}");
            }
            other => panic!("expected invalid, got {other:?}"),
        }
    }
}

#[test]
fn pending_entries_count_each_unsent_entry_once() {
    let (_directory, mut store) = fresh_store();
    assert_eq!(store.pending_entry_count().unwrap(), 0);
    let patrol = store.start_patrol(None, None).unwrap();
    store.end_patrol(patrol.id, None).unwrap();
    let hazard = store
        .record_entry(hazard("2024-03-01", "fence", "铁网"), vec![])
        .unwrap();
    store
        .record_entry(
            repair("2024-03-02", "fence", 20.0, Some(&hazard.id.to_string())),
            vec![],
        )
        .unwrap();
    // start + end, hazard + its status change, repair: five records, three entries.
    assert_eq!(store.pending_outbox_count().unwrap(), 5);
    assert_eq!(store.pending_entry_count().unwrap(), 3);
}
