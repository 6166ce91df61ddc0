//! The year-end report (2024 and 2023) and the statistics against the hand-counted figures.
use super::exercise::Answers;
use county_server::SharedStorage;
use serde_json::json;

pub async fn check_report(backend: &str, storage: &SharedStorage, answers: &mut Answers) {
    let report = storage.annual_report(2024).await.unwrap();
    let expected = json!({
        "year": 2024, "posts": 2,
        "patrols": {"total": 3, "joint": 2, "distance_km": 9.2},
        "incidents": {"cases": 2, "persons": 5, "by_type": [
            {"code": "smuggling", "label_zh": "走私", "cases": 1, "persons": 2},
            {"code": "illegal_crossing", "label_zh": "非法越境", "cases": 1, "persons": 3},
            {"code": "drugs", "label_zh": "毒品", "cases": 0, "persons": 0},
            {"code": "other", "label_zh": "其他", "cases": 0, "persons": 0}]},
        "outreach": {"sessions": 2, "audience": 200},
    });
    let actual = serde_json::to_value(&report).unwrap();
    for key in ["year", "posts", "patrols", "incidents", "outreach"] {
        assert_eq!(actual[key], expected[key], "[{backend}] report {key}");
    }
    let repairs: Vec<(String, u64, f64, String)> = report
        .repairs
        .iter()
        .map(|r| (r.code.clone(), r.entries, r.quantity, r.unit.clone()))
        .collect();
    let expected_repairs = [
        ("road", 2, 7.2, "km"),
        ("landslide", 2, 5.0, "count"),
        ("water", 0, 0.0, "count"),
        ("power", 0, 0.0, "count"),
        ("fence", 1, 200.0, "m"),
        ("camera", 0, 0.0, "count"),
        ("other", 0, 0.0, "count"),
    ];
    assert_eq!(
        repairs,
        expected_repairs.map(|(c, e, q, u)| (c.to_string(), e, q, u.to_string())),
        "[{backend}]"
    );
    assert_eq!(
        report.repairs[0].quantity.to_string(),
        "7.2",
        "7.2 km of road prints 7.2"
    );
    let activities: Vec<(&str, u64, u64)> = report
        .activities
        .iter()
        .map(|a| (a.code.as_str(), a.sessions, a.attendees))
        .collect();
    assert_eq!(
        activities[..2],
        [("training", 1, 96), ("drill", 1, 20)],
        "[{backend}]"
    );
    assert!(activities[2..].iter().all(|(_, s, a)| (*s, *a) == (0, 0)));
    let hazards = &report.hazards;
    assert_eq!(
        (hazards.found, hazards.fixed, hazards.open),
        (3, 1, 2),
        "[{backend}]"
    );
    let by: Vec<(&str, u64, u64)> = hazards
        .by_category
        .iter()
        .filter(|h| h.found > 0)
        .map(|h| (h.code.as_str(), h.found, h.fixed))
        .collect();
    assert_eq!(
        by,
        [("road", 1, 0), ("fence", 1, 1), ("crossing", 1, 0)],
        "[{backend}]"
    );
    answers.insert("report_2024".into(), actual);
    // The last local day of the fixture's live entries is in 2024 (the deleted one too).
    assert_eq!(
        storage.latest_entry_year().await.unwrap(),
        Some(2024),
        "[{backend}] Statistics opens on the latest year with entries"
    );

    let last_year = storage.annual_report(2023).await.unwrap();
    assert_eq!(
        (
            last_year.posts,
            last_year.repairs[0].entries,
            last_year.repairs[0].quantity
        ),
        (1, 1, 1.0),
        "[{backend}] 23:30 on 31 Dec counts in 2023"
    );
    assert_eq!(last_year.patrols.total, 0);
    answers.insert(
        "report_2023".into(),
        serde_json::to_value(&last_year).unwrap(),
    );

    let statistics = storage.statistics(2024, None).await.unwrap();
    let find = |month: &str, kind: &str, category: &str| {
        statistics
            .rows
            .iter()
            .find(|r| r.month == month && r.kind == kind && r.category == category)
    };
    let road = find("2024-04", "repair", "road").expect("April's road repairs");
    assert_eq!(
        (
            road.post_name.as_str(),
            road.entries,
            road.quantity,
            road.unit.as_deref()
        ),
        ("田蓬联防所", 2, Some(7.2), Some("km")),
        "[{backend}]"
    );
    let fence = find("2024-04", "repair", "fence").unwrap();
    assert_eq!(
        (
            fence.quantity,
            fence.unit.as_deref(),
            fence.category_label_zh.as_deref()
        ),
        (Some(200.0), Some("m"), Some("铁网"))
    );
    assert_eq!(
        find("2024-01", "repair", "landslide").map(|r| r.quantity),
        Some(Some(2.0)),
        "[{backend}] local month"
    );
    assert!(
        find("2024-07", "repair", "road").is_none(),
        "[{backend}] the deleted repair is not counted"
    );
    assert_eq!(
        find("2024-05", "hazard", "fence").map(|r| (r.fixed, r.quantity)),
        Some((1, None))
    );
    assert_eq!(
        statistics.rows.iter().map(|r| r.entries).sum::<u64>(),
        17,
        "[{backend}] 2024's live entries"
    );
    answers.insert(
        "statistics_2024".into(),
        serde_json::to_value(&statistics).unwrap(),
    );
    let of_b = storage
        .statistics(
            2024,
            Some(
                statistics
                    .rows
                    .iter()
                    .find(|r| r.post_name == "木央联防所")
                    .unwrap()
                    .post_id,
            ),
        )
        .await
        .unwrap();
    assert_eq!(of_b.rows.len(), 5);
    assert!(of_b.rows.iter().all(|r| r.post_name == "木央联防所"));
}
