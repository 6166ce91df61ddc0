//! Incidents, outreach sessions and activities with the real `patrol` binary: recorded from
//! JSON, listed by kind, counted by `patrol stats` under their Chinese names, bad input refused
//! naming the field; and the county's review, once pulled, printed by `patrol show`.

mod common;

use chrono::{TimeZone, Utc};
use common::*;
use patrol_device::DeviceStore;
use patrol_model::sync::{PulledChange, SyncResponse};
use patrol_model::{Entry, Review, ReviewDecision};
use serde_json::Value;

const INCIDENT: &str = r#"{"occurred_at":"2024-03-04T21:30:00+08:00","body":{"crime_type":"smuggling","persons":3,"handed_to":"田蓬边境派出所","description":"查获走私冻品一车"}}"#;
const OUTREACH: &str = r#"{"kind":"outreach","occurred_at":"2024-03-05T10:00:00+08:00","body":{"village":"田蓬村","topic":"禁毒","audience":120}}"#;
const ACTIVITY: &str = r#"{"kind":"activity","occurred_at":"2024-03-06T15:00:00+08:00","body":{"activity_type":"joint_meeting","attendees":15,"topic":"第一季度联席会议"}}"#;

#[test]
fn the_three_new_kinds_are_recorded_listed_and_counted() {
    let patrol = Patrol::new();
    // The kind given on the command line; the JSON may then leave it out.
    let incident_id = patrol
        .ok(&["record", "incident", "--json", "-"], INCIDENT)
        .trim()
        .to_string();
    patrol.ok(&["record", "outreach", "--json", "-"], OUTREACH);
    patrol.ok(&["record", "--json", "-"], ACTIVITY);

    let page: Value =
        serde_json::from_str(&patrol.ok(&["list", "--kind", "incident", "--json"], "")).unwrap();
    assert_eq!(page["entries"].as_array().unwrap().len(), 1);
    assert_eq!(page["entries"][0]["id"], incident_id.as_str());
    assert_eq!(page["entries"][0]["kind"], "incident");

    let listed = patrol.ok(&["list"], "");
    assert!(listed.contains("案件"), "{listed}");
    assert!(
        listed.contains("走私 · 3 人 · 移交田蓬边境派出所"),
        "{listed}"
    );
    assert!(
        listed.contains("普法宣传 · 田蓬村 · 禁毒 · 120 人"),
        "{listed}"
    );
    assert!(
        listed.contains("军地联席会议 · 第一季度联席会议 · 15 人"),
        "{listed}"
    );

    let stats = patrol.ok(&["stats", "--year", "2024"], "");
    for line in [
        "案件  走私  1 条,合计 3 人",
        "普法宣传  普法宣传  1 条,合计 120 人",
        "活动  军地联席会议  1 条,合计 15 人",
    ] {
        assert!(stats.contains(line), "missing {line:?} in:\n{stats}");
    }

    let shown = patrol.ok(&["show", &incident_id], "");
    assert!(shown.starts_with("案件  ["), "{shown}");
    assert!(
        !shown.contains("审核"),
        "no review before the county decides:\n{shown}"
    );
}

#[test]
fn a_bad_incident_or_session_is_refused_naming_the_field_and_nothing_is_written() {
    let patrol = Patrol::new();
    patrol.ok(&["record", "outreach", "--json", "-"], OUTREACH);
    let before = patrol.snapshot();
    for (kind, json, field) in [
        (
            "outreach",
            r#"{"occurred_at":"2024-03-05T10:00:00+08:00","body":{"village":"田蓬村","topic":"禁毒","audience":0}}"#,
            "body.audience",
        ),
        (
            "incident",
            r#"{"occurred_at":"2024-03-05T10:00:00+08:00","body":{"crime_type":"fraud","persons":1}}"#,
            "body.crime_type",
        ),
        (
            "activity",
            r#"{"occurred_at":"2024-03-05T10:00:00+08:00","body":{"activity_type":"drill","attendees":10001}}"#,
            "body.attendees",
        ),
    ] {
        let output = patrol.run(&["record", kind, "--json", "-"], json);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(3), "{kind}: {stderr}");
        assert!(stderr.contains(field), "{kind} must name {field}: {stderr}");
        assert!(stderr.starts_with("错误:"), "Chinese first: {stderr}");
    }
    assert_eq!(patrol.snapshot(), before, "nothing was written");
}

#[test]
fn a_review_pulled_from_the_county_is_shown() {
    let patrol = Patrol::new();
    let id = patrol
        .ok(&["record", "incident", "--json", "-"], INCIDENT)
        .trim()
        .to_string();
    // The county returns it; the device receives that on its next sync.
    {
        let mut store = DeviceStore::open(patrol.path()).unwrap();
        let entry: Entry = store.entry(id.parse().unwrap()).unwrap();
        let returned = Entry {
            revision: entry.revision + 1,
            review: Some(Review {
                decision: ReviewDecision::Returned,
                comment: "请写明移交时间".into(),
                reviewer: "张科长".into(),
                decided_at: Utc.with_ymd_and_hms(2024, 3, 7, 2, 0, 0).unwrap(),
            }),
            ..entry
        };
        let applied = store
            .apply_sync_response(&SyncResponse {
                protocol: 1,
                acknowledged_through: 1,
                rejected: Vec::new(),
                missing: Vec::new(),
                changes: vec![PulledChange {
                    cursor: "1".into(),
                    entry: serde_json::to_value(&returned).unwrap(),
                }],
                next_cursor: Some("1".into()),
                more_changes: false,
                server_time: Utc::now(),
                clock_offset_ms: 0,
                clock_flagged: false,
                pin_resets: Vec::new(),
            })
            .unwrap();
        assert_eq!(applied.pulled, 1);
    }
    let shown = patrol.ok(&["show", &id], "");
    assert!(
        shown.contains("审核:已退回:请写明移交时间 (张科长, 2024-03-07 02:00 UTC)"),
        "{shown}"
    );
    let document: Value = serde_json::from_str(&patrol.ok(&["show", &id, "--json"], "")).unwrap();
    assert_eq!(document["review"]["decision"], "returned");
    let listed: Value = serde_json::from_str(&patrol.ok(&["list", "--json"], "")).unwrap();
    assert_eq!(listed["entries"][0]["review_decision"], "returned");

    // `show --json` fed back to `patrol edit` (the review in it is tolerated, never taken):
    // the fixed entry waits for the county again.
    let fixed = serde_json::to_string(&{
        let mut document = document.clone();
        document["body"]["description"] = Value::from("查获走私冻品一车，3月4日22时移交");
        document
    })
    .unwrap();
    patrol.ok(&["edit", &id, "--json", "-"], &fixed);
    let shown = patrol.ok(&["show", &id], "");
    assert!(!shown.contains("审核"), "{shown}");
    assert!(shown.contains("3月4日22时移交"), "{shown}");
}
