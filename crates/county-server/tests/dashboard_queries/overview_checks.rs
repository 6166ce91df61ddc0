//! The overview (totals, silent posts, pending age) and the map.
use super::exercise::{day, Answers, Fixture};
use chrono::Utc;
use county_server::storage::dashboard::MapFilter;
use county_server::storage::Post;
use county_server::SharedStorage;
use patrol_model::EntryKind;
use serde_json::json;
use std::collections::HashMap;

pub async fn check_overview_and_map(
    backend: &str,
    storage: &SharedStorage,
    fixture: &Fixture,
    posts: &[Post],
    answers: &mut Answers,
) {
    let overview = storage
        .overview(Utc::now().timestamp_millis(), 7)
        .await
        .unwrap();
    let totals = serde_json::to_value(&overview.totals).unwrap();
    assert_eq!(
        totals,
        json!({"posts": 3, "devices": 3, "entries": 19, "awaiting_review": 18}),
        "[{backend}]"
    );
    let by_post: HashMap<&str, (u64, u64, bool)> = overview
        .posts
        .iter()
        .map(|p| (p.name.as_str(), (p.devices, p.entries, p.silent)))
        .collect();
    assert_eq!(by_post["田蓬联防所"], (2, 14, false));
    assert_eq!(by_post["木央联防所"], (1, 5, false));
    assert_eq!(
        by_post["剥隘联防所"],
        (0, 0, true),
        "a post without devices is silent"
    );
    let a2 = overview
        .devices
        .iter()
        .find(|d| d.label == "田蓬-所部电脑")
        .unwrap();
    assert_eq!(
        a2.pending_age_ms,
        Some(0),
        "a sync without records waited for nothing"
    );
    let mut overview_json = serde_json::to_value(&overview).unwrap();
    for device in overview_json["devices"].as_array_mut().unwrap() {
        for volatile in [
            "last_contact_ms",
            "pending_age_ms",
            "clock_offset_ms",
            "clock_flagged",
        ] {
            device.as_object_mut().unwrap().remove(volatile);
        }
    }
    for post in overview_json["posts"].as_array_mut().unwrap() {
        post.as_object_mut().unwrap().remove("last_contact_ms");
    }
    answers.insert("overview".into(), overview_json);

    let map = storage.map_features(MapFilter::default()).await.unwrap();
    assert!(!map.truncated);
    assert_eq!(
        map.features.len(),
        13,
        "[{backend}] located entries and the one track"
    );
    let geojson = map.to_geojson();
    let track = geojson["features"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["id"] == fixture.id("joint_patrol").to_string())
        .unwrap();
    assert_eq!(track["geometry"]["type"], "LineString");
    assert_eq!(
        track["geometry"]["coordinates"][0],
        json!([105.6312, 23.6251])
    );
    assert_eq!(track["properties"]["post_name"], "田蓬联防所");
    assert!(geojson["features"]
        .as_array()
        .unwrap()
        .iter()
        .all(|f| f["id"] != fixture.id("deleted_road").to_string()));
    answers.insert("map".into(), geojson);
    let patrols = storage
        .map_features(MapFilter {
            kind: Some(EntryKind::Patrol),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(patrols.features.len(), 2, "[{backend}]");
    let august = storage
        .map_features(MapFilter {
            post_id: Some(posts[1].id),
            from_day: day("2024-08-01"),
            to_day: day("2024-08-31"),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(august.features.len(), 2, "[{backend}]");
    answers.insert("map_august_b".into(), august.to_geojson());
}
