//! Devices on PostgreSQL: enrolment, token lookup, listing, revocation.

use super::to_u64;
use crate::error::{EnrolError, StorageError};
use crate::storage::{AuthenticatedDevice, DeviceSummary, Enrolment, NewDevice, Post};
use deadpool_postgres::GenericClient;
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
            "SELECT post_id, revoked_at_ms IS NOT NULL FROM devices WHERE id = $1",
            &[&device.device_id.0],
        )
        .await
        .map_err(StorageError::from)?
        .map(|row| (PostId(row.get(0)), row.get::<_, bool>(1)));
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
                 revoked_at_ms = NULL
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
        .prepare_cached(
            "SELECT id, post_id, revoked_at_ms IS NOT NULL FROM devices WHERE token_sha256 = $1",
        )
        .await?;
    let row = client.query_opt(&statement, &[&token_sha256]).await?;
    Ok(row.map(|row| AuthenticatedDevice {
        device_id: DeviceId(row.get(0)),
        post_id: PostId(row.get(1)),
        revoked: row.get(2),
    }))
}

pub async fn list_devices(client: &impl GenericClient) -> Result<Vec<DeviceSummary>, StorageError> {
    let rows = client
        .query(
            "SELECT id, post_id, label, revoked_at_ms IS NOT NULL, last_contact_ms,
                    clock_offset_ms, clock_flagged, highest_seq, acknowledged_through, missing_json
             FROM devices ORDER BY post_id, label, id",
            &[],
        )
        .await?;
    rows.iter()
        .map(|row| {
            let missing: String = row.get(9);
            Ok(DeviceSummary {
                id: DeviceId(row.get(0)),
                post_id: PostId(row.get(1)),
                label: row.get(2),
                revoked: row.get(3),
                last_contact_ms: row.get(4),
                clock_offset_ms: row.get(5),
                clock_flagged: row.get(6),
                highest_seq: to_u64(row.get(7))?,
                acknowledged_through: to_u64(row.get(8))?,
                missing: serde_json::from_str(&missing).map_err(StorageError::corrupt)?,
            })
        })
        .collect()
}

pub async fn revoke_device(
    client: &impl GenericClient,
    device: DeviceId,
    now_ms: i64,
) -> Result<bool, StorageError> {
    let changed = client
        .execute(
            "UPDATE devices SET revoked_at_ms = COALESCE(revoked_at_ms, $2) WHERE id = $1",
            &[&device.0, &now_ms],
        )
        .await?;
    Ok(changed > 0)
}
