//! The data the dashboard tests sync into each backend, with the figures counted by hand.
//! Entry ids are made once, so both backends hold the very same entries.

use patrol_model::{EntryId, PackedTrack, TrackPoint};
use serde_json::{json, Value};

/// One entry of the data set: who sends it, and the document.
pub struct SeedEntry {
    /// 0 = post 田蓬 (device A1), 1 = post 木央 (device B1).
    pub post: usize,
    pub name: &'static str,
    pub document: Value,
}

pub const POST_NAMES: [&str; 2] = ["田蓬联防所", "木央联防所"];

pub fn track_base64() -> String {
    let points: Vec<TrackPoint> = [
        (23.6251, 105.6312),
        (23.6260, 105.6330),
        (23.6275, 105.6351),
    ]
    .iter()
    .enumerate()
    .map(|(index, (lat, lon))| TrackPoint {
        recorded_at_ms: 1_709_338_200_000 + index as i64 * 60_000,
        lat: *lat,
        lon: *lon,
        accuracy_m: None,
        altitude_m: None,
    })
    .collect();
    PackedTrack::pack(&points).to_base64()
}

fn entry(
    kind: &str,
    occurred_at: &str,
    location: Option<(f64, f64)>,
    status: Option<&str>,
    body: Value,
) -> Value {
    let mut document = json!({
        "id": EntryId::new_v7(), "device_id": "00000000-0000-0000-0000-000000000000",
        "kind": kind, "occurred_at": occurred_at, "author": "李国华", "body": body,
        "photos": [], "revision": 1, "deleted": false,
        "created_at": "2024-12-01T04:31:02.100Z", "updated_at": "2024-12-01T04:31:02.100Z"
    });
    if let Some((lat, lon)) = location {
        document["location"] = json!({"lat": lat, "lon": lon});
    }
    if let Some(status) = status {
        document["status"] = status.into();
    }
    document
}

/// The entries, in the order they are sent. `deleted_road` is sent, then deleted.
pub fn seed_entries() -> Vec<SeedEntry> {
    let at = Some((23.61, 105.62));
    let a = |name, document| SeedEntry {
        post: 0,
        name,
        document,
    };
    let b = |name, document| SeedEntry {
        post: 1,
        name,
        document,
    };
    vec![
        a(
            "joint_patrol",
            entry(
                "patrol",
                "2024-03-02T08:10:00+08:00",
                None,
                Some("ended"),
                json!({"joint": true, "members": ["李国华", "王强"], "partners": [{"unit": "army", "count": 2}],
                   "markers": ["1023"], "findings": "界碑完好", "distance_km": 3.1, "track": track_base64()}),
            ),
        ),
        a(
            "patrol",
            entry(
                "patrol",
                "2024-03-05T09:00:00+08:00",
                at,
                Some("ended"),
                json!({"joint": false, "members": ["李国华"], "distance_km": 4.1}),
            ),
        ),
        a(
            "road_1",
            entry(
                "repair",
                "2024-04-01T10:00:00+08:00",
                at,
                None,
                json!({"category": "road", "quantity": 3.1, "unit": "km", "description": "水毁便道"}),
            ),
        ),
        a(
            "road_2",
            entry(
                "repair",
                "2024-04-10T10:00:00+08:00",
                at,
                None,
                json!({"category": "road", "quantity": 4.1, "unit": "km"}),
            ),
        ),
        a(
            "fence_in_km",
            entry(
                "repair",
                "2024-04-20T10:00:00+08:00",
                at,
                None,
                json!({"category": "fence", "quantity": 0.2, "unit": "km", "description": "铁网修复"}),
            ),
        ),
        a(
            "landslide",
            entry(
                "repair",
                "2024-05-02T10:00:00+08:00",
                at,
                None,
                json!({"category": "landslide", "quantity": 3, "unit": "count"}),
            ),
        ),
        // 2023-12-31T23:30 UTC, but 1 January 2024 for the member: counts in 2024.
        a(
            "landslide_new_year",
            entry(
                "repair",
                "2024-01-01T07:30:00+08:00",
                at,
                None,
                json!({"category": "landslide", "quantity": 2, "unit": "count"}),
            ),
        ),
        // 15:30 UTC on 31 December 2023, 23:30 for the member: counts in 2023.
        a(
            "road_2023",
            entry(
                "repair",
                "2023-12-31T23:30:00+08:00",
                at,
                None,
                json!({"category": "road", "quantity": 1.0, "unit": "km"}),
            ),
        ),
        a(
            "deleted_road",
            entry(
                "repair",
                "2024-07-01T10:00:00+08:00",
                at,
                None,
                json!({"category": "road", "quantity": 5.0, "unit": "km"}),
            ),
        ),
        a(
            "fence_hazard",
            entry(
                "hazard",
                "2024-05-01T10:00:00+08:00",
                at,
                Some("fixed"),
                json!({"category": "fence", "severity": "high", "description": "铁网被洪水冲毁约30米"}),
            ),
        ),
        a(
            "road_hazard",
            entry(
                "hazard",
                "2024-05-03T10:00:00+08:00",
                at,
                Some("open"),
                json!({"category": "road", "severity": "medium", "description": "便道塌陷"}),
            ),
        ),
        a(
            "smuggling",
            entry(
                "incident",
                "2024-06-01T22:00:00+08:00",
                at,
                None,
                json!({"crime_type": "smuggling", "persons": 2, "handed_to": "边境派出所"}),
            ),
        ),
        a(
            "outreach",
            entry(
                "outreach",
                "2024-06-10T15:00:00+08:00",
                None,
                None,
                json!({"village": "那坡村", "topic": "禁毒", "audience": 120}),
            ),
        ),
        a(
            "training",
            entry(
                "activity",
                "2024-09-01T09:00:00+08:00",
                None,
                None,
                json!({"activity_type": "training", "attendees": 96, "topic": "急救"}),
            ),
        ),
        b(
            "joint_patrol_b",
            entry(
                "patrol",
                "2024-08-01T07:00:00+08:00",
                None,
                Some("ended"),
                json!({"joint": true, "partners": [{"unit": "police", "count": 1}], "distance_km": 2.0}),
            ),
        ),
        b(
            "illegal_crossing",
            entry(
                "incident",
                "2024-08-02T03:00:00+08:00",
                Some((23.5, 105.7)),
                None,
                json!({"crime_type": "illegal_crossing", "persons": 3}),
            ),
        ),
        b(
            "crossing_hazard",
            entry(
                "hazard",
                "2024-08-03T10:00:00+08:00",
                Some((23.51, 105.71)),
                Some("open"),
                json!({"category": "crossing", "severity": "critical", "description": "小道无人值守"}),
            ),
        ),
        b(
            "outreach_b",
            entry(
                "outreach",
                "2024-10-10T15:00:00+08:00",
                None,
                None,
                json!({"village": "田蓬村", "topic": "边境管控", "audience": 80}),
            ),
        ),
        b(
            "drill",
            entry(
                "activity",
                "2024-11-11T09:00:00+08:00",
                None,
                None,
                json!({"activity_type": "drill", "attendees": 20}),
            ),
        ),
    ]
}
