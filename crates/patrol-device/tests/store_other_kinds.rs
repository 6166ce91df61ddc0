//! Incidents (案件), outreach sessions (普法宣传) and activities (活动) in the device store:
//! recorded, listed by kind, counted in persons, their forms' drafts kept; and the county's
//! review of an entry, pulled on sync, stored and listed, never sent back.

mod common;

use chrono::{TimeZone, Utc};
use common::{draft, fresh_store, last_seq, sync_answer};
use patrol_device::{DeviceError, DeviceStore, EntryListQuery, StatisticsQuery};
use patrol_model::sync::SyncResponse;
use patrol_model::{Entry, EntryKind, Review, ReviewDecision};

fn incident() -> patrol_model::EntryDraft {
    draft(
        r#"{"kind":"incident","occurred_at":"2024-03-04T21:30:00+08:00",
            "body":{"crime_type":"illegal_crossing","persons":2,"handed_to":"田蓬边境派出所",
                    "description":"界碑125附近劝返2名非法越境人员"}}"#,
    )
}

fn outreach(audience: u32) -> patrol_model::EntryDraft {
    draft(&format!(
        r#"{{"kind":"outreach","occurred_at":"2024-03-05T10:00:00+08:00",
            "body":{{"village":"田蓬村","topic":"禁毒","audience":{audience}}}}}"#
    ))
}

fn activity() -> patrol_model::EntryDraft {
    draft(
        r#"{"kind":"activity","occurred_at":"2024-03-06T15:00:00+08:00",
            "body":{"activity_type":"drill","attendees":12,"topic":"突发事件处置演练"}}"#,
    )
}

fn titles_of_kind(store: &DeviceStore, kind: EntryKind) -> Vec<String> {
    let query = EntryListQuery {
        kind: Some(kind),
        ..EntryListQuery::default()
    };
    let page = store.list_entries(&query).unwrap();
    page.entries.into_iter().map(|entry| entry.title).collect()
}

#[test]
fn incidents_outreach_and_activities_are_recorded_listed_and_counted_in_persons() {
    let (_directory, mut store) = fresh_store();
    store.record_entry(incident(), Vec::new()).unwrap();
    store.record_entry(outreach(120), Vec::new()).unwrap();
    store.record_entry(outreach(80), Vec::new()).unwrap();
    store.record_entry(activity(), Vec::new()).unwrap();

    assert_eq!(
        titles_of_kind(&store, EntryKind::Incident),
        ["非法越境 · 2 人 · 移交田蓬边境派出所 · 界碑125附近劝返2名非法越境人员"]
    );
    assert_eq!(
        titles_of_kind(&store, EntryKind::Outreach),
        [
            "普法宣传 · 田蓬村 · 禁毒 · 80 人",
            "普法宣传 · 田蓬村 · 禁毒 · 120 人"
        ]
    );
    assert_eq!(
        titles_of_kind(&store, EntryKind::Activity),
        ["战术演练 · 突发事件处置演练 · 12 人"]
    );
    // Neither has a status (no open/fixed, no running/ended).
    let everything = store.list_entries(&EntryListQuery::default()).unwrap();
    assert_eq!(everything.entries.len(), 4);
    assert!(everything
        .entries
        .iter()
        .all(|entry| entry.status.is_none()));
    // A search finds the village and the crime type in Chinese.
    let search = |text: &str| {
        store
            .list_entries(&EntryListQuery {
                search: Some(text.into()),
                ..EntryListQuery::default()
            })
            .unwrap()
            .entries
            .len()
    };
    assert_eq!(search("田蓬村"), 2);
    assert_eq!(search("越境"), 1);

    let statistics = store
        .statistics(&StatisticsQuery { year: Some(2024) })
        .unwrap();
    let total = |kind: EntryKind, category: &str| {
        statistics
            .totals
            .iter()
            .find(|total| total.kind == kind && total.category == category)
            .map(|total| (total.entries, total.quantity, total.unit.clone()))
    };
    let persons = Some("persons".to_string());
    assert_eq!(
        total(EntryKind::Incident, "illegal_crossing"),
        Some((1, Some(2.0), persons.clone()))
    );
    assert_eq!(
        total(EntryKind::Outreach, "outreach"),
        Some((2, Some(200.0), persons.clone()))
    );
    assert_eq!(
        total(EntryKind::Activity, "drill"),
        Some((1, Some(12.0), persons))
    );
    // Each is one entry waiting to be sent.
    assert_eq!(store.pending_entry_count().unwrap(), 4);
}

#[test]
fn a_session_nobody_came_to_is_refused_naming_the_audience_and_nothing_is_written() {
    let (_directory, mut store) = fresh_store();
    // As JSON (the app, `patrol record`), and as a draft built in code: both refused.
    let text = r#"{"kind":"outreach","occurred_at":"2024-03-05T10:00:00+08:00",
                   "body":{"village":"田蓬村","topic":"禁毒","audience":0}}"#;
    let report = patrol_model::parse_entry_draft(text, None).unwrap_err();
    let patrol_model::ModelError::Invalid(report) = report else {
        panic!("expected invalid input, got {report:?}")
    };
    assert_eq!(report.problems.len(), 1);
    assert_eq!(report.problems[0].field, "body.audience");
    assert_eq!(report.problems[0].message_zh, "应为 1 到 100000 的整数");
    let mut nobody = outreach(120);
    if let patrol_model::EntryBody::Outreach(body) = &mut nobody.body {
        body.audience = 0;
    }
    let error = store.record_entry(nobody, Vec::new()).unwrap_err();
    let DeviceError::Invalid(report) = error else {
        panic!("expected invalid input, got {error:?}")
    };
    assert_eq!(report.problems.len(), 1);
    assert_eq!(report.problems[0].field, "body.audience");
    assert_eq!(
        report.problems[0].message_zh,
        "受教育人数应为 1 到 100000 的整数"
    );
    assert!(store
        .list_entries(&EntryListQuery::default())
        .unwrap()
        .entries
        .is_empty());
    assert_eq!(store.pending_outbox_count().unwrap(), 0);
}

#[test]
fn the_new_kinds_forms_keep_their_drafts() {
    let (_directory, mut store) = fresh_store();
    for form in ["incident", "outreach", "activity"] {
        let json = format!(r#"{{"v":1,"form":"{form}","values":{{}}}}"#);
        store.save_draft(form, &json).unwrap();
        assert_eq!(store.load_draft(form).unwrap().as_deref(), Some(&*json));
        store.clear_draft(form).unwrap();
        assert_eq!(store.load_draft(form).unwrap(), None);
    }
    let error = store.save_draft("meeting", "{}").unwrap_err();
    assert!(matches!(error, DeviceError::Invalid(_)), "{error:?}");
}

/// The server's answer to a sync that sent every record so far, carrying `changes` back.
fn answer(store: &DeviceStore, changes: Vec<&Entry>) -> SyncResponse {
    let changes: Vec<Entry> = changes.into_iter().cloned().collect();
    sync_answer(last_seq(store), Vec::new(), &changes)
}

fn reviewed(entry: &Entry, decision: ReviewDecision, comment: &str) -> Entry {
    Entry {
        revision: entry.revision + 1,
        review: Some(Review {
            decision,
            comment: comment.into(),
            reviewer: "张科长".into(),
            decided_at: Utc.with_ymd_and_hms(2024, 3, 7, 2, 0, 0).unwrap(),
        }),
        ..entry.clone()
    }
}

#[test]
fn a_review_pulled_from_the_county_is_kept_listed_and_never_sent_back() {
    let (_directory, mut store) = fresh_store();
    let recorded = store.record_entry(incident(), Vec::new()).unwrap();
    let returned = reviewed(&recorded, ReviewDecision::Returned, "请写明移交时间");
    // Only the review differs from what the device has: it must still be taken.
    let applied = store
        .apply_sync_response(&answer(&store, vec![&returned]))
        .unwrap();
    assert_eq!(applied.pulled, 1);

    let stored = store.entry(recorded.id).unwrap();
    let review = stored.review.expect("the county's review is stored");
    assert_eq!(review.decision, ReviewDecision::Returned);
    assert_eq!(review.comment, "请写明移交时间");
    assert_eq!(review.reviewer, "张科长");
    assert_eq!(
        stored.draft, recorded.draft,
        "what the member wrote is untouched"
    );
    let row = &store
        .list_entries(&EntryListQuery::default())
        .unwrap()
        .entries[0];
    assert_eq!(row.review_decision, Some(ReviewDecision::Returned));
    let listed = serde_json::to_value(row).unwrap();
    assert_eq!(listed["review_decision"], "returned");
    // Kept in the history as the server's version; nothing new to send.
    let history = store.entry_history(recorded.id).unwrap();
    assert_eq!(history.len(), 2);
    assert!(history[1].entry.review.is_some());
    assert_eq!(store.pending_outbox_count().unwrap(), 0);

    // The same answer again changes nothing.
    let again = store
        .apply_sync_response(&answer(&store, vec![&returned]))
        .unwrap();
    assert_eq!(again.pulled, 0);
    assert_eq!(store.entry_history(recorded.id).unwrap().len(), 2);

    // The member fixes it: it waits for the county's review again (the county clears the
    // decision on such an edit and does not echo it back), and the edit is sent.
    let mut fixed = stored.draft.clone();
    if let patrol_model::EntryBody::Incident(body) = &mut fixed.body {
        body.description.push_str("，3月4日22时移交");
    }
    let edited = store.edit_entry(recorded.id, fixed).unwrap();
    assert_eq!(edited.review, None);
    assert_eq!(store.pending_outbox_count().unwrap(), 1);
    let row = &store
        .list_entries(&EntryListQuery::default())
        .unwrap()
        .entries[0];
    assert_eq!(row.review_decision, None);
}

#[test]
fn an_approval_is_kept_through_a_later_edit_and_a_review_of_another_phone_entry_arrives_with_it() {
    let (_directory, mut store) = fresh_store();
    let recorded = store.record_entry(outreach(120), Vec::new()).unwrap();
    let approved = reviewed(&recorded, ReviewDecision::Approved, "");
    // An activity another phone of the post recorded, already approved at the county.
    let (_other_directory, mut other_phone) = fresh_store();
    let theirs = other_phone.record_entry(activity(), Vec::new()).unwrap();
    let theirs_approved = reviewed(&theirs, ReviewDecision::Approved, "");
    let applied = store
        .apply_sync_response(&answer(&store, vec![&approved, &theirs_approved]))
        .unwrap();
    assert_eq!(applied.pulled, 2);
    assert_eq!(
        store.entry(theirs.id).unwrap().review,
        theirs_approved.review
    );

    let mut more = recorded.draft.clone();
    if let patrol_model::EntryBody::Outreach(body) = &mut more.body {
        body.description = "发放宣传册200份".into();
    }
    let edited = store.edit_entry(recorded.id, more).unwrap();
    assert_eq!(edited.review, approved.review);
}
