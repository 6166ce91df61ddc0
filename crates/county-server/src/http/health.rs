//! `GET /healthz`: what a device probes before syncing.

use axum::Json;
use patrol_model::sync::PROTOCOL_VERSION;
use serde_json::{json, Value};

#[utoipa::path(get, path = "/healthz", tag = "device",
    summary = "What a device probes before syncing: {\"status\": \"ok\", \"protocol\": 1}",
    responses((status = 200, description = "the server is up", body = Object)))]
pub async fn healthz() -> Json<Value> {
    Json(json!({"status": "ok", "protocol": PROTOCOL_VERSION}))
}
