//! `Authorization: Bearer pl1_…`: which device is asking ([`DeviceAuth`], an extractor that
//! runs before the body is read). Unknown or revoked is a 401.

use super::error::ApiError;
use super::AppState;
use crate::secrets::sha256_hex;
use crate::storage::AuthenticatedDevice;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{header, HeaderMap};

/// A request of an enrolled, not revoked device.
#[derive(Debug, Clone, Copy)]
pub struct DeviceAuth(pub AuthenticatedDevice);

impl FromRequestParts<AppState> for DeviceAuth {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        authenticate(state, &parts.headers).await.map(DeviceAuth)
    }
}

async fn authenticate(
    state: &AppState,
    headers: &HeaderMap,
) -> Result<AuthenticatedDevice, ApiError> {
    let token = headers
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.strip_prefix("Bearer "))
        .map(str::trim)
        .filter(|token| !token.is_empty())
        .ok_or_else(|| {
            ApiError::unauthorized(
                "a device token is required: Authorization: Bearer <token>",
                "缺少设备令牌,请先注册本设备",
            )
        })?;
    match state.storage.authenticate(&sha256_hex(token)).await? {
        Some(device) if !device.revoked => Ok(device),
        Some(_) => Err(ApiError::unauthorized(
            "this device was revoked",
            "本设备已被停用,请联系县边防办",
        )),
        None => Err(ApiError::unauthorized(
            "unknown device token",
            "设备令牌无效,请重新注册本设备",
        )),
    }
}
