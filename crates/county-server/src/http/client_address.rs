//! [`ClientAddress`]: the address a request came from — the TCP peer, or behind a TLS proxy
//! (`serve --plain-http-behind-proxy`) the last address the proxy added to `X-Forwarded-For`.

use super::error::ApiError;
use super::AppState;
use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};

/// Where a request came from, as far as this server can tell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientAddress(pub IpAddr);

impl FromRequestParts<AppState> for ClientAddress {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        // Served without connect info (a router driven directly in a test): 0.0.0.0.
        let address = client_address_of(parts, state.edge.behind_proxy);
        Ok(ClientAddress(
            address.unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED)),
        ))
    }
}

/// The client's address: behind a proxy the last `X-Forwarded-For` hop, else the TCP peer;
/// `None` without connection info.
pub fn client_address_of(parts: &Parts, behind_proxy: bool) -> Option<IpAddr> {
    let peer = parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(address)| address.ip());
    if !behind_proxy {
        return peer;
    }
    let forwarded = parts
        .headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|text| text.split(','))
        .filter_map(|item| item.trim().parse::<IpAddr>().ok())
        .next_back();
    forwarded.or(peer)
}
