//! `GET /api/v1/admin/map`: patrol tracks and located entries as a GeoJSON FeatureCollection.

use super::auth::AdminSession;
use super::input::QueryFields;
use crate::http::error::ApiError;
use crate::http::openapi::ApiErrorSchema;
use crate::http::AppState;
use crate::map::{thin_tracks_for_zoom, MAX_THINNING_ZOOM};
use crate::storage::dashboard::MapFilter;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use patrol_model::{EntryKind, PostId};

#[utoipa::path(get, path = "/api/v1/admin/map", tag = "admin",
    summary = "GeoJSON FeatureCollection: patrols as LineString ([lon, lat]), other located entries as Point; at most 20,000 (the newest), \"truncated\": true when cut",
    params(
        ("post" = Option<String>, Query, description = "a post id"),
        ("from" = Option<String>, Query, description = "first local day, YYYY-MM-DD"),
        ("to" = Option<String>, Query, description = "last local day, YYYY-MM-DD"),
        ("kind" = Option<String>, Query, description = "an entry kind"),
        ("zoom" = Option<u8>, Query, description = "0–18: tracks are thinned to about one screen pixel at this map zoom (Ramer–Douglas–Peucker); none: every point"),
    ),
    responses(
        (status = 200, description = "a GeoJSON FeatureCollection; properties: id, kind, category, title_zh, status, occurred_at, post_name",
         body = Object, content_type = "application/json"),
        (status = 400, body = ApiErrorSchema, description = "a bad query value; names the field"),
        (status = 401, body = ApiErrorSchema, description = "no session, or it expired"),
    ))]
pub async fn map(
    State(state): State<AppState>,
    _session: AdminSession,
    query: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> Result<Response, ApiError> {
    let query = QueryFields::read(query, &["post", "from", "to", "kind", "zoom"])?;
    let (from_day, to_day) = query.day_range()?;
    let filter = MapFilter {
        post_id: query.parsed::<PostId>("post", "a post id (UUID)", "联防所编号")?,
        kind: query.code::<EntryKind>("kind")?,
        from_day,
        to_day,
    };
    let zoom = query.number_in("zoom", 0..=i64::from(MAX_THINNING_ZOOM))?;
    let mut features = state.storage.map_features(filter).await?;
    if let Some(zoom) = zoom {
        thin_tracks_for_zoom(&mut features, zoom as u8);
    }
    Ok(axum::Json(features.to_geojson()).into_response())
}
