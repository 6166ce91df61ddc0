//! The three kinds the county's year-end report counts besides patrols and repairs: incidents
//! (案件), outreach sessions (普法宣传) and the post's activities (活动). Each parses into its
//! typed body, is counted in its category and unit, and bad input names every field at once.

use patrol_model::body::category_label_zh;
use patrol_model::sync::entry_from_wire;
use patrol_model::{
    parse_entry_draft, ActivityType, CrimeType, EntryBody, EntryKind, ModelError, Quantity,
    ReviewDecision, Unit, ValidationReport,
};

const INCIDENT: &str = r#"{"kind":"incident","occurred_at":"2024-05-12T22:40:00+08:00","location":{"lat":23.41,"lon":105.62},
 "body":{"crime_type":"illegal_crossing","persons":2,"handed_to":"田蓬边境派出所","description":"夜间巡逻发现两人从便道非法越境"}}"#;
const OUTREACH: &str = r#"{"kind":"outreach","occurred_at":"2024-06-03T15:00:00+08:00",
 "body":{"village":"田蓬村","topic":"边境管控形势","audience":62}}"#;
const ACTIVITY: &str = r#"{"kind":"activity","occurred_at":"2024-04-08T09:00:00+08:00",
 "body":{"activity_type":"drill","attendees":24,"topic":"突发事件处置演练"}}"#;

fn problems(json: &str) -> ValidationReport {
    match parse_entry_draft(json, None) {
        Err(ModelError::Invalid(report)) => report,
        other => panic!("expected a validation failure, got {other:?}"),
    }
}

fn fields(report: &ValidationReport) -> Vec<&str> {
    report.problems.iter().map(|p| p.field.as_str()).collect()
}

#[test]
fn each_kind_parses_into_its_typed_body_and_is_counted_in_persons() {
    let incident = parse_entry_draft(INCIDENT, Some(EntryKind::Incident)).unwrap();
    let EntryBody::Incident(body) = &incident.body else {
        panic!("not an incident")
    };
    assert_eq!(body.crime_type, CrimeType::IllegalCrossing);
    assert_eq!(body.persons, 2);
    assert_eq!(body.handed_to, "田蓬边境派出所");
    assert_eq!(incident.body.category_code(), "illegal_crossing");
    assert_eq!(
        incident.body.counted_quantity(),
        Some(Quantity::new(2.0, Unit::Persons))
    );

    let outreach = parse_entry_draft(OUTREACH, None).unwrap();
    let EntryBody::Outreach(body) = &outreach.body else {
        panic!("not an outreach session")
    };
    assert_eq!((body.village.as_str(), body.audience), ("田蓬村", 62));
    assert_eq!(
        outreach.body.title_zh(),
        "普法宣传 · 田蓬村 · 边境管控形势 · 62 人"
    );
    assert!(outreach.body.search_text().contains("田蓬村"));

    let activity = parse_entry_draft(ACTIVITY, None).unwrap();
    let EntryBody::Activity(body) = &activity.body else {
        panic!("not an activity")
    };
    assert_eq!(body.activity_type, ActivityType::Drill);
    assert_eq!(activity.body.category_code(), "drill");
    assert_eq!(
        category_label_zh(EntryKind::Activity, "quarterly_meeting"),
        Some("季度边境管控推进会")
    );
    assert_eq!(
        category_label_zh(EntryKind::Incident, "smuggling"),
        Some("走私")
    );
}

#[test]
fn drafts_round_trip_through_their_own_json() {
    for json in [INCIDENT, OUTREACH, ACTIVITY] {
        let draft = parse_entry_draft(json, None).unwrap();
        let text = serde_json::to_string(&draft).unwrap();
        assert_eq!(parse_entry_draft(&text, None).unwrap(), draft, "{text}");
    }
}

#[test]
fn an_incident_needs_its_type_and_a_whole_head_count() {
    let report = problems(
        r#"{"kind":"incident","occurred_at":"2024-05-12T22:40:00+08:00",
            "body":{"crime_type":"piracy","persons":1.5,"handed_by":"x"}}"#,
    );
    assert_eq!(
        fields(&report),
        ["body.crime_type", "body.persons", "body.handed_by"]
    );
    assert!(report.problems[0].message_zh.contains("走私"));
    assert!(report.problems[1].message_zh.contains("整数"));

    let report =
        problems(r#"{"kind":"incident","occurred_at":"2024-05-12T22:40:00+08:00","body":{}}"#);
    assert_eq!(fields(&report), ["body.crime_type", "body.persons"]);
    assert!(report.problems.iter().all(|p| p.message_zh == "必须填写"));
}

#[test]
fn an_outreach_session_needs_a_village_a_topic_and_at_least_one_listener() {
    let report = problems(
        r#"{"kind":"outreach","occurred_at":"2024-06-03T15:00:00+08:00",
            "body":{"village":"  ","topic":"禁毒","audience":0}}"#,
    );
    assert_eq!(fields(&report), ["body.audience"]);
    let report = problems(
        r#"{"kind":"outreach","occurred_at":"2024-06-03T15:00:00+08:00",
            "body":{"village":"  ","topic":"禁毒","audience":30}}"#,
    );
    assert_eq!(fields(&report), ["body.village"]);
    assert_eq!(report.problems[0].message_zh, "不能为空");
    let report = problems(
        r#"{"kind":"outreach","occurred_at":"2024-06-03T15:00:00+08:00","body":{"audience":"很多"}}"#,
    );
    assert_eq!(
        fields(&report),
        ["body.village", "body.topic", "body.audience"]
    );
}

#[test]
fn an_activity_needs_a_known_type_and_attendees() {
    let report = problems(
        r#"{"kind":"activity","occurred_at":"2024-04-08T09:00:00+08:00",
            "body":{"activity_type":"party","attendees":-3}}"#,
    );
    assert_eq!(fields(&report), ["body.activity_type", "body.attendees"]);
    assert!(report.problems[0].message_zh.contains("季度边境管控推进会"));
}

#[test]
fn the_county_review_travels_with_the_entry_but_is_never_member_input() {
    let wire = serde_json::json!({
        "id": "0190f2c4-6a1e-7cc0-9a3b-5f0d2c1e4b7a",
        "device_id": "0190f2c4-6a1e-7cc0-9a3b-5f0d2c1e4b7b",
        "kind": "outreach",
        "occurred_at": "2024-06-03T15:00:00+08:00",
        "body": {"village": "田蓬村", "topic": "禁毒", "audience": 40},
        "revision": 2,
        "created_at": "2024-06-03T07:01:00Z",
        "updated_at": "2024-06-04T02:00:00Z",
        "review": {"decision": "returned", "comment": "请补充现场照片", "reviewer": "county",
                   "decided_at": "2024-06-04T02:00:00Z"}
    });
    let entry = entry_from_wire(&wire).unwrap();
    let review = entry.review.expect("the review is read from the wire");
    assert_eq!(review.decision, ReviewDecision::Returned);
    assert_eq!(review.comment, "请补充现场照片");

    // A member's own JSON may carry the review it was shown (edited `show --json` output), but
    // the draft never takes it.
    let draft = parse_entry_draft(&wire.to_string(), None).unwrap();
    assert!(!serde_json::to_string(&draft).unwrap().contains("review"));
}
