//! County admins' roles and their dashboard sessions: what an admin may do (`admin` changes
//! things, `viewer` only reads), and the sessions a login opens. The server keeps only the
//! SHA-256 of a session token, with a sliding expiry; the token itself lives in the browser's
//! `pl_session` cookie. How a request proves its session is `http/admin/auth.rs`'s.

use crate::audit::{Actor, AuditEvent, LoginFailure};
use crate::error::{LoginError, StorageError};
use crate::storage::CountyStorage;
use async_trait::async_trait;
use base64::Engine;
use serde::{Deserialize, Serialize};
use std::net::IpAddr;

/// A session lives this long after its last use (12 h, sliding).
pub const ADMIN_SESSION_TTL_MS: i64 = 12 * 60 * 60 * 1000;
/// A session's expiry is pushed forward at most once a minute, so reading pages does not
/// write to the database on every request.
pub const ADMIN_SESSION_REFRESH_STEP_MS: i64 = 60 * 1000;

/// What a county admin may do on the dashboard.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema, clap::ValueEnum,
)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum AdminRole {
    /// Reads everything, reviews entries, adds posts, makes enrolment codes, revokes devices.
    Admin,
    /// Reads everything, changes nothing.
    Viewer,
}

impl AdminRole {
    pub fn as_str(self) -> &'static str {
        match self {
            AdminRole::Admin => "admin",
            AdminRole::Viewer => "viewer",
        }
    }

    /// The role as stored; anything else means the database was changed by hand.
    pub fn from_stored(text: &str) -> Result<Self, StorageError> {
        match text {
            "admin" => Ok(AdminRole::Admin),
            "viewer" => Ok(AdminRole::Viewer),
            other => Err(StorageError::corrupt(format!(
                "unknown admin role {other:?}"
            ))),
        }
    }
}

/// An admin account as the login checks it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AdminAccount {
    pub username: String,
    /// argon2id PHC string.
    pub password_phc: String,
    pub role: AdminRole,
}

/// A session being opened by a login.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAdminSession {
    pub token_sha256: String,
    pub username: String,
    pub role: AdminRole,
    pub created_at_ms: i64,
    pub expires_at_ms: i64,
}

/// A live session: who is logged in, with which role, until when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LiveAdminSession {
    pub username: String,
    pub role: AdminRole,
    pub expires_at_ms: i64,
}

/// Admin accounts with their roles, and dashboard sessions. Part of [`super::CountyStorage`].
#[async_trait]
pub trait AdminSessions: Send + Sync {
    /// Adds an admin or resets one's password and role; the admin's open sessions end. The
    /// audit row `by` is written in the same transaction.
    async fn save_admin(
        &self,
        username: &str,
        password_phc: &str,
        role: AdminRole,
        now_ms: i64,
        by: &crate::audit::Actor,
    ) -> Result<(), StorageError>;

    /// The admin's password hash and role, `None` for an unknown user name.
    async fn admin_with_role(&self, username: &str) -> Result<Option<AdminAccount>, StorageError>;

    /// Stores a new session (and forgets sessions that expired before `created_at_ms`).
    async fn create_admin_session(&self, session: NewAdminSession) -> Result<(), StorageError>;

    /// The session with this token hash if it has not expired at `now_ms`; its expiry moves to
    /// `now_ms + ADMIN_SESSION_TTL_MS` (at most once per `ADMIN_SESSION_REFRESH_STEP_MS`).
    async fn find_live_admin_session(
        &self,
        token_sha256: &str,
        now_ms: i64,
    ) -> Result<Option<LiveAdminSession>, StorageError>;

    /// Ends a session. Ending one that does not exist is not an error.
    async fn delete_admin_session(&self, token_sha256: &str) -> Result<(), StorageError>;
}

/// A login that succeeded: the token for the cookie (shown once) and the session it opened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenedAdminSession {
    pub token: String,
    pub session: LiveAdminSession,
}

/// Checks `username` and `password` and opens a session; `None` when either is wrong (the
/// caller cannot tell which). An unknown user name is checked against a stand-in hash, so it
/// takes as long as a wrong password; argon2 runs on a blocking thread, in its turn
/// ([`crate::attempts::PASSWORD_HASHING`]; `LoginError::Busy` when too many wait). Either way
/// the attempt is written to the audit log with the name tried and the client's `address`.
pub async fn log_in_admin(
    storage: &dyn CountyStorage,
    username: &str,
    password: &str,
    address: Option<IpAddr>,
    now_ms: i64,
) -> Result<Option<OpenedAdminSession>, LoginError> {
    let actor = Actor::admin(username.trim(), address);
    let account = storage.admin_with_role(username.trim()).await?;
    let phc = account
        .as_ref()
        .map(|account| account.password_phc.clone())
        .unwrap_or_else(|| STAND_IN_PASSWORD_HASH.clone());
    let password = password.to_string();
    let matches = crate::attempts::PASSWORD_HASHING
        .run(move |memory| crate::secrets::verify_password_in(&password, &phc, memory))
        .await
        .map_err(|_| LoginError::Busy)?;
    let Some(account) = account.filter(|_| matches) else {
        let failed = AuditEvent::LoginFailed {
            reason: LoginFailure::WrongCredentials,
        };
        storage.append_audit(failed.row(&actor, now_ms)).await?;
        return Ok(None);
    };
    let token = new_admin_session_token()?;
    let session = NewAdminSession {
        token_sha256: crate::secrets::sha256_hex(&token),
        username: account.username,
        role: account.role,
        created_at_ms: now_ms,
        expires_at_ms: now_ms + ADMIN_SESSION_TTL_MS,
    };
    let live = LiveAdminSession {
        username: session.username.clone(),
        role: session.role,
        expires_at_ms: session.expires_at_ms,
    };
    storage.create_admin_session(session).await?;
    storage
        .append_audit(AuditEvent::LoggedIn.row(&actor, now_ms))
        .await?;
    Ok(Some(OpenedAdminSession {
        token,
        session: live,
    }))
}

/// What an unknown user name's password is checked against (a hash of random bytes).
static STAND_IN_PASSWORD_HASH: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    new_admin_session_token()
        .ok()
        .and_then(|random| crate::secrets::hash_password(&random).ok())
        .unwrap_or_default()
});

/// Whether a session found with expiry `expires_at_ms` should have it pushed forward now.
pub fn admin_session_needs_refresh(expires_at_ms: i64, now_ms: i64) -> bool {
    now_ms + ADMIN_SESSION_TTL_MS - expires_at_ms >= ADMIN_SESSION_REFRESH_STEP_MS
}

/// A new session token: 32 random bytes in base64url (43 characters). Shown once, in the
/// cookie; the server keeps its SHA-256.
pub fn new_admin_session_token() -> Result<String, StorageError> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|error| {
        StorageError::Io(std::io::Error::other(format!(
            "the system random source failed: {error}"
        )))
    })?;
    Ok(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_random_and_url_safe() {
        let token = new_admin_session_token().unwrap();
        assert_eq!(token.len(), 43);
        assert!(token
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'));
        assert_ne!(token, new_admin_session_token().unwrap());
    }

    #[test]
    fn expiry_moves_at_most_once_a_minute() {
        let now = 1_000_000_000;
        assert!(!admin_session_needs_refresh(
            now + ADMIN_SESSION_TTL_MS,
            now
        ));
        assert!(!admin_session_needs_refresh(
            now + ADMIN_SESSION_TTL_MS - 59_000,
            now
        ));
        assert!(admin_session_needs_refresh(
            now + ADMIN_SESSION_TTL_MS - 60_000,
            now
        ));
    }
}
