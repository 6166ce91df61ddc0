//! The library's error types: one per layer, all `thiserror`.

use patrol_model::EntryId;

/// Something went wrong inside a storage backend. Never shown to a client as is: the HTTP layer
/// logs it and answers a generic 500.
#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    #[error("sqlite: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("sqlite migration: {0}")]
    SqliteMigration(#[from] rusqlite_migration::Error),
    #[error("postgres: {0}")]
    Postgres(#[from] tokio_postgres::Error),
    #[error("postgres pool: {0}")]
    PostgresPool(String),
    #[error("postgres migration {name}: {source}")]
    PostgresMigration {
        name: String,
        source: tokio_postgres::Error,
    },
    #[error("database URL: {0}")]
    BadUrl(String),
    #[error("blocking task failed: {0}")]
    Join(#[from] tokio::task::JoinError),
    #[error("stored data is corrupt: {0}")]
    Corrupt(String),
    #[error("io: {0}")]
    Io(#[from] std::io::Error),
}

impl StorageError {
    pub fn corrupt(what: impl std::fmt::Display) -> Self {
        StorageError::Corrupt(what.to_string())
    }
}

impl From<deadpool_postgres::PoolError> for StorageError {
    fn from(error: deadpool_postgres::PoolError) -> Self {
        StorageError::PostgresPool(error.to_string())
    }
}

/// Why a login could not be checked (a wrong password is not an error: `Ok(None)`).
#[derive(Debug, thiserror::Error)]
pub enum LoginError {
    #[error("too many password checks are waiting; try again shortly")]
    Busy,
    #[error(transparent)]
    Storage(#[from] StorageError),
}

/// Why a sync request was refused as a whole (per-record problems are rejections, not errors).
#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    #[error("entry {0} belongs to another post")]
    EntryOfAnotherPost(EntryId),
    #[error("{0}")]
    BadRequest(String),
    #[error(transparent)]
    Storage(#[from] StorageError),
}

/// Why an enrolment was refused.
#[derive(Debug, thiserror::Error)]
pub enum EnrolError {
    #[error("the enrolment code is unknown, used or expired")]
    CodeInvalid,
    #[error("device {0} is already enrolled")]
    DeviceAlreadyEnrolled(patrol_model::DeviceId),
    /// A revoked device enrolling again with a code of another post than its own.
    #[error("device {0} was enrolled in another post")]
    DeviceOfAnotherPost(patrol_model::DeviceId),
    /// The county ordered this device's data wiped, and the device has not yet done so.
    #[error("device {0} is to wipe its data before it may enrol again")]
    DeviceToBeWiped(patrol_model::DeviceId),
    #[error(transparent)]
    Storage(#[from] StorageError),
}

/// Why the server could not start or stopped with an error.
#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    #[error(transparent)]
    Storage(#[from] StorageError),
    #[error("serving HTTP: {0}")]
    Serve(#[from] std::io::Error),
    #[error("photo store: {0}")]
    Photos(#[from] crate::photos::PhotoError),
    #[error("TLS certificate {} / key {}: {reason}", files.certificate_chain.display(), files.private_key.display())]
    Tls {
        files: crate::TlsFiles,
        reason: String,
    },
}

/// Why the county basemap could not be built or read.
#[derive(Debug, thiserror::Error)]
pub enum BasemapError {
    /// The area asked for (or derived from the entries) is not one an archive can cover.
    #[error("area: {0}")]
    Area(String),
    #[error("basemap source: {0}")]
    Source(String),
    #[error("vector tile: {0}")]
    Tile(#[from] mvt::Error),
    #[error("PMTiles archive: {0}")]
    Archive(#[from] pmtiles::PmtError),
    #[error("io: {0}")]
    Io(#[from] std::io::Error),
    #[error(transparent)]
    Storage(#[from] StorageError),
}
