//! Posts, their one-time enrolment codes and the county's PIN resets of their members.

use super::parse_id;
use crate::error::StorageError;
use crate::storage::Post;
use patrol_model::sync::PinReset;
use patrol_model::PostId;
use rusqlite::{params, Connection, OptionalExtension};

pub fn create_post(connection: &Connection, name: &str) -> Result<Post, StorageError> {
    let post = Post {
        id: PostId::new_v7(),
        name: name.to_string(),
    };
    connection.execute(
        "INSERT INTO posts (id, name, created_at) VALUES (?1, ?2, ?3)",
        params![
            post.id.to_string(),
            post.name,
            chrono::Utc::now().to_rfc3339()
        ],
    )?;
    Ok(post)
}

pub fn list_posts(connection: &mut Connection) -> Result<Vec<Post>, StorageError> {
    let mut statement = connection.prepare("SELECT id, name FROM posts ORDER BY name")?;
    let rows = statement.query_map([], |row| Ok((row.get::<_, String>(0)?, row.get(1)?)))?;
    rows.map(|row| {
        let (id, name) = row?;
        Ok(Post {
            id: parse_id(&id)?,
            name,
        })
    })
    .collect()
}

pub fn find_post(connection: &mut Connection, key: &str) -> Result<Option<Post>, StorageError> {
    let id_text = key
        .parse::<PostId>()
        .map(|id| id.to_string())
        .unwrap_or_default();
    let found: Option<(String, String)> = connection
        .query_row(
            "SELECT id, name FROM posts WHERE id = ?1 OR name = ?2 ORDER BY id = ?1 DESC LIMIT 1",
            params![id_text, key],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )
        .optional()?;
    found
        .map(|(id, name)| {
            Ok(Post {
                id: parse_id(&id)?,
                name,
            })
        })
        .transpose()
}

pub fn create_enrolment_code(
    connection: &Connection,
    post: PostId,
    code_sha256: &str,
    expires_at_ms: i64,
) -> Result<(), StorageError> {
    connection.execute(
        "INSERT INTO enrolment_codes (code_sha256, post_id, expires_at_ms) VALUES (?1, ?2, ?3)",
        params![code_sha256, post.to_string(), expires_at_ms],
    )?;
    Ok(())
}

/// Keeps a PIN reset of `post`; false when there is no such post.
pub fn insert_pin_reset(
    connection: &Connection,
    post: PostId,
    reset: &PinReset,
    by: &str,
) -> Result<bool, StorageError> {
    let inserted = connection.execute(
        "INSERT INTO pin_resets (id, post_id, member, issued_at_ms, issued_by)
         SELECT ?1, id, ?3, ?4, ?5 FROM posts WHERE id = ?2",
        params![
            reset.id.to_string(),
            post.to_string(),
            reset.member,
            reset.issued_at.timestamp_millis(),
            by
        ],
    )?;
    Ok(inserted > 0)
}
