//! Shared test fixtures: entries and records as a device would send them, enrolment, and a
//! throwaway PostgreSQL cluster.
#![allow(dead_code)]

pub mod postgres;
pub mod process;

use chrono::{DateTime, Duration, Utc};
use county_server::secrets::{enrolment_code_hash, new_device_token, sha256_hex};
use county_server::storage::{AuthenticatedDevice, NewDevice, Post};
use county_server::SharedStorage;
use patrol_model::sync::{changed_fields, Hlc, PullRequest, SyncRecord, SyncRequest};
use patrol_model::{DeviceId, EntryId};
use serde_json::{json, Value};
use uuid::Uuid;

/// A valid hazard entry as a device stores it.
pub fn hazard(id: EntryId, device: DeviceId, severity: &str, description: &str) -> Value {
    hazard_at(
        id,
        device,
        severity,
        description,
        "2024-03-02T09:00:00+08:00",
    )
}

pub fn hazard_at(
    id: EntryId,
    device: DeviceId,
    severity: &str,
    description: &str,
    occurred_at: &str,
) -> Value {
    json!({"id": id, "device_id": device, "kind": "hazard", "occurred_at": occurred_at,
           "location": {"lat": 23.6251, "lon": 105.6312}, "author": "李国华",
           "body": {"category": "fence", "severity": severity, "description": description},
           "photos": [], "status": "open", "revision": 1,
           "created_at": "2026-11-29T04:31:02.100Z", "updated_at": "2026-11-29T04:31:02.100Z",
           "deleted": false})
}

/// A record of `entry` at clock `wall_ms`; `previous` gives the changed fields (all when None).
pub fn record(
    seq: u64,
    device: DeviceId,
    wall_ms: i64,
    previous: Option<&Value>,
    entry: &Value,
) -> SyncRecord {
    let entry_id = entry["id"]
        .as_str()
        .and_then(|id| id.parse().ok())
        .unwrap_or(EntryId(Uuid::nil()));
    SyncRecord {
        seq,
        record_id: Uuid::now_v7(),
        entry_id,
        change: if previous.is_some() { "edit" } else { "create" }.to_string(),
        hlc: Hlc {
            wall_ms,
            counter: 0,
            device,
        },
        changed_fields: Some(changed_fields(previous, entry)),
        entry: entry.clone(),
    }
}

pub fn request(records: Vec<SyncRecord>, pull: Option<(&str, u32)>) -> SyncRequest {
    request_at(Utc::now(), records, pull)
}

pub fn request_at(
    device_time: DateTime<Utc>,
    records: Vec<SyncRecord>,
    pull: Option<(&str, u32)>,
) -> SyncRequest {
    SyncRequest {
        protocol: 1,
        device_time,
        records,
        pull: pull.map(|(cursor, limit)| PullRequest {
            cursor: (!cursor.is_empty()).then(|| cursor.to_string()),
            limit: Some(limit),
        }),
    }
}

/// Makes a one-time code for `post`, valid for `valid_for`; returns the code.
pub async fn make_code(storage: &SharedStorage, post: &Post, valid_for: Duration) -> String {
    let code = county_server::secrets::new_enrolment_code().unwrap();
    let expires = (Utc::now() + valid_for).timestamp_millis();
    storage
        .create_enrolment_code(
            post.id,
            &enrolment_code_hash(&code),
            expires,
            &county_server::audit::Actor::cli(),
        )
        .await
        .unwrap();
    code
}

/// Enrols a new device in `post`; returns it and its token.
pub async fn enrol(storage: &SharedStorage, post: &Post) -> (AuthenticatedDevice, String) {
    let code = make_code(storage, post, Duration::hours(24)).await;
    let token = new_device_token().unwrap();
    let device_id = DeviceId::new_v7();
    storage
        .enrol_device(NewDevice {
            code_sha256: enrolment_code_hash(&code),
            device_id,
            label: "测试手机".into(),
            token_sha256: sha256_hex(&token),
            now_ms: Utc::now().timestamp_millis(),
        })
        .await
        .unwrap();
    let device = storage
        .authenticate(&sha256_hex(&token))
        .await
        .unwrap()
        .expect("the new token authenticates");
    (device, token)
}
