//! Devices: enrolment (using up a code), token lookup, listing, revocation and wipes.

use super::{parse_id, to_u64};
use crate::error::{EnrolError, StorageError};
use crate::storage::device_standing::{wipe_report_json, STANDING_COLUMNS, WIPE_COLUMNS};
use crate::storage::{
    AuthenticatedDevice, DeviceStanding, DeviceSummary, DeviceWipe, Enrolment, NewDevice, Post,
    Revocation,
};
use patrol_model::sync::WipeReport;
use patrol_model::DeviceId;
use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};

pub fn enrol_device(connection: &mut Connection, device: &NewDevice) -> Result<Post, EnrolError> {
    let tx = connection
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .map_err(StorageError::from)?;
    let post: Option<(String, String)> = tx
        .query_row(
            "SELECT p.id, p.name FROM enrolment_codes c JOIN posts p ON p.id = c.post_id
             WHERE c.code_sha256 = ?1 AND c.used_at_ms IS NULL AND c.expires_at_ms > ?2",
            params![device.code_sha256, device.now_ms],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )
        .optional()
        .map_err(StorageError::from)?;
    let Some((post_id, post_name)) = post else {
        return Err(EnrolError::CodeInvalid);
    };
    let known: Option<(String, DeviceStanding)> = tx
        .query_row(
            &format!("SELECT post_id, {STANDING_COLUMNS} FROM devices WHERE id = ?1"),
            [device.device_id.to_string()],
            |row| Ok((row.get(0)?, standing_at(row, 1)?)),
        )
        .optional()
        .map_err(StorageError::from)?;
    let known = known
        .map(|(post, standing)| Ok::<_, StorageError>((parse_id(&post)?, standing)))
        .transpose()?;
    let enrolment = Enrolment::of(device.device_id, parse_id(&post_id)?, known)?;
    tx.execute(
        "UPDATE enrolment_codes SET used_at_ms = ?2, used_by_device = ?3 WHERE code_sha256 = ?1",
        params![
            device.code_sha256,
            device.now_ms,
            device.device_id.to_string()
        ],
    )
    .map_err(StorageError::from)?;
    let sql = match enrolment {
        Enrolment::New => {
            "INSERT INTO devices (id, post_id, label, token_sha256, enrolled_at_ms)
             VALUES (?1, ?2, ?3, ?4, ?5)"
        }
        // The old token stops working: only the new one's hash is kept.
        Enrolment::AgainAfterRevocation => {
            "UPDATE devices SET label = ?3, token_sha256 = ?4, enrolled_at_ms = ?5,
                 revoked_at_ms = NULL, wipe_ordered_at_ms = NULL, wiped_at_ms = NULL,
                 wipe_report_json = NULL
             WHERE id = ?1 AND post_id = ?2"
        }
    };
    tx.execute(
        sql,
        params![
            device.device_id.to_string(),
            post_id,
            device.label,
            device.token_sha256,
            device.now_ms
        ],
    )
    .map_err(StorageError::from)?;
    tx.commit().map_err(StorageError::from)?;
    Ok(Post {
        id: parse_id(&post_id)?,
        name: post_name,
    })
}

pub fn authenticate(
    connection: &Connection,
    token_sha256: &str,
) -> Result<Option<AuthenticatedDevice>, StorageError> {
    let row: Option<(String, String, DeviceStanding)> = connection
        .prepare_cached(&format!(
            "SELECT id, post_id, {STANDING_COLUMNS} FROM devices WHERE token_sha256 = ?1"
        ))?
        .query_row([token_sha256], |row| {
            Ok((row.get(0)?, row.get(1)?, standing_at(row, 2)?))
        })
        .optional()?;
    row.map(|(id, post, standing)| {
        Ok(AuthenticatedDevice {
            device_id: parse_id(&id)?,
            post_id: parse_id(&post)?,
            standing,
        })
    })
    .transpose()
}

pub fn list_devices(connection: &mut Connection) -> Result<Vec<DeviceSummary>, StorageError> {
    let mut statement = connection.prepare(&format!(
        "SELECT id, post_id, label, last_contact_ms,
                    clock_offset_ms, clock_flagged, highest_seq, acknowledged_through,
                    missing_json, {STANDING_COLUMNS}, {WIPE_COLUMNS}
             FROM devices ORDER BY post_id, label, id"
    ))?;
    let mut rows = statement.query([])?;
    let mut devices = Vec::new();
    while let Some(row) = rows.next()? {
        let missing: String = row.get(8)?;
        let standing = standing_at(row, 9)?;
        devices.push(DeviceSummary {
            id: parse_id(&row.get::<_, String>(0)?)?,
            post_id: parse_id(&row.get::<_, String>(1)?)?,
            label: row.get(2)?,
            revoked: standing.is_revoked(),
            standing,
            wipe: wipe_at(row, 12)?,
            last_contact_ms: row.get(3)?,
            clock_offset_ms: row.get(4)?,
            clock_flagged: row.get(5)?,
            highest_seq: to_u64(row.get(6)?)?,
            acknowledged_through: to_u64(row.get(7)?)?,
            missing: serde_json::from_str(&missing).map_err(StorageError::corrupt)?,
        });
    }
    Ok(devices)
}

pub fn revoke_device(
    connection: &Connection,
    device: DeviceId,
    revocation: Revocation,
    now_ms: i64,
) -> Result<bool, StorageError> {
    let sql = match revocation {
        Revocation::KeepData => {
            "UPDATE devices SET revoked_at_ms = COALESCE(revoked_at_ms, ?2) WHERE id = ?1"
        }
        Revocation::WipeData => {
            "UPDATE devices SET revoked_at_ms = COALESCE(revoked_at_ms, ?2),
                 wipe_ordered_at_ms = COALESCE(wipe_ordered_at_ms, ?2)
             WHERE id = ?1"
        }
    };
    let changed = connection.execute(sql, params![device.to_string(), now_ms])?;
    Ok(changed > 0)
}

/// The first report of a device ordered to wipe; false when no wipe was ordered.
pub fn record_device_wipe(
    connection: &Connection,
    device: DeviceId,
    report: &WipeReport,
    now_ms: i64,
) -> Result<bool, StorageError> {
    let changed = connection.execute(
        "UPDATE devices SET wiped_at_ms = COALESCE(wiped_at_ms, ?2),
             wipe_report_json = COALESCE(wipe_report_json, ?3)
         WHERE id = ?1 AND wipe_ordered_at_ms IS NOT NULL",
        params![device.to_string(), now_ms, wipe_report_json(report)],
    )?;
    Ok(changed > 0)
}

/// The standing from the three [`STANDING_COLUMNS`] columns starting at `first`.
pub(super) fn standing_at(
    row: &rusqlite::Row<'_>,
    first: usize,
) -> rusqlite::Result<DeviceStanding> {
    Ok(DeviceStanding::from_columns(
        row.get(first)?,
        row.get(first + 1)?,
        row.get(first + 2)?,
    ))
}

/// The wipe from the three [`WIPE_COLUMNS`] columns starting at `first`.
pub(super) fn wipe_at(
    row: &rusqlite::Row<'_>,
    first: usize,
) -> Result<Option<DeviceWipe>, StorageError> {
    DeviceWipe::from_columns(row.get(first)?, row.get(first + 1)?, row.get(first + 2)?)
}
