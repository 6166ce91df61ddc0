//! The entries list: every filter, and paging by the cursor.
use super::exercise::{day, page, Answers, Fixture};
use county_server::storage::dashboard::{DashboardEntryFilter, EntryCursor, ReviewFilter};
use county_server::storage::Post;
use county_server::SharedStorage;
use patrol_model::{EntryKind, EntryStatus};

pub async fn check_pages(
    backend: &str,
    storage: &SharedStorage,
    fixture: &Fixture,
    posts: &[Post],
    answers: &mut Answers,
) {
    let all = page(storage, DashboardEntryFilter::default()).await;
    assert_eq!(all.entries.len(), 18, "[{backend}] live entries");
    assert_eq!(all.next_cursor, None);
    assert_eq!(all.entries[0].id, fixture.id("drill"), "newest first");
    let summary = all
        .entries
        .iter()
        .find(|e| e.id == fixture.id("fence_in_km"))
        .unwrap();
    assert_eq!(
        (
            summary.quantity,
            summary.unit.as_deref(),
            summary.local_day.as_str()
        ),
        (Some(200.0), Some("m"), "2024-04-20")
    );
    assert_eq!(
        (
            summary.occurred_at.as_str(),
            summary.category_label_zh.as_deref()
        ),
        ("2024-04-20T10:00:00+08:00", Some("铁网"))
    );
    assert!(
        summary.title_zh.starts_with("铁网 0.2 公里"),
        "{}",
        summary.title_zh
    );
    // Pages of 5 by the cursor give the same list.
    let mut paged = Vec::new();
    let mut cursor: Option<EntryCursor> = None;
    loop {
        let next = storage
            .entry_page(DashboardEntryFilter::default(), cursor, 5)
            .await
            .unwrap();
        paged.extend(next.entries.iter().map(|e| e.id));
        match next.next_cursor {
            Some(text) => cursor = Some(text.parse().unwrap()),
            None => break,
        }
    }
    assert_eq!(
        paged,
        all.entries.iter().map(|e| e.id).collect::<Vec<_>>(),
        "[{backend}]"
    );
    answers.insert("entries_all".into(), serde_json::to_value(&all).unwrap());

    let cases: Vec<(&str, DashboardEntryFilter, usize)> = vec![
        (
            "post_b",
            DashboardEntryFilter {
                post_id: Some(posts[1].id),
                ..Default::default()
            },
            5,
        ),
        (
            "repairs",
            DashboardEntryFilter {
                kind: Some(EntryKind::Repair),
                ..Default::default()
            },
            6,
        ),
        (
            "repairs_with_deleted",
            DashboardEntryFilter {
                kind: Some(EntryKind::Repair),
                include_deleted: true,
                ..Default::default()
            },
            7,
        ),
        (
            "text_fence",
            DashboardEntryFilter {
                text: Some("铁网".into()),
                ..Default::default()
            },
            2,
        ),
        (
            "text_one_char",
            DashboardEntryFilter {
                text: Some("禁".into()),
                ..Default::default()
            },
            1,
        ),
        (
            "text_wildcard",
            DashboardEntryFilter {
                text: Some("%".into()),
                ..Default::default()
            },
            0,
        ),
        (
            "april",
            DashboardEntryFilter {
                from_day: day("2024-04-01"),
                to_day: day("2024-04-30"),
                ..Default::default()
            },
            3,
        ),
        (
            "new_year_day",
            DashboardEntryFilter {
                from_day: day("2024-01-01"),
                to_day: day("2024-01-01"),
                ..Default::default()
            },
            1,
        ),
        (
            "fixed",
            DashboardEntryFilter {
                status: Some(EntryStatus::Fixed),
                ..Default::default()
            },
            1,
        ),
        (
            "pending",
            DashboardEntryFilter {
                review: Some(ReviewFilter::Pending),
                ..Default::default()
            },
            18,
        ),
        (
            "post_a_hazards_open",
            DashboardEntryFilter {
                post_id: Some(posts[0].id),
                kind: Some(EntryKind::Hazard),
                status: Some(EntryStatus::Open),
                ..Default::default()
            },
            1,
        ),
    ];
    for (name, filter, expected) in cases {
        let found = page(storage, filter).await;
        assert_eq!(
            found.entries.len(),
            expected,
            "[{backend}] {name}: {:?}",
            found
                .entries
                .iter()
                .map(|e| &e.title_zh)
                .collect::<Vec<_>>()
        );
        answers.insert(
            format!("entries_{name}"),
            serde_json::to_value(&found).unwrap(),
        );
    }
    let with_deleted = page(
        storage,
        DashboardEntryFilter {
            include_deleted: true,
            ..Default::default()
        },
    )
    .await;
    assert!(with_deleted
        .entries
        .iter()
        .any(|e| e.deleted && e.id == fixture.id("deleted_road")));
}
