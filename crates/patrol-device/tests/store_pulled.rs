//! Applying a page of the post's changes pulled from the server: every entry is taken as the
//! server has it, with one history row per version kept as the server's, findable in search and
//! counted in the statistics; a page pulled again changes nothing; an entry this device still
//! has unsent changes of waits; a pulled version never goes back into the outbox.

mod common;

use chrono::{TimeZone, Utc};
use common::{fresh_store, hazard, patrol, repair, sync_answer};
use patrol_device::{DeviceStore, EntryListQuery, StatisticsQuery};
use patrol_model::sync::SyncResponse;
use patrol_model::{Entry, EntryBody, EntryId, PostId, Review, ReviewDecision};

/// The server's answer carrying `entries` (nothing of this device's to acknowledge).
fn answer(entries: &[Entry]) -> SyncResponse {
    sync_answer(0, Vec::new(), entries)
}

/// What another device of the post recorded: two hazards, a repair that fixed one, a patrol,
/// as the server sends them (with the post; the fixed hazard at its second revision).
fn the_posts_entries() -> Vec<Entry> {
    let (_directory, mut other) = fresh_store();
    let broken = other
        .record_entry(
            hazard("2024-03-02", "fence", "铁网被洪水冲毁约30米"),
            vec![],
        )
        .unwrap();
    other
        .record_entry(hazard("2024-03-03", "water", "水源浑浊"), vec![])
        .unwrap();
    other
        .record_entry(
            repair("2024-03-05", "fence", 30.0, Some(&broken.id.to_string())),
            vec![],
        )
        .unwrap();
    other
        .record_entry(patrol("2024-04-01", true, "发现可疑脚印一处"), vec![])
        .unwrap();
    let post_id = PostId::new_v7();
    let mut entries: Vec<Entry> = other
        .list_entries(&EntryListQuery::default())
        .unwrap()
        .entries
        .iter()
        .map(|row| other.entry(row.id.parse().unwrap()).unwrap())
        .map(|entry| Entry {
            post_id: Some(post_id),
            ..entry
        })
        .collect();
    entries.reverse(); // oldest first, as the server's cursor goes
    entries
}

/// `(revision, source)` of every stored version of `id`, oldest first.
fn stored_versions(store: &DeviceStore, id: EntryId) -> Vec<(u32, String)> {
    let connection = patrol_device::store::at_rest::open_raw_store(store.data_dir()).unwrap();
    let mut statement = connection
        .prepare(
            "SELECT revision, source FROM entry_versions WHERE entry_id = ?1 ORDER BY revision",
        )
        .unwrap();
    statement
        .query_map([id.to_string()], |row| Ok((row.get(0)?, row.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

fn found(store: &DeviceStore, text: &str) -> Vec<EntryId> {
    store
        .list_entries(&EntryListQuery {
            search: Some(text.into()),
            ..Default::default()
        })
        .unwrap()
        .entries
        .iter()
        .map(|row| row.id.parse().unwrap())
        .collect()
}

/// Entries counted in the statistics of 2024, and hazards counted fixed.
fn counted(store: &DeviceStore) -> (u64, u64) {
    let statistics = store
        .statistics(&StatisticsQuery { year: Some(2024) })
        .unwrap();
    (
        statistics.by_month.iter().map(|row| row.entries).sum(),
        statistics.by_month.iter().map(|row| row.fixed).sum(),
    )
}

fn reviewed(entry: &Entry) -> Entry {
    Entry {
        revision: entry.revision + 1,
        review: Some(Review {
            decision: ReviewDecision::Approved,
            comment: "核实无误".into(),
            reviewer: "张科长".into(),
            decided_at: Utc.with_ymd_and_hms(2024, 4, 2, 2, 0, 0).unwrap(),
        }),
        ..entry.clone()
    }
}

fn returned(entry: &Entry, comment: &str) -> Entry {
    let mut returned = reviewed(entry);
    let review = returned.review.as_mut().unwrap();
    review.decision = ReviewDecision::Returned;
    review.comment = comment.into();
    returned
}

/// The returned count on Home, which the sync chip's badge shows too.
fn returned_on_home(store: &DeviceStore) -> u64 {
    let on_home = store
        .home_summary(chrono::NaiveDate::from_ymd_opt(2024, 4, 2).unwrap())
        .unwrap()
        .returned_entries;
    assert_eq!(
        store.sync_status().unwrap().returned_entries,
        on_home,
        "the chip's badge"
    );
    on_home
}

#[test]
fn home_counts_the_entries_the_county_returned_until_a_member_fixes_them() {
    let server = the_posts_entries();
    let (_directory, mut store) = fresh_store();
    store.apply_sync_response(&answer(&server)).unwrap();
    assert_eq!(returned_on_home(&store), 0);

    let (water, repair, patrol) = (&server[1], &server[2], &server[3]);
    let page = [
        returned(water, "请补拍水源照片"),
        reviewed(repair),
        returned(patrol, "请写明巡逻路线"),
    ];
    store.apply_sync_response(&answer(&page)).unwrap();
    assert_eq!(returned_on_home(&store), 2, "an approval does not count");
    let listed = |store: &DeviceStore, review| -> Vec<EntryId> {
        let query = EntryListQuery {
            review: Some(review),
            ..Default::default()
        };
        let page = store.list_entries(&query).unwrap();
        page.entries
            .iter()
            .map(|row| row.id.parse().unwrap())
            .collect()
    };
    assert_eq!(
        listed(&store, ReviewDecision::Returned),
        vec![patrol.id, water.id],
        "the log's 已退回 filter, newest first"
    );
    assert_eq!(listed(&store, ReviewDecision::Approved), vec![repair.id]);

    let fixed = hazard("2024-03-03", "water", "水源浑浊,已补拍照片");
    store.edit_entry(water.id, fixed).unwrap();
    assert_eq!(
        returned_on_home(&store),
        1,
        "the fixed one no longer counts"
    );
    store.delete_entry(patrol.id).unwrap();
    assert_eq!(returned_on_home(&store), 0, "nor a deleted one");
    assert_eq!(
        listed(&store, ReviewDecision::Returned),
        Vec::<EntryId>::new()
    );
}

#[test]
fn a_pulled_page_is_stored_as_the_server_has_it_and_once() {
    let server = the_posts_entries();
    let (_directory, mut store) = fresh_store();

    let applied = store.apply_sync_response(&answer(&server)).unwrap();
    assert_eq!((applied.pulled, applied.deferred), (4, 0));
    for entry in &server {
        assert_eq!(
            &store.entry(entry.id).unwrap(),
            entry,
            "as the server has it"
        );
        assert_eq!(
            stored_versions(&store, entry.id),
            vec![(entry.revision, "server".to_string())],
            "one history row, the server's"
        );
    }
    assert_eq!(
        store.pending_outbox_count().unwrap(),
        0,
        "nothing to send back"
    );
    assert_eq!(store.pull_cursor().unwrap().as_deref(), Some("4"));
    let patrol = &server[3];
    assert_eq!(found(&store, "可疑脚印"), vec![patrol.id]);
    assert_eq!(
        counted(&store),
        (4, 1),
        "four entries, the broken fence fixed"
    );

    // The same page again (a pull repeated after a cut) changes nothing.
    let again = store.apply_sync_response(&answer(&server)).unwrap();
    assert_eq!((again.pulled, again.deferred), (0, 0));
    for entry in &server {
        assert_eq!(stored_versions(&store, entry.id).len(), 1);
    }
    assert_eq!(counted(&store), (4, 1));
    assert_eq!(found(&store, "可疑脚印"), vec![patrol.id]);
}

#[test]
fn later_versions_replace_what_the_device_holds_and_keep_their_history() {
    let server = the_posts_entries();
    let (_directory, mut store) = fresh_store();
    store.apply_sync_response(&answer(&server)).unwrap();

    // The county reviewed the patrol; the other device corrected its findings and deleted the
    // water hazard.
    let patrol = reviewed(&server[3]);
    let mut corrected = server[3].clone();
    if let EntryBody::Patrol(body) = &mut corrected.draft.body {
        body.findings = "发现野猪活动痕迹".into();
    }
    let corrected = Entry {
        revision: patrol.revision + 1,
        ..corrected
    };
    let water = Entry {
        deleted: true,
        revision: server[1].revision + 1,
        ..server[1].clone()
    };
    let applied = store
        .apply_sync_response(&answer(&[patrol.clone(), water.clone()]))
        .unwrap();
    assert_eq!(applied.pulled, 2);
    assert_eq!(
        store.entry(patrol.id).unwrap(),
        patrol,
        "only the review changed: taken"
    );
    assert_eq!(found(&store, "可疑脚印"), vec![patrol.id], "still findable");
    assert!(store.entry(water.id).unwrap().deleted);
    assert_eq!(
        counted(&store),
        (3, 1),
        "the deleted hazard no longer counts"
    );

    store
        .apply_sync_response(&answer(std::slice::from_ref(&corrected)))
        .unwrap();
    assert_eq!(store.entry(patrol.id).unwrap(), corrected);
    assert_eq!(
        found(&store, "可疑脚印"),
        Vec::<EntryId>::new(),
        "old text gone"
    );
    assert_eq!(found(&store, "野猪活动"), vec![patrol.id], "new text found");
    assert_eq!(
        stored_versions(&store, patrol.id),
        vec![
            (server[3].revision, "server".to_string()),
            (patrol.revision, "server".to_string()),
            (corrected.revision, "server".to_string()),
        ]
    );
    assert_eq!(store.pending_outbox_count().unwrap(), 0);

    // A version the server numbers no higher than the device's latest still comes after it.
    let stale_number = Entry {
        revision: 1,
        ..reviewed(&corrected)
    };
    store.apply_sync_response(&answer(&[stale_number])).unwrap();
    let stored = store.entry(patrol.id).unwrap();
    assert_eq!(stored.revision, corrected.revision + 1);
    assert!(stored.review.is_some());
}

#[test]
fn an_entry_with_unsent_changes_waits_and_the_rest_of_the_page_is_applied() {
    let (_directory, mut store) = fresh_store();
    let mine = store
        .record_entry(hazard("2024-05-01", "road", "道路塌方"), vec![])
        .unwrap();
    let server = the_posts_entries();
    // The county reviewed the version it has of this device's hazard, which the device has not
    // sent yet: its own unsent version stays.
    let mut page = server.clone();
    page.push(reviewed(&mine));

    let applied = store.apply_sync_response(&answer(&page)).unwrap();
    assert_eq!((applied.pulled, applied.deferred), (4, 1));
    assert_eq!(store.entry(mine.id).unwrap(), mine);
    assert_eq!(
        stored_versions(&store, mine.id),
        vec![(1, "local".to_string())]
    );
    assert_eq!(store.pending_outbox_count().unwrap(), 1);
    for entry in &server {
        assert_eq!(&store.entry(entry.id).unwrap(), entry);
    }
}

#[test]
fn an_entry_that_does_not_parse_stops_the_page_and_changes_nothing() {
    let server = the_posts_entries();
    let (_directory, mut store) = fresh_store();
    let mut page = answer(&server);
    page.changes[2].entry["revision"] = serde_json::json!("二");

    let error = store.apply_sync_response(&page).unwrap_err();
    assert!(error.to_string().contains("cursor 3"), "{error}");
    for entry in &server {
        assert!(
            store.entry(entry.id).is_err(),
            "nothing of the page is stored"
        );
    }
    assert_eq!(store.pull_cursor().unwrap(), None);
}
