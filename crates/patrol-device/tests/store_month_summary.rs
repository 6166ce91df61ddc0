//! The post leader's month: the month's entries by kind and category with their quantities, by
//! member, and the hazards open now by age, oldest first; other months and deleted entries stay
//! out.

mod common;

use chrono::NaiveDate;
use common::{fresh_store, hazard, patrol, repair};
use patrol_device::DeviceStore;
use patrol_model::{EntryDraft, EntryKind};

fn written_by(
    store: &mut DeviceStore,
    author: &str,
    mut draft: EntryDraft,
) -> patrol_model::EntryId {
    draft.author = Some(author.into());
    store.record_entry(draft, vec![]).unwrap().id
}

#[test]
fn a_month_by_category_and_member_and_the_open_hazards_by_age() {
    let (_directory, mut store) = fresh_store();
    let old_hazard = written_by(
        &mut store,
        "王明",
        hazard("2024-01-10", "fence", "铁网松动"),
    );
    written_by(&mut store, "王明", hazard("2024-03-02", "road", "路面塌方"));
    let fixed = written_by(
        &mut store,
        "李国华",
        hazard("2024-03-03", "water", "水源浑浊"),
    );
    written_by(
        &mut store,
        "王明",
        hazard("2024-03-20", "power", "电线下垂"),
    );
    written_by(
        &mut store,
        "李国华",
        repair("2024-03-05", "water", 1.0, Some(&fixed.to_string())),
    );
    written_by(&mut store, "李国华", patrol("2024-03-06", true, "无异常"));
    written_by(&mut store, "李国华", patrol("2024-03-07", false, "无异常"));
    let gone = written_by(&mut store, "王明", patrol("2024-03-08", false, "记错了"));
    store.delete_entry(gone).unwrap();
    written_by(&mut store, "王明", patrol("2024-04-01", false, "下个月"));

    let today = NaiveDate::from_ymd_opt(2024, 3, 25).unwrap();
    let month = store.month_summary("2024-03", today).unwrap();
    assert_eq!(month.month, "2024-03");
    assert_eq!(month.entries, 6, "April and the deleted patrol stay out");
    let categories: Vec<(EntryKind, &str, u64)> = month
        .categories
        .iter()
        .map(|c| (c.kind, c.category_label_zh.as_str(), c.entries))
        .collect();
    assert_eq!(
        categories,
        [
            (EntryKind::Patrol, "联合巡逻", 1),
            (EntryKind::Patrol, "巡逻", 1),
            (EntryKind::Hazard, "电路", 1),
            (EntryKind::Hazard, "道路/便道", 1),
            (EntryKind::Hazard, "水源", 1),
            (EntryKind::Repair, "水源", 1),
        ],
        "kinds in order, then most entries, then category"
    );
    let repairs = month.categories.last().unwrap();
    assert_eq!(
        (repairs.quantity, repairs.unit.as_deref()),
        (Some(1.0), Some("count"))
    );
    let members: Vec<(&str, u64)> = month
        .members
        .iter()
        .map(|m| (m.author.as_str(), m.entries))
        .collect();
    assert_eq!(members, [("李国华", 4), ("王明", 2)], "most entries first");
    let li = &month.members[0];
    let kinds: Vec<(EntryKind, u64)> = li.by_kind.iter().map(|k| (k.kind, k.entries)).collect();
    assert_eq!(
        kinds,
        [
            (EntryKind::Patrol, 2),
            (EntryKind::Hazard, 1),
            (EntryKind::Repair, 1)
        ]
    );

    let ages = &month.open_hazards;
    assert_eq!(
        (ages.within_week, ages.within_month, ages.older),
        (1, 1, 1),
        "5 days, 23 days, 75 days; the fixed one is not open"
    );
    assert_eq!(ages.oldest[0].id, old_hazard);
    assert_eq!(ages.oldest[0].days_open, 75);
    let days: Vec<u32> = ages.oldest.iter().map(|h| h.days_open).collect();
    assert_eq!(days, [75, 23, 5], "oldest first");
}

#[test]
fn a_month_not_written_as_year_and_month_is_refused_on_month() {
    let (_directory, store) = fresh_store();
    let today = NaiveDate::from_ymd_opt(2024, 3, 25).unwrap();
    for bad in ["2024-13", "2024-3", "三月", "2024-03-01"] {
        let error = store.month_summary(bad, today).unwrap_err();
        assert!(
            error.message_zh().contains("应如 2024-03"),
            "{bad}: {}",
            error.message_zh()
        );
    }
    let empty = store.month_summary("2024-03", today).unwrap();
    assert_eq!((empty.entries, empty.members.len()), (0, 0));
}
