//! [`SyncTransaction`] on PostgreSQL: one transaction per sync request, the post's row locked
//! first, batch lookups with `= ANY($n)`, cached prepared statements for the writes.

use super::{to_i64, to_u64};
use crate::error::{StorageError, SyncError};
use crate::storage::dashboard::{BulkReviewOutcome, NewReview};
use crate::storage::pin_resets::pin_reset_of;
use crate::storage::query_columns::{
    query_column_placeholders, query_column_upserts, EntryQueryColumns, QUERY_COLUMN_NAMES,
};
use crate::storage::AuthenticatedDevice;
use crate::sync::{
    apply_review, apply_reviews, apply_sync, DeviceSyncState, DeviceSyncUpdate, EntryCounts,
    EntryWrite, PulledRow, RecordRow, StoredEntry, StoredRecord, SyncTransaction,
};
use chrono::{DateTime, Utc};
use deadpool_postgres::Transaction;
use patrol_model::sync::{PinReset, SyncRequest, SyncResponse};
use patrol_model::{DeviceId, EntryId, PostId};
use std::sync::LazyLock;
use tokio_postgres::types::ToSql;
use uuid::Uuid;

/// Runs one sync request in one transaction, committed only when it succeeds.
pub async fn sync(
    client: &mut deadpool_postgres::Object,
    device: AuthenticatedDevice,
    request: SyncRequest,
    received_at: DateTime<Utc>,
) -> Result<SyncResponse, SyncError> {
    let tx = client.transaction().await.map_err(StorageError::from)?;
    let mut sync_tx = PgSyncTx { tx };
    let answer = apply_sync(&mut sync_tx, device, request, received_at).await?;
    sync_tx.tx.commit().await.map_err(StorageError::from)?;
    Ok(answer)
}

/// Writes the county's review of entry `id` in one transaction (see [`apply_review`]);
/// `false` (nothing written) when there is no such entry.
pub async fn review(
    client: &mut deadpool_postgres::Object,
    id: EntryId,
    review: &NewReview,
    audit: &crate::audit::NewAuditRow,
) -> Result<bool, StorageError> {
    let tx = client.transaction().await?;
    let mut review_tx = PgSyncTx { tx };
    let written = apply_review(&mut review_tx, id, review).await?.is_some();
    if written {
        super::audit_log::insert(&review_tx.tx, audit).await?;
        review_tx.tx.commit().await?;
    }
    Ok(written)
}

/// Writes the county's review of each of `ids` in one transaction (see [`apply_reviews`]), with
/// the audit row of each entry reviewed.
pub async fn review_many(
    client: &mut deadpool_postgres::Object,
    ids: &[EntryId],
    review: &NewReview,
    by: &crate::audit::Actor,
) -> Result<BulkReviewOutcome, StorageError> {
    let tx = client.transaction().await?;
    let mut review_tx = PgSyncTx { tx };
    let outcome = apply_reviews(&mut review_tx, ids, review).await?;
    let at_ms = chrono::Utc::now().timestamp_millis();
    for id in &outcome.reviewed {
        let event = crate::audit::AuditEvent::EntryReviewed {
            entry: *id,
            decision: review.decision(),
        };
        super::audit_log::insert(&review_tx.tx, &event.row(by, at_ms)).await?;
    }
    review_tx.tx.commit().await?;
    Ok(outcome)
}

/// An entry's current version with its derived query columns, inserted or replacing the one
/// stored.
static WRITE_ENTRY: LazyLock<String> = LazyLock::new(|| {
    format!(
        "INSERT INTO entries (id, post_id, kind, document, field_clocks, revision,
             occurred_at_ms, occurred_correction_ms, deleted, change_cursor, echo_of_device,
             record_id, written_at_ms, written_by, occurred_corrected_ms, {})
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, {})
         ON CONFLICT (id) DO UPDATE SET document = excluded.document,
             field_clocks = excluded.field_clocks, revision = excluded.revision,
             occurred_at_ms = excluded.occurred_at_ms,
             occurred_correction_ms = excluded.occurred_correction_ms,
             deleted = excluded.deleted, change_cursor = excluded.change_cursor,
             echo_of_device = excluded.echo_of_device, record_id = excluded.record_id,
             written_at_ms = excluded.written_at_ms, written_by = excluded.written_by,
             occurred_corrected_ms = excluded.occurred_corrected_ms, {}",
        QUERY_COLUMN_NAMES.join(", "),
        query_column_placeholders('$', 16),
        query_column_upserts(),
    )
});

/// The values of the derived query columns, in the order of [`QUERY_COLUMN_NAMES`]: what the
/// sync's write and the backfill bind.
pub(super) fn query_column_values(columns: &EntryQueryColumns) -> [&(dyn ToSql + Sync); 14] {
    [
        &columns.category,
        &columns.quantity,
        &columns.quantity_unit,
        &columns.status,
        &columns.author,
        &columns.local_day,
        &columns.occurred_offset_minutes,
        &columns.review_decision,
        &columns.lat,
        &columns.lon,
        &columns.search_text,
        &columns.title_zh,
        &columns.photo_count,
        &columns.severity,
    ]
}

struct PgSyncTx<'c> {
    tx: Transaction<'c>,
}

impl PgSyncTx<'_> {
    async fn execute(
        &self,
        sql: &str,
        params: &[&(dyn ToSql + Sync)],
    ) -> Result<u64, StorageError> {
        let statement = self.tx.prepare_cached(sql).await?;
        Ok(self.tx.execute(&statement, params).await?)
    }

    async fn query(
        &self,
        sql: &str,
        params: &[&(dyn ToSql + Sync)],
    ) -> Result<Vec<tokio_postgres::Row>, StorageError> {
        let statement = self.tx.prepare_cached(sql).await?;
        Ok(self.tx.query(&statement, params).await?)
    }
}

impl SyncTransaction for PgSyncTx<'_> {
    async fn lock_post(&mut self, post: PostId) -> Result<(), StorageError> {
        self.query("SELECT 1 FROM posts WHERE id = $1 FOR UPDATE", &[&post.0])
            .await?;
        Ok(())
    }

    async fn stored_records(
        &mut self,
        device: DeviceId,
        seqs: &[u64],
    ) -> Result<Vec<StoredRecord>, StorageError> {
        let seqs: Vec<i64> = seqs
            .iter()
            .map(|seq| to_i64(*seq))
            .collect::<Result<_, _>>()?;
        let rows = self
            .query(
                "SELECT device_id, seq, record_id, entry_id, accepted, problems_json
                 FROM sync_records
                 WHERE device_id = $1 AND seq = ANY($2)",
                &[&device.0, &seqs],
            )
            .await?;
        rows.iter()
            .map(|row| {
                Ok(StoredRecord {
                    device_id: DeviceId(row.get(0)),
                    seq: to_u64(row.get(1))?,
                    record_id: row.get(2),
                    entry_id: EntryId(row.get(3)),
                    accepted: row.get(4),
                    problems_json: row.get(5),
                })
            })
            .collect()
    }

    async fn load_entries(&mut self, ids: &[EntryId]) -> Result<Vec<StoredEntry>, StorageError> {
        let ids: Vec<Uuid> = ids.iter().map(|id| id.0).collect();
        let rows = self
            .query(
                "SELECT id, post_id, kind, document, field_clocks, revision, occurred_correction_ms
                 FROM entries WHERE id = ANY($1)",
                &[&ids],
            )
            .await?;
        rows.iter()
            .map(|row| {
                let document: String = row.get(3);
                let clocks: String = row.get(4);
                Ok(StoredEntry {
                    id: EntryId(row.get(0)),
                    post_id: PostId(row.get(1)),
                    kind: row.get(2),
                    document: serde_json::from_str(&document).map_err(StorageError::corrupt)?,
                    clocks: serde_json::from_str(&clocks).map_err(StorageError::corrupt)?,
                    revision: to_u64(row.get(5))?,
                    occurred_correction_ms: row.get(6),
                })
            })
            .collect()
    }

    async fn insert_record(&mut self, row: &RecordRow) -> Result<bool, StorageError> {
        let inserted = self
            .execute(
                "INSERT INTO sync_records (device_id, seq, record_id, entry_id, change, hlc,
                 accepted, problems_json, record_json, received_at_ms)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
             ON CONFLICT DO NOTHING",
                &[
                    &row.device_id.0,
                    &to_i64(row.seq)?,
                    &row.record_id,
                    &row.entry_id.0,
                    &row.change,
                    &row.hlc,
                    &row.accepted,
                    &row.problems_json,
                    &row.record_json,
                    &row.received_at_ms,
                ],
            )
            .await?;
        Ok(inserted == 1)
    }

    async fn write_entry(&mut self, write: &EntryWrite) -> Result<(), StorageError> {
        if write.replaces_current {
            self.execute(
                "INSERT INTO entry_versions (entry_id, revision, record_id, document,
                     created_at_ms, written_by)
                 SELECT id, revision, record_id, document, written_at_ms, written_by
                 FROM entries WHERE id = $1
                 ON CONFLICT DO NOTHING",
                &[&write.id.0],
            )
            .await?;
        }
        let head: [&(dyn ToSql + Sync); 15] = [
            &write.id.0,
            &write.post_id.0,
            &write.kind,
            &write.document,
            &write.field_clocks,
            &to_i64(write.revision)?,
            &write.occurred_at_ms,
            &write.occurred_correction_ms,
            &write.deleted,
            &to_i64(write.change_cursor)?,
            &write.echo_of_device.map(|device| device.0),
            &write.record_id,
            &write.written_at_ms,
            &write.written_by.code(),
            &write.occurred_corrected_ms(),
        ];
        let values: Vec<_> = head
            .into_iter()
            .chain(query_column_values(&write.columns))
            .collect();
        self.execute(&WRITE_ENTRY, &values).await?;
        Ok(())
    }

    async fn touch_entry(&mut self, id: EntryId, cursor: u64) -> Result<(), StorageError> {
        self.execute(
            "UPDATE entries SET change_cursor = $2, echo_of_device = NULL WHERE id = $1",
            &[&id.0, &to_i64(cursor)?],
        )
        .await?;
        Ok(())
    }

    async fn post_counter(&mut self, post: PostId) -> Result<u64, StorageError> {
        let rows = self
            .query("SELECT change_counter FROM posts WHERE id = $1", &[&post.0])
            .await?;
        let row = rows
            .first()
            .ok_or_else(|| StorageError::corrupt(format!("post {post} is gone")))?;
        to_u64(row.get(0))
    }

    async fn set_post_counter(&mut self, post: PostId, counter: u64) -> Result<(), StorageError> {
        self.execute(
            "UPDATE posts SET change_counter = $2 WHERE id = $1",
            &[&post.0, &to_i64(counter)?],
        )
        .await?;
        Ok(())
    }

    async fn add_entry_counts(
        &mut self,
        post: PostId,
        counts: EntryCounts,
    ) -> Result<(), StorageError> {
        self.execute(
            "UPDATE posts SET live_entries = live_entries + $2,
                 awaiting_review = awaiting_review + $3
             WHERE id = $1",
            &[&post.0, &counts.live, &counts.awaiting_review],
        )
        .await?;
        Ok(())
    }

    async fn device_state(&mut self, device: DeviceId) -> Result<DeviceSyncState, StorageError> {
        let rows = self
            .query(
                "SELECT highest_seq, acknowledged_through FROM devices WHERE id = $1",
                &[&device.0],
            )
            .await?;
        let row = rows
            .first()
            .ok_or_else(|| StorageError::corrupt(format!("device {device} is gone")))?;
        Ok(DeviceSyncState {
            highest_seq: to_u64(row.get(0))?,
            acknowledged_through: to_u64(row.get(1))?,
        })
    }

    async fn seqs_after(&mut self, device: DeviceId, after: u64) -> Result<Vec<u64>, StorageError> {
        let rows = self
            .query(
                "SELECT seq FROM sync_records WHERE device_id = $1 AND seq > $2 ORDER BY seq",
                &[&device.0, &to_i64(after)?],
            )
            .await?;
        rows.iter().map(|row| to_u64(row.get(0))).collect()
    }

    async fn update_device(
        &mut self,
        device: DeviceId,
        update: &DeviceSyncUpdate,
    ) -> Result<(), StorageError> {
        self.execute(
            "UPDATE devices SET last_contact_ms = $2, clock_offset_ms = $3, clock_flagged = $4,
                 highest_seq = $5, acknowledged_through = $6, missing_json = $7,
                 pending_age_ms = $8
             WHERE id = $1",
            &[
                &device.0,
                &update.last_contact_ms,
                &update.clock_offset_ms,
                &update.clock_flagged,
                &to_i64(update.highest_seq)?,
                &to_i64(update.acknowledged_through)?,
                &update.missing_json,
                &update.pending_age_ms,
            ],
        )
        .await?;
        Ok(())
    }

    async fn pull(
        &mut self,
        post: PostId,
        cursor: u64,
        limit: u32,
        requester: DeviceId,
    ) -> Result<Vec<PulledRow>, StorageError> {
        let rows = self
            .query(
                "SELECT change_cursor, document FROM entries
                 WHERE post_id = $1 AND change_cursor > $2
                   AND (echo_of_device IS NULL OR echo_of_device <> $3)
                 ORDER BY change_cursor LIMIT $4",
                &[&post.0, &to_i64(cursor)?, &requester.0, &i64::from(limit)],
            )
            .await?;
        rows.iter()
            .map(|row| {
                Ok(PulledRow {
                    cursor: to_u64(row.get(0))?,
                    document: row.get(1),
                })
            })
            .collect()
    }

    async fn pin_resets(
        &mut self,
        post: PostId,
        since_ms: i64,
    ) -> Result<Vec<PinReset>, StorageError> {
        let rows = self
            .query(
                "SELECT id, member, issued_at_ms FROM pin_resets
                 WHERE post_id = $1 AND issued_at_ms >= $2 ORDER BY issued_at_ms, id",
                &[&post.0, &since_ms],
            )
            .await?;
        rows.iter()
            .map(|row| pin_reset_of(row.get(0), row.get(1), row.get(2)))
            .collect()
    }
}
