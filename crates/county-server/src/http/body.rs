//! Request and response bodies: size limit, `Content-Encoding` (zstd, gzip, identity), JSON,
//! and answers compressed by `Accept-Encoding`. Every failure is a 4xx `ApiError`.

use super::error::ApiError;
use axum::body::{Body, Bytes};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use http_body_util::{BodyExt, LengthLimitError, Limited};
use serde::de::DeserializeOwned;
use serde::Serialize;
use std::io::{Read, Write};

/// The largest request body, compressed or not, and once decompressed.
pub const MAX_BODY_BYTES: usize = 16 * 1024 * 1024;

/// Reads the whole body; more than `limit` bytes is a 413.
pub async fn read_limited(
    headers: &HeaderMap,
    body: Body,
    limit: usize,
) -> Result<Bytes, ApiError> {
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|value| value.to_str().ok())
        .and_then(|text| text.parse::<u64>().ok());
    if declared.is_some_and(|length| length > limit as u64) {
        return Err(too_large(limit));
    }
    match Limited::new(body, limit).collect().await {
        Ok(collected) => Ok(collected.to_bytes()),
        Err(error) if error.downcast_ref::<LengthLimitError>().is_some() => Err(too_large(limit)),
        Err(error) => Err(ApiError::bad_request(
            format!("could not read the request body: {error}"),
            "请求内容读取失败",
        )),
    }
}

fn too_large(limit: usize) -> ApiError {
    ApiError::too_large(format!("the body is larger than {limit} bytes"))
}

/// Undoes the request's `Content-Encoding`, refusing more than [`MAX_BODY_BYTES`] decompressed.
pub fn decode(headers: &HeaderMap, raw: Bytes) -> Result<Bytes, ApiError> {
    let encoding = match headers.get(header::CONTENT_ENCODING) {
        None => "identity".to_string(),
        Some(value) => value
            .to_str()
            .map_err(|_| unsupported_encoding("(not text)"))?
            .trim()
            .to_ascii_lowercase(),
    };
    match encoding.as_str() {
        "" | "identity" => Ok(raw),
        "zstd" => match zstd::stream::read::Decoder::new(&raw[..]) {
            Ok(decoder) => read_decoded(decoder, "zstd"),
            Err(error) => Err(bad_encoding("zstd", &error)),
        },
        "gzip" | "x-gzip" => read_decoded(flate2::read::GzDecoder::new(&raw[..]), "gzip"),
        other => Err(unsupported_encoding(other)),
    }
}

fn read_decoded(decoder: impl Read, encoding: &str) -> Result<Bytes, ApiError> {
    let mut decoded = Vec::new();
    decoder
        .take(MAX_BODY_BYTES as u64 + 1)
        .read_to_end(&mut decoded)
        .map_err(|error| bad_encoding(encoding, &error))?;
    if decoded.len() > MAX_BODY_BYTES {
        return Err(ApiError::too_large(format!(
            "the body is larger than {MAX_BODY_BYTES} bytes once decompressed"
        )));
    }
    Ok(Bytes::from(decoded))
}

fn bad_encoding(encoding: &str, error: &dyn std::fmt::Display) -> ApiError {
    ApiError::bad_request(
        format!("the body is not valid {encoding} as Content-Encoding says: {error}"),
        "请求内容的压缩格式与声明不符",
    )
}

fn unsupported_encoding(encoding: &str) -> ApiError {
    ApiError::new(
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "unsupported_encoding",
        format!("Content-Encoding {encoding:?} is not supported: use zstd, gzip or identity"),
        "不支持的压缩格式",
    )
}

/// Parses a JSON body: a syntax error is a 400, a wrong shape or type a 422.
pub fn parse_json<T: DeserializeOwned>(headers: &HeaderMap, bytes: &[u8]) -> Result<T, ApiError> {
    if let Some(content_type) = headers.get(header::CONTENT_TYPE) {
        let is_json = content_type
            .to_str()
            .ok()
            .and_then(|text| text.split(';').next())
            .is_some_and(|mime| mime.trim().eq_ignore_ascii_case("application/json"));
        if !is_json {
            return Err(ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_media_type",
                "the body must be application/json",
                "请求内容必须是 JSON",
            ));
        }
    }
    serde_json::from_slice(bytes).map_err(|error| {
        use serde_json::error::Category;
        match error.classify() {
            Category::Data => ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid_body",
                format!("the JSON does not have the expected fields and types: {error}"),
                "请求内容的字段或类型不对",
            ),
            _ => ApiError::bad_request(
                format!("the body is not valid JSON: {error}"),
                "请求内容不是有效的 JSON",
            ),
        }
    })
}

/// The best encoding the client accepts: zstd, then gzip, else none.
fn response_encoding(headers: &HeaderMap) -> Option<&'static str> {
    let accepted = headers.get(header::ACCEPT_ENCODING)?.to_str().ok()?;
    let accepts = |wanted: &str| {
        accepted.split(',').any(|item| {
            let mut parts = item.split(';');
            let name = parts.next().unwrap_or("").trim();
            let refused = parts.any(|param| {
                param
                    .trim()
                    .strip_prefix("q=")
                    .and_then(|q| q.trim().parse::<f32>().ok())
                    .is_some_and(|q| q <= 0.0)
            });
            name.eq_ignore_ascii_case(wanted) && !refused
        })
    };
    if accepts("zstd") {
        Some("zstd")
    } else if accepts("gzip") {
        Some("gzip")
    } else {
        None
    }
}

/// A JSON answer, compressed as the request's `Accept-Encoding` allows.
pub fn json_response<T: Serialize>(
    request_headers: &HeaderMap,
    status: StatusCode,
    value: &T,
) -> Response {
    let json = match serde_json::to_vec(value) {
        Ok(json) => json,
        Err(error) => return ApiError::internal(&error).into_response(),
    };
    let encoded = match response_encoding(request_headers) {
        Some("zstd") => zstd::bulk::compress(&json, 3)
            .ok()
            .map(|bytes| ("zstd", bytes)),
        Some(_) => {
            let mut encoder =
                flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
            encoder
                .write_all(&json)
                .and_then(|()| encoder.finish())
                .ok()
                .map(|bytes| ("gzip", bytes))
        }
        None => None,
    };
    let mut response = match encoded {
        Some((encoding, bytes)) => {
            let mut response = (status, bytes).into_response();
            response
                .headers_mut()
                .insert(header::CONTENT_ENCODING, HeaderValue::from_static(encoding));
            response
        }
        None => (status, json).into_response(),
    };
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    response
}

/// Reads, decodes and parses a JSON request body.
pub async fn read_json<T: DeserializeOwned>(
    headers: &HeaderMap,
    body: Body,
) -> Result<T, ApiError> {
    let raw = read_limited(headers, body, MAX_BODY_BYTES).await?;
    let decoded = decode(headers, raw)?;
    parse_json(headers, &decoded)
}
