//! `county-server` owns the county side of Patrol Log (巡防日志): the HTTP API devices sync
//! with (`/healthz`, enrolment, `POST /api/v1/sync`, resumable photo upload), device tokens and
//! enrolment codes, admin accounts, and the county's copy of every post's entries, behind one
//! storage trait with an embedded SQLite backend (default) and a PostgreSQL one.
//!
//! The sync rules of `docs/sync-protocol.md` live once in [`sync`]; the backends only run SQL.
//! What an entry is, how it validates and how two versions merge is `patrol-model`'s; this
//! crate never re-implements it. It leaves out the device side (`patrol-device`) and, for now,
//! the county dashboard and TLS termination.

pub mod audit;
pub mod demo;
pub mod error;
pub mod export;
pub mod http;
pub mod photos;
pub mod private_files;
pub mod report;
pub mod secrets;
pub mod spreadsheet;
pub mod storage;
pub mod sync;

pub use error::{EnrolError, ServerError, StorageError, SyncError};
pub use storage::{open_storage, CountyStorage, SharedStorage};

use std::future::Future;
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
}

/// A PEM certificate chain and its PEM private key.
#[derive(Debug, Clone)]
pub struct TlsFiles {
    pub certificate_chain: PathBuf,
    pub private_key: PathBuf,
}

/// How long a graceful shutdown waits for requests in flight.
const SHUTDOWN_GRACE: std::time::Duration = std::time::Duration::from_secs(30);

/// Serves the API on `listener` until `shutdown` completes, then finishes the requests in
/// flight and returns. Used by the binary and by the tests (on port 0).
pub async fn launch(
    listener: tokio::net::TcpListener,
    settings: ServerSettings,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), ServerError> {
    let photos = photos::PhotoStore::open(&settings.data_dir).await?;
    photos.adopt_legacy_files(settings.storage.as_ref()).await?;
    let dashboard = http::admin::DashboardSettings {
        served_over_tls: settings.tls.is_some(),
        public_url: settings.public_url.clone(),
        map_tile_url: settings.map_tile_url.clone(),
    };
    let state = http::AppState::new(settings.storage, photos, dashboard);
    let router = http::app(state);
    if let Ok(address) = listener.local_addr() {
        tracing::info!(%address, "county server listening");
    }
    match settings.tls {
        None => {
            axum::serve(
                listener,
                router.into_make_service_with_connect_info::<std::net::SocketAddr>(),
            )
            .with_graceful_shutdown(shutdown)
            .await?
        }
        Some(files) => {
            restrict_key_file(&files.private_key);
            let config = axum_server::tls_rustls::RustlsConfig::from_pem_file(
                &files.certificate_chain,
                &files.private_key,
            )
            .await
            .map_err(|error| ServerError::Tls {
                files: files.clone(),
                reason: error.to_string(),
            })?;
            let handle = axum_server::Handle::new();
            let stopper = handle.clone();
            tokio::spawn(async move {
                shutdown.await;
                stopper.graceful_shutdown(Some(SHUTDOWN_GRACE));
            });
            axum_server::from_tcp_rustls(listener.into_std()?, config)?
                .handle(handle)
                .serve(router.into_make_service_with_connect_info::<std::net::SocketAddr>())
                .await?
        }
    }
    tracing::info!("county server stopped");
    Ok(())
}

/// Makes the TLS private key `0600` when others could read it (a key the server cannot change
/// is only warned about).
fn restrict_key_file(key: &std::path::Path) {
    match private_files::restrict_file(key) {
        Ok(false) => {}
        Ok(true) => {
            tracing::warn!(key = %key.display(), "others could read the TLS key: made it 0600")
        }
        Err(error) => {
            tracing::warn!(key = %key.display(), %error, "could not make the TLS key 0600")
        }
    }
}
