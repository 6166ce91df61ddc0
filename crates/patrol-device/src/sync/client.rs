//! HTTP to the county server: JSON bodies compressed with zstd, errors turned into
//! [`DeviceError`]s a member can read, and the bytes each request moved.

use crate::error::DeviceError;
use patrol_model::sync::{
    ApiErrorBody, EnrolRequest, EnrolResponse, SyncResponse, WireSyncRequest,
};
use reqwest::header::{HeaderMap, ACCEPT_ENCODING, AUTHORIZATION, CONTENT_ENCODING, CONTENT_TYPE};
use reqwest::StatusCode;
use serde::de::DeserializeOwned;
use std::io::Read;
use std::time::Duration;

/// Largest answer accepted once decompressed.
const MAX_RESPONSE_BYTES: u64 = 64 * 1024 * 1024;
/// zstd level of a small body: fast on a cheap phone, still about 6× on entry JSON.
const ZSTD_LEVEL: i32 = 3;
/// zstd level of a batch of a backlog: about 20% fewer bytes than level 3 for about 5× the
/// CPU (some 80 ms per 4 MB of JSON), worth it on a slow link.
const ZSTD_LEVEL_BATCH: i32 = 7;
/// Bodies of at least this much JSON are batches.
const BATCH_BODY_BYTES: usize = 64 * 1024;

/// Bytes moved by one request, as sent and received on the wire (compressed bodies).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Transfer {
    pub bytes_up: u64,
    pub bytes_down: u64,
}

#[derive(Debug, Clone)]
pub struct SyncClient {
    http: reqwest::Client,
    base_url: String,
}

impl SyncClient {
    pub fn new(server_url: &str) -> Result<Self, DeviceError> {
        let base_url = server_url.trim().trim_end_matches('/').to_string();
        if !(base_url.starts_with("http://") || base_url.starts_with("https://")) {
            return Err(DeviceError::invalid_field(
                "server_url",
                format!("服务器地址“{server_url}”应以 http:// 或 https:// 开头"),
                "the server address must start with http:// or https://",
            ));
        }
        let http = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(10))
            .timeout(Duration::from_secs(120))
            .build()
            .map_err(|error| DeviceError::Protocol(format!("HTTP client: {error}")))?;
        Ok(Self { http, base_url })
    }

    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    fn unreachable(&self, error: &reqwest::Error) -> DeviceError {
        DeviceError::Unreachable {
            url: self.base_url.clone(),
            reason: error.to_string(),
        }
    }

    /// `GET /healthz`: is the county server there?
    pub async fn probe(&self) -> Result<(), DeviceError> {
        let response = self
            .http
            .get(format!("{}/healthz", self.base_url))
            .timeout(Duration::from_secs(10))
            .send()
            .await
            .map_err(|error| self.unreachable(&error))?;
        if response.status().is_success() {
            Ok(())
        } else {
            Err(DeviceError::Unreachable {
                url: self.base_url.clone(),
                reason: format!("health check answered {}", response.status()),
            })
        }
    }

    pub async fn enroll(&self, request: &EnrolRequest) -> Result<EnrolResponse, DeviceError> {
        let (response, _) = self.post_json("/api/v1/enroll", None, request).await?;
        Ok(response)
    }

    pub async fn sync(
        &self,
        token: &str,
        request: &WireSyncRequest,
    ) -> Result<(SyncResponse, Transfer), DeviceError> {
        self.post_json("/api/v1/sync", Some(token), request).await
    }

    async fn post_json<Q: serde::Serialize, A: DeserializeOwned>(
        &self,
        path: &str,
        token: Option<&str>,
        request: &Q,
    ) -> Result<(A, Transfer), DeviceError> {
        let json = serde_json::to_vec(request).map_err(|error| {
            DeviceError::Protocol(format!("request does not serialize: {error}"))
        })?;
        let level = if json.len() >= BATCH_BODY_BYTES {
            ZSTD_LEVEL_BATCH
        } else {
            ZSTD_LEVEL
        };
        let body = zstd::bulk::compress(&json, level)
            .map_err(|error| DeviceError::Protocol(format!("zstd: {error}")))?;
        let mut builder = self
            .http
            .post(format!("{}{path}", self.base_url))
            .header(CONTENT_TYPE, "application/json")
            .header(CONTENT_ENCODING, "zstd")
            .header(ACCEPT_ENCODING, "zstd, gzip");
        if let Some(token) = token {
            builder = builder.header(AUTHORIZATION, format!("Bearer {token}"));
        }
        let bytes_up = body.len() as u64;
        let response = builder
            .body(body)
            .send()
            .await
            .map_err(|error| self.unreachable(&error))?;
        let status = response.status();
        let headers = response.headers().clone();
        let raw = response
            .bytes()
            .await
            .map_err(|error| self.unreachable(&error))?;
        let transfer = Transfer {
            bytes_up,
            bytes_down: raw.len() as u64,
        };
        let decoded = decode_body(&headers, &raw)?;
        if !status.is_success() {
            return Err(refusal(status, &decoded));
        }
        let answer = serde_json::from_slice(&decoded).map_err(|error| {
            DeviceError::Protocol(format!("{path} answered JSON that does not parse: {error}"))
        })?;
        Ok((answer, transfer))
    }

    /// `HEAD` of a photo variant: how many bytes the server has.
    pub async fn photo_offset(
        &self,
        token: &str,
        sha256: &str,
        variant: &str,
    ) -> Result<u64, DeviceError> {
        let response = self
            .http
            .head(format!(
                "{}/api/v1/photos/{sha256}/{variant}",
                self.base_url
            ))
            .header(AUTHORIZATION, format!("Bearer {token}"))
            .send()
            .await
            .map_err(|error| self.unreachable(&error))?;
        if !response.status().is_success() {
            return Err(refusal(response.status(), &[]));
        }
        upload_offset(response.headers())
    }

    /// `PATCH` one chunk at `offset` of a variant whose whole SHA-256 is `variant_sha256`;
    /// returns the server's new offset.
    #[allow(clippy::too_many_arguments)]
    pub async fn photo_chunk(
        &self,
        token: &str,
        sha256: &str,
        variant: &str,
        variant_sha256: &str,
        offset: u64,
        total: u64,
        chunk: Vec<u8>,
    ) -> Result<u64, DeviceError> {
        use sha2::{Digest, Sha256};
        let checksum = hex::encode(Sha256::digest(&chunk));
        let response = self
            .http
            .patch(format!(
                "{}/api/v1/photos/{sha256}/{variant}",
                self.base_url
            ))
            .header(AUTHORIZATION, format!("Bearer {token}"))
            .header("Upload-Offset", offset.to_string())
            .header("Upload-Length", total.to_string())
            .header("Chunk-Sha256", checksum)
            .header("Upload-Sha256", variant_sha256)
            .header(CONTENT_TYPE, "application/offset+octet-stream")
            .body(chunk)
            .send()
            .await
            .map_err(|error| self.unreachable(&error))?;
        let status = response.status();
        if status.is_success() || status == StatusCode::CONFLICT {
            // 409: the server has a different offset; carry on from the one it says.
            return upload_offset(response.headers());
        }
        let headers = response.headers().clone();
        let raw = response
            .bytes()
            .await
            .map_err(|error| self.unreachable(&error))?;
        Err(refusal(
            status,
            &decode_body(&headers, &raw).unwrap_or_default(),
        ))
    }
}

fn upload_offset(headers: &HeaderMap) -> Result<u64, DeviceError> {
    headers
        .get("Upload-Offset")
        .and_then(|value| value.to_str().ok())
        .and_then(|text| text.trim().parse().ok())
        .ok_or_else(|| DeviceError::Protocol("photo answer without Upload-Offset".into()))
}

fn decode_body(headers: &HeaderMap, raw: &[u8]) -> Result<Vec<u8>, DeviceError> {
    let encoding = headers
        .get(CONTENT_ENCODING)
        .and_then(|value| value.to_str().ok())
        .unwrap_or("identity")
        .trim()
        .to_ascii_lowercase();
    let mut decoded = Vec::new();
    let result = match encoding.as_str() {
        "zstd" => zstd::stream::read::Decoder::new(raw)
            .and_then(|decoder| decoder.take(MAX_RESPONSE_BYTES).read_to_end(&mut decoded)),
        "gzip" => flate2::read::GzDecoder::new(raw)
            .take(MAX_RESPONSE_BYTES)
            .read_to_end(&mut decoded),
        "identity" | "" => {
            decoded.extend_from_slice(raw);
            Ok(raw.len())
        }
        other => {
            return Err(DeviceError::Protocol(format!(
                "answer in an unknown encoding {other:?}"
            )))
        }
    };
    result
        .map_err(|error| DeviceError::Protocol(format!("answer does not decompress: {error}")))?;
    Ok(decoded)
}

/// A non-success answer: refused (401/403) or not understood.
fn refusal(status: StatusCode, body: &[u8]) -> DeviceError {
    let parsed: Option<ApiErrorBody> = serde_json::from_slice(body).ok();
    match status {
        StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN => DeviceError::Refused {
            status: status.as_u16(),
            message: parsed
                .as_ref()
                .map(|body| body.message.clone())
                .unwrap_or_else(|| status.to_string()),
            message_zh: parsed
                .map(|body| body.message_zh)
                .filter(|text| !text.is_empty())
                .unwrap_or_else(|| {
                    if status == StatusCode::UNAUTHORIZED {
                        "本设备未注册或已被停用,请向县边防办申请新的注册码".to_string()
                    } else {
                        "服务器拒绝了本设备的请求".to_string()
                    }
                }),
        },
        _ => DeviceError::Protocol(match parsed {
            Some(body) => format!("{status}: {}", body.message),
            None => format!("{status}"),
        }),
    }
}
