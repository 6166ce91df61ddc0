//! The JSON a member gives, as the CLI, the app and the wire accept it: the examples of the
//! contract parse, round-trip, and every kind of bad input is named by field, all at once.

use patrol_model::{
    parse_entry_draft, EntryBody, EntryDraft, EntryKind, HazardCategory, ModelError, PartnerUnit,
    RepairCategory, Unit, ValidationReport,
};

const PATROL: &str = r#"{"kind":"patrol","occurred_at":"2024-03-02T08:10:00+08:00","ended_at":"2024-03-02T11:40:00+08:00",
 "body":{"joint":true,"members":["李国华","王明"],"partners":[{"unit":"army","count":3},{"unit":"police","count":1}],
         "markers":["123","124"],"findings":"界碑123附近发现新踩踏便道"}}"#;
const HAZARD: &str = r#"{"kind":"hazard","occurred_at":"2024-03-02T09:00:00+08:00","location":{"lat":23.6251,"lon":105.6312},
 "body":{"category":"fence","severity":"high","description":"铁网被洪水冲毁约30米"}}"#;
const REPAIR: &str = r#"{"kind":"repair","occurred_at":"2024-03-05T10:00:00+08:00","location":{"lat":23.6251,"lon":105.6312},
 "body":{"category":"fence","quantity":30,"unit":"m","closes_hazard":"0190f2c4-6a1e-7cc0-9a3b-5f0d2c1e4b7a","description":"修复铁网30米"}}"#;

fn problems(json: &str, kind: Option<EntryKind>) -> ValidationReport {
    match parse_entry_draft(json, kind) {
        Err(ModelError::Invalid(report)) => report,
        other => panic!("expected a validation failure, got {other:?}"),
    }
}

fn fields(report: &ValidationReport) -> Vec<&str> {
    report.problems.iter().map(|p| p.field.as_str()).collect()
}

#[test]
fn the_contract_examples_parse_into_typed_bodies() {
    let patrol = parse_entry_draft(PATROL, Some(EntryKind::Patrol)).unwrap();
    let EntryBody::Patrol(body) = &patrol.body else {
        panic!("not a patrol")
    };
    assert!(body.joint);
    assert_eq!(body.members, ["李国华", "王明"]);
    assert_eq!(body.partners[0].unit, PartnerUnit::Army);
    assert_eq!(body.partner_people(), 4);
    assert_eq!(patrol.occurred_at.offset_minutes(), 480);

    let hazard = parse_entry_draft(HAZARD, None).unwrap();
    let EntryBody::Hazard(body) = &hazard.body else {
        panic!("not a hazard")
    };
    assert_eq!(body.category, HazardCategory::Fence);
    assert_eq!(hazard.location.unwrap().lat, 23.6251);

    let repair = parse_entry_draft(REPAIR, None).unwrap();
    let EntryBody::Repair(body) = &repair.body else {
        panic!("not a repair")
    };
    assert_eq!(body.category, RepairCategory::Fence);
    assert_eq!((body.quantity, body.unit), (30.0, Unit::M));
    assert!(body.closes_hazard.is_some());
}

#[test]
fn drafts_round_trip_through_their_own_json() {
    for json in [PATROL, HAZARD, REPAIR] {
        let draft = parse_entry_draft(json, None).unwrap();
        let text = serde_json::to_string(&draft).unwrap();
        assert_eq!(parse_entry_draft(&text, None).unwrap(), draft, "{text}");
        let typed: EntryDraft = serde_json::from_str(&text).unwrap();
        assert_eq!(typed, draft);
    }
}

#[test]
fn a_repair_without_unit_takes_its_categorys_unit() {
    let draft = parse_entry_draft(
        r#"{"occurred_at":"2024-05-01T10:00:00+08:00","body":{"category":"road","quantity":1.5}}"#,
        Some(EntryKind::Repair),
    )
    .unwrap();
    let EntryBody::Repair(body) = draft.body else {
        panic!()
    };
    assert_eq!(body.unit, Unit::Km);
}

#[test]
fn every_problem_is_reported_at_once_with_its_field() {
    let report = problems(
        r#"{"kind":"repair","occurred_at":"2024-03-05T10:00:00+08:00","ended_at":"2024-03-05T09:00:00+08:00",
            "location":{"lat":123.0,"lon":105.0},
            "body":{"category":"fence","quantity":-3,"unit":"m","description":"x"}}"#,
        None,
    );
    assert_eq!(
        fields(&report),
        ["ended_at", "location.lat", "body.quantity"]
    );
    let quantity = &report.problems[2];
    assert_eq!(quantity.message_zh, "数量必须大于 0");
    assert!(quantity.message_en.contains("greater than 0"));
}

#[test]
fn unknown_category_and_bad_quantity_are_both_named() {
    let report = problems(
        r#"{"kind":"repair","occurred_at":"2024-03-05T10:00:00+08:00","body":{"category":"bridge","quantity":0}}"#,
        None,
    );
    assert_eq!(fields(&report), ["body.category", "body.quantity"]);
    assert!(report.problems[0]
        .message_zh
        .contains("未知的修复类别“bridge”"));
    assert!(report.problems[0].message_zh.contains("fence(铁网)"));
}

#[test]
fn bad_inputs_name_their_field() {
    let cases: &[(&str, Option<EntryKind>, &str)] = &[
        ("{not json", None, "(整体)"),
        ("[1,2]", None, "(整体)"),
        (
            r#"{"kind":"picnic","occurred_at":"2024-03-05T10:00:00+08:00","body":{}}"#,
            None,
            "kind",
        ),
        (
            r#"{"occurred_at":"2024-03-05T10:00:00+08:00","body":{}}"#,
            None,
            "kind",
        ),
        (
            r#"{"kind":"hazard","occurred_at":"2024-03-05T10:00:00+08:00","body":{"category":"fence","severity":"high"}}"#,
            Some(EntryKind::Repair),
            "kind",
        ),
        (
            r#"{"kind":"hazard","body":{"category":"fence","severity":"high"}}"#,
            None,
            "occurred_at",
        ),
        (
            r#"{"kind":"hazard","occurred_at":"yesterday","body":{"category":"fence","severity":"high"}}"#,
            None,
            "occurred_at",
        ),
        (
            r#"{"kind":"hazard","occurred_at":"2024-03-05T10:00:00","body":{"category":"fence","severity":"high"}}"#,
            None,
            "occurred_at",
        ),
        (
            r#"{"kind":"hazard","occurred_at":"2024-03-05T10:00:00+08:00","body":{"category":"fence","severity":"huge"}}"#,
            None,
            "body.severity",
        ),
        (
            r#"{"kind":"hazard","occurred_at":"2024-03-05T10:00:00+08:00","body":{"category":"fence"}}"#,
            None,
            "body.severity",
        ),
        (
            r#"{"kind":"hazard","occurred_at":"2024-03-05T10:00:00+08:00","body":{"category":"fence","severity":"low","catgory":"x"}}"#,
            None,
            "body.catgory",
        ),
        (
            r#"{"kind":"hazard","occurred_at":"2024-03-05T10:00:00+08:00","location":{"lat":23.6,"lon":200},"body":{"category":"fence","severity":"low"}}"#,
            None,
            "location.lon",
        ),
        (
            r#"{"kind":"hazard","occurred_at":"2024-03-05T10:00:00+08:00","location":{"lat":0,"lon":0},"body":{"category":"fence","severity":"low"}}"#,
            None,
            "location",
        ),
        (
            r#"{"kind":"hazard","occurred_at":"2024-03-05T10:00:00+08:00","location":{"lat":"north","lon":105},"body":{"category":"fence","severity":"low"}}"#,
            None,
            "location.lat",
        ),
        (
            r#"{"kind":"repair","occurred_at":"2024-03-05T10:00:00+08:00","body":{"category":"road","quantity":2,"unit":"count"}}"#,
            None,
            "body.unit",
        ),
        (
            r#"{"kind":"repair","occurred_at":"2024-03-05T10:00:00+08:00","body":{"category":"landslide","quantity":2.5}}"#,
            None,
            "body.quantity",
        ),
        (
            r#"{"kind":"repair","occurred_at":"2024-03-05T10:00:00+08:00","body":{"category":"water","quantity":1,"closes_hazard":"not-an-id"}}"#,
            None,
            "body.closes_hazard",
        ),
        (
            r#"{"kind":"patrol","occurred_at":"2024-03-05T10:00:00+08:00","body":{"joint":true}}"#,
            None,
            "body.partners",
        ),
        (
            r#"{"kind":"patrol","occurred_at":"2024-03-05T10:00:00+08:00","body":{"partners":[{"unit":"army","count":0}]}}"#,
            None,
            "body.partners[0].count",
        ),
        (
            r#"{"kind":"patrol","occurred_at":"2024-03-05T10:00:00+08:00","body":{"partners":[{"unit":"navy","count":2}]}}"#,
            None,
            "body.partners[0].unit",
        ),
        (
            r#"{"kind":"patrol","occurred_at":"2024-03-05T10:00:00+08:00","body":{"members":["李国华",""]}}"#,
            None,
            "body.members[1]",
        ),
        (
            r#"{"kind":"patrol","occurred_at":"2024-03-05T10:00:00+08:00","body":{"members":"李国华"}}"#,
            None,
            "body.members",
        ),
    ];
    for (json, kind, field) in cases {
        let report = problems(json, *kind);
        assert!(
            report.mentions(field),
            "{json}\nexpected a problem on {field}, got:\n{report}"
        );
        for problem in &report.problems {
            assert!(!problem.message_zh.is_empty() && !problem.message_en.is_empty());
        }
    }
}

#[test]
fn oversized_text_and_input_are_refused() {
    let long = "塌".repeat(2001);
    let json = format!(
        r#"{{"kind":"hazard","occurred_at":"2024-03-05T10:00:00+08:00","body":{{"category":"landslide","severity":"low","description":"{long}"}}}}"#
    );
    let report = problems(&json, None);
    assert_eq!(fields(&report), ["body.description"]);
    assert!(report.problems[0].message_zh.contains("2001"));

    let huge = format!(r#"{{"kind":"hazard","pad":"{}"}}"#, "x".repeat(300 * 1024));
    assert_eq!(fields(&problems(&huge, None)), ["(整体)"]);
}

#[test]
fn control_characters_are_refused_in_every_text_naming_the_field() {
    // NUL and the other C0 controls (PostgreSQL cannot store NUL; the rest are invisible):
    // each text field that holds one is named, in Chinese and English.
    let cases: [(&str, &str, &str); 8] = [
        (HAZARD, "/body/description", "body.description"),
        (HAZARD, "/author", "author"),
        (PATROL, "/body/findings", "body.findings"),
        (PATROL, "/body/members/1", "body.members[1]"),
        (PATROL, "/body/markers/0", "body.markers[0]"),
        (REPAIR, "/body/description", "body.description"),
        (
            r#"{"kind":"outreach","occurred_at":"2024-03-05T10:00:00+08:00","body":{"village":"田蓬村","topic":"禁毒","audience":30}}"#,
            "/body/village",
            "body.village",
        ),
        (
            r#"{"kind":"incident","occurred_at":"2024-03-05T10:00:00+08:00","body":{"crime_type":"smuggling","persons":2,"handed_to":"派出所"}}"#,
            "/body/handed_to",
            "body.handed_to",
        ),
    ];
    for control in ['\u{0}', '\u{1b}', '\u{7}'] {
        for (json, pointer, field) in cases {
            let mut value: serde_json::Value = serde_json::from_str(json).unwrap();
            if value.pointer(pointer).is_none() {
                value["author"] = "李国华".into();
            }
            let text = value.pointer_mut(pointer).unwrap();
            *text = format!("铁网{control}冲毁").into();
            let report = problems(&value.to_string(), None);
            assert_eq!(fields(&report), [field], "{control:?} in {field}: {report}");
            let problem = &report.problems[0];
            assert!(
                problem.message_zh.contains("控制字符")
                    && problem.message_zh.contains("第 3 个字符"),
                "{problem:?}"
            );
            assert!(
                problem.message_en.contains("control character"),
                "{problem:?}"
            );
        }
    }
    // Tab, line feed and carriage return are ordinary text.
    let mut value: serde_json::Value = serde_json::from_str(HAZARD).unwrap();
    value["body"]["description"] = "铁网冲毁\t约30米\r\n第二行".into();
    parse_entry_draft(&value.to_string(), None).unwrap();
}

#[test]
fn shown_entries_can_be_fed_back_as_input() {
    // `patrol show --json` prints assigned fields; `patrol edit` must accept that text back.
    let mut value: serde_json::Value = serde_json::from_str(HAZARD).unwrap();
    let object = value.as_object_mut().unwrap();
    object.insert("id".into(), "0190f2c4-6a1e-7cc0-9a3b-5f0d2c1e4b7a".into());
    object.insert("revision".into(), 3.into());
    object.insert("status".into(), "open".into());
    assert!(parse_entry_draft(&value.to_string(), None).is_ok());
}

#[test]
fn an_entry_names_the_patrol_it_was_recorded_during_and_a_patrol_names_none() {
    let during = HAZARD.replacen(
        r#""kind":"hazard","#,
        r#""kind":"hazard","patrol_id":"0190f2c4-6a1e-7cc0-9a3b-5f0d2c1e4b7a","#,
        1,
    );
    let hazard = parse_entry_draft(&during, None).unwrap();
    assert_eq!(
        hazard.patrol_id.map(|id| id.to_string()).as_deref(),
        Some("0190f2c4-6a1e-7cc0-9a3b-5f0d2c1e4b7a")
    );
    let text = serde_json::to_string(&hazard).unwrap();
    assert_eq!(parse_entry_draft(&text, None).unwrap(), hazard);

    let not_an_id = HAZARD.replacen(
        r#""kind":"hazard","#,
        r#""kind":"hazard","patrol_id":"p1","#,
        1,
    );
    assert_eq!(fields(&problems(&not_an_id, None)), ["patrol_id"]);
    let patrol_in_patrol = PATROL.replacen(
        r#""kind":"patrol","#,
        r#""kind":"patrol","patrol_id":"0190f2c4-6a1e-7cc0-9a3b-5f0d2c1e4b7a","#,
        1,
    );
    let report = problems(&patrol_in_patrol, None);
    assert_eq!(fields(&report), ["patrol_id"]);
    assert_eq!(report.problems[0].message_zh, "巡逻记录不能属于另一次巡逻");
}
