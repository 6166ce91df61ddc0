//! The county's review of an entry, written like a sync writes a version: in one transaction,
//! the post locked, the entry's current version moved to the history, the new one (with
//! `review` set, written by the county) at the post's next change cursor and echoed to no one,
//! so every device of the post receives it on its next pull.

use super::apply::to_json;
use super::transaction::{EntryCounts, EntryWrite, SyncTransaction};
use crate::error::StorageError;
use crate::storage::dashboard::NewReview;
use crate::storage::query_columns::{EntryQueryColumns, WrittenBy};
use patrol_model::{DomainCode, Entry, EntryId, PostId};
use serde_json::Value;

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
    let mut document = current.document.clone();
    let revision = current.revision + 1;
    let review_value = serde_json::to_value(review.to_review()).map_err(StorageError::corrupt)?;
    if let Some(object) = document.as_object_mut() {
        object.insert("review".into(), review_value);
        object.insert("revision".into(), Value::from(revision));
    }
    let typed: Entry = serde_json::from_value(document.clone())
        .map_err(|error| StorageError::corrupt(format!("stored entry {id}: {error}")))?;
    let cursor = tx.post_counter(current.post_id).await? + 1;
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
    tx.set_post_counter(current.post_id, cursor).await?;
    let counts = EntryCounts::change(Some(&current.document), &document);
    if !counts.is_zero() {
        tx.add_entry_counts(current.post_id, counts).await?;
    }
    Ok(Some(current.post_id))
}
