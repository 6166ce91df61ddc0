//! Devices: enrolment (using up a code), token lookup, listing, revocation.

use super::{parse_id, to_u64};
use crate::error::{EnrolError, StorageError};
use crate::storage::{AuthenticatedDevice, DeviceSummary, Enrolment, NewDevice, Post};
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
    let known: Option<(String, bool)> = tx
        .query_row(
            "SELECT post_id, revoked_at_ms IS NOT NULL FROM devices WHERE id = ?1",
            [device.device_id.to_string()],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )
        .optional()
        .map_err(StorageError::from)?;
    let known = known
        .map(|(post, revoked)| Ok::<_, StorageError>((parse_id(&post)?, revoked)))
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
                 revoked_at_ms = NULL
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
    let row: Option<(String, String, bool)> = connection
        .prepare_cached(
            "SELECT id, post_id, revoked_at_ms IS NOT NULL FROM devices WHERE token_sha256 = ?1",
        )?
        .query_row([token_sha256], |row| {
            Ok((row.get(0)?, row.get(1)?, row.get(2)?))
        })
        .optional()?;
    row.map(|(id, post, revoked)| {
        Ok(AuthenticatedDevice {
            device_id: parse_id(&id)?,
            post_id: parse_id(&post)?,
            revoked,
        })
    })
    .transpose()
}

pub fn list_devices(connection: &mut Connection) -> Result<Vec<DeviceSummary>, StorageError> {
    let mut statement = connection.prepare(
        "SELECT id, post_id, label, revoked_at_ms IS NOT NULL, last_contact_ms, clock_offset_ms,
                clock_flagged, highest_seq, acknowledged_through, missing_json
         FROM devices ORDER BY post_id, label, id",
    )?;
    let mut rows = statement.query([])?;
    let mut devices = Vec::new();
    while let Some(row) = rows.next()? {
        let missing: String = row.get(9)?;
        devices.push(DeviceSummary {
            id: parse_id(&row.get::<_, String>(0)?)?,
            post_id: parse_id(&row.get::<_, String>(1)?)?,
            label: row.get(2)?,
            revoked: row.get(3)?,
            last_contact_ms: row.get(4)?,
            clock_offset_ms: row.get(5)?,
            clock_flagged: row.get(6)?,
            highest_seq: to_u64(row.get(7)?)?,
            acknowledged_through: to_u64(row.get(8)?)?,
            missing: serde_json::from_str(&missing).map_err(StorageError::corrupt)?,
        });
    }
    Ok(devices)
}

pub fn revoke_device(
    connection: &Connection,
    device: DeviceId,
    now_ms: i64,
) -> Result<bool, StorageError> {
    let changed = connection.execute(
        "UPDATE devices SET revoked_at_ms = COALESCE(revoked_at_ms, ?2) WHERE id = ?1",
        params![device.to_string(), now_ms],
    )?;
    Ok(changed > 0)
}
