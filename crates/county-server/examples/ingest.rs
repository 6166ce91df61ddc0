//! Rough ingest rate of the SQLite backend: one sync request of N new entries (default 10,000),
//! parsed from JSON and applied in one transaction. Not a test; run it in release:
//! `cargo run --release -p county-server --example ingest -- 10000`

use chrono::Utc;
use county_server::secrets::{enrolment_code_hash, new_device_token, sha256_hex};
use county_server::storage::NewDevice;
use patrol_model::sync::{Hlc, SyncRecord, SyncRequest, WireSyncRequest};
use patrol_model::{DeviceId, EntryId};
use serde_json::json;
use std::time::Instant;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let count: u64 = std::env::args()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .unwrap_or(10_000);
    let dir = tempfile::tempdir()?;
    let storage =
        county_server::open_storage(&dir.path().join("ingest.sqlite3").display().to_string())
            .await?;
    let post = storage
        .create_post("bench", &county_server::audit::Actor::cli())
        .await?;
    let code = "BENCH-CODE";
    storage
        .create_enrolment_code(
            post.id,
            &enrolment_code_hash(code),
            i64::MAX,
            &county_server::audit::Actor::cli(),
        )
        .await?;
    let token = new_device_token()?;
    let device_id = DeviceId::new_v7();
    storage
        .enrol_device(NewDevice {
            code_sha256: enrolment_code_hash(code),
            device_id,
            label: "bench".into(),
            token_sha256: sha256_hex(&token),
            now_ms: Utc::now().timestamp_millis(),
        })
        .await?;
    let device = storage
        .authenticate(&sha256_hex(&token))
        .await?
        .ok_or("enrolled device not found")?;
    let records: Vec<SyncRecord> = (1..=count)
        .map(|seq| {
            let id = EntryId::new_v7();
            let entry = json!({"id": id, "device_id": device_id, "kind": "hazard",
                "occurred_at": "2024-03-02T09:00:00+08:00", "location": {"lat": 23.6251, "lon": 105.6312},
                "author": "李国华", "body": {"category": "fence", "severity": "high",
                "description": format!("铁网被洪水冲毁约{seq}米")}, "photos": [], "status": "open",
                "revision": 1, "created_at": "2026-11-29T04:31:02.100Z",
                "updated_at": "2026-11-29T04:31:02.100Z", "deleted": false});
            SyncRecord {
                seq,
                record_id: id.0,
                entry_id: id,
                change: "create".into(),
                hlc: Hlc { wall_ms: seq as i64, counter: 0, device: device_id },
                changed_fields: None,
                entry,
            }
        })
        .collect();
    let request = SyncRequest {
        protocol: 1,
        device_time: Utc::now(),
        records,
        pull: None,
    };
    validation_only(&request.records);
    let body = serde_json::to_vec(&request.into_wire())?;
    let started = Instant::now();
    let wire: WireSyncRequest = serde_json::from_slice(&body)?;
    let parsed = SyncRequest::from_wire(wire, device_id)?;
    let parse_time = started.elapsed();
    let answer = storage.sync(device, parsed, Utc::now()).await?;
    let elapsed = started.elapsed();
    println!(
        "parse {:.3} s, apply {:.3} s",
        parse_time.as_secs_f64(),
        (elapsed - parse_time).as_secs_f64()
    );
    assert_eq!(answer.acknowledged_through, count);
    println!(
        "{count} records ({} KiB JSON) parsed and applied in {:.3} s: {:.0} entries/s",
        body.len() / 1024,
        elapsed.as_secs_f64(),
        count as f64 / elapsed.as_secs_f64()
    );
    Ok(())
}

#[allow(dead_code)]
fn validation_only(records: &[SyncRecord]) {
    let started = Instant::now();
    for record in records {
        let mut entry = record.entry.clone();
        patrol_model::sync::complete_wire_entry(&mut entry, &record.hlc, None);
        let _ = patrol_model::sync::entry_from_wire(&entry);
    }
    println!(
        "entry_from_wire alone: {:.3} s",
        started.elapsed().as_secs_f64()
    );
}
