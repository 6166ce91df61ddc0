//! `GET /healthz`: what a device probes before syncing.

use axum::Json;
use patrol_model::sync::PROTOCOL_VERSION;
use serde_json::{json, Value};

pub async fn healthz() -> Json<Value> {
    Json(json!({"status": "ok", "protocol": PROTOCOL_VERSION}))
}
