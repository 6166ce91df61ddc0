//! A bound on open connections: in all (below the process's file limit, so `accept` keeps
//! working and `/healthz` answers under a flood) and per client address (so one address
//! cannot take them all). A connection over either bound is closed at once; the permit is
//! given back when the connection ends, however it ends.

use axum_server::accept::Accept;
use std::collections::HashMap;
use std::future::{ready, Ready};
use std::io;
use std::net::IpAddr;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// File descriptors kept for everything but client connections (database, photos, logs).
const DESCRIPTORS_KEPT: u64 = 256;
/// The most connections served at once, whatever the file limit.
const MOST_CONNECTIONS: u64 = 16_384;

/// How many connections may be open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConnectionLimits {
    pub total: usize,
    /// `None` behind a proxy (every connection comes from the proxy's address).
    pub per_address: Option<usize>,
}

impl ConnectionLimits {
    /// The limits for a process whose open-file limit is `file_limit`.
    pub fn for_file_limit(file_limit: u64, per_address: Option<usize>) -> Self {
        let total = file_limit
            .saturating_sub(DESCRIPTORS_KEPT)
            .clamp(16, MOST_CONNECTIONS);
        Self {
            total: total as usize,
            per_address,
        }
    }

    /// Raises this process's open-file limit as far as allowed, and sizes the limits to it.
    pub fn for_this_process(per_address: Option<usize>) -> Self {
        let file_limit = rlimit::increase_nofile_limit(u64::MAX).unwrap_or(1024);
        Self::for_file_limit(file_limit, per_address)
    }
}

/// An `axum_server` acceptor that holds one permit per open connection.
#[derive(Clone)]
pub struct ConnectionLimiter {
    limits: ConnectionLimits,
    open: Arc<Semaphore>,
    per_address: Arc<Mutex<HashMap<IpAddr, usize>>>,
}

impl ConnectionLimiter {
    pub fn new(limits: ConnectionLimits) -> Self {
        Self {
            limits,
            open: Arc::new(Semaphore::new(limits.total)),
            per_address: Arc::default(),
        }
    }

    /// A permit for a connection from `address`, or why not.
    fn admit(&self, address: Option<IpAddr>) -> io::Result<ConnectionPermit> {
        let total = self
            .open
            .clone()
            .try_acquire_owned()
            .map_err(|_| refused(format!("{} connections are open", self.limits.total)))?;
        let address = match (address, self.limits.per_address) {
            (Some(address), Some(most)) => {
                let mut counts = self.per_address.lock().unwrap_or_else(|p| p.into_inner());
                let count = counts.entry(address).or_default();
                if *count >= most {
                    return Err(refused(format!("{most} connections of {address} are open")));
                }
                *count += 1;
                Some(address)
            }
            _ => None,
        };
        Ok(ConnectionPermit {
            _total: total,
            address,
            per_address: self.per_address.clone(),
        })
    }
}

fn refused(reason: String) -> io::Error {
    tracing::debug!(%reason, "connection refused");
    io::Error::other(reason)
}

impl<S> Accept<TcpStream, S> for ConnectionLimiter {
    type Stream = LimitedStream;
    type Service = S;
    type Future = Ready<io::Result<(LimitedStream, S)>>;

    fn accept(&self, stream: TcpStream, service: S) -> Self::Future {
        let address = stream.peer_addr().ok().map(|peer| peer.ip());
        ready(self.admit(address).map(|permit| {
            let _ = stream.set_nodelay(true);
            (
                LimitedStream {
                    stream,
                    _permit: permit,
                },
                service,
            )
        }))
    }
}

/// One connection's share of the limits, given back on drop.
struct ConnectionPermit {
    _total: OwnedSemaphorePermit,
    address: Option<IpAddr>,
    per_address: Arc<Mutex<HashMap<IpAddr, usize>>>,
}

impl Drop for ConnectionPermit {
    fn drop(&mut self) {
        let Some(address) = self.address else { return };
        let mut counts = self.per_address.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(count) = counts.get_mut(&address) {
            *count -= 1;
            if *count == 0 {
                counts.remove(&address);
            }
        }
    }
}

/// A client connection holding its permit.
pub struct LimitedStream {
    stream: TcpStream,
    _permit: ConnectionPermit,
}

impl AsyncRead for LimitedStream {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_read(cx, buf)
    }
}

impl AsyncWrite for LimitedStream {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.stream).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_shutdown(cx)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.stream).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.stream.is_write_vectored()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_total_stays_below_the_file_limit() {
        assert_eq!(ConnectionLimits::for_file_limit(1024, None).total, 768);
        assert_eq!(ConnectionLimits::for_file_limit(100, None).total, 16);
        assert_eq!(
            ConnectionLimits::for_file_limit(1 << 20, None).total,
            MOST_CONNECTIONS as usize
        );
    }

    #[test]
    fn an_address_gets_its_permits_back_when_its_connections_end() {
        let limiter = ConnectionLimiter::new(ConnectionLimits {
            total: 3,
            per_address: Some(2),
        });
        let one: IpAddr = "10.0.0.1".parse().unwrap();
        let other: IpAddr = "10.0.0.2".parse().unwrap();
        let first = limiter.admit(Some(one)).unwrap();
        let _second = limiter.admit(Some(one)).unwrap();
        assert!(limiter.admit(Some(one)).is_err(), "a third of one address");
        let _third = limiter.admit(Some(other)).unwrap();
        assert!(limiter.admit(Some(other)).is_err(), "over the total");
        drop(first);
        assert!(limiter.admit(Some(one)).is_ok());
    }
}
