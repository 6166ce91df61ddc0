//! `Authorization: Bearer pl1_…`: which device is asking ([`DeviceAuth`], an extractor that
//! runs before the body is read). Unknown or revoked is a 401; a device the county ordered to
//! wipe its data gets the 401 `wipe_ordered`, and only [`DeviceToWipe`] (its wipe report)
//! still accepts its token.

use super::error::ApiError;
use super::AppState;
use crate::secrets::sha256_hex;
use crate::storage::{AuthenticatedDevice, DeviceStanding};
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, StatusCode};
use patrol_model::sync::WIPE_ORDERED_ERROR;

/// A request of an enrolled, not revoked device.
#[derive(Debug, Clone, Copy)]
pub struct DeviceAuth(pub AuthenticatedDevice);

impl FromRequestParts<AppState> for DeviceAuth {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let device = authenticate(state, &parts.headers).await?;
        match device.standing {
            DeviceStanding::Active => Ok(DeviceAuth(device)),
            DeviceStanding::WipeOrdered => Err(ApiError::new(
                StatusCode::UNAUTHORIZED,
                WIPE_ORDERED_ERROR,
                "this device was revoked and its data is to be wiped: delete the store and photos, then POST /api/v1/device/wiped",
                "本设备已被县边防办停用,并要求清除本机数据",
            )),
            DeviceStanding::Revoked | DeviceStanding::Wiped => Err(ApiError::unauthorized(
                "this device was revoked",
                "本设备已被停用,请联系县边防办",
            )),
        }
    }
}

/// A device the county ordered to wipe its data (or that has already reported doing so: a
/// report sent twice is answered the same).
#[derive(Debug, Clone, Copy)]
pub struct DeviceToWipe(pub AuthenticatedDevice);

impl FromRequestParts<AppState> for DeviceToWipe {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let device = authenticate(state, &parts.headers).await?;
        match device.standing {
            DeviceStanding::WipeOrdered | DeviceStanding::Wiped => Ok(DeviceToWipe(device)),
            DeviceStanding::Active | DeviceStanding::Revoked => Err(ApiError::new(
                StatusCode::CONFLICT,
                "no_wipe_ordered",
                "the county has not ordered this device's data wiped",
                "县边防办没有要求清除本设备的数据",
            )),
        }
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
                "缺少设备令牌,请先登记本设备",
            )
        })?;
    state
        .storage
        .authenticate(&sha256_hex(token))
        .await?
        .ok_or_else(|| {
            ApiError::unauthorized("unknown device token", "设备令牌无效,请重新登记本设备")
        })
}
