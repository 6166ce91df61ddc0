//! `county-server` owns the county side of Patrol Log (巡防日志): the HTTP API devices sync
//! with (`/healthz`, enrolment, `POST /api/v1/sync`, resumable photo upload), device tokens and
//! enrolment codes, admin accounts, and the county's copy of every post's entries, behind one
//! storage trait with an embedded SQLite backend (default) and a PostgreSQL one.
//!
//! The sync rules of `docs/sync-protocol.md` live once in [`sync`]; the backends only run SQL.
//! What an entry is, how it validates and how two versions merge is `patrol-model`'s; this
//! crate never re-implements it. It leaves out the device side (`patrol-device`) and, for now,
//! the county dashboard and TLS termination.

pub mod attempts;
pub mod audit;
pub mod demo;
pub mod error;
pub mod export;
pub mod http;
pub mod map;
pub mod photos;
pub mod private_files;
pub mod report;
pub mod secrets;
pub mod serve;
pub mod spreadsheet;
pub mod storage;
pub mod sync;

pub use error::{BasemapError, EnrolError, LoginError, ServerError, StorageError, SyncError};
pub use serve::launch;
pub use storage::{open_storage, CountyStorage, SharedStorage};

use std::path::PathBuf;

/// What a running server needs.
#[derive(Clone)]
pub struct ServerSettings {
    pub storage: SharedStorage,
    /// Where photo files are kept (`photos/` below it).
    pub data_dir: PathBuf,
    /// HTTPS with this certificate; plain HTTP without.
    pub tls: Option<TlsFiles>,
    /// The URL devices enrol with (`serve --public-url`); without it, the scheme and host the
    /// admin reached the dashboard on.
    pub public_url: Option<String>,
    /// A map tile URL template for the dashboard (`serve --map-tile-url`); none by default.
    pub map_tile_url: Option<String>,
    /// Connections one client address may hold open; `None` behind a proxy.
    pub connections_per_address: Option<usize>,
    /// A proxy in front terminates TLS (`serve --plain-http-behind-proxy`): the client's
    /// address is the last one in `X-Forwarded-For`.
    pub behind_proxy: bool,
}

/// A PEM certificate chain and its PEM private key.
#[derive(Debug, Clone)]
pub struct TlsFiles {
    pub certificate_chain: PathBuf,
    pub private_key: PathBuf,
}
