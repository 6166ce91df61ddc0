//! Whether the county has an entry, as its row and page show it: its latest change waits to be
//! sent (待发送), was stored by the server (已发送), or was refused with the county's reasons
//! (被拒); an entry that only ever came from the county (another phone's) was received. Read
//! from the entry's latest outbox record (index `outbox_by_entry`, migration 12).

use super::DeviceStore;
use crate::error::DeviceError;
use patrol_model::{EntryId, ValidationProblem};
use rusqlite::OptionalExtension;
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum SendState {
    Pending,
    Sent,
    Rejected,
    Received,
}

impl SendState {
    /// The code [`SEND_STATE_SQL`] gives (NULL: no record of this phone's).
    pub(crate) fn from_code(code: Option<&str>) -> SendState {
        match code {
            Some("pending") => SendState::Pending,
            Some("sent") => SendState::Sent,
            Some("rejected") => SendState::Rejected,
            _ => SendState::Received,
        }
    }
}

/// The send state code of the `entries` row in the query around it: that of its latest outbox
/// record, NULL when it has none.
pub(crate) const SEND_STATE_SQL: &str =
    "(SELECT CASE WHEN o.rejected_at_ms IS NOT NULL THEN 'rejected'
                  WHEN o.acknowledged_at_ms IS NULL THEN 'pending' ELSE 'sent' END
        FROM outbox o WHERE o.entry_id = entries.id ORDER BY o.seq DESC LIMIT 1)";

/// An entry's send state, with the county's reasons when it was refused.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct EntrySendState {
    pub state: SendState,
    pub problems: Vec<ValidationProblem>,
}

impl DeviceStore {
    pub fn entry_send_state(&self, id: EntryId) -> Result<EntrySendState, DeviceError> {
        let code: Option<Option<String>> = self
            .connection
            .query_row(
                &format!("SELECT {SEND_STATE_SQL} FROM entries WHERE id = ?1"),
                [id.to_string()],
                |row| row.get(0),
            )
            .optional()?;
        let state = SendState::from_code(code.ok_or(DeviceError::EntryNotFound(id))?.as_deref());
        // The reasons only of a refusal: the latest record's, as the state is.
        let problems = if state == SendState::Rejected {
            let rejection: Option<String> = self.connection.query_row(
                "SELECT rejection FROM outbox WHERE entry_id = ?1 ORDER BY seq DESC LIMIT 1",
                [id.to_string()],
                |row| row.get(0),
            )?;
            rejection
                .and_then(|text| serde_json::from_str(&text).ok())
                .unwrap_or_default()
        } else {
            Vec::new()
        };
        Ok(EntrySendState { state, problems })
    }
}
