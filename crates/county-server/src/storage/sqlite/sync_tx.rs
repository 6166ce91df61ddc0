//! [`SyncTransaction`] on SQLite: prepared (cached) statements on one `BEGIN IMMEDIATE`
//! transaction. The shared sync rules run on this blocking thread; every future here is ready
//! at once.

use super::{parse_id, to_i64, to_u64};
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
use patrol_model::sync::{PinReset, SyncRequest, SyncResponse};
use patrol_model::{DeviceId, EntryId, PostId};
use rusqlite::{params, params_from_iter, Connection, OptionalExtension, ToSql};
use std::sync::LazyLock;

/// Runs one sync request in one transaction: committed (durably: WAL + `synchronous=FULL`)
/// when it succeeds, rolled back otherwise.
pub fn sync(
    connection: &mut Connection,
    device: AuthenticatedDevice,
    request: SyncRequest,
    received_at: DateTime<Utc>,
) -> Result<SyncResponse, SyncError> {
    connection
        .execute_batch("BEGIN IMMEDIATE")
        .map_err(StorageError::from)?;
    let mut tx = SqliteSyncTx { connection };
    let outcome = tokio::runtime::Handle::current().block_on(apply_sync(
        &mut tx,
        device,
        request,
        received_at,
    ));
    let finish = if outcome.is_ok() {
        "COMMIT"
    } else {
        "ROLLBACK"
    };
    connection
        .execute_batch(finish)
        .map_err(StorageError::from)?;
    outcome
}

/// Writes the county's review of entry `id` in one transaction (see [`apply_review`]);
/// `false` (nothing written) when there is no such entry.
pub fn review(
    connection: &mut Connection,
    id: EntryId,
    review: &NewReview,
    audit: &crate::audit::NewAuditRow,
) -> Result<bool, StorageError> {
    connection.execute_batch("BEGIN IMMEDIATE")?;
    let mut tx = SqliteSyncTx { connection };
    let mut outcome = tokio::runtime::Handle::current().block_on(apply_review(&mut tx, id, review));
    if matches!(outcome, Ok(Some(_))) {
        if let Err(error) = super::audit_log::insert(connection, audit) {
            outcome = Err(error);
        }
    }
    let finish = if matches!(outcome, Ok(Some(_))) {
        "COMMIT"
    } else {
        "ROLLBACK"
    };
    connection.execute_batch(finish)?;
    Ok(outcome?.is_some())
}

/// Writes the county's review of each of `ids` in one transaction (see [`apply_reviews`]), with
/// the audit row of each entry reviewed.
pub fn review_many(
    connection: &mut Connection,
    ids: &[EntryId],
    review: &NewReview,
    by: &crate::audit::Actor,
) -> Result<BulkReviewOutcome, StorageError> {
    connection.execute_batch("BEGIN IMMEDIATE")?;
    let mut tx = SqliteSyncTx { connection };
    let mut outcome =
        tokio::runtime::Handle::current().block_on(apply_reviews(&mut tx, ids, review));
    if let Ok(done) = &outcome {
        let at_ms = chrono::Utc::now().timestamp_millis();
        for id in &done.reviewed {
            let event = crate::audit::AuditEvent::EntryReviewed {
                entry: *id,
                decision: review.decision(),
            };
            if let Err(error) = super::audit_log::insert(connection, &event.row(by, at_ms)) {
                outcome = Err(error);
                break;
            }
        }
    }
    let finish = if outcome.is_ok() {
        "COMMIT"
    } else {
        "ROLLBACK"
    };
    connection.execute_batch(finish)?;
    outcome
}

struct SqliteSyncTx<'c> {
    connection: &'c mut Connection,
}

type RecordColumns = (String, i64, String, String, bool, Option<String>);

fn record_columns(row: &rusqlite::Row<'_>) -> rusqlite::Result<RecordColumns> {
    Ok((
        row.get(0)?,
        row.get(1)?,
        row.get(2)?,
        row.get(3)?,
        row.get(4)?,
        row.get(5)?,
    ))
}

fn record_from_columns(columns: RecordColumns) -> Result<StoredRecord, StorageError> {
    let (device, seq, record, entry, accepted, problems_json) = columns;
    Ok(StoredRecord {
        device_id: parse_id(&device)?,
        seq: to_u64(seq)?,
        record_id: parse_id(&record)?,
        entry_id: parse_id(&entry)?,
        accepted,
        problems_json,
    })
}

/// An entry's current version with its derived query columns, inserted or replacing the one
/// stored.
static WRITE_ENTRY: LazyLock<String> = LazyLock::new(|| {
    format!(
        "INSERT INTO entries (id, post_id, kind, document, field_clocks, revision,
             occurred_at_ms, occurred_correction_ms, deleted, change_cursor, echo_of_device,
             record_id, written_at_ms, written_by, occurred_corrected_ms, {})
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, {})
         ON CONFLICT (id) DO UPDATE SET document = excluded.document,
             field_clocks = excluded.field_clocks, revision = excluded.revision,
             occurred_at_ms = excluded.occurred_at_ms,
             occurred_correction_ms = excluded.occurred_correction_ms,
             deleted = excluded.deleted, change_cursor = excluded.change_cursor,
             echo_of_device = excluded.echo_of_device, record_id = excluded.record_id,
             written_at_ms = excluded.written_at_ms, written_by = excluded.written_by,
             occurred_corrected_ms = excluded.occurred_corrected_ms, {}",
        QUERY_COLUMN_NAMES.join(", "),
        query_column_placeholders('?', 16),
        query_column_upserts(),
    )
});

/// The values of the derived query columns, in the order of [`QUERY_COLUMN_NAMES`]: what the
/// sync's write and the backfill bind.
pub(super) fn query_column_values(columns: &EntryQueryColumns) -> [&dyn ToSql; 14] {
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

const RECORD_COLUMNS: &str =
    "SELECT device_id, seq, record_id, entry_id, accepted, problems_json FROM sync_records";

impl SyncTransaction for SqliteSyncTx<'_> {
    async fn lock_post(&mut self, _post: PostId) -> Result<(), StorageError> {
        Ok(()) // BEGIN IMMEDIATE already holds SQLite's one write lock.
    }

    async fn stored_records(
        &mut self,
        device: DeviceId,
        seqs: &[u64],
    ) -> Result<Vec<StoredRecord>, StorageError> {
        let (Some(&first), Some(&last)) = (seqs.first(), seqs.last()) else {
            return Ok(Vec::new());
        };
        // One range scan of the primary key instead of a lookup per record.
        let mut statement = self.connection.prepare_cached(&format!(
            "{RECORD_COLUMNS} WHERE device_id = ?1 AND seq BETWEEN ?2 AND ?3"
        ))?;
        let rows = statement.query_map(
            params![device.to_string(), to_i64(first)?, to_i64(last)?],
            record_columns,
        )?;
        let mut found = Vec::new();
        for columns in rows {
            let record = record_from_columns(columns?)?;
            if seqs.binary_search(&record.seq).is_ok() {
                found.push(record);
            }
        }
        Ok(found)
    }

    async fn load_entries(&mut self, ids: &[EntryId]) -> Result<Vec<StoredEntry>, StorageError> {
        let mut statement = self.connection.prepare_cached(
            "SELECT post_id, kind, document, field_clocks, revision, occurred_correction_ms
             FROM entries WHERE id = ?1",
        )?;
        let mut found = Vec::new();
        for id in ids {
            let row = statement
                .query_row([id.to_string()], |row| {
                    Ok((
                        row.get::<_, String>(0)?,
                        row.get::<_, String>(1)?,
                        row.get::<_, String>(2)?,
                        row.get::<_, String>(3)?,
                        row.get::<_, i64>(4)?,
                        row.get::<_, i64>(5)?,
                    ))
                })
                .optional()?;
            if let Some((post, kind, document, clocks, revision, correction)) = row {
                found.push(StoredEntry {
                    id: *id,
                    post_id: parse_id(&post)?,
                    kind,
                    document: serde_json::from_str(&document).map_err(StorageError::corrupt)?,
                    clocks: serde_json::from_str(&clocks).map_err(StorageError::corrupt)?,
                    revision: to_u64(revision)?,
                    occurred_correction_ms: correction,
                });
            }
        }
        Ok(found)
    }

    async fn insert_record(&mut self, row: &RecordRow) -> Result<bool, StorageError> {
        let inserted = self
            .connection
            .prepare_cached(
                "INSERT INTO sync_records (device_id, seq, record_id, entry_id, change, hlc,
                     accepted, problems_json, record_json, received_at_ms)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
                 ON CONFLICT DO NOTHING",
            )?
            .execute(params![
                row.device_id.to_string(),
                to_i64(row.seq)?,
                row.record_id.to_string(),
                row.entry_id.to_string(),
                row.change,
                row.hlc,
                row.accepted,
                row.problems_json,
                row.record_json,
                row.received_at_ms,
            ])?;
        Ok(inserted == 1)
    }

    async fn write_entry(&mut self, write: &EntryWrite) -> Result<(), StorageError> {
        let id = write.id.to_string();
        if write.replaces_current {
            self.connection
                .prepare_cached(
                    "INSERT INTO entry_versions (entry_id, revision, record_id, document,
                         created_at_ms, written_by)
                     SELECT id, revision, record_id, document, written_at_ms, written_by
                     FROM entries WHERE id = ?1
                     ON CONFLICT DO NOTHING",
                )?
                .execute([&id])?;
        }
        let head = params![
            id,
            write.post_id.to_string(),
            write.kind,
            write.document,
            write.field_clocks,
            to_i64(write.revision)?,
            write.occurred_at_ms,
            write.occurred_correction_ms,
            write.deleted,
            to_i64(write.change_cursor)?,
            write.echo_of_device.map(|device| device.to_string()),
            write.record_id.to_string(),
            write.written_at_ms,
            write.written_by.code(),
            write.occurred_corrected_ms(),
        ];
        self.connection
            .prepare_cached(&WRITE_ENTRY)?
            .execute(params_from_iter(
                head.iter().chain(&query_column_values(&write.columns)),
            ))?;
        Ok(())
    }

    async fn touch_entry(&mut self, id: EntryId, cursor: u64) -> Result<(), StorageError> {
        self.connection
            .prepare_cached(
                "UPDATE entries SET change_cursor = ?2, echo_of_device = NULL WHERE id = ?1",
            )?
            .execute(params![id.to_string(), to_i64(cursor)?])?;
        Ok(())
    }

    async fn post_counter(&mut self, post: PostId) -> Result<u64, StorageError> {
        let counter: i64 = self
            .connection
            .prepare_cached("SELECT change_counter FROM posts WHERE id = ?1")?
            .query_row([post.to_string()], |row| row.get(0))?;
        to_u64(counter)
    }

    async fn set_post_counter(&mut self, post: PostId, counter: u64) -> Result<(), StorageError> {
        self.connection
            .prepare_cached("UPDATE posts SET change_counter = ?2 WHERE id = ?1")?
            .execute(params![post.to_string(), to_i64(counter)?])?;
        Ok(())
    }

    async fn add_entry_counts(
        &mut self,
        post: PostId,
        counts: EntryCounts,
    ) -> Result<(), StorageError> {
        self.connection
            .prepare_cached(
                "UPDATE posts SET live_entries = live_entries + ?2,
                     awaiting_review = awaiting_review + ?3
                 WHERE id = ?1",
            )?
            .execute(params![
                post.to_string(),
                counts.live,
                counts.awaiting_review
            ])?;
        Ok(())
    }

    async fn device_state(&mut self, device: DeviceId) -> Result<DeviceSyncState, StorageError> {
        let (highest, through): (i64, i64) = self
            .connection
            .prepare_cached("SELECT highest_seq, acknowledged_through FROM devices WHERE id = ?1")?
            .query_row([device.to_string()], |row| Ok((row.get(0)?, row.get(1)?)))?;
        Ok(DeviceSyncState {
            highest_seq: to_u64(highest)?,
            acknowledged_through: to_u64(through)?,
        })
    }

    async fn seqs_after(&mut self, device: DeviceId, after: u64) -> Result<Vec<u64>, StorageError> {
        let mut statement = self.connection.prepare_cached(
            "SELECT seq FROM sync_records WHERE device_id = ?1 AND seq > ?2 ORDER BY seq",
        )?;
        let rows = statement.query_map(params![device.to_string(), to_i64(after)?], |row| {
            row.get::<_, i64>(0)
        })?;
        rows.map(|seq| to_u64(seq?)).collect()
    }

    async fn update_device(
        &mut self,
        device: DeviceId,
        update: &DeviceSyncUpdate,
    ) -> Result<(), StorageError> {
        self.connection
            .prepare_cached(
                "UPDATE devices SET last_contact_ms = ?2, clock_offset_ms = ?3, clock_flagged = ?4,
                     highest_seq = ?5, acknowledged_through = ?6, missing_json = ?7,
                     pending_age_ms = ?8
                 WHERE id = ?1",
            )?
            .execute(params![
                device.to_string(),
                update.last_contact_ms,
                update.clock_offset_ms,
                update.clock_flagged,
                to_i64(update.highest_seq)?,
                to_i64(update.acknowledged_through)?,
                update.missing_json,
                update.pending_age_ms,
            ])?;
        Ok(())
    }

    async fn pull(
        &mut self,
        post: PostId,
        cursor: u64,
        limit: u32,
        requester: DeviceId,
    ) -> Result<Vec<PulledRow>, StorageError> {
        let mut statement = self.connection.prepare_cached(
            "SELECT change_cursor, document FROM entries
             WHERE post_id = ?1 AND change_cursor > ?2
               AND (echo_of_device IS NULL OR echo_of_device <> ?3)
             ORDER BY change_cursor LIMIT ?4",
        )?;
        let rows = statement.query_map(
            params![
                post.to_string(),
                to_i64(cursor)?,
                requester.to_string(),
                limit
            ],
            |row| Ok((row.get::<_, i64>(0)?, row.get::<_, String>(1)?)),
        )?;
        rows.map(|row| {
            let (cursor, document) = row?;
            Ok(PulledRow {
                cursor: to_u64(cursor)?,
                document,
            })
        })
        .collect()
    }

    async fn pin_resets(
        &mut self,
        post: PostId,
        since_ms: i64,
    ) -> Result<Vec<PinReset>, StorageError> {
        let mut statement = self.connection.prepare_cached(
            "SELECT id, member, issued_at_ms FROM pin_resets
             WHERE post_id = ?1 AND issued_at_ms >= ?2 ORDER BY issued_at_ms, id",
        )?;
        let rows = statement.query_map(params![post.to_string(), since_ms], |row| {
            Ok((
                row.get::<_, String>(0)?,
                row.get::<_, String>(1)?,
                row.get::<_, i64>(2)?,
            ))
        })?;
        rows.map(|row| {
            let (id, member, issued_at_ms) = row?;
            pin_reset_of(parse_id(&id)?, member, issued_at_ms)
        })
        .collect()
    }
}
