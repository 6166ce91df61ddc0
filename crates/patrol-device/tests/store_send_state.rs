//! Whether the county has each entry, as the log row and the entry page show it: 待发送 until the
//! server stores the entry's latest change, 已发送 after, 被拒 with the county's reasons until a
//! fix is saved (then 待发送 again), and received for an entry another phone sent.

mod common;

use common::{fresh_store, hazard, last_seq, sync_answer};
use patrol_device::{DeviceStore, EntryListQuery, SendState};
use patrol_model::sync::{RecordRejection, SyncResponse};
use patrol_model::{Entry, EntryId, ValidationProblem};

/// The server's answer storing every record sent so far, refusing `refused` (seq and reason).
fn answer(store: &DeviceStore, refused: Option<(u64, &str)>, changes: &[Entry]) -> SyncResponse {
    let outbox = store.outbox(false).unwrap();
    let rejected = refused
        .map(|(seq, reason)| {
            let record = outbox.iter().find(|record| record.seq == seq).unwrap();
            vec![RecordRejection {
                seq,
                record_id: record.record_id,
                entry_id: Some(record.entry_id),
                problems: vec![ValidationProblem {
                    field: "body.description".into(),
                    message_zh: reason.into(),
                    message_en: "too vague".into(),
                }],
            }]
        })
        .unwrap_or_default();
    sync_answer(last_seq(store), rejected, changes)
}

fn listed_state(store: &DeviceStore, id: EntryId) -> SendState {
    let page = store.list_entries(&EntryListQuery::default()).unwrap();
    let row = page
        .entries
        .iter()
        .find(|row| row.id == id.to_string())
        .unwrap();
    assert_eq!(row.send_state, store.entry_send_state(id).unwrap().state);
    row.send_state
}

#[test]
fn an_entry_is_pending_until_stored_then_sent_and_pending_again_after_an_edit() {
    let (_directory, mut store) = fresh_store();
    let entry = store
        .record_entry(hazard("2024-03-02", "fence", "铁网"), vec![])
        .unwrap();
    assert_eq!(listed_state(&store, entry.id), SendState::Pending);
    store
        .apply_sync_response(&answer(&store, None, &[]))
        .unwrap();
    assert_eq!(listed_state(&store, entry.id), SendState::Sent);
    store
        .edit_entry(entry.id, hazard("2024-03-02", "fence", "铁网被冲毁约30米"))
        .unwrap();
    assert_eq!(listed_state(&store, entry.id), SendState::Pending);
}

#[test]
fn a_refused_entry_says_why_until_its_fix_is_saved() {
    let (_directory, mut store) = fresh_store();
    let entry = store
        .record_entry(hazard("2024-03-02", "fence", "铁网"), vec![])
        .unwrap();
    let seq = store.outbox(false).unwrap()[0].seq;
    store
        .apply_sync_response(&answer(&store, Some((seq, "描述过于简单")), &[]))
        .unwrap();
    assert_eq!(listed_state(&store, entry.id), SendState::Rejected);
    let state = store.entry_send_state(entry.id).unwrap();
    assert_eq!(state.problems[0].message_zh, "描述过于简单");

    store
        .edit_entry(entry.id, hazard("2024-03-02", "fence", "铁网被冲毁约30米"))
        .unwrap();
    let state = store.entry_send_state(entry.id).unwrap();
    assert_eq!(state.state, SendState::Pending);
    assert!(state.problems.is_empty());
}

#[test]
fn an_entry_another_phone_sent_is_received() {
    let (_directory, mut store) = fresh_store();
    let (_other_directory, mut other) = fresh_store();
    let theirs = other
        .record_entry(hazard("2024-03-03", "road", "塌方"), vec![])
        .unwrap();
    store
        .apply_sync_response(&answer(&store, None, std::slice::from_ref(&theirs)))
        .unwrap();
    assert_eq!(listed_state(&store, theirs.id), SendState::Received);
}
