//! Admin roles and dashboard sessions on SQLite (migration 04). Looking a session up uses the
//! read-only connection; only a login, a logout or a due expiry refresh writes.

use super::SqliteStorage;
use crate::error::StorageError;
use crate::storage::admin_sessions::{
    admin_session_needs_refresh, AdminAccount, AdminRole, AdminSessions, LiveAdminSession,
    NewAdminSession, ADMIN_SESSION_TTL_MS,
};
use async_trait::async_trait;
use rusqlite::{params, OptionalExtension};

#[async_trait]
impl AdminSessions for SqliteStorage {
    async fn save_admin(
        &self,
        username: &str,
        password_phc: &str,
        role: AdminRole,
        now_ms: i64,
        by: &crate::audit::Actor,
    ) -> Result<(), StorageError> {
        let (user, phc, by) = (username.to_string(), password_phc.to_string(), by.clone());
        self.run(move |connection| {
            let tx = connection.transaction()?;
            tx.execute(
                "INSERT INTO admins (username, password_phc, created_at_ms, role)
                 VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (username) DO UPDATE
                 SET password_phc = excluded.password_phc, role = excluded.role",
                params![user, phc, now_ms, role.as_str()],
            )?;
            tx.execute("DELETE FROM admin_sessions WHERE username = ?1", [&user])?;
            let event = crate::audit::AuditEvent::AdminSaved { user, role };
            super::audit_log::insert(&tx, &event.row(&by, now_ms))?;
            tx.commit()?;
            Ok(())
        })
        .await
    }

    async fn admin_with_role(&self, username: &str) -> Result<Option<AdminAccount>, StorageError> {
        let user = username.to_string();
        let row: Option<(String, String, String)> = self
            .read(move |connection| {
                Ok(connection
                    .query_row(
                        "SELECT username, password_phc, role FROM admins WHERE username = ?1",
                        [&user],
                        |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
                    )
                    .optional()?)
            })
            .await?;
        row.map(|(username, password_phc, role)| {
            Ok(AdminAccount {
                username,
                password_phc,
                role: AdminRole::from_stored(&role)?,
            })
        })
        .transpose()
    }

    async fn create_admin_session(&self, session: NewAdminSession) -> Result<(), StorageError> {
        self.run(move |connection| {
            let tx = connection.transaction()?;
            tx.execute(
                "DELETE FROM admin_sessions WHERE expires_at_ms <= ?1",
                [session.created_at_ms],
            )?;
            tx.execute(
                "INSERT INTO admin_sessions
                     (token_sha256, username, role, created_at_ms, expires_at_ms)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                params![
                    session.token_sha256,
                    session.username,
                    session.role.as_str(),
                    session.created_at_ms,
                    session.expires_at_ms
                ],
            )?;
            tx.commit()?;
            Ok(())
        })
        .await
    }

    async fn find_live_admin_session(
        &self,
        token_sha256: &str,
        now_ms: i64,
    ) -> Result<Option<LiveAdminSession>, StorageError> {
        let token = token_sha256.to_string();
        let found: Option<(String, String, i64)> = {
            let token = token.clone();
            self.read(move |connection| {
                Ok(connection
                    .prepare_cached(
                        "SELECT username, role, expires_at_ms FROM admin_sessions
                         WHERE token_sha256 = ?1 AND expires_at_ms > ?2",
                    )?
                    .query_row(params![token, now_ms], |row| {
                        Ok((row.get(0)?, row.get(1)?, row.get(2)?))
                    })
                    .optional()?)
            })
            .await?
        };
        let Some((username, role, mut expires_at_ms)) = found else {
            return Ok(None);
        };
        if admin_session_needs_refresh(expires_at_ms, now_ms) {
            let new_expiry = now_ms + ADMIN_SESSION_TTL_MS;
            let refreshed = self
                .run(move |connection| {
                    Ok::<_, StorageError>(connection.execute(
                        "UPDATE admin_sessions SET expires_at_ms = MAX(expires_at_ms, ?2)
                         WHERE token_sha256 = ?1 AND expires_at_ms > ?3",
                        params![token, new_expiry, now_ms],
                    )?)
                })
                .await?;
            if refreshed == 0 {
                // Logged out (or reset) between the lookup and the refresh.
                return Ok(None);
            }
            expires_at_ms = expires_at_ms.max(new_expiry);
        }
        Ok(Some(LiveAdminSession {
            username,
            role: AdminRole::from_stored(&role)?,
            expires_at_ms,
        }))
    }

    async fn delete_admin_session(&self, token_sha256: &str) -> Result<(), StorageError> {
        let token = token_sha256.to_string();
        self.run(move |connection| {
            connection.execute(
                "DELETE FROM admin_sessions WHERE token_sha256 = ?1",
                [&token],
            )?;
            Ok(())
        })
        .await
    }
}
