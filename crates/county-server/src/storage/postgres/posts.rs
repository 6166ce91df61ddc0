//! Posts, enrolment codes, PIN resets, admins and entry listing on PostgreSQL.

use crate::error::StorageError;
use crate::storage::{EntryFilter, Post, StoredEntryView};
use deadpool_postgres::GenericClient;
use patrol_model::sync::PinReset;
use patrol_model::PostId;
use uuid::Uuid;

pub async fn create_post(client: &impl GenericClient, name: &str) -> Result<Post, StorageError> {
    let post = Post {
        id: PostId::new_v7(),
        name: name.to_string(),
    };
    client
        .execute(
            "INSERT INTO posts (id, name, created_at) VALUES ($1, $2, $3)",
            &[&post.id.0, &post.name, &chrono::Utc::now().to_rfc3339()],
        )
        .await?;
    Ok(post)
}

pub async fn list_posts(client: &impl GenericClient) -> Result<Vec<Post>, StorageError> {
    let rows = client
        .query("SELECT id, name FROM posts ORDER BY name", &[])
        .await?;
    Ok(rows
        .iter()
        .map(|row| Post {
            id: PostId(row.get(0)),
            name: row.get(1),
        })
        .collect())
}

pub async fn find_post(
    client: &impl GenericClient,
    key: &str,
) -> Result<Option<Post>, StorageError> {
    let id: Option<Uuid> = key.parse::<PostId>().ok().map(|id| id.0);
    let row = client
        .query_opt(
            "SELECT id, name FROM posts WHERE id = $1 OR name = $2
             ORDER BY (id = $1) IS TRUE DESC LIMIT 1",
            &[&id, &key],
        )
        .await?;
    Ok(row.map(|row| Post {
        id: PostId(row.get(0)),
        name: row.get(1),
    }))
}

pub async fn create_enrolment_code(
    client: &impl GenericClient,
    post: PostId,
    code_sha256: &str,
    expires_at_ms: i64,
) -> Result<(), StorageError> {
    client
        .execute(
            "INSERT INTO enrolment_codes (code_sha256, post_id, expires_at_ms) VALUES ($1, $2, $3)",
            &[&code_sha256, &post.0, &expires_at_ms],
        )
        .await?;
    Ok(())
}

/// Keeps a PIN reset of `post`; false when there is no such post.
pub async fn insert_pin_reset(
    client: &impl GenericClient,
    post: PostId,
    reset: &PinReset,
    by: &str,
) -> Result<bool, StorageError> {
    let inserted = client
        .execute(
            "INSERT INTO pin_resets (id, post_id, member, issued_at_ms, issued_by)
             SELECT $1, id, $3, $4, $5 FROM posts WHERE id = $2",
            &[
                &reset.id,
                &post.0,
                &reset.member,
                &reset.issued_at.timestamp_millis(),
                &by,
            ],
        )
        .await?;
    Ok(inserted > 0)
}

pub async fn set_admin_password(
    client: &impl GenericClient,
    username: &str,
    password_phc: &str,
    now_ms: i64,
) -> Result<(), StorageError> {
    client
        .execute(
            "INSERT INTO admins (username, password_phc, created_at_ms) VALUES ($1, $2, $3)
             ON CONFLICT (username) DO UPDATE SET password_phc = excluded.password_phc",
            &[&username, &password_phc, &now_ms],
        )
        .await?;
    Ok(())
}

pub async fn list_entries(
    client: &impl GenericClient,
    filter: &EntryFilter,
) -> Result<Vec<StoredEntryView>, StorageError> {
    let post: Option<Uuid> = filter.post_id.map(|id| id.0);
    let rows = client
        .query(
            "SELECT post_id, document, occurred_at_ms + occurred_correction_ms AS corrected
             FROM entries
             WHERE ($1::uuid IS NULL OR post_id = $1)
               AND ($2::bigint IS NULL OR occurred_at_ms + occurred_correction_ms >= $2)
             ORDER BY corrected, id",
            &[&post, &filter.since_ms],
        )
        .await?;
    rows.iter()
        .map(|row| {
            let document: String = row.get(1);
            Ok(StoredEntryView {
                post_id: PostId(row.get(0)),
                document: serde_json::from_str(&document).map_err(StorageError::corrupt)?,
                occurred_corrected_ms: row.get(2),
            })
        })
        .collect()
}
