//! How many entries still wait to be sent, as the app's sync chip counts them ("3 条待同步"):
//! distinct entries with an outbox record the server has not acknowledged. A patrol started
//! and ended is two records but one entry.

use super::DeviceStore;
use crate::error::DeviceError;

impl DeviceStore {
    pub fn pending_entry_count(&self) -> Result<u64, DeviceError> {
        let count: i64 = self.connection.query_row(
            "SELECT COUNT(DISTINCT entry_id) FROM outbox WHERE acknowledged_at_ms IS NULL",
            [],
            |row| row.get(0),
        )?;
        Ok(count.max(0) as u64)
    }
}
