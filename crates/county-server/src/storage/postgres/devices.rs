//! Devices on PostgreSQL: enrolment, token lookup, listing, revocation and wipes.

use super::to_u64;
use crate::error::{EnrolError, StorageError};
use crate::storage::device_standing::{wipe_report_json, STANDING_COLUMNS, WIPE_COLUMNS};
use crate::storage::{
    AuthenticatedDevice, DeviceStanding, DeviceSummary, DeviceWipe, Enrolment, NewDevice, Post,
    Revocation,
};
use deadpool_postgres::GenericClient;
use patrol_model::sync::WipeReport;
use patrol_model::{DeviceId, PostId};

pub async fn enrol_device(
    client: &mut deadpool_postgres::Object,
    device: &NewDevice,
) -> Result<Post, EnrolError> {
    let tx = client.transaction().await.map_err(StorageError::from)?;
    let post = tx
        .query_opt(
            "SELECT p.id, p.name FROM enrolment_codes c JOIN posts p ON p.id = c.post_id
             WHERE c.code_sha256 = $1 AND c.used_at_ms IS NULL AND c.expires_at_ms > $2
             FOR UPDATE OF c",
            &[&device.code_sha256, &device.now_ms],
        )
        .await
        .map_err(StorageError::from)?;
    let Some(post) = post else {
        return Err(EnrolError::CodeInvalid);
    };
    let post = Post {
        id: PostId(post.get(0)),
        name: post.get(1),
    };
    let known = tx
        .query_opt(
            &format!("SELECT post_id, {STANDING_COLUMNS} FROM devices WHERE id = $1"),
            &[&device.device_id.0],
        )
        .await
        .map_err(StorageError::from)?
        .map(|row| (PostId(row.get(0)), standing_at(&row, 1)));
    let enrolment = Enrolment::of(device.device_id, post.id, known)?;
    tx.execute(
        "UPDATE enrolment_codes SET used_at_ms = $2, used_by_device = $3 WHERE code_sha256 = $1",
        &[&device.code_sha256, &device.now_ms, &device.device_id.0],
    )
    .await
    .map_err(StorageError::from)?;
    let sql = match enrolment {
        Enrolment::New => {
            "INSERT INTO devices (id, post_id, label, token_sha256, enrolled_at_ms)
             VALUES ($1, $2, $3, $4, $5)"
        }
        // The old token stops working: only the new one's hash is kept.
        Enrolment::AgainAfterRevocation => {
            "UPDATE devices SET label = $3, token_sha256 = $4, enrolled_at_ms = $5,
                 revoked_at_ms = NULL, wipe_ordered_at_ms = NULL, wiped_at_ms = NULL,
                 wipe_report_json = NULL
             WHERE id = $1 AND post_id = $2"
        }
    };
    tx.execute(
        sql,
        &[
            &device.device_id.0,
            &post.id.0,
            &device.label,
            &device.token_sha256,
            &device.now_ms,
        ],
    )
    .await
    .map_err(StorageError::from)?;
    tx.commit().await.map_err(StorageError::from)?;
    Ok(post)
}

pub async fn authenticate(
    client: &deadpool_postgres::Object,
    token_sha256: &str,
) -> Result<Option<AuthenticatedDevice>, StorageError> {
    let statement = client
        .prepare_cached(&format!(
            "SELECT id, post_id, {STANDING_COLUMNS} FROM devices WHERE token_sha256 = $1"
        ))
        .await?;
    let row = client.query_opt(&statement, &[&token_sha256]).await?;
    Ok(row.map(|row| AuthenticatedDevice {
        device_id: DeviceId(row.get(0)),
        post_id: PostId(row.get(1)),
        standing: standing_at(&row, 2),
    }))
}

pub async fn list_devices(client: &impl GenericClient) -> Result<Vec<DeviceSummary>, StorageError> {
    let rows = client
        .query(
            &format!(
                "SELECT id, post_id, label, last_contact_ms,
                        clock_offset_ms, clock_flagged, highest_seq, acknowledged_through,
                        missing_json, {STANDING_COLUMNS}, {WIPE_COLUMNS}
                 FROM devices ORDER BY post_id, label, id"
            ),
            &[],
        )
        .await?;
    rows.iter()
        .map(|row| {
            let missing: String = row.get(8);
            let standing = standing_at(row, 9);
            Ok(DeviceSummary {
                id: DeviceId(row.get(0)),
                post_id: PostId(row.get(1)),
                label: row.get(2),
                revoked: standing.is_revoked(),
                standing,
                wipe: wipe_at(row, 12)?,
                last_contact_ms: row.get(3),
                clock_offset_ms: row.get(4),
                clock_flagged: row.get(5),
                highest_seq: to_u64(row.get(6))?,
                acknowledged_through: to_u64(row.get(7))?,
                missing: serde_json::from_str(&missing).map_err(StorageError::corrupt)?,
            })
        })
        .collect()
}

pub async fn revoke_device(
    client: &impl GenericClient,
    device: DeviceId,
    revocation: Revocation,
    now_ms: i64,
) -> Result<bool, StorageError> {
    let sql = match revocation {
        Revocation::KeepData => {
            "UPDATE devices SET revoked_at_ms = COALESCE(revoked_at_ms, $2) WHERE id = $1"
        }
        Revocation::WipeData => {
            "UPDATE devices SET revoked_at_ms = COALESCE(revoked_at_ms, $2),
                 wipe_ordered_at_ms = COALESCE(wipe_ordered_at_ms, $2)
             WHERE id = $1"
        }
    };
    let changed = client.execute(sql, &[&device.0, &now_ms]).await?;
    Ok(changed > 0)
}

/// The first report of a device ordered to wipe; false when no wipe was ordered.
pub async fn record_device_wipe(
    client: &impl GenericClient,
    device: DeviceId,
    report: &WipeReport,
    now_ms: i64,
) -> Result<bool, StorageError> {
    let changed = client
        .execute(
            "UPDATE devices SET wiped_at_ms = COALESCE(wiped_at_ms, $2),
                 wipe_report_json = COALESCE(wipe_report_json, $3)
             WHERE id = $1 AND wipe_ordered_at_ms IS NOT NULL",
            &[&device.0, &now_ms, &wipe_report_json(report)],
        )
        .await?;
    Ok(changed > 0)
}

/// The standing from the three [`STANDING_COLUMNS`] columns starting at `first`.
pub(super) fn standing_at(row: &tokio_postgres::Row, first: usize) -> DeviceStanding {
    DeviceStanding::from_columns(row.get(first), row.get(first + 1), row.get(first + 2))
}

/// The wipe from the three [`WIPE_COLUMNS`] columns starting at `first`.
pub(super) fn wipe_at(
    row: &tokio_postgres::Row,
    first: usize,
) -> Result<Option<DeviceWipe>, StorageError> {
    DeviceWipe::from_columns(row.get(first), row.get(first + 1), row.get(first + 2))
}
