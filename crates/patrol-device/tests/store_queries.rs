//! Listing, searching (in Chinese) and counting entries, as the log screen and the post's
//! monthly summary use them.

mod common;

use chrono::NaiveDate;
use common::*;
use patrol_device::{EntryListQuery, StatisticsQuery};
use patrol_model::{EntryKind, EntryStatus};
use std::collections::HashSet;

#[test]
fn keyset_pages_walk_every_entry_once_newest_first() {
    let (_directory, mut store) = fresh_store();
    // Many entries share a timestamp: the id breaks the tie, so none is skipped or repeated.
    for day in 1..=9 {
        for n in 0..7 {
            store
                .record_entry(
                    hazard(&format!("2024-04-0{day}"), "road", &format!("塌方{n}")),
                    vec![],
                )
                .unwrap();
        }
    }
    let mut seen = Vec::new();
    let mut after = None;
    loop {
        let page = store
            .list_entries(&EntryListQuery {
                after: after.clone(),
                limit: Some(10),
                ..Default::default()
            })
            .unwrap();
        seen.extend(
            page.entries
                .iter()
                .map(|entry| (entry.occurred_at.clone(), entry.id.clone())),
        );
        match page.next_cursor {
            Some(cursor) => after = Some(cursor),
            None => break,
        }
    }
    assert_eq!(seen.len(), 63);
    assert_eq!(
        seen.iter().map(|(_, id)| id).collect::<HashSet<_>>().len(),
        63
    );
    let mut sorted = seen.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(seen, sorted, "newest first, ties by id");
}

#[test]
fn filters_by_kind_status_and_local_date() {
    let (_directory, mut store) = fresh_store();
    let open = store
        .record_entry(hazard("2024-03-02", "fence", "铁网"), vec![])
        .unwrap();
    let to_fix = store
        .record_entry(hazard("2024-03-03", "water", "水源"), vec![])
        .unwrap();
    store
        .record_entry(
            repair("2024-03-05", "water", 1.0, Some(&to_fix.id.to_string())),
            vec![],
        )
        .unwrap();
    store
        .record_entry(patrol("2024-04-01", true, "正常"), vec![])
        .unwrap();

    let list = |query: EntryListQuery| -> Vec<String> {
        store
            .list_entries(&query)
            .unwrap()
            .entries
            .into_iter()
            .map(|e| e.id)
            .collect()
    };
    assert_eq!(
        list(EntryListQuery {
            kind: Some(EntryKind::Hazard),
            status: Some(EntryStatus::Open),
            ..Default::default()
        }),
        [open.id.to_string()]
    );
    assert_eq!(
        list(EntryListQuery {
            status: Some(EntryStatus::Fixed),
            ..Default::default()
        }),
        [to_fix.id.to_string()]
    );
    let march = list(EntryListQuery {
        since: NaiveDate::from_ymd_opt(2024, 3, 3),
        until: NaiveDate::from_ymd_opt(2024, 3, 31),
        ..Default::default()
    });
    assert_eq!(
        march.len(),
        2,
        "the hazard of 3 March and the repair of 5 March"
    );
}

#[test]
fn chinese_search_matches_two_character_words_and_longer_phrases() {
    let (_directory, mut store) = fresh_store();
    let fence = store
        .record_entry(
            hazard("2024-03-02", "fence", "铁网被洪水冲毁约30米"),
            vec![],
        )
        .unwrap();
    let slide = store
        .record_entry(
            hazard("2024-03-03", "landslide", "便道塌方,车辆无法通行"),
            vec![],
        )
        .unwrap();
    let trail = store
        .record_entry(
            patrol("2024-03-04", true, "界碑123附近发现新踩踏便道"),
            vec![],
        )
        .unwrap();

    let search = |text: &str| -> HashSet<String> {
        store
            .list_entries(&EntryListQuery {
                search: Some(text.into()),
                ..Default::default()
            })
            .unwrap()
            .entries
            .into_iter()
            .map(|entry| entry.id)
            .collect()
    };
    let ids = |entries: &[&patrol_model::Entry]| -> HashSet<String> {
        entries.iter().map(|entry| entry.id.to_string()).collect()
    };
    assert_eq!(search("洪水冲毁"), ids(&[&fence]));
    assert_eq!(search("铁网"), ids(&[&fence]));
    assert_eq!(search("便道"), ids(&[&slide, &trail]));
    assert_eq!(search("踩踏便道"), ids(&[&trail]));
    assert_eq!(
        search("便道 塌方"),
        ids(&[&slide]),
        "every word must appear"
    );
    assert_eq!(search("界碑123"), ids(&[&trail]));
    assert_eq!(search("李国华"), ids(&[&trail]), "members are searchable");
    assert!(search("走私").is_empty());
    assert!(
        search("100%").is_empty(),
        "LIKE wildcards are taken literally"
    );
    assert!(store
        .list_entries(&EntryListQuery {
            search: Some("长".repeat(101)),
            ..Default::default()
        })
        .is_err());
}

#[test]
fn statistics_count_by_kind_category_and_local_month_and_total_quantities() {
    let (_directory, mut store) = fresh_store();
    store
        .record_entry(patrol("2024-01-05", true, "a"), vec![])
        .unwrap();
    store
        .record_entry(patrol("2024-01-06", true, "b"), vec![])
        .unwrap();
    store
        .record_entry(patrol("2024-02-06", false, "c"), vec![])
        .unwrap();
    let fence_hazard = store
        .record_entry(hazard("2024-02-01", "fence", "铁网"), vec![])
        .unwrap();
    store
        .record_entry(hazard("2024-02-02", "road", "道路"), vec![])
        .unwrap();
    store
        .record_entry(
            repair(
                "2024-02-10",
                "fence",
                120.0,
                Some(&fence_hazard.id.to_string()),
            ),
            vec![],
        )
        .unwrap();
    store
        .record_entry(repair("2024-03-10", "fence", 80.0, None), vec![])
        .unwrap();
    // 0.5 km given in metres counts as 0.5 km of road.
    store
        .record_entry(draft(r#"{"kind":"repair","occurred_at":"2024-03-11T10:00:00+08:00","body":{"category":"road","quantity":500,"unit":"m"}}"#), vec![])
        .unwrap();
    store
        .record_entry(repair("2024-04-11", "road", 6.7, None), vec![])
        .unwrap();
    store
        .record_entry(repair("2024-05-01", "landslide", 3.0, None), vec![])
        .unwrap();
    // 07:30 on 1 Jan 2024 in Yunnan is still 2023 in UTC: it counts in 2024, the member's year.
    store
        .record_entry(draft(r#"{"kind":"repair","occurred_at":"2024-01-01T07:30:00+08:00","body":{"category":"landslide","quantity":2}}"#), vec![])
        .unwrap();
    // And 23:30 on 31 Dec 2023 in Yunnan counts in 2023.
    store
        .record_entry(draft(r#"{"kind":"repair","occurred_at":"2023-12-31T23:30:00+08:00","body":{"category":"landslide","quantity":4}}"#), vec![])
        .unwrap();
    let deleted = store
        .record_entry(repair("2024-05-02", "landslide", 9.0, None), vec![])
        .unwrap();
    store.delete_entry(deleted.id).unwrap();
    store
        .record_entry(repair("2023-06-01", "landslide", 1.0, None), vec![])
        .unwrap();

    let stats = store
        .statistics(&StatisticsQuery { year: Some(2024) })
        .unwrap();
    let total = |kind: EntryKind, category: &str| {
        stats
            .totals
            .iter()
            .find(|t| t.kind == kind && t.category == category)
            .cloned()
            .unwrap()
    };
    assert_eq!(total(EntryKind::Patrol, "joint").entries, 2);
    assert_eq!(total(EntryKind::Patrol, "regular").entries, 1);
    let fence = total(EntryKind::Repair, "fence");
    assert_eq!(
        (fence.entries, fence.quantity, fence.unit.as_deref()),
        (2, Some(200.0), Some("m"))
    );
    let road = total(EntryKind::Repair, "road");
    assert_eq!(
        (road.quantity, road.unit.as_deref()),
        (Some(7.2), Some("km"))
    );
    let hazards_fixed: u64 = stats
        .totals
        .iter()
        .filter(|t| t.kind == EntryKind::Hazard)
        .map(|t| t.fixed)
        .sum();
    assert_eq!(hazards_fixed, 1);
    let landslide = total(EntryKind::Repair, "landslide");
    assert_eq!(
        (landslide.entries, landslide.quantity),
        (2, Some(5.0)),
        "3 in May and 2 on the local 1 January; not the deleted one nor those of 2023"
    );
    let months: Vec<&str> = stats
        .by_month
        .iter()
        .filter(|row| row.kind == EntryKind::Patrol && row.category == "joint")
        .map(|row| row.month.as_str())
        .collect();
    assert_eq!(months, ["2024-01"]);
    assert!(store
        .statistics(&StatisticsQuery { year: Some(99999) })
        .is_err());
}
