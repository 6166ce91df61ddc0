//! PIN resets by the county (重置 PIN): kept per post, handed to the post's devices with each
//! sync for [`patrol_model::sync::PIN_RESET_DAYS`] days ([`crate::sync::SyncTransaction::pin_resets`]).

use crate::error::StorageError;
use chrono::{DateTime, Utc};
use patrol_model::sync::PinReset;
use uuid::Uuid;

/// A reset read back from its columns.
pub fn pin_reset_of(id: Uuid, member: String, issued_at_ms: i64) -> Result<PinReset, StorageError> {
    let issued_at = DateTime::<Utc>::from_timestamp_millis(issued_at_ms)
        .ok_or_else(|| StorageError::corrupt(format!("pin reset time {issued_at_ms}")))?;
    Ok(PinReset {
        id,
        member,
        issued_at,
    })
}

/// A new reset of `member`'s PIN, issued now.
pub fn new_pin_reset(member: &str, now_ms: i64) -> Result<PinReset, StorageError> {
    pin_reset_of(Uuid::now_v7(), member.to_string(), now_ms)
}
