//! Serving the county server's router on a TCP listener, plain HTTP or HTTPS (rustls), both
//! through axum-server: hyper's header-read timeout (which also ends keep-alive connections
//! left idle), HTTP/2 keep-alive pings, a bound on open connections ([`connections`]), the
//! client's address for the handlers, and a shutdown that waits at most [`SHUTDOWN_GRACE`]
//! for requests in flight, then closes what is left.

pub mod connections;

use crate::{ServerError, ServerSettings};
use axum_server::Handle;
use connections::{ConnectionLimiter, ConnectionLimits};
use hyper_util::rt::{TokioExecutor, TokioTimer};
use hyper_util::server::conn::auto::Builder;
use std::future::Future;
use std::net::SocketAddr;
use std::time::Duration;

/// How long a graceful shutdown waits for requests in flight.
pub const SHUTDOWN_GRACE: Duration = Duration::from_secs(30);
/// A request's headers must arrive within this, and a kept-alive connection that sends no
/// next request within this is closed.
pub const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(30);
/// Connections one client address may hold open (not applied behind a proxy).
pub const CONNECTIONS_PER_ADDRESS: usize = 64;

/// Serves the API on `listener` until `shutdown` completes, then finishes the requests in
/// flight (for at most [`SHUTDOWN_GRACE`]) and returns. Used by the binary and by the tests
/// (on port 0).
pub async fn launch(
    listener: tokio::net::TcpListener,
    settings: ServerSettings,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), ServerError> {
    let limits = ConnectionLimits::for_this_process(settings.connections_per_address);
    let tls = settings.tls.clone();
    let router = crate::http::app(crate::http::AppState::open(&settings).await?);
    if let Ok(address) = listener.local_addr() {
        tracing::info!(%address, connections = limits.total, "county server listening");
    }
    let handle = Handle::new();
    let stopper = handle.clone();
    tokio::spawn(async move {
        shutdown.await;
        tracing::info!("stopping: finishing the requests in flight");
        stopper.graceful_shutdown(Some(SHUTDOWN_GRACE));
    });
    let limiter = ConnectionLimiter::new(limits);
    let listener = listener.into_std()?;
    match tls {
        None => {
            let mut server = axum_server::from_tcp(listener)?
                .acceptor(limiter)
                .handle(handle);
            configure_connections(server.http_builder());
            server
                .serve(router.into_make_service_with_connect_info::<SocketAddr>())
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
            let mut server = axum_server::from_tcp_rustls(listener, config)?
                .map(|tls| tls.acceptor(limiter))
                .handle(handle);
            configure_connections(server.http_builder());
            server
                .serve(router.into_make_service_with_connect_info::<SocketAddr>())
                .await?
        }
    }
    tracing::info!("county server stopped");
    Ok(())
}

/// Timeouts and bounds of each connection, HTTP/1.1 and HTTP/2.
fn configure_connections(builder: &mut Builder<TokioExecutor>) {
    builder
        .http1()
        .timer(TokioTimer::new())
        .header_read_timeout(HEADER_READ_TIMEOUT);
    builder
        .http2()
        .timer(TokioTimer::new())
        .max_concurrent_streams(64)
        .keep_alive_interval(Duration::from_secs(30))
        .keep_alive_timeout(Duration::from_secs(20));
}

/// Makes the TLS private key `0600` when others could read it (a key the server cannot change
/// is only warned about).
fn restrict_key_file(key: &std::path::Path) {
    match crate::private_files::restrict_file(key) {
        Ok(false) => {}
        Ok(true) => {
            tracing::warn!(key = %key.display(), "others could read the TLS key: made it 0600")
        }
        Err(error) => {
            tracing::warn!(key = %key.display(), %error, "could not make the TLS key 0600")
        }
    }
}
