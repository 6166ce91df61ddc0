//! Property tests: any valid draft survives JSON and re-validation unchanged, and any
//! quantity that is not positive is refused whatever else is in the entry.

use patrol_model::{
    parse_entry_draft, DomainCode, EntryBody, EntryDraft, EntryKind, HazardBody, HazardCategory,
    HazardSeverity, LocalTime, Location, ModelError, PartnerUnit, PatrolBody, PatrolPartner,
    RepairBody, RepairCategory,
};
use proptest::prelude::*;

fn chinese_text(max: usize) -> impl Strategy<Value = String> {
    proptest::collection::vec(
        prop_oneof![
            proptest::char::range('\u{4e00}', '\u{9fa5}'),
            proptest::char::range('0', '9'),
            Just(' '),
            Just(','),
            Just('"'),
        ],
        0..max,
    )
    .prop_map(|chars| chars.into_iter().collect())
}

fn name() -> impl Strategy<Value = String> {
    proptest::collection::vec(proptest::char::range('\u{4e00}', '\u{9fa5}'), 2..5)
        .prop_map(|chars| chars.into_iter().collect())
}

fn pick<C: DomainCode + std::fmt::Debug>() -> impl Strategy<Value = C> {
    (0..C::ALL.len()).prop_map(|index| C::ALL[index])
}

fn body() -> impl Strategy<Value = EntryBody> {
    prop_oneof![
        (
            proptest::collection::vec(name(), 0..5),
            proptest::collection::vec((pick::<PartnerUnit>(), 1u32..50), 0..4),
            proptest::collection::vec((1u32..999).prop_map(|n| n.to_string()), 0..5),
            chinese_text(200),
            proptest::option::of(0.0f64..60.0),
        )
            .prop_map(|(members, partners, markers, findings, distance_km)| {
                let partners: Vec<PatrolPartner> = partners
                    .into_iter()
                    .map(|(unit, count)| PatrolPartner { unit, count })
                    .collect();
                EntryBody::Patrol(PatrolBody {
                    joint: !partners.is_empty(),
                    members,
                    partners,
                    markers,
                    findings,
                    distance_km,
                    track: None,
                })
            }),
        (
            pick::<HazardCategory>(),
            pick::<HazardSeverity>(),
            chinese_text(300)
        )
            .prop_map(
                |(category, severity, description)| EntryBody::Hazard(HazardBody {
                    category,
                    severity,
                    description
                })
            ),
        (pick::<RepairCategory>(), 1u32..5000, chinese_text(100)).prop_map(
            |(category, amount, description)| {
                let unit = category.unit();
                let quantity = if unit == patrol_model::Unit::Count {
                    amount as f64
                } else {
                    amount as f64 / 10.0
                };
                EntryBody::Repair(RepairBody {
                    category,
                    quantity,
                    unit,
                    closes_hazard: None,
                    description,
                })
            }
        ),
    ]
}

fn draft() -> impl Strategy<Value = EntryDraft> {
    (
        1_600_000_000_000i64..1_900_000_000_000,
        -12i32..14,
        proptest::option::of(0i64..86_400_000),
        proptest::option::of((-89.0f64..89.0, -179.0f64..179.0)),
        proptest::option::of(name()),
        body(),
    )
        .prop_map(|(millis, offset_hours, duration, position, author, body)| {
            let occurred_at = LocalTime::from_parts(millis, offset_hours * 60).unwrap();
            EntryDraft {
                occurred_at,
                ended_at: duration
                    .map(|d| LocalTime::from_parts(millis + d, offset_hours * 60).unwrap()),
                location: position.map(|(lat, lon)| Location::new(lat + 0.5, lon + 0.5)),
                author,
                // Half the other kinds were recorded during a patrol.
                patrol_id: (millis % 2 == 0 && body.kind() != EntryKind::Patrol)
                    .then(|| "0190f2c4-6a1e-7cc0-9a3b-5f0d2c1e4b7a".parse().unwrap()),
                body,
            }
        })
}

proptest! {
    #[test]
    fn valid_drafts_round_trip_through_json(draft in draft()) {
        let text = serde_json::to_string(&draft).unwrap();
        let parsed = parse_entry_draft(&text, Some(draft.kind()));
        prop_assert!(parsed.is_ok(), "{text}\n{parsed:?}");
        prop_assert_eq!(parsed.unwrap(), draft);
    }

    #[test]
    fn a_quantity_that_is_not_positive_is_always_refused(
        draft in draft(),
        quantity in prop_oneof![-1e9f64..=0.0, Just(0.0), Just(-0.0)],
    ) {
        let mut value = serde_json::to_value(&draft).unwrap();
        value["kind"] = "repair".into();
        value["body"] = serde_json::json!({"category": "fence", "quantity": quantity});
        match parse_entry_draft(&value.to_string(), None) {
            Err(ModelError::Invalid(report)) => prop_assert!(report.mentions("body.quantity"), "{report}"),
            other => prop_assert!(false, "accepted: {other:?}"),
        }
    }
}
