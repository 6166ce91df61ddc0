//! The county's review of an entry, written like a sync writes a version: in one transaction,
//! the post locked, the entry's current version moved to the history, the new one (with
//! `review` set, written by the county) at the post's next change cursor and echoed to no one,
//! so every device of the post receives it on its next pull. Many entries at once
//! ([`apply_reviews`]) go the same way in one transaction, post by post in the order of their
//! ids (so two such transactions never wait on each other's posts crosswise).

use super::apply::to_json;
use super::transaction::{EntryCounts, EntryWrite, StoredEntry, SyncTransaction};
use crate::error::StorageError;
use crate::storage::dashboard::{BulkReviewOutcome, NewReview};
use crate::storage::query_columns::{EntryQueryColumns, WrittenBy};
use patrol_model::{DomainCode, Entry, EntryId, PostId};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet, HashSet};

/// Writes `review` onto entry `id` inside `tx`; returns the entry's post, or `None` (nothing
/// written) when there is no such entry.
pub async fn apply_review<T: SyncTransaction>(
    tx: &mut T,
    id: EntryId,
    review: &NewReview,
) -> Result<Option<PostId>, StorageError> {
    let Some(found) = tx.load_entries(&[id]).await?.into_iter().next() else {
        return Ok(None);
    };
    tx.lock_post(found.post_id).await?;
    // Read again under the post's lock: a sync may have written it meanwhile.
    let Some(current) = tx.load_entries(&[id]).await?.into_iter().next() else {
        return Ok(None);
    };
    let cursor = tx.post_counter(current.post_id).await? + 1;
    let counts = write_review(tx, &current, review, cursor).await?;
    tx.set_post_counter(current.post_id, cursor).await?;
    if !counts.is_zero() {
        tx.add_entry_counts(current.post_id, counts).await?;
    }
    Ok(Some(current.post_id))
}

/// Writes `review` onto each entry of `ids` inside `tx`, except those that already carry
/// this decision with this comment (`unchanged`: no new version for the devices to pull).
/// Ids of no entry are `not_found`; each list keeps the order of `ids`, duplicates once.
pub async fn apply_reviews<T: SyncTransaction>(
    tx: &mut T,
    ids: &[EntryId],
    review: &NewReview,
) -> Result<BulkReviewOutcome, StorageError> {
    let mut seen = HashSet::new();
    let ids: Vec<EntryId> = ids.iter().copied().filter(|id| seen.insert(*id)).collect();
    let mut by_post: BTreeMap<PostId, Vec<EntryId>> = BTreeMap::new();
    for found in tx.load_entries(&ids).await? {
        by_post.entry(found.post_id).or_default().push(found.id);
    }
    let mut reviewed = BTreeSet::new();
    let mut unchanged = BTreeSet::new();
    for (post, of_post) in by_post {
        tx.lock_post(post).await?;
        let counter = tx.post_counter(post).await?;
        let mut cursor = counter;
        let mut counts = EntryCounts::default();
        // Read again under the post's lock: a sync may have written them meanwhile.
        for current in tx.load_entries(&of_post).await? {
            if already_decided(&current.document, review) {
                unchanged.insert(current.id);
                continue;
            }
            cursor += 1;
            counts.add(write_review(tx, &current, review, cursor).await?);
            reviewed.insert(current.id);
        }
        if cursor != counter {
            tx.set_post_counter(post, cursor).await?;
        }
        if !counts.is_zero() {
            tx.add_entry_counts(post, counts).await?;
        }
    }
    let in_order = |set: &BTreeSet<EntryId>| -> Vec<EntryId> {
        ids.iter().copied().filter(|id| set.contains(id)).collect()
    };
    Ok(BulkReviewOutcome {
        reviewed: in_order(&reviewed),
        unchanged: in_order(&unchanged),
        not_found: ids
            .iter()
            .copied()
            .filter(|id| !reviewed.contains(id) && !unchanged.contains(id))
            .collect(),
    })
}

/// Whether the entry's review is already `review`'s decision and comment.
fn already_decided(document: &Value, review: &NewReview) -> bool {
    let Some(current) = document
        .get("review")
        .and_then(|value| serde_json::from_value::<patrol_model::Review>(value.clone()).ok())
    else {
        return false;
    };
    let wanted = review.to_review();
    current.decision == wanted.decision && current.comment == wanted.comment
}

/// Writes the entry's new version with `review` at `cursor`; returns the change of the post's
/// counts.
async fn write_review<T: SyncTransaction>(
    tx: &mut T,
    current: &StoredEntry,
    review: &NewReview,
    cursor: u64,
) -> Result<EntryCounts, StorageError> {
    let id = current.id;
    let mut document = current.document.clone();
    let revision = current.revision + 1;
    let review_value = serde_json::to_value(review.to_review()).map_err(StorageError::corrupt)?;
    if let Some(object) = document.as_object_mut() {
        object.insert("review".into(), review_value);
        object.insert("revision".into(), Value::from(revision));
    }
    let typed: Entry = serde_json::from_value(document.clone())
        .map_err(|error| StorageError::corrupt(format!("stored entry {id}: {error}")))?;
    let write = EntryWrite {
        id,
        post_id: current.post_id,
        kind: typed.kind().code().to_string(),
        document: to_json(&document)?,
        field_clocks: to_json(&current.clocks)?,
        revision,
        occurred_at_ms: typed.draft.occurred_at.utc_millis(),
        occurred_correction_ms: current.occurred_correction_ms,
        deleted: typed.deleted,
        change_cursor: cursor,
        echo_of_device: None,
        record_id: uuid::Uuid::now_v7(),
        written_at_ms: review.decided_at().timestamp_millis(),
        replaces_current: true,
        written_by: WrittenBy::County,
        columns: EntryQueryColumns::of(&typed),
    };
    tx.write_entry(&write).await?;
    Ok(EntryCounts::change(Some(&current.document), &document))
}
