//! Admin roles and dashboard sessions on PostgreSQL (migration 04).

use super::PostgresStorage;
use crate::error::StorageError;
use crate::storage::admin_sessions::{
    admin_session_needs_refresh, AdminAccount, AdminRole, AdminSessions, LiveAdminSession,
    NewAdminSession, ADMIN_SESSION_TTL_MS,
};
use async_trait::async_trait;

#[async_trait]
impl AdminSessions for PostgresStorage {
    async fn save_admin(
        &self,
        username: &str,
        password_phc: &str,
        role: AdminRole,
        now_ms: i64,
        by: &crate::audit::Actor,
    ) -> Result<(), StorageError> {
        let mut client = self.client().await?;
        let tx = client.transaction().await?;
        tx.execute(
            "INSERT INTO admins (username, password_phc, created_at_ms, role)
             VALUES ($1, $2, $3, $4)
             ON CONFLICT (username) DO UPDATE
             SET password_phc = excluded.password_phc, role = excluded.role",
            &[&username, &password_phc, &now_ms, &role.as_str()],
        )
        .await?;
        tx.execute(
            "DELETE FROM admin_sessions WHERE username = $1",
            &[&username],
        )
        .await?;
        let event = crate::audit::AuditEvent::AdminSaved {
            user: username.to_string(),
            role,
        };
        super::audit_log::insert(&tx, &event.row(by, now_ms)).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn admin_with_role(&self, username: &str) -> Result<Option<AdminAccount>, StorageError> {
        let row = self
            .client()
            .await?
            .query_opt(
                "SELECT username, password_phc, role FROM admins WHERE username = $1",
                &[&username],
            )
            .await?;
        row.map(|row| {
            Ok(AdminAccount {
                username: row.get(0),
                password_phc: row.get(1),
                role: AdminRole::from_stored(row.get(2))?,
            })
        })
        .transpose()
    }

    async fn create_admin_session(&self, session: NewAdminSession) -> Result<(), StorageError> {
        let mut client = self.client().await?;
        let tx = client.transaction().await?;
        tx.execute(
            "DELETE FROM admin_sessions WHERE expires_at_ms <= $1",
            &[&session.created_at_ms],
        )
        .await?;
        tx.execute(
            "INSERT INTO admin_sessions
                 (token_sha256, username, role, created_at_ms, expires_at_ms)
             VALUES ($1, $2, $3, $4, $5)",
            &[
                &session.token_sha256,
                &session.username,
                &session.role.as_str(),
                &session.created_at_ms,
                &session.expires_at_ms,
            ],
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn find_live_admin_session(
        &self,
        token_sha256: &str,
        now_ms: i64,
    ) -> Result<Option<LiveAdminSession>, StorageError> {
        let client = self.client().await?;
        let Some(row) = client
            .query_opt(
                "SELECT username, role, expires_at_ms FROM admin_sessions
                 WHERE token_sha256 = $1 AND expires_at_ms > $2",
                &[&token_sha256, &now_ms],
            )
            .await?
        else {
            return Ok(None);
        };
        let mut expires_at_ms: i64 = row.get(2);
        if admin_session_needs_refresh(expires_at_ms, now_ms) {
            let new_expiry = now_ms + ADMIN_SESSION_TTL_MS;
            let refreshed = client
                .execute(
                    "UPDATE admin_sessions SET expires_at_ms = GREATEST(expires_at_ms, $2)
                     WHERE token_sha256 = $1 AND expires_at_ms > $3",
                    &[&token_sha256, &new_expiry, &now_ms],
                )
                .await?;
            if refreshed == 0 {
                // Logged out (or reset) between the lookup and the refresh.
                return Ok(None);
            }
            expires_at_ms = expires_at_ms.max(new_expiry);
        }
        Ok(Some(LiveAdminSession {
            username: row.get(0),
            role: AdminRole::from_stored(row.get(1))?,
            expires_at_ms,
        }))
    }

    async fn delete_admin_session(&self, token_sha256: &str) -> Result<(), StorageError> {
        self.client()
            .await?
            .execute(
                "DELETE FROM admin_sessions WHERE token_sha256 = $1",
                &[&token_sha256],
            )
            .await?;
        Ok(())
    }
}
