//! PostgreSQL backend (placeholder until written).
use crate::error::StorageError;

pub struct PostgresStorage;

impl PostgresStorage {
    pub async fn connect(
        _url: &str,
    ) -> Result<crate::storage::sqlite::SqliteStorage, StorageError> {
        Err(StorageError::BadUrl("not yet".into()))
    }
}
