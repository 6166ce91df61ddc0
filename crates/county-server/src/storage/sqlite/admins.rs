//! County admins and their argon2 password hashes.

use crate::error::StorageError;
use rusqlite::{params, Connection};

pub fn set_admin_password(
    connection: &mut Connection,
    username: &str,
    password_phc: &str,
    now_ms: i64,
) -> Result<(), StorageError> {
    connection.execute(
        "INSERT INTO admins (username, password_phc, created_at_ms) VALUES (?1, ?2, ?3)
         ON CONFLICT (username) DO UPDATE SET password_phc = excluded.password_phc",
        params![username, password_phc, now_ms],
    )?;
    Ok(())
}
