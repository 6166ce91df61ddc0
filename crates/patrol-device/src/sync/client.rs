//! HTTP to the county server: JSON bodies compressed with zstd, errors turned into
//! [`DeviceError`]s a member can read, and the bytes each request moved. No request has a
//! limit on its total time (a large one takes minutes on 2G); each is watched instead, and
//! given up when no byte has moved either way for the watch's stall time
//! ([`TransferWatch`]).

use super::unreachable::UnreachableCause;
use crate::error::DeviceError;
use patrol_model::sync::{
    ApiErrorBody, EnrolRequest, EnrolResponse, SyncResponse, WipeReport, WireSyncRequest,
    WIPE_ORDERED_ERROR,
};
use reqwest::header::{HeaderMap, ACCEPT_ENCODING, AUTHORIZATION, CONTENT_ENCODING, CONTENT_TYPE};
use reqwest::StatusCode;
use serde::de::DeserializeOwned;
use std::io::Read;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Largest answer accepted once decompressed.
const MAX_RESPONSE_BYTES: u64 = 64 * 1024 * 1024;
/// zstd level of a small body: fast on a cheap phone, still about 6× on entry JSON.
const ZSTD_LEVEL: i32 = 3;
/// zstd level of a batch of a backlog: about 20% fewer bytes than level 3 for about 5× the
/// CPU (some 80 ms per 4 MB of JSON), worth it on a slow link.
const ZSTD_LEVEL_BATCH: i32 = 7;
/// Bodies of at least this much JSON are batches.
const BATCH_BODY_BYTES: usize = 64 * 1024;

/// Bodies are handed to the connection in pieces of this size, each one counted as progress.
const BODY_PIECE_BYTES: usize = 4 * 1024;

/// Bytes moved by one request, as sent and received on the wire (compressed bodies), and how
/// long it took from the first byte sent to the last byte received.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Transfer {
    pub bytes_up: u64,
    pub bytes_down: u64,
    pub elapsed: Duration,
}

/// A request body made ready to send: the zstd bytes and the JSON length they came from.
#[derive(Debug, Clone)]
pub struct EncodedBody {
    pub bytes: Vec<u8>,
    pub json_len: usize,
}

impl EncodedBody {
    /// Serialises and compresses `request` (level 7 for a batch, 3 for a small body).
    pub fn encode<Q: serde::Serialize>(request: &Q) -> Result<EncodedBody, DeviceError> {
        let json = serde_json::to_vec(request).map_err(|error| {
            DeviceError::Protocol(format!("request does not serialize: {error}"))
        })?;
        let level = if json.len() >= BATCH_BODY_BYTES {
            ZSTD_LEVEL_BATCH
        } else {
            ZSTD_LEVEL
        };
        let bytes = zstd::bulk::compress(&json, level)
            .map_err(|error| DeviceError::Protocol(format!("zstd: {error}")))?;
        Ok(EncodedBody {
            bytes,
            json_len: json.len(),
        })
    }
}

/// Watches the requests of one sync: bytes moved up and down (for the member's progress), and
/// the time since any moved, which ends a request once it exceeds the stall time.
#[derive(Debug)]
pub struct TransferWatch {
    stall_after: Duration,
    bytes_up: AtomicU64,
    bytes_down: AtomicU64,
    last_movement: Mutex<Instant>,
}

impl TransferWatch {
    pub fn new(stall_after: Duration) -> Arc<TransferWatch> {
        Arc::new(TransferWatch {
            stall_after,
            bytes_up: AtomicU64::new(0),
            bytes_down: AtomicU64::new(0),
            last_movement: Mutex::new(Instant::now()),
        })
    }

    /// Bytes handed to the link so far, cut requests included.
    pub fn bytes_up(&self) -> u64 {
        self.bytes_up.load(Ordering::Relaxed)
    }

    pub fn bytes_down(&self) -> u64 {
        self.bytes_down.load(Ordering::Relaxed)
    }

    pub(crate) fn moved(&self, up: u64, down: u64) {
        self.bytes_up.fetch_add(up, Ordering::Relaxed);
        self.bytes_down.fetch_add(down, Ordering::Relaxed);
        *self.last_movement.lock().unwrap() = Instant::now();
    }

    fn still(&self) -> Duration {
        self.last_movement.lock().unwrap().elapsed()
    }

    /// A body that counts each piece as the connection takes it.
    fn body(self: &Arc<Self>, bytes: Vec<u8>) -> reqwest::Body {
        let watch = self.clone();
        let bytes = bytes::Bytes::from(bytes);
        let pieces = (0..bytes.len().div_ceil(BODY_PIECE_BYTES)).map(move |index| {
            let start = index * BODY_PIECE_BYTES;
            let piece = bytes.slice(start..(start + BODY_PIECE_BYTES).min(bytes.len()));
            watch.moved(piece.len() as u64, 0);
            Ok::<_, std::io::Error>(piece)
        });
        reqwest::Body::wrap_stream(futures::stream::iter(pieces))
    }

    /// Runs `request` until it finishes or nothing has moved for the stall time.
    pub(crate) async fn guard<T>(
        &self,
        url: &str,
        request: impl std::future::Future<Output = Result<T, DeviceError>>,
    ) -> Result<T, DeviceError> {
        *self.last_movement.lock().unwrap() = Instant::now();
        tokio::pin!(request);
        let tick = (self.stall_after / 4).clamp(Duration::from_millis(50), Duration::from_secs(1));
        loop {
            tokio::select! {
                outcome = &mut request => return outcome,
                _ = tokio::time::sleep(tick) => {
                    if self.still() >= self.stall_after {
                        return Err(DeviceError::Unreachable {
                            url: url.to_string(),
                            cause: UnreachableCause::LinkStalled,
                            reason: format!(
                                "no byte moved for {} s: the link stalled",
                                self.stall_after.as_secs()
                            ),
                        });
                    }
                }
            }
        }
    }
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
            .build()
            .map_err(|error| DeviceError::Protocol(format!("HTTP client: {error}")))?;
        Ok(Self { http, base_url })
    }

    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The HTTP client itself, for the device's other downloads (the basemap) to share its
    /// connections, TLS and timeouts.
    pub(crate) fn http(&self) -> &reqwest::Client {
        &self.http
    }

    pub(crate) fn unreachable(&self, error: &reqwest::Error) -> DeviceError {
        let (cause, reason) = UnreachableCause::of_request_error(error);
        DeviceError::Unreachable {
            url: self.base_url.clone(),
            reason,
            cause,
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
                cause: UnreachableCause::NotCountyServer,
                reason: format!("health check answered {}", response.status()),
            })
        }
    }

    pub async fn enroll(&self, request: &EnrolRequest) -> Result<EnrolResponse, DeviceError> {
        let watch = TransferWatch::new(Duration::from_secs(30));
        let body = EncodedBody::encode(request)?;
        let (response, _) = self.post_json("/api/v1/enroll", None, body, &watch).await?;
        Ok(response)
    }

    /// `POST /api/v1/device/wiped` with the wiped device's old token: what it held unsent.
    pub async fn report_wipe(&self, token: &str, report: &WipeReport) -> Result<(), DeviceError> {
        let watch = TransferWatch::new(Duration::from_secs(30));
        let body = EncodedBody::encode(report)?;
        let (_, _): (serde::de::IgnoredAny, _) = self
            .post_json("/api/v1/device/wiped", Some(token), body, &watch)
            .await?;
        Ok(())
    }

    /// `POST /api/v1/sync` of a request already encoded ([`EncodedBody::encode`] of a
    /// [`WireSyncRequest`]).
    pub async fn sync(
        &self,
        token: &str,
        request: EncodedBody,
        watch: &Arc<TransferWatch>,
    ) -> Result<(SyncResponse, Transfer), DeviceError> {
        self.post_json("/api/v1/sync", Some(token), request, watch)
            .await
    }

    /// [`SyncClient::sync`] of a request not yet encoded.
    pub async fn sync_request(
        &self,
        token: &str,
        request: &WireSyncRequest,
        watch: &Arc<TransferWatch>,
    ) -> Result<(SyncResponse, Transfer), DeviceError> {
        self.sync(token, EncodedBody::encode(request)?, watch).await
    }

    async fn post_json<A: DeserializeOwned>(
        &self,
        path: &str,
        token: Option<&str>,
        request: EncodedBody,
        watch: &Arc<TransferWatch>,
    ) -> Result<(A, Transfer), DeviceError> {
        let url = format!("{}{path}", self.base_url);
        watch
            .guard(&url, self.post_json_unguarded(path, token, request, watch))
            .await
    }

    async fn post_json_unguarded<A: DeserializeOwned>(
        &self,
        path: &str,
        token: Option<&str>,
        request: EncodedBody,
        watch: &Arc<TransferWatch>,
    ) -> Result<(A, Transfer), DeviceError> {
        let started = Instant::now();
        let body = request.bytes;
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
            .body(watch.body(body))
            .send()
            .await
            .map_err(|error| self.unreachable(&error))?;
        let status = response.status();
        let headers = response.headers().clone();
        let raw = self.read_answer(response, watch).await?;
        let transfer = Transfer {
            bytes_up,
            bytes_down: raw.len() as u64,
            elapsed: started.elapsed(),
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

    /// The whole answer body, each piece counted as progress.
    async fn read_answer(
        &self,
        mut response: reqwest::Response,
        watch: &TransferWatch,
    ) -> Result<Vec<u8>, DeviceError> {
        let mut raw = Vec::new();
        while let Some(piece) = response
            .chunk()
            .await
            .map_err(|error| self.unreachable(&error))?
        {
            watch.moved(0, piece.len() as u64);
            if raw.len() as u64 + piece.len() as u64 > MAX_RESPONSE_BYTES {
                return Err(DeviceError::Protocol(format!(
                    "the answer is larger than {MAX_RESPONSE_BYTES} bytes"
                )));
            }
            raw.extend_from_slice(&piece);
        }
        Ok(raw)
    }

    /// `HEAD` of a photo variant: how many bytes the server has, and how long the round trip
    /// took.
    pub async fn photo_offset(
        &self,
        token: &str,
        sha256: &str,
        variant: &str,
        watch: &Arc<TransferWatch>,
    ) -> Result<(u64, Duration), DeviceError> {
        let url = format!("{}/api/v1/photos/{sha256}/{variant}", self.base_url);
        let started = Instant::now();
        let response = watch
            .guard(&url, async {
                self.http
                    .head(&url)
                    .header(AUTHORIZATION, format!("Bearer {token}"))
                    .send()
                    .await
                    .map_err(|error| self.unreachable(&error))
            })
            .await?;
        if !response.status().is_success() {
            return Err(refusal(response.status(), &[]));
        }
        Ok((upload_offset(response.headers())?, started.elapsed()))
    }

    /// `PATCH` one chunk at `offset`; returns the server's new offset and the transfer.
    pub async fn photo_chunk(
        &self,
        token: &str,
        upload: PhotoChunk<'_>,
        watch: &Arc<TransferWatch>,
    ) -> Result<(u64, Transfer), DeviceError> {
        let url = format!(
            "{}/api/v1/photos/{}/{}",
            self.base_url, upload.sha256, upload.variant
        );
        watch
            .guard(&url, self.photo_chunk_unguarded(&url, token, upload, watch))
            .await
    }

    async fn photo_chunk_unguarded(
        &self,
        url: &str,
        token: &str,
        upload: PhotoChunk<'_>,
        watch: &Arc<TransferWatch>,
    ) -> Result<(u64, Transfer), DeviceError> {
        use sha2::{Digest, Sha256};
        let started = Instant::now();
        let checksum = hex::encode(Sha256::digest(upload.chunk));
        let bytes_up = upload.chunk.len() as u64;
        let response = self
            .http
            .patch(url)
            .header(AUTHORIZATION, format!("Bearer {token}"))
            .header("Upload-Offset", upload.offset.to_string())
            .header("Upload-Length", upload.total.to_string())
            .header("Upload-Sha256", upload.variant_sha256)
            .header("Chunk-Sha256", checksum)
            .header(CONTENT_TYPE, "application/offset+octet-stream")
            .body(watch.body(upload.chunk.to_vec()))
            .send()
            .await
            .map_err(|error| self.unreachable(&error))?;
        let status = response.status();
        let headers = response.headers().clone();
        let raw = self.read_answer(response, watch).await?;
        let transfer = Transfer {
            bytes_up,
            bytes_down: raw.len() as u64,
            elapsed: started.elapsed(),
        };
        if status.is_success() || status == StatusCode::CONFLICT {
            // 409: the server has a different offset; carry on from the one it says.
            return Ok((upload_offset(&headers)?, transfer));
        }
        Err(refusal(
            status,
            &decode_body(&headers, &raw).unwrap_or_default(),
        ))
    }
}

/// One chunk of a photo variant to upload.
#[derive(Debug, Clone, Copy)]
pub struct PhotoChunk<'a> {
    pub sha256: &'a str,
    pub variant: &'a str,
    pub offset: u64,
    /// The whole variant's length.
    pub total: u64,
    /// The SHA-256 (hex) of the whole variant: the server checks it at the last byte.
    pub variant_sha256: &'a str,
    pub chunk: &'a [u8],
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
pub(crate) fn refusal(status: StatusCode, body: &[u8]) -> DeviceError {
    let parsed: Option<ApiErrorBody> = serde_json::from_slice(body).ok();
    let code = parsed.as_ref().map(|body| body.error.as_str());
    match status {
        StatusCode::UNAUTHORIZED if code == Some(WIPE_ORDERED_ERROR) => DeviceError::WipeOrdered,
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
                        "本设备未登记或已被停用,请向县边防办申请新的登记码".to_string()
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
