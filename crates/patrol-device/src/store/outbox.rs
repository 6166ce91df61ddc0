//! The outbox: every local change, numbered 1, 2, 3, ... per device, for the sync to send.

use super::entries::EntryChange;
use super::DeviceStore;
use crate::error::DeviceError;
use chrono::{DateTime, Utc};
use patrol_model::sync::Hlc;
use patrol_model::{DeviceId, Entry, EntryId};
use rusqlite::{params, Transaction};
use serde::Serialize;
use uuid::Uuid;

/// One change waiting for (or acknowledged by) the county server.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OutboxRecord {
    pub seq: u64,
    pub record_id: Uuid,
    pub entry_id: EntryId,
    pub revision: u32,
    pub change: String,
    pub created_at: DateTime<Utc>,
    pub acknowledged: bool,
}

pub(crate) fn append_to_outbox(
    transaction: &Transaction<'_>,
    entry: &Entry,
    change: EntryChange,
) -> Result<(), DeviceError> {
    let hlc = next_local_hlc(transaction, entry.updated_at.timestamp_millis())?;
    // A create record's id is its entry's (unique: the entry is created once), so the wire
    // need not carry both; every later change gets its own.
    let record_id = match change {
        EntryChange::Create => entry.id.0,
        _ => Uuid::now_v7(),
    };
    // MAX(seq) + 1 inside the writing transaction: contiguous, and never reused since outbox
    // rows are only ever marked acknowledged, not deleted.
    transaction.execute(
        "INSERT INTO outbox (seq, record_id, entry_id, revision, change, created_at_ms, hlc)
         VALUES ((SELECT COALESCE(MAX(seq), 0) + 1 FROM outbox), ?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            record_id.to_string(),
            entry.id.to_string(),
            entry.revision,
            change.code(),
            entry.updated_at.timestamp_millis(),
            hlc.to_string(),
        ],
    )?;
    Ok(())
}

/// The clock of a new local change: the device clock corrected by the offset the server last
/// measured, never behind the previous change's clock.
fn next_local_hlc(transaction: &Transaction<'_>, device_now_ms: i64) -> Result<Hlc, DeviceError> {
    let device_id: String = transaction.query_row(
        "SELECT device_id FROM device_identity WHERE singleton = 1",
        [],
        |row| row.get(0),
    )?;
    let device_id: DeviceId = device_id
        .parse()
        .map_err(|_| DeviceError::Damaged(format!("device id {device_id:?}")))?;
    let setting = |key: &str| super::read_setting(transaction, key);
    let offset_ms: i64 = setting(CLOCK_OFFSET_SETTING)?
        .and_then(|text| text.parse().ok())
        .unwrap_or(0);
    let last: Option<Hlc> = setting(LAST_HLC_SETTING)?.and_then(|text| text.parse().ok());
    let hlc = Hlc::tick(last, device_now_ms.saturating_add(offset_ms), device_id);
    super::write_setting(transaction, LAST_HLC_SETTING, &hlc.to_string())?;
    Ok(hlc)
}

/// Setting: the clock of the latest local change.
pub const LAST_HLC_SETTING: &str = "last_hlc";
/// Setting: server clock minus device clock, in ms, as last measured.
pub const CLOCK_OFFSET_SETTING: &str = "clock_offset_ms";

impl DeviceStore {
    /// Every outbox record, oldest first (`only_pending`: those not yet acknowledged).
    pub fn outbox(&self, only_pending: bool) -> Result<Vec<OutboxRecord>, DeviceError> {
        let sql = if only_pending {
            "SELECT seq, record_id, entry_id, revision, change, created_at_ms, acknowledged_at_ms
             FROM outbox WHERE acknowledged_at_ms IS NULL ORDER BY seq"
        } else {
            "SELECT seq, record_id, entry_id, revision, change, created_at_ms, acknowledged_at_ms
             FROM outbox ORDER BY seq"
        };
        let mut statement = self.connection.prepare(sql)?;
        let rows = statement.query_map([], |row| {
            Ok((
                row.get::<_, i64>(0)?,
                row.get::<_, String>(1)?,
                row.get::<_, String>(2)?,
                row.get::<_, u32>(3)?,
                row.get::<_, String>(4)?,
                row.get::<_, i64>(5)?,
                row.get::<_, Option<i64>>(6)?,
            ))
        })?;
        let mut records = Vec::new();
        for row in rows {
            let (seq, record_id, entry_id, revision, change, created_at_ms, acknowledged) = row?;
            records.push(OutboxRecord {
                seq: seq as u64,
                record_id: record_id
                    .parse()
                    .map_err(|_| DeviceError::Damaged(format!("outbox record id {record_id:?}")))?,
                entry_id: entry_id
                    .parse()
                    .map_err(|_| DeviceError::Damaged(format!("outbox entry id {entry_id:?}")))?,
                revision,
                change,
                created_at: super::utc_from_millis(created_at_ms),
                acknowledged: acknowledged.is_some(),
            });
        }
        Ok(records)
    }

    /// How many changes the county has not acknowledged yet.
    pub fn pending_outbox_count(&self) -> Result<u64, DeviceError> {
        let count: i64 = self.connection.query_row(
            "SELECT COUNT(*) FROM outbox WHERE acknowledged_at_ms IS NULL",
            [],
            |row| row.get(0),
        )?;
        Ok(count as u64)
    }
}
