//! The demo's devices on the wire, as the device client talks to the county server: enrolment
//! with a one-time code (`POST /api/v1/enroll`), then `POST /api/v1/sync` with compact records
//! in zstd bodies, push batches of a backlog and a pull of the post's changes.

use super::device_log::DeviceLog;
use super::DemoError;
use chrono::Utc;
use patrol_model::sync::{
    EnrolRequest, EnrolResponse, PullRequest, SyncRecord, SyncRequest, SyncResponse,
    PROTOCOL_VERSION,
};
use reqwest::header::{ACCEPT_ENCODING, AUTHORIZATION, CONTENT_ENCODING, CONTENT_TYPE};
use serde::de::DeserializeOwned;

/// Most records in one request (a batch of a backlog).
const MAX_RECORDS_PER_REQUEST: usize = 200;
/// zstd level of a small body and of a batch, as the device client uses them.
const ZSTD_LEVEL: i32 = 3;
const ZSTD_LEVEL_BATCH: i32 = 7;
const BATCH_BODY_BYTES: usize = 64 * 1024;
/// Changes pulled per request.
const PULL_LIMIT: u32 = 500;

/// What crossed the wire.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WireTotals {
    pub requests: u64,
    pub bytes_up: u64,
    pub bytes_down: u64,
    pub pulled: u64,
}

impl std::ops::AddAssign for WireTotals {
    fn add_assign(&mut self, other: WireTotals) {
        self.requests += other.requests;
        self.bytes_up += other.bytes_up;
        self.bytes_down += other.bytes_down;
        self.pulled += other.pulled;
    }
}

/// A device as the server knows it after enrolment.
#[derive(Debug, Clone)]
pub struct EnrolledDevice {
    pub token: String,
    /// The last `next_cursor` of a pull.
    pub cursor: Option<String>,
}

/// Talks to one county server.
#[derive(Debug, Clone)]
pub struct DemoClient {
    http: reqwest::Client,
    base_url: String,
}

impl DemoClient {
    pub fn new(base_url: &str) -> Result<DemoClient, DemoError> {
        let http = reqwest::Client::builder()
            .timeout(std::time::Duration::from_secs(300))
            .build()
            .map_err(|error| DemoError::Http(error.to_string()))?;
        Ok(DemoClient {
            http,
            base_url: base_url.trim_end_matches('/').to_string(),
        })
    }

    /// Trades `code` for the device's token.
    pub async fn enrol(&self, log: &DeviceLog, code: &str) -> Result<EnrolledDevice, DemoError> {
        let request = EnrolRequest {
            code: code.to_string(),
            device_id: log.device_id,
            label: log.label.clone(),
        };
        let (answer, _): (EnrolResponse, _) =
            self.post_json("/api/v1/enroll", None, &request).await?;
        if answer.device_id != log.device_id {
            return Err(DemoError::Protocol(format!(
                "enrolment answered for device {} instead of {}",
                answer.device_id, log.device_id
            )));
        }
        Ok(EnrolledDevice {
            token: answer.device_token,
            cursor: None,
        })
    }

    /// Pushes `records` (in seq order) in batches, then, with `pull`, pulls the post's changes
    /// until there are no more. Every record must be acknowledged and none rejected.
    pub async fn sync(
        &self,
        device: &mut EnrolledDevice,
        label: &str,
        records: Vec<SyncRecord>,
        pull: bool,
    ) -> Result<WireTotals, DemoError> {
        let mut totals = WireTotals::default();
        let mut batches: Vec<Vec<SyncRecord>> = Vec::new();
        let mut records = records.into_iter().peekable();
        while records.peek().is_some() {
            batches.push(records.by_ref().take(MAX_RECORDS_PER_REQUEST).collect());
        }
        let last_batch = batches.len().saturating_sub(1);
        let mut pulling = pull && batches.is_empty();
        for (index, batch) in batches.into_iter().enumerate() {
            let with_pull = pull && index == last_batch;
            let highest = batch.last().map_or(0, |record| record.seq);
            let answer = self.send(device, batch, with_pull, &mut totals).await?;
            if let Some(rejection) = answer.rejected.first() {
                return Err(DemoError::Rejected {
                    device: label.to_string(),
                    seq: rejection.seq,
                    problems: rejection
                        .problems
                        .iter()
                        .map(|problem| format!("{}: {}", problem.field, problem.message_en))
                        .collect::<Vec<_>>()
                        .join("; "),
                });
            }
            if answer.acknowledged_through < highest {
                return Err(DemoError::Protocol(format!(
                    "{label}: acknowledged through {} after sending up to {highest}",
                    answer.acknowledged_through
                )));
            }
            pulling = with_pull && answer.more_changes;
        }
        while pulling {
            let answer = self.send(device, Vec::new(), true, &mut totals).await?;
            pulling = answer.more_changes;
        }
        Ok(totals)
    }

    async fn send(
        &self,
        device: &mut EnrolledDevice,
        records: Vec<SyncRecord>,
        pull: bool,
        totals: &mut WireTotals,
    ) -> Result<SyncResponse, DemoError> {
        let request = SyncRequest {
            protocol: PROTOCOL_VERSION,
            device_time: Utc::now(),
            records,
            pull: pull.then(|| PullRequest {
                cursor: device.cursor.clone(),
                limit: Some(PULL_LIMIT),
            }),
        };
        let (answer, (up, down)): (SyncResponse, _) = self
            .post_json("/api/v1/sync", Some(&device.token), &request.into_wire())
            .await?;
        totals.requests += 1;
        totals.bytes_up += up;
        totals.bytes_down += down;
        totals.pulled += answer.changes.len() as u64;
        if pull {
            if let Some(cursor) = &answer.next_cursor {
                device.cursor = Some(cursor.clone());
            }
        }
        Ok(answer)
    }

    async fn post_json<Q: serde::Serialize, A: DeserializeOwned>(
        &self,
        path: &str,
        token: Option<&str>,
        request: &Q,
    ) -> Result<(A, (u64, u64)), DemoError> {
        let json = serde_json::to_vec(request)
            .map_err(|error| DemoError::Protocol(format!("request does not serialize: {error}")))?;
        let level = if json.len() >= BATCH_BODY_BYTES {
            ZSTD_LEVEL_BATCH
        } else {
            ZSTD_LEVEL
        };
        let body = zstd::bulk::compress(&json, level)?;
        let bytes_up = body.len() as u64;
        let mut builder = self
            .http
            .post(format!("{}{path}", self.base_url))
            .header(CONTENT_TYPE, "application/json")
            .header(CONTENT_ENCODING, "zstd")
            .header(ACCEPT_ENCODING, "zstd, gzip");
        if let Some(token) = token {
            builder = builder.header(AUTHORIZATION, format!("Bearer {token}"));
        }
        let response = builder
            .body(body)
            .send()
            .await
            .map_err(|error| DemoError::Http(format!("{path}: {error}")))?;
        let status = response.status();
        let headers = response.headers().clone();
        let raw = response
            .bytes()
            .await
            .map_err(|error| DemoError::Http(format!("{path}: {error}")))?;
        let bytes_down = raw.len() as u64;
        let decoded = decode_answer(&headers, &raw).map_err(|error| {
            DemoError::Protocol(format!(
                "{path} answered a body that does not decode: {error}"
            ))
        })?;
        if !status.is_success() {
            return Err(DemoError::Refused {
                path: path.to_string(),
                status: status.as_u16(),
                body: String::from_utf8_lossy(&decoded).into_owned(),
            });
        }
        let answer = serde_json::from_slice(&decoded).map_err(|error| {
            DemoError::Protocol(format!("{path} answered JSON that does not parse: {error}"))
        })?;
        Ok((answer, (bytes_up, bytes_down)))
    }
}

/// Undoes an answer's `Content-Encoding` (zstd or gzip, as the server compresses).
fn decode_answer(headers: &reqwest::header::HeaderMap, raw: &[u8]) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let encoding = headers
        .get(CONTENT_ENCODING)
        .and_then(|value| value.to_str().ok())
        .unwrap_or("identity");
    let mut decoded = Vec::new();
    match encoding {
        "zstd" => zstd::stream::read::Decoder::new(raw)?.read_to_end(&mut decoded)?,
        "gzip" => flate2::read::GzDecoder::new(raw).read_to_end(&mut decoded)?,
        _ => return Ok(raw.to_vec()),
    };
    Ok(decoded)
}
