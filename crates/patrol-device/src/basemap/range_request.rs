//! One request of `GET /api/v1/map/archive` (docs/maps.md): a byte range asked with the
//! device's token and, once a download has begun, `If-Range: "<version>"`; the answer told
//! apart — the range of that version (206), another version (200, 416, or a 206 with another
//! ETag), or no basemap yet (404 `basemap_not_built`) — and a range's body written into the
//! part as it arrives, so a cut keeps every byte that came. Each request goes over the sync's
//! HTTP client and is watched by its [`TransferWatch`] (given up when nothing moves).

use super::partial::PartialArchive;
use crate::error::DeviceError;
use crate::sync::client::refusal;
use crate::sync::{SyncClient, TransferWatch};
use reqwest::header::{HeaderMap, ACCEPT_ENCODING, AUTHORIZATION, CONTENT_RANGE, ETAG};
use reqwest::StatusCode;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The archive's path on the county server.
pub(super) const ARCHIVE_PATH: &str = "/api/v1/map/archive";
/// The error code of the county's 404 when it has built no basemap.
pub(super) const NOT_BUILT_ERROR: &str = "basemap_not_built";
/// The most of an error answer read.
const MAX_ERROR_BODY_BYTES: usize = 16 * 1024;

/// The bytes asked for: `first..=last` of the archive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct WantedRange {
    pub first: u64,
    pub last: u64,
}

/// `Content-Range: bytes FIRST-LAST/TOTAL` of a 206.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct ContentRange {
    pub first: u64,
    pub last: u64,
    pub total: u64,
}

impl ContentRange {
    pub fn len(&self) -> u64 {
        self.last + 1 - self.first
    }
}

/// How the county answered a range request.
#[derive(Debug)]
pub(super) enum ArchiveAnswer {
    /// 206: `range` of the archive whose version is `version`; its body is still to be read.
    Range {
        version: String,
        range: ContentRange,
        response: reqwest::Response,
    },
    /// 200 (If-Range did not match, or no range support) or 416 (the range is past the end of
    /// the archive now): the archive is not the version asked for. The body is not read.
    AnotherVersion {
        version: Option<String>,
        total: Option<u64>,
    },
    /// 404 `basemap_not_built`: the county has no basemap yet.
    NotBuilt,
}

/// Asks for `wanted`, of version `if_range` when a download has begun; answers how the
/// county answered and how long until its headers came.
pub(super) async fn request_archive_range(
    client: &SyncClient,
    token: &str,
    wanted: WantedRange,
    if_range: Option<&str>,
    watch: &Arc<TransferWatch>,
) -> Result<(ArchiveAnswer, Duration), DeviceError> {
    let url = format!("{}{ARCHIVE_PATH}", client.base_url());
    let started = Instant::now();
    let response = watch
        .guard(
            &url,
            send_range_request(client, &url, token, wanted, if_range),
        )
        .await?;
    let answer = classify_answer(response, watch).await?;
    Ok((answer, started.elapsed()))
}

async fn send_range_request(
    client: &SyncClient,
    url: &str,
    token: &str,
    wanted: WantedRange,
    if_range: Option<&str>,
) -> Result<reqwest::Response, DeviceError> {
    let mut request = client
        .http()
        .get(url)
        .header(AUTHORIZATION, format!("Bearer {token}"))
        .header("Range", format!("bytes={}-{}", wanted.first, wanted.last))
        // The archive's tiles are gzip already: the file's own bytes, never re-encoded.
        .header(ACCEPT_ENCODING, "identity");
    if let Some(version) = if_range {
        request = request.header("If-Range", format!("\"{version}\""));
    }
    request
        .send()
        .await
        .map_err(|error| client.unreachable(&error))
}

async fn classify_answer(
    response: reqwest::Response,
    watch: &Arc<TransferWatch>,
) -> Result<ArchiveAnswer, DeviceError> {
    let status = response.status();
    let headers = response.headers().clone();
    match status {
        StatusCode::PARTIAL_CONTENT => Ok(ArchiveAnswer::Range {
            version: archive_version_of(&headers)?,
            range: content_range_of(&headers)?,
            response,
        }),
        StatusCode::OK => Ok(ArchiveAnswer::AnotherVersion {
            version: archive_version_of(&headers).ok(),
            total: response.content_length(),
        }),
        StatusCode::RANGE_NOT_SATISFIABLE => Ok(ArchiveAnswer::AnotherVersion {
            version: archive_version_of(&headers).ok(),
            total: unsatisfied_range_total(&headers),
        }),
        _ => {
            let body = read_error_body(response, watch).await;
            if status == StatusCode::NOT_FOUND
                && error_code(&body).as_deref() == Some(NOT_BUILT_ERROR)
            {
                return Ok(ArchiveAnswer::NotBuilt);
            }
            Err(refusal(status, &body))
        }
    }
}

/// The archive's version from its `ETag` (quotes and a weak mark taken off).
fn archive_version_of(headers: &HeaderMap) -> Result<String, DeviceError> {
    let tag = headers
        .get(ETAG)
        .and_then(|value| value.to_str().ok())
        .map(|text| text.trim().trim_start_matches("W/").trim_matches('"'))
        .filter(|text| !text.is_empty())
        .ok_or_else(|| DeviceError::Protocol("the basemap answer has no ETag".into()))?;
    Ok(tag.to_string())
}

fn content_range_of(headers: &HeaderMap) -> Result<ContentRange, DeviceError> {
    let text = headers
        .get(CONTENT_RANGE)
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default();
    parse_content_range(text).ok_or_else(|| {
        DeviceError::Protocol(format!(
            "the basemap answer has no usable Content-Range ({text:?})"
        ))
    })
}

/// `bytes 0-16383/29045` → first 0, last 16383, total 29045.
fn parse_content_range(text: &str) -> Option<ContentRange> {
    let (span, total) = text.trim().strip_prefix("bytes ")?.split_once('/')?;
    let (first, last) = span.split_once('-')?;
    let range = ContentRange {
        first: first.trim().parse().ok()?,
        last: last.trim().parse().ok()?,
        total: total.trim().parse().ok()?,
    };
    (range.first <= range.last && range.last < range.total).then_some(range)
}

/// The total of a 416's `Content-Range: bytes */29045`.
fn unsatisfied_range_total(headers: &HeaderMap) -> Option<u64> {
    let text = headers.get(CONTENT_RANGE)?.to_str().ok()?;
    text.trim().strip_prefix("bytes */")?.trim().parse().ok()
}

async fn read_error_body(mut response: reqwest::Response, watch: &Arc<TransferWatch>) -> Vec<u8> {
    let mut body = Vec::new();
    while let Ok(Some(piece)) = response.chunk().await {
        watch.moved(0, piece.len() as u64);
        body.extend_from_slice(&piece);
        if body.len() >= MAX_ERROR_BODY_BYTES {
            break;
        }
    }
    body
}

fn error_code(body: &[u8]) -> Option<String> {
    let parsed: patrol_model::sync::ApiErrorBody = serde_json::from_slice(body).ok()?;
    Some(parsed.error)
}

/// Writes a 206's body into `part` as it arrives (each piece counted by the watch and told to
/// `on_piece`); answers the bytes received. A cut keeps what came and is the error.
pub(super) async fn receive_range_body(
    client: &SyncClient,
    mut response: reqwest::Response,
    range: ContentRange,
    part: &mut PartialArchive,
    watch: &Arc<TransferWatch>,
    on_piece: &mut (dyn FnMut(&PartialArchive) + Send),
) -> Result<u64, DeviceError> {
    let url = format!("{}{ARCHIVE_PATH}", client.base_url());
    let mut received = 0u64;
    let reading = async {
        while let Some(piece) = response
            .chunk()
            .await
            .map_err(|error| client.unreachable(&error))?
        {
            watch.moved(0, piece.len() as u64);
            if received + piece.len() as u64 > range.len() {
                return Err(DeviceError::Protocol(format!(
                    "the basemap answer is longer than the range it names ({} bytes)",
                    range.len()
                )));
            }
            part.append(&piece)?;
            received += piece.len() as u64;
            on_piece(part);
        }
        Ok(())
    };
    let outcome = watch.guard(&url, reading).await;
    outcome?;
    if received < range.len() {
        return Err(DeviceError::Unreachable {
            url,
            reason: format!(
                "the basemap answer ended after {received} of {} bytes",
                range.len()
            ),
            cause: crate::sync::UnreachableCause::LinkStalled,
        });
    }
    Ok(received)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_ranges_are_read_and_nonsense_refused() {
        assert_eq!(
            parse_content_range("bytes 0-16383/29045"),
            Some(ContentRange {
                first: 0,
                last: 16383,
                total: 29045
            })
        );
        assert_eq!(
            parse_content_range("bytes 29044-29044/29045")
                .unwrap()
                .len(),
            1
        );
        for nonsense in [
            "",
            "bytes */29045",
            "bytes 10-5/29045",
            "bytes 0-29045/29045",
            "items 0-1/2",
        ] {
            assert_eq!(parse_content_range(nonsense), None, "{nonsense}");
        }
    }
}
